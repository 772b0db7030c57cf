"""A healthcare partner's review of the data sharing agreement, round 11b, as rules over many
answer sets.

D3.3: the data sharing agreement of a pack with a collaboration agreement does not copy that
agreement's data protection clause word for word. For security, corrections, breaches and
subject requests it cites the agreement's clause by number and adds only what the sharing
needs; a data sharing agreement without a collaboration agreement keeps the duties in full.
The ids are the review's (report D, document 3, finding 3).
"""

from __future__ import annotations

import re

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text
from tests.test_review_round9_data import agreement_number, of_kind

Case = tuple[str, LoadedAnswers, Document]

# the agreement's own wording of each duty, which the data sharing agreement must not repeat
COPIED = (
    "must protect the Personal Data by appropriate technical and organisational measures",
    "tells each party to which it disclosed that data without undue delay",
    "must tell that party without undue delay and in any case within 24 hours",
    "is the controller of the affected copy of the data",
    "within seven days, any request from a data subject",
)


def with_agreement() -> list[Case]:
    return [c for c in of_kind("data_sharing")
            if "collaboration_agreement" in c[1].answers.documents]


def sentences(text: str) -> set[str]:
    return {s.strip() for s in re.split(r"(?<=\.)\s+", text) if len(s.strip()) > 60}


class TestD33TheDataSharingAgreementCitesTheAgreementsDataClause:
    def test_security_breaches_and_requests_cite_the_clause_by_number(self) -> None:
        cases = with_agreement()
        assert len(cases) >= 4
        for label, loaded, doc in cases:
            number = agreement_number(loaded, "data-protection")
            assert number, label
            cited = f"clause {number} (Data protection) of the Collaboration Agreement"
            text = clause_text(doc, "data-protection")
            for words in COPIED:
                assert words not in text, (label, words)
            assert f"keeps it no longer than is necessary, as {cited} requires" in text, label
            assert (f"A personal data breach affecting Shared Data is notified, and the facts "
                    f"about it are given, as {cited} provides for Personal Data under that "
                    "agreement and within the periods that clause sets") in text, label
            assert (f"as {cited} provides and within the period that clause sets") in text, label
            if loaded.answers.data.kinds != "anonymised":
                assert f"The duty of {cited} to tell the other parties of a correction" in text, \
                    label

    def test_it_adds_only_what_the_sharing_needs(self) -> None:
        for label, _, doc in with_agreement():
            text = clause_text(doc, "data-protection")
            assert re.search(r"the methods of transfer and the retention periods are those that "
                             r"Schedule \d+ sets out", text), label
            assert re.search(r"The notice to the party that disclosed the data goes to its "
                             r"contacts named in Schedule \d+, and names each flow in the data "
                             r"flow register that the breach affects", text), label
            assert re.search(r"It is passed to the contacts of that party named in Schedule \d+",
                             text), label

    def test_no_sentence_of_those_duties_is_repeated_from_the_agreement(self) -> None:
        agreements = {label.split("/")[0]: doc
                      for label, _, doc in of_kind("collaboration_agreement")}
        checked = 0
        for label, _, doc in with_agreement():
            ca = agreements.get(label.split("/")[0])
            if ca is None:
                continue
            repeated = sentences(clause_text(doc, "data-protection")) & \
                sentences(clause_text(ca, "data-protection"))
            for words in ("personal data breach affecting", "request from a data subject",
                          "Records Management Code", "corrects, completes"):
                assert not [s for s in repeated if words in s], (label, words)
            checked += 1
        assert checked >= 4

    def test_without_an_agreement_the_duties_stay_in_full(self) -> None:
        alone = [c for c in of_kind("data_sharing")
                 if "collaboration_agreement" not in c[1].answers.documents]
        assert len(alone) >= 2
        for label, _, doc in alone:
            text = clause_text(doc, "data-protection")
            assert "in any case within 24 hours" in text, label
            assert "within seven days, any request from a data subject" in text, label
            assert "Collaboration Agreement" not in text, label

    def test_the_agreement_keeps_its_duties_in_full(self) -> None:
        cases = of_kind("collaboration_agreement")
        assert len(cases) >= 4
        for label, _, doc in cases:
            text = clause_text(doc, "data-protection")
            assert "in any case within 24 hours" in text, label
            assert "within seven days, any request from a data subject" in text, label
            assert "must protect the Personal Data by appropriate technical" in text, label
