"""The WordprocessingML vocabulary of the redline package: names, revision marks, text.

Every `w:` tag the redline code writes is built here, so the rules of the schema (where a
mark goes inside `w:pPr`, which element order `w:rPr` needs) live in one module.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

__all__ = [
    "MC_NS",
    "M_NS",
    "PIC_NS",
    "R_NS",
    "WP_NS",
    "Stamp",
    "W",
    "canonical",
    "ensure_mark_rpr",
    "ensure_ppr",
    "is_tag",
    "paragraph_text",
    "qn",
    "set_mark",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_PREFIXES = {"w": W, "r": R_NS}


@functools.cache
def qn(name: str) -> str:
    """Clark name of a prefixed name: ``qn("w:p")`` -> ``{...main}p`` (cached: it is hot)."""
    prefix, local = name.split(":", 1)
    return f"{{{_PREFIXES[prefix]}}}{local}"


def is_tag(el: object, name: str) -> bool:
    """True when `el` is an element named `name` (``"w:p"``); False for comments and PIs."""
    return isinstance(el, etree._Element) and el.tag == qn(name)


@dataclass
class Stamp:
    """Author, date and the next free revision id: what every revision mark carries.

    Ids start above every id already used in the package (comments, bookmarks), so the
    redline never reuses one.
    """

    author: str
    date: str
    first_id: int = 1
    _ids: Iterator[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._ids = itertools.count(self.first_id)

    def next_id(self) -> str:
        return str(next(self._ids))

    def element(self, tag: str, **extra: str) -> etree._Element:
        """A new revision element (``w:ins``, ``w:del``, ...) with id, author and date."""
        el = etree.Element(qn(tag))
        el.set(qn("w:id"), self.next_id())
        el.set(qn("w:author"), self.author)
        el.set(qn("w:date"), self.date)
        for key, value in extra.items():
            el.set(qn(f"w:{key}"), value)
        return el


_TEXT_LIKE = {
    qn("w:tab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "\u2011",
    qn("w:softHyphen"): "\u00ad",
}


def paragraph_text(p: etree._Element) -> str:
    """The visible text of a paragraph (tabs and breaks as ``\\t`` and ``\\n``).

    Deleted text (``w:delText``) and field codes are not visible and are left out; nested
    tables are not part of the paragraph.
    """
    parts: list[str] = []
    for el in p.iter(qn("w:t"), *_TEXT_LIKE):
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        else:
            parts.append(_TEXT_LIKE[el.tag])
    return "".join(parts)


# Attributes that record editing sessions, not content: ignored when comparing.
_NOISE_ATTRS = {
    qn("w:rsidR"), qn("w:rsidRPr"), qn("w:rsidRDefault"), qn("w:rsidP"), qn("w:rsidDel"),
    qn("w:rsidTr"), qn("w:rsidSect"),
    "{http://schemas.microsoft.com/office/word/2010/wordml}paraId",
    "{http://schemas.microsoft.com/office/word/2010/wordml}textId",
}


def canonical(el: etree._Element | None, skip: frozenset[str] = frozenset()) -> str:
    """A string that is equal for two elements with the same meaning.

    Session ids (``w:rsid*``, ``w14:paraId``) and children named in `skip` (Clark names) are
    ignored. None gives the empty string, so "no properties" equals empty properties.
    """
    if el is None:
        return ""
    parts: list[str] = []
    _canon(el, skip, parts)
    text = "".join(parts)
    # An element with no children and no attributes means the same as no element.
    return "" if text == f"<{el.tag}>" + f"</{el.tag}>" else text


def _canon(el: etree._Element, skip: frozenset[str], out: list[str]) -> None:
    if not isinstance(el.tag, str):
        return
    attrs = sorted((k, v) for k, v in el.attrib.items() if k not in _NOISE_ATTRS)
    out.append(f"<{el.tag}")
    for k, v in attrs:
        out.append(f" {k}={v!r}")
    out.append(">")
    if el.text and el.tag in (qn("w:t"), qn("w:instrText"), qn("w:delText")):
        out.append(el.text)
    for child in el:
        if child.tag in skip:
            continue
        _canon(child, skip, out)
    out.append(f"</{el.tag}>")


# Children of w:pPr that must follow w:rPr (schema order: ..., rPr, sectPr, pPrChange).
_AFTER_PPR_RPR = (qn("w:sectPr"), qn("w:pPrChange"))


def ensure_ppr(p: etree._Element) -> etree._Element:
    """The paragraph's ``w:pPr``, created as its first child when missing."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        p.insert(0, ppr)
    return ppr


def ensure_mark_rpr(p: etree._Element) -> etree._Element:
    """The run properties of the paragraph mark (``w:pPr/w:rPr``), created in schema order."""
    ppr = ensure_ppr(p)
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = etree.Element(qn("w:rPr"))
        for i, child in enumerate(ppr):
            if child.tag in _AFTER_PPR_RPR:
                ppr.insert(i, rpr)
                break
        else:
            ppr.append(rpr)
    return rpr


def set_mark(p: etree._Element, mark: etree._Element) -> None:
    """Mark the paragraph mark as inserted, deleted or moved (first child of ``w:pPr/w:rPr``)."""
    rpr = ensure_mark_rpr(p)
    for name in ("w:ins", "w:del", "w:moveFrom", "w:moveTo"):
        for old in rpr.findall(qn(name)):
            rpr.remove(old)
    rpr.insert(0, mark)
