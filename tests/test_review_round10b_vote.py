"""Round-10 hand-overs on voting and deadlock, as rules over many answer sets.

The committee terms cite the agreement's statement of who can carry or block a decision alone
instead of restating it; a casting vote that cannot operate is one sentence; and the weights of
a lead that commissions are fixed until the end of the minimum term, as the finance clause says.
Each test drafts the bundled examples, the scenario sets, sets changed to reach the case and
generated collaboratives (as `drafting lint` does).
"""

from __future__ import annotations

import re

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
        # round 14: the terms cite the agreement's power sub-clause, not the whole clause
        found = re.findall(rf"Who can carry or block a decision alone is stated in clause "
                           rf"{number}\.\d+ \(Decisions and voting\) of the Agreement and Schedule ",
                           text)
        assert len(found) == 1, (name, text)
        cited = found[0]
        assert f"clause {agreement.targets['voting.power'].number} (" in cited, (name, cited)
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
        # round 14: the weights and who can carry or block alone live in one schedule
        assert "the financial framework schedule shows the weights and names who can carry or " \
               "block a decision alone" in note(agreement, "voting")

    def test_the_sets_reach_a_dominant_member_and_none(self) -> None:
        names = {n for n, _ in weighted_sets()}
        assert {"lead-provider-dominant", "north-east-mental-health", "joint-weighted"} <= names


# --------------------------------------------------------------------------- 2 no casting vote


def casting_sets() -> list[tuple[str, LoadedAnswers]]:
    """Agreements with a casting vote chosen, where it can and cannot operate."""
    sets = sets_of("collaboration_agreement", 60)
    sets += [("dominant-chair-is-lead", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "lead_provider"})),
             ("dominant-independent-chair", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "independent"})),
             ("joint-weighted", changed(JOINT, governance=WEIGHTED))]
    return [(n, la) for n, la in sets if la.answers.governance.deadlock.endswith("casting_vote")
            and la.answers.governance.voting == "weighted"]


def inoperative(loaded: LoadedAnswers) -> bool:
    """The member that would cast the casting vote holds more than half of the weight."""
    return bool(loaded.answers.voting_power()["casting_inoperative"])


class TestItem2ACastingVoteThatCannotOperateIsOneSentence:
    @pytest.mark.parametrize("name,loaded,kind", [
        (n, la, k) for n, la in casting_sets()
        for k in ("collaboration_agreement", "committee_terms") if k in la.answers.documents],
        ids=ids_of)
    def test_one_sentence_where_the_caster_holds_more_than_half(
            self, name: str, loaded: LoadedAnswers, kind: str) -> None:
        document = built(loaded, kind)
        deadlock, voting = words(document, "deadlock"), words(document, "voting")
        if inoperative(loaded):
            assert ("The Lead Provider has no casting vote while it holds more than half of the "
                    "voting weight." in deadlock or "The Chair has no casting vote while the Lead "
                    "Provider, which appoints the Chair, holds more than half of the voting "
                    "weight." in deadlock), (name, deadlock)
            # round 11 (A1.4): the chosen casting vote stays drafted and operates once its holder
            # holds no more than half of the weight; until then it has none.
            assert re.search(r"Once (it|the Lead Provider) holds no more than half of it, the rest "
                             r"of this clause \d+\.\d+ applies", deadlock), (name, deadlock)
            assert "unless the casting vote" not in voting, name
            assert "the casting vote under clause" not in voting, name
        else:
            assert "has a casting vote" in deadlock, (name, deadlock)

    def test_the_sets_reach_an_inoperative_and_an_operative_casting_vote(self) -> None:
        seen = {inoperative(la) for _, la in casting_sets()}
        assert seen == {True, False}


# --------------------------------------------------------------------------- 3 fixed weights


def reweight_sets() -> list[tuple[str, LoadedAnswers]]:
    """Agreements with contract-value weights, with and without a lead that commissions."""
    sets = sets_of("collaboration_agreement", 60)
    sets += [("joint-weighted", changed(JOINT, governance=WEIGHTED))]
    return [(n, la) for n, la in sets if la.answers.governance.voting == "weighted"
            and la.answers.governance.weight_basis == "contract_value"
            and la.answers.governance.vehicle != "advisory_group"]


def commissions(loaded: LoadedAnswers) -> bool:
    return loaded.answers.lead is not None and loaded.answers.commissioning.lead_commissions


class TestItem3WeightsFollowTheContractValuesSubClause:
    @pytest.mark.parametrize("name,loaded", reweight_sets(), ids=ids_of)
    def test_the_reweighting_cites_the_sub_clause_and_the_note_matches(
            self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        text, said = words(agreement, "voting"), note(agreement, "voting")
        finance = number_of(agreement, "finance")
        reweight = next(s for s in text.split(". ") if s.startswith("The weights are recalculated"))
        assert re.search(rf"under clause {finance}\.\d+\b", reweight), (name, reweight)
        if commissions(loaded):
            assert "at the start of each Contract Year" not in reweight, (name, reweight)
            assert "only when those values are re-based or recalculated" in reweight, name
            assert "changes each year" not in said, (name, said)
            assert "its own allocation decisions must not move the weights" in said, name
            end = loaded.answers.minimum_term_end
            if end is not None:
                assert "until" in reweight and "the end of the minimum term" in said, name
        else:
            assert "at the start of each Contract Year" in reweight, (name, reweight)
            assert "changes each year when the weights are recalculated" in said, (name, said)

    def test_the_sets_reach_both_cases(self) -> None:
        assert {commissions(la) for _, la in reweight_sets()} == {True, False}
