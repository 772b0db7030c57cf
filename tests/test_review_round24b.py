"""Round 24, second part: the partner reads of the lead-provider agreement, the MOU and the deed.

A decision above the Board's financial limit has a rule of its own, and the statement of voting
power says who can block it. Only past figures are historic, while NHS capacity data and plans are
still shared to plan the services. An MOU's observer sees the NHS data it needs. Every Member agrees
in the agreement to be bound to a body admitted later, so a Member excused from executing the
accession deed is bound all the same; and the deed's tables follow the agreement's rule for the year
in which a member joins, with the existing partners' fees kept as a percentage.
"""

from __future__ import annotations

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, MOU_ONLY
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import planned


def words(text: str) -> str:
    return " ".join(text.split())


def number(document: Document, target: str) -> str:
    return document.targets[target].number


def of(kind: str, limit: int = 30) -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of(kind, limit) if planned(la, kind)]


def each_blocks(voting: str) -> bool:
    """Every Voting Member can already block any decision alone: nothing more to say."""
    return "can block any decision on its own when" in voting \
        and "While any Voting Member holds" not in voting


def board_decides(loaded: LoadedAnswers) -> bool:
    """A Board of one body with delegated matters: a decision above its limit goes to the boards."""
    g = loaded.answers.governance
    return g.vehicle not in ("advisory_group", "committees_in_common", "joint_committee")


# ------------------------------------------------------------- a decision above the Board's limit


AGREEMENTS = of("collaboration_agreement")


class TestADecisionAboveTheLimitHasARule:
    """LP CA M: a decision above the limit was "referred to the Member Boards" with no rule for
    how it is then made, and the statement of power did not say who could block it."""

    def test_the_cases_are_reached(self) -> None:
        reached = [n for n, la in AGREEMENTS if board_decides(la)
                   and "governance-board.limit" in built(la, "collaboration_agreement").targets]
        assert len(reached) >= 5, reached

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_every_member_board_approves(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        if not board_decides(loaded) or "governance-board.limit" not in doc.targets:
            return
        text = words(clause_text(doc, "governance-board"))
        assert ("is made only when the Member Board of each Voting Member (or a person to whom it "
                "has delegated the matter) has approved it, unless another clause of this "
                "Agreement sets a different rule for it.") in text, name
        assert "a decision above it is referred to the Member Boards" not in text, name
        if "voting.power" in doc.targets or "voting" in {c.id for c in doc.clauses}:
            vote = words(clause_text(doc, "voting"))
            g = loaded.answers.governance
            if g.voting not in ("consensus", "unanimity") and not each_blocks(vote):
                assert (f"can also block a decision above the limit in clause "
                        f"{number(doc, 'governance-board.limit')}") in vote, name
                assert f"(clause {number(doc, 'governance-board.never-board')})" in vote, name

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in of("committee_terms")
                                             if board_decides(la)][:8], ids=ids_of)
    def test_the_terms_of_reference_say_it_too(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "committee_terms")
        if "governance-board.limit" not in doc.targets:
            return
        text = words(flat(doc))
        assert "has approved it, unless another clause of the Agreement sets a different rule" in text
        vote = words(clause_text(doc, "voting"))
        if loaded.answers.governance.voting not in ("consensus", "unanimity") \
                and not each_blocks(vote):
            assert "can block a decision above the limit in clause" in text, name


# --------------------------------------------------------------------------- historic figures


COMPETING = [(n, la) for n, la in of("collaboration_agreement", 40) + of("mou", 40)]


class TestOnlyPastFiguresAreHistoric:
    """MOU M: "at least 12 months old" let a two-year-old forward plan be shared; only figures
    for a past period are historic, while NHS capacity plans are still shared to plan."""

    @pytest.mark.parametrize("name,loaded", COMPETING, ids=ids_of)
    def test_no_plan_is_historic(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in ("collaboration_agreement", "mou"):
            if not planned(loaded, kind):
                continue
            doc = built(loaded, kind)
            text = words(clause_text(doc, "competition-information-barrier"))
            if not text:
                continue
            assert "at least 12 months old" not in text, (name, kind)
            assert "historic (at least 12 months old)" not in text, (name, kind)
            if "competition-information-barrier.nhs-no-exchange" in doc.targets:
                assert "or to past figures" not in text, (name, kind)
                assert ("A Member's figures for private patients, or for anyone other than NHS "
                        "commissioners, are never shared, whatever their age") in text
                assert ("waiting-list data for the NHS patients of the Services, and its plans for "
                        "that capacity") in text, (name, kind)
                assert ("Apart from those NHS data and capacity plans, a plan, forecast or "
                        "statement of a Member's intended prices, bids, margins or services is "
                        "never a past figure, however old it is.") in text, (name, kind)
            elif "competition-information-barrier.no-exchange" in doc.targets:
                assert "never a plan, forecast or intention, however old" in text, (name, kind)

    def test_both_variants_are_reached(self) -> None:
        seen = set()
        for _, loaded in COMPETING:
            for kind in ("collaboration_agreement", "mou"):
                if planned(loaded, kind):
                    targets = built(loaded, kind).targets
                    seen |= {t for t in ("competition-information-barrier.nhs-no-exchange",
                                         "competition-information-barrier.no-exchange")
                             if t in targets}
        assert len(seen) == 2, seen


# ------------------------------------------------------------------ an MOU observer and NHS data


class TestAnMouObserverSeesTheNhsData:
    """MOU M: the observer (the ICB) was kept out of every item carrying data shared under the
    competition clause, including the NHS activity and capacity data it needs to plan."""

    def test_the_mou_only_pack(self) -> None:
        loaded = changed(MOU_ONLY)
        doc = built(loaded, "mou")
        text = words(clause_text(doc, "mou-governance"))
        nhs = number(doc, "competition-information-barrier.nhs-no-exchange")
        assert ("any Member's Competitively Sensitive Information, except the activity, capacity and "
                "waiting-list data for the NHS patients of the Services, and the plans for that "
                f"capacity, that clause {nhs} allows the Members to share, which the Observer "
                "receives;") in text
        assert "a Member's costs, prices, income or margins, as it shares them under clause" in text
        assert "information a Member shares" not in text
        # the negotiating position is closed to the commissioner at the table automatically
        assert "Where the chair so decides" not in text
        assert text.endswith("a Member's commercial negotiating position with a commissioner.") \
            or "a Member's commercial negotiating position with a commissioner." in text
        competition = words(clause_text(doc, "competition-information-barrier"))
        assert ("which the Members share with one another and with the Observer only through their "
                "Representatives") in competition
        assert ("Those NHS data and capacity plans never include a Member's capacity or plans for "
                "private patients") in competition

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in of("mou", 60)
                                             if any(m.member_class == "observer"
                                                    for m in la.answers.members)], ids=ids_of)
    def test_every_mou_with_an_observer(self, name: str, loaded: LoadedAnswers) -> None:
        text = words(clause_text(built(loaded, "mou"), "mou-governance"))
        assert "information a Member shares" not in text, name
        assert "a Member's costs, prices, income or margins" in text, name


# ------------------------------------------------------- every Member is bound to a new Member


DEEDS = of("accession_deed", 30)


class TestAnExcusedMemberIsBound:
    """Deed M: a Member that has given notice to leave need not execute the deed, yet nothing
    made it a party with the New Member; the agreement now holds every Member's standing
    agreement, and the deed relies on it."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_agreement_holds_the_standing_agreement(self, name: str,
                                                        loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        if "joining.effect" not in doc.targets:
            return
        text = words(clause_text(doc, "joining"))
        assert ("Each Member agrees now, for itself and its successors, with each body admitted as "
                "a Member under this clause") in text, name
        assert (f"including one that clause {number(doc, 'joining.effect')} excuses from "
                "executing the Accession Deed") in text, name
        successor = "successor-lead-provider" in {c.id for c in doc.clauses}
        assert ("or as the successor to the Lead Provider under clause" in text) == successor, name

    @pytest.mark.parametrize("name,loaded", DEEDS, ids=ids_of)
    def test_the_deed_relies_on_it(self, name: str, loaded: LoadedAnswers) -> None:
        deed = words(flat(built(loaded, "accession_deed")))
        if not planned(loaded, "collaboration_agreement"):
            return
        agreement = built(loaded, "collaboration_agreement")
        if "joining.members-agree" not in agreement.targets:
            return
        assert ("and with any existing Member that the Agreement excuses from executing this deed "
                "by the agreement that Member gave in clause "
                f"{number(agreement, 'joining.members-agree')} of the Agreement") in deed, name
        assert ("by each of the existing Members [other than [●], which the Agreement excuses "
                "from executing it]") in deed, name


# --------------------------------------------------------------------- the deed's money tables


class TestTheDeedFollowsTheJoiningYearRule:
    """Deed M: the tables replaced every share "from the Accession Date", against the
    agreement's rule that the others keep their shares for the joining year; and the partners'
    fees were fixed in pounds, against the agreement's percentage."""

    @pytest.mark.parametrize("name,loaded", DEEDS, ids=ids_of)
    def test_the_tables(self, name: str, loaded: LoadedAnswers) -> None:
        deed = built(loaded, "accession_deed")
        text = words(flat(deed))
        agreement = built(loaded, "collaboration_agreement") \
            if planned(loaded, "collaboration_agreement") else None
        if agreement is not None and "joining.first-year" in agreement.targets:
            assert "Share of any Deficit from the Accession Date" not in text, name
            assert "Share of the Running Costs from the Accession Date" not in text, name
            first = number(agreement, "joining.first-year")
            for table in ("ad-accession.shares-after", "ad-accession.running-costs-after"):
                if table in deed.targets:
                    assert "from the next Contract Year" in text, (name, table)
                    assert (f"The New Member's share shown is its share for a full Contract "
                            f"Year, which clause {first} of the Agreement apportions") in text
        fee = loaded.answers.commissioning.management_fee
        if "ad-accession.fee-after" in deed.targets and fee.kind == "percent" and fee.value:
            assert "Unchanged: " in text, name
        assert "Where this deed and the Agreement differ, the Agreement governs" in text, name
        assert ("The figures that this deed records in its tables are the result of applying "
                "the Agreement at the Accession Date") in text, name

    def test_the_dominant_deed_for_a_successor(self) -> None:
        loaded = changed(DOMINANT)
        text = words(flat(built(loaded, "accession_deed")))
        assert "Share of any Deficit from the next Contract Year |" in text
        assert ("joins as the Successor Lead Provider that the Commissioner chose under clause 33 "
                "(Change of Lead Provider) of the Agreement, this clause applies to it instead of "
                "clauses 2.7 to 2.14:") in text
        assert "until the Handover Date it does not act as the Lead Provider, its annual value" in text
        assert ("Bradford District Care NHS Foundation Trust | Unchanged: 1.5% of the annual "
                "value of its sub-contract (£420,000 a year") in text
        assert "under the Head Contract, needs no sub-contract and pays no Management Fee" in text
        assert "[where it joins as the successor to the Lead Provider" not in text
        assert "[where it remains a Member after the hand-over]" not in text
        assert "[Ordinary admission only:] The New Member provides any of the Services only " \
               "under a sub-contract" in text
        assert "that clause 33.6 of the Agreement gives the Successor Lead Provider" in text
        # the third read: its value and the power after the hand-over are completed in the deed
        assert ("its annual value under the Agreement from the Handover Date, being the annual "
                "value of the Services it will then provide itself, at the price set under clause "
                "21.2 of the Agreement") in text
        assert "on the weights so recalculated, [(a) [●] holds more than half of the weight " \
            "from the Handover Date" in text
        assert "the casting vote under clause 12.3 of the Agreement [does not operate / can " \
            "operate]" in text
        assert ("the part of the Deficit of the Contract Year in which the Handover Date falls "
                "that clause 33.6 of the Agreement places on the Successor Lead Provider") in text


class TestTheAgreementNamesTheJoiningYearRule:
    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_finance(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = words(clause_text(doc, "finance"))
        if "joining.first-year" in doc.targets and "with effect from the date it joins" in text:
            assert ("except that for the Contract Year in which a Member joins its shares of that "
                    f"year's amounts are as clause {number(doc, 'joining.first-year')} provides") \
                in text, name


# ------------------------------------------------- the second reads: money, power, competition


NEMH = [n for n in sets_of("collaboration_agreement", 0) if n[0] == "north-east-mental-health"]


class TestACovenantMemberBearsItsOwnOverspend:
    """LP CA M (NEMH): with a Shared Control Total and balancing payments, a nil Loss Share
    brought a Covenant Member's own position back to nil, for or against the others. With a Lead
    Provider, the price paid to a Partner is the Lead Provider's expenditure and the result is
    settled between the Lead Provider and each Partner; without one, a Covenant Member bears its
    own overspend and never pays towards a Deficit."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_its_position(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = words(clause_text(doc, "banking-covenants"))
        risk = words(clause_text(doc, "risk-gain-share"))
        a = loaded.answers
        scoped = a.finance.model == "shared_control_total" and "risk-gain-share.no-fund" \
            in doc.targets
        lead = scoped and a.lead is not None
        assert ("whose own position is nil" in risk) == lead, name
        assert ("is settled only between the Lead Provider and each Partner" in risk) == lead
        if not a.covenant_members:
            return
        own = ("A nil Loss Share protects a Covenant Member from the overspending of others, not "
               "from its own") in text
        assert own == (scoped and not lead), name
        if own:
            assert ("it makes no balancing payment, and allows no deduction, towards any Deficit, "
                    "whatever its own position in that year") in text, name
        if lead:
            assert (f"A Covenant Member makes no payment under clause "
                    f"{number(doc, 'risk-gain-share')}, whatever arises in a Contract Year") \
                in text, name

    def test_the_example_is_reached(self) -> None:
        assert NEMH and NEMH[0][1].answers.finance.model == "shared_control_total"
        doc = built(NEMH[0][1], "collaboration_agreement")
        risk = words(clause_text(doc, "risk-gain-share"))
        assert ("The price payable to a Partner under its sub-contract is expenditure of the Lead "
                "Provider, and not of the Partner, whose own position is nil") in risk
        # the fourth read: the lead's own provision counts at its part, not its actual cost
        assert ("The Lead Provider's own provision of the Services counts as expenditure at the "
                "part of the Shared Control Total that the Annual Budget sets for it") in risk
        assert ("A Surplus or a Deficit arises only from the Lead Provider's commissioning "
                "expenditure: payments under the sub-contracts above or below plan, and purchases "
                "from providers that are not Members.") in risk
        # the fifth read: each part is the lead's allocation, never approved with the budget
        assert ("the Annual Budget records each part for information only, and approving the "
                "Annual Budget does not approve it") in risk
        defined = words(flat(doc))
        assert ("“Gain Share” means the percentage of the distributed part of any Surplus due to "
                "a Member") in defined
        assert "a Member keeps part as its distribution and holds the rest" not in defined
        # the sixth read: the Running Costs are outside the control total, counted once
        assert ("“Deficit” means the amount by which the Members' combined expenditure on the "
                "Services in a Contract Year (excluding the Running Costs)") in defined
        assert ("excluding the Running Costs (which are reconciled only as clause "
                f"{number(doc, 'finance')} provides and never create or reduce a Surplus or "
                "Deficit)") in risk
        assert ("each Partner pays the Lead Provider its share of a Deficit, up to its loss cap, "
                "and the Lead Provider pays each Partner its Gain Share of the distributed part of "
                "a Surplus") in risk
        assert "The part of a Surplus held for reinvestment is held by the Lead Provider" in risk
        assert "A Covenant Member makes no payment under clause" in words(flat(doc))
        competition = words(clause_text(doc, "competition-information-barrier"))
        assert ("to the Commissioning Hub, so far as this Agreement requires it for the budget, "
                "the payments and the reconciliation of the Services") in competition


class TestACastingVoteThatCannotOperateSaysSo:
    """LP CA M (NEMH): with three Voting Members any two carry a proposal, so a casting vote
    that needs two supporters can never change an outcome; the deadlock clause and the board
    schedule say so instead of offering it as a way out of a deadlock."""

    def test_the_rule(self) -> None:
        loaded = NEMH[0][1]
        power = loaded.answers.context()["derived"]["voting_power"]
        assert power["casting_idle"] and not power["casting_inoperative"]
        four = changed(DOMINANT)
        assert not four.answers.context()["derived"]["voting_power"]["casting_idle"]

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_documents(self, name: str, loaded: LoadedAnswers) -> None:
        power = loaded.answers.context()["derived"]["voting_power"]
        doc = built(loaded, "collaboration_agreement")
        deadlock = words(clause_text(doc, "deadlock"))
        said = "so the casting vote cannot change the outcome of any vote" in deadlock
        assert said == bool(power["casting_idle"] and "has a casting vote" in deadlock), name
        text = words(flat(doc))
        if said and "Deadlock |" in text:
            assert "casting vote (clause" in text and "cannot change the outcome of any vote " \
                "while any two Voting Members that vote for a proposal carry it" in text, name
            assert " has a casting vote where" not in text, name


class TestTheCommissioningHubIsAClosedTeam:
    """LP CA M (NEMH): the hub's barrier ran only against the Provider Arm; it runs against
    every part of the Lead Provider that prices or bids, and hub staff who see a Partner's
    figures do not price or bid for 6 months."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_barrier(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = words(clause_text(doc, "commissioning-separation"))
        if "keeps an information barrier, by physical, electronic and procedural means" \
                not in text:
            return
        assert ("and any other part of the Lead Provider that sets prices, prepares bids or sets "
                "commercial strategy for services in which it competes with a Member") in text
        assert ("while in the Commissioning Hub or for 6 months after leaving it, in setting the "
                "Lead Provider's prices") in text, name


class TestThePrinciplesYieldToCompetitionLaw:
    """MOU M: "no surprises" and "harm another Member" read as a duty to tell competitors of
    bids; the Principles are read subject to the competition clause."""

    @pytest.mark.parametrize("name,loaded", COMPETING, ids=ids_of)
    def test_principles(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in ("collaboration_agreement", "mou"):
            if not planned(loaded, kind):
                continue
            doc = built(loaded, kind)
            text = words(clause_text(doc, "principles"))
            if not text:
                continue
            assert "harm another Member in the work of the Collaborative" in text, (name, kind)
            has = "competition-information-barrier" in {c.id for c in doc.clauses}
            said = "Nothing in these Principles requires or permits a Member to disclose" in text
            assert said == has, (name, kind)
            if has:
                cited = doc.targets["competition-information-barrier"].number
                assert f"against clause {cited}; the Principles are read subject to that clause" \
                    in text, (name, kind)


class TestTheDeedRecordsTheJoinersFigures:
    """Deed M: a joining Covenant Member's cap and floor had no valid place in the agreement;
    the agreement now reads its schedules as including the figures the deed records."""

    @pytest.mark.parametrize("name,loaded", DEEDS, ids=ids_of)
    def test_the_agreement_and_the_deed(self, name: str, loaded: LoadedAnswers) -> None:
        if not planned(loaded, "collaboration_agreement"):
            return
        agreement = built(loaded, "collaboration_agreement")
        joining = words(clause_text(agreement, "joining"))
        assert ("The Accession Deed records the figures of the new Member that this Agreement "
                "needs") in joining, name
        assert ("the schedules of this Agreement are read as including those figures, without "
                "a variation") in joining, name
        deed = words(flat(built(loaded, "accession_deed")))
        if "ad-accession.inputs" in built(loaded, "accession_deed").targets:
            figures = number(agreement, "joining.deed-figures")
            assert ("are entered in the schedules of the Agreement as clause "
                    f"{figures} of the Agreement provides") in deed, name
            assert "as agreed on its admission" in deed or "Covenant Member" not in deed \
                or "covenant cap" not in deed, name


class TestTheSurplusExampleSaysItsBasis:
    def test_nemh(self) -> None:
        text = words(flat(built(NEMH[0][1], "collaboration_agreement")))
        assert ("is distributed in the Gain Shares as shown above, rounded to two decimal places, "
                "each amount rounded to the nearest pound so that the amounts add up to £300,000; "
                "the amounts may differ slightly from those worked out on the exact Gain Shares")\
            in text
