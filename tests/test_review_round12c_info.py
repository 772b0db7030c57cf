"""The round-12c rules on information: the year-end reconciliation uses figures in the form the
open-book clause allows, Commercially Sensitive Information has one definition in a pack, the
checklist lists a covenant cap the answers did not ask for, and the safeguarding gateway names
the law accurately.

Each test drafts the scenario answer sets, the examples and changed sets and reads the clause
text, so that a rule holds for every collaborative and not one document.
"""

from __future__ import annotations

import pytest

from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed
from tests.test_review_round6_gov import ids_of
from tests.test_review_round9_law import answer_sets, checklist, documents_of
from tests.test_review_round11_info import definition, words

AGREEMENTS = [(n, la) for n, la in answer_sets("collaboration_agreement", limit=30)
              if "collaboration_agreement" in la.answers.documents]
CHANGED = [
    ("shared-hub-only", changed(SHARED, finance={"open_book": "hub_only"})),
    ("joint-none", changed(JOINT, finance={"open_book": "none"})),
    ("joint-pro-rata", changed(JOINT, finance={"deficit": "pro_rata", "loss_cap_percent": None})),
    ("dominant-capped", changed(DOMINANT, finance={"liability": "several_with_cap"})),
]
ALL = AGREEMENTS + CHANGED


def finance_team_route(context: dict) -> bool:
    """Open book through a finance team: hub only, no commissioning hub, no competitor."""
    hub = (context["derived"]["has_lead_provider"] and context["commissioning"]["lead_commissions"]
           and "commissioning_hub" in context["commissioning"]["separation"])
    return (context["finance"]["open_book"] == "hub_only" and not hub
            and not context["derived"]["has_is_member"]
            and context["competition"]["information_barrier"] == "none")


HUB_ONLY = [(n, la) for n, la in ALL if la.answers.context()["finance"]["open_book"] == "hub_only"]
RECONCILED = [(n, la) for n, la in HUB_ONLY if la.answers.context()["derived"]["risk_share"]
              and (finance_team_route(la.answers.context())
                   or la.answers.context()["finance"]["model"] == "shared_control_total")]


# --------------------------------------------------------------------------- 1 reconciliation


class TestItem1ReconciliationUsesFiguresInTheOpenBookForm:
    @pytest.mark.parametrize("name,loaded", RECONCILED, ids=ids_of)
    def test_no_directors_of_finance_where_the_route_is_a_finance_team(
            self, name: str, loaded: LoadedAnswers) -> None:
        context = loaded.answers.context()
        (_, agreement), = documents_of(loaded, "collaboration_agreement")
        text = words(agreement, "risk-gain-share")
        if finance_team_route(context):
            assert "directors of finance" not in text, (name, text)
            # round 15 (m15): the finance team certifies and issues it; the Board receives it
            assert "receives the reconciliation on the aggregate figures" in text, (name, text)
        if context["finance"]["model"] == "shared_control_total":
            assert "each Member's variance against its own part of the Shared Control Total " \
                "(never its costs or prices)" in text, (name, text)
            assert "with each Member's figures" not in text, (name, text)

    @pytest.mark.parametrize("name,loaded", HUB_ONLY, ids=ids_of)
    def test_open_book_and_reporting_say_which_data_each_covers(
            self, name: str, loaded: LoadedAnswers) -> None:
        (_, agreement), = documents_of(loaded, "collaboration_agreement")
        finance = words(agreement, "finance")
        assert "detailed costs, income and activity" not in finance, name
        assert "This sub-clause covers cost, price and margin data; each Member's activity, " \
            "volumes and capacity are reported as clause" in finance, (name, finance)
        # round 13 (reporting v10): what the reporting sub-clause covers is explained in its
        # drafting note, not in the operative text; the operative text still sends cost, price
        # and margin data only where the open-book sub-clause provides
        open_book = agreement.targets["finance.open-book"].number
        assert f"A Member's cost, price and margin data goes only where clause {open_book} " \
            "provides" in words(agreement, "reporting"), name
        note = " ".join((next(c.note for c in agreement.clauses if c.id == "reporting")
                         or "").split())
        assert "The sub-clause on sensitive content covers activity, volumes and capacity; cost, "\
            "price and margin data go only where the finance clause's open-book rules send them" \
            in note, (name, note)

    def test_a_finance_team_set_is_covered(self) -> None:
        assert sum(finance_team_route(la.answers.context()) for _, la in RECONCILED) >= 2


# --------------------------------------------------------------------------- 2 one definition

PACKS = [(n, la) for n, la in answer_sets("collaboration_agreement", "data_sharing",
                                          "committee_terms", "sub_contract", limit=30)
         if "collaboration_agreement" in la.answers.documents]


class TestItem2OneDefinitionOfCommerciallySensitiveInformation:
    @pytest.mark.parametrize("name,loaded", PACKS, ids=ids_of)
    def test_other_documents_define_it_by_reference_to_the_agreement(
            self, name: str, loaded: LoadedAnswers) -> None:
        term = "Commercially Sensitive Information"
        (_, agreement), = documents_of(loaded, "collaboration_agreement")
        own = definition(agreement, term)
        for kind, document in documents_of(loaded, "data_sharing", "committee_terms",
                                           "sub_contract"):
            text = definition(document, term)
            if not text:
                continue
            assert text.startswith(f"the information that is {term} as defined in the "), \
                (name, kind, text)
            assert own and own not in text and "identified to the other" not in text, \
                (name, kind, text)

    def test_each_document_kind_is_covered(self) -> None:
        kinds = {kind for _, la in PACKS for kind, d in documents_of(
            la, "data_sharing", "committee_terms", "sub_contract")
            if definition(d, "Commercially Sensitive Information")}
        assert kinds == {"data_sharing", "committee_terms", "sub_contract"}


# --------------------------------------------------------------------------- 3 covenant cap

COVENANTS = [(n, la) for n, la in ALL if la.answers.context()["derived"]["has_covenants"]]


class TestItem3TheChecklistListsACovenantCapOnSeveralLiability:
    @pytest.mark.parametrize("name,loaded", COVENANTS, ids=ids_of)
    def test_the_cap_is_an_answer_not_followed(self, name: str, loaded: LoadedAnswers) -> None:
        several = loaded.answers.context()["finance"]["liability"] == "several"
        for kind, document in documents_of(loaded, "collaboration_agreement", "sub_contract"):
            if "banking-covenants" not in {c.id for c in document.clauses}:
                continue
            note = checklist(document)
            listed = "Answers this draft does not follow" in note and \
                "this draft caps the liability of" in note and "covenant cap" in note
            assert listed == several, (name, kind, note)

    def test_both_answers_are_covered(self) -> None:
        answers = {la.answers.context()["finance"]["liability"] for _, la in COVENANTS}
        assert answers == {"several", "several_with_cap"}


# --------------------------------------------------------------------------- 4 safeguarding

DATA = [(n, la) for n, la in answer_sets("collaboration_agreement", "data_sharing", limit=30)
        ] + [("mou-then-identifiable", changed(MOU_THEN, data={
            "kinds": "identifiable_direct_care", "legal_gateway": "direct_care"}))]


class TestItem4SafeguardingGatewayAndArticle9:
    @pytest.mark.parametrize("name,loaded", DATA, ids=ids_of)
    def test_no_statutory_duty_to_share_and_no_bare_9_2_i(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind, document in documents_of(loaded, "collaboration_agreement", "data_sharing",
                                           "sub_contract"):
            for clause in document.clauses:
                text = words(document, clause.id)
                assert "statutory duty to share" not in text, (name, kind, clause.id)
                if "Art 9(2)(i)" in text or "Article 9(2)(i)" in text:
                    assert "paragraph 3 of Schedule 1" in text, (name, kind, clause.id)
                if "safeguarding" in text and "paragraph 18 of Schedule 1" in text:
                    assert "Children Act 2004" in text and "Care Act 2014" in text, \
                        (name, kind, clause.id)

    def test_a_set_with_the_safeguarding_gateway_is_covered(self) -> None:
        assert any("Children Act 2004 s.11" in words(d, c.id) or
                   "section 11 of the Children Act 2004" in words(d, c.id)
                   for _, la in DATA for _, d in documents_of(la, "collaboration_agreement",
                                                               "data_sharing")
                   for c in d.clauses)
