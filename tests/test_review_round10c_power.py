"""Round-10c findings on who holds power over a decision, as rules over many answer sets.

A dissenting Member's route relieves only that Member; expulsion for insolvency or lost
registration is counted in members, never letting one member expel another; the Deadlock
definition points to the clause that says when one arises; a non-party only nominates a Chair;
and a joint committee's constitution cites section 65Z5 for every relevant body. Each test drafts
the bundled examples, the scenario sets, sets changed to reach the case and generated
collaboratives (as `drafting lint` does).
"""

from __future__ import annotations

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text
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
    @pytest.mark.parametrize("name,loaded", dissent_sets(), ids=ids_of)
    def test_declining_binds_the_others_and_is_no_deadlock(
            self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        text = words(agreement, "governance-board")
        at = text.find("may decline to act on the decision only on")
        assert at >= 0, name
        route = text[text.rfind(". A Member whose Representative voted against", 0, at):]
        assert "or was not present when it was taken" in route, name
        assert "its own Member Board has refused, within those twenty-eight days" in route, name
        assert "Declining relieves only that Member" in route, name
        assert "binds every other Member, it is not a Deadlock" in route, name
        assert "as if it were a Deadlock" not in text, name
        checklist = " ".join((agreement.clauses[0].note or "").split())
        assert "decline to act on it within twenty-eight days only on stated grounds" in checklist
        if "committee_terms" in loaded.answers.documents:
            terms = words(built(loaded, "committee_terms"), "governance-board")
            number = number_of(agreement, "governance-board")
            assert (f"may decline to act on it on the grounds, within the periods and with the "
                    f"effect that clause {number} (The Board) of the Agreement provides") in terms
            assert "Declining relieves only that Member" in terms, name
