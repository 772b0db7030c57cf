"""The round-12 rules on data and information: a sub-contract incorporates the collaboration
agreement's data protection clause instead of copying it, and the lead provider's gatekeeping
flow has one home (the data sharing agreement's flow table) that the other documents point to.

Each test drafts the bundled examples, the scenario answer sets and generated collaboratives and
reads the clause text, so that a rule holds for every collaborative and not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_review_round6_gov import ids_of
from tests.test_review_round9_law import answer_sets, documents_of, sentences
from tests.test_review_round11_info import words

SUBS = [(n, la) for n, la in answer_sets("sub_contract", limit=30)
        if "collaboration_agreement" in la.answers.documents]
AGREEMENTS = answer_sets("collaboration_agreement", "sub_contract", "data_sharing", limit=30)
ROW = "Gatekeeping of admissions, case management and placement (individual care)"


def gatekeeping_flow(context: dict) -> bool:
    """The data sharing agreement lists the lead provider's gatekeeping flow in its table."""
    return bool(context["derived"]["has_lead_provider"]
                and context["commissioning"]["lead_commissions"]
                and context["data"]["kinds"] != "anonymised"
                and "data_sharing" in context["documents"])


def long_sentences(text: str) -> set[str]:
    return {s for s in sentences(text) if len(s.split()) >= 15}


# --------------------------------------------------------------------------- 1 one data clause


class TestItem1SubContractIncorporatesTheAgreementsDataClause:
    @pytest.mark.parametrize("name,loaded", SUBS, ids=ids_of)
    def test_the_sub_contract_cites_and_does_not_copy(self, name: str,
                                                      loaded: LoadedAnswers) -> None:
        (_, agreement), = documents_of(loaded, "collaboration_agreement")
        ca = words(agreement, "data-protection")
        number = next(c.number for c in agreement.clauses if c.id == "data-protection")
        for _, sub in documents_of(loaded, "sub_contract"):
            text = words(sub, "data-protection")
            assert re.search(rf"Clause {number} \(Data protection\) of the Collaboration "
                             r"Agreement, as in force from time to time, is incorporated", text), \
                (name, text)
            copied = long_sentences(text) & long_sentences(ca)
            assert not copied, (name, copied)

    def test_a_sub_contract_set_with_the_gatekeeping_flow_is_covered(self) -> None:
        assert any(gatekeeping_flow(la.answers.context()) for _, la in SUBS)

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_gatekeeping_points_to_the_flow_table_and_never_skips_conditions(
            self, name: str, loaded: LoadedAnswers) -> None:
        context = loaded.answers.context()
        for kind, document in documents_of(loaded, "collaboration_agreement", "sub_contract",
                                           "data_sharing"):
            text = words(document, "data-protection")
            assert "do not wait for any support or condition" not in text, (name, kind)
            if not gatekeeping_flow(context) or "gatekeeping" not in text:
                continue
            if kind == "data_sharing":
                assert "are not such a one-off disclosure: they are the systematic flow of " \
                    "clause" in text, (name, text)
                continue
            assert f'the flow "{ROW}" in the flow table of the data sharing agreement' in text, \
                (name, kind, text)
            waits = "it starts when the parties have completed the DPIA" in text
            assert waits == (context["derived"]["data_shared"]
                             and context["data"]["dpia"] != "completed"), (name, kind, text)
