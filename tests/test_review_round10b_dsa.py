"""A healthcare partner's review of the data sharing agreement (reports B and D, document 3)
and of the agreement's ending and withdrawal clauses, as rules over many answer sets.

Each rule is checked on every data sharing agreement (or collaboration agreement) of the
bundled examples, the scenario answer sets and the sets drawn from them. The names (B3.6 ...)
are the review's: report B, document 3, finding 6.
"""

from __future__ import annotations

import re

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text, flat, library
from tests.test_review_round9_data import agreement_number, of_kind


def data_sharing_agreements() -> list[tuple[str, LoadedAnswers, Document]]:
    return of_kind("data_sharing")


def agreements() -> list[tuple[str, LoadedAnswers, Document]]:
    return of_kind("collaboration_agreement")


def kinds_of(loaded: LoadedAnswers) -> set[str]:
    return {p.kind for p in plan(loaded.answers)}


# --------------------------------------------------------------------------- B3.6 suspension


class TestB36ASuspensionHasAWayOut:
    """A suspension of disclosures is reviewed within a set period and, failing agreement,
    goes to the dispute procedure with a time limit for each step: it never simply lasts until
    the members concerned agree."""

    def test_every_data_sharing_agreement(self) -> None:
        cases = data_sharing_agreements()
        assert len(cases) >= 5
        for label, loaded, doc in cases:
            text = clause_text(doc, "dsa-security-retention")
            # round 12: the suspension's terms are one sentence ("For a suspension: ... review
            # it, through their contacts, within ten days of the notice").
            assert re.search(r"review (the suspension|it), through their contacts, within ten days",
                             " ".join(text.split())), label
            # round 11: each step takes the period of the procedure cited, none of its own
            assert "within the periods that procedure sets for each step" in text, label
            number = agreement_number(loaded, "dispute-resolution")
            if number:
                assert ("under the dispute resolution procedure of the Collaboration Agreement "
                        f"(clause {number} of that agreement)") in text, label
            assert "The suspension lasts until the Members concerned agree" not in text, label


# --------------------------------------------------------------------------- B3.5 commercial data


class TestB35CommercialDataStaysUnderTheAgreement:
    """A member's prices, costs and other commercial information are not Shared Data: the data
    sharing agreement cites the agreement's competition and commissioning separation clauses by
    number, bars onward disclosure to a competing member, and no flow or sub-clause brings
    prices or costs into the personal-data sharing."""

    def test_every_data_sharing_agreement(self) -> None:
        cited = 0
        for label, loaded, doc in data_sharing_agreements():
            text = clause_text(doc, "dsa-purpose-data")
            assert "prices, costs and margins" in text, label
            assert "never under this Agreement" in text, label
            assert "does not pass it on to another Member that competes" in text, label
            assert "capacity, performance, prices and costs" not in flat(doc), label
            number = agreement_number(loaded, "competition-information-barrier")
            if number:
                cited += 1
                assert f"only under clause {number} (" in text, label
                separation = agreement_number(loaded, "commissioning-separation")
                if separation:
                    assert f"and clause {separation} (" in text, label
        assert cited >= 3


# --------------------------------------------------------------------------- B3.7 breach notice


class TestB37WhoNotifiesABreach:
    """The data protection clause says which party notifies a personal data breach to the
    Information Commissioner and the data subjects (the controller of the affected copy), and
    that every other party gives it the facts within 24 hours, in every document that has it."""

    def test_every_document_with_the_data_protection_clause(self) -> None:
        found = 0
        for kind in ("data_sharing", "collaboration_agreement", "sub_contract"):
            for label, loaded, doc in of_kind(kind):
                if "data-protection.breach" not in doc.targets:
                    continue
                found += 1
                text = clause_text(doc, "data-protection")
                if kind == "data_sharing" and "collaboration_agreement" in \
                        loaded.answers.documents:
                    # round 11b (D3.3): it cites the agreement's clause, which says who notifies
                    assert re.search(r"A personal data breach affecting Shared Data is notified, "
                                     r"and the facts about it are given, as clause \d+ \(Data "
                                     r"protection\) of the Collaboration Agreement provides", text), label
                    continue
                assert ("is the controller of the affected copy of the data" in text), label
                assert "notifies the breach to the Information Commissioner" in text, label
                assert "to the data subjects where Article 34 requires it" in text, label
                assert "the facts it holds about the breach within 24 hours" in text, label
        assert found >= 10


# --------------------------------------------------------------------------- B3.3 controllers


class TestB33TheControllerModelAsTheLibraryDraftsIt:
    """The questionnaire's lead-processor option says what the library drafts (each member,
    and the lead for its commissioning functions, is a controller; the lead is a processor
    only for listed services), and the Article 28 part of the schedule is marked not used at
    signing rather than left as a blank service list that applies to nothing."""

    def test_the_questionnaire_option(self) -> None:
        from drafting.read.question_data import load_book
        question = next(q for s in load_book().sections for q in s.questions
                        if q.key == "data.controller_model")
        words = question.choices["lead_processor"]
        assert "its commissioning data" in words
        assert "a processor only for services the members list" in words
        assert "processes data for the members" not in words

    def test_every_document_with_the_processing_part(self) -> None:
        found = 0
        for kind in ("data_sharing", "collaboration_agreement"):
            for label, loaded, doc in of_kind(kind):
                text = flat(doc)
                processor = (loaded.answers.data.controller_model == "lead_processor"
                             and loaded.answers.lead is not None
                             and (kind == "data_sharing"
                                  or loaded.answers.data.kinds != "anonymised"))
                assert ("Processing by the Lead Provider (Article 28(3) UK GDPR): not used at "
                        "signing" in text) == processor, label
                if processor:
                    found += 1
                    assert "No service is listed at signing, so this Part applies to no processing yet" \
                        in text, label
                assert "[●] (each service a Member asks the Lead Provider" not in text, label
        assert found >= 2


# --------------------------------------------------------------------------- B3.8 purposes


class TestB38OneStatementOfThePurposes:
    """Where the pack has a data sharing agreement, the collaboration agreement's data sharing
    summary states no purposes of its own (no "commissioning and planning" beside the data
    sharing agreement's list): it points to the data sharing agreement's purpose clause, which
    the data sharing agreement's own schedule cites by number."""

    def test_every_agreement_with_a_data_sharing_agreement(self) -> None:
        found = 0
        for label, loaded, doc in agreements():
            if "data_sharing" not in kinds_of(loaded) or "sched:data-sharing" not in doc.targets:
                continue
            found += 1
            text = flat(doc)
            assert ("Only those set out in the clause “Purpose, data and term of sharing” of the "
                    "data sharing agreement between the Members") in text, label
            assert "for commissioning and planning" not in text, label
            # round 13: the summary has a row for each flow ("Flow: one-off disclosures for
            # individual care | ..."); the Purposes row itself still states no purpose of its own
            purposes = text.split("Purposes | ", 1)[1].split(" Data shared |", 1)[0]
            assert purposes == ("Only those set out in the clause “Purpose, data and term of "
                                "sharing” of the data sharing agreement between the Members"), \
                (label, purposes)
            assert "Purposes | for individual care" not in text, label
        assert found >= 3

    def test_every_data_sharing_agreement(self) -> None:
        for label, _, doc in data_sharing_agreements():
            number = doc.targets["dsa-purpose-data"].number
            assert f"Purposes | As set out in clause {number}" in flat(doc), label
            assert "commissioning and planning" not in flat(doc), label


# --------------------------------------------------------------------------- agreement ends


class TestTheAgreementEndingCitesTheOtherDocuments:
    """When the agreement ends by the members' agreement, one sentence says that each
    sub-contract continues as its own termination clause provides and the data sharing
    agreement as its run-off clause provides, naming each only where the pack has it."""

    SC = "Each sub-contract continues after this Agreement ends as its own termination clause " \
         "provides"
    DSA = "the data sharing agreement as its run-off clause provides"
    DSA_ONLY = "The data sharing agreement continues after this Agreement ends as its run-off " \
               "clause provides"

    def test_every_agreement(self) -> None:
        both = 0
        for label, loaded, doc in agreements():
            if "commencement-term.ending" not in doc.targets:
                continue
            text = clause_text(doc, "commencement-term")
            kinds = kinds_of(loaded)
            sc = "sub_contract" in kinds
            dsa = "data_sharing" in kinds
            assert (self.SC in text) == sc, label
            assert (self.DSA in text or self.DSA_ONLY in text) == dsa, label
            assert text.count("run-off clause provides") == (1 if dsa else 0), label
            both += sc and dsa
        assert both >= 1


# --------------------------------------------------------------------------- withdrawal


class TestTheLeadEndsASubContractOnlyOnItsListedEvents:
    """Where the pack has the sub-contracts, the agreement's withdrawal clause describes the
    events on which the lead provider may end a partner's sub-contract as the sub-contract
    lists them (insolvency, lost registration, the commissioner's requirement), never "a
    reason the sub-contract gives"."""

    def test_every_agreement_with_sub_contracts(self) -> None:
        found = 0
        for label, loaded, doc in agreements():
            if "sub_contract" not in kinds_of(loaded):
                continue
            found += 1
            text = clause_text(doc, "withdrawal")
            assert "a reason the sub-contract gives" not in text, label
            assert ("on one of the events its sub-contract lists for ending it by notice "
                    "without a vote (the Partner's insolvency") in text, label
            assert "registration with the Care Quality Commission" in text, label
            assert "a written requirement of the Commissioner" in text, label
        assert found >= 3
