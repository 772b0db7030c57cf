"""The round-10b rules on the general clauses: what the entire-agreement clause leaves in place,
the PSR Regulations definition, the memorandum's one review report and its notices, a covenant
cap cited where its figure is, and the escalation contact for a memorandum disagreement.

Each test drafts the bundled examples, the scenario answer sets and generated collaboratives (as
`drafting lint` drafts them) and reads the clause text, so that a rule holds for every
collaborative and not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text, flat
from tests.test_review_round6_gov import ids_of
from tests.test_review_round9_law import answer_sets, documents_of


def words(document, clause_id: str) -> str:
    return " ".join(clause_text(document, clause_id).split())


def ids(document) -> set[str]:
    return {c.id for c in document.clauses}


# --------------------------------------------------------------------------- 1 entire agreement


class TestItem1EntireAgreementLeavesTheOtherContractsInPlace:
    """Each contract the answers create alongside the agreement is named as left in place, and
    none that they do not create."""

    @pytest.mark.parametrize("name,loaded", answer_sets("collaboration_agreement", limit=30),
                             ids=ids_of)
    def test_named_only_where_the_answers_create_it(self, name: str,
                                                    loaded: LoadedAnswers) -> None:
        answers = loaded.answers
        context = answers.context()
        (_, agreement), = documents_of(loaded, "collaboration_agreement")
        text = words(agreement, "boilerplate")
        entire = text[text.index("the entire agreement"):]
        kept = entire[entire.index("Nothing in this sub-clause"):]
        kept = kept[:kept.index("continues on its own terms")]
        whole = entire[:entire.index("Nothing in this sub-clause")]
        councils = [m for m in context["members"]
                    if m["kind"] == "local_authority" and m["class"] != "observer"]
        s75 = bool(councils) and context["finance"]["model"] in (
            "shared_control_total", "lead_holds_budget")
        expected = {
            "section 75 of the NHS Act": s75,
            "secondment agreements for staff": context["governance"]["staffing"] == "secondment"
            and "staffing" in ids(agreement),
            "contract appointing the independent Chair": context["governance"]["chair"]
            == "independent" and "governance-board" in ids(agreement),
            "each Accession Deed": "joining" in ids(agreement),
            "sub-contracts between the Lead Provider and each Partner":
                context["derived"]["has_lead_provider"],
            "recharge arrangement between Members": "inter-provider-activity" in ids(agreement),
        }
        for phrase, wanted in expected.items():
            assert (phrase in kept) == wanted, (name, phrase, wanted, kept)
        assert "sub-contracts" not in whole, (name, whole)

    def test_a_council_share_cites_the_section_75_condition(self) -> None:
        found = False
        for name, loaded in answer_sets("collaboration_agreement", limit=30):
            (_, agreement), = documents_of(loaded, "collaboration_agreement")
            text = words(agreement, "boilerplate")
            if "section 75 of the NHS Act referred to in clause" not in text:
                continue
            found = True
            section_75 = agreement.targets["conditions-precedent.section-75"].number
            assert f"section 75 of the NHS Act referred to in clause {section_75}" in text, (
                name, section_75, text)
        assert found


# --------------------------------------------------------------------------- 2 PSR Regulations


def nhs_partner_sets() -> list[tuple[str, LoadedAnswers]]:
    """Sub-contract sets whose every partner is an NHS body (the sub-contract defines the NHS
    Act for its disputes under section 9 of that Act)."""
    return [(n, la) for n, la in answer_sets("sub_contract", limit=20)
            if la.answers.partners and all(m.kind in ("nhs_trust", "nhs_foundation_trust")
                                           for m in la.answers.partners)]


class TestItem2PsrRegulationsUseTheNhsAct:
    def test_there_are_nhs_partner_sets(self) -> None:
        assert nhs_partner_sets()

    @pytest.mark.parametrize("name,loaded", nhs_partner_sets(), ids=ids_of)
    def test_definition_says_section_12zb_of_the_nhs_act(self, name: str,
                                                         loaded: LoadedAnswers) -> None:
        for kind, document in documents_of(loaded, "sub_contract"):
            text = flat(document)
            assert "section 12ZB of the NHS Act" in text, (name, kind)
            assert "section 12ZB of the National Health Service Act 2006" not in text, (name, kind)


# --------------------------------------------------------------------------- 3 one MOU report


def mou_sets() -> list[tuple[str, LoadedAnswers]]:
    return answer_sets("mou", limit=20)


class TestItem3MemorandumEqualityReportingIsTheReviewReport:
    @pytest.mark.parametrize("name,loaded", mou_sets(), ids=ids_of)
    def test_no_second_report_to_each_member_board(self, name: str,
                                                    loaded: LoadedAnswers) -> None:
        (_, mou), = documents_of(loaded, "mou")
        text = words(mou, "equality-health-inequalities")
        assert "mou-review" in ids(mou), name
        assert "reports to each Member Board" not in text, (name, text)
        assert re.search(r"The report to each Member Board of each review under clause \d+\.\d+ "
                         r"covers what the Collaborative has done to advance equality", text), (  # round 12
            name, text)
        review = words(mou, "mou-review")
        assert "reports the outcome of each review to each Member Board" in review, name


# --------------------------------------------------------------------------- 4 dispute notices


def notices_number(document) -> str:
    """The number of the memorandum's notices sub-clause, as its text cites it."""
    text = words(document, "mou-review")
    cited = re.search(r"written notice under clause (\d+\.\d+)", text)
    assert cited, text
    return cited.group(1)


class TestItem4MemorandumDisputeNoticeCitesTheNoticesSubClause:
    @pytest.mark.parametrize("name,loaded", mou_sets(), ids=ids_of)
    def test_written_notice_under_the_notices_sub_clause(self, name: str,
                                                        loaded: LoadedAnswers) -> None:
        (_, mou), = documents_of(loaded, "mou")
        text = words(mou, "dispute-resolution")
        number = notices_number(mou)
        assert f"a written notice under clause {number} that identifies the disagreement" in text, (
            name, text[:600])
        assert f"a further written notice under clause {number} by any Member" in text, name


# --------------------------------------------------------------------------- 5 covenant cap


def covenant_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in answer_sets("collaboration_agreement", "sub_contract", limit=30)
            if la.answers.context()["derived"]["has_covenants"]
            and la.answers.context()["finance"]["liability"] != "several_with_cap"]


class TestItem5CovenantCapCitesTheFinancialFrameworkRow:
    def test_there_are_covenant_sets(self) -> None:
        assert covenant_sets()

    @pytest.mark.parametrize("name,loaded", covenant_sets(), ids=ids_of)
    def test_cap_cited_where_its_figure_is(self, name: str, loaded: LoadedAnswers) -> None:
        context = loaded.answers.context()
        for kind, document in documents_of(loaded, "collaboration_agreement", "sub_contract"):
            text = words(document, "liability-insurance")
            if kind == "collaboration_agreement":
                number = document.targets["sched:financial-framework"].number
                assert f"subject to its covenant cap shown in {number}" in text, (name, text)
            partner = text if kind == "sub_contract" else ""
            if "counts towards, and is limited by" in partner and (
                    "collaboration_agreement" in context["documents"]):
                assert re.search(r"shown as its covenant cap in its row of Schedule \d+ "
                                 r"\(Financial framework\) of the Collaboration Agreement",
                                 partner), (name, partner)


# --------------------------------------------------------------------------- 6 escalation contact


class TestItem6MemorandumEscalationNamesAnOfficerForEachMember:
    """E2.7: an independent provider's signatory is rarely its group chief executive; a Member
    may name the senior officer who takes the chief executives' step."""

    @pytest.mark.parametrize("name,loaded", mou_sets(), ids=ids_of)
    def test_chief_executives_step_allows_a_named_officer(self, name: str,
                                                          loaded: LoadedAnswers) -> None:
        (_, mou), = documents_of(loaded, "mou")
        text = words(mou, "dispute-resolution")
        if "chief executives" not in text:
            return
        number = notices_number(mou)
        assert ("or any other senior officer with authority to settle the disagreement whom a "
                f"Member names for this step by notice to the others under clause {number}"
                ) in text, (name, text)

    def test_an_independent_provider_memorandum_has_the_step(self) -> None:
        mous = [la for _, la in mou_sets()
                if any(m.kind == "independent_sector" for m in la.answers.members)]
        assert mous
        for loaded in mous:
            (_, mou), = documents_of(loaded, "mou")
            assert "senior officer with authority to settle" in words(mou, "dispute-resolution")
