"""The round-9 review of the accession deed, as rules over many answer sets.

A deed joins the collaboration agreement drafted from the same answers, so where it relies on
a clause of that agreement it cites it by the number the agreement shows; in a lead-provider
collaborative the New Member's value is its sub-contract's; the execution note names a company
signatory whose title does not show that it is a director.
"""

from __future__ import annotations

import re

import pytest

from drafting.build.assemble import agreement_parts
from drafting.model import Document
from drafting.read.library import load_library
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, SHARED
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


def deed_sets() -> list[tuple[str, LoadedAnswers]]:
    return sets_of("accession_deed", 25)


def number_of(agreement: Document, clause_id: str) -> str:
    return str(next(n for n, c in enumerate(agreement.clauses, start=1) if c.id == clause_id))


def note_of(document: Document, item_id: str) -> str:
    return " ".join((next((c.note for c in document.clauses if c.id == item_id), None)
                     or "").split())


class TestTheDeedCitesTheAgreementByNumber:
    @pytest.mark.parametrize("name,loaded", deed_sets(), ids=ids_of)
    def test_recalculation_and_observer_consent_cite_the_joining_clause(
            self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        deed = built(loaded, "accession_deed")
        if "collaboration_agreement" in a.documents:
            agreement = built(loaded, "collaboration_agreement")
            joining = f"clause {number_of(agreement, 'joining')} (Joining"
        else:  # the agreement was made earlier, outside this pack: no number to cite
            joining = ""
        accession = " ".join(clause_text(deed, "ad-accession").split())
        # round 12 (r12c-deed, A3.4): each recalculation cites the one operative sub-clause
        # of the agreement (the joining clause's first-year rule, the voting clause's
        # reweighting rule) by the number the agreement prints; a first-year share still
        # runs only from the Accession Date
        if "shares of the Members are recalculated from the Accession Date" in accession:
            apportioned = "the New Member's share runs from the Accession Date and is apportioned "
            if joining:
                finance = number_of(agreement, "finance") if any(
                    c.id == "finance" for c in agreement.clauses) else "none"
                assert re.search(
                    re.escape(apportioned) + rf"(as clause {number_of(agreement, 'joining')}"
                    rf"\.\d+ of the Agreement provides|under clause {finance}\.\d+ of the "
                    r"Agreement)\.", accession), (name, accession[-700:])
            else:
                assert apportioned + "as the Agreement provides." in accession, name
        if "voting weights of the Voting Members are recalculated from the Accession" in accession:
            reweights = bool(joining) and "weights are recalculated" in " ".join(
                clause_text(agreement, "voting").split())
            cited = (rf"as clause {number_of(agreement, 'voting')}\.\d+ of the Agreement "
                     r"provides" if reweights else r"as the Agreement provides")
            assert re.search(r"voting weights of the Voting Members are recalculated from the "
                             r"Accession Date " + cited, accession), (name, accession[-700:])
        general = clause_text(deed, "ad-general")
        if any(m.member_class == "observer" for m in a.members):
            # round 11 (C1.9): only an Observer's consent; existing Members execute the deed
            # round 13 (AE1.4): in the joining clause's words, "as to the provisions that bind
            # an Observer", citing the joining clause where the agreement is in the pack
            # round 24 (ad-general v6): the consent is cited by its sub-clause
            if joining:
                cited = rf"clause {number_of(agreement, 'joining')}\.\d+ of the Agreement"
            else:
                cited = "the Agreement"
            assert re.search(f"by the consent to accession the Observer gave in {cited}",
                             general), name
            assert "as to the provisions that bind an Observer" in general, name
        else:
            assert "consent to accession" not in general, name

    @pytest.mark.parametrize("name,loaded", deed_sets(), ids=ids_of)
    def test_the_value_a_new_member_gives(self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(built(loaded, "accession_deed"), "ad-accession")
        # round 24: the figures are entered as the decision that admitted it agreed them
        if "these figures are entered in the schedules of the Agreement" not in text:
            return
        lead = loaded.answers.lead is not None
        commissions = lead and loaded.answers.commissioning.lead_commissions
        # round 10b: one basis for every Member, the value of the services it provides or
        # arranges within the Services; for a lead-provider joiner, its awarded sub-contract
        if "annual value" in text:
            # round 13 (AE1.6): a lead-provider joiner that commissions nothing has its awarded
            # sub-contract's value, and a successor lead the value of what it provides itself
            assert ("the annual value of the services it provides or arranges within the "
                    "Services" in text) or (
                commissions and "the annual value of the sub-contract that the Lead Provider "
                "awarded it" in text), name
            # round 12 (r12c-deed, A3.2): where the Lead Provider commissions, the value is
            # its sub-contract's as the Lead Provider awarded it, never one approved on admission
            assert ("the annual value of the sub-contract that the Lead Provider awarded it"
                    in text) == commissions, name
            assert ("as approved in the decision that admitted it" in text) == (
                not commissions), name
        # round 11 (A3.2): where the value is fixed in the admission decision, the sub-contract
        # the Lead Provider awards states the same value, not a figure confirmed later
        assert ("the sub-contract the Lead Provider awards it states the same value" in text) == (
            lead and not commissions and "annual value" in text), name
        assert "contracts with its commissioners" not in text, name  # round 10b

    def test_both_kinds_of_value_are_covered(self) -> None:
        texts = [clause_text(built(la, "accession_deed"), "ad-accession")
                 for _, la in deed_sets()]
        assert any("awards it" in t for t in texts)
        assert any("that the Lead Provider awarded it on" in t for t in texts)  # round 24
        assert any("provides or arranges within the Services" in t  # round 10b
                   and "awards it" not in t for t in texts)

    def test_a_commissioning_lead_awards_the_value_where_the_agreement_is_not_in_the_pack(
            self) -> None:
        # round 12 (r12c-deed, A3.2): the rule follows the answers, not the agreement's presence
        documents = [d for d in changed(DOMINANT).answers.documents
                     if d != "collaboration_agreement"]
        loaded = changed(DOMINANT, documents=documents)
        assert loaded.answers.commissioning.lead_commissions
        text = " ".join(clause_text(built(loaded, "accession_deed"), "ad-accession").split())
        assert ("the annual value of the sub-contract that the Lead Provider awarded it on [●] "
                "(a decision it takes in its commissioning role under the Agreement)" in text)
        assert "as approved in the decision that admitted it" not in text


class TestTheAgreementsScheduleNumbers:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in deed_sets() if "collaboration_agreement" in la.answers.documents
    ][:12], ids=ids_of)
    def test_they_are_the_numbers_the_agreement_shows(self, name: str,
                                                      loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        clauses, schedules = agreement_parts(load_library(), loaded.answers)
        assert {s.id: s.number for s in agreement.schedules} == {
            k: v["number"] for k, v in schedules.items()}, name
        assert {c.id: str(n) for n, c in enumerate(agreement.clauses, start=1)} == {
            k: v["number"] for k, v in clauses.items()}, name

    def test_without_an_agreement_in_the_pack_there_are_none(self) -> None:
        alone = [la for _, la in deed_sets()
                 if "collaboration_agreement" not in la.answers.documents]
        assert alone and all(agreement_parts(load_library(), la.answers) == ({}, {})
                             for la in alone)


class TestTheExecutionNote:
    def test_a_company_signatory_who_is_not_titled_director_is_named(self) -> None:
        note = note_of(built(changed(DOMINANT), "accession_deed"), "execution")
        assert "Check on the register of companies" in note
        assert "in particular Ana Lopes (Managing Director, Cygnet Health Care Limited): a job title" in note

    def test_a_director_is_not_named_and_an_nhs_pack_has_no_company_check(self) -> None:
        loaded = changed(DOMINANT)
        data = loaded.answers.model_dump(by_alias=True, mode="json", exclude_none=True)
        members = [dict(m, signatory={"name": "Ana Lopes", "role": "Director"})
                   if m["kind"] == "independent_sector" else m for m in data["members"]]
        note = note_of(built(changed(DOMINANT, members=members), "accession_deed"), "execution")
        assert "Check on the register of companies" in note and "in particular" not in note
        nhs = note_of(built(changed(SHARED), "accession_deed"), "execution") \
            if "accession_deed" in changed(SHARED).answers.documents else ""
        assert "register of companies" not in nhs
