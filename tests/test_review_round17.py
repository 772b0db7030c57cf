"""Round 17: the joint-committee terms of reference review (F1, a MUST): every power that the
agreement gives "the Board" is in exactly one category.

Under a joint committee or committees in common the Board decides only within a delegated
matter and its limit, or as an administrative act that commits no member's money, property or
functions; on anything else it recommends and each member's own board decides. So every item in
the Board's list of other decisions that commits money or functions is stated as a
recommendation to the Member Boards, the list says who decides each kind, and no item claims a
power the authority clause takes away (the year-end reconciliation is certified by the finance
team, not voted on). A fallback that must bind an unwilling member (the exit plan of a leaving
member) goes to the other members' boards, with the member concerned left out; only a
partnership board, whose decisions bind by contract, settles it itself. Each test drafts the
scenario sets, changed and generated sets.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of
from tests.test_review_round12_board import words
from tests.test_review_round12c_board import list_sets, listed

# The kinds of item that commit a member's money, property or functions.
COMMITS = re.compile(r"annual budget|recovery plan|surplus kept for reinvestment|single exit plan"
                     r"|part of the budget allocated|date or dates on which staff transfer"
                     r"|costs of its role|arrangements for shared capacity|Managing Director",
                     re.I)
COMMITTEES = ("committees_in_common", "joint_committee")


def committee_sets() -> list[tuple[str, LoadedAnswers, str]]:
    return [(n, la, kind) for n, la, kind in list_sets()
            if la.answers.governance.vehicle in COMMITTEES]


class TestEveryPowerInOneCategory:
    def test_the_case_is_reached(self) -> None:
        sets = committee_sets()
        assert {la.answers.governance.vehicle for _n, la, _k in sets} == set(COMMITTEES)
        assert {kind for _n, _la, kind in sets} == {"collaboration_agreement", "committee_terms"}
        assert any(la.answers.governance.vehicle == "partnership_board"
                   for _n, la, _k in list_sets())

    @pytest.mark.parametrize("name,loaded,kind", committee_sets(), ids=ids_of)
    def test_a_committee_recommends_what_commits_a_member(self, name: str,
                                                          loaded: LoadedAnswers,
                                                          kind: str) -> None:
        document = built(loaded, kind)
        items = listed(document)
        assert items, (name, kind)
        recommended = 0
        for item, _number in items:
            for found in COMMITS.finditer(item):
                # the recommendation governs the phrase: it comes before it in the same item
                assert "a recommendation to the Member Boards on" in item[:found.start()], \
                    (name, kind, item, found.group(0))
                recommended += 1
        assert recommended, (name, kind)
        board = words(clause_text(document, "governance-board"))
        if loaded.answers.delegated_matters:
            assert "On each recommendation in that list, the Member Board of each Voting " \
                "Member decides for its own Member" in board, (name, kind)
            assert "The Board takes each other decision in that list itself, within a " \
                "delegated matter and its limit or as an administrative act" in board, (name, kind)
        else:
            assert "On each of those decisions the Board recommends, and the Member Boards " \
                "decide" in board, (name, kind)

    @pytest.mark.parametrize("name,loaded,kind", list_sets(), ids=ids_of)
    def test_no_item_is_a_power_the_board_lacks(self, name: str, loaded: LoadedAnswers,
                                                kind: str) -> None:
        items = " ".join(item for item, _n in listed(built(loaded, kind)))
        assert "reconciliation" not in items, (name, kind)
        vehicle = loaded.answers.governance.vehicle
        if vehicle == "partnership_board":
            # the Board decides by contract: nothing of its own is a recommendation
            assert "recommendation" not in items, (name, kind)
            if "exit plan for a leaving Member" in items.replace("Exit Plan", "exit plan"):
                assert "takes no part" in items, (name, kind)
        else:
            assert "for a leaving Member" not in items, (name, kind)
