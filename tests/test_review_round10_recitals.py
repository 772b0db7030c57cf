"""Round 10: every document opens with a Background of lettered recitals.

A lawyer's draft has, between the parties and the operative terms, a "Background" heading and
recitals (A), (B), (C)... saying who the parties are and why they sign. The outline's
`background` names the library clause drafted there; the recitals are no numbered clause and
no entry of the table of contents, Word letters them with its own numbering (so a recital
added in Word re-letters the rest), and a memorandum's terms follow under a heading that fits a
largely non-binding document. Checked over the bundled examples and the five scenario sets, in
the model, the text writer, Word, and Word as LibreOffice reads it back (docx, text and HTML).
"""

from __future__ import annotations

import re
import tempfile
from functools import lru_cache
from pathlib import Path

import docx
import pytest

from drafting.build.assemble import load_outline
from drafting.build.pack import build_document, plan
from drafting.model import Document, plain
from drafting.read.library import Library, load_library
from drafting.read.load import load_answers, parse_answers
from drafting.review import accept_all, compare_packages, document_texts, reject_all
from drafting.review.check import check_redline
from drafting.review.package import read_package
from drafting.write.convert import convert
from drafting.write.docx import read_provenance, write_docx
from drafting.write.text import write_text
from tests.review_sets import ALL, DOMINANT, JOINT, MOU_ONLY, NORTH_EAST, SHARED, changed_yaml

KINDS = ("collaboration_agreement", "sub_contract", "mou", "committee_terms", "data_sharing",
         "accession_deed")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@lru_cache(maxsize=1)
def library() -> Library:
    return load_library()


@lru_cache(maxsize=None)
def documents_of(path: Path) -> tuple[tuple[str, Document], ...]:
    loaded = load_answers(path)
    return tuple((p.filename, build_document(library(), loaded, p.kind, p.partner_id))
                 for p in plan(loaded.answers))


CASES = [(path, name, doc.kind) for path in ALL for name, doc in documents_of(path)]
IDS = [f"{path.stem}-{name}" for path, name, _kind in CASES]


def letters(n: int) -> list[str]:
    return [f"({chr(ord('A') + i)})" for i in range(n)]


def test_every_document_kind_is_covered() -> None:
    assert {kind for _p, _n, kind in CASES} == set(KINDS)
    for kind in KINDS:
        assert load_outline(kind).background == "background"


@pytest.mark.parametrize(("path", "name", "kind"), CASES, ids=IDS)
def test_background_is_lettered_recitals_before_the_terms(path: Path, name: str,
                                                          kind: str) -> None:
    doc = dict(documents_of(path))[name]
    assert len(doc.recitals) >= 2
    assert [r.number for r in doc.recitals] == letters(len(doc.recitals))
    assert all(r.style == "recital" and r.level == 0 for r in doc.recitals)
    # not a numbered clause: the clauses start at 1 and none is the background
    assert doc.clauses[0].number == "1"
    assert "background" not in {c.id for c in doc.clauses}
    current = library().get("background")
    assert doc.provenance["background"]["id"] == "background"
    assert doc.provenance["background"]["version"] == current.version
    text = write_text(doc).split("\n")
    start = text.index("BACKGROUND")
    assert text[start + 1].startswith("(A) ")
    first_clause = next(i for i, line in enumerate(text) if re.match(r"1 [A-Z]", line))
    assert start < first_clause
    if doc.parties:
        assert start > max(i for i, line in enumerate(text) if line.startswith("(1) "))


@pytest.mark.parametrize(("path", "name", "kind"), CASES, ids=IDS)
def test_no_lead_provider_recital_without_a_lead(path: Path, name: str, kind: str) -> None:
    doc = dict(documents_of(path))[name]
    recitals = " ".join(plain(r.inlines, doc.targets) for r in doc.recitals)
    loaded = load_answers(path)
    if loaded.answers.lead is None:
        assert "Lead Provider" not in recitals
        assert "Head Contract" not in recitals
        assert "Commissioner" not in recitals
    elif kind in ("collaboration_agreement", "sub_contract"):
        assert "The Commissioner has contracted with the Lead Provider" in recitals
    if kind == "mou":
        binding = loaded.answers.mou_binding
        assert ("not legally binding" in recitals) == (not binding)
        assert ("Collaboration Agreement" in recitals) == \
            ("collaboration_agreement" in loaded.answers.documents)


def test_joint_committee_recital_leaves_the_council_out_of_the_delegation() -> None:
    terms = dict(documents_of(JOINT))
    doc = next(d for d in terms.values() if d.kind == "committee_terms")
    council = next(m.name for m in load_answers(JOINT).answers.members
                   if m.kind == "local_authority")
    first = plain(doc.recitals[0].inlines, doc.targets)
    assert "section 65Z5" in first
    assert f"other than {council}, which takes part without any function" in first


def _word(data: bytes) -> docx.document.Document:
    import io

    return docx.Document(io.BytesIO(data))


def _recital_numbering(word: docx.document.Document) -> tuple[str, str]:
    """(numFmt, lvlText) of the list the Recital style's paragraphs are numbered by."""
    numbering = word.part.numbering_part.element
    paragraph = next(p for p in word.paragraphs if p.style.name == "Recital")
    num_pr = paragraph._p.find(f"{W}pPr/{W}numPr")
    if num_pr is None:
        num_pr = paragraph.style.element.find(f"{W}pPr/{W}numPr")
    num_id = num_pr.find(f"{W}numId").get(f"{W}val")
    num = next(n for n in numbering.findall(f"{W}num") if n.get(f"{W}numId") == num_id)
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next(a for a in numbering.findall(f"{W}abstractNum")
                    if a.get(f"{W}abstractNumId") == abstract_id)
    level = abstract.find(f"{W}lvl")
    return (level.find(f"{W}numFmt").get(f"{W}val"), level.find(f"{W}lvlText").get(f"{W}val"))


def _check_word(word: docx.document.Document, doc: Document, toc: bool = True) -> None:
    texts = [p.text for p in word.paragraphs]
    styles = [p.style.name for p in word.paragraphs]
    start = texts.index("Background")
    recitals = [t for t, s in zip(texts, styles, strict=True) if s == "Recital"]
    assert recitals == [plain(r.inlines, doc.targets) for r in doc.recitals]
    after = start + 1 + len(recitals)
    assert styles[start + 1:after] == ["Recital"] * len(recitals)
    assert texts[after] == doc.terms_heading
    if doc.parties:
        assert texts.index("Parties") < start
    assert _recital_numbering(word) == ("upperLetter", "(%1)")
    if toc:  # not in the table of contents (LibreOffice keeps it where python-docx cannot see)
        entries = [t for t, s in zip(texts, styles, strict=True) if s == "toc 1"]
        assert entries and not any("Background" in t or recitals[0][:40] in t for t in entries)


def one_of_each_kind() -> list[tuple[Path, str]]:
    """One document of each kind, from the scenario sets (a lead provider, an MOU alone,
    committees in common)."""
    seen: dict[str, tuple[Path, str]] = {}
    for path in (DOMINANT, MOU_ONLY, SHARED):
        for name, doc in documents_of(path):
            seen.setdefault(doc.kind, (path, name))
    return list(seen.values())


LIBREOFFICE = one_of_each_kind()


@pytest.mark.parametrize(("path", "name"), LIBREOFFICE,
                         ids=[f"{p.stem}-{n}" for p, n in LIBREOFFICE])
def test_word_recitals_through_libreoffice(path: Path, name: str) -> None:
    """Word's own lettering survives LibreOffice: read back as docx, text and HTML."""
    doc = dict(documents_of(path))[name]
    with tempfile.TemporaryDirectory() as tmp:
        data = write_docx(doc, notes=True)
        _check_word(_word(data), doc)
        source = Path(tmp) / name
        source.write_bytes(data)
        back = convert(source, "docx", Path(tmp) / "docx")
        _check_word(docx.Document(str(back)), doc, toc=False)
        text = convert(source, "txt:Text", Path(tmp) / "txt").read_text(encoding="utf-8-sig")
        lines = [line.strip() for line in text.split("\n")]
        start = lines.index("Background")
        for n, (label, recital) in enumerate(zip(letters(len(doc.recitals)), doc.recitals,
                                                 strict=True), start=1):
            assert lines[start + n] == f"{label} {plain(recital.inlines, doc.targets)}"
        assert lines[start + len(doc.recitals) + 1] == doc.terms_heading
        page = convert(source, "html", Path(tmp) / "html").read_text(encoding="utf-8",
                                                                     errors="replace")
        after = page[page.index("Background</"):]
        assert re.match(r'Background(\s*</\w+>)+\s*<ol type="A">', after), after[:200]
        items = after[:after.index("</ol>")].count("<li")
        assert items == len(doc.recitals)


def test_terms_heading_fits_the_document() -> None:
    headings = {doc.kind: doc.terms_heading for path in ALL for _n, doc in documents_of(path)}
    assert headings["mou"] == "Terms of this memorandum"
    for kind in ("collaboration_agreement", "sub_contract", "data_sharing", "accession_deed"):
        assert headings[kind] == "Agreed terms"


def test_same_answers_same_bytes_with_the_recitals() -> None:
    loaded = load_answers(NORTH_EAST)
    first = write_docx(build_document(library(), loaded, "collaboration_agreement"), notes=True)
    again = write_docx(build_document(library(), load_answers(NORTH_EAST),
                                      "collaboration_agreement"), notes=True)
    assert first == again
    provenance = read_provenance(first)
    assert provenance is not None
    assert provenance["background"] == {"id": "background",
                                        "version": library().get("background").version,
                                        "variant": "agreement"}


def test_redline_of_a_changed_recital_round_trips() -> None:
    """Two agreements that differ in a recital (another integrated care system): the redline
    reproduces each exactly on accepting or rejecting every change."""
    old_loaded = load_answers(NORTH_EAST)
    text = changed_yaml(NORTH_EAST, {"collaborative": {"ics": ["Cheshire and Merseyside"]}})
    new_loaded = parse_answers(text, str(NORTH_EAST))
    old = write_docx(build_document(library(), old_loaded, "collaboration_agreement"))
    new_doc = build_document(library(), new_loaded, "collaboration_agreement")
    new = write_docx(new_doc)
    assert "Cheshire and Merseyside" in plain(new_doc.recitals[0].inlines, new_doc.targets)
    red = compare_packages(read_package(old), read_package(new),
                           date="2026-11-30T09:00:00Z").data
    assert document_texts(accept_all(read_package(red).document())) == \
        document_texts(read_package(new).document())
    assert document_texts(reject_all(read_package(red).document())) == \
        document_texts(read_package(old).document())
    assert check_redline(red, old, new) == []
