"""A healthcare partner's round-13 reading of the MOUs (report E, findings E1.1-E1.5 and E2),
as rules over many answer sets: the examples, the scenario sets, MOU variations and generated
collaboratives. Each test reads the paragraphs a lawyer reads.
"""

from __future__ import annotations

import re

from drafting.model import Paragraph
from tests.test_partner_review import clause_text, ids, plain
from tests.test_review_round12_mou import drafted


def _paragraphs(doc, clause_id: str) -> list[Paragraph]:
    for clause in doc.clauses:
        if clause.id == clause_id:
            return [b for b in clause.blocks if isinstance(b, Paragraph)]
    return []


def _words(doc, paragraph: Paragraph) -> str:
    schedules = {k[6:]: v.number for k, v in doc.targets.items() if k.startswith("sched:")}
    return " ".join(plain(paragraph.inlines, doc.targets, schedules).split())


# ------------------------- 1. (E1.2) the Observer exclusions: one lead-in, a list, a sub-clause


def test_observer_exclusion_list_is_one_lead_in_and_its_items() -> None:
    seen = 0
    for name, _loaded, doc in drafted():
        if doc.kind != "mou":
            continue
        paragraphs = _paragraphs(doc, "mou-governance")
        words = [_words(doc, p) for p in paragraphs]
        lead = [i for i, w in enumerate(words) if "without any decision of the chair" in w]
        if not lead:
            continue
        seen += 1
        i = lead[0]
        assert words[i].endswith("any of the following:"), (name, words[i])
        items = []
        j = i + 1
        while j < len(paragraphs) and paragraphs[j].level > 1:
            items.append(words[j])
            j += 1
        assert len(items) >= 2, (name, words[i:i + 5])
        assert all(w.endswith(";") for w in items[:-2]), (name, items)
        assert items[-2].endswith("; or"), (name, items)
        assert items[-1].endswith("."), (name, items)
        # nothing unnumbered hangs below the list (round 24: nor any discretion of the chair)
        if j < len(paragraphs):
            assert paragraphs[j].level == 1 and paragraphs[j].number, (name, words[j])
            assert not words[j].startswith("Where the chair so decides"), (name, words[j])
    assert seen >= 2


# ------------------ 4. (E1.4) the chair's turn as answered; (E1.5) capacity only as the barrier allows


def test_mou_chair_turn_is_never_an_instruction_to_delete_in_the_operative_text() -> None:
    seen = 0
    for name, loaded, doc in drafted():
        if doc.kind != "mou":
            continue
        text = clause_text(doc, "mou-governance")
        assert "delete one" not in text, name
        assert not re.search(r"\[\d+\] / \[", text), name
        months = loaded.answers.governance.chair_rotation_months
        if months and f"for [{months}] month" in text:
            seen += 1
    assert seen >= 1


def test_purpose_qualifies_shared_capacity_whenever_the_competition_clause_applies() -> None:
    seen = 0
    for name, _loaded, doc in drafted():
        if doc.kind not in ("collaboration_agreement", "mou"):
            continue
        if "competition-information-barrier" not in ids(doc):
            continue
        text = clause_text(doc, "purpose-objectives")
        if "work at scale" not in text:
            continue
        seen += 1
        assert "sharing capacity and expertise" not in text, (name, text)
        assert "plan the use of their capacity together only on" in text, name
    assert seen >= 2


# ------------------------ 3. (E1.3) one survival list for a leaver and for the memorandum's end


def test_one_survival_list_binds_a_leaver_and_applies_at_the_end() -> None:
    seen = 0
    for name, _loaded, doc in drafted():
        if doc.kind != "mou":
            continue
        paragraphs = _paragraphs(doc, "mou-review")
        words = [_words(doc, p) for p in paragraphs]
        lead = [i for i, w in enumerate(words) if "when this memorandum ends" in w
                and "continue to bind" in w]
        assert len(lead) == 1, (name, words)
        i = lead[0]
        number = paragraphs[i].number
        listed = []
        j = i + 1
        while j < len(paragraphs) and paragraphs[j].level > 1:
            listed.append(words[j])
            j += 1
        numbers = {c.id: doc.targets[c.id].number for c in doc.clauses if c.id in doc.targets}
        joined = " ".join(listed)
        for cid in ("confidentiality-foi", "dispute-resolution"):
            assert f"clause {numbers[cid]} " in joined + " ", (name, cid, joined)
        assert f"clause {doc.targets['status.law'].number} " in joined + " ", (name, joined)
        if "competition-information-barrier" in numbers:
            # round 14: each item names its clause's title
            assert f"clause {numbers['competition-information-barrier']} (competition law and " \
                "information sharing), so far as it restricts" in joined, name
        text = " ".join(words)
        assert "remains bound by clause" not in text, name
        withdraw = [w for w in words if "may withdraw from this memorandum" in w]
        assert withdraw and f"clause {number} continue to bind it" in withdraw[0], (name, withdraw)
        seen += 1
    assert seen >= 2
