"""Round-12 findings on the Board, voting, expulsion and membership, as rules over answer sets.

Each test drafts the scenario sets, sets changed to reach the case and generated collaboratives.
The ids are the review's (C2.3: report C, document 2, finding 3).
"""

from __future__ import annotations

import re

import pytest

from drafting.build.pack import plan
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


def words(text: str) -> str:
    return " ".join(text.split())


def planned(loaded: LoadedAnswers, *kinds: str) -> list[str]:
    made = {p.kind for p in plan(loaded.answers)}
    return [kind for kind in kinds if kind in made]


def company_present(loaded: LoadedAnswers) -> bool:
    return any(m.member_class != "observer" and m.kind in ("independent_sector", "vcse")
               for m in loaded.answers.members)


# ------------------------------------------------------------------ 3 (C2.3, D2.8) expulsion


def attendance_sets() -> list[tuple[str, LoadedAnswers]]:
    grounds = ["material_breach", "repeated_non_attendance", "insolvency"]
    sets = [("shared", changed(SHARED)),
            ("joint-attendance", changed(JOINT, membership={"expulsion_grounds": grounds})),
            ("mou-then-attendance", changed(MOU_THEN, membership={"expulsion_grounds": grounds})),
            ("dominant-attendance", changed(DOMINANT, membership={
                "expulsion_grounds": ["repeated_non_attendance"]}))]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets
            if "repeated_non_attendance" in la.answers.membership.expulsion_grounds]


def unanswered_control_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("joint", changed(JOINT)), ("dominant", changed(DOMINANT)),
            ("shared", changed(SHARED)), ("mou-then", changed(MOU_THEN))]
    sets += [("dominant-notify", changed(DOMINANT, membership={"change_of_control": "notify"}))]
    return sets


class TestItem3Expulsion:
    def test_the_case_is_reached(self) -> None:
        assert len(attendance_sets()) >= 4

    @pytest.mark.parametrize("name,loaded", attendance_sets(), ids=ids_of)
    def test_each_attendance_limb_has_its_verb(self, name: str, loaded: LoadedAnswers) -> None:
        text = words(clause_text(built(loaded, "collaboration_agreement"), "expulsion"))
        # round 19: with committees in common the test is whether the Member's committee is
        # present, as the quorum tests presence
        if loaded.answers.governance.vehicle == "committees_in_common":
            assert "its committee is not present (as clause" in text, name
            assert "or its committee is present at fewer than half of the meetings" in text, name
        else:
            assert "it is not represented at three consecutive meetings of the Board" in text, name
            assert "or it is represented at fewer than half of the meetings" in text, name
        assert ", or at fewer than half" not in text, name

    @pytest.mark.parametrize("name,loaded", unanswered_control_sets(), ids=ids_of)
    def test_a_defaulted_change_of_control_is_on_the_checklist(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        checklist = words(document.clauses[0].note or "")
        drafted = "Change of Control" in flat(document)
        given = "change_of_control" in loaded.answers.membership.model_fields_set
        listed = "no change of control answer was given" in checklist
        assert listed == (drafted and company_present(loaded) and not given), name


# ------------------------------------------------------------------ 2 (D2.3) council vote


def council_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("joint", changed(JOINT)),
            ("joint-majority", changed(JOINT, governance={
                "voting": "simple_majority", "special_majority_percent": None})),
            ("joint-consensus", changed(JOINT, governance={
                "voting": "consensus", "special_majority_percent": None,
                "deadlock": "refer_to_boards"}))]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets
            if la.answers.governance.vehicle == "joint_committee"
            and any(m.kind == "local_authority" and m.member_class == "voting"
                    for m in la.answers.members)]


class TestItem2TheCouncilVoteIsAnOptionInTheNote:
    def test_the_case_is_reached(self) -> None:
        assert len(council_sets()) >= 3

    @pytest.mark.parametrize("name,loaded", council_sets(), ids=ids_of)
    def test_no_operative_bracket(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in planned(loaded, "collaboration_agreement", "committee_terms"):
            document = built(loaded, kind)
            text = words(flat(document))
            assert "only on a decision that binds it or commits its money" not in text, (name, kind)
            assert "speaks but is not entitled to vote" not in text, (name, kind)
            note = " ".join(words(c.note or "") for c in document.clauses if c.id == "voting")
            # round 12: the committee terms have no Board terms schedule; their note names
            # the agreement's statement of who can carry or block a decision instead.
            where = ("the Board terms schedule" if kind == "collaboration_agreement"
                     else "the agreement's statement (who can carry or block a decision)")
            assert "Option:" in note and where in note, (name, kind, note)
            assert "quorum rule" in note, (name, kind)
        checklist = words(built(loaded, "collaboration_agreement").clauses[0].note or "")
        assert "votes only on a decision that binds it" not in checklist, name


# ------------------------------------------------------------------ 4 (EF2.3) reserved exception


def fact_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("joint", changed(JOINT)), ("mou-then", changed(MOU_THEN)),
            ("dominant-reserved", changed(DOMINANT, governance={
                "reserved_matters": ["expel_member", "amend_agreement"]}))]
    sets += sets_of("committee_terms", 40)
    return [(n, la) for n, la in sets
            if "expel_member" in la.answers.reserved_matters
            and {"insolvency", "loss_of_registration"} & set(la.answers.membership.expulsion_grounds)
            and la.answers.governance.vehicle != "advisory_group"]


class TestItem4TheReservedRuleCarriesItsException:
    def test_the_case_is_reached(self) -> None:
        assert len([n for n, la in fact_sets() if planned(la, "committee_terms")]) >= 2

    @pytest.mark.parametrize("name,loaded", fact_sets(), ids=ids_of)
    def test_the_exception_is_cited(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in planned(loaded, "collaboration_agreement", "committee_terms"):
            text = words(clause_text(built(loaded, kind), "voting"))
            # round 13 (D2): there is no exception any more; every ground of an expulsion
            # that is a Reserved Matter follows the reserved-matter rule.
            assert "Despite this, an expulsion on the ground of" not in text, (name, kind)


# ------------------------------------------------------------------ 5 (EF2.4) one class


def one_class(loaded: LoadedAnswers) -> bool:
    answers = loaded.answers
    return (all(m.member_class == "voting" for m in answers.members)
            and answers.governance.vehicle not in ("joint_committee", "committees_in_common"))


def one_class_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("mou-then", changed(MOU_THEN)),
            ("mou-then-reserved", changed(MOU_THEN, governance={
                "reserved_matters": ["admit_member", "expel_member"]}))]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets if one_class(la)]


class TestItem5OneClassOfMember:
    def test_the_case_is_reached(self) -> None:
        assert len(one_class_sets()) >= 3

    @pytest.mark.parametrize("name,loaded", one_class_sets(), ids=ids_of)
    def test_no_class_column_or_class_change(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in planned(loaded, "collaboration_agreement", "committee_terms"):
            text = words(flat(built(loaded, kind)))
            assert "| Class |" not in text, (name, kind)
            assert "changing the class of a Member" not in text, (name, kind)

    def test_a_second_class_keeps_them(self) -> None:
        text = words(flat(built(changed(SHARED), "collaboration_agreement")))
        assert "| Class |" in text


# ------------------------------------------------------------------ 1 (C2.5, D2.4) Board powers

BOARD_DECIDES = re.compile(
    r"\bthe Board\b (?:(?:then|first|also|may|must|has|itself) )?"
    r"(approves|settles|agrees|decides|approved|agreed)\b")


def power_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(p.stem, changed(p)) for p in (JOINT, SHARED, DOMINANT, MOU_THEN)]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")
            and la.answers.governance.vehicle != "advisory_group"]


class TestItem1EveryBoardDecisionIsListed:
    def test_the_case_is_reached(self) -> None:
        assert len(power_sets()) >= 10

    @pytest.mark.parametrize("name,loaded", power_sets(), ids=ids_of)
    def test_each_clause_giving_a_decision_is_cited(self, name: str, loaded: LoadedAnswers
                                                    ) -> None:
        document = built(loaded, "collaboration_agreement")
        board = words(clause_text(document, "governance-board"))
        listed = re.search(r"also give the Board these decisions:(.*?\(clause \d+\))\.", board)
        cited = set(re.findall(r"\(clause (\d+)\)", listed.group(1))) if listed else set()
        numbers = {c.id: str(c.number) for c in document.clauses}
        for clause in document.clauses:
            if clause.id in ("governance-board", "definitions"):
                continue
            for sentence in re.split(r"(?<=[.;])\s", words(clause_text(document, clause.id))):
                # a decision on a delegated matter is the delegated list's, not this one's
                if BOARD_DECIDES.search(sentence) and "delegated to it" not in sentence:
                    assert numbers[clause.id] in cited, (name, clause.id, sentence)
        definitions = words(clause_text(document, "definitions")) if "definitions" in numbers \
            else ""
        if "in the form the Board approves" in definitions and "joining" in numbers:
            assert numbers["joining"] in cited, name


# ------------------------------------------------------------------ 7 (C2.9) joint posts, chair


def joint_post_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED))] + sets_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")
            and la.answers.joint_posts() and la.answers.governance.vehicle != "advisory_group"]


def rotating_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED))] + sets_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")
            and la.answers.governance.chair == "rotating"
            and la.answers.governance.vehicle in ("committees_in_common", "joint_committee")]


class TestItem7JointPostsAndTheRotatingChair:
    def test_the_case_is_reached(self) -> None:
        assert joint_post_sets() and rotating_sets()

    @pytest.mark.parametrize("name,loaded", joint_post_sets(), ids=ids_of)
    def test_a_joint_post_sits_for_one_member(self, name: str, loaded: LoadedAnswers) -> None:
        text = words(clause_text(built(loaded, "collaboration_agreement"), "governance-board"))
        assert text.count("of only one of them at a time") == len(loaded.answers.joint_posts())

    @pytest.mark.parametrize("name,loaded", rotating_sets(), ids=ids_of)
    def test_the_member_names_its_chair(self, name: str, loaded: LoadedAnswers) -> None:
        text = words(clause_text(built(loaded, "collaboration_agreement"), "governance-board"))
        assert "For its turn, the Voting Member names which of its Representatives takes the " \
               "chair" in text, name


# ------------------------------------------------------------------ 6 (C2.4) observers


def observer_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED))] + sets_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")
            and any(m.member_class == "observer" for m in la.answers.members)]


class TestItem6ObserverProvisions:
    def test_the_case_is_reached(self) -> None:
        assert len(observer_sets()) >= 2

    @pytest.mark.parametrize("name,loaded", observer_sets(), ids=ids_of)
    def test_every_clause_naming_an_observer_is_listed(self, name: str, loaded: LoadedAnswers
                                                       ) -> None:
        document = built(loaded, "collaboration_agreement")
        status = words(clause_text(document, "status"))
        # round 13: the list is generated in clause-number order and says so
        listed = re.search(r"The only provisions of this Agreement that bind an Observer or give "
                           r"it rights are, in the order in which they appear, (.*?)\. Every "
                           r"other provision", status)
        assert listed, name
        cited = set(re.findall(r"clause (\d+)", listed.group(1)))
        # a clause that binds an Observer by its own words ("Each Observer agrees") is listed
        for clause in document.clauses:
            if clause.id in ("definitions", "status"):
                continue
            if re.search(r"\b(Each|every|an) Observer (agrees|must|shall)\b",
                         words(clause_text(document, clause.id))):
                assert str(clause.number) in cited, (name, clause.id)
        # round 12 (12b): joins by a joining letter countersigned for every Member, as the MOU
        assert "giving the Members one month's written notice" in status, name
        # round 13 (D3): admitted and removed by the Board; a Letter of Adherence
        assert "remains bound by clause" in status and "leaves or is removed" in status, name
        assert "The Board may admit another body as an Observer" in status
