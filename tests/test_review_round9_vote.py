"""The partner's round-8 findings on voting, deadlock and the statement of power, as rules
over many answer sets.

Each test drafts the bundled examples, the scenario answer sets, answer sets changed to reach
the case in question and generated collaboratives, and reads the text of the clauses, the
definitions and the schedules, so a rule holds for every collaborative and not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, JOINT, NORTH_EAST, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


def board_kinds(loaded: LoadedAnswers) -> list[str]:
    return ["collaboration_agreement"] + (
        ["committee_terms"] if "committee_terms" in loaded.answers.documents else [])


def one_line(text: str) -> str:
    return " ".join(text.split())


def definition(document: Document, term: str) -> str:
    """The words of a term's definition, as the definitions clause prints it."""
    text = flat(document)
    found = re.search("\u201c" + re.escape(term) + "\u201d means (.*?)(?=\u201c|$)", text)
    return found.group(1) if found else ""


def blocks_alone(loaded: LoadedAnswers) -> bool:
    """Any one voting member can defeat a proposal: consensus, unanimity, or a majority that
    needs every vote."""
    g = loaded.answers.governance
    return g.voting in ("consensus", "unanimity") or bool(
        loaded.answers.voting_power()["each_blocks"])


# --------------------------------------------------------------------------- 1 deadlock


def deadlock_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 30)
    sets += [("joint-consensus", changed(JOINT, governance={"voting": "consensus",
                                                             "special_majority_percent": None,
                                                             "deadlock": "refer_to_boards"})),
             ("shared-unanimity-disputes", changed(SHARED, governance={
                 "voting": "unanimity", "deadlock": "dispute_procedure"})),
             ("dominant-majority", changed(DOMINANT, governance={
                 "voting": "simple_majority", "weight_basis": None, "weights": None,
                 "deadlock": "refer_to_boards"}))]
    return [(n, la) for n, la in sets if la.answers.governance.vehicle != "advisory_group"]


class TestItem1ADeadlockCanArise:
    @pytest.mark.parametrize("name,loaded", deadlock_sets(), ids=ids_of)
    def test_where_one_member_blocks_a_supported_proposal_not_carried_twice_is_a_deadlock(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            text = one_line(clause_text(document, "deadlock"))
            meaning = definition(document, "Deadlock")
            assert meaning, (name, kind)
            # never defined by pointing at itself
            assert not meaning.startswith("a deadlock arising"), (name, kind, meaning)
            if blocks_alone(loaded):
                assert "supported by at least one Voting Member but not carried at two " \
                       "consecutive quorate meetings" in meaning, (name, kind, meaning)
                assert "at least one Voting Member" in text, (name, kind, text)
                assert "are equal" not in text.split(". ")[0], (name, kind, text)
            else:
                assert "equally divided" in meaning, (name, kind, meaning)

    @pytest.mark.parametrize("name,loaded", deadlock_sets(), ids=ids_of)
    def test_an_inquorate_meeting_defers_and_never_deadlocks(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in board_kinds(loaded):
            text = one_line(clause_text(built(loaded, kind), "deadlock"))
            assert "meetings called to consider a proposal are not quorate" not in text, (name, kind)
            assert "never makes an item a Deadlock" in text, (name, kind, text)

    @pytest.mark.parametrize("name,loaded", deadlock_sets(), ids=ids_of)
    def test_the_steps_are_listed_and_the_boards_have_a_full_cycle(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            clause = next(c for c in document.clauses if c.id == "deadlock")
            text = one_line(clause_text(document, "deadlock"))
            assert "taken through the following steps, in this order" in text, (name, kind, text)
            assert "three months after it arose" not in text, (name, kind)
            assert "Member Board approves the same proposal within two months after that " \
                   "referral" in text, (name, kind, text)
            assert clause.blocks, (name, kind)
            checklist = one_line(document.clauses[0].note or "")
            assert "two months for the members' boards to consider a deadlock" in checklist, (
                name, kind)

    def test_every_rule_is_covered(self) -> None:
        sets = deadlock_sets()
        assert {blocks_alone(la) for _, la in sets} == {True, False}
        assert {la.answers.governance.deadlock for _, la in sets} >= {
            "refer_to_boards", "dispute_procedure", "chair_casting_vote",
            "lead_provider_casting_vote"}
