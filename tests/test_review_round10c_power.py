"""Round-10c findings on who holds power over a decision, as rules over many answer sets.

A dissenting Member's route relieves only that Member; expulsion for insolvency or lost
registration is counted in members, never letting one member expel another; the Deadlock
definition points to the clause that says when one arises; a non-party only nominates a Chair;
and a joint committee's constitution cites section 65Z5 for every relevant body. Each test drafts
the bundled examples, the scenario sets, sets changed to reach the case and generated
collaboratives (as `drafting lint` does).
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


def words(document: Document, clause_id: str) -> str:
    return " ".join(clause_text(document, clause_id).split())


def number_of(document: Document, clause_id: str) -> str | None:
    return next((str(n) for n, c in enumerate(document.clauses, start=1) if c.id == clause_id),
                None)


MAJORITY = ("simple_majority", "special_majority", "weighted")


# --------------------------------------------------------------------------- 1 dissent


def dissent_sets() -> list[tuple[str, LoadedAnswers]]:
    """Partnership boards deciding by a majority, with their committee terms where drafted."""
    sets = sets_of("collaboration_agreement", 60)
    sets += [("dominant-simple-majority", changed(DOMINANT, governance={
                 "voting": "simple_majority", "weight_basis": None})),
             ("mou-then-weighted", changed(MOU_THEN, governance={
                 "voting": "weighted", "weight_basis": "contract_value"}))]
    return [(n, la) for n, la in sets
            if la.answers.governance.vehicle == "partnership_board"
            and la.answers.governance.voting in MAJORITY]


class TestItem1TheDissentRouteRelievesOnlyTheDissenter:
    # round 13 (D1, D2): test_declining_binds_the_others_and_is_no_deadlock pinned the board-refusal opt-out or the insolvency
    # expulsion exception, both removed on purpose; tests/test_review_round13_voting.py
    # asserts the new rule.
    pass

# --------------------------------------------------------------------------- 2 expulsion


FACT_GROUNDS = {"insolvency", "loss_of_registration"}


def expulsion_sets() -> list[tuple[str, LoadedAnswers]]:
    """Agreements where an expulsion for insolvency or lost registration is an exception to
    the rule of every Voting Member (a Reserved Matter, or decided by the members' boards)."""
    sets = sets_of("collaboration_agreement", 80)
    sets += [("shared-both-grounds", changed(SHARED, membership={
                 "expulsion_grounds": ["material_breach", "insolvency", "loss_of_registration"]}))]
    out = []
    for name, loaded in sets:
        g, m = loaded.answers.governance, loaded.answers.membership
        by_boards = g.vehicle == "committees_in_common"
        if FACT_GROUNDS & set(m.expulsion_grounds or ()) and (
                "expel_member" in (g.reserved_matters or ()) or by_boards):
            out.append((name, loaded))
    return out


class TestItem2ExpulsionOnFactIsCountedInMembers:
    # round 13 (D1, D2): test_never_one_member_and_stated_wherever_the_rule_is pinned the board-refusal opt-out or the insolvency
    # expulsion exception, both removed on purpose; tests/test_review_round13_voting.py
    # asserts the new rule.
    pass

# --------------------------------------------------------------------------- 3 Deadlock


def deadlock_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 40) + sets_of("committee_terms", 20)
    sets += [("dominant-simple-majority", changed(DOMINANT, governance={
                 "voting": "simple_majority", "weight_basis": None}))]
    return sets


class TestItem3TheDeadlockDefinitionPointsToTheClause:
    @pytest.mark.parametrize("name,loaded", deadlock_sets(), ids=ids_of)
    def test_the_definition_has_no_second_test(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in ("collaboration_agreement", "committee_terms"):
            if kind not in loaded.answers.documents:
                continue
            document = built(loaded, kind)
            number = number_of(document, "deadlock")
            if number is None:
                continue
            text = flat(document)
            at = text.find("“Deadlock” means ")
            assert at >= 0, (name, kind)
            meaning = text[at:at + 200]
            assert "equally divided" not in meaning and "consecutive" not in meaning, meaning
            assert re.match(rf"“Deadlock” means a (proposal|matter) of the Board in the "
                            rf"circumstances set out in clause {number}\.1, and in no others",
                            meaning), meaning


# --------------------------------------------------------------------------- 4 Chair fallback


def independent_chair_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 60)
    sets += [("dominant-independent-chair", changed(DOMINANT, governance={
                 "chair": "independent"})),
             ("mou-then-independent-chair", changed(MOU_THEN, governance={
                 "chair": "independent"}))]
    return [(n, la) for n, la in sets if la.answers.governance.chair == "independent"
            and la.answers.governance.vehicle != "advisory_group"]


class TestItem4ANonPartyOnlyNominatesTheChair:
    @pytest.mark.parametrize("name,loaded", independent_chair_sets(), ids=ids_of)
    def test_the_voting_members_appoint_the_nominee(self, name: str,
                                                     loaded: LoadedAnswers) -> None:
        kinds = [k for k in ("collaboration_agreement", "committee_terms")
                 if k in loaded.answers.documents]
        for kind in kinds:
            text = words(built(loaded, kind), "governance-board")
            assert "the person it nominates" not in text and "is the Chair for the same " \
                "term" not in text, (name, kind)
            # round 13: the appointment of the nominee is its own sub-clause citing the
            # vacancy sub-clause, and numbers are figures ("28 days", D5).
            document = built(loaded, kind)
            vacancy = document.targets["governance-board.chair-vacancy"].number
            assert ("The Voting Members appoint the person nominated under clause "
                    f"{vacancy} as Chair for the same "
                    "term, by a decision of more than half of them in number"
                    + (" (each counting once, whatever its voting weight)"
                       if loaded.answers.governance.voting == "weighted" else "")
                    + ", unless within 28 "
                    "days after the nomination they agree unanimously to appoint another "
                    "candidate who meets that test") in text, (name, kind)
            assert "The nominating body never appoints the Chair" in text, (name, kind)
        checklist = " ".join((built(loaded, kinds[0]).clauses[0].note or "").split())
        assert "whom the voting members appoint by more than half of them unless within " \
            "28 days they agree unanimously on another" in checklist, name  # round 13 (D5)


# --------------------------------------------------------------------------- 5 constitution


def joint_sets() -> list[tuple[str, LoadedAnswers]]:
    """Joint committees' terms of reference, with and without a council taking part."""
    return [(n, la) for n, la in sets_of("committee_terms", 80)
            if la.answers.governance.vehicle == "joint_committee"]


class TestItem5AJointCommitteeCitesSection65Z5ForEveryBody:
    @pytest.mark.parametrize("name,loaded", joint_sets(), ids=ids_of)
    def test_the_power_is_section_65z5_and_the_functions_are_exercised_jointly(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = words(built(loaded, "committee_terms"), "tor-constitution")
        assert "paragraph 15(3)" not in text, name
        assert "delegat" not in text.replace("scheme of delegation", ""), name
        assert ", as a relevant body, to arrange for its functions to be exercised jointly " \
            "through the joint committee is section 65Z5 of that Act and those Regulations" \
            in text, name
        assert "only and not the source of the power" in text, name
        councils = [m.name for m in loaded.answers.members
                    if m.member_class == "voting" and m.kind == "local_authority"]
        for council in councils:
            assert "part in the joint committee under section 65Z5(1)(b) of that Act" in text
            assert "not arranged for its own functions to be exercised jointly" in text \
                or "not arranged for their own functions to be exercised jointly" in text
        if councils:
            assert "The Member Board of each Voting Member that is a relevant body has " \
                "resolved" in text, name
