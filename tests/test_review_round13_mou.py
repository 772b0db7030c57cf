"""A healthcare partner's round-13 reading of the MOUs (findings AE2.2, AE2.6 and E1), as rules
over many answer sets: the examples, the scenario sets, MOU variations and generated
collaboratives. Each test reads the text a lawyer reads.
"""

from __future__ import annotations

import re

from tests.test_partner_review import clause_text, flat
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


def test_mou_invoice_period_is_described_as_the_drafts_default() -> None:
    seen = 0
    for name, _loaded, doc in drafted():
        if doc.kind != "mou":
            continue
        notes = checklist(doc)
        assert "that the answers give for the pack" not in notes, name
        if "after a valid invoice is received" in notes:
            seen += 1
            assert "this draft's default period for paying an invoice" in notes, name
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
        listed = text[start:]
        # round 24 (mou-governance v14): the commissioner at the table never sees a Member's
        # negotiating position with a commissioner, so no item is left to the chair's discretion
        assert "so decides" not in listed and "chair decides" not in listed, (name, listed)
        assert "a Member's commercial negotiating position with a commissioner." in listed, name
    assert seen >= 2


# ----------------------- 2. (AE2.5) one dating convention for a signed document and the cover


def test_signed_documents_say_the_cover_date_is_the_last_signature() -> None:
    seen = 0
    for name, _loaded, doc in drafted():
        text = clause_text(doc, "execution")
        if "has been signed by the authorised signatory of each party" not in text:
            continue
        seen += 1
        assert "The date on the cover is the date of the last of those signatures" in text, name
        if doc.kind == "mou":
            assert re.search(r"each party is bound from the date clause \d+\.\d+ gives", text), name
    assert seen >= 4


# ------------------------- 5. (C6) no one signs for two parties when the answers repeat a name


def _joint_sets() -> list[tuple[str, object, object]]:
    """Documents whose answers give one signatory to two or more parties."""
    found = []
    for name, loaded, doc in drafted():
        names = [(m.signatory.name or "").strip().lower() for m in loaded.answers.members
                 if m.signatory and not (doc.kind == "data_sharing"
                                         and m.member_class == "observer")]
        if len(names) != len(set(names)) and "authorised signatory of each party" in \
                clause_text(doc, "execution"):
            found.append((name, loaded, doc))
    return found


def test_a_joint_post_holder_is_named_in_each_block_and_the_note_flags_it() -> None:
    """Round 14 (execution v12) replaces round 13's blank: a block never drops the name the
    answers give; the note names the parties that share a signatory and how to change it."""
    joint = _joint_sets()
    assert joint
    for name, loaded, doc in joint:
        text = clause_text(doc, "execution")
        for m in loaded.answers.members:
            if doc.kind == "data_sharing" and m.member_class == "observer":
                continue
            person = (m.signatory.name or "").strip()
            if person:
                assert f"by {person}, {m.signatory.role}" in text, (name, person)
        assert "who signs for no other party" not in text, name
        note = " ".join(next(c.note or "" for c in doc.clauses if c.id == "execution").split())
        assert "each block names that person as the answers give" in note, name
        assert "name another director or authorised signatory" in note, name


def test_distinct_signatories_are_all_named() -> None:
    seen = 0
    for name, loaded, doc in drafted():
        text = clause_text(doc, "execution")
        if "authorised signatory of each party" not in text:
            continue
        names = [(m.signatory.name or "").strip() for m in loaded.answers.members
                 if m.signatory and not (doc.kind == "data_sharing"
                                         and m.member_class == "observer")]
        if len(set(n.lower() for n in names)) == len(names):
            seen += 1
            assert "who signs for no other party" not in text, name
            for person in names:
                assert f"by {person}," in text, (name, person)
    assert seen >= 4


# ------------------- 4. (E1.10) the workplan ends with approval and signature, or an extension


def test_mou_workplan_ends_with_approval_and_signature_or_extension() -> None:
    seen = 0
    for name, loaded, doc in drafted():
        if doc.kind != "mou":
            continue
        text = flat(doc)
        if "if each Member Board decides to proceed on that report" not in text:
            continue
        seen += 1
        assert "Each Member Board then approves it and each Member signs it" in text, name
        if loaded.answers.collaborative.term.kind == "fixed_years":
            assert re.search(r"before this memorandum ends on \d+ \w+ \d{4}, or the Members "
                             r"agree to extend the Term under clause \d+\.\d+", text), name
    assert seen >= 2


# ------------------------ 4. (E1.4) the equality clause always reports, whatever the members


def test_equality_clause_always_has_its_reporting_limbs() -> None:
    seen = 0
    for name, _loaded, doc in drafted():
        text = clause_text(doc, "equality-health-inequalities")
        if not text:
            continue
        seen += 1
        assert "broken down by protected characteristic and by deprivation" in text, name
        assert "to advance equality and to reduce health inequalities" in text, name
    assert seen >= 4
