"""A healthcare partner's review of the data sharing agreements, round 11c, as rules over many
answer sets (the examples, the scenarios, generated collaboratives and variations of them).

The ids are the review's: B3.4 is report B, document 3, finding 4.
"""

from __future__ import annotations

import re

from drafting.model import Document, Paragraph, plain
from drafting.read.load import LoadedAnswers
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
