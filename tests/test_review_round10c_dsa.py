"""A healthcare partner's review of the data sharing agreement's proposed data flows
(report B document 3, report D document 3), as rules over many answer sets.

Each rule is checked on every data sharing agreement of the bundled examples, the scenario
answer sets, variations of them (pseudonymised, anonymised, no commissioning hub) and
generated collaboratives. The names (B3.1 ...) are the review's: report B, document 3,
finding 1.
"""

from __future__ import annotations

import re

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_money_review import schedule
from tests.test_partner_review import clause_text
from tests.test_review_round9_data import of_kind


def data_sharing_agreements() -> list[tuple[str, LoadedAnswers, Document]]:
    return of_kind("data_sharing")


def flow_rows(doc: Document) -> list[list[str]]:
    """The rows of the proposed data flows table, each as its five cells."""
    text = schedule(doc, "data-sharing")
    lines = text[text.index("Proposed data flows"):].splitlines()[1:]
    assert lines[0].split(" | ")[3] == "Lawful basis and gateway"
    rows = []
    for line in lines[1:]:
        cells = line.split(" | ")
        if len(cells) != 5:
            break
        rows.append(cells)
    return rows


# --------------------------------------------------------------------------- B3.1 lawful basis


class TestB31LawfulBasisIsNotTheGateway:
    """Each flow states the Article 6 basis, the Article 9 condition and the confidentiality
    gateway apart: section 251 support is a gateway, never a lawful basis; "not personal
    data" only for data anonymised to the ICO standard, with small numbers suppressed."""

    def test_every_data_sharing_agreement(self) -> None:
        cases = data_sharing_agreements()
        assert len(cases) >= 5
        kinds = set()
        for label, loaded, doc in cases:
            rows = flow_rows(doc)
            assert rows, label
            gateway = loaded.answers.data.legal_gateway
            for purpose, data, _route, basis, _when in rows:
                assert "Not needed" not in basis, (label, purpose)
                if basis.startswith("Not Personal Data"):
                    kinds.add("anonymised")
                    assert "anonymised to the ICO standard" in basis, (label, purpose)
                    assert "small numbers suppressed" in data, (label, purpose)
                    continue
                kinds.add(str(gateway))
                # round 14: a mandated return to NHS England or the Commissioner rests on the
                # legal obligation to make it (Art 6(1)(c)) and, for confidential patient
                # information, on the s.259 direction or requirement, never on s.251 support
                if purpose.startswith("Mandated returns"):
                    assert basis.startswith("Art 6(1)(c)"), (label, basis)
                    assert "s.259 of the Health and Social Care Act 2012" in basis, (label, basis)
                    assert not basis.endswith("; s.251 support"), (label, basis)
                    assert re.search(r"; Art 9\(2\)\(h\); ", basis), (label, basis)
                    continue
                # round 21: claims, inquests and inquiries rest on whichever of a legal
                # obligation, a public task or legitimate interests applies to the Member
                if purpose.startswith("Claims, inquests and regulatory inquiries"):
                    assert basis.startswith("Art 6(1)(c), (e) or (f)"), (label, basis)
                    assert "Art 9(2)(f)" in basis, (label, basis)
                    continue
                assert basis.startswith("Art 6(1)(e)"), (label, basis)
                # round 12: an incidents flow says why Art 9(2)(h) covers it, in brackets
                assert re.search(r"; Art 9\(2\)\(h\)( \([^)]*\))?; ", basis), (label, basis)
                assert "Section 251" not in basis, (label, basis)
                # round 11: a flow for a duty of the collaboration agreement (incidents,
                # complaints) has its own gateway, not the collaborative's section 251 support
                # round 11c: the hub's gatekeeping and case management are individual care,
                # on implied consent, not the section 251 support of the secondary uses
                if gateway == "s251" and "of the Collaboration Agreement)" not in purpose \
                        and not purpose.startswith("Gatekeeping of admissions"):
                    assert basis.endswith("; s.251 support"), (label, basis)
        assert {"anonymised", "s251", "direct_care"} <= kinds


# --------------------------------------------------------------------------- B3.6 distinct parties


class TestB36FlowsNameDistinctControllers:
    """Where a lead provider receives data, the flow comes from each Partner (the lead does not
    share with itself: its provider arm to hub transfer is an internal barrier matter), and the
    data sets are named or left as [●]."""

    def test_every_data_sharing_agreement(self) -> None:
        led = 0
        for label, loaded, doc in data_sharing_agreements():
            for purpose, data, route, _basis, _when in flow_rows(doc):
                assert "the minimum data set" not in data, (label, purpose)
                if route.lower().endswith("the lead provider's commissioning hub") or \
                        route.endswith("to the Lead Provider"):
                    led += 1
                    assert route.startswith("From each Partner to"), (label, route)
                    assert "each Member" not in route, (label, route)
        assert led >= 3


# --------------------------------------------------------------------------- D3.1 run-off


class TestD31RunOffFollowsThePurposes:
    """The run-off list follows the chosen purposes: payment reconciliation never appears in a
    direct-care-only agreement, and claims and inquests carry their own lawful basis."""

    def test_every_data_sharing_agreement(self) -> None:
        seen = set()
        for label, loaded, doc in data_sharing_agreements():
            text = clause_text(doc, "dsa-purpose-data")
            if "After a Member leaves" not in text:
                continue
            direct = loaded.answers.data.kinds == "identifiable_direct_care"
            seen.add(direct)
            assert ("final reconciliation of payments" in text) == (not direct), label
            # round 19: complaints and incident reviews rest on the bases used while a member;
            # claims, inquests and inquiries on an Article 6 basis with Article 9(2)(f) or (g)
            assert "complaints and patient safety incident reviews about care given while that " \
                "Member took part" in text, label
            # round 21: where personal data is shared, claims are a purpose while the Members
            # share too, in a sub-clause of their own that the run-off list cites
            if loaded.answers.data.kinds == "anonymised":
                assert "claims, inquests and regulatory inquiries about that care, on the basis " \
                    "of a legal obligation, a public task or legitimate interests" in text, label
            else:
                assert re.search(r"claims, inquests and regulatory inquiries about that care, as "
                                 r"clause [\d.]+ provides", text), label
                assert "rests on a legal obligation, a public task or legitimate interests" \
                    in text, label
            assert "with Article 9(2)(f) (legal claims)" in text, label
        assert seen == {True, False}
