"""A healthcare partner's review of the data sharing agreements, round 12, as rules over many
answer sets (the examples, the scenarios, generated collaboratives and variations of them).

The ids are the review's: B2.1 is report B, document 2, finding 1.
"""

from __future__ import annotations

import re

from drafting.model import Document
from tests.test_money_review import schedule
from tests.test_partner_review import clause_text
from tests.test_review_round9_data import of_kind
from tests.test_review_round10_lead import checklist
from tests.test_review_round11c_dsa import flow_rows, hub, paragraphs


def note_of(document: Document, clause_id: str) -> str:
    """The drafting note of one clause, on one line."""
    return " ".join(next((c.note or "" for c in document.clauses if c.id == clause_id), "").split())


def flows(document: Document) -> list[list[str]]:
    """The rows of the proposed data flows (five cells each), without the header."""
    body = schedule(document, "data-sharing").split("Proposed data flows", 1)[-1]
    return [[" ".join(c.split()) for c in line.split(" | ")]
            for line in body.splitlines() if line.count(" | ") == 4 and
            not line.startswith("Purpose | ")]


class TestB21ThePlacementFlowHasOneHome:
    def test_a_flow_of_the_agreement_that_waits_for_an_uncompleted_dpia(self) -> None:
        seen: set[tuple[bool, bool]] = set()
        for label, loaded, doc in of_kind("data_sharing"):
            text = clause_text(doc, "dsa-purpose-data")
            note = note_of(doc, "dsa-purpose-data")
            assert "outside this Agreement" not in text, label
            assert "go ahead from the start" not in note, label
            if not hub(loaded):
                continue
            waits = loaded.answers.data.dpia != "completed"
            seen.add((True, waits))
            assert "The sharing they need is systematic, and it is part of this Agreement." \
                in text, label
            assert ("It starts only once that DPIA is completed" in text) == waits, label
            # round 21: the note says placements through the hub wait, and that a referral to
            # the hub is not a one-off disclosure
            assert ("placements through the hub wait for it" in note) == waits, label
            assert ("a referral to the hub is not such a disclosure" in note) == waits, label
            row, = [r for r in flows(doc) if r[0].startswith("Gatekeeping of admissions")]
            assert "implied consent for individual care" in row[3], label
            assert "within the DPIA" in row[3], label
            assert ("starts only once it is completed" in row[3]) == waits, label
            assert "[●]" not in row[4], label
            one_off = [t for _, t in paragraphs(doc, "dsa-purpose-data")
                       if "individual care that no flow of Schedule" in t]
            if loaded.answers.data.kinds != "identifiable_direct_care":
                assert len(one_off) == 1, label
                assert one_off[0].startswith("A one-off disclosure"), label
        assert seen == {(True, True), (True, False)}, seen


class TestB22TheSuspensionWorksAgainstTheLeadProvider:
    def test_only_what_the_lead_passes_to_the_commissioner_is_carved_out(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in of_kind("data_sharing"):
            text = clause_text(doc, "dsa-security-retention")
            lead = loaded.answers.governance.model == "lead_provider"
            seen[lead] += 1
            assert "must give the Lead Provider under its sub-contract" not in text, label
            assert ("to another Member, the Lead Provider included, at once" in text) == lead, \
                label
            assert ("nor to the information the Lead Provider must pass to the Commissioner under "
                    "the Head Contract" in text) == lead, label
            suspension = [t for _, t in paragraphs(doc, "dsa-security-retention")
                          if t.startswith("A Member may suspend")]
            assert len(suspension) == 1 and suspension[0].endswith("For a suspension:"), label
            assert len(suspension[0].split()) <= 120, label
        assert all(seen.values()), seen


class TestB23MembersReceiveOnlyPooledFigures:
    def test_no_member_level_figures_go_to_each_other_member(self) -> None:
        checked = 0
        for label, _, doc in of_kind("data_sharing"):
            for row in flows(doc):
                if row[1].startswith("Aggregated") or row[0].startswith("Equality"):
                    checked += 1
                    assert "to each other Member" not in row[2], (label, row)
                    if row[2].startswith("From each Member"):
                        assert "each Member receives only figures pooled across the " \
                            "Collaborative" in row[2], (label, row)
        assert checked >= 6


class TestB24SharedDataAndTheGatewaySummaryFollowTheFlows:
    GATEWAYS = {"s.251 support": "section 251 support",
                "implied consent for": "consent implied for individual care",
                # round 21: the consent of the person the complaint concerns
                "or of a complainant entitled to act for them":
                    "or of a complainant entitled to act for them",
                # round 12: the safeguarding gateway names the duties to co-operate
                "the duties to co-operate and safeguard":
                    "the duties to co-operate and safeguard",
                "a legal duty to share": "a legal duty to share",
                "explicit consent": "explicit consent"}

    def test_shared_data_is_what_the_flow_table_lists(self) -> None:
        for label, _, doc in of_kind("data_sharing"):
            text = clause_text(doc, "dsa-purpose-data")
            assert "The Shared Data is the data of the flows that Schedule 1 lists." in text, label
            assert re.search(r"“Shared Data” means the data of each flow listed in Schedule 1",
                             " ".join(t for _, t in paragraphs(doc, "definitions"))) \
                or "definitions" not in {c.id for c in doc.clauses}, label

    def test_every_gateway_a_flow_uses_is_in_the_summary(self) -> None:
        checked = 0
        for label, _, doc in of_kind("data_sharing"):
            spec = schedule(doc, "data-sharing")
            summary = next(line for line in spec.splitlines()
                           if line.startswith("Legal basis for sharing confidential"))
            for row in flows(doc):
                for used, named in self.GATEWAYS.items():
                    if used in row[3]:
                        checked += 1
                        assert named in summary, (label, row[0], summary)
        assert checked >= 10


class TestB27TheTermIsSplitIntoItsParts:
    def test_binding_start_after_leaving_and_survival(self) -> None:
        seen = {True: 0, False: 0}
        for label, _, doc in of_kind("data_sharing"):
            paras = [t for _, t in paragraphs(doc, "dsa-purpose-data")]
            assert "This Agreement binds each Member from when it signs it." in paras, label
            assert sum(t.startswith("No Shared Data is shared under this Agreement before")
                       for t in paras) == 1, label
            assert paras[-1].endswith("The duties of this Agreement about Shared Data already "
                                      "received continue for as long as a Member holds that "
                                      "data."), label
            run_off = [t for t in paras if t.startswith("After a Member leaves the Collaborative")]
            seen[bool(run_off)] += 1
            if run_off:
                assert any("Collaboration Agreement" in t for t in paras), label
                assert "(and, for every Member" not in run_off[0], label
        assert all(seen.values()), seen


class TestB28BlanksProposeStandardContent:
    def test_bracketed_proposals_on_the_checklist(self) -> None:
        checked = 0
        for label, loaded, doc in of_kind("data_sharing"):
            spec = schedule(doc, "data-sharing")
            for row in ("Systems used", "Methods of transfer", "Data fields"):
                line = next(x for x in spec.splitlines() if x.startswith(row + " | "))
                assert "[●]" not in line and re.search(r"\[[^●\]]+\]", line), (label, line)
            for m in loaded.answers.members:
                if m.member_class == "observer":
                    continue
                checked += 1
                # round 13: the DSPT organisation code is the member's ODS code from the answers
                assert f"{m.name} (DSPT organisation code {m.ods_code or '[●]'}) | " \
                    "[Caldicott Guardian] | [Data Protection Officer] | " \
                    "[Head of Information Governance]" in spec, (label, m.name)
            assert "[Data Protection Officer]" in checklist(doc) or re.search(
                r"Schedule 1[^:]*: \d+ blanks", checklist(doc)), label
        assert checked >= 12
