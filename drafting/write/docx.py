"""Word writer: a `model.Document` into a real .docx, built on the document kind's frame.

The frame (`templates/<kind>.docx`, made by `templates/make_templates.py`) holds the styles,
numbering, cover page, headers and footers, with plain `{{ name }}` placeholders and one
`{{p body }}` paragraph. This writer fills the placeholders with literal text, builds the
body in one pass with `oxml` (numbered clauses, bookmarks and REF fields, a TOC field with
cached entries, tables, signature blocks, optional comments), stores the provenance in a
custom XML part next to the text of the answers file that made it (another custom XML part:
Word and LibreOffice keep both when they save), and zips the package with fixed timestamps.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from drafting.errors import LibraryError
from drafting.model import (
    Block,
    Document,
    Emph,
    Inline,
    Paragraph,
    Ref,
    SchedRef,
    Strong,
    Table,
    Term,
    Text,
    plain,
)
from drafting.read import markup
from drafting.write import oxml, widths

__all__ = ["read_answers", "read_provenance", "source_date", "write_docx"]

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_BODY_STYLES = {"body": "ClauseBody", "definition": "Definition", "list": "ListItem",
                "party": "Party"}
_FRAMES: dict[tuple[str, float], _Frame] = {}
PREPARED_FRAMES = True
"""Whether documents are written from the frame's prepared parts (see `_Frame`); False
writes every part from scratch, as the benchmark does to show what the preparation buys."""
_RUNS_XML = "_drafting_runs_xml"
"""Where a paragraph keeps the XML of its runs once written, when they hold no
cross-reference. Paragraphs are frozen values, and those of a clause whose text does not
depend on the answers are shared by every document (`markup.parse_clause` keeps them), so
the XML is written once per process; `markup.CACHE_SIZE = 0` turns this off with the rest."""


_TABLE_SLACK = 40
"""Twips each table column gets beyond its longest word and cell margins: its borders and
rounding."""


def source_date() -> dt.datetime:
    """The documents' timestamp: `SOURCE_DATE_EPOCH` when set, else a fixed date (1980-01-01)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else 315532800
    return dt.datetime.fromtimestamp(max(seconds, 315532800), tz=dt.UTC)


def _frame(path: str) -> _Frame:
    p = Path(path)
    try:
        key = (str(p), p.stat().st_mtime)
    except OSError:
        raise LibraryError("the Word frame of this document kind is missing; run "
                           "`python templates/make_templates.py`", file=p) from None
    if key not in _FRAMES:
        with zipfile.ZipFile(p) as package:
            _FRAMES[key] = _Frame({n: package.read(n) for n in package.namelist()})
    return _FRAMES[key]


# Placeholders of a prepared frame part stand as `\ue100name\ue101` until a document fills them.
_SLOT_OPEN, _SLOT_CLOSE = "\ue100", "\ue101"
_SLOT = re.compile(f"{_SLOT_OPEN}([a-z_][a-z0-9_]*){_SLOT_CLOSE}".encode())


def _fillable(name: str) -> bool:
    """Parts whose `{{ name }}` placeholders are filled: the document, headers and footers."""
    return name == "word/document.xml" or name.startswith(("word/header", "word/footer"))


class _Frame:
    """A frame's parts, and what every document drafted on it shares, worked out once.

    Each fillable part is serialised once with its placeholders marked, so a document
    fills it by joining bytes instead of parsing XML; the package parts that depend only
    on the frame (settings, content types, relationships) are made once; and the parts no
    document changes are compressed once. The bytes are those the plain path makes (see
    `_write_plain`): a frame this preparation does not fit (say, a placeholder the fields
    lack, or no body paragraph) simply takes the plain path, errors and all.
    """

    def __init__(self, parts: dict[str, bytes]):
        self.parts = parts
        self.text_width = oxml.text_width(oxml.parse(parts["word/document.xml"])) \
            if "word/document.xml" in parts else oxml.A4_TEXT_WIDTH
        self.templates: dict[str, list[bytes | str | None]] | None = self._templates()
        free = (n for n in range(1, len(parts) + 3) if f"customXml/item{n}.xml" not in parts)
        self.n = next(free)  # the provenance part
        self.m = next(free)  # the answers part
        self._deflated: dict[tuple[str, tuple[bool, bool] | None], oxml.Deflated] = {}
        self._package: dict[tuple[bool, bool], dict[str, bytes]] = {}

    def _templates(self) -> dict[str, list[bytes | str | None]] | None:
        """Each fillable part as bytes and placeholder names in turn, None standing for the
        document's body; None when the frame is unfit."""
        out: dict[str, list[bytes | str | None]] = {}
        for name, data in self.parts.items():
            if not _fillable(name):
                continue
            if _SLOT_OPEN.encode() in data or _SLOT_CLOSE.encode() in data:
                return None
            root = oxml.parse(data)
            oxml.fill_placeholders(root, _Marks(), name)
            if name == "word/document.xml" and not oxml.mark_body_slot(root):
                return None
            pieces: list[bytes | str | None] = []
            for index, piece in enumerate(_SLOT.split(oxml.read_part_xml(root))):
                if index % 2:
                    pieces.append(piece.decode())
                elif name == "word/document.xml" and oxml.BODY_MARKER in piece \
                        and None not in pieces:
                    before, _, after = piece.partition(oxml.BODY_MARKER)
                    pieces += (before, None, after)
                else:
                    pieces.append(piece)
            out[name] = pieces
        if None not in out.get("word/document.xml", ()):
            return None  # the frame has no `{{p body }}` paragraph
        return out

    def deflated(self, key: tuple[str, tuple[bool, bool] | None], data: bytes) -> oxml.Deflated:
        """`data`, a part that depends on the frame alone, compressed once per process.

        `key` is the part's name and the flags of `package` (None for a part of the frame
        itself).
        """
        found = self._deflated.get(key)
        if found is None:
            found = self._deflated[key] = oxml.deflate(data)
        return found

    def package(self, comments: bool, answers: bool) -> dict[str, bytes]:
        """Settings, content types and relationships: the same for every document with
        (or without) comments and embedded answers."""
        key = (comments, answers)
        if key not in self._package:
            self._package[key] = _package_parts(self.parts, comments, self.n,
                                                self.m if answers else None)
        return self._package[key]


class _Marks(dict[str, str]):
    """Fields that mark each placeholder by its name instead of filling it."""

    def __missing__(self, name: str) -> str:
        return f"{_SLOT_OPEN}{name}{_SLOT_CLOSE}"


def _text_xml(value: str) -> bytes:
    """`value` escaped as lxml writes element text (so both paths give the same bytes)."""
    if value.isprintable() and not any(c in value for c in "&<>"):
        return value.encode("utf-8")
    element = etree.Element("t")
    element.text = value  # lxml refuses characters XML cannot hold, as the plain path does
    data: bytes = etree.tostring(element, encoding="UTF-8", xml_declaration=False)
    return data[data.index(b">") + 1:data.rindex(b"<")]


class _RunState:
    """The runs of one paragraph being written: pending text and its formatting."""

    __slots__ = ("bold", "italic", "parts", "pending", "references", "targets")

    def __init__(self, parts: list[str], targets: dict[str, Any]):
        self.parts = parts
        self.targets = targets
        self.pending: list[str] = []
        self.bold = False
        self.italic = False
        self.references = False

    def flush(self) -> None:
        if self.pending:
            self.parts.append(oxml.run_xml("".join(self.pending), self.bold, self.italic))
            self.pending.clear()

    def walk(self, nodes: Iterable[Inline], bold: bool, italic: bool) -> None:
        for node in nodes:
            kind = type(node)
            if kind is Text or kind is Term:
                if bold != self.bold or italic != self.italic:
                    self.flush()
                    self.bold, self.italic = bold, italic
                self.pending.append(node.text if kind is Text else node.name)  # type: ignore[union-attr]
            elif kind is Strong:
                self.walk(node.children, True, italic)  # type: ignore[union-attr]
            elif kind is Emph:
                self.walk(node.children, bold, True)  # type: ignore[union-attr]
            elif kind is Ref or kind is SchedRef:
                self.references = True
                self.flush()
                key = node.target if kind is Ref else f"sched:{node.schedule}"  # type: ignore[union-attr]
                target = self.targets[key]
                self.parts.append(oxml.field_xml(f"REF {target.bookmark} \\r \\h", target.number,
                                                 bold, italic))


class _Builder:
    """Writes the body as XML text in one pass; owns the bookmark and comment counters."""

    def __init__(self, document: Document, notes: bool, text_width: int):
        self.document = document
        self.notes = notes
        self.text_width = text_width
        self.bookmarks = 0
        self.comments: list[tuple[int, str]] = []
        self.xml = oxml.BodyXml()

    # ------------------------------------------------------------------ inlines

    def runs(self, inlines: Iterable[Inline]) -> bool:
        """Write `inlines`, one run per stretch of equally formatted text.

        True when they hold a cross-reference (whose number depends on the document).
        """
        parts = self.xml.parts
        texts: list[str] = []
        for node in inlines:  # the common case: plain text and terms only, one run
            kind = type(node)
            if kind is Text:
                texts.append(node.text)  # type: ignore[union-attr]
            elif kind is Term:
                texts.append(node.name)  # type: ignore[union-attr]
            else:
                break
        else:
            if texts:
                parts.append(oxml.run_xml("".join(texts)))
            return False
        state = _RunState(parts, self.document.targets)
        state.walk(inlines, False, False)
        state.flush()
        return state.references

    def bookmark_start(self, name: str | None) -> int | None:
        if not name:
            return None
        ident = self.bookmarks
        self.bookmarks += 1
        self.xml.bookmark_start(ident, name)
        return ident

    def line(self, style: str, text: str, bold: bool = False) -> None:
        self.xml.p_open(style)
        self.xml.run(text, bold)
        self.xml.p_close()

    # ------------------------------------------------------------------ blocks

    def block(self, block: Block) -> None:
        xml = self.xml
        if isinstance(block, Table):
            columns = self.table_widths(block)
            xml.table_open(list(block.header), columns)
            for row in block.rows:
                xml.row_open()
                for width, inlines in zip(columns, row):
                    xml.cell_open(width)
                    self.runs(inlines)
                    xml.cell_close()
                xml.row_close()
            xml.table_close()
            return
        # The bulk of every document: written inline, without the helpers' calls.
        parts = xml.parts
        level = block.level
        if level:
            parts.append(oxml.p_open_xml(oxml.CLAUSE_STYLES[level], (oxml.CLAUSE_NUM_ID, level)))
        else:
            parts.append(oxml.p_open_xml(_BODY_STYLES.get(block.style, "ClauseBody")))
        mark = self.bookmark_start(block.bookmark) if block.bookmark else None
        memo = block.__dict__.get(_RUNS_XML) if markup.CACHE_SIZE else None
        if memo is not None:
            parts.append(memo)
        else:
            start = len(parts)
            if not self.runs(block.inlines) and markup.CACHE_SIZE:
                # No cross-reference, so these runs are the same in any document: a paragraph
                # kept by the markup cache carries them to the next (see `_RUNS_XML`).
                parts[start:] = ["".join(parts[start:])]
                block.__dict__[_RUNS_XML] = parts[-1] if len(parts) > start else ""
        if mark is not None:
            parts.append(f'<w:bookmarkEnd w:id="{mark}"/>')
        parts.append("</w:p>")

    def recital(self, recital: Paragraph) -> None:
        """A recital: its letter is Word's own numbering (`(A)`), so that a recital added or
        deleted in Word re-letters the others; the model's `number` is what Word shows."""
        self.xml.parts.append(oxml.p_open_xml("Recital", (oxml.RECITAL_NUM_ID, 0)))
        self.runs(recital.inlines)
        self.xml.parts.append("</w:p>")

    def table_widths(self, table: Table) -> list[int]:
        """Column widths in twips across the page: `table.widths` as shares, each column
        wide enough for its longest word (see `write.widths`)."""
        targets = self.document.targets
        schedules = {k[len("sched:"):]: v.number for k, v in targets.items()
                     if k.startswith("sched:")}
        columns = [[text] for text in table.header]
        for row in table.rows:
            for index, inlines in enumerate(row[:len(columns)]):
                columns[index].append(plain(inlines, targets, schedules))
        return widths.column_widths(columns, table.widths, self.text_width,
                                    half_points=oxml.TABLE_FONT_HALF_POINTS,
                                    padding=2 * oxml.TABLE_CELL_MARGIN + _TABLE_SLACK)

    def heading(self, style: str, num: tuple[int, int], title: str, bookmark: str,
                note: str | None = None) -> None:
        xml = self.xml
        xml.p_open(style, num)
        comment = None
        if self.notes and note:
            comment = len(self.comments)
            self.comments.append((comment, note))
            xml.comment_start(comment)
        mark = self.bookmark_start(bookmark)
        xml.run(title)
        if mark is not None:
            xml.bookmark_end(mark)
        if comment is not None:
            xml.comment_end(comment)
        xml.p_close()

    def toc(self) -> None:
        """A TOC field over clause and schedule headings, with its entries cached."""
        xml = self.xml
        entries = [(f"{c.number}\t", c.title, c.bookmark) for c in self.document.clauses]
        entries += [(f"{s.number} ", s.title, s.bookmark) for s in self.document.schedules]
        self.line("TOCHeading", "Contents")
        instruction = 'TOC \\o "1-1" \\h \\z \\u'
        if not entries:
            xml.p_open("TOC1")
            xml.field(instruction, "")
            xml.p_close()
            return
        for index, (number, title, anchor) in enumerate(entries):
            xml.p_open("TOC1")
            if index == 0:
                xml.field_char("begin")
                xml.instruction(instruction)
                xml.field_char("separate")
            xml.hyperlink_open(anchor)
            xml.run(f"{number}{title}\t")
            xml.field(f"PAGEREF {anchor} \\h", "")
            xml.hyperlink_close()
            if index == len(entries) - 1:
                xml.field_char("end")
            xml.p_close()

    def body(self) -> str:
        d, xml = self.document, self.xml
        self.toc()
        xml.page_break()
        if d.parties:
            self.line("SectionHeading", "Parties")
            for party in d.parties:
                self.block(party)
        if d.recitals:
            self.line("SectionHeading", "Background")
            for recital in d.recitals:
                self.recital(recital)
        if d.parties or d.recitals:
            self.line("SectionHeading", d.terms_heading)
        clause_num = (oxml.CLAUSE_NUM_ID, 0)
        for clause in d.clauses:
            self.heading(oxml.CLAUSE_STYLES[0], clause_num, clause.title, clause.bookmark,
                         clause.note)
            for block in clause.blocks:
                self.block(block)
        for signature in d.signatures:
            xml.p_open("SignatureText")
            xml.run("Signed for and on behalf of ")
            xml.run(signature.party, bold=True)
            xml.p_close()
            self.line("SignatureText", "Signature:\t" + "_" * 32)
            self.line("SignatureText", f"Name:\t{signature.name}")
            self.line("SignatureText", f"Position:\t{signature.role}")
            self.line("BodyText", "Date:\t" + "_" * 32)
        schedule_num = (oxml.SCHEDULE_NUM_ID, 0)
        for schedule in d.schedules:
            self.heading("ScheduleHeading", schedule_num, schedule.title, schedule.bookmark,
                         schedule.note)
            for block in schedule.blocks:
                self.block(block)
        return xml.text()


def write_docx(document: Document, *, notes: bool = False) -> bytes:
    """Write `document` as .docx bytes; the same document gives the same bytes.

    `notes` adds each included clause's and schedule's drafting note as a Word comment on
    its heading.
    Raises `LibraryError` when the frame is missing or has a placeholder no field fills.
    """
    frame = _frame(document.frame)
    fields = {**document.fields}
    templates = frame.templates
    if not PREPARED_FRAMES or templates is None or any(isinstance(piece, str) and piece not in fields
                                for pieces in templates.values() for piece in pieces):
        return _write_plain(document, frame, notes)
    builder = _Builder(document, notes, frame.text_width)
    parts = dict(frame.parts)
    filled = {name: _text_xml(value) for name, value in fields.items()}
    for name, pieces in templates.items():
        body = builder.body().encode("utf-8") if None in pieces else b""
        parts[name] = b"".join(body if p is None else filled[p] if isinstance(p, str) else p
                               for p in pieces)
    flags = (bool(builder.comments), bool(document.answers))
    package = frame.package(*flags)
    parts.update(package)
    deflated = {name: frame.deflated((name, flags), data) for name, data in package.items()}
    deflated.update((name, frame.deflated((name, None), data))
                    for name, data in frame.parts.items()
                    if name not in templates and name not in package)
    _document_parts(document, builder, parts, frame)
    return oxml.zip_package(parts, source_date(), deflated)


def _document_parts(document: Document, builder: _Builder, parts: dict[str, bytes],
                    frame: _Frame) -> None:
    """The parts that differ by document: comments, provenance, answers, document properties."""
    n = frame.n
    when = source_date()
    if builder.comments:
        parts["word/comments.xml"] = oxml.comments_part(
            builder.comments, author="drafting", date=when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    provenance = json.dumps(document.provenance, sort_keys=True, ensure_ascii=False)
    item, props = oxml.custom_xml_item(provenance)
    parts[f"customXml/item{n}.xml"] = item
    parts[f"customXml/itemProps{n}.xml"] = props
    p = document.provenance
    if document.answers:
        item, props = oxml.answers_xml_item(document.answers, str(p.get("answers_sha256", "")))
        parts[f"customXml/item{frame.m}.xml"] = item
        parts[f"customXml/itemProps{frame.m}.xml"] = props
    parts["docProps/custom.xml"] = oxml.custom_properties({
        "Drafting document": str(p.get("document", document.kind)),
        "Drafting answers SHA-256": str(p.get("answers_sha256", "")),
        "Drafting library version": str(p.get("library_version", "")),
        "Drafting generator": str(p.get("generator", "")),
    })
    parts["docProps/core.xml"] = oxml.core_properties(
        document.title, document.fields.get("collaborative_name", ""), when,
        str(p.get("generator", "drafting")))


def _package_parts(frame: dict[str, bytes], comments: bool, n: int,
                   m: int | None = None) -> dict[str, bytes]:
    """Content types, relationships and settings of a document on `frame`.

    They depend on the frame, on whether the document has comments, on the number `n` of
    its provenance part and the number `m` of its answers part (None: it has none), never
    on its text.
    """
    types = oxml.parse(frame["[Content_Types].xml"])
    doc_rels = oxml.parse(frame["word/_rels/document.xml.rels"])
    root_rels = oxml.parse(frame["_rels/.rels"])
    if comments:
        oxml.add_override(types, "/word/comments.xml",
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
        oxml.add_relationship(doc_rels, f"{_REL}/comments", "comments.xml")
    rels = etree.Element(f"{{{oxml.NS['pr']}}}Relationships", nsmap={None: oxml.NS["pr"]})
    oxml.add_relationship(rels, f"{_REL}/customXmlProps", f"itemProps{n}.xml")
    oxml.add_override(types, f"/customXml/itemProps{n}.xml",
                      "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
    oxml.add_relationship(doc_rels, f"{_REL}/customXml", f"../customXml/item{n}.xml")
    answers_rels = None
    if m is not None:
        answers_rels = etree.Element(f"{{{oxml.NS['pr']}}}Relationships",
                                     nsmap={None: oxml.NS["pr"]})
        oxml.add_relationship(answers_rels, f"{_REL}/customXmlProps", f"itemProps{m}.xml")
        oxml.add_override(types, f"/customXml/itemProps{m}.xml",
                          "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
        oxml.add_relationship(doc_rels, f"{_REL}/customXml", f"../customXml/item{m}.xml")
    oxml.add_override(types, "/docProps/custom.xml",
                      "application/vnd.openxmlformats-officedocument.custom-properties+xml")
    oxml.add_relationship(root_rels, f"{_REL}/custom-properties", "docProps/custom.xml")
    settings = oxml.parse(frame["word/settings.xml"])
    oxml.set_update_fields(settings)
    extra = {} if answers_rels is None else {
        f"customXml/_rels/item{m}.xml.rels": oxml.read_part_xml(answers_rels)}
    return {
        **extra,
        f"customXml/_rels/item{n}.xml.rels": oxml.read_part_xml(rels),
        "word/settings.xml": oxml.read_part_xml(settings),
        "[Content_Types].xml": oxml.read_part_xml(types),
        "word/_rels/document.xml.rels": oxml.read_part_xml(doc_rels),
        "_rels/.rels": oxml.read_part_xml(root_rels),
    }


def _write_plain(document: Document, frame: _Frame, notes: bool) -> bytes:
    """`write_docx` without the frame's preparation: parse, fill and serialise each part."""
    parts = dict(frame.parts)
    builder = _Builder(document, notes, frame.text_width)
    fields = {**document.fields}
    for name in [n for n in parts if _fillable(n)]:
        root = oxml.parse(parts[name])
        try:
            oxml.fill_placeholders(root, fields, name)
        except KeyError as exc:
            raise LibraryError(f"placeholder {{{{ {exc.args[0]} }}}} in {name} has no value; "
                               f"the frame may use only {', '.join(sorted(fields))}",
                               file=document.frame) from None
        if name == "word/document.xml":
            if not oxml.mark_body_slot(root):
                raise LibraryError("the frame has no `{{p body }}` paragraph",
                                   file=document.frame)
            parts[name] = oxml.insert_body(oxml.read_part_xml(root), builder.body())
            continue
        parts[name] = oxml.read_part_xml(root)
    parts.update(_package_parts(frame.parts, bool(builder.comments), frame.n,
                                frame.m if document.answers else None))
    _document_parts(document, builder, parts, frame)
    return oxml.zip_package(parts, source_date())


def read_provenance(data: bytes | str | Path) -> dict[str, object] | None:
    """The provenance stored in a .docx written by `write_docx`, or None when it has none."""
    source = data if isinstance(data, (str, Path)) else __import__("io").BytesIO(data)
    with zipfile.ZipFile(source) as package:
        for name in sorted(package.namelist()):
            if name.startswith("customXml/item") and not name.startswith("customXml/itemProps"):
                text = oxml.read_provenance_xml(package.read(name))
                if text is not None:
                    return dict(json.loads(text))
    return None


def read_answers(data: bytes | str | Path) -> tuple[str, str] | None:
    """The answers text a .docx written by `write_docx` carries, and the SHA-256 recorded
    beside it; None when it carries none. ValueError when the part is damaged."""
    source = data if isinstance(data, (str, Path)) else __import__("io").BytesIO(data)
    with zipfile.ZipFile(source) as package:
        for name in sorted(package.namelist()):
            if name.startswith("customXml/item") and not name.startswith("customXml/itemProps"):
                found = oxml.read_answers_xml(package.read(name))
                if found is not None:
                    return found
    return None
