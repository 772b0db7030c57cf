"""The Word writer: real numbering, bookmarks and REF fields, TOC, comments, provenance, bytes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from drafting.build.provenance import read_provenance
from drafting.cli import main
from drafting.model import Document
from drafting.read.library import load_library
from drafting.write.docx import write_docx
from tests.test_assemble import answers, draft

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(q("t")))


@pytest.fixture(scope="module")
def document() -> Document:
    return draft(answers())


@pytest.fixture(scope="module")
def data(document: Document) -> bytes:
    return write_docx(document)


class TestStructure:
    def test_opens_in_python_docx_with_styles(self, data: bytes) -> None:
        opened = docx.Document(io.BytesIO(data))
        styles = {p.style.name for p in opened.paragraphs}
        assert {"Clause Heading", "Clause Level 1", "Clause Level 2", "Definition",
                "Schedule Heading", "toc 1"} <= styles
        headings = [p.text for p in opened.paragraphs if p.style.name == "Clause Heading"]
        assert headings == ["Definitions", "Purpose and objectives", "Lead provider", "Voting",
                            "Expulsion", "Counterparts"]

    def test_word_multilevel_numbering(self, data: bytes) -> None:
        numbering = part(data, "word/numbering.xml")
        levels = numbering.find("w:abstractNum", NS).findall("w:lvl", NS)
        got = [(lvl.find("w:numFmt", NS).get(q("val")), lvl.find("w:lvlText", NS).get(q("val")))
               for lvl in levels[:4]]
        assert got == [("decimal", "%1"), ("decimal", "%1.%2"), ("lowerLetter", "(%3)"),
                       ("lowerRoman", "(%4)")]
        body = part(data, "word/document.xml")
        numbered = [(p.find("w:pPr/w:pStyle", NS).get(q("val")),
                     p.find("w:pPr/w:numPr/w:ilvl", NS).get(q("val")),
                     p.find("w:pPr/w:numPr/w:numId", NS).get(q("val")))
                    for p in body.iter(q("p")) if p.find("w:pPr/w:numPr", NS) is not None]
        assert ("ClauseHeading", "0", "1") in numbered and ("ClauseL2", "2", "1") in numbered
        assert sum(1 for s, *_ in numbered if s == "ClauseHeading") == 6
        assert all(paragraph_text(p).strip() for p in body.iter(q("p"))
                   if p.find("w:pPr/w:numPr", NS) is not None)

    def test_cross_references_are_ref_fields_to_bookmarks(self, document: Document,
                                                          data: bytes) -> None:
        body = part(data, "word/document.xml")
        bookmarks = {b.get(q("name")) for b in body.iter(q("bookmarkStart"))}
        runs = list(body.iter(q("r")))
        refs = []
        for index, r in enumerate(runs):
            instr = r.find("w:instrText", NS)
            if instr is not None and instr.text.strip().startswith("REF "):
                cached = runs[index + 2].find("w:t", NS).text
                refs.append((instr.text.split()[1], instr.text.split()[2:], cached))
        numbers = {t.bookmark: t.number for t in document.targets.values()}
        assert len(refs) >= 6
        for bookmark, switches, cached in refs:
            assert bookmark in bookmarks
            assert switches == ["\\r", "\\h"]
            assert cached == numbers[bookmark]
        assert ("_Ref_expulsion_grounds", ["\\r", "\\h"], "5.1") in refs
        assert ("_Ref_sched_members", ["\\r", "\\h"], "Schedule 1") in refs

    def test_toc_field_with_cached_entries(self, document: Document, data: bytes) -> None:
        body = part(data, "word/document.xml")
        instr = [i.text for i in body.iter(q("instrText"))]
        assert any(i.strip().startswith("TOC \\o") for i in instr)
        entries = [paragraph_text(p) for p in body.iter(q("p"))
                   if p.find("w:pPr/w:pStyle", NS) is not None
                   and p.find("w:pPr/w:pStyle", NS).get(q("val")) == "TOC1"]
        assert entries[0] == "1Definitions"  # number, tab, title, tab, PAGEREF field
        assert len(entries) == len(document.clauses) + len(document.schedules)
        assert entries[-1].startswith("Schedule 3 Financial framework")

    def test_frame_placeholders_filled(self, data: bytes) -> None:
        opened = docx.Document(io.BytesIO(data))
        texts = [p.text for p in opened.paragraphs]
        assert texts[0] == "Collaboration Agreement"
        assert "North East Specialised Mental Health Provider Collaborative" in texts
        header = opened.sections[0].header.paragraphs[0].text
        assert header == "NESMHPC"
        assert not any("{{" in t for t in texts)

    def test_signature_block_per_member(self, data: bytes) -> None:
        texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
        signed = [t for t in texts if t.startswith("Signed for and on behalf of")]
        assert len(signed) == 4
        assert "Name:\tClaire Wynn" in texts and "Position:\tManaging Director" in texts

    def test_schedule_tables(self, data: bytes) -> None:
        tables = docx.Document(io.BytesIO(data)).tables
        assert [c.text for c in tables[0].rows[0].cells] == [
            "Member", "Kind", "Class", "Address", "Representative"]
        assert len(tables[0].rows) == 5
        shares = {r.cells[0].text: r.cells[3].text for r in tables[1].rows[1:]}
        assert shares["Priory Healthcare Limited"] == "0%"


class TestNotes:
    def test_notes_are_word_comments(self, document: Document) -> None:
        data = write_docx(document, notes=True)
        comments = part(data, "word/comments.xml")
        texts = ["".join(c.itertext()) for c in comments.findall("w:comment", NS)]
        assert texts == ["The list of terms is generated.", "Check the head contract."]
        body = part(data, "word/document.xml")
        assert len(list(body.iter(q("commentReference")))) == 2
        types = part(data, "[Content_Types].xml")
        assert any(o.get("PartName") == "/word/comments.xml" for o in types)

    def test_no_notes_no_comments(self, data: bytes) -> None:
        assert "word/comments.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist()


class TestProvenance:
    def test_stored_and_read_back(self, document: Document, data: bytes) -> None:
        stored = read_provenance(data)
        assert stored["document"] == "collaboration_agreement"
        assert stored["answers_sha256"] == answers().sha256
        assert stored["library_version"] == load_library(Path(__file__).parent / "fixtures/clauses").version
        assert {"id": "voting", "version": 1, "variant": "weighted"} in stored["clauses"]
        assert stored["generator"] == "drafting 0.1.0"

    def test_cli(self, runner, data: bytes, tmp_path: Path) -> None:
        path = tmp_path / "agreement.docx"
        path.write_bytes(data)
        result = runner.invoke(main, ["provenance", str(path)])
        assert result.exit_code == 0
        shown = json.loads(result.output)
        assert {"document", "answers_sha256", "library_version", "clauses", "generator"} <= set(shown)
        assert shown["clauses"][1] == {"id": "purpose", "version": 2, "variant": None}

    def test_cli_on_foreign_file(self, runner, tmp_path: Path) -> None:
        path = tmp_path / "plain.docx"
        docx.Document().save(path)
        result = runner.invoke(main, ["provenance", str(path)])
        assert result.exit_code == 1 and "no drafting provenance" in result.output


class TestBytes:
    def test_same_inputs_same_bytes(self, document: Document) -> None:
        assert write_docx(draft(answers())) == write_docx(document)
        assert write_docx(document, notes=True) == write_docx(document, notes=True)

    def test_timestamps_follow_source_date_epoch(self, document: Document,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
        first = write_docx(document)
        core = part(first, "docProps/core.xml")
        assert "2027-01-01T00:00:00Z" in etree.tostring(core).decode()
        assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {
            (2027, 1, 1, 0, 0, 0)}
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830297600")
        assert write_docx(document) != first

    def test_answers_text_is_literal_in_xml(self) -> None:
        nasty = "*{{ 7*7 }}* [[Board]] {ref:voting} & <b>\"x\"</b>"
        base = answers()
        collaborative = base.answers.collaborative.model_dump(mode="json")
        collaborative["purpose"] = nasty
        data = write_docx(draft(answers(collaborative=collaborative)))
        texts = [paragraph_text(p) for p in part(data, "word/document.xml").iter(q("p"))]
        assert f"The purpose of the Members is: {nasty}" in texts
