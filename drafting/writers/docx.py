"""Word writer: a `model.Document` into a real .docx, built on the document kind's frame.

The frame (`templates/<kind>.docx`, made by `templates/make_templates.py`) holds the styles,
numbering, cover page, headers and footers, with plain `{{ name }}` placeholders and one
`{{p body }}` paragraph. This writer fills the placeholders with literal text, builds the
body in one pass with `oxml` (numbered clauses, bookmarks and REF fields, a TOC field with
cached entries, tables, signature blocks, optional comments), stores the provenance in a
custom XML part, and zips the package with fixed timestamps.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from drafting.errors import LibraryError
from drafting.model import (
    Block,
    Document,
    Emph,
    Inline,
    Ref,
    SchedRef,
    Strong,
    Table,
    Term,
    Text,
)
from drafting.writers import oxml

__all__ = ["read_provenance", "source_date", "write_docx"]

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_BODY_STYLES = {"body": "ClauseBody", "definition": "Definition", "list": "ListItem",
                "party": "Party"}
_FRAMES: dict[tuple[str, float], dict[str, bytes]] = {}


def source_date() -> dt.datetime:
    """The documents' timestamp: `SOURCE_DATE_EPOCH` when set, else a fixed date (1980-01-01)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else 315532800
    return dt.datetime.fromtimestamp(max(seconds, 315532800), tz=dt.UTC)


def _frame(path: str) -> dict[str, bytes]:
    p = Path(path)
    try:
        key = (str(p), p.stat().st_mtime)
    except OSError:
        raise LibraryError("the Word frame of this document kind is missing; run "
                           "`python templates/make_templates.py`", file=p) from None
    if key not in _FRAMES:
        with zipfile.ZipFile(p) as package:
            _FRAMES[key] = {n: package.read(n) for n in package.namelist()}
    return _FRAMES[key]


class _Builder:
    """Writes the body as XML text in one pass; owns the bookmark and comment counters."""

    def __init__(self, document: Document, notes: bool):
        self.document = document
        self.notes = notes
        self.bookmarks = 0
        self.comments: list[tuple[int, str]] = []
        self.xml = oxml.BodyXml()

    # ------------------------------------------------------------------ inlines

    def runs(self, inlines: Iterable[Inline]) -> None:
        """Write `inlines`, one run per stretch of equally formatted text."""
        pending: list[str] = []
        state = (False, False)
        xml = self.xml

        def flush() -> None:
            if pending:
                xml.run("".join(pending), *state)
                pending.clear()

        def walk(nodes: Iterable[Inline], bold: bool, italic: bool) -> None:
            nonlocal state
            for node in nodes:
                if isinstance(node, (Text, Term)):
                    if (bold, italic) != state:
                        flush()
                        state = (bold, italic)
                    pending.append(node.text if isinstance(node, Text) else node.name)
                elif isinstance(node, Strong):
                    walk(node.children, True, italic)
                elif isinstance(node, Emph):
                    walk(node.children, bold, True)
                elif isinstance(node, (Ref, SchedRef)):
                    flush()
                    key = node.target if isinstance(node, Ref) else f"sched:{node.schedule}"
                    target = self.document.targets[key]
                    xml.field(f"REF {target.bookmark} \\r \\h", target.number, bold, italic)

        walk(inlines, False, False)
        flush()

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
            widths = xml.table_open(list(block.header), list(block.widths))
            for row in block.rows:
                xml.row_open()
                for pct, inlines in zip(widths, row):
                    xml.cell_open(pct)
                    self.runs(inlines)
                    xml.cell_close()
                xml.row_close()
            xml.table_close()
            return
        if block.level:
            xml.p_open(oxml.CLAUSE_STYLES[block.level], (oxml.CLAUSE_NUM_ID, block.level))
        else:
            xml.p_open(_BODY_STYLES.get(block.style, "ClauseBody"))
        mark = self.bookmark_start(block.bookmark)
        self.runs(block.inlines)
        if mark is not None:
            xml.bookmark_end(mark)
        xml.p_close()

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
            self.line("SectionHeading", "Agreed terms")
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
            self.heading("ScheduleHeading", schedule_num, schedule.title, schedule.bookmark)
            for block in schedule.blocks:
                self.block(block)
        return xml.text()


def write_docx(document: Document, *, notes: bool = False) -> bytes:
    """Write `document` as .docx bytes; the same document gives the same bytes.

    `notes` adds each included clause's drafting note as a Word comment on its heading.
    Raises `LibraryError` when the frame is missing or has a placeholder no field fills.
    """
    parts = dict(_frame(document.frame))
    builder = _Builder(document, notes)
    fields = {**document.fields}
    for name in [n for n in parts if n == "word/document.xml"
                 or n.startswith(("word/header", "word/footer"))]:
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

    types = oxml.parse(parts["[Content_Types].xml"])
    doc_rels = oxml.parse(parts["word/_rels/document.xml.rels"])
    root_rels = oxml.parse(parts["_rels/.rels"])
    when = source_date()
    if builder.comments:
        parts["word/comments.xml"] = oxml.comments_part(
            builder.comments, author="drafting", date=when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        oxml.add_override(types, "/word/comments.xml",
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
        oxml.add_relationship(doc_rels, f"{_REL}/comments", "comments.xml")

    provenance = json.dumps(document.provenance, sort_keys=True, ensure_ascii=False)
    n = 1
    while f"customXml/item{n}.xml" in parts:
        n += 1
    item, props = oxml.custom_xml_item(provenance)
    parts[f"customXml/item{n}.xml"] = item
    parts[f"customXml/itemProps{n}.xml"] = props
    rels = etree.Element(f"{{{oxml.NS['pr']}}}Relationships", nsmap={None: oxml.NS["pr"]})
    oxml.add_relationship(rels, f"{_REL}/customXmlProps", f"itemProps{n}.xml")
    parts[f"customXml/_rels/item{n}.xml.rels"] = oxml.read_part_xml(rels)
    oxml.add_override(types, f"/customXml/itemProps{n}.xml",
                      "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
    oxml.add_relationship(doc_rels, f"{_REL}/customXml", f"../customXml/item{n}.xml")

    p = document.provenance
    parts["docProps/custom.xml"] = oxml.custom_properties({
        "Drafting document": str(p.get("document", document.kind)),
        "Drafting answers SHA-256": str(p.get("answers_sha256", "")),
        "Drafting library version": str(p.get("library_version", "")),
        "Drafting generator": str(p.get("generator", "")),
    })
    oxml.add_override(types, "/docProps/custom.xml",
                      "application/vnd.openxmlformats-officedocument.custom-properties+xml")
    oxml.add_relationship(root_rels, f"{_REL}/custom-properties", "docProps/custom.xml")
    parts["docProps/core.xml"] = oxml.core_properties(
        document.title, document.fields.get("collaborative_name", ""), when,
        str(p.get("generator", "drafting")))
    settings = oxml.parse(parts["word/settings.xml"])
    oxml.set_update_fields(settings)
    parts["word/settings.xml"] = oxml.read_part_xml(settings)
    parts["[Content_Types].xml"] = oxml.read_part_xml(types)
    parts["word/_rels/document.xml.rels"] = oxml.read_part_xml(doc_rels)
    parts["_rels/.rels"] = oxml.read_part_xml(root_rels)
    return oxml.zip_package(parts, when)


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
