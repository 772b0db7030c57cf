"""Round 15, the board: admitting an Observer is an administrative act only; before the
Operative Date a shadow group meets, not the Board; consent to a change of control is never
given by one Member alone; "the Member Boards" means those of the Voting Members, each
approving; written resolutions are limited where meetings are public."""

from __future__ import annotations

import re

from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import sets_of
from tests.test_review_round12_board import planned


def agreement_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED)), ("joint", changed(JOINT)),
            ("dominant", changed(DOMINANT)), ("mou-then", changed(MOU_THEN)),
            ("joint-public", changed(JOINT, governance={"meetings_in_public": True})),
            ("shared-public", changed(SHARED, governance={"meetings_in_public": True}))]
    sets += sets_of("collaboration_agreement", 12)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")]


def test_observer_admission_is_administrative_only() -> None:
    seen = 0
    for name, loaded in agreement_sets():
        text = clause_text(built(loaded, "collaboration_agreement"), "governance-board")
        status = clause_text(built(loaded, "collaboration_agreement"), "status")
        delegated = text.split("No single decision")[0]
        assert "admitting and removing an Observer" not in delegated, name
        if "as an administrative act under clause" in status:
            seen += 1
            document = built(loaded, "collaboration_agreement")
            assert f"administrative act under clause {document.targets['governance-board.administrative'].number}" in status, name
    assert seen


def test_before_operative_date_a_shadow_group_meets() -> None:
    seen = 0
    for name, loaded in agreement_sets():
        text = clause_text(built(loaded, "collaboration_agreement"), "conditions-precedent")
        assert "constituted and conducted as clause" not in text, name
        if "shadow group" in text:
            seen += 1
            assert "is not the Board" in text and "binds a Member" in text, name
    assert seen


def test_change_of_control_never_decided_by_one_member() -> None:
    seen = 0
    for name, loaded in agreement_sets():
        text = clause_text(built(loaded, "collaboration_agreement"), "expulsion")
        assert "decided by the other Voting Members without it" not in text, name
        if "Change of Control" in text and "ask the Board" in text:
            seen += 1
            assert "at least two" in text and "each of them approves it" in text, name
    assert seen


def test_member_boards_means_voting_members_each_approving() -> None:
    seen = 0
    for name, loaded in agreement_sets():
        text = clause_text(built(loaded, "collaboration_agreement"), "governance-board")
        assert "it means the Member Board of each Voting Member" in text, name
        assert "decided only when each of them has approved it" in text, name
        if any(m.member_class != "voting" for m in loaded.answers.members):
            assert "takes no part in that decision" in text, name
        seen += 1
    assert seen


def test_written_resolutions_limited_where_meetings_public() -> None:
    seen = 0
    for name, loaded in agreement_sets():
        text = clause_text(built(loaded, "collaboration_agreement"), "voting")
        if "held in public" in clause_text(built(loaded, "collaboration_agreement"), "governance-board") \
                and "without a meeting" in text:
            seen += 1
            assert "only where the Chair certifies in writing" in text, name
            assert "reported to the next meeting of the Board held in public" in text, name
            assert re.search(r"requires to be taken at a meeting open to the public.{0,200}is made without a meeting", text), name
    assert seen
