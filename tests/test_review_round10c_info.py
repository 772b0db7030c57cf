"""The round-10c rules on information flows: what the reporting clause restricts and for whom,
what a commissioner receives, one open-book rule stated once, and who may waive the
confidentiality of committee papers.

Each test drafts the bundled examples, the scenario answer sets and generated collaboratives (as
`drafting lint` drafts them) and reads the clause text, so that a rule holds for every
collaborative and not one document.
"""

from __future__ import annotations

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text
from tests.test_review_round6_gov import ids_of
from tests.test_review_round9_law import answer_sets, documents_of
from tests.test_review_round11c_info import observer_commissions

REPORTED = ("collaboration_agreement", "committee_terms")
SETS = answer_sets(*REPORTED, limit=30)


def words(document, clause_id: str) -> str:
    return " ".join(clause_text(document, clause_id).split())


def sensitive(document) -> str:
    """The reporting clause from its information-flow rule to the Members' own duties."""
    text = words(document, "reporting")
    start = text.find("report, record or copy that")
    end = text.index("Nothing in this clause affects")
    assert start >= 0, text
    return text[start:end]


def competing(context: dict) -> bool:
    """Volumes and capacity are kept from competitors only where someone competes (G1 or a hub)."""
    derived = context["derived"]
    hub = (derived["has_lead_provider"] and context["commissioning"]["lead_commissions"]
           and "commissioning_hub" in context["commissioning"]["separation"])
    # round 11: a horizontal collaborative of NHS members alone no longer restricts volumes
    return bool(derived["has_is_member"] or hub)


# --------------------------------------------------------------------------- 1 what is restricted


class TestItem1TheRestrictionFitsTheCollaborative:
    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_volumes_are_restricted_only_where_members_compete(
            self, name: str, loaded: LoadedAnswers) -> None:
        context = loaded.answers.context()
        for kind, document in documents_of(loaded, *REPORTED):
            text = sensitive(document)
            assert "prices, costs and margins" in text, (name, kind, text)
            restricted = "and its volumes, capacity and terms, only aggregated or redacted" in text
            assert restricted == competing(context), (name, kind, text)
            if restricted:
                # a clause requiring member-level activity reporting is still met
                assert "receives that report at the level the requirement sets" in text, (
                    name, kind, text)
            else:
                # round 12 (reporting v9): where the Members pool capacity, one sentence sends
                # the member-level data to the Board and to the operational leads who allocate
                # it; either way the Board still sees each Member's activity at member level
                assert ("activity, volumes and capacity are reported to the Board at the level "
                        "of that Member" in text
                        or "Each Member's activity, volumes, capacity and waiting-list data for the "
                           "Services are reported at the level of that Member to the Board, so "
                           "that the Board can oversee each Member's performance" in text), (
                    name, kind, text)
            # round 13 (reporting v10): the sub-clause no longer speaks of itself; the rule is
            # stated directly and still binds every report
            assert "No Member's budget line, contract value or share is redacted from the body "\
                   "that approves it" in text, (name, kind, text)

    def test_both_branches_are_covered(self) -> None:
        kinds = {competing(loaded.answers.context()) for _, loaded in SETS}
        assert kinds == {True, False}


# --------------------------------------------------------------------------- 2 commissioners


class TestItem2ACommissionerReceivesOnlyItsOwnContractsData:
    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_no_full_version_to_the_commissioner(self, name: str, loaded: LoadedAnswers) -> None:
        for kind, document in documents_of(loaded, *REPORTED):
            text = words(document, "reporting")
            assert "full version is given only to the Commissioner" not in text, (name, kind)
            # round 11c: "the Commissioner" where one is defined
            # round 19: only about the contracts it commissions
            assert ("Commissioner receives a Member's information of that kind only about the "
                    "contracts it commissions, and only where it is bound to keep it "
                    "confidential") in text, (
                name, kind, text)
            # round 11c: only where an observer is the Commissioner the definitions name
            both = "Where an Observer is also the Commissioner, each role governs" in text \
                or "Where an Observer is also a Commissioner, each role governs" in text
            assert both == observer_commissions(loaded), (name, kind, text)
            if both:
                # round 20: as Observer it attends what the Board clause opens to it, and what
                # it receives is aggregated; it no longer withdraws from every such item
                assert "as Observer it attends the items, and receives the papers, that clause " \
                    in text, (name, kind, text)
                assert "as Observer it withdraws from any item" not in text, (name, kind)

    def test_an_observer_commissioner_is_covered(self) -> None:
        assert any(observer_commissions(loaded) for _, loaded in SETS)


# --------------------------------------------------------------------------- 3 one open-book rule


class TestItem3OneOpenBookRuleStatedOnce:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in SETS
        if "collaboration_agreement" in la.answers.documents
        and la.answers.context()["finance"]["open_book"] == "full"], ids=ids_of)
    def test_finance_teams_verify_and_the_reporting_clause_says_the_rest(
            self, name: str, loaded: LoadedAnswers) -> None:
        (_, agreement), = documents_of(loaded, "collaboration_agreement")
        finance = words(agreement, "finance")
        at = finance.index("The Members operate open-book accounting")
        open_book = finance[at:]
        open_book = open_book[:open_book.index(" sets") + 40]
        # round 14: between competing NHS trusts the figures go only to the open-book hub
        hub = "competition-information-barrier.open-book-hub" in agreement.targets
        assert ("directors of finance of the other Members" in open_book) != hub, (name, open_book)
        assert f"allows {'it' if hub else 'them'} to verify those figures" in open_book, \
            (name, open_book)
        # the level and form are stated once, in the reporting clause, and cited here
        assert "aggregated or redacted" not in open_book, (name, open_book)
        number = agreement.targets["reporting.sensitive"].number
        assert f"clause {number}" in open_book, (name, number, open_book)
        reporting = sensitive(agreement)
        book = agreement.targets["finance.open-book"].number
        # round 11: the reporting clause cites the one access rule in the finance clause
        assert f"those whom clause {book} names" in reporting, (name, reporting)

    def test_an_open_book_set_is_covered(self) -> None:
        assert any(la.answers.context()["finance"]["open_book"] == "full"
                   and "collaboration_agreement" in la.answers.documents for _, la in SETS)


# --------------------------------------------------------------------------- 4 committee papers


class TestItem4TheChairCannotWaiveConfidentiality:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in SETS if "committee_terms" in la.answers.documents], ids=ids_of)
    def test_terms_cite_the_agreement_and_only_the_owner_consents(
            self, name: str, loaded: LoadedAnswers) -> None:
        documents = dict(documents_of(loaded, *REPORTED))
        terms = documents["committee_terms"]
        text = words(terms, "confidentiality-foi")
        assert "unless the Chair agrees otherwise" not in text, (name, text)
        assert "Only the party whose information it is may agree to its wider use or disclosure; "\
               "the Chair cannot." in text, (name, text)
        agreement = documents.get("collaboration_agreement")
        if agreement is not None:
            number = agreement.targets["confidentiality-foi"].number
            assert f"as clause {number} (Confidentiality and freedom of information) of the "\
                   f"Agreement provides" in text, (name, number, text)
