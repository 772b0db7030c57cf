"""The only module that knows WordprocessingML: element builders and package parts.

Everything above this layer speaks `model.py`; everything here speaks `w:` tags. Frame
parts (styles, numbering, settings, package parts) are lxml elements; the document body,
hundreds of paragraphs, is written as XML text by `BodyXml` in one pass, because that is
several times faster than building elements. Either way every piece of text is escaped
(`.text` or `_esc`), so `&`, `<` and quotes in answers can never break the XML.

Numbering follows Word's own multi-level lists: one abstract definition for clauses
(`1`, `1.1`, `(a)`, `(i)`), linked to the clause styles, so Word renumbers by itself when a
clause is added or removed, and one for schedules (`Schedule 1`).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
import zlib
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from lxml import etree

__all__ = [
    "A4_TEXT_WIDTH",
    "ANSWERS_NS",
    "BODY_MARKER",
    "CLAUSE_NUM_ID",
    "CLAUSE_STYLES",
    "NS",
    "PROVENANCE_NS",
    "SCHEDULE_NUM_ID",
    "TABLE_CELL_MARGIN",
    "TABLE_FONT_HALF_POINTS",
    "BodyXml",
    "Deflated",
    "add_override",
    "add_relationship",
    "add_styles",
    "answers_xml_item",
    "comments_part",
    "core_properties",
    "custom_properties",
    "custom_xml_item",
    "deflate",
    "field",
    "field_xml",
    "fill_placeholders",
    "insert_body",
    "mark_body_slot",
    "numbering_part",
    "p_open_xml",
    "page_break",
    "paragraph",
    "parse",
    "placeholders",
    "qn",
    "read_answers_xml",
    "read_part_xml",
    "read_provenance_xml",
    "run",
    "run_xml",
    "set_update_fields",
    "style_elements",
    "text_of",
    "text_width",
    "zip_package",
]

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "ds": "http://schemas.openxmlformats.org/officeDocument/2006/customXml",
}
PROVENANCE_NS = "urn:drafting:provenance"
ANSWERS_NS = "urn:drafting:answers"
_W = NS["w"]

CLAUSE_STYLES = ("ClauseHeading", "ClauseL1", "ClauseL2", "ClauseL3")
"""Paragraph style ids of clause numbering levels 0-3 (`1`, `1.1`, `(a)`, `(i)`)."""
CLAUSE_NUM_ID = 1
SCHEDULE_NUM_ID = 2
BULLET_NUM_ID = 3
RECITAL_NUM_ID = 4
"""The Background's recitals, `(A)`, `(B)`, ...: a list of their own, so that a recital added
or deleted in Word re-letters the rest, and clause numbering is untouched."""
TABLE_FONT_HALF_POINTS = 20
"""The font size of table text and headers (10 pt), in Word's half-points."""
TABLE_CELL_MARGIN = 108
"""The left and right margin inside each table cell, in twips (Word's default)."""


def qn(tag: str) -> str:
    """`w:p` -> `{namespace}p`."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


_P, _PPR, _PSTYLE, _R, _RPR, _T = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:r"), qn("w:rPr"), qn("w:t")
_VAL = qn("w:val")
_NUMPR, _ILVL, _NUMID = qn("w:numPr"), qn("w:ilvl"), qn("w:numId")
_B, _I, _TAB, _BR = qn("w:b"), qn("w:i"), qn("w:tab"), qn("w:br")
_FLDCHAR, _FLDTYPE, _INSTR = qn("w:fldChar"), qn("w:fldCharType"), qn("w:instrText")
_BMSTART, _BMEND, _ID, _NAME = qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:id"), qn("w:name")
_HYPERLINK, _ANCHOR, _HISTORY = qn("w:hyperlink"), qn("w:anchor"), qn("w:history")
_BREAKS = re.compile(r"(\t|\n)")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SUB = etree.SubElement


def parse(data: bytes) -> etree._Element:
    """Parse a part's XML safely (no entities, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    return etree.fromstring(data, parser)


def read_part_xml(element: etree._Element) -> bytes:
    """Serialise a part with an XML declaration, as Word writes it."""
    data: bytes = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


# --------------------------------------------------------------------------- runs, paragraphs


def run(text: str, *, bold: bool = False, italic: bool = False, style: str | None = None) -> etree._Element:
    """A run of literal text; tabs and line breaks become Word's own elements."""
    r = etree.Element(_R)
    if bold or italic or style:
        rpr = _SUB(r, _RPR)
        if style:
            _SUB(rpr, qn("w:rStyle")).set(_VAL, style)
        if bold:
            _SUB(rpr, qn("w:b"))
        if italic:
            _SUB(rpr, qn("w:i"))
    for index, piece in enumerate(re.split(r"(\t|\n)", text)):
        if piece == "\t":
            _SUB(r, qn("w:tab"))
        elif piece == "\n":
            _SUB(r, qn("w:br"))
        elif piece:
            t = _SUB(r, _T)
            t.text = piece
            if piece != piece.strip():
                t.set(_SPACE, "preserve")
        del index
    return r


def field(instruction: str, result: Iterable[etree._Element]) -> list[etree._Element]:
    """A complex field (`REF _Ref1 \\r \\h`) with its cached result runs."""
    def char(kind: str) -> etree._Element:
        r = etree.Element(_R)
        _SUB(r, qn("w:fldChar")).set(qn("w:fldCharType"), kind)
        return r

    instr = etree.Element(_R)
    t = _SUB(instr, qn("w:instrText"))
    t.text = f" {instruction} "
    t.set(_SPACE, "preserve")
    return [char("begin"), instr, char("separate"), *result, char("end")]


def paragraph(style: str | None, children: Iterable[etree._Element] = (), *,
              num: tuple[int, int] | None = None, keep_next: bool = False,
              page_break_before: bool = False, align: str | None = None) -> etree._Element:
    """A paragraph with a style and, for numbered ones, Word numbering (numId, level)."""
    p = etree.Element(_P)
    if style or num or keep_next or page_break_before or align:
        ppr = _SUB(p, _PPR)
        if style:
            _SUB(ppr, _PSTYLE).set(_VAL, style)
        if keep_next:
            _SUB(ppr, qn("w:keepNext"))
        if page_break_before:
            _SUB(ppr, qn("w:pageBreakBefore"))
        if num:
            numpr = _SUB(ppr, qn("w:numPr"))
            _SUB(numpr, qn("w:ilvl")).set(_VAL, str(num[1]))
            _SUB(numpr, qn("w:numId")).set(_VAL, str(num[0]))
        if align:
            _SUB(ppr, qn("w:jc")).set(_VAL, align)
    p.extend(children)
    return p


def page_break() -> etree._Element:
    """A paragraph holding only a page break."""
    r = etree.Element(_R)
    _SUB(r, qn("w:br")).set(qn("w:type"), "page")
    return paragraph(None, [r])


# --------------------------------------------------------------------------- body text
# The body is the bulk of a document (hundreds of paragraphs), so it is written as XML text
# in one pass rather than as thousands of lxml elements. Every piece of text and every
# attribute value goes through `_esc`, so answers can never break the XML.

BODY_SLOT = "drafting-body"


def _esc(text: str) -> str:
    """Escape text for XML content or a double-quoted attribute.

    Four `in` scans and a `replace` only when needed: most clause text has none of these
    characters, and `str.translate` with a mapping is a hundred times slower on long text.
    """
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


_RUN_OPEN = {
    (False, False): "<w:r>",
    (True, False): "<w:r><w:rPr><w:b/></w:rPr>",
    (False, True): "<w:r><w:rPr><w:i/></w:rPr>",
    (True, True): "<w:r><w:rPr><w:b/><w:i/></w:rPr>",
}


def run_xml(text: str, bold: bool = False, italic: bool = False) -> str:
    """A run of literal text as XML; tabs and line breaks become Word's own elements."""
    head = _RUN_OPEN[bool(bold), bool(italic)]
    if "\t" in text or "\n" in text:
        out = [head]
        for piece in _BREAKS.split(text):
            if piece == "\t":
                out.append("<w:tab/>")
            elif piece == "\n":
                out.append("<w:br/>")
            elif piece:
                out.append(f'<w:t xml:space="preserve">{_esc(piece)}</w:t>')
        out.append("</w:r>")
        return "".join(out)
    if text[:1].isspace() or text[-1:].isspace():
        return f'{head}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'
    return f"{head}<w:t>{_esc(text)}</w:t></w:r>"


def field_xml(instruction: str, result: str, bold: bool = False, italic: bool = False) -> str:
    """A complex field (`REF _Ref1 \\r \\h`) with its cached result text, as XML."""
    cached = run_xml(result, bold, italic) if result else ""
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
            f'xml:space="preserve"> {_esc(instruction)} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{cached}'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


_P_OPEN: dict[tuple[str | None, tuple[int, int] | None], str] = {}


def p_open_xml(style: str | None, num: tuple[int, int] | None = None) -> str:
    """The opening of a paragraph with a style and, when numbered, Word numbering."""
    key = (style, num)
    found = _P_OPEN.get(key)
    if found is None:
        ppr = f'<w:pStyle w:val="{_esc(style)}"/>' if style else ""
        if num:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        found = f"<w:p><w:pPr>{ppr}</w:pPr>" if ppr else "<w:p>"
        if len(_P_OPEN) < 256:  # a handful of styles; bounded all the same
            _P_OPEN[key] = found
    return found


class BodyXml:
    """Accumulates `w:body` content as XML text (the `w` prefix is the document's)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self) -> str:
        """The XML written so far."""
        return "".join(self.parts)

    def p_open(self, style: str | None, num: tuple[int, int] | None = None) -> None:
        """Open a paragraph with a style and, when numbered, Word numbering (numId, level)."""
        self.parts.append(p_open_xml(style, num))

    def p_close(self) -> None:
        self.parts.append("</w:p>")

    def run(self, text: str, bold: bool = False, italic: bool = False) -> None:
        """A run of literal text; tabs and line breaks become Word's own elements."""
        self.parts.append(run_xml(text, bold, italic))

    def field_char(self, kind: str) -> None:
        """A lone field character (`begin`, `separate`, `end`) of a multi-paragraph field."""
        self.parts.append(f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>')

    def instruction(self, instruction: str) -> None:
        self.parts.append(
            f'<w:r><w:instrText xml:space="preserve"> {_esc(instruction)} </w:instrText></w:r>')

    def field(self, instruction: str, result: str, bold: bool = False,
              italic: bool = False) -> None:
        """A complex field (`REF _Ref1 \\r \\h`) with its cached result text."""
        self.parts.append(field_xml(instruction, result, bold, italic))

    def bookmark_start(self, ident: int, name: str) -> None:
        self.parts.append(f'<w:bookmarkStart w:id="{ident}" w:name="{_esc(name)}"/>')

    def bookmark_end(self, ident: int) -> None:
        self.parts.append(f'<w:bookmarkEnd w:id="{ident}"/>')

    def hyperlink_open(self, anchor: str) -> None:
        """An internal hyperlink to a bookmark; close it with `hyperlink_close`."""
        self.parts.append(f'<w:hyperlink w:anchor="{_esc(anchor)}" w:history="1">')

    def hyperlink_close(self) -> None:
        self.parts.append("</w:hyperlink>")

    def comment_start(self, ident: int) -> None:
        self.parts.append(f'<w:commentRangeStart w:id="{ident}"/>')

    def comment_end(self, ident: int) -> None:
        """Close a comment range and add the comment's reference mark."""
        self.parts.append(
            f'<w:commentRangeEnd w:id="{ident}"/><w:r><w:rPr><w:rStyle '
            f'w:val="CommentReference"/></w:rPr><w:commentReference w:id="{ident}"/></w:r>')

    def page_break(self) -> None:
        self.parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def table_open(self, header: list[str], widths: list[int]) -> None:
        """Open a bordered table with a repeating header row; `widths` in twips, per column.

        The layout is fixed, with the grid, each cell and the table all given in twips, so
        Word and LibreOffice both lay the columns out exactly as computed (`write.widths`)
        instead of fitting them to their content each in its own way.
        """
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        margin = (f'<w:left w:w="{TABLE_CELL_MARGIN}" w:type="dxa"/>'
                  f'<w:right w:w="{TABLE_CELL_MARGIN}" w:type="dxa"/>')
        self.parts.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" '
            f'w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblCellMar>{margin}</w:tblCellMar>'
            f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>')
        self.row_open(True)
        for width, text in zip(widths, header):
            self.cell_open(width, True)
            self.run(text)
            self.cell_close()
        self.row_close()

    def row_open(self, header: bool = False) -> None:
        self.parts.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if header else "<w:tr>")

    def cell_open(self, width: int, header: bool = False) -> None:
        """Open a cell `width` twips wide and its one paragraph; add runs, then `cell_close`."""
        style = "TableHeader" if header else "TableText"
        self.parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                          f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>')

    def cell_close(self) -> None:
        self.parts.append("</w:p></w:tc>")

    def row_close(self) -> None:
        self.parts.append("</w:tr>")

    def table_close(self) -> None:
        self.parts.append("</w:tbl>")


def mark_body_slot(document: etree._Element) -> bool:
    """Replace the frame's `{{p body }}` paragraph by a marker that `insert_body` fills.

    False when the frame has no such paragraph, or does not use the `w` prefix.
    """
    body = document.find(qn("w:body"))
    if body is None or document.nsmap.get("w") != _W:
        return False
    for p in body.iter(_P):
        if _BODY.match(text_of(p)):
            p.addprevious(etree.ProcessingInstruction(BODY_SLOT))
            p.getparent().remove(p)
            return True
    return False


A4_TEXT_WIDTH = 9026
"""The width between the margins of an A4 page with one-inch margins, in twips."""


def text_width(document: etree._Element) -> int:
    """The width between the page margins of the document part's last section, in twips;
    `A4_TEXT_WIDTH` when the section does not say."""
    section = document.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    size = section.find(qn("w:pgSz")) if section is not None else None
    margins = section.find(qn("w:pgMar")) if section is not None else None
    if size is None or margins is None:
        return A4_TEXT_WIDTH
    try:
        width = int(size.get(qn("w:w"), "0")) - sum(
            int(margins.get(qn(f"w:{side}"), "0")) for side in ("left", "right", "gutter"))
    except ValueError:
        return A4_TEXT_WIDTH
    return width if width > 0 else A4_TEXT_WIDTH


BODY_MARKER = f"<?{BODY_SLOT} ?>".encode()
"""The bytes of the marker `mark_body_slot` leaves, as lxml writes a processing instruction."""


def insert_body(document_xml: bytes, body: str) -> bytes:
    """Put the body's XML text where `mark_body_slot` left its marker."""
    if BODY_MARKER not in document_xml:
        raise ValueError("no body marker in the document part")
    return document_xml.replace(BODY_MARKER, body.encode("utf-8"), 1)


# --------------------------------------------------------------------------- comments


def comments_part(comments: Iterable[tuple[int, str]], *, author: str, date: str) -> bytes:
    """`word/comments.xml` holding each (id, text) comment."""
    root = etree.Element(qn("w:comments"), nsmap={"w": _W})
    for ident, text in comments:
        c = _SUB(root, qn("w:comment"))
        c.set(qn("w:id"), str(ident))
        c.set(qn("w:author"), author)
        c.set(qn("w:initials"), author[:1].upper())
        c.set(qn("w:date"), date)
        for piece in text.split("\n\n"):
            c.append(paragraph("CommentText", [run(" ".join(piece.split()))]))
    return read_part_xml(root)


# --------------------------------------------------------------------------- frame parts


def _lvl(parent: etree._Element, ilvl: int, fmt: str, text: str, style: str | None,
         left: int, hanging: int, bold: bool = False, suffix: str | None = None) -> None:
    lvl = _SUB(parent, qn("w:lvl"))
    lvl.set(qn("w:ilvl"), str(ilvl))
    _SUB(lvl, qn("w:start")).set(_VAL, "1")
    _SUB(lvl, qn("w:numFmt")).set(_VAL, fmt)
    if style:
        _SUB(lvl, _PSTYLE).set(_VAL, style)
    if suffix:
        _SUB(lvl, qn("w:suff")).set(_VAL, suffix)
    _SUB(lvl, qn("w:lvlText")).set(_VAL, text)
    _SUB(lvl, qn("w:lvlJc")).set(_VAL, "left")
    ppr = _SUB(lvl, _PPR)
    tabs = _SUB(ppr, qn("w:tabs"))
    tab = _SUB(tabs, qn("w:tab"))
    tab.set(_VAL, "num")
    tab.set(qn("w:pos"), str(left))
    ind = _SUB(ppr, qn("w:ind"))
    ind.set(qn("w:left"), str(left))
    ind.set(qn("w:hanging"), str(hanging))
    if bold:
        _SUB(_SUB(lvl, _RPR), qn("w:b"))


def numbering_part() -> bytes:
    """`word/numbering.xml`: clause levels 1 / 1.1 / (a) / (i), `Schedule N`, bullets and the
    recitals' `(A)`."""
    root = etree.Element(qn("w:numbering"), nsmap={"w": _W})
    clauses = _SUB(root, qn("w:abstractNum"))
    clauses.set(qn("w:abstractNumId"), "0")
    _SUB(clauses, qn("w:multiLevelType")).set(_VAL, "multilevel")
    _lvl(clauses, 0, "decimal", "%1", CLAUSE_STYLES[0], 720, 720, bold=True)
    _lvl(clauses, 1, "decimal", "%1.%2", CLAUSE_STYLES[1], 720, 720)
    _lvl(clauses, 2, "lowerLetter", "(%3)", CLAUSE_STYLES[2], 1440, 720)
    _lvl(clauses, 3, "lowerRoman", "(%4)", CLAUSE_STYLES[3], 2160, 720)
    for ilvl in range(4, 9):
        _lvl(clauses, ilvl, "none", "", None, 2160 + 720 * (ilvl - 3), 720)
    schedules = _SUB(root, qn("w:abstractNum"))
    schedules.set(qn("w:abstractNumId"), "1")
    _SUB(schedules, qn("w:multiLevelType")).set(_VAL, "singleLevel")
    _lvl(schedules, 0, "decimal", "Schedule %1", "ScheduleHeading", 0, 0, bold=True,
         suffix="space")
    bullets = _SUB(root, qn("w:abstractNum"))
    bullets.set(qn("w:abstractNumId"), "2")
    _SUB(bullets, qn("w:multiLevelType")).set(_VAL, "singleLevel")
    _lvl(bullets, 0, "bullet", "\u2022", "ListItem", 1440, 360)
    recitals = _SUB(root, qn("w:abstractNum"))
    recitals.set(qn("w:abstractNumId"), "3")
    _SUB(recitals, qn("w:multiLevelType")).set(_VAL, "singleLevel")
    _lvl(recitals, 0, "upperLetter", "(%1)", "Recital", 720, 720)
    for num_id, abstract in ((CLAUSE_NUM_ID, 0), (SCHEDULE_NUM_ID, 1), (BULLET_NUM_ID, 2),
                             (RECITAL_NUM_ID, 3)):
        num = _SUB(root, qn("w:num"))
        num.set(qn("w:numId"), str(num_id))
        _SUB(num, qn("w:abstractNumId")).set(_VAL, str(abstract))
    return read_part_xml(root)


_STYLES: tuple[dict[str, Any], ...] = (
    {"id": "BodyText", "name": "Body Text", "after": 160, "jc": "both"},
    {"id": "ClauseHeading", "name": "Clause Heading", "num": 0, "outline": 0, "bold": True,
     "keep": True, "before": 240, "after": 120, "size": 24},
    {"id": "ClauseL1", "name": "Clause Level 1", "num": 1, "after": 120, "jc": "both"},
    {"id": "ClauseL2", "name": "Clause Level 2", "num": 2, "after": 120, "jc": "both"},
    {"id": "ClauseL3", "name": "Clause Level 3", "num": 3, "after": 120, "jc": "both"},
    {"id": "ClauseBody", "name": "Clause Body", "left": 720, "after": 120, "jc": "both"},
    {"id": "Definition", "name": "Definition", "left": 720, "after": 120, "jc": "both"},
    {"id": "Party", "name": "Party", "left": 720, "hanging": 720, "after": 160},
    {"id": "ListItem", "name": "List Item", "bullet": True, "after": 80},
    {"id": "Recital", "name": "Recital", "recital": True, "after": 120, "jc": "both"},
    {"id": "ScheduleHeading", "name": "Schedule Heading", "schedule": True, "outline": 0,
     "bold": True, "keep": True, "pagebreak": True, "after": 240, "size": 26, "jc": "center"},
    {"id": "ScheduleTitle", "name": "Schedule Title", "bold": True, "after": 240,
     "jc": "center", "keep": True},
    {"id": "SectionHeading", "name": "Section Heading", "bold": True, "after": 240, "size": 24,
     "keep": True},
    {"id": "CoverTitle", "name": "Cover Title", "bold": True, "size": 40, "jc": "center",
     "before": 2400, "after": 480},
    {"id": "CoverText", "name": "Cover Text", "size": 24, "jc": "center", "after": 240},
    {"id": "SignatureText", "name": "Signature Text", "after": 120, "keep": True},
    {"id": "TableText", "name": "Table Text", "after": 40, "size": TABLE_FONT_HALF_POINTS},
    {"id": "TableHeader", "name": "Table Header", "after": 40, "size": TABLE_FONT_HALF_POINTS,
     "bold": True},
    {"id": "TOC1", "name": "toc 1", "after": 60, "tabs": True},
    {"id": "TOCHeading", "name": "TOC Heading", "bold": True, "size": 28, "after": 240},
    {"id": "CommentText", "name": "annotation text", "size": 20},
)


def style_elements() -> list[etree._Element]:
    """The paragraph styles the body uses, linked to the numbering above (for `styles.xml`)."""
    out = []
    for spec in _STYLES:
        style = etree.Element(qn("w:style"))
        style.set(qn("w:type"), "paragraph")
        style.set(qn("w:customStyle"), "1")
        style.set(qn("w:styleId"), spec["id"])
        _SUB(style, qn("w:name")).set(_VAL, spec["name"])
        _SUB(style, qn("w:basedOn")).set(_VAL, "Normal")
        _SUB(style, qn("w:qFormat"))
        ppr = _SUB(style, _PPR)
        if spec.get("keep"):
            _SUB(ppr, qn("w:keepNext"))
        if spec.get("pagebreak"):
            _SUB(ppr, qn("w:pageBreakBefore"))
        if "num" in spec or spec.get("schedule") or spec.get("bullet") or spec.get("recital"):
            numpr = _SUB(ppr, qn("w:numPr"))
            if "num" in spec:
                _SUB(numpr, qn("w:ilvl")).set(_VAL, str(spec["num"]))
            num_id = CLAUSE_NUM_ID if "num" in spec else (
                SCHEDULE_NUM_ID if spec.get("schedule") else
                RECITAL_NUM_ID if spec.get("recital") else BULLET_NUM_ID)
            _SUB(numpr, qn("w:numId")).set(_VAL, str(num_id))
        if spec.get("tabs"):
            tabs = _SUB(ppr, qn("w:tabs"))
            for kind, pos, leader in (("left", 720, None), ("right", 9016, "dot")):
                tab = _SUB(tabs, qn("w:tab"))
                tab.set(_VAL, kind)
                if leader:
                    tab.set(qn("w:leader"), leader)
                tab.set(qn("w:pos"), str(pos))
        spacing = _SUB(ppr, qn("w:spacing"))
        spacing.set(qn("w:before"), str(spec.get("before", 0)))
        spacing.set(qn("w:after"), str(spec.get("after", 0)))
        if "left" in spec:
            ind = _SUB(ppr, qn("w:ind"))
            ind.set(qn("w:left"), str(spec["left"]))
            if "hanging" in spec:
                ind.set(qn("w:hanging"), str(spec["hanging"]))
        if "jc" in spec:
            _SUB(ppr, qn("w:jc")).set(_VAL, spec["jc"])
        if "outline" in spec:
            _SUB(ppr, qn("w:outlineLvl")).set(_VAL, str(spec["outline"]))
        rpr = _SUB(style, _RPR)
        if spec.get("bold"):
            _SUB(rpr, qn("w:b"))
        if "size" in spec:
            _SUB(rpr, qn("w:sz")).set(_VAL, str(spec["size"]))
        out.append(style)
    char = etree.Element(qn("w:style"))
    char.set(qn("w:type"), "character")
    char.set(qn("w:styleId"), "CommentReference")
    _SUB(char, qn("w:name")).set(_VAL, "annotation reference")
    _SUB(_SUB(char, _RPR), qn("w:sz")).set(_VAL, "16")
    out.append(char)
    return out


_KEEP_STYLES = frozenset({
    "Normal", "Header", "HeaderChar", "Footer", "FooterChar", "Heading1", "Heading2",
    "Heading3", "Heading1Char", "Heading2Char", "Heading3Char", "DefaultParagraphFont",
    "TableNormal", "NoList", "TableGrid", "Title", "TitleChar",
})


def add_styles(styles: etree._Element) -> None:
    """Add (or replace) the body styles in a `styles.xml` root; drop styles nothing uses."""
    wanted = {s.get(qn("w:styleId")): s for s in style_elements()}
    for existing in styles.findall(qn("w:style")):
        if existing.get(qn("w:styleId")) in wanted or \
                existing.get(qn("w:styleId")) not in _KEEP_STYLES:
            styles.remove(existing)
    styles.extend(wanted.values())


_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_BODY = re.compile(r"^\s*\{\{p\s+body\s*\}\}\s*$")


def text_of(element: etree._Element) -> str:
    """The text of every `w:t` under `element`, joined."""
    return "".join(t.text or "" for t in element.iter(_T))


def placeholders(root: etree._Element) -> list[str]:
    """Every `{{ name }}` placeholder in a part (for `drafting check`)."""
    return [m.group(1) for t in root.iter(_T) for m in _PLACEHOLDER.finditer(t.text or "")]


def fill_placeholders(root: etree._Element, fields: Mapping[str, str], part: str) -> None:
    """Replace each `{{ name }}` in `w:t` text with its field value, as literal text.

    The frames are built by `templates/make_templates.py`, which keeps each placeholder in
    one run. An unknown name raises `KeyError(name)`.
    """
    for t in root.iter(_T):
        text = t.text or ""
        if "{{" not in text:
            continue
        t.text = _PLACEHOLDER.sub(lambda m: fields[m.group(1)], text)
        t.set(_SPACE, "preserve")
    del part


_AFTER_UPDATE_FIELDS = frozenset(
    ["hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"]
)


def set_update_fields(settings: etree._Element) -> None:
    """Ask Word to update fields (TOC page numbers) when the document is opened.

    `w:updateFields` goes at its place in the schema's sequence: Word refuses a settings
    part whose children are out of order.
    """
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = etree.Element(qn("w:updateFields"))
    element.set(_VAL, "true")
    for child in settings:
        if etree.QName(child).localname in _AFTER_UPDATE_FIELDS:
            child.addprevious(element)
            return
    settings.append(element)


# --------------------------------------------------------------------------- package


def add_override(types: etree._Element, part: str, content_type: str) -> None:
    """Declare a part's content type in `[Content_Types].xml`."""
    for o in types.findall(f"{{{NS['ct']}}}Override"):
        if o.get("PartName") == part:
            o.set("ContentType", content_type)
            return
    o = _SUB(types, f"{{{NS['ct']}}}Override")
    o.set("PartName", part)
    o.set("ContentType", content_type)


def add_relationship(rels: etree._Element, rel_type: str, target: str) -> str:
    """Add a relationship (unless present) and return its id."""
    for r in rels:
        if r.get("Type") == rel_type and r.get("Target") == target:
            return str(r.get("Id"))
    taken = {r.get("Id") for r in rels}
    n = 1
    while f"rId{n}" in taken:
        n += 1
    r = _SUB(rels, f"{{{NS['pr']}}}Relationship")
    r.set("Id", f"rId{n}")
    r.set("Type", rel_type)
    r.set("Target", target)
    return f"rId{n}"


def custom_xml_item(data: str) -> tuple[bytes, bytes]:
    """A custom XML part holding `data` (JSON) and its properties part."""
    root = etree.Element(f"{{{PROVENANCE_NS}}}provenance", nsmap={None: PROVENANCE_NS})
    root.text = data
    return read_part_xml(root), _item_props("{6D1A4C52-0E4B-4C3B-9F7A-2B5D3E1F7A10}",
                                            PROVENANCE_NS)


def _item_props(item_id: str, uri: str) -> bytes:
    props = etree.Element(f"{{{NS['ds']}}}datastoreItem", nsmap={"ds": NS["ds"]})
    props.set(f"{{{NS['ds']}}}itemID", item_id)
    refs = _SUB(props, f"{{{NS['ds']}}}schemaRefs")
    _SUB(refs, f"{{{NS['ds']}}}schemaRef").set(f"{{{NS['ds']}}}uri", uri)
    return read_part_xml(props)


def read_provenance_xml(data: bytes) -> str | None:
    """The JSON text of a provenance custom XML part, None for any other part."""
    root = parse(data)
    if root.tag != f"{{{PROVENANCE_NS}}}provenance":
        return None
    return root.text or ""


# Characters XML 1.0 does not hold as they are: all but tab, line feed, \x20-\ud7ff,
# \ue000-\ufffd and \U00010000-\U0010ffff. A carriage return is one: a parser reads it back
# as a line feed. (Written as the few characters refused: the class of those allowed takes
# milliseconds to compile, at every start.)
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def answers_xml_item(text: str, sha256: str) -> tuple[bytes, bytes]:
    """A custom XML part holding an answers file's text, and its properties part.

    The text is kept as it is, readable in the package, so that reading it back gives the
    same characters and the same SHA-256 (`sha256`, recorded beside it); text that XML
    cannot hold exactly (a carriage return, a control character) is kept in base64.
    Word and LibreOffice both keep custom XML parts when they save a document.
    """
    root = etree.Element(f"{{{ANSWERS_NS}}}answers", nsmap={None: ANSWERS_NS})
    root.set("sha256", sha256)
    if not _NOT_XML_TEXT.search(text):
        root.text = text
    else:
        root.set("encoding", "base64")
        root.text = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return read_part_xml(root), _item_props("{6D1A4C52-0E4B-4C3B-9F7A-2B5D3E1F7A11}",
                                            ANSWERS_NS)


def read_answers_xml(data: bytes) -> tuple[str, str] | None:
    """(answers text, recorded SHA-256) of an answers custom XML part; None for any other
    part. ValueError when the part is damaged (base64 that does not decode)."""
    root = parse(data)
    if root.tag != f"{{{ANSWERS_NS}}}answers":
        return None
    text = root.text or ""
    if root.get("encoding") == "base64":
        try:
            text = base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")
        except (ValueError, UnicodeError) as exc:
            raise ValueError(f"the embedded answers are damaged ({exc})") from None
    return text, root.get("sha256") or ""


def custom_properties(values: Mapping[str, str]) -> bytes:
    """`docProps/custom.xml`: short text properties shown in Word's Properties dialog."""
    root = etree.Element(f"{{{NS['op']}}}Properties", nsmap={None: NS["op"], "vt": NS["vt"]})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = _SUB(root, f"{{{NS['op']}}}property")
        prop.set("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}")
        prop.set("pid", str(pid))
        prop.set("name", name)
        _SUB(prop, f"{{{NS['vt']}}}lpwstr").text = value
    return read_part_xml(root)


def core_properties(title: str, subject: str, when: dt.datetime, creator: str) -> bytes:
    """`docProps/core.xml` with fixed dates, so the same inputs give the same bytes."""
    root = etree.Element(f"{{{NS['cp']}}}coreProperties", nsmap={
        "cp": NS["cp"], "dc": NS["dc"], "dcterms": NS["dcterms"], "xsi": NS["xsi"]})
    _SUB(root, f"{{{NS['dc']}}}title").text = title
    _SUB(root, f"{{{NS['dc']}}}subject").text = subject
    _SUB(root, f"{{{NS['dc']}}}creator").text = creator
    _SUB(root, f"{{{NS['cp']}}}lastModifiedBy").text = creator
    _SUB(root, f"{{{NS['cp']}}}revision").text = "1"
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("created", "modified"):
        e = _SUB(root, f"{{{NS['dcterms']}}}{name}")
        e.set(f"{{{NS['xsi']}}}type", "dcterms:W3CDTF")
        e.text = stamp
    return read_part_xml(root)


class Deflated(NamedTuple):
    """A part already compressed for `zip_package`: raw deflate bytes, CRC-32, plain size."""

    data: bytes
    crc: int
    size: int


def deflate(data: bytes) -> Deflated:
    """Compress a part exactly as `zip_package` does (raw deflate, level 1)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_ZIP_LIMIT = (1 << 31) - 1


def zip_package(parts: Mapping[str, bytes], when: dt.datetime,
                deflated: Mapping[str, Deflated] | None = None) -> bytes:
    """Zip the parts with fixed timestamps and order: same parts, same bytes.

    `deflated` gives parts already compressed (by `deflate`), such as the parts of a frame
    that no document changes, so they are compressed once per process instead of once per
    document. The bytes are those `zipfile` writes for `writestr(info, data,
    compresslevel=1)` with the ZipInfo below; writing the records here is what lets a part
    be copied in already compressed.
    """
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    dosdate = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    dostime = stamp[3] << 11 | stamp[4] << 5 | (stamp[5] // 2)
    order = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n.startswith("word/") is False, n))
    ready = deflated or {}
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name in order:
        data = parts[name]
        packed = ready.get(name)
        if packed is None or packed.size != len(data):
            packed = deflate(data)
        if max(packed.size, len(packed.data), offset) > _ZIP_LIMIT:
            raise ValueError(f"part {name} is too large for a plain zip")
        try:
            filename, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            filename, flags = name.encode("utf-8"), 0x800
        # version 2.0, deflate (8); external attributes as zipfile sets them (rw-------)
        header = _LOCAL.pack(b"PK\x03\x04", 20, 0, flags, 8, dostime, dosdate, packed.crc,
                             len(packed.data), packed.size, len(filename), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 0, 20, 0, flags, 8, dostime, dosdate,
                                     packed.crc, len(packed.data), packed.size, len(filename),
                                     0, 0, 0, 0, 0o600 << 16, offset) + filename)
        out += (header, filename, packed.data)
        offset += len(header) + len(filename) + len(packed.data)
    directory = b"".join(central)
    out.append(directory)
    out.append(_END.pack(b"PK\x05\x06", 0, 0, len(order), len(order), len(directory), offset, 0))
    return b"".join(out)
