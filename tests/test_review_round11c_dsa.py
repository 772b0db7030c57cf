"""A healthcare partner's review of the data sharing agreements, round 11c, as rules over many
answer sets (the examples, the scenarios, generated collaboratives and variations of them).

The ids are the review's: B3.4 is report B, document 3, finding 4.
"""

from __future__ import annotations

import re

from drafting.model import Document, Paragraph, plain
from drafting.read.load import LoadedAnswers
from tests.test_money_review import schedule
from tests.test_review_round9_data import of_kind

Case = tuple[str, LoadedAnswers, Document]


def paragraphs(document: Document, clause_id: str) -> list[tuple[int, str]]:
    """(level, text) of each paragraph of one clause, references shown as numbers."""
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    for clause in document.clauses:
        if clause.id == clause_id:
            return [(b.level, plain(b.inlines, document.targets, schedules))
                    for b in clause.blocks if isinstance(b, Paragraph)]
    return []


class TestB34PurposesAreLetteredSubParagraphs:
    def test_each_purpose_is_its_own_lettered_paragraph(self) -> None:
        cases = of_kind("data_sharing")
        assert len(cases) >= 6
        for label, _, doc in cases:
            paras = paragraphs(doc, "dsa-purpose-data")
            at = [i for i, (_, t) in enumerate(paras) if "only for these purposes" in t]
            assert len(at) == 1, label
            level, text = paras[at[0]]
            assert text.endswith(":"), (label, text)
            items = []
            for sub_level, sub in paras[at[0] + 1:]:
                if sub_level <= level:
                    break
                items.append(sub)
            assert len(items) >= 2, (label, items)
            for item in items[:-2]:
                assert item.endswith(";") and " and " not in item[-6:], (label, item)
            assert items[-2].endswith("; and"), (label, items)
            assert items[-1].endswith("."), (label, items)
            assert not any("; and the" in item for item in items), (label, items)

    def test_service_names_from_the_answers_have_a_noun(self) -> None:
        for label, loaded, doc in of_kind("data_sharing"):
            text = " ".join(t for _, t in paragraphs(doc, "dsa-purpose-data"))
            assert "Collaborative's services (in these service areas: " in text, label
            assert not re.search(r"Collaborative's services \((?!in these service areas)", text), \
                label


def hub(loaded: LoadedAnswers) -> bool:
    """A lead provider that commissions through its hub, on data that identifies patients."""
    a = loaded.answers
    return (a.governance.model == "lead_provider" and a.commissioning.lead_commissions
            and a.data.kinds != "anonymised")


def flow_rows(document: Document) -> list[list[str]]:
    """The table rows of the data sharing agreement's schedule, as lists of cells."""
    return [[" ".join(c.split()) for c in line.split(" | ")]
            for line in schedule(document, "data-sharing").splitlines() if " | " in line]


class TestB31TheHubsCaseManagementIsADirectCareFlowOfTheAgreement:
    def test_it_is_a_purpose_a_flow_and_not_a_one_off_disclosure(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in of_kind("data_sharing"):
            text = " ".join(t for _, t in paragraphs(doc, "dsa-purpose-data"))
            rows = [r for r in flow_rows(doc) if r and r[0].startswith("Gatekeeping of admissions")]
            seen[hub(loaded)] += 1
            if hub(loaded):
                assert "the Lead Provider's gatekeeping of admissions, case management and " \
                       "placement of patients, through its commissioning hub, for the individual " \
                       "care of each patient concerned;" in text, label
                assert "The sharing they need is systematic, and it is part of this Agreement." \
                    in text, label
                assert "the national data opt-out does not apply to it" in text, label
                assert "(including the Lead Provider's gatekeeping" not in text, label
                assert len(rows) == 1, label
                assert "commissioning hub" in rows[0][2], label
                assert "implied consent for individual care" in rows[0][3], label
            else:
                assert not rows, label
        assert seen[True] >= 2 and seen[False] >= 4, seen


class TestB36IncidentDataReachesAMemberByOneRoute:
    def test_the_monitoring_row_carries_counts_where_the_agreement_has_its_own_rows(self) -> None:
        checked = 0
        for label, _, doc in of_kind("data_sharing"):
            rows = flow_rows(doc)
            own = [r for r in rows if r and r[0].startswith(("Incidents, learning responses",
                                                              "Complaints passed on"))]
            for row in rows:
                if row and row[0] == "Monitoring the quality and outcomes of care" and own:
                    checked += 1
                    assert not row[1].startswith("Incidents, complaints"), label
                    assert "counts of incidents and complaints" in row[1], label
        assert checked >= 2


class TestD32TheLawfulBasisNamesTheKindsOfMemberPresent:
    def test_publicly_funded_care_and_only_the_kinds_present(self) -> None:
        seen = set()
        for label, loaded, doc in of_kind("data_sharing"):
            kinds = {m.kind for m in loaded.answers.members}
            text = " ".join(t for _, t in paragraphs(doc, "data-protection"))
            flows = schedule(doc, "data-sharing")
            assert "NHS-funded care)" not in flows, label
            if "A party that is not a public authority" in text:
                seen.add(tuple(sorted(kinds & {"independent_sector", "vcse"})))
                assert "for the publicly funded care it provides under a contract with an NHS " \
                    "body" in text, label
                assert "(section 8 of the Data Protection Act 2018)" in text, label
            if "independent_sector" not in kinds:
                assert "independent" not in flows.split("Proposed data flows")[-1], label
        assert len(seen) >= 2, seen


class TestD31TheGatewayClauseListsEveryGatewayAFlowUses:
    def test_implied_consent_clause_follows_the_flows(self) -> None:
        checked = 0
        for label, loaded, doc in of_kind("data_sharing"):
            data = loaded.answers.data
            if data.legal_gateway != "direct_care" or data.kinds == "anonymised":
                continue
            text = " ".join(t for _, t in paragraphs(doc, "data-protection"))
            flows = schedule(doc, "data-sharing")
            assert "is shared only for the individual care of the" not in text, label
            assert "The national data opt-out does not apply to sharing for individual care." \
                in text, label
            # round 12 (D1.7, D3.1): the safeguarding gateway names the duties to co-operate
            # and safeguard, never a "statutory duty to share"
            assert "For safeguarding a child or an adult at risk, it is the legal duties to " \
                "co-operate and to safeguard (section 11 of the Children Act 2004 and sections " \
                "6, 42 and 45 of the Care Act 2014), with paragraph 18 of Schedule 1 to the " \
                "Data Protection Act 2018" in text, label
            assert "statutory duty to share" not in text, label
            # round 21: the confidence is the patient's; a complainant acting for the patient
            # stands in only where the complaints regulations entitle them to
            if "or of a complainant entitled to act for them" in flows:
                assert "For a complaint, it is the consent of the " in text, label
                assert "or of the complainant where the complainant is entitled to act for" in \
                    text, label
            assert "the complainant's consent" not in flows + text, label
            # round 19: an incident review rests on implied consent where the recipient is
            # involved in the care, and otherwise shares nothing that identifies the patient
            assert "a legal duty to share" not in flows, label
            if "Incidents, learning responses" in flows or "incident reviews" in flows:
                assert "For a review of an incident, it is that implied consent where the " \
                    "recipient is involved in the" in text, label
            if "Incidents, learning responses" in flows:
                assert "Safeguarding a child or an adult at risk (clause" in flows, label
            checked += 1
        assert checked >= 2
