"""Round-13 findings on the Board, its committee terms and Schedules 1 and 3, as rules over answer sets.

Each test drafts the examples, the scenario sets, sets changed to reach the case and generated
collaboratives. The ids are the review's (C2: report2-C finding 2; F6: report2-F finding 6) and
the round's decisions (D1-D4).
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Table, plain
from drafting.read.load import LoadedAnswers
from tests.review_sets import JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import planned, words
from tests.test_review_round12c_board import board_kinds, majority_sets, opt_out_sets


def board_sets() -> list[tuple[str, LoadedAnswers, str]]:
    """The lint-like sample: every set that drafts the Board clause, with the document kind."""
    sets = []
    for kind in ("collaboration_agreement", "committee_terms"):
        sets += [(n, la, kind) for n, la in sets_of(kind, 40)
                 if la.answers.governance.vehicle != "advisory_group"]
    return sets


def paragraphs(document, clause_id: str) -> list[str]:
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    return [plain(b.inlines, document.targets, schedules)
            for c in document.clauses if c.id == clause_id
            for b in c.blocks if hasattr(b, "inlines")]


# ------------------------------------------------------------------ 1 (C2, C5, D3) who decides


def committee_budget_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED)), ("joint-md", changed(JOINT, governance={
        "managing_director": "seconded"}))]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets
            if la.answers.governance.vehicle in ("committees_in_common", "joint_committee")
            and "The other clauses of this Agreement also give the Board these decisions"
            in words(clause_text(built(la, "collaboration_agreement"), "governance-board"))]


class TestItem1EveryBoardDecisionHasAuthority:
    def test_the_case_is_reached(self) -> None:
        assert len(committee_budget_sets()) >= 3

    @pytest.mark.parametrize("name,loaded", committee_budget_sets(), ids=ids_of)
    def test_budget_and_managing_director_are_recommendations(self, name: str,
                                                              loaded: LoadedAnswers) -> None:
        board = words(clause_text(built(loaded, "collaboration_agreement"), "governance-board"))
        listed = board[board.find("also give the Board these decisions"):]
        assert not re.search(r"[:;] (and )?the Annual Budget", listed), name
        assert not re.search(r"[:;] (and )?the objectives of the Managing Director", listed), name
        if "Annual Budget" in listed:
            assert "a recommendation to the Member Boards on the Annual Budget" in listed, name
        assert "The Board's approval of an Annual Budget is tested" not in board, name

    def test_observer_admission_is_an_administrative_act(self) -> None:
        # round 15: admitting an Observer is an administrative act only, never also a
        # delegated matter; the Board still has authority for it, as an administrative act
        for kind in ("collaboration_agreement", "committee_terms"):
            board = words(clause_text(built(changed(SHARED), kind), "governance-board"))
            assert "admitting and removing an Observer under clause" not in board, kind
            assert "admitting or removing an Observer" in board, kind


# ------------------------------------------------------------------ 2 (C8) one idea a sub-clause


class TestItem2NoLongSubClause:
    def test_the_case_is_reached(self) -> None:
        assert {kind for _n, _la, kind in board_sets()} == {"collaboration_agreement",
                                                             "committee_terms"}

    @pytest.mark.parametrize("name,loaded,kind", board_sets(), ids=ids_of)
    def test_every_sub_clause_is_short(self, name: str, loaded: LoadedAnswers, kind: str) -> None:
        for text in paragraphs(built(loaded, kind), "governance-board"):
            assert len(text.split()) <= 120, (name, kind, text[:80])


# ------------------------------------------------------------------ 3 (F1, D1) opt-out off


class TestItem3BoardRefusalIsAnOption:
    def test_the_case_is_reached(self) -> None:
        assert len(opt_out_sets()) >= 4

    @pytest.mark.parametrize("name,loaded", opt_out_sets(), ids=ids_of)
    def test_not_drafted_but_offered(self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        board = words(clause_text(document, "governance-board"))
        assert "may decline to act" in board, name
        assert "has refused, at that meeting, to approve it" not in board, name
        note = words(next(c.note for c in document.clauses if c.id == "governance-board") or "")
        assert "Option, not drafted" in note and "refused to approve it" in note, name


# ------------------------------------------------------------------ 4 (F6) adjourned meetings


def adjourned_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = majority_sets() + [("mou-then", changed(MOU_THEN))]
    return [(n, la) for n, la in sets if la.answers.governance.vehicle != "advisory_group"]


class TestItem4BusinessIsNeverDeferredIndefinitely:
    def test_the_case_is_reached(self) -> None:
        sets = adjourned_sets()
        assert any(la.answers.governance.quorum == "majority" for _n, la in sets)
        assert any(la.answers.governance.quorum != "majority" for _n, la in sets)

    @pytest.mark.parametrize("name,loaded", adjourned_sets(), ids=ids_of)
    def test_second_adjourned_meeting(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in board_kinds(loaded):
            board = words(clause_text(built(loaded, kind), "governance-board"))
            assert "defers its business to the next ordinary meeting" not in board, (name, kind)
            voters = sum(m.member_class == "voting" for m in loaded.answers.members)
            if voters > 3:
                assert "That second adjourned meeting is quorate if" in board, (name, kind)
                assert "of any two Voting Members are present" in board, (name, kind)
                assert "No item is deferred beyond the second adjourned meeting" in board
            else:  # round 18: a second adjournment could not lower the quorum
                assert "is not adjourned again" in board, (name, kind)
                assert "No item is deferred beyond the adjourned meeting" in board, (name, kind)
            assert "to the Member Boards of the Voting Members" in board, (name, kind)


# ------------------------------------------------------------------ 5 (D4, F7, F8, D2) Schedule 3


def schedule_rows(document, schedule_id: str) -> dict[str, str]:
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    rows: dict[str, str] = {}
    for s in document.schedules:
        if s.id == schedule_id:
            for b in s.blocks:
                if isinstance(b, Table):
                    for row in b.rows:
                        cells = [plain(c, document.targets, schedules) for c in row]
                        rows[cells[0]] = " ".join(cells[1:])
    return rows


def terms_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la, kind in board_sets() if kind == "collaboration_agreement"
            and "board-terms" in {s.id for s in built(la, kind).schedules}]


class TestItem5ScheduleThreeFromTheClauses:
    def test_the_case_is_reached(self) -> None:
        assert len(terms_sets()) >= 6

    @pytest.mark.parametrize("name,loaded", terms_sets(), ids=ids_of)
    def test_rows(self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        rows = schedule_rows(document, "board-terms")
        g = loaded.answers.governance
        voters = sum(1 for m in loaded.answers.members if m.member_class == "voting")
        if g.quorum in ("majority", "majority_including_lead"):
            assert f"{voters // 2 + 1} of {voters} Voting Members" in rows["Quorum"], name
        elif g.quorum == "all_voting_members":
            assert f"All {voters} Voting Members" in rows["Quorum"], name
        if voters > 3:
            assert "second adjourned meeting" in rows["Quorum"], name
        else:  # round 18: no second adjournment with three Voting Members or fewer
            assert "no second adjournment" in rows["Quorum"], name
        assert "papers sent at least 7 days before each meeting" in rows["Meetings"], name
        assert "Insolvency Event" not in rows.get("Reserved Matters", ""), name
        if g.chair == "independent":
            assert "at any time during the term" in rows["Chair"], name
        if g.chair == "co_chairs":
            assert "the other co-chair presides" in rows["Chair"], name
        if g.voting == "special_majority":
            assert "present and entitled to vote" in rows["Decisions"], name


# ------------------------------------------------------------------ 6 (F3, D4) Schedule 1


def schedule_headers(document, schedule_id: str) -> list[str]:
    return [h for s in document.schedules if s.id == schedule_id
            for b in s.blocks if isinstance(b, Table) for h in b.header]


def agreement_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of("collaboration_agreement", 40)
            if planned(la, "collaboration_agreement")]


class TestItem6ScheduleOneHasWhatClausesSayItShows:
    def test_the_case_is_reached(self) -> None:
        sets = agreement_sets()
        texts = [flat(built(la, "collaboration_agreement")) for _n, la in sets]
        assert any("shown as such in Schedule 1" in t for t in texts)
        # round 13: "the person for notices shown for it in Schedule 1"
        assert any(re.search(r"for notices shown for it in Schedule 1", t) for t in texts)

    @pytest.mark.parametrize("name,loaded", agreement_sets(), ids=ids_of)
    def test_every_shown_phrase_has_a_column(self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        text = flat(document)
        headers = " | ".join(schedule_headers(document, "members"))
        if "shown as such in Schedule 1" in text:
            assert "Class" in headers, name
        if re.search(r"person for notices shown for it in Schedule 1", text):
            assert "person for notices" in headers, name
        if "deputy" in text.lower() and "deputies" not in headers.lower():
            assert "Deputy" in headers or "Contact" in headers, name
        record = "records in this Schedule each Member joining or leaving"
        assert record in text, name
