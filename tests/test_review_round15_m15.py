"""Round 15 (m15): the money findings of the partner reviews (REPORT-5 M1, S1, S7, S8 and
REPORT-1 S7), each asserted over many answer sets (scenarios, examples, changed and generated
sets).

1. No payment set by formula depends on a Board vote: each reconciliation is certified and
   issued by the finance team that checks the figures (the Lead Provider's or Host Member's
   finance team, the Commissioning Hub, the reconciliation auditor or the open-book hub), a
   balance falls due on its issue, the Board only receives it, and a disputing Member pays the
   undisputed amount. Payments on account, the year-end balance, a leaver's settlement and the
   sub-contract's deficit check all run from the issue.
2. Where the excess over the loss caps stays with the overspending Member, every place the cap
   appears says that it caps the Loss Share only, and the note and checklist flag it.
3. A Member whose sub-contract (or, with no lead, whose provision of the Services) ends while it
   remains a Member is re-based out from then; fixed running-cost shares are said not to
   re-base with contract values.
4. When the agreement ends, the single Exit Plan has a fallback that needs no vote.
"""

from __future__ import annotations

import re
from functools import cache

from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, NORTH_EAST, SHARED, WEST
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import sets_of
from tests.test_review_round6_sc import every_sub_contract, note
from tests.test_review_round9_law import checklist
from tests.test_review_round12_board import planned


def words(text: str) -> str:
    return " ".join(text.split())


@cache
def agreement_sets() -> tuple[tuple[str, LoadedAnswers, Document], ...]:
    sets = [(p.stem, load_answers(p)) for p in (SHARED, JOINT, DOMINANT, MOU_THEN, NORTH_EAST,
                                                 WEST)]
    sets += [
        ("dominant-quarterly", changed(DOMINANT, finance={"reconciliation": "quarterly"})),
        ("joint-full-open-book", changed(JOINT, finance={"open_book": "full"})),
        ("joint-year-end", changed(JOINT, finance={"reconciliation": "year_end"})),
        ("west-capped", changed(WEST, finance={"deficit": "capped", "loss_cap_percent": 2})),
        ("shared-fixed", changed(SHARED, finance={"running_cost_split": "fixed"})),
        ("shared-equal", changed(SHARED, finance={"running_cost_split": "equal"})),
    ]
    sets += sets_of("collaboration_agreement", 30)
    return tuple((n, la, built(la, "collaboration_agreement")) for n, la in sets
                 if planned(la, "collaboration_agreement"))


def context(loaded: LoadedAnswers) -> dict:
    return loaded.answers.context()


# ------------------------------------------------------------------ 1 no payment waits on a vote


def expected_certifier(loaded: LoadedAnswers, document: Document) -> str:
    """The finance team the open-book rules already name, which certifies the reconciliation."""
    c = context(loaded)
    f, d = c["finance"], c["derived"]
    cohub = d["has_lead_provider"] and c["commissioning"]["lead_commissions"] and \
        "commissioning_hub" in c["commissioning"]["separation"] and f["open_book"] == "hub_only"
    ids = {k.split(".")[0] for k in document.targets}
    if cohub:
        return "the Commissioning Hub"
    if f["open_book"] != "full" and (d["has_is_member"]
                                     or c["competition"]["information_barrier"] != "none"):
        return "the reconciliation auditor appointed under clause"
    # round 23: the open-book hub certifies only where members' own cost figures are shared
    # (a Surplus or Deficit); running costs alone are certified by the finance team
    if f["open_book"] == "full" and "competition-information-barrier" in ids and \
            not d["has_is_member"] and d["risk_share"]:
        return "the open-book hub under clause"
    if d["has_lead_provider"]:
        return "the finance team of the Lead Provider"
    if "host-member" in ids:
        return "the finance team of the Host Member"
    return "the finance team of the Member that provides the secretariat of the Board"


class TestItem1NoPaymentWaitsOnAVote:
    def test_the_reconciliation_is_certified_and_issued_and_the_board_receives_it(self) -> None:
        routes = set()
        for name, loaded, document in agreement_sets():
            finance = words(clause_text(document, "finance"))
            number = document.targets["finance.certified"].number
            assert "No payment under this clause" in finance and \
                "depends on a vote or an approval of the Board" in finance, name
            certifier = expected_certifier(loaded, document)
            assert f"is checked and certified as correct by {certifier}" in finance, \
                (name, certifier)
            routes.add(certifier.split(" under")[0].split(" appointed")[0])
            assert "gives it to the Board, which receives it" in finance, name
            assert "A balance that a reconciliation shows falls due on its issue" in finance, name
            assert "it pays when due the amount it does not dispute, and may refer the rest to " \
                   "clause" in finance, name
            if "governance-board.limit" in document.targets:
                limit = document.targets["governance-board.limit"].number
                assert f"it is not subject to the limit that clause {limit} sets" in finance, name
            # the balances run from the issue, never from an approval
            if context(loaded)["finance"]["reconciliation"] == "quarterly":
                assert "paid on account within 30 days after that reconciliation is issued " \
                       f"under clause {number}" in finance, name
            else:
                assert "paid within 30 days after that year-end reconciliation is issued under " \
                       f"clause {number}" in finance, name
            text = flat(document)
            assert not re.search(r"Board (approves|approving|then approves)[^.;]{0,40}"
                                 r"reconciliation", text), name
            assert "treated as approved" not in text, name
        # the lead's, the host's and an independent route are all reached
        assert {"the finance team of the Lead Provider", "the finance team of the Host Member",
                "the Commissioning Hub"} & routes
        assert len(routes) >= 3, routes

    def test_risk_share_and_leaver_settle_on_the_issue(self) -> None:
        sharing = leavers = quarterly = 0
        for name, loaded, document in agreement_sets():
            rgs = words(clause_text(document, "risk-gain-share"))
            if not rgs:
                continue
            sharing += 1
            number = document.targets["finance.certified"].number
            assert f"settled within 30 days after the year-end reconciliation is issued under " \
                   f"clause {number}, with no vote of the Board" in rgs, name
            assert re.search(r"certifies the reconciliation and issues it (with that evidence )?"
                             rf"as clause {re.escape(number)} provides", rgs), name
            assert "approves the reconciliation" not in rgs, name
            if context(loaded)["finance"]["reconciliation"] == "quarterly":
                quarterly += 1
                assert "paid on account within 30 days after each quarterly reconciliation is " \
                       "issued" in rgs, name
            exit_ = words(clause_text(document, "exit-consequences"))
            if "Leaving Member's" in exit_:
                leavers += 1
                # round 22: settled after the year-end reconciliation, made up to the Exit Date
                assert f"after that year-end reconciliation is issued under clause {number}, with no " \
                       "vote of the Board" in exit_, name
        assert sharing >= 4 and leavers >= 4 and quarterly >= 2

    def test_the_checklist_says_no_vote(self) -> None:
        for name, _, document in agreement_sets():
            text = checklist(document)
            assert "any balance paid within 30 days of its approval" not in text, name
            # round 19: the checklist names the body that certifies the reconciliation
            assert re.search(r"certified and issued by (the commissioning hub|the reconciliation "
                             r"auditor|the open-book hub|the lead provider's finance team|the "
                             r"host member's finance team|the finance team that checks the "
                             r"figures), with no vote of the board", text), name

    def test_sub_contracts_run_from_the_issue(self) -> None:
        checked = settled = 0
        for label, loaded, _, document in every_sub_contract():
            text = words(flat(document))
            assert not re.search(r"reconciliation[^.;]{0,60} is approved", text), label
            if "may have its share of a Deficit checked" in text:
                checked += 1
                # round 22: 14 days, the period for disputing a figure under the agreement
                assert "Within 14 days after the year-end reconciliation that shows its share " \
                       "of a Deficit is issued under the Collaboration Agreement" in text, label
            rgs = words(clause_text(document, "risk-gain-share"))
            if "share is settled within" in rgs:
                settled += 1
                assert "after the year-end reconciliation for the Contract Year is issued under " \
                       "the Collaboration Agreement" in rgs, label
        assert checked >= 3 and settled >= 3


# ------------------------------------------------------------------ 2 what the loss cap caps


class TestItem2TheLossCapCapsTheShareOnly:
    def test_every_place_the_cap_appears_says_so(self) -> None:
        own = lead = 0
        for name, loaded, document in agreement_sets():
            c = context(loaded)
            if not (c["derived"]["risk_share"] and c["finance"]["deficit"] == "capped"):
                continue
            rgs = words(clause_text(document, "risk-gain-share"))
            text = flat(document)
            capped_lines = re.findall(r"capped at £[\d,]+ a year[^;.]*", rgs)
            assert capped_lines, name
            if c["derived"]["has_lead_provider"]:
                lead += 1
                # the lead bears the excess: the cap is a real cap, said as before
                assert "a cap on its Loss Share only" not in rgs, name
                assert "Loss cap a year" in text, name
                continue
            own += 1
            assert "A loss cap limits only the Member's Loss Share of a Deficit" in rgs, name
            assert "in addition to its own Loss Share and without any cap" in rgs, name
            for line in capped_lines:
                assert "(a cap on its Loss Share only, as clause" in line, (name, line)
            assert "Cap on its share a year" in text and "Loss cap a year" not in text, name
            assert "does not limit what the Member bears, under clause" in text, name
            assert "in addition to its capped share" in text, name
            # the note and the checklist flag the choice
            assert "The loss cap limits only each member's share of a deficit" in \
                words(note(document, "risk-gain-share")), name
            assert "the part of a deficit above the loss caps borne, without a cap, by the " \
                   "members whose overspending gave rise to it" in checklist(document), name
        assert own >= 2 and lead >= 1


# ------------------------------------------------------------------ 3 re-basing a member out


class TestItem3AMemberWhoseServicesEndIsRebasedOut:
    def test_contract_values_drop_a_member_whose_services_end(self) -> None:
        frozen = weighted = by_value = 0
        for name, loaded, document in agreement_sets():
            if "finance.contract-values" not in document.targets:
                continue
            by_value += 1
            finance = words(clause_text(document, "finance"))
            lead = context(loaded)["derived"]["has_lead_provider"]
            subject = ("A Partner whose sub-contract ends while it remains a Member" if lead else
                       "A Member that stops providing or arranging all of the Services while it "
                       "remains a Member")
            # round 20: a partner that becomes the successor lead provider is excepted
            assert re.search(re.escape(subject) + r"(, except because it becomes the Successor "
                             r"Lead Provider,)? is treated as one that leaves", finance), name
            assert "its Annual Contract Value is nil" in finance, name
            if "they are not re-based" in finance and "until" in finance:
                frozen += 1
                assert re.search(r"recalculated without it on the same basis, before \d+ \w+ "
                                 r"\d{4} as after it", finance), name
            if "voting weights worked out from them" in finance:
                weighted += 1
                assert "so that it keeps no voting weight and no share" in finance, name
            rgs = words(clause_text(document, "risk-gain-share"))
            if "are re-based as clause" in rgs:
                assert "(they are then recalculated without it from that date)" in rgs, name
        assert by_value >= 5 and frozen >= 1 and weighted >= 1

    def test_running_cost_shares_say_whether_they_re_base(self) -> None:
        fixed = equal = 0
        for name, loaded, document in agreement_sets():
            split = context(loaded)["finance"]["running_cost_split"]
            finance = words(clause_text(document, "finance"))
            if context(loaded)["finance"]["model"] == "no_pooling" or not finance:
                continue
            if split == "fixed":
                fixed += 1
                if "finance.contract-values" in document.targets:
                    assert "The fixed shares are not re-based with the Annual Contract Values" \
                        in finance, name
                assert "is divided between the other Members in proportion to their fixed " \
                       "shares" in finance, name
                if "finance.contract-values" in document.targets and \
                        "with the shares" in finance:
                    assert "The shares of the Running Costs are not worked out from the Annual " \
                           "Contract Values and are not re-based under this sub-clause: they " \
                           "are fixed shares" in finance, name
            elif split == "equal":
                equal += 1
                # round 20: without a lead provider an equal share is paid while a member
                # remains one (it keeps its vote), as the answers ask
                lead = context(loaded)["derived"]["has_lead_provider"]
                assert ("The shares are recalculated when a Member joins or leaves, and without "
                        "a Partner whose sub-contract ends" if lead else
                        "The shares are recalculated when a Member joins or leaves; a Member pays "
                        "its equal share for as long as it remains a Member, whether or not") \
                    in finance, name
        assert fixed >= 2 and equal >= 1


# ------------------------------------------------------------------ 4 exit plan on termination


class TestItem4TheFinalExitPlanHasAFallback:
    def test_the_exit_never_waits_on_the_single_exit_plan(self) -> None:
        proposers = 0
        for name, loaded, document in agreement_sets():
            exit_ = words(clause_text(document, "exit-consequences"))
            schedule = document.targets["sched:exit-plan"].number
            assert "a single Exit Plan for the Collaborative by adapting the standing Exit Plan" \
                in exit_, name
            assert "The exit never waits on that decision." in exit_, name
            # round 22: a standing plan that each Voting Member approves applies once approved
            done = "prepared" if loaded.answers.governance.vehicle == "committees_in_common" \
                else "approved"
            assert f"the standing Exit Plan (or, if none has been {done}, the outline in " \
                   f"{schedule}) applies as the Exit Plan for the Collaborative" in exit_, name
            assert "each Member performs its own obligations under this clause and that plan" \
                in exit_, name
            assert "without delaying the exit" in exit_, name
            ids = {c.id for c in document.clauses}
            if context(loaded)["derived"]["has_lead_provider"] or "host-member" in ids:
                proposers += 1
                assert re.search(r"the (Lead Provider|Host Member) proposes to the Members in "
                                 r"writing, acting reasonably, any step that it leaves open",
                                 exit_), name
        assert proposers >= 4
