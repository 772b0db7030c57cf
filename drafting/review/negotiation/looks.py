"""Blocks compared by what a reader sees, across packages written by different programs.

A draft saved again by Word or LibreOffice says the same as the document `drafting` wrote,
but not in the same XML: runs are split differently, styles are renamed (``ClauseL1``
becomes ``ClauseLevel1``), properties repeated, ids renumbered, the table of contents
rewritten. A negotiation round must not take any of that for an edit, and must see every
real one (a word typed, a word made bold). So each block gets a key: its text run by run
with the run's formatting as it looks (`drafting.review.props.Formatting`, which resolves
styles and drops session noise), its paragraph formatting the same way, and fields, links
and objects by what they are. Bookmarks and comment anchors are not part of it: they mark
text, they are not text.

A table of contents entry is keyed by its visible text alone: it is a field that Word
rebuilds, and each program writes its page-number fields and links its own way.
"""

from __future__ import annotations

import re

from lxml import etree

from drafting.review._oxml import canonical, paragraph_text, qn
from drafting.review.package import Package, relationships
from drafting.review.props import Formatting

__all__ = ["Looks", "block_text"]

_TEXT = {
    qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "\u2011",
    qn("w:softHyphen"): "\u00ad",
}
# Zero-width marks and session noise: never part of a block's key.
_SKIP = frozenset(qn(f"w:{n}") for n in (
    "rPr", "pPr", "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
    "commentReference", "proofErr", "permStart", "permEnd", "lastRenderedPageBreak",
    "annotationRef", "delText", "delInstrText", "del", "moveFrom", "moveFromRangeStart",
    "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
))
_TRANSPARENT = frozenset(qn(f"w:{n}") for n in ("smartTag", "customXml", "dir", "bdo", "ins",
                                                 "moveTo"))
_TOC_STYLE = re.compile(r"^(toc|contents) ?\d$", re.IGNORECASE)


def block_text(el: etree._Element) -> str:
    """The text of a block as a reader names it: a paragraph's text, a table's rows with
    its cells joined by `` | ``."""
    if el.tag == qn("w:tbl"):
        rows = []
        for tr in el.findall(qn("w:tr")):
            rows.append(" | ".join(" ".join(paragraph_text(p) for p in tc.iter(qn("w:p")))
                                   for tc in tr.findall(qn("w:tc"))))
        return "\n".join(rows)
    if el.tag == qn("w:p"):
        return paragraph_text(el)
    return " ".join(paragraph_text(p) for p in el.iter(qn("w:p")))


class Looks:
    """Keys by look for the blocks of one package, and the names of its styles."""

    def __init__(self, package: Package) -> None:
        rels = relationships(package, package.main).values()
        styles = next((r.target for r in rels if r.type == "styles" and not r.external), None)
        theme = next((r.target for r in rels if r.type == "theme" and not r.external), None)
        styles_xml = package.parts.get(styles) if styles else None
        self.formatting = Formatting(styles_xml, package.parts.get(theme) if theme else None)
        self.names: dict[str, str] = {}
        """Style id -> its name, in lower case (``clauseheading`` -> ``clause heading``)."""
        if styles_xml:
            for style in etree.fromstring(styles_xml).iter(qn("w:style")):
                sid = style.get(qn("w:styleId"))
                name = style.find(qn("w:name"))
                if sid:
                    value = name.get(qn("w:val")) if name is not None else None
                    self.names[sid] = (value or sid).lower()

    def style_name(self, p: etree._Element) -> str:
        """The (lower-case) name of a paragraph's style; "" for none."""
        sid = self.formatting.para_style(p.find(qn("w:pPr")))
        return self.names.get(sid or "", "") if sid else ""

    def is_toc(self, p: etree._Element) -> bool:
        """True for a table of contents entry (style ``toc 1``, LibreOffice's ``Contents 1``)."""
        return p.tag == qn("w:p") and bool(_TOC_STYLE.match(self.style_name(p)))

    def key(self, el: etree._Element, table_style: str | None = None) -> str:
        """A key equal for two blocks (paragraph, table) that read and look the same."""
        tag = el.tag
        if tag == qn("w:p"):
            if self.is_toc(el):
                return self._toc_key(el)
            return self._paragraph_key(el, table_style)
        if tag == qn("w:tbl"):
            style_el = el.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
            style = style_el.get(qn("w:val")) if style_el is not None else None
            rows = []
            for tr in el.findall(qn("w:tr")):
                cells = []
                for tc in tr.findall(qn("w:tc")):
                    cells.append("\x1d".join(self.key(child, style) for child in tc
                                             if child.tag in (qn("w:p"), qn("w:tbl"))))
                rows.append("\x1c".join(cells))
            return "tbl\x1b" + "\x1b".join(rows)
        if tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            inner = [] if content is None else [self.key(c, table_style) for c in content
                                                if isinstance(c.tag, str)]
            return "sdt\x1b" + "\x1b".join(inner)
        return "other\x1b" + canonical(el)

    def _toc_key(self, p: etree._Element) -> str:
        # Whether the entry opens (1) or closes (-1) the contents field: the entries between
        # hold page-number fields of their own (begin and end in pairs), or none at all.
        depth = 0
        for fc in p.iter(qn("w:fldChar")):
            kind = fc.get(qn("w:fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "end" else 0
        return f"toc\x1b{paragraph_text(p)}\x1b{depth}"

    def _paragraph_key(self, p: etree._Element, table_style: str | None) -> str:
        fmt = self.formatting
        ppr = p.find(qn("w:pPr"))
        style = fmt.para_style(ppr)
        pieces: list[str] = [fmt.paragraph_key(ppr, table_style)]
        current: list[str | None] = [None]  # the run key of the text being gathered

        def text(run_key: str, value: str) -> None:
            if current[0] != run_key:
                pieces.append("\x1e" + run_key + "\x1f")
                current[0] = run_key
            pieces.append(value)

        def walk(container: etree._Element) -> None:
            for child in container:
                tag = child.tag
                if not isinstance(tag, str) or tag in _SKIP:
                    continue
                if tag == qn("w:r"):
                    run_key = fmt.run_key(child.find(qn("w:rPr")), style, table_style)
                    for item in child:
                        itag = item.tag
                        if not isinstance(itag, str) or itag in _SKIP:
                            continue
                        if itag == qn("w:t"):
                            text(run_key, item.text or "")
                        elif itag in _TEXT:
                            text(run_key, _TEXT[itag])
                        elif itag == qn("w:fldChar"):
                            text(run_key, f"\x01{item.get(qn('w:fldCharType'))}\x01")
                        elif itag == qn("w:instrText"):
                            text(run_key, "\x02" + " ".join((item.text or "").split()) + "\x02")
                        elif itag in (qn("w:footnoteReference"), qn("w:endnoteReference")):
                            text(run_key, f"\x03{etree.QName(itag).localname}\x03")
                        else:
                            text(run_key, "\x04" + canonical(item) + "\x04")
                elif tag == qn("w:hyperlink"):
                    where = child.get(qn("w:anchor")) or child.get(qn("r:id")) or ""
                    pieces.append(f"\x05link {where}\x05")
                    current[0] = None
                    walk(child)
                    pieces.append("\x05/link\x05")
                    current[0] = None
                elif tag == qn("w:fldSimple"):
                    instr = " ".join((child.get(qn("w:instr")) or "").split())
                    pieces.append(f"\x01field {instr}\x01")
                    current[0] = None
                    walk(child)
                    pieces.append("\x01/field\x01")
                    current[0] = None
                elif tag in _TRANSPARENT:
                    walk(child)
                elif tag == qn("w:sdt"):
                    content = child.find(qn("w:sdtContent"))
                    if content is not None:
                        walk(content)
                else:  # an equation, an object outside any run
                    pieces.append("\x04" + canonical(child) + "\x04")
                    current[0] = None

        walk(p)
        return "".join(pieces)
