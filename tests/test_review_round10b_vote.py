"""Round-10 hand-overs on voting and deadlock, as rules over many answer sets.

The committee terms cite the agreement's statement of who can carry or block a decision alone
instead of restating it; a casting vote that cannot operate is one sentence; and the weights of
a lead that commissions are fixed until the end of the minimum term, as the finance clause says.
Each test drafts the bundled examples, the scenario sets, sets changed to reach the case and
generated collaboratives (as `drafting lint` does).
"""

from __future__ import annotations

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


def words(document: Document, clause_id: str) -> str:
    return " ".join(clause_text(document, clause_id).split())


def note(document: Document, clause_id: str) -> str:
    clause = next((c for c in document.clauses if c.id == clause_id), None)
    return " ".join(((clause.note if clause else None) or "").split())


def number_of(document: Document, clause_id: str) -> str | None:
    return next((str(n) for n, c in enumerate(document.clauses, start=1) if c.id == clause_id),
                None)


WEIGHTED = {"voting": "weighted", "weight_basis": "contract_value", "special_majority_percent": None}


def weighted_sets() -> list[tuple[str, LoadedAnswers]]:
    """Sets drafting committee terms and an agreement under weighted voting."""
    sets = sets_of("committee_terms", 60)
    sets += [("joint-weighted", changed(JOINT, governance=WEIGHTED)),
             ("dominant-chair-is-lead", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "lead_provider"}))]
    return [(n, la) for n, la in sets if la.answers.governance.voting == "weighted"
            and "collaboration_agreement" in la.answers.documents
            and "committee_terms" in la.answers.documents]


# --------------------------------------------------------------------------- 1 one sentence


class TestItem1TheCommitteeTermsCiteWhoCanCarryOrBlock:
    @pytest.mark.parametrize("name,loaded", weighted_sets(), ids=ids_of)
    def test_the_power_statement_is_one_sentence_citing_the_agreement(
            self, name: str, loaded: LoadedAnswers) -> None:
        terms = built(loaded, "committee_terms")
        agreement = built(loaded, "collaboration_agreement")
        text = words(terms, "voting")
        number = number_of(agreement, "voting")
        cited = (f"Who can carry or block a decision alone is stated in clause {number} "
                 "(Decisions and voting) of the Agreement and Schedule ")
        assert text.count(cited) == 1, (name, text)
        statement = text[text.index(cited):]
        statement = statement[:statement.index(". ") + 1]
        assert "(Financial framework) of the Agreement" in statement, (name, statement)
        assert "While any Voting Member holds more than half" not in text, name
        assert "because a decision needs more than half of the weight" not in text, name
        agreed = words(agreement, "voting")
        assert "While any Voting Member holds more than half of the voting weight" in agreed, name

    @pytest.mark.parametrize("name,loaded", weighted_sets(), ids=ids_of)
    def test_the_note_is_true_for_each_document(self, name: str, loaded: LoadedAnswers) -> None:
        terms = note(built(loaded, "committee_terms"), "voting")
        assert "Board terms schedule" not in terms, (name, terms)
        assert "the clause says so" not in terms, (name, terms)
        agreement = built(loaded, "collaboration_agreement")
        assert "Board terms schedule names who can carry or block" in note(agreement, "voting")

    def test_the_sets_reach_a_dominant_member_and_none(self) -> None:
        names = {n for n, _ in weighted_sets()}
        assert {"lead-provider-dominant", "north-east-mental-health", "joint-weighted"} <= names
