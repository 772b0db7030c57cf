"""The round-11c rules on information flows, as rules over many answer sets.

A1.1/A2.1: where the lead provider commissions through a hub, member-level capacity, activity
and waiting-list data goes only to the Commissioning Hub; the Board sees it aggregated, for the
framework and protocols for using shared capacity; one named patient's bed availability goes by
the direct-care route. A1.7/A2.4/D1.10/D2.4: the observer-and-commissioner sentence only where an
observer is the commissioner, and "the Commissioner" where one is defined. E1.1: a memorandum's
open book is permissive and the bar on exchanges uses the defined term. E1.4/E2.3: a commissioner
or regulator obtains confidential information only under a power to require it. B3.8: the data
sharing agreement cites the agreement's schedule of Commercially Sensitive Information. The ids
are the review's (report A, document 1, finding 1).
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_review_round6_gov import ids_of
from tests.test_review_round9_law import answer_sets, documents_of
from tests.test_review_round11_info import MOUS, SETS, hub, pools_capacity, sensitive, words

CONFIDENTIAL = ("collaboration_agreement", "sub_contract", "mou", "data_sharing")
SHARING = answer_sets("data_sharing", limit=30)


def lead_commissions(context: dict) -> bool:
    return bool(context["derived"]["has_lead_provider"]
                and context["commissioning"]["lead_commissions"])


def observer_commissions(loaded: LoadedAnswers) -> bool:
    """Whether an observer is the Commissioner the definitions name."""
    a = loaded.answers
    context = a.context()
    observers = [m for m in context["members"] if m["class"] == "observer"]
    if a.head_contract:
        named = a.head_contract.commissioner.lower()
        return any(o["name"].lower() == named
                   or (o["kind"] == "nhs_england" and "nhs england" in named) for o in observers)
    icbs = context["derived"]["icb_names"]
    return any(o["name"] in icbs or (o["kind"] == "nhs_england"
                                     and context["derived"]["nhs_england_commissions"])
               for o in observers)


# --------------------------------------------------------------------------- 1 capacity data


class TestItem1CapacityDataGoesOnlyToTheCommissioningHub:
    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_member_level_capacity_data_follows_who_places_patients(
            self, name: str, loaded: LoadedAnswers) -> None:
        context = loaded.answers.context()
        for kind, document in documents_of(loaded, "collaboration_agreement", "committee_terms"):
            text = sensitive(document)
            to_hub = ("capacity, activity and waiting-list data for the Services goes at member "
                      "level only to the Commissioning Hub, which places patients") in text
            to_board = "the Members' operational leads who allocate shared capacity" in text
            assert to_hub == (pools_capacity(context) and hub(context)), (name, kind, text)
            assert to_board == (pools_capacity(context) and not lead_commissions(context)), \
                (name, kind, text)
            if to_hub:
                assert ("The Board receives that data only aggregated, and uses it to set and "
                        "review the framework and protocols for using shared capacity") in text
                assert ("Bed availability that is needed for the transfer of one named patient "
                        "is shared for that patient's direct care") in text

    def test_both_flows_are_covered(self) -> None:
        contexts = [la.answers.context() for _, la in SETS]
        assert any(pools_capacity(c) and hub(c) for c in contexts)
        assert any(pools_capacity(c) and not lead_commissions(c) for c in contexts)


# --------------------------------------------------------------------------- 2 commissioner


class TestItem2TheObserverCommissionerSentenceOnlyWhereItApplies:
    @pytest.mark.parametrize("name,loaded", SETS, ids=ids_of)
    def test_sentence_and_article(self, name: str, loaded: LoadedAnswers) -> None:
        for kind, document in documents_of(loaded, "collaboration_agreement", "committee_terms"):
            text = words(document, "reporting")
            assert ("is also the Commissioner" in text or "is also a Commissioner" in text) \
                == observer_commissions(loaded), (name, kind)
            if loaded.answers.head_contract:
                assert "A Commissioner receives" not in text, (name, kind)
                assert "The Commissioner receives a Member's information" in text, (name, kind)

    def test_an_observer_that_is_not_the_commissioner_is_covered(self) -> None:
        observed = [la for _, la in SETS if any(m["class"] == "observer"
                                                 for m in la.answers.context()["members"])]
        assert any(not observer_commissions(la) for la in observed)


# --------------------------------------------------------------------------- 3 MOU open book


class TestItem3AMemorandumsOpenBookIsPermissive:
    @pytest.mark.parametrize("name,loaded", MOUS, ids=ids_of)
    def test_may_share_and_the_defined_term(self, name: str, loaded: LoadedAnswers) -> None:
        context = loaded.answers.context()
        for kind, document in documents_of(loaded, "mou"):
            if not any(c.id == "competition-information-barrier" for c in document.clauses):
                continue
            text = words(document, "competition-information-barrier")
            assert "The Members share with one another, on an open-book basis" not in text, name
            if context["derived"]["has_is_member"]:
                continue
            if context["finance"]["open_book"] == "full":
                assert ("A Member may share with the other Members, on an open-book basis, its "
                        "costs, income and activity for the work under this memorandum, so that "
                        "the Members can plan, provide and improve the Services together. If it "
                        "does, it shares only") in text, name
            assert ("No Member discloses to another, or seeks or receives from another, its "
                    "Competitively Sensitive Information, in particular") in text, name
            # round 13: a memorandum's current figures go through the open-book hub (E1.3)
            assert "This does not apply to figures given as clause" in text \
                or "This does not apply to the service-line figures for the Services" in text

    def test_an_nhs_memorandum_with_full_open_book_is_covered(self) -> None:
        assert any(not la.answers.context()["derived"]["has_is_member"]
                   and la.answers.context()["finance"]["open_book"] == "full"
                   and "competition-information-barrier" in {
                       c.id for _, d in documents_of(la, "mou") for c in d.clauses}
                   for _, la in MOUS)


# --------------------------------------------------------------------------- 4 carve-out


class TestItem4ACommissionerOnlyUnderAPowerToRequireIt:
    @pytest.mark.parametrize("name,loaded", SETS + MOUS + SHARING, ids=ids_of)
    def test_the_carve_out_needs_a_power(self, name: str, loaded: LoadedAnswers) -> None:
        for kind, document in documents_of(loaded, *CONFIDENTIAL):
            if not any(c.id == "confidentiality-foi" for c in document.clauses):
                continue
            text = words(document, "confidentiality-foi")
            if "This clause does not apply to information that" not in text:
                continue
            assert "on a requirement of a regulator, the Commissioner" not in text, (name, kind)
            assert ("a regulator, the Commissioner or another commissioner, NHS England") in text
            assert "requires under a legal or contractual power to require it" in text


# --------------------------------------------------------------------------- 5 one list


class TestItem5TheDataSharingAgreementCitesTheOneList:
    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_no_second_list(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        for kind, document in documents_of(loaded, "data_sharing"):
            text = words(document, "confidentiality-foi")
            if "collaboration_agreement" in a.documents and a.context()["derived"]["has_is_member"]:
                assert "gives its list of Commercially Sensitive Information to the others" \
                    not in text, name
                # round 21: the data sharing agreement takes the agreement's clause, and with
                # it the agreement's one list, instead of naming the list again
                assert re.search(r"^Clause \d+ \(Confidentiality and freedom of information\) of "
                                 r"the Collaboration Agreement governs", text), name
                assert "its rules on Commercially Sensitive Information" in text, name

    def test_a_pack_with_an_independent_sector_member_is_covered(self) -> None:
        assert any("collaboration_agreement" in la.answers.documents
                   and la.answers.context()["derived"]["has_is_member"] for _, la in SHARING)
