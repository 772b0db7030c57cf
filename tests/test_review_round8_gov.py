"""The partner's round-8 findings on the lead's veto, the board schedule, conflicts and the
statement of power, as rules over many answer sets.

Each test drafts the bundled examples, the scenario answer sets, answer sets changed to reach
the case in question and generated collaboratives, and reads the text of the clauses and the
schedules, so a rule holds for every collaborative and not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from drafting.read.load import load_answers
from tests.test_partner_review import DOMINANT, JOINT, NORTH_EAST, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import caster_holds_majority, ids_of, sets_of


def board_kinds(loaded: LoadedAnswers) -> list[str]:
    return ["collaboration_agreement"] + (
        ["committee_terms"] if "committee_terms" in loaded.answers.documents else [])


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;])\s+", text)


# --------------------------------------------------------------------------- 1 veto carve-outs


def veto_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 40)
    sets += [("dominant-general-veto", changed(DOMINANT, governance={
                 "lead_provider_veto": "general"})),
             ("dominant-compliance-veto", changed(DOMINANT, governance={
                 "lead_provider_veto": "head_contract_compliance"})),
             ("dominant-veto-to-boards", changed(DOMINANT, governance={
                 "lead_provider_veto": "head_contract_compliance",
                 "deadlock": "refer_to_boards"}))]
    return [(n, la) for n, la in sets if la.answers.governance.model == "lead_provider"
            and la.answers.governance.lead_provider_veto != "none"]


class TestItem1TheVetoHasTheCastingVotesLimits:
    @pytest.mark.parametrize("name,loaded", veto_sets(), ids=ids_of)
    def test_never_on_the_leads_own_breach_performance_expulsion_or_a_reserved_matter(
            self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            veto = " ".join(clause_text(document, "lead-provider-veto").split())
            if not veto:
                continue
            limit = next((s for s in sentences(veto) if s.startswith("The veto never applies")),
                         "")
            assert limit, (name, kind, veto)
            for words in ("own performance", "breach", "expulsion", "conflict of interest"):
                assert words in limit, (name, kind, words, limit)
            assert ("Reserved Matters" in limit) == bool(
                loaded.answers.reserved_matters and g.vehicle != "advisory_group"), (name, kind, limit)
            if g.deadlock == "lead_provider_casting_vote" and g.voting in (
                    "simple_majority", "weighted"):
                # the casting vote carries the same limits, in its own clause, so that the veto
                # clause does not change when another deadlock rule is chosen
                casting = " ".join(clause_text(document, "deadlock").split())
                assert "own performance, breach or expulsion" in casting or (
                    loaded.answers.voting_power()["casting_inoperative"]
                    and "has no casting vote while" in casting), (name, kind, casting)
            # the statement of power never offers the veto where the lead may not vote
            power = " ".join(clause_text(document, "voting").split())
            assert "abstains or is not entitled to vote" not in power, (name, kind)
            if "veto under clause" in power:
                assert "veto never applies to a decision about its own performance, breach " \
                       "or expulsion" in power, (name, kind, power)

    def test_both_veto_kinds_are_covered(self) -> None:
        assert {la.answers.governance.lead_provider_veto for _, la in veto_sets()} >= {
            "general", "head_contract_compliance"}


# --------------------------------------------------------------------------- 4 power at any attendance


def dominant_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 40)
    sets += [("dominant-independent-chair", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "independent"})),
             ("dominant-to-boards", changed(DOMINANT, governance={"deadlock": "refer_to_boards"}))]
    return [(n, la) for n, la in sets if la.answers.governance.voting == "weighted"
            and la.answers.governance.vehicle != "advisory_group"
            and dominant_of(la) is not None]


def dominant_of(loaded: LoadedAnswers) -> str | None:
    """Worked out from the answers: the voting member with more than half of the weight."""
    weights = loaded.answers.effective_weights()
    total = sum(weights.values())
    return next((k for k, v in weights.items() if total and 100 * v / total > 50), None)


class TestItem4PowerHoldsForAnyAttendance:
    @pytest.mark.parametrize("name,loaded", dominant_sets(), ids=ids_of)
    def test_whenever_it_is_present_whether_it_votes_against_or_abstains(
            self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        a = loaded.answers
        caster = a.lead.id if a.lead is not None and (
            g.deadlock == "lead_provider_casting_vote" or (
                g.deadlock == "chair_casting_vote" and g.chair == "lead_provider")) else None
        other_caster = (g.deadlock == "chair_casting_vote" or (
            g.deadlock == "lead_provider_casting_vote" and a.lead is not None)) \
            and caster != dominant_of(loaded)
        for kind in board_kinds(loaded):
            power = " ".join(clause_text(built(loaded, kind), "voting").split())
            assert "When every [[Voting Member]] is present it can" not in power
            assert "When every Voting Member is present it can" not in power, (name, kind)
            # round 9: the statement is a rule for any member holding more than half of the
            # weight, "when present and not conflicted"
            said = next((s for s in sentences(power) if "when present and not conflicted" in s),
                        "")
            if kind == "committee_terms":  # round 10b: one sentence citing the agreement
                assert "Who can carry or block a decision alone is stated in clause" in power
                continue
            assert "block any decision" in said and "by voting against it" in said, (name, kind)
            if (other_caster or caster) and kind == "collaboration_agreement" and not \
                    loaded.answers.voting_power()["casting_inoperative"]:
                assert "by abstaining unless the casting vote" in said, (name, kind, said)
            else:
                assert "voting against it or by abstaining" in said, (name, kind, said)

    def test_both_casting_cases_are_covered(self) -> None:
        assert len({la.answers.governance.deadlock for _, la in dominant_sets()}) >= 2


# --------------------------------------------------------------------------- 3 whole-member recusal


def conflict_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 30)
    sets += [("joint-committee-in-common", changed(JOINT, governance={
                 "vehicle": "committees_in_common"})),
             ("shared-joint-committee", changed(SHARED, governance={"vehicle": "joint_committee"}))]
    return sets


class TestItem3AWholeMemberStepsAsideOnlyOnItsOwnMatters:
    @pytest.mark.parametrize("name,loaded", conflict_sets(), ids=ids_of)
    def test_shared_allocations_are_declared_and_voted_not_recused(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in board_kinds(loaded):
            text = " ".join(clause_text(built(loaded, kind), "conflicts-of-interest").split())
            said = sentences(text)
            alone = next((s for s in said if "as an organisation" in s and "only on an item "
                          "about it alone" in s), "")
            assert alone, (name, kind)
            for words in ("own performance", "breach", "expulsion", "for it alone"):
                assert words in alone, (name, kind, words, alone)
            if "Allocation Decision" in text and "commissioning" in text.lower() \
                    and "is never the Board's decision" in text:
                # the lead commissions: an allocation is the lead's Allocation Decision, never a
                # Board decision taken with every member voting (round 8, A1.1)
                shared = next((s for s in said if "applying to several" in s), "")
                assert "among several" not in text, (name, kind)
                assert "declares its interest" in shared, (name, kind, shared)
                assert "every Voting Member is entitled to take part" in shared, (name, kind, shared)
            else:
                shared = next((s for s in said if "among several" in s), "")
                assert "declares its interest" in shared and "every [[Voting Member]]" not in shared
                assert "every Voting Member entitled to take part" in shared, (name, kind, shared)
            assert "withdrawing" in shared, (name, kind, shared)
            # every rule that removes a whole Member points to the "about it alone" test
            for s in said:
                if "itself has a conflict of interest" in s:
                    assert "as an organisation under clause" in s, (name, kind, s)

    @pytest.mark.parametrize("path", [DOMINANT, NORTH_EAST], ids=lambda p: p.stem)
    def test_where_the_lead_commissions_an_allocation_is_never_a_board_decision(self, path) -> None:
        loaded = load_answers(path)
        assert loaded.answers.commissioning.lead_commissions
        for kind in ("collaboration_agreement", "committee_terms"):
            text = " ".join(clause_text(built(loaded, kind), "conflicts-of-interest").split())
            assert "among several Members" not in text, (path.stem, kind)
            assert "An Allocation Decision is never the Board's decision: it is the Lead " \
                   "Provider's alone" in text, (path.stem, kind)

    def test_committees_in_common_and_joint_committees_are_covered(self) -> None:
        assert {la.answers.governance.vehicle for _, la in conflict_sets()} >= {
            "committees_in_common", "joint_committee"}


# --------------------------------------------------------------------------- 2 the deadlock row


def deadlock_row(document: Document) -> str:
    """The Arrangement cell of the board schedule's Deadlock row."""
    text = flat(document)
    at = text.find(" Deadlock | ")
    assert at >= 0
    row = text[at + len(" Deadlock | "):]
    return row[:row.find(" | ")] if " | " in row else row


def deadlock_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 30)
    sets += [("dominant-chair-is-lead", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "lead_provider"})),
             ("dominant-independent-chair", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "independent"})),
             ("dominant-dispute-procedure", changed(DOMINANT, governance={
                 "deadlock": "dispute_procedure"}))]
    return [(n, la) for n, la in sets if la.answers.governance.vehicle != "advisory_group"]


class TestItem2TheDeadlockRowDescribesTheRouteInForce:
    @pytest.mark.parametrize("name,loaded", deadlock_sets(), ids=ids_of)
    def test_route_with_its_final_step_and_a_dormant_casting_vote_only_conditional(
            self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        row = deadlock_row(built(loaded, "collaboration_agreement"))
        assert "Member Boards" in row and "the proposal lapses" in row, (name, row)
        # round 9: the Member Boards get two months after the earlier steps
        assert "two months" in row, (name, row)
        if g.deadlock == "dispute_procedure":
            assert "dispute resolution procedure" in row, (name, row)
        else:
            assert "chief executives" in row, (name, row)
        if caster_holds_majority(loaded):
            # the dormant casting vote comes last, and only as a condition
            assert row.startswith(("Referred to", "Taken through", "A Deadlock")), (name, row)
            # round 10c: in the deadlock clause's one sentence
            assert "has no casting vote while" in row, (name, row)
        elif loaded.answers.context()["derived"]["voting_power"]["casting_idle"]:
            # round 24: a casting vote that can never change an outcome says so
            assert "cannot change the outcome of any vote" in row, (name, row)
        elif "casting vote" in row:
            assert "; otherwise " in row, (name, row)

    def test_dormant_live_and_no_casting_votes_are_covered(self) -> None:
        rows = [deadlock_row(built(la, "collaboration_agreement")) for _, la in deadlock_sets()]
        assert any("has no casting vote while" in r for r in rows)
        assert any("; otherwise " in r for r in rows)
        assert any("casting vote" not in r for r in rows)
