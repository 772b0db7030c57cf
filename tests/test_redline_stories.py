"""Every story is compared: headers and footers by section and kind, footnotes, endnotes,
text boxes, tables with merged cells; equations and pictures as whole units. Each edit is
proved by the independent reader (`drafting.review.oracle`): accepting every change gives
NEW and rejecting every change gives OLD, in every story."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from drafting.cli import main
from drafting.review import (
    Comparison,
    check_redline,
    compare_packages,
    read_stories,
    resolve_package,
)
from drafting.review.package import read_package, relationships
from drafting.review.summary import format_text, summarise
from tests.fixtures.redline import corpus as C

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
DATE = "2026-11-23T09:00:00Z"

Edit = Callable[[C.Spec], C.Spec]

# name -> (edit, the stories the redline must change)
EDITS: dict[str, tuple[Edit, set[str]]] = {
    "body reword": (lambda s: C.edit_item(s, 0, 2, 2, C.Text(" to run shared clinical services. ")),
                    {"body"}),
    "footnote text": (lambda s: C.edit_item(s, 0, 2, 1, C.Note("The Members are listed in "
                                                                 "Schedule 2.")), {"footnotes"}),
    "passage with a footnote deleted": (lambda s: C.edit_block(s, 0, 2, None),
                                        {"body", "footnotes"}),
    "endnote text": (lambda s: C.edit_item(s, 1, 4, 3, C.Note("Counted at the end of the "
                                                                "meeting.", endnote=True)),
                     {"endnotes"}),
    "equation": (lambda s: C.edit_item(s, 0, 3, 1, C.Equation("g/m")), {"body"}),
    "picture deleted": (lambda s: C.edit_item(s, 0, 4, 1, None), {"body"}),
    "picture replaced": (lambda s: C.edit_item(s, 0, 4, 1, C.Picture(0xA02020)), {"body"}),
    "paragraph with a picture deleted": (lambda s: C.edit_block(s, 0, 4, None), {"body"}),
    "link target": (lambda s: C.edit_item(s, 0, 5, 1, C.Link(
        "the NHS England site", "https://www.england.nhs.uk/long-term-plan/")), {"body"}),
    "text box": (lambda s: C.edit_item(s, 1, 2, 1, C.TextBox(
        "Key point: the Board decides.|Reserved matters need a special majority.")), {"body"}),
    "field code": (lambda s: C.edit_item(s, 1, 3, 1, C.Field("DATE", "29/11/2026")), {"body"}),
    "merged cell": (lambda s: C.edit_cell(s, 0, 6, 1, 1, "NHS foundation trust"), {"body"}),
    "first-page header": (lambda s: C.edit_story(s, 1, "headers", "first", "Governance - cover"),
                          {"header s2 first"}),
    "even-page footer": (lambda s: C.edit_story(s, 1, "footers", "even", "Even footer, amended"),
                         {"footer s2 even"}),
    "header gains a paragraph": (lambda s: C.edit_story(s, 2, "headers", "default",
                                                        "Schedules|Part A"),
                                 {"header s3 default"}),
    "last paragraph deleted": (lambda s: C.edit_block(s, 2, 2, None), {"body", "endnotes"}),
    "table deleted": (lambda s: C.edit_block(s, 2, 1, None), {"body"}),
    "paragraph inserted before a table": (lambda s: C.insert_block(
        s, 0, 6, C.Para((C.Text("The Members are:"),))), {"body"}),
}


def redline(old: bytes, new: bytes) -> Comparison:
    return compare_packages(read_package(old), read_package(new), date=DATE)


def xml(data: bytes, part: str) -> etree._Element:
    return etree.fromstring(read_package(data).parts[part])


@pytest.fixture(scope="module")
def old() -> bytes:
    return C.build(C.rich())


@pytest.mark.parametrize("name", list(EDITS))
def test_edit_in_every_story_round_trips(old: bytes, name: str) -> None:
    edit, stories = EDITS[name]
    new = C.build(edit(C.rich()))
    result = redline(old, new)
    assert check_redline(result.data, old, new) == []
    assert set(result.stories) == stories
    assert result.not_compared == []


def test_no_difference_no_revision(old: bytes) -> None:
    result = redline(old, old)
    assert result.stories == {} and result.not_compared == []
    assert "No difference in any story or part." in format_text(summarise(result))
    assert read_stories(result.data, None) == read_stories(old, None)


class TestWholeUnits:
    def test_deleted_picture_keeps_its_image(self, old: bytes) -> None:
        new = C.build(C.edit_item(C.rich(), 0, 4, 1, None))
        data = redline(old, new).data
        root = xml(data, "word/document.xml")
        blips = root.xpath("//w:del//a:blip/@r:embed", namespaces=NS)
        assert len(blips) == 1
        rels = relationships(read_package(data), "word/document.xml")
        image = read_package(data).parts[rels[blips[0]].target]
        assert hashlib.sha1(image).digest() == hashlib.sha1(C.png(0x2060A0)).digest()

    def test_replaced_picture_is_deletion_plus_insertion(self, old: bytes) -> None:
        new = C.build(C.edit_item(C.rich(), 0, 4, 1, C.Picture(0xA02020)))
        data = redline(old, new).data
        root = xml(data, "word/document.xml")
        package = read_package(data)
        rels = relationships(package, "word/document.xml")
        gone = root.xpath("//w:del//a:blip/@r:embed", namespaces=NS)
        came = root.xpath("//w:ins//a:blip/@r:embed", namespaces=NS)
        assert len(gone) == len(came) == 1
        assert package.parts[rels[gone[0]].target] == C.png(0x2060A0)
        assert package.parts[rels[came[0]].target] == C.png(0xA02020)

    def test_changed_equation_is_old_deleted_new_inserted(self, old: bytes) -> None:
        new = C.build(C.edit_item(C.rich(), 0, 3, 1, C.Equation("g/m")))
        root = xml(redline(old, new).data, "word/document.xml")
        assert root.xpath("//w:del/m:oMath//m:den//m:t/text()", namespaces=NS) == ["n"]
        assert root.xpath("//w:ins/m:oMath//m:den//m:t/text()", namespaces=NS) == ["m"]
        # Equations outside any revision are the unchanged ones only.
        plain = root.xpath("//m:oMath[not(ancestor::w:ins) and not(ancestor::w:del)]",
                           namespaces=NS)
        assert len(plain) == 1  # the quorum equation

    def test_deleted_passage_keeps_its_note_reference(self, old: bytes) -> None:
        new = C.build(C.edit_block(C.rich(), 0, 2, None))
        data = redline(old, new).data
        refs = xml(data, "word/document.xml").xpath("//w:del//w:footnoteReference/@w:id",
                                                    namespaces=NS)
        assert len(refs) == 1
        note = xml(data, "word/footnotes.xml").xpath(f"//w:footnote[@w:id='{refs[0]}']",
                                                     namespaces=NS)[0]
        assert "".join(note.xpath(".//w:del//w:delText/text()", namespaces=NS)).strip() == \
            "The Members are listed in Schedule 1."

    def test_note_text_change_is_tracked_in_the_notes_part(self, old: bytes) -> None:
        new = C.build(C.edit_item(C.rich(), 0, 2, 1, C.Note("The Members are listed in "
                                                            "Schedule 2.")))
        data = redline(old, new).data
        notes = xml(data, "word/footnotes.xml")
        assert notes.xpath("//w:del//w:delText/text()", namespaces=NS) == ["1"]
        assert notes.xpath("//w:ins//w:t/text()", namespaces=NS) == ["2"]
        assert not xml(data, "word/document.xml").xpath("//w:ins | //w:del", namespaces=NS)

    def test_engine_resolves_every_story_like_the_reader(self, old: bytes) -> None:
        spec = C.rich()
        for edit, _ in EDITS.values():
            try:
                spec = edit(spec)
            except (IndexError, AssertionError):
                continue  # an earlier edit removed what this one changes
        new = C.build(spec)
        data = redline(old, new).data
        assert read_stories(resolve_package(data, "accept"), None) == read_stories(new)
        assert read_stories(resolve_package(data, "reject"), None) == read_stories(old)


class TestReport:
    def test_comments_added_and_removed(self, old: bytes) -> None:
        new = C.build(C.Spec(C.rich().sections, comments=((3, "Is the formula right?"),)))
        result = redline(old, new)
        assert result.comments_added == ["Counsel: Is the formula right?"]
        assert result.comments_removed == ["Counsel: Check the list of Members."]
        text = format_text(summarise(result))
        assert "Comments: 1 added, 1 removed" in text

    def test_parts_not_compared_are_named(self, old: bytes, tmp_path: Path) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(old)) as src, zipfile.ZipFile(buffer, "w") as dst:
            for item in src.infolist():
                dst.writestr(item, src.read(item.filename))
            dst.writestr("word/charts/chart1.xml", "<c:chartSpace xmlns:c='urn:c'/>")
        (tmp_path / "old.docx").write_bytes(old)
        (tmp_path / "new.docx").write_bytes(buffer.getvalue())
        result = CliRunner().invoke(main, ["compare", str(tmp_path / "old.docx"),
                                           str(tmp_path / "new.docx"), "--json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["not_compared"] == ["chart (word/charts/chart1.xml, only in NEW)"]
        assert "not compared: chart (word/charts/chart1.xml, only in NEW)" in result.stderr

    def test_stories_in_the_summary(self, old: bytes) -> None:
        new = C.build(C.edit_story(C.rich(), 1, "headers", "first", "Governance - cover"))
        text = format_text(summarise(redline(old, new)))
        assert "in header s2 first: 1 deletions, 1 insertions" in text


class TestCheck:
    def test_check_names_the_story_that_does_not_round_trip(self, old: bytes) -> None:
        new = C.build(C.edit_story(C.rich(), 1, "headers", "first", "Governance - cover"))
        data = redline(old, new).data
        package = read_package(data)
        rels = relationships(package, "word/document.xml")
        part = next(r.target for r in rels.values() if r.type == "header"
                    and b"cover" in package.parts[r.target])
        # Drop the deletion from that header: rejecting no longer gives OLD there.
        tampered = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(tampered, "w") as dst:
            for item in src.infolist():
                blob = src.read(item.filename)
                if item.filename == part:
                    root = etree.fromstring(blob)
                    for el in root.xpath("//w:del", namespaces=NS):
                        el.getparent().remove(el)
                    blob = etree.tostring(root)
                dst.writestr(item, blob)
        problems = check_redline(tampered.getvalue(), old, new)
        assert len(problems) == 1
        assert problems[0].startswith("header s2 first: reject all != OLD")

    def test_check_fails_when_a_story_cannot_be_tracked(self, old: bytes, tmp_path: Path) -> None:
        """NEW drops the first-page header: the redline cannot bring it back, so --check fails
        and says where, and the summary names it as not compared."""
        spec = C.rich()
        sections = list(spec.sections)
        sections[1] = C.Section(sections[1].blocks,
                                tuple(h for h in sections[1].headers if h[0] != "first"),
                                sections[1].footers)
        new = C.build(C.Spec(tuple(sections), spec.comments))
        (tmp_path / "old.docx").write_bytes(old)
        (tmp_path / "new.docx").write_bytes(new)
        result = CliRunner().invoke(main, ["compare", str(tmp_path / "old.docx"),
                                           str(tmp_path / "new.docx"), "--check"])
        assert result.exit_code == 1
        assert "header s2 first: reject all != OLD" in result.output
        assert "not compared: header s2 first (only in OLD" in result.stderr


class TestSections:
    def test_page_layout_change_is_tracked(self, old: bytes) -> None:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm

        document = docx.Document(io.BytesIO(old))
        document.sections[1].left_margin = Cm(4)
        document.sections[2].orientation = WD_ORIENT.LANDSCAPE
        buffer = io.BytesIO()
        document.save(buffer)
        new = buffer.getvalue()
        result = redline(old, new)
        assert check_redline(result.data, old, new) == []
        assert result.stories == {"body": {"formatting": 2}}
        root = xml(result.data, "word/document.xml")
        changes = root.xpath("//w:sectPr/w:sectPrChange", namespaces=NS)
        assert len(changes) == 2
        # The headers stay where they are; only the layout is recorded.
        assert not root.xpath("//w:sectPrChange//w:headerReference", namespaces=NS)

    def test_section_break_added(self, old: bytes) -> None:
        spec = C.rich()
        first = spec.sections[0]
        split = (C.Section(first.blocks[:4], first.headers, first.footers),
                 C.Section(first.blocks[4:], (("default", "Pictures and links"),), ()),
                 *spec.sections[1:])
        new = C.build(C.Spec(split, spec.comments))
        result = redline(old, new)
        assert check_redline(result.data, old, new) == []
        assert "header s2 default" in result.stories  # the new section's header, inserted

    def test_section_break_removed_keeps_its_headers_when_rejected(self, old: bytes) -> None:
        spec = C.rich()
        s1, s2, s3 = spec.sections
        merged = C.Section(s1.blocks + s2.blocks, s2.headers, s2.footers)
        new = C.build(C.Spec((merged, s3), spec.comments))
        result = redline(old, new)
        assert check_redline(result.data, old, new) == []
        deleted_break = xml(result.data, "word/document.xml").xpath(
            "//w:p[w:pPr/w:rPr/w:del]/w:pPr/w:sectPr", namespaces=NS)
        assert len(deleted_break) == 1
        rejected = read_stories(result.data, "reject")
        assert rejected["header s1 default"][0].endswith("Collaboration Agreement - draft")


def test_a_change_no_word_processor_can_track_is_named(tmp_path: Path) -> None:
    """A paragraph inserted before a table that starts the document: its mark cannot be
    rejected (Word and LibreOffice keep an empty paragraph there), so the comparison
    says so instead of letting --check find it out."""
    import docx

    def document(paragraph: str | None) -> bytes:
        d = docx.Document()
        if paragraph is not None:
            d.add_paragraph(paragraph)
        d.add_table(rows=1, cols=2).cell(0, 0).text = "Member"
        buffer = io.BytesIO()
        d.save(buffer)
        return buffer.getvalue()

    (tmp_path / "old.docx").write_bytes(document(None))
    (tmp_path / "new.docx").write_bytes(document("The Members are:"))
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "old.docx"),
                                       str(tmp_path / "new.docx")])
    assert result.exit_code == 0, result.output
    assert ("cannot be tracked: body: a paragraph inserted before a table at the start"
            in result.stderr)
    assert "Cannot be tracked: body: a paragraph inserted" in result.stdout
