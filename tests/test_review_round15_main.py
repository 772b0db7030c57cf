"""Round 15 partner review (the round-14 drafts read again): the rules that cross clauses owned
by different rounds' work, each asserted over every answer set it reaches.

1. Between competing NHS trusts with full open book, the finance clause itself sends each
   Member's figures to the competition clause's open-book hub (no clause "prevails"), and each
   Member's activity, capacity and waiting-list data for NHS patients stays outside the bar on
   exchanging competitively sensitive information; the checklist lists the narrowing.
2. The sub-contract's order of precedence puts the agreement's banking-covenant clause first
   with its own, as the agreement's order says.
3. The Lead Provider is defined by its role: from the Handover Date, the Successor Lead Provider.
4. A partner that takes part in the head contract's dispute procedure is bound by the outcome
   only as to the facts found, whatever its status; the payment clause survives the Exit Date.
5. A partner may decline a patient beyond the capacity it can staff safely, whatever its payment
   basis; days of force majeure count at the reconciliation as days of suspension.
6. With committees in common an absent committee stands aside as one that abstains.
7. The checklist keeps a fraction ("three quarters of the meetings") in words; the PSR
   Regulations are defined without a term defined only to carry them.
"""

from __future__ import annotations

from functools import cache

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.review_sets import DOMINANT, JOINT, MOU_ONLY, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import sets_of
from tests.test_review_round6_sc import every_sub_contract, schedule_text
from tests.test_review_round12_board import planned


def words(text: str) -> str:
    return " ".join(text.split())


@cache
def sub_contracts() -> tuple[tuple[str, LoadedAnswers, str, Document], ...]:
    return every_sub_contract()


def member(loaded: LoadedAnswers, partner: str):  # noqa: ANN201
    return next(m for m in loaded.answers.members if m.id == partner)


# ------------------------------------------------------------------ 1 open book and capacity


def competing_sets() -> list[tuple[str, LoadedAnswers]]:
    """Agreements between NHS members only, with full open book, where the competition clause
    applies (the members compete in the same services)."""
    sets = [("shared", changed(SHARED))] + sets_of("collaboration_agreement", 60)
    found = []
    for name, loaded in sets:
        context = loaded.answers.context()
        if planned(loaded, "collaboration_agreement") and \
                context["finance"]["open_book"] == "full" and \
                not context["derived"]["has_is_member"] and \
                context["collaborative"]["kind"] == "horizontal":
            found.append((name, loaded))
    return found


class TestItem1OpenBookAndCapacity:
    def test_the_case_is_reached(self) -> None:
        assert competing_sets()

    @pytest.mark.parametrize("name,loaded", competing_sets(),
                             ids=lambda v: v if isinstance(v, str) else "")
    def test_figures_go_to_the_hub_and_nhs_capacity_is_shared(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        finance = words(clause_text(document, "finance"))
        barrier = words(clause_text(document, "competition-information-barrier"))
        hub = document.targets["competition-information-barrier.open-book-hub"].number
        assert f"only to the open-book hub under clause {hub}" in finance, name
        assert "gives the directors of finance of the other Members" not in finance, name
        assert "prevail" not in finance and "prevail" not in barrier, name
        # the hub never receives capacity figures alone: NHS capacity data is planning data
        assert "and any figures of its capacity" not in barrier, name
        assert "Nor does it apply to each Member's activity, capacity and waiting-list data " \
               "for the NHS patients of the Services" in barrier, name
        assert "involves the Members' costs, prices or capacity" not in barrier, name
        assert "(staff of a Member or independent advisers)" in barrier, name
        note = document.clauses[0].note or ""
        assert "the open-book arrangements: the answers choose full open book" in note, name

    def test_the_memorandum_lists_the_narrowing_too(self) -> None:
        document = built(load_answers(MOU_ONLY), "mou")
        assert load_answers(MOU_ONLY).answers.context()["finance"]["open_book"] == "full"
        note = document.clauses[0].note or ""
        assert "open-book hub (a person or team the members appoint)" in note
        barrier = words(clause_text(document, "competition-information-barrier"))
        # round 19: in a memorandum the data goes only to the Representatives and the planning
        # staff, and is used only to plan, never to set prices or prepare bids
        # round 24: with the Observer too, and only so far as reasonably necessary
        assert ("the Members share with one another and with the Observer only through their "
                "Representatives and the staff who plan the Services and their shared capacity, "
                "so far as reasonably necessary for that purpose, and use only to plan the "
                "Services and to share capacity between them, and never to set prices or prepare "
                "bids") in barrier

    def test_the_board_clause_lists_the_hubs_appointment(self) -> None:
        for name, loaded in competing_sets()[:4]:
            document = built(loaded, "collaboration_agreement")
            board = words(clause_text(document, "governance-board"))
            number = next(c.number for c in document.clauses
                          if c.id == "competition-information-barrier")
            assert "the appointment of the individuals of the open-book hub, and the form of " \
                   f"the confidentiality undertaking each of them signs (clause {number})" in \
                board, name


# ------------------------------------------------------------------ 2 precedence and covenants


def test_2_the_agreements_covenant_clause_ranks_first_in_the_sub_contract() -> None:
    seen = 0
    for label, loaded, partner, document in sub_contracts():
        if "collaboration_agreement" not in loaded.answers.documents:
            continue
        text = words(clause_text(document, "interpretation"))
        order = text[text.index("take precedence in this order"):]
        if member(loaded, partner).banking_covenants:
            agreement = built(loaded, "collaboration_agreement")
            number = next(c.number for c in agreement.clauses if c.id == "banking-covenants")
            first = order[:order.index("the protected provisions listed")]
            assert f"and clause {number} (Members with banking covenants) of the " \
                   "Collaboration Agreement" in first, label
            seen += 1
        else:
            assert "(Members with banking covenants)" not in order, label
    assert seen >= 2


# ------------------------------------------------------------------ 3 the Lead Provider's role


@pytest.mark.parametrize("kind", ["collaboration_agreement", "committee_terms"])
def test_3_the_lead_provider_passes_to_the_successor(kind: str) -> None:
    document = built(load_answers(DOMINANT), kind)
    definitions = words(clause_text(document, "definitions"))
    lead = definitions[definitions.index("“Lead Provider” means"):]
    lead = lead[:lead.index("“", 5)]
    if "Successor Lead Provider" in definitions.replace(lead, ""):
        assert "and, from the Handover Date, the Successor Lead Provider in that role" in lead
    else:
        assert "Successor Lead Provider" not in lead, lead
    if kind == "collaboration_agreement":
        assert "Successor Lead Provider in that role" in lead


# ------------------------------------------------------------------ 4 disputes and survival


def test_4_the_head_contract_outcome_binds_only_as_to_facts_and_payment_survives() -> None:
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        dispute = words(clause_text(document, "dispute-resolution"))
        if "The outcome of that procedure binds the Sub-Contractor" in dispute:
            assert "only where it took part in it, and then only as to the facts found in it" \
                in dispute, label
            assert "so far as the outcome concerns" not in dispute, label
            seen += 1
        payment = next(c.number for c in document.clauses if c.id == "sc-payment")
        survival = words(clause_text(document, "exit-consequences"))
        survival = survival[survival.index("accrued before the Exit Date. Clauses"):]
        survival = survival[:survival.index("continue to apply")]
        assert f"Clauses {payment}, " in survival, (label, survival)
    assert seen >= 3


# ------------------------------------------------------------------ 5 capacity, force majeure


def test_5_safe_capacity_and_force_majeure_days() -> None:
    bases: set[str] = set()
    for label, loaded, partner, document in sub_contracts():
        services = words(clause_text(document, "sc-services"))
        basis = loaded.answers.sub_contract_terms[partner].payment_basis  # type: ignore[index]
        if basis == "block":
            assert "beyond the commissioned capacity" in services, label
        else:
            assert "beyond the capacity that the Sub-Contractor can staff and provide safely " \
                   "and it has not agreed to take the patient" in services, label
        bases.add(basis)
        force = words(clause_text(document, "force-majeure"))
        if "The days on which they are not provided count in the reconciliation" in force:
            assert "Part A provides for days of suspension" in force, label
            schedule = words(schedule_text(document, "sc-payment"))
            if "are suspended" in schedule:
                assert "or cannot be provided because of a Force Majeure Event" in schedule, label
    assert len(bases) >= 2


# ------------------------------------------------------------------ 6 an absent committee


def cic_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED))] + sets_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")
            and la.answers.governance.vehicle == "committees_in_common"][:8]


@pytest.mark.parametrize("name,loaded", cic_sets(), ids=lambda v: v if isinstance(v, str) else "")
def test_6_an_absent_committee_stands_aside(name: str, loaded: LoadedAnswers) -> None:
    voting = words(clause_text(built(loaded, "collaboration_agreement"), "voting"))
    if "A committee that abstains stands aside" not in voting:
        return  # unanimity: every committee must approve, so an absent one blocks
    assert "The same applies to a committee that is absent: its Member has taken no decision, " \
           "and no other committee can commit it." in voting, name


def test_6_the_case_is_reached() -> None:
    assert any("A committee that abstains stands aside" in
               clause_text(built(la, "collaboration_agreement"), "voting") for _, la in cic_sets())


# ------------------------------------------------------------------ 7 checklist and definitions


@pytest.mark.parametrize("path", [SHARED, JOINT, DOMINANT, MOU_THEN], ids=lambda p: p.stem)
def test_7_fractions_stay_in_words_and_no_definition_only_carries_another(path) -> None:
    loaded = load_answers(path)
    document = built(loaded, "committee_terms")
    note = " ".join((document.clauses[0].note or "").split())
    assert "attending at least three quarters of the meetings" in note, path.stem
    assert "3 quarters" not in note, path.stem
    definitions = words(clause_text(document, "definitions"))
    body = " ".join(words(clause_text(document, c.id)) for c in document.clauses
                    if c.id != "definitions")
    if "“NHS Act”" in definitions:
        assert "NHS Act" in body, path.stem
    if "“PSR Regulations”" in definitions and "NHS Act" not in body:
        assert "section 12ZB of the National Health Service Act 2006" in definitions


# ------------------------------------------------------------------ 8 host, local prices, staff


def agreements() -> list[tuple[str, LoadedAnswers]]:
    sets = [(p.stem, load_answers(p)) for p in (SHARED, JOINT, DOMINANT, MOU_THEN)]
    sets += sets_of("collaboration_agreement", 30)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")]


def test_8_host_succession_local_prices_and_no_no_poach() -> None:
    hosts = priced = staffed = 0
    for name, loaded in agreements():
        document = built(loaded, "collaboration_agreement")
        ids = {c.id for c in document.clauses}
        if "host-member" in ids:
            host = words(clause_text(document, "host-member"))
            assert "it goes on hosting on the same terms until one is, for no more than 6 " \
                   "months after that date" in host, name
            hosts += 1
        if "inter-provider-activity" in ids:
            moves = words(clause_text(document, "inter-provider-activity"))
            if "NHS Payment Scheme" in moves:
                assert "the unit price that the NHS Payment Scheme sets for the activity where " \
                       "it sets one, or otherwise" in moves, name
                assert "thirty days" not in moves, name
                priced += 1
        if "staffing" in ids:
            staff = words(clause_text(document, "staffing"))
            assert "in a targeted way" not in staff, name
            if "obtained through the Collaborative to recruit them" in staff:
                assert "make no agreement not to recruit each other's staff" in staff, name
                staffed += 1
    assert hosts and priced and staffed


# ------------------------------------------------------------------ 9 no payment waits on a vote


def test_9_no_reconciliation_payment_waits_on_a_vote() -> None:
    """A Member that owes a share keeps its vote; with unanimity in practice it could vote the
    reconciliation down for ever. Round 15 (m15) replaced deemed approval: the finance team
    that checks the figures certifies and issues the reconciliation, a balance falls due on its
    issue, the Board only receives it, and the leaver's settlement cites that rule."""
    seen = 0
    for name, loaded in agreements():
        document = built(loaded, "collaboration_agreement")
        assert "finance.certified" in document.targets, name
        finance = words(clause_text(document, "finance"))
        assert "depends on a vote or an approval of the Board" in finance, name
        assert "treated as approved" not in finance, name
        assert "pays when due the amount it does not dispute" in finance, name
        number = document.targets["finance.certified"].number
        exit_ = words(clause_text(document, "exit-consequences"))
        assert "reconciliation is approved" not in exit_, name
        # round 22: the leaver's share is settled after the year-end reconciliation
        if "Leaving Member's" in exit_ and "after that year-end reconciliation is issued" in exit_:
            assert f"after that year-end reconciliation is issued under clause {number}, with no vote " \
                   "of the Board" in exit_, name
            seen += 1
    assert seen >= 2


# ------------------------------------------------------------------ 10 own expulsion carved out


def test_10_a_members_own_expulsion_never_goes_to_its_own_board() -> None:
    """The conflicted-member rules send an item about one Member to its own board, and a
    conflicted Reserved Matter to every board, that Member's included; neither may reach a
    decision about that Member's own expulsion or breach, which the voting clause decides."""
    seen = 0
    for name, loaded in agreements():
        document = built(loaded, "collaboration_agreement")
        if "conflicts-of-interest" not in {c.id for c in document.clauses}:
            continue
        text = words(clause_text(document, "conflicts-of-interest"))
        if "voting.own-expulsion" not in document.targets:
            continue  # consensus or unanimity: the voting clause has no own-expulsion rule
        own = document.targets["voting.own-expulsion"].number
        if "that Voting Member's included" in text:
            assert "under clause" in text and "(other than a decision about its own expulsion " \
                   "or breach)" in text, name
            seen += 1
        if "that Member is bound only by its own decision" in text:
            assert "a decision about that Member's own expulsion or breach, to which clause " \
                   f"{own} applies" in text, name
    assert seen >= 2


# ------------------------------------------------------------------ 11 surplus and recovery are not allocation


def test_11_the_board_never_allocates_a_surplus_or_a_recovery_between_providers() -> None:
    """Where the Lead Provider commissions, spending a reinvested Surplus on a Member's services,
    and any change a recovery plan makes to what a Member is allocated, are Allocation Decisions
    of the Lead Provider: the Board (where the interested Members do not withdraw) approves only
    the priorities, in the agreement and in the committee terms alike."""
    separated = others = 0
    for name, loaded in agreements():
        document = built(loaded, "collaboration_agreement")
        ids = {c.id for c in document.clauses}
        if "risk-gain-share" not in ids:
            continue
        shares = words(clause_text(document, "risk-gain-share"))
        board = words(clause_text(document, "governance-board"))
        reinvests = loaded.answers.finance.surplus in ("reinvest", "split")
        if "commissioning-separation" in ids:
            separation = document.targets["commissioning-separation"].number
            assert "a recovery plan" not in shares or \
                "any change to the budget, activity or patients allocated to a Member that it calls for " \
                f"is an Allocation Decision that the Lead Provider takes under clause {separation}" in shares, name
            assert "how any surplus kept for reinvestment is spent" not in board, name
            if reinvests:
                assert "spending a reinvested Surplus on the services of a Member is an Allocation " \
                       f"Decision that the Lead Provider takes under clause {separation}" in shares, name
                if "these decisions" in board:  # an advisory board lists no decisions
                    assert "the priorities in which any surplus kept for reinvestment is spent" in board, name
                terms = [built(loaded, "committee_terms")] if planned(loaded, "committee_terms") else []
                for tor in terms:
                    assert "how any surplus kept for reinvestment is spent" not in words(
                        clause_text(tor, "governance-board")), name
                separated += 1
        else:
            assert "Allocation Decision" not in shares, name
            if reinvests and "kept for reinvestment" in board:
                assert "how any surplus kept for reinvestment is spent" in board, name
                others += 1
    assert separated >= 1 and others >= 1, (separated, others)


# ------------------------------------------------------------------ 12 the terms cite the rule that makes them part


def test_12_the_terms_cite_the_agreements_sub_clause_that_makes_them_part_of_it() -> None:
    """"These terms of reference ... form part of the arrangements it sets up, as clause N of the
    Agreement provides" points at the sub-clause that says so, not at the one naming the document."""
    seen = 0
    for name, loaded in agreements():
        if not planned(loaded, "committee_terms"):
            continue
        agreement = built(loaded, "collaboration_agreement")
        if "governance-board.terms-status" not in agreement.targets:
            continue
        status = agreement.targets["governance-board.terms-status"].number
        assert "form part of the arrangements it sets up" in words(clause_text(agreement, "governance-board"))
        terms = words(clause_text(built(loaded, "committee_terms"), "tor-constitution"))
        assert f"form part of the arrangements it sets up, as clause {status} of the Agreement provides" \
            in terms, name
        seen += 1
    assert seen >= 2


# ------------------------------------------------------------------ 13 written decisions keep the conflict rules


def test_13_a_decision_without_a_meeting_keeps_the_conflict_and_separation_rules() -> None:
    """A written decision is made under the conflicts clause as a meeting is (an interested Voting
    Member takes no part), and the Board's advice on an Allocation Decision is never given in
    writing, so the withdrawals and the independent chair of the separation clause always apply;
    in the agreement and in the committee terms alike."""
    conflicts = separated = 0
    for name, loaded in agreements():
        kinds = ["collaboration_agreement"] + (["committee_terms"] if planned(loaded, "committee_terms") else [])
        for kind in kinds:
            document = built(loaded, kind)
            ids = {c.id: c.number for c in document.clauses}
            if "voting" not in ids:
                continue
            voting = words(clause_text(document, "voting"))
            if "A decision may be made without a meeting" not in voting:
                continue
            if "conflicts-of-interest" in ids:
                assert f"Clause {ids['conflicts-of-interest']} applies to a decision made without a meeting as " \
                       "it applies at a meeting" in voting, (name, kind)
                conflicts += 1
            if "commissioning-separation" in ids:
                assert "The Board's advice on an Allocation Decision is never given without a meeting: it is " \
                       "given only at a meeting, with the withdrawals and the independent chair that clause " \
                       f"{ids['commissioning-separation']} requires" in voting, (name, kind)
                separated += 1
            else:
                assert "Allocation Decision is never given without a meeting" not in voting, (name, kind)
    assert conflicts >= 4 and separated >= 2, (conflicts, separated)


# ------------------------------------------------------------------ 14 allocation advice has a long-stop


def test_14_an_absent_independent_chair_never_holds_an_allocation_decision_up_for_ever() -> None:
    """The Board's advice must come before an Allocation Decision that sets a Partner's budget,
    and only an independent person may chair it: so a long-stop lets the Lead Provider decide
    without the advice after 28 days, recording why, and the checklist lists the 28 days."""
    seen = 0
    for name, loaded in agreements():
        document = built(loaded, "collaboration_agreement")
        if "commissioning-separation.independent-chair" not in document.targets:
            continue
        text = words(clause_text(document, "commissioning-separation"))
        advice = document.targets["commissioning-separation.advice"].number
        records = document.targets["commissioning-separation.records"].number
        assert "within 28 days after it was first put to the Board, the Lead Provider may take the Allocation " \
               f"Decision without the Board's advice, whatever clause {advice} says; it records why in the " \
               f"record under clause {records} and tells the Members" in text, name
        assert "28 days after an allocation item is first put to the board" in document.clauses[0].note, name
        seen += 1
    assert seen >= 2
