"""A healthcare partner's second review of the sub-contracts (report B, round 11c), as rules
over many answer sets.

Each rule is checked on every sub-contract the bundled examples, the scenario sets, the
generated sets and the sets changed to another payment basis draft. The names (B1.1 ...) are the
review's: report B, document 1, finding 1.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafting.write.text import write_text
from tests.review_sets import SCENARIOS
from tests.test_partner_review import clause_text, pack
from tests.test_review_round6_sc import every_sub_contract


# ------------------------------------------------------------- B1.1 verification of a share


def test_b1_1_no_partner_auditor_sees_the_reconciliation_evidence() -> None:
    """A partner's share of a deficit is verified by an independent auditor (or as the
    agreement's risk-share clause provides), never by the partner's own auditor, who would see
    the other members' prices and costs."""
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        text = clause_text(document, "sc-payment")
        if "require its share to be verified" not in text \
                and "reconciliation" not in text:
            continue
        assert "its own external auditor" not in text, label
        if "require its share to be verified" in text:
            assert "independent auditor" in text or "of the Collaboration Agreement provides" \
                in text, label
            checked += 1
    assert checked >= 2


# ------------------------------------------------------------ B1.5 / B2.6 two-party wording


def test_b1_5_dispute_clause_speaks_of_two_parties() -> None:
    """A sub-contract has two parties: its dispute clause never says "the parties to the
    Dispute" or "signed by the parties to it"."""
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        text = clause_text(document, "dispute-resolution")
        assert "parties to the Dispute" not in text, label
        assert "signed by the parties to it" not in text, label
        checked += 1
    assert checked >= 10


# ------------------------------------------------------------- B2.8 / A1.9 every bracket


BRACKET = re.compile(r"\[[^\[\]\n]+\]")


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_b2_8_checklist_counts_every_bracketed_blank(path: Path) -> None:
    """A bracketed proposal ("[6,300]", "[£1,746.03]") or a bracketed description ("[chair /
    secretary]", "[the services … provides itself]") is a blank the lawyer must complete, so
    the checklist counts it with the [●] blanks."""
    proposals = 0
    for name, doc in pack(path).items():
        text = write_text(doc)
        found = BRACKET.findall(text)
        proposals += sum("●" not in b for b in found)
        note = doc.clauses[0].note or ""
        counted = sum(int(n) for n in re.findall(r": (\d+) blanks?[;.]", note))
        assert counted == len(found), (name, counted, found)
    if path.stem == "lead-provider-dominant":
        assert proposals >= 4


# ------------------------------------------------------------------ B2.2 covenant cap blank


def test_b2_2_covenant_cap_is_a_blank_of_the_sub_contract_with_the_lead_exposure() -> None:
    """A covenant partner's sub-contract that caps its liability by the agreement's schedule
    states the figure (or its blank) itself, so its own checklist lists it, and the note tells
    the lead what it carries above the cap."""
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        text = clause_text(document, "liability-insurance")
        if "shown as its covenant cap" not in text:
            continue
        after = text.split("shown as its covenant cap", 1)[1][:400]
        assert "at the date of this Sub-Contract" in after, label
        if "[£●] at the date of this Sub-Contract" in after:
            note = document.clauses[0].note or ""
            assert "(Liability, indemnity and insurance)" in note, label
            clause = next(c for c in document.clauses if c.id == "liability-insurance")
            assert "borne by the Lead Provider alone" in (clause.note or ""), label
        checked += 1
    assert checked >= 1


# ------------------------------------------------------- B1.8 / B1.10 Part C and entire agreement


def test_b1_8_information_only_kpis_are_not_met() -> None:
    """A key performance indicator that measures the lead's own commissioning decisions sits in
    a table of indicators reported for information, never under "meets the following"."""
    seen = 0
    for label, loaded, partner, document in every_sub_contract():
        theirs = loaded.answers.lead_decision_kpis()[partner]
        text = write_text(document)
        part_c = text.split("Part C: Local quality requirements", 1)[1].split("Part D:", 1)[0]
        met = part_c.split("for information only", 1)[0]
        for name in theirs:
            assert name.strip()[1:].rstrip(".") not in met, (label, name)
            seen += 1
    assert seen >= 1


def test_b1_10_entire_agreement_names_the_boards_terms_where_relied_on() -> None:
    """A sub-contract that relies on the Board names the Board's terms of reference in its
    entire-agreement clause and in its list of documents relied on."""
    checked = 0
    for label, loaded, _partner, document in every_sub_contract():
        documents = loaded.answers.documents
        if "committee_terms" not in documents or "collaboration_agreement" not in documents:
            continue
        assert "terms of reference of the Board" in clause_text(document, "boilerplate"), label
        text = write_text(document)
        relied = text.split("Part A: Documents relied on", 1)[1][:1200]
        assert "terms of reference of the Board" in relied, label
        checked += 1
    assert checked >= 2


# ----------------------------------------------------------- B1.3 two documents, one paragraph


def test_b1_3_incorporation_list_qualifies_every_clause_number() -> None:
    """In the list of the agreement's provisions a sub-contract incorporates, each clause number
    says its document: a bare "clause 21" next to the agreement's clause 21 is ambiguous."""
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        text = clause_text(document, "interpretation")
        if "are incorporated into this Sub-Contract" not in text:
            continue
        listed = text.split("are incorporated into this Sub-Contract", 1)[1]
        listed = listed.split("Nothing in this Sub-Contract limits", 1)[0]
        for match in re.finditer(r"clause (\d+(?:\.\d+)?)(?: \([^)]*\))?( of (?:the Collaboration "
                                 r"Agreement|this Sub-Contract|that agreement))?", listed):
            joined = listed[match.end():].startswith(" and clause")
            assert match.group(2) or joined, (label, match.group(0))
        assert "of this Sub-Contract says what follows" in listed, label
        checked += 1
    assert checked >= 3
