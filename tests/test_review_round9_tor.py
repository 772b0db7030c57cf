"""The partner's round-8 findings on the terms of reference, as rules over many answer sets.

Each test drafts the terms of reference of the scenario answer sets, the bundled examples,
answer sets changed to reach the case in question and generated collaboratives, and reads the
text of the clauses and the checklist, so a rule holds for every collaborative and not one
document.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, JOINT, MOU_THEN, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


def terms_sets() -> list[tuple[str, LoadedAnswers]]:
    """Every answer set that drafts terms of reference, and some changed to reach more cases."""
    sets = sets_of("committee_terms", 25)
    sets += [("dominant-no-managing-director", changed(DOMINANT, governance={
                 "managing_director": "none"})),
             ("dominant-clinical-group", changed(DOMINANT, clinical={
                 "accountability": "joint_clinical_group"})),
             ("shared-partnership-board", changed(SHARED, governance={
                 "vehicle": "partnership_board", "committee_members": None,
                 "non_executive_member": None})),
             ("joint-each-provider", changed(JOINT, clinical={"accountability": "each_provider"})),
             ("mou-then-committees", changed(MOU_THEN, governance={
                 "vehicle": "committees_in_common", "delegations_approved": True}))]
    return [(n, la) for n, la in sets if "committee_terms" in la.answers.documents]


@lru_cache(maxsize=None)
def _drafted(name: str) -> tuple[Document, Document | None]:
    loaded = dict(terms_sets())[name]
    agreement = (built(loaded, "collaboration_agreement")
                 if "collaboration_agreement" in loaded.answers.documents else None)
    return built(loaded, "committee_terms"), agreement


def drafted(name: str) -> Document:
    return _drafted(name)[0]


def agreement_number(name: str, clause_id: str) -> str:
    agreement = _drafted(name)[1]
    assert agreement is not None
    return str(next(n for n, c in enumerate(agreement.clauses, start=1) if c.id == clause_id))


def words(document: Document, clause_id: str) -> str:
    return " ".join(clause_text(document, clause_id).split())


SETS = terms_sets()
WITH_AGREEMENT = [(n, la) for n, la in SETS if "collaboration_agreement" in la.answers.documents]
COMMITTEES_IN_COMMON = [(n, la) for n, la in SETS
                        if la.answers.governance.vehicle == "committees_in_common"]
PARTNERSHIP = [(n, la) for n, la in SETS if la.answers.governance.vehicle == "partnership_board"]


# --------------------------------------------------------------------------- 1 precedence cited


class TestItem1TheTermsCiteThePrecedenceTheyDoNotRestateIt:
    @pytest.mark.parametrize("name,loaded", WITH_AGREEMENT, ids=ids_of)
    def test_the_agreements_order_of_precedence_applies_by_clause_number(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = words(drafted(name), "tor-constitution")
        number = agreement_number(name, "interpretation")
        # round 11b: the sub-clause number of the agreement's precedence rule
        assert re.search(rf"The Agreement's order of precedence \(clause {number}\.\d+ of the "
                         r"Agreement\) applies; these terms of reference rank as stated there\.",
                         text), (name, text)
        # the order itself is the agreement's alone: a copy would drift when it changes
        for restated in ("ranks its parts", "financial framework", "its other schedules",
                         "banking covenants", "entire agreement"):
            assert restated not in text, (name, restated)

    def test_the_rule_is_checked_over_enough_sets(self) -> None:
        assert len(WITH_AGREEMENT) >= 10
        assert {la.answers.governance.vehicle for _, la in WITH_AGREEMENT} >= {
            "committees_in_common", "joint_committee", "partnership_board"}


# --------------------------------------------------------------------------- 2 no standstill


class TestItem2NoStandstillOfTheTermsOwn:
    @pytest.mark.parametrize("name,loaded", COMMITTEES_IN_COMMON, ids=ids_of)
    def test_the_constitution_points_to_the_voting_and_deadlock_clauses(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = drafted(name)
        text = words(document, "tor-constitution")
        assert "acts on the matter until" not in text, (name, text)
        numbers = {c.id: n for n, c in enumerate(document.clauses, start=1)}
        assert (f"Where they do not all agree, clause {numbers['voting']} decides whether the "
                f"proposal is adopted, and clause {numbers['deadlock']} decides what follows"
                ) in text, (name, text)

    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_only_the_deadlock_clause_holds_the_status_quo_with_its_exception(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = drafted(name)
        for clause in document.clauses:
            if clause.id == "deadlock":
                continue
            text = words(document, clause.id)
            assert not re.search(r"no Member (acts|may act) on (the|that) (matter|proposal)",
                                 text), (name, clause.id, text)
        deadlock = words(document, "deadlock")
        if "no Member acts on the proposal" in deadlock:
            assert "protect patients from harm or to meet its statutory duties" in deadlock, name

    def test_committees_in_common_are_covered(self) -> None:
        assert len(COMMITTEES_IN_COMMON) >= 3


# --------------------------------------------------------------------------- 3 standing attendees


class TestItem3StandingAttendeesAndOnePeriodForPapersAndMinutes:
    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_each_standing_attendee_the_answers_create_is_listed_without_a_vote(
            self, name: str, loaded: LoadedAnswers) -> None:
        answers = loaded.answers
        document = drafted(name)
        text = words(document, "tor-membership-meetings")
        attendance = next(s for s in re.split(r"(?<=\.) ", text)
                          if "without a vote, and do" in s)
        assert "member of the secretariat of the Board, who takes the minutes" in attendance
        # round 11b: the agreement's defined names, whose definitions carry the clause numbers
        assert ("the Managing Director" in attendance) == (
            answers.governance.managing_director != "none"), (name, attendance)
        assert ("whom the Clinical Reference Group nominates" in attendance) == (
            answers.clinical.accountability == "joint_clinical_group"), (name, attendance)
        observers = any(m.member_class == "observer" for m in answers.members)
        # round 14: an Observer is admitted in one category only, by the Board clause's
        # classes of attendance, and is not listed again among those in attendance
        assert "a person attending for each Observer" not in attendance, (name, attendance)
        if observers:
            board = words(document, "governance-board")
            assert "A person attending for an Observer may attend and speak" in board, name
        if "collaboration_agreement" in answers.documents and "Managing Director" in attendance:
            definitions = words(document, "definitions")
            assert f"appointed under clause {agreement_number(name, 'staffing')}." in definitions

    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_papers_and_minutes_periods_are_stated_once(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = flat(drafted(name))
        # round 13: periods are figures ("7 days", "14 days"); the terms cite the board
        # clause's meetings sub-clause for papers, so the period is still stated once
        assert len(re.findall(r"(seven|7) days before (each|every|the) meeting|papers for every "
                              r"meeting are sent", text)) == 1, name
        assert len(re.findall(r"minutes (are circulated )?(to every Member )?within "
                              r"(fourteen|14) days", text)) == 1, name
        assert "Papers are circulated as clause " in words(drafted(name), "tor-membership-meetings") \
            or "papers for every meeting are sent at least 7 days before" in text, name

    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_the_yearly_attendance_report_is_the_secretariats_not_a_presiding_chairs(
            self, name: str, loaded: LoadedAnswers) -> None:
        # with co-chairs "the Chair" is whoever presides at one meeting: a task between
        # meetings goes to the secretariat
        text = words(drafted(name), "tor-membership-meetings")
        assert "The secretariat of the Board reports each Representative's attendance to each " \
               "Member Board once in each Contract Year." in text, name
        assert "Chair reports attendance" not in text, name

    def test_every_kind_of_attendee_is_reached(self) -> None:
        answers = [la.answers for _, la in SETS]
        assert {a.governance.managing_director == "none" for a in answers} == {True, False}
        assert {a.clinical.accountability == "joint_clinical_group" for a in answers} == {
            True, False}


# --------------------------------------------------------------------------- 4 authority


class TestItem4EachRepresentativesAuthorityInAPartnershipBoard:
    @pytest.mark.parametrize("name,loaded", PARTNERSHIP, ids=ids_of)
    def test_the_text_states_the_authority_the_limit_and_how_the_member_is_bound(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = drafted(name)
        text = words(document, "tor-constitution")
        assert ("Each Representative acts for its Member within the authority that Member's "
                "own scheme of delegation gives it") in text, (name, text)
        assert "A Member is bound by a decision of the Board through that authority" in text
        board = next(n for n, c in enumerate(document.clauses, start=1)
                     if c.id == "governance-board")
        if loaded.answers.governance.delegated_matters:
            assert f"never beyond the financial limit in clause {board}." in text, (name, text)

    def test_partnership_boards_are_covered(self) -> None:
        assert len(PARTNERSHIP) >= 3


# --------------------------------------------------------------------------- 5 definitions first


class TestItem5DefinitionsFirstAndTheBoardByItsName:
    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_clause_one_opens_with_the_definitions_and_never_says_the_partnership_board(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = drafted(name)
        numbers = {c.id: n for n, c in enumerate(document.clauses, start=1)}
        text = words(document, "tor-constitution")
        assert text.startswith("Capitalised terms in these terms of reference have the meanings "
                               f"given in clause {numbers['definitions']}."), (name, text[:200])
        assert "The partnership board" not in text and "the partnership board" not in text


# --------------------------------------------------------------------------- 6 clinical group


class TestItem6AClinicalGroupRecommendsTheBoardAdoptsEachProviderImplements:
    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_the_three_verbs(self, name: str, loaded: LoadedAnswers) -> None:
        text = words(drafted(name), "tor-membership-meetings")
        # round 11b: the Clinical Reference Group by its defined name where the agreement has one
        group = ("The Clinical Reference Group" if loaded.answers.clinical.accountability
                 == "joint_clinical_group" else "A clinical group")
        # round 19: where the lead keeps the clinical governance framework it takes them in
        assert (f"{group} recommends shared clinical pathways, protocols and quality "
                "standards; the Board adopts them" in text) or (
            loaded.answers.lead is not None and f"{group} recommends shared clinical pathways, "
            "protocols and quality standards; the Lead Provider takes them into the framework "
            "for clinical governance" in text), (name, text)
        assert "implements them under its own clinical governance" in text, name
        assert "clinical group agrees" not in text


# --------------------------------------------------------------------------- 7 defaults


class TestItem7TheTermsDefaultsAreOnTheChecklist:
    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_attendance_papers_and_minutes(self, name: str, loaded: LoadedAnswers) -> None:
        document = drafted(name)
        checklist = " ".join((document.clauses[0].note or "").split())
        defaults = checklist.split("Defaults this draft uses", 1)[-1]
        number = next(n for n, c in enumerate(document.clauses, start=1)
                      if c.id == "tor-membership-meetings")
        assert (f"clause {number}: each Representative, or their deputy, attending at least "
                "three quarters of the meetings") in defaults, (name, defaults[:600])
        # round 13: periods in figures
        assert (f"clause {number}: papers circulated at least 7 days before each meeting, "
                "and minutes within 14 days after it") in defaults, name


# --------------------------------------------------------------------------- joint committee


JOINT_COMMITTEES = [(n, la) for n, la in SETS if la.answers.governance.vehicle == "joint_committee"]


class TestTheJointCommitteeTermsFollowSection65Z5:
    """The terms' half of the rule that the agreement's board clause follows: the Member Boards
    arrange for functions to be exercised jointly, from one trigger, in a committee described
    by what section 65Z5 allows."""

    @pytest.mark.parametrize("name,loaded", JOINT_COMMITTEES, ids=ids_of)
    def test_joint_exercise_from_the_operative_date(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = drafted(name)
        text = words(document, "tor-constitution")
        councils = [m for m in loaded.answers.members
                    if m.member_class == "voting" and m.kind == "local_authority"]
        described = "a joint committee of the relevant bodies" + (
            " and a local authority" if councils else "") + " under section 65Z5"
        assert described in text, (name, text[:500])
        assert "to be exercised jointly through the joint committee" in text, name
        assert "to exercise jointly through" not in text, name
        if "collaboration_agreement" in loaded.answers.documents:
            number = agreement_number(name, "conditions-precedent")
            # round 11 (C2.2): the one start date is the defined Operative Date, which the
            # terms' definitions tie to the agreement's conditions precedent clause
            assert "The joint exercise starts on the Operative Date." in text, (name, text)
            definitions = words(document, "definitions")
            assert ("“Operative Date” means the date on which the provisions of the Agreement "
                    "that do not take effect on signing take effect under clause "
                    f"{number} ") in definitions, (name, definitions)
            assert "the condition on it" not in text, name

    def test_a_local_authority_is_reached(self) -> None:
        assert any(m.kind == "local_authority" for _, la in JOINT_COMMITTEES
                   for m in la.answers.members)
