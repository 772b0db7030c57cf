"""Round-13b requests to the Board, schedules, definitions, boilerplate, staffing and finance clauses.

Each test drafts the examples, the scenario sets, sets changed to reach the case and generated
collaboratives, and asserts the rule where it applies.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_ONLY, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import words


def limit_sets() -> list[tuple[str, LoadedAnswers, str]]:
    """Sets whose agreement or committee terms set a financial limit for each decision."""
    sets = []
    for kind in ("collaboration_agreement", "committee_terms"):
        sets += [(n, la, kind) for n, la in sets_of(kind, 12)
                 if "a limit for each decision" in clause_text(built(la, kind), "governance-board")]
    return sets


# ------------------------------------------------------------------ 1 the part-year rule's one home

NEVER_REDUCED = re.compile(r"never reduced (for|in) a (\[\[)?Contract Year(\]\])? shorter")


class TestItem1PartYearRuleHasOneHome:
    def test_the_case_is_reached(self) -> None:
        assert {kind for _n, _la, kind in limit_sets()} == {"collaboration_agreement",
                                                             "committee_terms"}

    @pytest.mark.parametrize("name,loaded,kind", limit_sets(), ids=ids_of)
    def test_board_and_schedule_cite_the_finance_clause(self, name: str, loaded: LoadedAnswers,
                                                        kind: str) -> None:
        document = built(loaded, kind)
        board = words(clause_text(document, "governance-board"))
        if "collaboration_agreement" not in loaded.answers.documents:
            # Terms of reference with no agreement: the terms are the rule's only home.
            assert NEVER_REDUCED.search(clause_text(document, "governance-board")), name
            return
        assert not NEVER_REDUCED.search(board), name
        assert re.search(r"Clause [\d.]+ (of the Agreement )?applies to this limit in a part year",
                         board), name
        text = flat(document)
        assert "never reduced in a Contract Year shorter than 12 months" not in text, name
        if kind == "collaboration_agreement":
            finance = words(clause_text(document, "finance"))
            assert "It never reduces a limit for each decision" in finance, name
