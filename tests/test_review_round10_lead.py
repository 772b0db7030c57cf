"""The partner's round-9 findings on the lead provider's agreement and committee terms, as rules
over many answer sets.

Each test drafts the bundled examples, the scenario answer sets, answer sets changed to reach
the case in question and generated collaboratives (as `drafting lint` does), and reads the text
of the clauses, the definitions and the checklist, so a rule holds for every collaborative and
not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, JOINT, SHARED, changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round8_gov import board_kinds, sentences


def words(document: Document, clause_id: str) -> str:
    return " ".join(clause_text(document, clause_id).split())


def checklist(document: Document) -> str:
    return " ".join((document.clauses[0].note or "").split())


def number_of(document: Document, clause_id: str) -> str | None:
    return next((str(n) for n, c in enumerate(document.clauses, start=1) if c.id == clause_id),
                None)


def agreement_sets(extra: list[tuple[str, LoadedAnswers]] | None = None
                   ) -> list[tuple[str, LoadedAnswers]]:
    return sets_of("collaboration_agreement", 60) + (extra or [])


def lead_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in agreement_sets() if la.answers.lead is not None]


def commissioning_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in lead_sets() if la.answers.commissioning.lead_commissions]


def kinds(loaded: LoadedAnswers) -> list[str]:
    return board_kinds(loaded)


def competition_cited(document: Document, agreement: Document, text: str) -> None:
    """Where the agreement has the competition clause, `text` is made subject to it by number."""
    number = number_of(agreement, "competition-information-barrier")
    if number is None:
        assert "competition" not in text.lower() or "Subject to" not in text, text
        return
    if document is agreement:
        assert re.search(rf"[Ss]ubject to clause {number}\b", text), (number, text)
    else:
        assert f"Subject to clause {number} (Competition law" in text, (number, text)


# --------------------------------------------------------------------------- 1 no price leak


LEAK = "each provider it has bought from, the services bought and their value"


class TestItem1ReportsAndRecordsNeverShowACompetitorsPrices:
    @pytest.mark.parametrize("name,loaded", lead_sets(), ids=ids_of)
    def test_the_lead_reports_its_purchases_aggregated(self, name: str,
                                                       loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        text = words(agreement, "lead-provider-role")
        assert LEAK not in text, name
        purchases = next(s for s in sentences(text) if "at least once a quarter" in s)
        assert ("aggregated so that no provider's prices, volumes or terms can be identified or "
                "deduced from the report") in purchases, (name, purchases)
        assert "only to the Commissioner and to its auditors" in text, name
        competition_cited(agreement, agreement, purchases)
        reporting = number_of(agreement, "reporting")
        assert f"a copy of each material report in the form clause {reporting}." in text, name

    @pytest.mark.parametrize("name,loaded", commissioning_sets(), ids=ids_of)
    def test_a_partner_gets_the_allocation_record_redacted(self, name: str,
                                                          loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        for kind in kinds(loaded):
            document = agreement if kind == "collaboration_agreement" else built(loaded, kind)
            text = words(document, "commissioning-separation")
            record = text[text.index("keeps a written record of each Allocation Decision"):]
            assert ("redacted of the prices, costs, volumes, capacity and terms of every other "
                    "Member and of any other provider") in record, (name, kind)
            assert "The full record is given only to the Commissioner" in record, (name, kind)
            if kind == "collaboration_agreement":
                competition_cited(document, agreement, record.split(":")[0])

    @pytest.mark.parametrize("name,loaded", agreement_sets(), ids=ids_of)
    def test_every_report_to_the_board_or_a_member_is_aggregated_or_redacted(
            self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        for kind in kinds(loaded):
            document = agreement if kind == "collaboration_agreement" else built(loaded, kind)
            text = words(document, "reporting")
            rule = next((s for s in sentences(text) if "every report, record or copy" in s
                         or "Every report, record or copy" in s), "")
            assert rule, (name, kind, text)
            # round 10c: prices, costs and margins always (volumes, capacity and terms only where
            # the members compete: tests/test_review_round10c_info.py); a commissioner receives
            # only its own contracts' data
            assert "prices, costs and margins" in rule, (name, kind, rule)
            assert ("only aggregated or redacted, so that no Member can identify or deduce those "
                    "of another Member") in rule, (name, kind, rule)
            # round 11c: "the Commissioner" where one is defined
            # round 19: only about the contracts it commissions
            assert ("Commissioner receives a Member's information of that kind only about the "
                    "contracts it commissions") in text, (name, kind)
            assert "Member, shows" not in rule and "terms of reference requires" not in rule
            competition_cited(document, agreement, rule)

    def test_the_sets_reach_the_competition_clause_and_its_absence(self) -> None:
        with_clause = {number_of(built(la, "collaboration_agreement"),
                                 "competition-information-barrier") is not None
                       for _, la in lead_sets()}
        assert with_clause == {True, False}


# --------------------------------------------------------------------------- 2 independent chair


def independent_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [("shared-independent", changed(SHARED, governance={
                 "chair": "independent", "chair_rotation_months": None})),
             ("dominant-independent", changed(DOMINANT, governance={"chair": "independent"})),
             ("joint-independent", changed(JOINT, governance={"chair": "independent"}))]
    return [(n, la) for n, la in agreement_sets(extra)
            if la.answers.governance.chair == "independent"
            and la.answers.governance.vehicle != "advisory_group"]


# round 13 (D5): numbers are figures ("3 years", "90 days"); the test is its own sentence.
TEST = ("The Chair is independent only if they have not, in the 3 years before appointment or at any time during the term, "
        "been employed by, held any office in (as director, governor, non-executive or "
        "otherwise) or had a material business relationship (as adviser, consultant or "
        "supplier, paid or not) with any Member")


class TestItem2TheIndependentChairIsIndependentAndNoMemberAppointsIt:
    @pytest.mark.parametrize("name,loaded", independent_sets(), ids=ids_of)
    def test_the_test_of_independence_and_the_commissioners_nomination(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in kinds(loaded):
            document = built(loaded, kind)
            text = words(document, "governance-board")
            assert TEST in text, (name, kind)
            fallback = next(s for s in sentences(text) if "is vacant for 90 days" in s)
            several = loaded.answers.head_contract is None and len(
                re.findall("Integrated Care Board|NHS England",
                           words(built(loaded, "collaboration_agreement"), "definitions")
                           .split("“Commissioner” means", 1)[1].split("“", 1)[0])) > 1
            together = " (the bodies that are the Commissioner acting together)" if several else ""
            # round 13: the vacancy is its own sub-clause, so it cites the test of
            # independence by the number of the chair sub-clause that states it.
            chair = document.targets["governance-board.chair"].number
            # round 20: the secretariat or any Voting Member asks, so one member cannot stall it
            assert (f"the secretariat of the Board, or any Voting Member, asks the "
                    f"Commissioner{together}, which has no interest "
                    "in the Collaborative as a provider, to nominate a candidate meeting the "
                    f"test of independence in clause {chair}") in fallback, (name, kind, fallback)
            assert "Lead Provider appoints" not in text and "shortlist" not in fallback
            assert "no Member nominates or appoints in its place" in text, (name, kind)
            listed = checklist(document)
            assert ("the test of independence (no employment, office or material business "
                    "relationship with any member in the 3 years before appointment or "
                    "during the term)") in listed, (name, kind)
            # round 10c: the commissioner nominates a candidate; the voting members appoint.
            assert "a candidate nominated by the commissioner" in listed, (name, kind)

    @pytest.mark.parametrize("name,loaded", commissioning_sets(), ids=ids_of)
    def test_the_independent_person_on_allocation_items_meets_the_same_test(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in kinds(loaded):
            text = words(built(loaded, kind), "commissioning-separation")
            assert "not employed by or a director of any Member" not in text, (name, kind)
            independent = [s for s in sentences(text) if "independent person" in s]
            for sentence in independent:
                if "appointed by the Board" in sentence or "obtains written advice" in sentence:
                    assert ("no employment, office or material business relationship with any "
                            "Member in the three years before") in sentence, (name, sentence)

    def test_with_and_without_a_lead_and_an_independent_person(self) -> None:
        assert {la.answers.lead is None for _, la in independent_sets()} == {True, False}
        assert "shared-independent" in dict(independent_sets())  # two integrated care boards
        separations = {s for _, la in commissioning_sets()
                       for s in la.answers.commissioning.separation}
        assert "independent_chair" in separations


# --------------------------------------------------------------------------- 3 Allocation Decision


DEFINITION = ("“Allocation Decision” means a decision of the Lead Provider, in exercise of the "
              "commissioning functions it carries out under the Head Contract, on which provider "
              "delivers which of the Services, or how much of the value of the Head Contract "
              "each provider receives, including allocating budget, agreeing activity plans, "
              "placing or moving patients, buying any of the Services from a provider that is "
              "not a Member, and awarding, varying, managing or ending a Partner's sub-contract")


class TestItem3AllocationDecisionIsDefinedByItsFunction:
    @pytest.mark.parametrize("name,loaded", commissioning_sets(), ids=ids_of)
    def test_one_functional_definition_in_every_document_that_uses_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in kinds(loaded):
            document = built(loaded, kind)
            definitions = words(document, "definitions")
            assert DEFINITION in definitions, (name, kind)
            assert "services, income or activity of the Provider Arm" not in definitions
            # the clause that manages the conflict withdraws every affected Member, not only
            # the lead's provider arm
            text = words(document, "commissioning-separation")
            assert ("The Representative of each Member whose services, income or activity the "
                    "decision would affect, including the Lead Provider's own, withdraws") in text
