"""A healthcare partner's tenth review of the lead provider's sub-contracts and data sharing
agreement, as rules over many answer sets.

Each rule is checked on every sub-contract (or data sharing agreement) of the bundled examples,
the scenario answer sets, the lead-provider sets under each payment basis and generated answer
sets, as `drafting lint` draws them. The names (B1.1 ...) are the review's: report B, document
1, finding 1.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.review_sets import ALL
from tests.test_partner_review import clause_text, library
from tests.test_review_round6_sc import every_sub_contract

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def with_agreement() -> list[tuple[str, LoadedAnswers, Document]]:
    return [(label, loaded, doc) for label, loaded, _, doc in every_sub_contract()
            if "collaboration_agreement" in {p.kind for p in plan(loaded.answers)}]


def agreement_number(loaded: LoadedAnswers, clause_id: str) -> str:
    """The number of a clause of the collaboration agreement the same answers draft."""
    document = build_document(library(), loaded, "collaboration_agreement", None)
    return document.targets[clause_id].number


# --------------------------------------------------------------------------- B1.1 objective ends


class TestB11ObjectiveEventsEndTheSubContract:
    """With a collaboration agreement, the lead may end a sub-contract on an insolvency event,
    a lost registration or a commissioner's requirement without a vote any partner can block,
    citing the agreement's expulsion clause by number."""

    def test_every_sub_contract_with_an_agreement(self) -> None:
        cases = with_agreement()
        assert len(cases) >= 5
        for label, loaded, doc in cases:
            text = clause_text(doc, "sc-term-termination")
            assert "may end this Sub-Contract by notice to the Sub-Contractor" in text, label
            assert "suffers an Insolvency Event" in text, label
            assert "registration with the CQC" in text and "cancelled" in text, label
            assert "the Commissioner requires the Lead Provider in writing" in text, label
            assert "needs no decision of the Board and no vote" in text, label
            number = agreement_number(loaded, "expulsion")
            assert f"ground for expulsion under clause {number} (" in text, label
            assert "except through the expulsion provisions" not in text, label


# --------------------------------------------------------------------------- B1.2 agreement ends


class TestB12WhenTheAgreementEnds:
    """Every sub-contract under a collaboration agreement says what happens to it when that
    agreement ends while the head contract continues, citing the exit-plan clause by number."""

    def test_every_sub_contract_with_an_agreement(self) -> None:
        for label, loaded, doc in with_agreement():
            text = clause_text(doc, "sc-term-termination")
            number = agreement_number(loaded, "exit-consequences")
            # round 23: the plan for the end of that agreement, by its sub-clause number
            assert ("If the Collaboration Agreement ends, for any reason, while the Head "
                    "Contract continues, this Sub-Contract continues until the date that the "
                    f"plan agreed under clause {number}.") in text, label
            assert ("of the Collaboration Agreement for the end of that agreement sets for the "
                    "Sub-Contracted Services to end") in text, label
            assert "no later than the Expiry Date or the end of the Head Contract" in text, label


# --------------------------------------------------------------------------- B1.3 ranking


class TestB13FlowDownRanksAboveTheNegotiatedTerms:
    """The head contract's obligations that flow down rank above the sub-contract's own terms,
    except a protected list (payment, covenant cap, liability, IP, termination rights) stated
    once and cited by the order of precedence."""

    def test_every_sub_contract(self) -> None:
        for label, loaded, partner, doc in every_sub_contract():
            text = clause_text(doc, "interpretation")
            order = text[text.index("take precedence in this order"):]
            # round 11: the protected provisions are their own line of the list, above the
            # Flow-Down Provisions
            flow = order.index("the Flow-Down Provisions;")
            assert flow < order.index("clauses, except clause"), label
            assert flow < order.index("the schedules;"), label
            protected = doc.targets["interpretation.protected"].number
            assert order.index(f"the protected provisions listed in sub-clause {protected};") \
                < flow, label
            number = {c.id: doc.targets[c.id].number for c in doc.clauses}
            listed = order[order.index("The protected provisions are:"):]
            listed = listed[:listed.index("Sub-Contract).") + 1]
            assert f"clause {number['sc-payment']} and Schedule" in listed, label
            # round 19: the protected termination clause names its suspension limits too
            assert f"clause {number['sc-term-termination']} (suspension, and the parties' rights to end" \
                in listed, label
            for clause_id in ("liability-insurance", "ip-ownership"):
                if clause_id in number:
                    assert f"clause {number[clause_id]} (" in listed, (label, clause_id)
            # round 10c: the covenant clause ranks first, so it is not also a protected provision
            if "banking-covenants" in number:
                assert f"clause {number['banking-covenants']} (" not in listed, label
            covenant = next(m for m in loaded.answers.members if m.id == partner)
            assert ("banking-covenants" in number) == bool(covenant.banking_covenants), label


# --------------------------------------------------------------------------- B3.1 / B3.2 DSA


def data_sharing_agreements() -> list[tuple[str, LoadedAnswers, Document]]:
    from tests.test_review_round9_data import of_kind
    return of_kind("data_sharing")


def kinds_of(loaded: LoadedAnswers) -> set[str]:
    return {p.kind for p in plan(loaded.answers)}


class TestB31TheSharingFollowsTheContracts:
    """A data sharing agreement under a collaboration agreement runs while the agreement, the
    head contract or any sub-contract continues, then only for the run-off purposes, which
    also govern a member after it leaves: no sentence cuts the flows off when the agreement
    ends or a member leaves."""

    def test_every_data_sharing_agreement(self) -> None:
        found = 0
        for label, loaded, doc in data_sharing_agreements():
            if "collaboration_agreement" not in kinds_of(loaded):
                continue
            found += 1
            text = clause_text(doc, "dsa-purpose-data")
            run_off = doc.targets["dsa-purpose-data.run-off"].number
            assert "all sharing under it ends when the Collaboration Agreement ends" \
                not in text, label
            # round 12 (B2.7): the term clause is split; after the end, sharing continues only
            # for the run-off purposes of its own sub-clause and ends when they are met.
            flat_text = " ".join(text.split())
            # round 19: a leaver's run-off ends its own sharing only; all sharing ends when the
            # purposes are met after the last of the arrangements ends.
            assert (f"only as clause {run_off} allows" in flat_text
                    or (f"Sharing with or by a Member that has left ends when the purposes of "
                        f"clause {run_off} are met for it, and all sharing under this Agreement "
                        "ends when they are met after" in flat_text)), label
            assert "All sharing under this Agreement ends when the purposes" not in flat_text
            assert "the patients it continues to care for" in text, label
            assert "complaints and patient safety incident reviews" in text, label
            assert "claims, inquests and regulatory inquiries" in text, label
            if loaded.answers.lead is not None:
                # round 21: the Lead Provider and a Partner go on sharing under a continuing
                # sub-contract; every other Member shares while it is a member
                assert ("While the Head Contract and a Partner's sub-contract with the Lead "
                        "Provider continue, the Lead Provider and that Partner go on sharing "
                        "Shared Data") in " ".join(text.split()), label
            leaving = clause_text(doc, "dsa-security-retention")
            assert "receives no Shared Data after the date it leaves" not in leaving, label
            assert f"after the date it leaves only as clause {run_off} allows" in leaving, label
        assert found >= 5


class TestB32OneLiabilityRule:
    """Where a collaboration agreement exists, the data sharing agreement states no liability
    rule of its own: it cites the agreement's liability clause by number."""

    def test_every_data_sharing_agreement(self) -> None:
        for label, loaded, doc in data_sharing_agreements():
            if "collaboration_agreement" not in kinds_of(loaded):
                continue
            text = clause_text(doc, "dsa-security-retention")
            number = build_document(library(), loaded, "collaboration_agreement", None
                                    ).targets["liability-insurance"].number
            assert (f"is as clause {number} (Liability") in text, label
            assert "no other rule of liability or indemnity" in text, label
            assert "otherwise no Member indemnifies another" not in text, label
            assert "may recover that amount from that Member" not in text, label


class TestSection9WithoutSubsection:
    """The Secretary of State determines a dispute about an NHS contract under section 9 of
    the NHS Act 2006, cited with no subsection."""

    def test_every_data_sharing_agreement(self) -> None:
        without = 0
        for label, loaded, doc in data_sharing_agreements():
            text = clause_text(doc, "dsa-security-retention")
            assert "section 9(" not in text, label
            if "Secretary of State" in text:
                without += 1
                assert "for determination under section 9 of the NHS Act" in text, label
        assert without >= 1


class TestB34ProposedDataFlows:
    """The data sharing agreement proposes one data flow per purpose, drafted from the answers:
    purpose, data, from and to (one column, so that six columns' words do not break),
    lawful basis, frequency; the lawful basis is the answers' gateway
    for personal data, and the lead provider's reporting to the commissioner is a row of its
    own wherever there is a lead provider."""

    # round 10c: the basis column names the Article 6 basis, Article 9 condition and gateway
    HEADER = "Purpose | Data | From and to | Lawful basis and gateway | Frequency"
    # round 10c: the gateway follows the Article 6 basis and Article 9 condition in one cell
    BASIS = {"s251": "Art 9(2)(h); s.251 support",
             "direct_care": "Art 9(2)(h); implied consent for individual care",
             "consent": "Art 9(2)(h); explicit consent"}

    def test_every_data_sharing_agreement(self) -> None:
        from tests.test_partner_review import flat
        for label, loaded, doc in data_sharing_agreements():
            text = flat(doc)
            assert self.HEADER in text, label
            table = text[text.index(self.HEADER) + len(self.HEADER):]
            rows = re.findall(r"\|[^|]*\| From [^|]* to [^|]*\|[^|]*\| "
                              r"(?:Monthly|Quarterly|Each |As the)",
                              table[:3000])
            assert len(rows) >= 2, label
            lead = loaded.answers.lead is not None
            # round 14: with identifiable data for commissioning, the lead provider's reporting
            # row is the row of mandated returns to the Commissioner and NHS England
            reporting = ("Reporting to the Commissioner under the Head Contract" in table
                         or "Mandated returns to the Commissioner and NHS England" in table)
            assert reporting == lead, label
            gateway = loaded.answers.data.legal_gateway
            if loaded.answers.data.kinds != "anonymised" and gateway in self.BASIS:
                assert self.BASIS[gateway] in table[:3000], label
            assert "[[" not in table, label


# --------------------------------------------------------------------------- B1.8 defaults


class TestB18EveryRenderedPeriodIsOnTheChecklist:
    """The periods the sub-contract's own clauses and schedules state without an answer behind
    them are listed on the checklist as defaults the library chose, for each partner."""

    # round 13 (D5): numbers as figures ("3 days", "28 days")
    PHRASES = (
        "3 days for the Lead Provider to tell the partner",
        "28 days to agree a fair change to the prices",
        "3 months' notice from the lead provider of a change to the indicative activity plan",
        "the activity report within 14 days after the end of each month",
        "a right of the Lead Provider to end the sub-contract, without a vote",
    )

    def test_every_sub_contract(self) -> None:
        for label, loaded, _, doc in every_sub_contract():
            checklist = " ".join((doc.clauses[0].note or "").split())
            ids = {c.id for c in doc.clauses}
            for phrase in self.PHRASES:
                if "without a vote" in phrase and "collaboration_agreement" not in \
                        kinds_of(loaded):
                    continue
                if "indicative activity" in phrase and "sc-services" not in ids:
                    continue
                assert phrase in checklist, (label, phrase)
