"""Accept or reject every tracked change of a document, and count them.

These work on the XML tree of ``word/document.xml`` (in place) and follow Word's rules:
accepting keeps insertions and drops deletions; rejecting does the opposite and restores
the formatting recorded in ``w:rPrChange``/``w:pPrChange``. A paragraph whose mark goes
away joins the paragraph after it; a table row whose mark goes away is removed. They let
`drafting compare --check` prove that a redline hides no edit: accepting it must give the
new draft and rejecting it the old one.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from lxml import etree

from drafting.review._oxml import paragraph_text, qn

__all__ = [
    "accept_all",
    "count_regions",
    "count_revisions",
    "document_texts",
    "has_revisions",
    "reject_all",
    "resolve_package",
]

Mode = Literal["accept", "reject"]

_INS = (qn("w:ins"), qn("w:moveTo"))
_DEL = (qn("w:del"), qn("w:moveFrom"))
_RANGE_MARKS = tuple(
    qn(f"w:{name}")
    for name in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")
)
_PROPERTY_CHANGES = tuple(
    qn(f"w:{name}")
    for name in (
        "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
        "tblGridChange", "tblPrExChange", "numberingChange",
    )
)


def _unwrap(el: etree._Element) -> None:
    """Replace `el` by its children."""
    parent = el.getparent()
    assert parent is not None
    index = parent.index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    parent.remove(el)


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _restore_text(el: etree._Element) -> None:
    """Turn deleted text back into text (``w:delText`` -> ``w:t``)."""
    for dt in el.iter(qn("w:delText")):
        dt.tag = qn("w:t")
    for di in el.iter(qn("w:delInstrText")):
        di.tag = qn("w:instrText")


def _is_mark(el: etree._Element) -> bool:
    """True for a revision mark on a paragraph mark or a row (not a content wrapper)."""
    parent = el.getparent()
    return parent is not None and parent.tag in (qn("w:rPr"), qn("w:trPr"))


def _resolve(root: etree._Element, mode: Mode) -> etree._Element:
    keep, drop = (_INS, _DEL) if mode == "accept" else (_DEL, _INS)
    # Rows first: a row marked as dropped goes with everything in it.
    for tr in list(root.iter(qn("w:tr"))):
        trpr = tr.find(qn("w:trPr"))
        if trpr is None:
            continue
        if any(trpr.find(tag) is not None for tag in drop):
            _remove(tr)
    for tbl in list(root.iter(qn("w:tbl"))):
        if tbl.find(qn("w:tr")) is None:
            _remove(tbl)
    # Paragraphs whose mark is dropped, collected before their marks are cleared.
    joined = [
        p for p in root.iter(qn("w:p"))
        if (rpr := p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")) is not None
        and any(rpr.find(tag) is not None for tag in drop)
    ]
    # Content: dropped wrappers go with their runs, kept wrappers are unwrapped.
    for el in list(root.iter(*drop)):
        if not _is_mark(el):
            _remove(el)
    for el in list(root.iter(*keep)):
        if not _is_mark(el):
            if mode == "reject":
                _restore_text(el)
            _unwrap(el)
    for el in list(root.iter(*keep, *drop)):
        _remove(el)  # the remaining marks on paragraph marks and rows
    for el in list(root.iter(*_RANGE_MARKS)):
        _remove(el)
    for el in list(root.iter(qn("w:cellIns"), qn("w:cellDel"), qn("w:cellMerge"))):
        _remove(el)
    for el in list(root.iter(*_PROPERTY_CHANGES)):
        if mode == "reject":
            _restore_properties(el)
        _remove(el)
    for p in joined:
        _join_with_next(p)
    return root


def _restore_properties(change: etree._Element) -> None:
    """Put back the properties recorded in a ``w:*PrChange`` (reject)."""
    props = change.getparent()
    if props is None or len(change) == 0:
        return
    original = change[0]
    if change.tag == qn("w:pPrChange"):
        # w:pPrChange/w:pPr holds the paragraph properties but not the mark's w:rPr / w:sectPr.
        keep = {qn("w:rPr"), qn("w:sectPr"), qn("w:pPrChange")}
        for child in list(props):
            if child.tag not in keep:
                props.remove(child)
        for i, child in enumerate(list(original)):
            props.insert(i, child)
    else:
        # A section keeps its headers and footers: w:sectPrChange does not record them.
        keep = {qn("w:headerReference"), qn("w:footerReference")} \
            if change.tag == qn("w:sectPrChange") else set()
        kept = [c for c in props if c.tag in keep]
        for child in list(props):
            if child is not change and child.tag not in keep:
                props.remove(child)
        for i, child in enumerate([*kept, *list(original)]):
            props.insert(i, child)


# Zero-width marks that may sit between two paragraphs without separating them.
_BETWEEN_BLOCKS = frozenset(
    qn(f"w:{name}") for name in (
        "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "permStart",
        "permEnd", "proofErr",
    )
)


def _join_with_next(p: etree._Element) -> None:
    """A paragraph whose mark was removed: its content joins the next paragraph.

    With no paragraph right after it (end of a cell or of the body, or a table next), an
    empty paragraph disappears and one with content stays, so nothing is lost; a cell
    keeps at least one paragraph.
    """
    parent = p.getparent()
    if parent is None:
        return
    content = [c for c in p if c.tag != qn("w:pPr")]
    nxt = p.getnext()
    while nxt is not None and (not isinstance(nxt.tag, str) or nxt.tag in _BETWEEN_BLOCKS):
        nxt = nxt.getnext()
    if nxt is not None and nxt.tag == qn("w:p"):
        at = 1 if (len(nxt) and nxt[0].tag == qn("w:pPr")) else 0
        for offset, child in enumerate(content):
            nxt.insert(at + offset, child)
        parent.remove(p)
        return
    has_content = any(c.tag in (qn("w:r"), qn("w:hyperlink"), qn("w:fldSimple")) for c in content)
    last_in_cell = parent.tag == qn("w:tc") and len(parent.findall(qn("w:p"))) == 1
    if not has_content and not last_in_cell:
        parent.remove(p)


def accept_all(root: etree._Element) -> etree._Element:
    """Accept every tracked change in `root` (in place); return it."""
    return _resolve(root, "accept")


def reject_all(root: etree._Element) -> etree._Element:
    """Reject every tracked change in `root` (in place); return it."""
    return _resolve(root, "reject")


def has_revisions(root: etree._Element) -> bool:
    """True when `root` holds any tracked change."""
    tags = (*_INS, *_DEL, *_PROPERTY_CHANGES)
    return next(root.iter(*tags), None) is not None


def count_revisions(root: etree._Element) -> Counter[str]:
    """How many revision marks of each kind `root` holds.

    Keys: ``insertions`` and ``deletions`` (inline content), ``inserted_paragraphs`` and
    ``deleted_paragraphs`` (paragraph marks), ``inserted_rows`` and ``deleted_rows``,
    ``moved_from`` and ``moved_to``, ``formatting`` (run and paragraph property changes).
    """
    counts: Counter[str] = Counter()
    names = {
        qn("w:ins"): "insertions", qn("w:del"): "deletions",
        qn("w:moveFrom"): "moved_from", qn("w:moveTo"): "moved_to",
    }
    for el in root.iter(*names):
        parent = el.getparent()
        kind = names[el.tag]
        if parent is not None and parent.tag == qn("w:rPr"):
            kind = {"insertions": "inserted_paragraphs", "deletions": "deleted_paragraphs",
                    "moved_from": "moved_from_paragraphs", "moved_to": "moved_to_paragraphs"}[kind]
        elif parent is not None and parent.tag == qn("w:trPr"):
            kind = {"insertions": "inserted_rows", "deletions": "deleted_rows"}.get(kind, kind)
        counts[kind] += 1
    for el in root.iter(qn("w:rPrChange"), qn("w:pPrChange"), qn("w:sectPrChange")):
        counts["formatting"] += 1
    return counts


def document_texts(root: etree._Element) -> list[str]:
    """The text of every paragraph in document order, table cells included.

    Cell paragraphs are prefixed with their place (``[t0 r1 c2] ``) so that a text moved
    from one cell to another is a difference too.
    """
    out: list[str] = []
    body = root.find(qn("w:body"))
    _collect(body if body is not None else root, "", out)
    return out


def _collect(container: etree._Element, prefix: str, out: list[str]) -> None:
    tables = 0
    for child in container:
        if child.tag == qn("w:p"):
            out.append(prefix + paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for r, tr in enumerate(child.findall(qn("w:tr"))):
                for c, tc in enumerate(tr.findall(qn("w:tc"))):
                    _collect(tc, f"{prefix}[t{tables} r{r} c{c}] ", out)
            tables += 1
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent"))
            _collect(content if content is not None else child, prefix, out)





_REGION_KIND = {
    qn("w:ins"): "insertion", qn("w:del"): "deletion",
    qn("w:moveTo"): "move-insertion", qn("w:moveFrom"): "move-deletion",
}
_TRANSPARENT = (qn("w:hyperlink"), qn("w:fldSimple"), qn("w:smartTag"), qn("w:customXml"),
                qn("w:sdt"), qn("w:sdtContent"))


def count_regions(root: etree._Element) -> Counter[str]:
    """Stretches of inserted and deleted text, as a word processor shows them.

    Adjacent insertions (or deletions) of the same kind, including the paragraph marks
    between them, make one region; regions stop at table cells. A move counts as a
    deletion where it comes from and an insertion where it goes, separately from plain
    ones. Keys: ``insertion``, ``deletion``, ``format-change`` (run formatting, same
    grouping) and ``paragraph-change`` (one per paragraph whose properties changed). This is
    how LibreOffice groups tracked changes (``text:changed-region``), which lets a test check
    it sees every change. A change inside the shown result of a field whose code is not
    itself changed (a cross-reference's clause number, renumbered) is not a region:
    LibreOffice holds such a field as one object and shows the result it computes.
    """
    counts: Counter[str] = Counter()
    body = root.find(qn("w:body"))
    _regions_in(body if body is not None else root, counts)
    return counts


def _regions_in(container: etree._Element, counts: Counter[str]) -> None:
    current: list[str | None] = [None]
    # Open complex fields: for each, whether its code was tracked and whether its result
    # has started (after ``separate``).
    fields: list[list[bool]] = []

    def see(kind: str | None) -> None:
        if kind is not None and kind != current[0]:
            counts[kind.replace("move-", "")] += 1
        current[0] = kind

    def in_plain_result() -> bool:
        return bool(fields) and fields[-1][1] and not fields[-1][0]

    def follow_fields(run: etree._Element, kind: str | None) -> None:
        for c in run.iter(qn("w:fldChar")):
            which = c.get(qn("w:fldCharType"))
            if which == "begin":
                fields.append([kind is not None, False])
            elif which == "separate" and fields:
                fields[-1][1] = True
            elif which == "end" and fields:
                fields.pop()

    def inline(el: etree._Element, kind: str | None) -> None:
        for child in el:
            tag = child.tag
            if tag in _REGION_KIND:
                inline(child, _REGION_KIND[tag])
            elif tag == qn("w:r"):
                shown_result = in_plain_result() and child.find(qn("w:fldChar")) is None
                if any(c.tag != qn("w:rPr") for c in child) and not (
                        shown_result and kind is not None):
                    formatted = child.find(f"{qn('w:rPr')}/{qn('w:rPrChange')}") is not None
                    see("format-change" if kind is None and formatted else kind)
                follow_fields(child, kind)
            elif tag in _TRANSPARENT:
                inline(child, kind)

    for child in container:
        if child.tag == qn("w:p"):
            inline(child, None)
            rpr = child.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
            mark = None
            if rpr is not None:
                for tag, kind in _REGION_KIND.items():
                    if rpr.find(tag) is not None:
                        mark = kind
            see(mark)
            if child.find(f"{qn('w:pPr')}/{qn('w:pPrChange')}") is not None:
                counts["paragraph-change"] += 1
        elif child.tag == qn("w:tbl"):
            current[0] = None
            for tc in child.iter(qn("w:tc")):
                _regions_in(tc, counts)
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            _regions_in(child, counts)


def resolve_package(data: bytes, mode: Mode) -> bytes:
    """The .docx `data` with every tracked change of every story accepted or rejected
    (body, headers, footers, footnotes, endnotes, comments); other parts unchanged."""
    import io
    import zipfile

    from drafting.review.package import read_package, relationships

    package = read_package(data)
    stories = {package.main} | {
        rel.target for rel in relationships(package, package.main).values()
        if not rel.external and rel.type in ("header", "footer", "footnotes", "endnotes",
                                             "comments")
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename in stories:
                root = etree.fromstring(blob, etree.XMLParser(huge_tree=True))
                _resolve(root, mode)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            dst.writestr(info, blob)
    return buffer.getvalue()
