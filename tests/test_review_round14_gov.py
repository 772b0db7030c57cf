"""Round 14 (gov): the statement of voting power, the casting vote under weights, one schedule of
weights and power, the committee terms saying what the agreement says, observers and part years.

Each test asserts one reader's rule over several answer sets, on the built documents.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, schedule_row

WEIGHTED = {"voting": "weighted", "weight_basis": "contract_value",
            "special_majority_percent": None}


def words(text: str) -> str:
    return " ".join(text.split())


def number(document: Document, target: str) -> str:
    return document.targets[target].number


def board_sets() -> list[tuple[str, LoadedAnswers]]:
    return [
        ("dominant", changed(DOMINANT, governance={})),
        ("dominant-independent-chair-casting", changed(DOMINANT, governance={
            "deadlock": "chair_casting_vote", "chair": "independent"})),
        ("dominant-refer", changed(DOMINANT, governance={"deadlock": "refer_to_boards"})),
        ("mou-then", changed(MOU_THEN, governance={})),
        ("mou-then-weighted", changed(MOU_THEN, governance=WEIGHTED)),
        ("shared-weighted-partnership", changed(SHARED, governance={
            **WEIGHTED, "vehicle": "partnership_board", "committee_members": None,
            "non_executive_member": None, "chair_rotation_months": None,
            "deadlock": "chair_casting_vote", "chair": "independent"})),
    ]


def weighted_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in board_sets() if la.answers.governance.voting == "weighted"]


def kinds(loaded: LoadedAnswers) -> list[str]:
    return ["collaboration_agreement"] + (
        ["committee_terms"] if "committee_terms" in loaded.answers.documents else [])


# ------------------------------------------------ 1 who carries a decision at a second meeting


@pytest.mark.parametrize("name,loaded", board_sets(), ids=ids_of)
def test_1_two_present_at_a_second_adjourned_meeting_need_both(name: str,
                                                              loaded: LoadedAnswers) -> None:
    for kind in kinds(loaded):
        document = built(loaded, kind)
        text = words(clause_text(document, "voting"))
        voters = sum(m.member_class == "voting" for m in loaded.answers.members)
        if voters > 3:
            cited = number(document, "governance-board.second-adjourned")
            where = f"a second adjourned meeting quorate under clause {cited}"
        elif loaded.answers.governance.quorum == "majority":  # round 18: no second adjournment
            where = f"a meeting quorate under clause {number(document, 'governance-board.quorum')}"
        else:
            where = ("an adjourned meeting quorate under clause "
                     f"{number(document, 'governance-board.inquorate')}")
        assert ("Where only two Voting Members are present and entitled to vote, as at "
                f"{where}, a decision needs the votes of both of them.") in text, (name, kind)


@pytest.mark.parametrize("name,loaded", board_sets(), ids=ids_of)
def test_1_an_equal_split_becomes_a_deadlock_only_as_the_deadlock_clause_says(
        name: str, loaded: LoadedAnswers) -> None:
    for kind in kinds(loaded):
        text = words(clause_text(built(loaded, kind), "voting"))
        assert not re.search(r"becomes a Deadlock under clause", text), (name, kind)
        deadlock = words(clause_text(built(loaded, kind), "deadlock"))
        # every route ends in a final step
        assert "and that is the final outcome" in deadlock, (name, kind)


@pytest.mark.parametrize("name,loaded", weighted_sets(), ids=ids_of)
def test_1_the_agreement_cites_the_quorum_rules_for_blocking_when_present(
        name: str, loaded: LoadedAnswers) -> None:
    document = built(loaded, "collaboration_agreement")
    text = words(clause_text(document, "voting"))
    first = number(document, "governance-board.quorum")
    last = number(document, "governance-board.second-adjourned")
    conflicts = number(document, "conflicts-of-interest.quorum")
    assert (f"on its own when present and not conflicted (clauses {first} to {last} and "
            f"{conflicts})") in text, name
    voters = sum(m.member_class == "voting" for m in loaded.answers.members)
    if loaded.answers.governance.quorum != "majority" and voters > 3:
        assert f"as clauses {number(document, 'governance-board.inquorate')} and {last} " \
               "provide" in text, name
    elif loaded.answers.governance.quorum != "majority":  # round 18: no second adjournment
        assert f"as clause {number(document, 'governance-board.inquorate')} provides" in text


# ------------------------------------------------ 2 weights and power live in one schedule


@pytest.mark.parametrize("name,loaded", weighted_sets(), ids=ids_of)
def test_2_one_schedule_holds_the_weights_and_the_names(name: str,
                                                       loaded: LoadedAnswers) -> None:
    names = [m.name for m in loaded.answers.members]
    agreement = built(loaded, "collaboration_agreement")
    schedule = number(agreement, "sched:financial-framework")
    voting = words(clause_text(agreement, "voting"))
    assert (f"{schedule} shows the weights and names any Voting Member that holds more than "
            "half of them") in voting, name
    assert number(agreement, "sched:board-terms") + " names any" not in voting, name
    for kind in kinds(loaded):
        document = built(loaded, kind)
        for clause_id in ("voting", "deadlock"):
            text = words(clause_text(document, clause_id))
            for sentence in re.split(r"(?<=\.) ", text):
                if "weight" in sentence:
                    for member in names:
                        assert member not in sentence, (name, kind, clause_id, member)
        if kind == "committee_terms":
            text = words(clause_text(document, "voting"))
            assert not re.search(r"\d+(\.\d+)?%", text), (name, text)
            assert "(Financial framework) of the Agreement, as the Agreement is varied" in text
    row = schedule_row(agreement, "Power to carry or block alone", width=800)
    assert f"are shown in {schedule}, which names any such Voting Member" in row, (name, row)
    for member in names:
        assert member not in row, (name, member)


# ------------------------------------------------ 3 the casting vote decides the same split


def casting_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in weighted_sets()
            if la.answers.governance.deadlock.endswith("casting_vote")]


def test_3_the_cases_are_reached() -> None:
    assert len(casting_sets()) >= 2
    assert any(la.answers.voting_power()["casting_inoperative"] for _, la in casting_sets())
    assert any(not la.answers.voting_power()["casting_inoperative"] for _, la in casting_sets())


SPLIT = ("divided so that neither side holds more than half of the weight of the Voting "
         "Members present and entitled to vote (as where they are equal in weight)")


@pytest.mark.parametrize("name,loaded", casting_sets(), ids=ids_of)
def test_3_casting_vote_and_deadlock_use_one_split(name: str, loaded: LoadedAnswers) -> None:
    operative = not loaded.answers.voting_power()["casting_inoperative"]
    for kind in kinds(loaded):
        document = built(loaded, kind)
        deadlock = words(clause_text(document, "deadlock"))
        arises, _, rest = deadlock.partition("Before treating a matter as a Deadlock")
        assert SPLIT in arises, (name, kind)
        assert f"If the votes for and against a proposal are {SPLIT}" in rest, (name, kind)
        assert "at least two Voting Members have voted for it" in rest, (name, kind)
        if kind == "collaboration_agreement" and operative:
            voting = words(clause_text(document, "voting"))
            assert "Where neither side holds more than half of the weight present, the casting " \
                   "vote under clause" in voting, name


# ------------------------------------------------ 4, 5 the terms say what the agreement says


def terms_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in board_sets() + [("shared", changed(SHARED, governance={}))]
            if "committee_terms" in la.answers.documents]


def minutes_of(document: Document) -> str:
    text = words(clause_text(document, "governance-board"))
    at = text.find("The secretariat of the Board keeps minutes")
    assert at >= 0
    return text[at:]


@pytest.mark.parametrize("name,loaded", terms_sets(), ids=ids_of)
def test_4_the_terms_carry_the_agreements_minutes_rule_word_for_word(
        name: str, loaded: LoadedAnswers) -> None:
    terms = built(loaded, "committee_terms")
    agreement = built(loaded, "collaboration_agreement")
    assert minutes_of(terms) == minutes_of(agreement), name
    assert "is recorded in the minutes." not in words(clause_text(terms, "voting")), name
    meetings = words(clause_text(terms, "tor-membership-meetings"))
    assert (f"Papers and minutes are circulated as clauses "
            f"{number(terms, 'governance-board.frequency')} and "
            f"{number(terms, 'governance-board.minutes')} provide.") in meetings, name


@pytest.mark.parametrize("name,loaded", terms_sets(), ids=ids_of)
def test_5_an_observer_attends_in_one_category_and_part_years_are_clear(
        name: str, loaded: LoadedAnswers) -> None:
    terms = built(loaded, "committee_terms")
    meetings = words(clause_text(terms, "tor-membership-meetings"))
    assert "Observer" not in meetings, name
    if any(m.member_class == "observer" for m in loaded.answers.members):
        assert "A person attending for an Observer may attend and speak" in words(
            clause_text(terms, "governance-board")), name
    assert ("where they hold office for only part of a Contract Year (a short first or last "
            "Contract Year included), of the meetings held while they do") in meetings, name
    for kind in kinds(loaded):
        board = words(clause_text(built(loaded, kind), "governance-board"))
        if "No single decision on those matters" in board:
            assert re.search(r"The limit is the same in a part year: clause [\d.]+ (of the "
                             r"Agreement )?never reduces a limit for each decision\.", board), \
                (name, kind)
            assert "applies to this limit in a part year" not in board, (name, kind)


def test_5_an_observer_set_is_reached() -> None:
    assert any(any(m.member_class == "observer" for m in la.answers.members)
               for _, la in terms_sets())
