"""A healthcare partner's round-13 reading of the MOUs (findings AE2.2, AE2.6 and E1), as rules
over many answer sets: the examples, the scenario sets, MOU variations and generated
collaboratives. Each test reads the text a lawyer reads.
"""

from __future__ import annotations

import re

from tests.test_partner_review import clause_text
from tests.test_review_round9_law import checklist
from tests.test_review_round11c_mou import has_is
from tests.test_review_round12_mou import drafted

# ------------------------------ 1. (AE2.2) joint capacity planning only on the Hub's information


def test_joint_capacity_planning_is_its_own_sentence_tied_to_the_information() -> None:
    seen = 0
    for name, loaded, doc in drafted():
        if doc.kind not in ("collaboration_agreement", "mou") or not has_is(loaded):
            continue
        text = clause_text(doc, "purpose-objectives")
        sentences = re.split(r"(?<=\.) ", text)
        scale = [s for s in sentences if "at scale" in s]
        if not scale:
            continue
        seen += 1
        assert "capacity" not in scale[0], (name, scale[0])
        planning = [s for s in sentences if "plan the use of their capacity together only on" in s]
        assert len(planning) == 1, (name, text)
        assert "Information Hub" in planning[0] or "allows them to share" in planning[0], name
    assert seen >= 2


# ------------------------------- 3. (AE2.6) a library default is never called an answered value


def test_mou_invoice_period_is_described_as_the_library_default() -> None:
    seen = 0
    for name, _loaded, doc in drafted():
        if doc.kind != "mou":
            continue
        notes = checklist(doc)
        assert "that the answers give for the pack" not in notes, name
        if "after a valid invoice is received" in notes:
            seen += 1
            assert "the library's default period for paying an invoice" in notes, name
            assert re.search(r"paid within \d+ days? after a valid invoice", notes), name
    assert seen >= 2


# ------------------------ 4. (E1.2) an automatic list of Observer exclusions has no discretion


def test_observer_exclusion_list_has_no_discretionary_limb() -> None:
    seen = 0
    for name, _loaded, doc in drafted():
        if doc.kind != "mou":
            continue
        text = clause_text(doc, "mou-governance")
        start = text.find("without any decision of the chair")
        if start < 0:
            continue
        seen += 1
        listed = text[start:text.find("Where the chair so decides", start)]
        assert "Where the chair so decides" in text[start:], name
        assert "so decides" not in listed and "chair decides" not in listed, (name, listed)
        assert "commercial negotiating position" not in listed, name
    assert seen >= 2
