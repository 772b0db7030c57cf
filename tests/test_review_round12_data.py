"""The round-12 rules on data and information: a sub-contract incorporates the collaboration
agreement's data protection clause instead of copying it, and the lead provider's gatekeeping
flow has one home (the data sharing agreement's flow table) that the other documents point to.

Each test drafts the bundled examples, the scenario answer sets and generated collaboratives and
reads the clause text, so that a rule holds for every collaborative and not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.conditions import add_months
from drafting.read.load import LoadedAnswers
from tests.review_sets import MOU_THEN, SHARED
from tests.test_partner_review import changed
from tests.test_review_round6_gov import ids_of
from tests.test_review_round9_law import answer_sets, checklist, documents_of, sentences
from tests.test_review_round11_info import definition, words

SUBS = [(n, la) for n, la in answer_sets("sub_contract", limit=30)
        if "collaboration_agreement" in la.answers.documents]
AGREEMENTS = answer_sets("collaboration_agreement", "sub_contract", "data_sharing", limit=30)
CARE_LIST = ("waiting list", "patient tracking list", "clinical priority", "case management",
             "caseload", "care plan", "care record", "shared record")
RECORD = ("care plan", "care record", "shared record")
CHANGED = [
    ("shared-pseudonymised", changed(SHARED, data={"kinds": "pseudonymised",
                                                   "controller_model": "independent",
                                                   "legal_gateway": "s251",
                                                   "dpia": "before_go_live"})),
    ("mou-then-identifiable", changed(MOU_THEN, data={"kinds": "identifiable_direct_care",
                                                       "legal_gateway": "direct_care"})),
    ("mou-then-anonymised", changed(MOU_THEN, data={"kinds": "anonymised"})),
]
STATED = answer_sets("collaboration_agreement", "data_sharing", limit=30) + CHANGED
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
            # round 13 (data-protection v15): "the Members" where an Observer is a party
            waits = re.search(r"it starts when the (parties|Members) have completed the DPIA",
                              text) is not None
            assert waits == (context["derived"]["data_shared"]
                             and context["data"]["dpia"] != "completed"), (name, kind, text)


def said(context: dict) -> str:
    collaborative = context["collaborative"]
    return " ".join([collaborative["purpose"], *collaborative["objectives"]]).lower()


def shared_list(context: dict) -> bool:
    """The purposes need identifiable data (a shared list or care plan) that is not shared."""
    return context["data"]["kinds"] in ("anonymised", "pseudonymised") and \
        any(w in said(context) for w in CARE_LIST)


# --------------------------------------------------------------------------- 2 a dated duty


class TestItem2IdentifiablePurposesOnAnonymisedDataGetADatedAim:
    @pytest.mark.parametrize("name,loaded", STATED, ids=ids_of)
    def test_the_dpia_and_agreement_are_a_condition_with_a_bracketed_date(
            self, name: str, loaded: LoadedAnswers) -> None:
        context = loaded.answers.context()
        due = add_months(context["collaborative"]["commencement_date"], 6)
        for kind, document in documents_of(loaded, "collaboration_agreement", "data_sharing"):
            text = words(document, "data-protection")
            # round 13 (data-protection v15): "the Members" where an Observer is a party
            # round 17 (shared CA S1): the answers share anonymised data, so the DPIA and the
            # agreement are a condition of identifiable data on the list, and the date is an
            # aim in square brackets, not a dated duty
            duty = re.search(r"until: (\(a\) )?the (parties|Members) have carried out a DPIA of "
                             r"that processing; and (\(b\) )?they have recorded, in a data sharing "
                             r"agreement", text) is not None
            assert duty == shared_list(context), (name, kind, text)
            assert "no later than [" not in text, (name, kind)
            if duty:
                day = re.search(r"\[The (?:parties|Members) aim to meet those conditions by "
                                r"(\d+ \w+ \d{4})\.\]", text)
                assert day and day.group(1) == __import__("datetime").date.fromisoformat(
                    due).strftime("%-d %B %Y"), (name, kind, text)
                # round 14: the checklist states periods in figures
                assert "6 months after the Commencement Date" in checklist(document), name
                assert "holds [●]" not in text, (name, kind)

    def test_anonymised_and_pseudonymised_sets_are_covered(self) -> None:
        kinds = {la.answers.data.kinds for _, la in STATED if shared_list(la.answers.context())}
        assert {"anonymised", "pseudonymised"} <= kinds


# --------------------------------------------------------------------------- 3 controller model


class TestItem3ASharedRecordOffersTheControllerModelInTheClause:
    @pytest.mark.parametrize("name,loaded", STATED, ids=ids_of)
    def test_article_26_or_28_in_brackets_and_no_needless_section_251(
            self, name: str, loaded: LoadedAnswers) -> None:
        context = loaded.answers.context()
        data = context["data"]
        record = any(w in said(context) for w in RECORD)
        bracketed = shared_list(context) or (
            record and data["controller_model"] == "independent" and context["derived"]["data_shared"])
        for kind, document in documents_of(loaded, "collaboration_agreement", "data_sharing"):
            text = words(document, "data-protection")
            options = re.search(r"\[The (parties|Members) are joint controllers of the [a-z ]+ under "
                                r"Article 26 of the UK GDPR|\[the (parties|Members) are joint controllers "
                                r"of the shared [a-z ]+ under Article 26 of the UK GDPR", text)
            if bracketed:
                assert options and "Article 28 of the UK GDPR" in text, (name, kind, text)
            # round 13 (data-protection v15): "Each Member" where an Observer is a party
            start = re.search(r"Each (party|Member) must also meet the common law duty", text)
            gateway = text[start.start():] if start else ""
            if context["derived"]["data_shared"] and data["legal_gateway"] == "s251" and \
                    data["kinds"] == "pseudonymised":
                # round 13c: the answers chose section 251 support, so "no support needed" is a
                # bracketed proposal and the answered gateway is kept beside it
                assert re.search(r"\[Sharing data in pseudonymised form under clause [\d.]+, "
                                 r"[^\]]*needs no support under section 251 of the NHS Act\.\]",
                                 gateway), (name, text)
                assert "only with the support given under section 251 of the NHS Act" in gateway, \
                    (name, text)

    def test_an_identifiable_set_with_a_shared_care_plan_is_covered(self) -> None:
        assert any(la.answers.data.kinds == "identifiable_direct_care"
                   and any(w in said(la.answers.context()) for w in RECORD) for _, la in STATED)


# --------------------------------------------------------------------------- 4 one CSI list

LISTED = [(n, la) for n, la in answer_sets("sub_contract", "data_sharing", limit=30)
          if "collaboration_agreement" in la.answers.documents]


class TestItem4OneCommerciallySensitiveListPerMember:
    @pytest.mark.parametrize("name,loaded", LISTED, ids=ids_of)
    def test_the_sub_contract_and_data_sharing_agreement_cite_the_agreements_schedule(
            self, name: str, loaded: LoadedAnswers) -> None:
        (_, agreement), = documents_of(loaded, "collaboration_agreement")
        schedule = next((s for s in agreement.schedules if s.id == "commercially-sensitive"), None)
        for kind, document in documents_of(loaded, "sub_contract", "data_sharing"):
            text = words(document, "confidentiality-foi")
            assert "before it signs" not in text, (name, kind, text)
            if schedule is None or kind != "sub_contract":
                continue
            meaning = definition(document, "Commercially Sensitive Information")
            # round 12: the sub-contract defines it by reference to the agreement's definition
            assert re.search(r"as defined in the Collaboration Agreement \(including the list "
                             r"in Schedule \d+ \(Commercially Sensitive Information\) of that "
                             r"agreement", meaning), (name, meaning)

    def test_a_pack_with_the_agreements_schedule_is_covered(self) -> None:
        assert any(loaded.answers.context()["derived"]["has_is_member"] for _, loaded in LISTED)
