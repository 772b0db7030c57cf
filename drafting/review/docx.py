"""Compare two .docx drafts and write the redline: the new draft with every change tracked.

The steps:
1. Both packages are read; tracked changes already in them are accepted, as Word does.
2. Block-level content (paragraphs, tables, content controls) is aligned with difflib over
   the blocks' texts; inside a replaced stretch, blocks are paired when their words are at
   least `PAIR_THRESHOLD` alike, the rest are deletions and insertions.
3. A deleted paragraph whose exact text is inserted elsewhere becomes a move
   (``w:moveFrom``/``w:moveTo``); any other difference stays a deletion plus insertion,
   so no edit is ever hidden.
4. Paired paragraphs are diffed word by word; each character keeps the run formatting of
   its side, and formatting that differs on unchanged text gets ``w:rPrChange``.
   Paragraph properties that differ get ``w:pPrChange``. Tables are diffed row by row and
   cell by cell, rows added or removed are marked in ``w:trPr``.
5. The result replaces ``word/document.xml`` of the new package: styles, numbering,
   headers and everything else are the new draft's.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from drafting.errors import CompareError, OutputError
from drafting.review._oxml import (
    R_NS,
    XML_SPACE,
    Stamp,
    canonical,
    ensure_mark_rpr,
    ensure_ppr,
    paragraph_text,
    qn,
    set_mark,
)
from drafting.review.package import (
    Package,
    max_revision_id,
    read_package,
    read_provenance,
    write_package,
)
from drafting.review.revisions import accept_all, count_revisions, has_revisions
from drafting.review.words import align_region, diff_words

__all__ = [
    "Block",
    "Comparison",
    "Step",
    "compare_files",
    "compare_packages",
    "revision_date",
]

MOVE_MIN_WORDS = 3
"""A paragraph is shown as moved only when it has at least this many words (and identical text)."""

StepOp = Literal["same", "changed", "inserted", "deleted", "moved_from", "moved_to"]


@dataclass(frozen=True)
class Block:
    """A top-level block of a draft, as the clause summary needs it."""

    kind: str  # "p", "tbl<columns>" ("tbl5"), "sdt" or "other"
    text: str
    style: str | None  # paragraph style id, None for tables and unstyled paragraphs
    outline_level: int | None  # 0 for "Heading 1"; None when not a heading
    bookmarks: tuple[str, ...] = ()  # names of bookmarks starting in the paragraph


@dataclass(frozen=True)
class Step:
    """One step of the top-level alignment: which old and new blocks it covers and how."""

    op: StepOp
    old: int | None
    new: int | None


@dataclass
class Comparison:
    """The redline package and what it found."""

    data: bytes
    old_provenance: dict[str, Any] | None
    new_provenance: dict[str, Any] | None
    old_blocks: list[Block]
    new_blocks: list[Block]
    steps: list[Step]
    counts: Counter[str]
    old_source: str = ""
    new_source: str = ""


def revision_date(value: str | None = None) -> str:
    """The date written on every revision: `value` (ISO 8601), else SOURCE_DATE_EPOCH, else now.

    Raises `CompareError` for a date that does not parse.
    """
    if value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise CompareError(
                f"--date {value!r} is not an ISO 8601 date; write it like 2026-11-23 or "
                "2026-11-23T09:30:00Z"
            ) from None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
        except ValueError:
            raise CompareError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970"
            ) from None
    else:
        moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- atoms: a paragraph as a string of characters that remember their run --------------------

_TEXT_LIKE = {
    qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "\u2011", qn("w:softHyphen"): "\u00ad",
}
_WRAPPERS = {qn("w:hyperlink"), qn("w:fldSimple"), qn("w:smartTag"), qn("w:customXml"),
             qn("w:dir"), qn("w:bdo")}
_RPR_SKIP = frozenset({qn("w:rPrChange")})
_PPR_SKIP = frozenset({qn("w:rPr"), qn("w:sectPr"), qn("w:pPrChange")})


@dataclass(slots=True)
class _Atom:
    ch: str
    el: etree._Element | None  # the run child to copy, None for a plain text character
    rpr: etree._Element | None
    wrapper: etree._Element | None


@dataclass
class _Ctx:
    stamp: Stamp
    opaque: dict[str, str] = field(default_factory=dict)
    moves: int = 0

    def opaque_char(self, key: str) -> str:
        """One private-use character per distinct non-text run item (field char, drawing)."""
        ch = self.opaque.get(key)
        if ch is None:
            ch = chr(0xF0000 + len(self.opaque))
            self.opaque[key] = ch
        return ch


# Written by word processors on every save, meaning nothing to a reader.
_IGNORED_IN_RUN = frozenset({qn("w:lastRenderedPageBreak")})
_ANCHORS_IN_RUN = frozenset({qn("w:commentReference")})
# Items of old text that point into the old package's other parts: left out of deletions.
_OLD_PACKAGE_ONLY = frozenset({qn("w:footnoteReference"), qn("w:endnoteReference"),
                               qn("w:commentReference")})


def _atoms(
    p: etree._Element, ctx: _Ctx
) -> tuple[list[_Atom], list[tuple[int, etree._Element]]]:
    """The paragraph as one atom per character or run item, and its zero-width markers
    (bookmarks, comment anchors) with the atom index they stand before."""
    atoms: list[_Atom] = []
    markers: list[tuple[int, etree._Element]] = []

    def walk(container: etree._Element, wrapper: etree._Element | None) -> None:
        for child in container:
            tag = child.tag
            if not isinstance(tag, str) or tag == qn("w:pPr"):
                continue
            if tag == qn("w:r"):
                rpr = child.find(qn("w:rPr"))
                for item in child:
                    itag = item.tag
                    if itag == qn("w:rPr") or not isinstance(itag, str):
                        continue
                    if itag == qn("w:t"):
                        atoms.extend(_Atom(c, None, rpr, wrapper) for c in item.text or "")
                    elif itag in _IGNORED_IN_RUN:
                        continue
                    elif itag in _ANCHORS_IN_RUN:
                        # A comment anchor is no content: kept where the new draft has it.
                        run = etree.Element(qn("w:r"))
                        if rpr is not None:
                            run.append(copy.deepcopy(rpr))
                        run.append(copy.deepcopy(item))
                        markers.append((len(atoms), run))
                    elif itag in _TEXT_LIKE:
                        atoms.append(_Atom(_TEXT_LIKE[itag], item, rpr, wrapper))
                    else:
                        atoms.append(_Atom(ctx.opaque_char(canonical(item)), item, rpr, wrapper))
            elif tag in _WRAPPERS:
                walk(child, wrapper if wrapper is not None else child)
            elif tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content, wrapper)
            else:
                markers.append((len(atoms), child))

    walk(p, None)
    return atoms, markers


# --- building runs -------------------------------------------------------------------------

_Status = Literal["equal", "insert", "delete"]


@dataclass(slots=True)
class _Piece:
    status: _Status
    atom: _Atom
    old_rpr: etree._Element | None  # formatting before, when it differs (w:rPrChange)
    changed_format: bool


def _make_run(pieces: Sequence[_Piece], ctx: _Ctx) -> etree._Element:
    first = pieces[0]
    run = etree.Element(qn("w:r"))
    if first.atom.rpr is not None:
        rpr = copy.deepcopy(first.atom.rpr)
        for old in rpr.findall(qn("w:rPrChange")):
            rpr.remove(old)
        run.append(rpr)
    if first.changed_format:
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(run, qn("w:rPr"))
        change = ctx.stamp.element("w:rPrChange")
        original = etree.SubElement(change, qn("w:rPr"))
        if first.old_rpr is not None:
            for child in first.old_rpr:
                if child.tag != qn("w:rPrChange"):
                    original.append(copy.deepcopy(child))
        rpr.append(change)
    deleted = first.status == "delete"
    text_tag = qn("w:delText") if deleted else qn("w:t")
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            t = etree.SubElement(run, text_tag)
            t.text = "".join(buffer)
            t.set(XML_SPACE, "preserve")
            buffer.clear()

    for piece in pieces:
        atom = piece.atom
        if atom.el is None:
            buffer.append(atom.ch)
            continue
        if deleted and (atom.el.tag in _OLD_PACKAGE_ONLY or _points_into_package(atom.el)):
            continue  # it would point at a part of the old draft the redline does not have
        flush()
        item = copy.deepcopy(atom.el)
        if deleted and item.tag == qn("w:instrText"):
            item.tag = qn("w:delInstrText")
        run.append(item)
    flush()
    return run


def _points_into_package(el: etree._Element) -> bool:
    prefix = f"{{{R_NS}}}"
    return any(k.startswith(prefix) for item in el.iter() for k in item.attrib)


def _group_key(piece: _Piece) -> tuple[object, ...]:
    atom = piece.atom
    return (
        piece.status,
        id(atom.wrapper) if atom.wrapper is not None else None,
        id(atom.rpr) if atom.rpr is not None else None,
        piece.changed_format,
        id(piece.old_rpr) if piece.old_rpr is not None else None,
    )


def _emit(
    out: etree._Element,
    items: list[_Piece | etree._Element],
    ctx: _Ctx,
) -> None:
    """Append runs (grouped by formatting), revision wrappers and markers to paragraph `out`."""
    wrapper_src: etree._Element | None = None
    container = out
    rev: etree._Element | None = None
    rev_status: _Status | None = None
    run_pieces: list[_Piece] = []

    def flush_run() -> None:
        nonlocal rev, rev_status
        if not run_pieces:
            return
        status = run_pieces[0].status
        if status == "equal":
            target = container
            rev, rev_status = None, None
        else:
            if rev is None or rev_status != status or rev.getparent() is not container:
                rev = ctx.stamp.element("w:ins" if status == "insert" else "w:del")
                container.append(rev)
                rev_status = status
            target = rev
        target.append(_make_run(run_pieces, ctx))
        if status == "equal":
            rev, rev_status = None, None
        run_pieces.clear()

    for item in items:
        if isinstance(item, etree._Element):
            flush_run()
            out.append(item)
            container, wrapper_src, rev, rev_status = out, None, None, None
            continue
        wrapper = item.atom.wrapper if item.status != "delete" else None
        if wrapper is not wrapper_src:
            flush_run()
            wrapper_src = wrapper
            rev, rev_status = None, None
            if wrapper is None:
                container = out
            else:
                container = etree.SubElement(out, wrapper.tag, dict(wrapper.attrib))
        if run_pieces and _group_key(run_pieces[-1]) != _group_key(item):
            flush_run()
        run_pieces.append(item)
    flush_run()


# --- paragraphs ----------------------------------------------------------------------------


def _ppr_differs(o: etree._Element, n: etree._Element) -> bool:
    return canonical(o.find(qn("w:pPr")), _PPR_SKIP) != canonical(n.find(qn("w:pPr")), _PPR_SKIP)


def _mark_rpr_differs(o: etree._Element, n: etree._Element) -> bool:
    op = o.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    np_ = n.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    return canonical(op, _RPR_SKIP) != canonical(np_, _RPR_SKIP)


def _add_ppr_change(out: etree._Element, o: etree._Element, ctx: _Ctx) -> None:
    ppr = ensure_ppr(out)
    change = ctx.stamp.element("w:pPrChange")
    original = etree.SubElement(change, qn("w:pPr"))
    old_ppr = o.find(qn("w:pPr"))
    if old_ppr is not None:
        for child in old_ppr:
            if child.tag not in _PPR_SKIP:
                original.append(copy.deepcopy(child))
    ppr.append(change)


def _add_mark_rpr_change(out: etree._Element, o: etree._Element, ctx: _Ctx) -> None:
    rpr = ensure_mark_rpr(out)
    change = ctx.stamp.element("w:rPrChange")
    original = etree.SubElement(change, qn("w:rPr"))
    old = o.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if old is not None:
        for child in old:
            if child.tag not in (qn("w:rPrChange"), qn("w:ins"), qn("w:del")):
                original.append(copy.deepcopy(child))
    rpr.append(change)


def _diff_paragraph(o: etree._Element, n: etree._Element, ctx: _Ctx) -> tuple[etree._Element, bool]:
    """The paragraph `n` with its differences from `o` tracked; True when there were any."""
    if etree.tostring(o) == etree.tostring(n):
        return n, False
    oa, _ = _atoms(o, ctx)
    na, markers = _atoms(n, ctx)
    old_text = "".join(a.ch for a in oa)
    new_text = "".join(a.ch for a in na)
    segments = diff_words(old_text, new_text)
    ppr_changed = _ppr_differs(o, n)
    mark_changed = _mark_rpr_differs(o, n)

    rpr_keys: dict[int, str] = {}

    def rkey(rpr: etree._Element | None) -> str:
        if rpr is None:
            return ""
        k = id(rpr)
        if k not in rpr_keys:
            rpr_keys[k] = canonical(rpr, _RPR_SKIP)
        return rpr_keys[k]

    pieces: list[_Piece] = []
    changed = ppr_changed or mark_changed
    for seg in segments:
        if seg.op == "equal":
            for k in range(seg.b1 - seg.b0):
                old_atom, new_atom = oa[seg.a0 + k], na[seg.b0 + k]
                differs = rkey(old_atom.rpr) != rkey(new_atom.rpr)
                changed = changed or differs
                pieces.append(_Piece("equal", new_atom, old_atom.rpr if differs else None, differs))
        elif seg.op == "delete":
            changed = True
            pieces.extend(_Piece("delete", oa[i], None, False) for i in range(seg.a0, seg.a1))
        else:
            changed = True
            pieces.extend(_Piece("insert", na[i], None, False) for i in range(seg.b0, seg.b1))
    if not changed:
        return n, False

    # Markers (bookmarks, comment ranges) of the new paragraph keep their place among its text.
    items: list[_Piece | etree._Element] = []
    marker_at: dict[int, list[etree._Element]] = {}
    for pos, el in markers:
        marker_at.setdefault(pos, []).append(el)
    new_pos = 0
    for piece in pieces:
        if piece.status != "delete":
            items.extend(marker_at.pop(new_pos, []))
            new_pos += 1
        items.append(piece)
    for pos in sorted(marker_at):
        items.extend(marker_at[pos])

    out = etree.Element(n.tag, dict(n.attrib))
    ppr = n.find(qn("w:pPr"))
    if ppr is not None:
        out.append(copy.deepcopy(ppr))
    if ppr_changed:
        _add_ppr_change(out, o, ctx)
    if mark_changed:
        _add_mark_rpr_change(out, o, ctx)
    _emit(out, items, ctx)
    return out, True


# --- whole inserted / deleted / moved content -------------------------------------------------

_RUN_CONTAINERS = {qn("w:p"), *_WRAPPERS, qn("w:sdtContent")}


def _wrap_runs(container: etree._Element, make: Callable[[], etree._Element], deleted: bool) -> None:
    """Wrap every run of a paragraph (also inside hyperlinks and fields) in revision elements."""
    group: etree._Element | None = None
    for child in list(container):
        tag = child.tag
        if tag == qn("w:r"):
            if deleted:
                for t in child.iter(qn("w:t")):
                    t.tag = qn("w:delText")
                for t in child.iter(qn("w:instrText")):
                    t.tag = qn("w:delInstrText")
            if group is None:
                group = make()
                container.insert(container.index(child), group)
            group.append(child)
            continue
        if tag in _RUN_CONTAINERS:
            _wrap_runs(child, make, deleted)
        elif tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _wrap_runs(content, make, deleted)
        group = None


def _mark_all(el: etree._Element, kind: Literal["ins", "del"], ctx: _Ctx) -> None:
    """Mark every paragraph (content and mark) and table row in `el` as inserted or deleted."""
    name = f"w:{kind}"
    for p in list(el.iter(qn("w:p"))):
        _wrap_runs(p, lambda: ctx.stamp.element(name), deleted=kind == "del")
        set_mark(p, ctx.stamp.element(name))
    for tr in el.iter(qn("w:tr")):
        _mark_row(tr, ctx.stamp.element(name))


def _mark_row(tr: etree._Element, mark: etree._Element) -> None:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = etree.Element(qn("w:trPr"))
        at = 1 if (len(tr) and tr[0].tag == qn("w:tblPrEx")) else 0
        tr.insert(at, trpr)
    change = trpr.find(qn("w:trPrChange"))
    if change is not None:
        change.addprevious(mark)
    else:
        trpr.append(mark)


_MARKERS_DROPPED = tuple(
    qn(f"w:{name}")
    for name in (
        "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
        "commentReference", "permStart", "permEnd", "proofErr", "footnoteReference",
        "endnoteReference", "sectPr",
    )
)
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _old_copy(el: etree._Element) -> etree._Element:
    """A copy of old content that is safe inside the new package.

    Bookmarks, comment anchors and note references belong to the old package's parts;
    elements pointing at its relationships (pictures, hyperlink targets) cannot be resolved
    in the new package. Hyperlinks keep their text; pictures are left out.
    """
    el = copy.deepcopy(el)
    for item in list(el.iter(*_MARKERS_DROPPED)):
        parent = item.getparent()
        if parent is not None:
            parent.remove(item)
    for item in list(el.iter()):
        if not isinstance(item.tag, str):
            continue
        for attr in (f"{{{_W14}}}paraId", f"{{{_W14}}}textId"):
            item.attrib.pop(attr, None)
        if any(k.startswith(f"{{{R_NS}}}") for k in item.attrib):
            parent = item.getparent()
            if parent is None:
                continue
            if item.tag == qn("w:hyperlink"):
                index = parent.index(item)
                for offset, child in enumerate(list(item)):
                    parent.insert(index + offset, child)
            parent.remove(item)
    return el


def _moved(
    el: etree._Element, direction: Literal["moveFrom", "moveTo"], name: str, ctx: _Ctx
) -> etree._Element:
    """Mark paragraph `el` as moved away (``moveFrom``) or moved here (``moveTo``)."""
    start = ctx.stamp.element(f"w:{direction}RangeStart", name=name)
    end = etree.Element(qn(f"w:{direction}RangeEnd"))
    end.set(qn("w:id"), start.get(qn("w:id")) or "")
    _wrap_runs(el, lambda: ctx.stamp.element(f"w:{direction}"), deleted=direction == "moveFrom")
    set_mark(el, ctx.stamp.element(f"w:{direction}"))
    at = 1 if (len(el) and el[0].tag == qn("w:pPr")) else 0
    el.insert(at, start)
    el.append(end)
    return el


# --- blocks --------------------------------------------------------------------------------


def _block_key(el: etree._Element) -> tuple[str, str]:
    tag = el.tag
    if tag == qn("w:p"):
        return ("p", paragraph_text(el))
    if tag == qn("w:tbl"):
        # Tables pair only with tables of as many columns: one whose columns changed is
        # shown deleted and inserted whole, not as rows of two shapes in one grid.
        columns = len(el.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
        return (f"tbl{columns}", "\x1e".join(paragraph_text(p) for p in el.iter(qn("w:p"))))
    if tag == qn("w:sdt"):
        return ("sdt", "\x1e".join(paragraph_text(p) for p in el.iter(qn("w:p"))))
    return ("other", canonical(el))


def _align(
    old: Sequence[etree._Element], new: Sequence[etree._Element]
) -> tuple[list[tuple[int | None, int | None]], list[tuple[str, str]], list[tuple[str, str]]]:
    okeys = [_block_key(el) for el in old]
    nkeys = [_block_key(el) for el in new]
    matcher = difflib.SequenceMatcher(None, okeys, nkeys, autojunk=False)
    steps: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            region = align_region(okeys[i1:i2], nkeys[j1:j2])
            steps.extend(
                (None if a is None else a + i1, None if b is None else b + j1) for a, b in region
            )
    return steps, okeys, nkeys


_BLOCK_TAGS = (qn("w:p"), qn("w:tbl"), qn("w:sdt"))


def _content(container: etree._Element) -> list[etree._Element]:
    skip = (qn("w:tcPr"), qn("w:sectPr"), qn("w:sdtPr"), qn("w:sdtEndPr"))
    return [c for c in container if isinstance(c.tag, str) and c.tag not in skip]


def _diff_pair(o: etree._Element, n: etree._Element, ctx: _Ctx) -> tuple[etree._Element, bool]:
    """Tracked differences of two paired blocks of the same kind."""
    if n.tag == qn("w:p"):
        return _diff_paragraph(o, n, ctx)
    if n.tag == qn("w:tbl"):
        return _diff_table(o, n, ctx)
    if n.tag == qn("w:sdt"):
        oc, nc = o.find(qn("w:sdtContent")), n.find(qn("w:sdtContent"))
        if oc is None or nc is None:
            return n, False
        changed = _diff_container(oc, nc, ctx)
        return n, changed
    return n, False


def _diff_container(o: etree._Element, n: etree._Element, ctx: _Ctx) -> bool:
    """Replace the block content of `n` (a cell or content control) by the tracked diff with `o`."""
    old, new = _content(o), _content(n)
    out, changed = _diff_blocks(old, new, ctx)
    for el in new:
        n.remove(el)
    for el in out:
        n.append(el)
    return changed


def _diff_blocks(
    old: Sequence[etree._Element], new: Sequence[etree._Element], ctx: _Ctx
) -> tuple[list[etree._Element], bool]:
    steps, _, _ = _align(old, new)
    out: list[etree._Element] = []
    changed = False
    for a, b in steps:
        if a is not None and b is not None:
            el, diff = _diff_pair(old[a], new[b], ctx)
            changed = changed or diff
            out.append(el)
        elif a is not None:
            if old[a].tag not in _BLOCK_TAGS:
                continue  # a bookmark or similar of the old package: nothing to show
            el = _old_copy(old[a])
            _mark_all(el, "del", ctx)
            out.append(el)
            changed = True
        elif b is not None:
            _mark_all(new[b], "ins", ctx)
            out.append(new[b])
            changed = True
    _settle(out, ctx)
    return out, changed


def _mark_kind(el: etree._Element) -> str | None:
    """"ins", "del", "move" or None: how a paragraph's mark is tracked (None: not a paragraph)."""
    if el.tag != qn("w:p"):
        return None
    rpr = el.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if rpr is None:
        return "none"
    if rpr.find(qn("w:ins")) is not None:
        return "ins"
    if rpr.find(qn("w:del")) is not None:
        return "del"
    if rpr.find(qn("w:moveFrom")) is not None or rpr.find(qn("w:moveTo")) is not None:
        return "move"
    return "none"


def _untrack_mark(p: etree._Element) -> None:
    rpr = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if rpr is not None:
        for tag in (qn("w:ins"), qn("w:del")):
            for mark in rpr.findall(tag):
                rpr.remove(mark)


def _ppr_parts(p: etree._Element) -> list[etree._Element]:
    ppr = p.find(qn("w:pPr"))
    return [] if ppr is None else [c for c in ppr if c.tag not in _PPR_SKIP]


def _carry_ppr(
    carrier: etree._Element, now: list[etree._Element], before: list[etree._Element], ctx: _Ctx
) -> None:
    """Give `carrier` the paragraph properties `now`, recording `before` in ``w:pPrChange``."""
    if "".join(map(canonical, now)) == "".join(map(canonical, before)):
        return
    if carrier.find(f"{qn('w:pPr')}/{qn('w:pPrChange')}") is not None:
        return  # one property change per paragraph: keep the one it has
    now = [copy.deepcopy(c) for c in now]
    before = [copy.deepcopy(c) for c in before]
    ppr = ensure_ppr(carrier)
    for child in list(ppr):
        if child.tag not in _PPR_SKIP:
            ppr.remove(child)
    for i, child in enumerate(now):
        ppr.insert(i, child)
    change = ctx.stamp.element("w:pPrChange")
    original = etree.SubElement(change, qn("w:pPr"))
    for child in before:
        original.append(child)
    ppr.append(change)


def _settle(out: list[etree._Element], ctx: _Ctx) -> None:
    """Keep untracked the paragraph marks that word processors cannot track.

    The last paragraph mark of a body or cell, and the mark of a paragraph right before a
    table, cannot be inserted or deleted: Word and LibreOffice ignore such a mark, which
    would leave an empty paragraph behind. The change is carried by the mark before it
    instead: deleted paragraphs at such a place delete the preceding paragraph's mark,
    inserted ones insert it; deleted paragraphs followed by inserted ones have the last
    deleted paragraph's text join the first inserted paragraph, as Word's own compare
    writes a replaced cell. The paragraph that ends up holding the merged text gets the
    right properties through ``w:pPrChange``, so accepting and rejecting both restore them.
    """
    end = len(out)  # stretches are settled from the last, so removals keep earlier indexes
    for i in range(len(out) - 1, -1, -1):
        if out[i].tag != qn("w:p"):
            end = i
        elif i == 0 or out[i - 1].tag != qn("w:p"):
            _settle_stretch(out, i, end, ctx)


def _settle_stretch(out: list[etree._Element], start: int, end: int, ctx: _Ctx) -> None:
    """Settle the paragraphs out[start:end], which end at a table or at the end of `out`."""
    stretch = out[start:end]
    kinds = [_mark_kind(el) for el in stretch]
    if not kinds or kinds[-1] not in ("ins", "del"):
        return
    m = 0
    while m < len(kinds) and kinds[len(kinds) - 1 - m] == "ins":
        m += 1
    k = 0
    while k + m < len(kinds) and kinds[len(kinds) - 1 - m - k] == "del":
        k += 1
    last = stretch[-1]
    if m and k:
        deleted, first_ins = stretch[-m - 1], stretch[-m]
        at = 1 if (len(first_ins) and first_ins[0].tag == qn("w:pPr")) else 0
        for offset, child in enumerate([c for c in deleted if c.tag != qn("w:pPr")]):
            first_ins.insert(at + offset, child)
        old_parts = _ppr_parts(deleted)
        out.remove(deleted)
        _untrack_mark(last)
        _carry_ppr(last, _ppr_parts(last), old_parts, ctx)
        return
    before = len(stretch) - 1 - m - k
    if before < 0 or kinds[before] != "none":
        return  # nothing to carry the change: a word processor keeps an empty paragraph
    x = stretch[before]
    set_mark(x, ctx.stamp.element("w:ins" if m else "w:del"))
    _untrack_mark(last)
    if m:
        _carry_ppr(last, _ppr_parts(last), _ppr_parts(x), ctx)
    else:
        _carry_ppr(last, _ppr_parts(x), _ppr_parts(last), ctx)


def _row_key(tr: etree._Element) -> tuple[str, str]:
    cells = tr.findall(qn("w:tc"))
    text = "\x1f".join(
        "\x1e".join(paragraph_text(p) for p in tc.iter(qn("w:p"))) for tc in cells
    )
    return (f"row{len(cells)}", text)


def _diff_table(o: etree._Element, n: etree._Element, ctx: _Ctx) -> tuple[etree._Element, bool]:
    orows, nrows = o.findall(qn("w:tr")), n.findall(qn("w:tr"))
    okeys = [_row_key(r) for r in orows]
    nkeys = [_row_key(r) for r in nrows]
    matcher = difflib.SequenceMatcher(None, okeys, nkeys, autojunk=False)
    steps: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            # Rows pair by similarity when they have the same number of cells (same key kind).
            for a, b in align_region(okeys[i1:i2], nkeys[j1:j2]):
                steps.append((None if a is None else a + i1, None if b is None else b + j1))
    changed = False
    rows: list[etree._Element] = []
    for a, b in steps:
        if a is not None and b is not None:
            ocells, ncells = orows[a].findall(qn("w:tc")), nrows[b].findall(qn("w:tc"))
            if len(ocells) == len(ncells):
                for oc, nc in zip(ocells, ncells):
                    changed = _diff_container(oc, nc, ctx) or changed
                rows.append(nrows[b])
                continue
            a_row: etree._Element = _old_copy(orows[a])
            _mark_all(a_row, "del", ctx)
            _mark_all(nrows[b], "ins", ctx)
            rows.extend([a_row, nrows[b]])
            changed = True
        elif a is not None:
            row = _old_copy(orows[a])
            _mark_all(row, "del", ctx)
            rows.append(row)
            changed = True
        elif b is not None:
            _mark_all(nrows[b], "ins", ctx)
            rows.append(nrows[b])
            changed = True
    for tr in nrows:
        n.remove(tr)
    for tr in rows:
        n.append(tr)
    return n, changed


# --- the top level -------------------------------------------------------------------------


def _block_info(el: etree._Element, key: tuple[str, str], levels: dict[str, int]) -> Block:
    style = None
    level = None
    if el.tag == qn("w:p"):
        ppr = el.find(qn("w:pPr"))
        if ppr is not None:
            ps = ppr.find(qn("w:pStyle"))
            if ps is not None:
                style = ps.get(qn("w:val"))
            ol = ppr.find(qn("w:outlineLvl"))
            if ol is not None and (ol.get(qn("w:val")) or "").isdigit():
                level = int(ol.get(qn("w:val")) or 9)
        if level is None and style is not None:
            level = levels.get(style)
        if level is not None and level >= 9:
            level = None
    marks = tuple(b.get(qn("w:name")) or "" for b in el.iter(qn("w:bookmarkStart")))
    return Block(kind=key[0], text=key[1], style=style, outline_level=level, bookmarks=marks)


def _style_levels(package: Package) -> dict[str, int]:
    """Outline level of each paragraph style (``Heading1`` -> 0), from styles.xml."""
    blob = package.parts.get("word/styles.xml")
    levels: dict[str, int] = {}
    if blob is None:
        return levels
    try:
        root = etree.fromstring(blob)
    except etree.XMLSyntaxError:
        return levels
    for style in root.iter(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if sid is None:
            continue
        ol = style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        name_el = style.find(qn("w:name"))
        name = (name_el.get(qn("w:val")) if name_el is not None else "") or ""
        if ol is not None and (ol.get(qn("w:val")) or "").isdigit():
            levels[sid] = int(ol.get(qn("w:val")) or 9)
        elif name.lower().startswith("heading ") and name[8:].strip().isdigit():
            levels[sid] = int(name[8:].strip()) - 1
    return levels


def _flatten(
    blocks: list[etree._Element],
) -> tuple[list[etree._Element], list[etree._Element | None]]:
    """Blocks with each block-level content control replaced by its blocks; and for each
    block, the content control it came from (None outside one)."""
    flat: list[etree._Element] = []
    owner: list[etree._Element | None] = []
    for el in blocks:
        content = el.find(qn("w:sdtContent")) if el.tag == qn("w:sdt") else None
        if content is None:
            flat.append(el)
            owner.append(None)
            continue
        for child in _content(content):
            flat.append(child)
            owner.append(el)
    return flat, owner


def _regroup(
    out: list[etree._Element], owners: list[etree._Element | None | bool], ctx: _Ctx
) -> list[etree._Element]:
    """Put blocks back into the new draft's content controls; settle each stretch's marks.

    Old content (a deletion or a move away) goes inside a control when the new blocks on
    both sides of it are in that control.
    """
    resolved: list[etree._Element | None] = []
    for i, owner in enumerate(owners):
        if owner is not False and owner is not True:
            resolved.append(owner)
            continue
        before = next((o for o in reversed(owners[:i]) if o is not False), None)
        after = next((o for o in owners[i + 1:] if o is not False), None)
        resolved.append(before if before is not None and before is after else None)
    result: list[etree._Element] = []
    used: set[int] = set()
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and resolved[j] is resolved[i]:
            j += 1
        segment = out[i:j]
        _settle(segment, ctx)
        owner = resolved[i]
        if owner is None:
            result.extend(segment)
        else:
            sdt = owner if id(owner) not in used else copy.deepcopy(owner)
            used.add(id(owner))
            content = sdt.find(qn("w:sdtContent"))
            assert content is not None
            for child in list(content):
                content.remove(child)
            for el in segment:
                content.append(el)
            result.append(sdt)
        i = j
    # Content controls of the new draft left empty (all their blocks paired elsewhere) are
    # dropped: they hold nothing.
    return result


def _body(root: etree._Element, source: str) -> etree._Element:
    body = root.find(qn("w:body"))
    if body is None:
        raise CompareError("the main document part has no w:body", file=source)
    return body


def compare_packages(
    old: Package, new: Package, *, author: str = "drafting", date: str | None = None
) -> Comparison:
    """Compare two read packages; the redline is built on `new`'s package."""
    old_root, new_root = old.document(), new.document()
    # Changes already tracked in a draft count as made, as in Word's compare.
    for root in (old_root, new_root):
        if has_revisions(root):
            accept_all(root)
    old_body, new_body = _body(old_root, old.source), _body(new_root, new.source)
    ctx = _Ctx(Stamp(author=author, date=revision_date(date), first_id=max_revision_id(new) + 1))

    # Block-level content controls (a table of contents, say) are compared by their
    # paragraphs, so a control one draft has and the other lacks hides no change.
    old_blocks_el, _ = _flatten(_content(old_body))
    new_blocks_el, new_owner = _flatten(_content(new_body))
    old_levels, new_levels = _style_levels(old), _style_levels(new)
    pairs, okeys, nkeys = _align(old_blocks_el, new_blocks_el)
    old_info = [_block_info(el, k, old_levels) for el, k in zip(old_blocks_el, okeys)]
    new_info = [_block_info(el, k, new_levels) for el, k in zip(new_blocks_el, nkeys)]

    # Moves: a deleted paragraph whose exact text is inserted elsewhere.
    inserted_by_text: dict[str, list[int]] = {}
    for idx, (a, b) in enumerate(pairs):
        if a is None and b is not None and nkeys[b][0] == "p":
            inserted_by_text.setdefault(nkeys[b][1], []).append(idx)
    move_of: dict[int, int] = {}  # step index of the deletion -> step index of the insertion
    for idx, (a, b) in enumerate(pairs):
        if a is not None and b is None and okeys[a][0] == "p":
            text = okeys[a][1]
            if len(text.split()) >= MOVE_MIN_WORDS and inserted_by_text.get(text):
                move_of[idx] = inserted_by_text[text].pop(0)
    move_to = {ins: dele for dele, ins in move_of.items()}
    names: dict[int, str] = {}
    for dele in sorted(move_of):
        ctx.moves += 1
        names[dele] = f"move{ctx.moves}"

    out: list[etree._Element] = []
    owners: list[etree._Element | None | bool] = []  # False: old content, owner decided below
    steps: list[Step] = []
    for idx, (a, b) in enumerate(pairs):
        if a is not None and b is not None:
            el, diff = _diff_pair(old_blocks_el[a], new_blocks_el[b], ctx)
            out.append(el)
            owners.append(new_owner[b])
            steps.append(Step("changed" if diff else "same", a, b))
        elif a is not None:
            if old_blocks_el[a].tag not in _BLOCK_TAGS:
                continue
            el = _old_copy(old_blocks_el[a])
            owners.append(False)
            if idx in move_of:
                out.append(_moved(el, "moveFrom", names[idx], ctx))
                steps.append(Step("moved_from", a, pairs[move_of[idx]][1]))
            else:
                _mark_all(el, "del", ctx)
                out.append(el)
                steps.append(Step("deleted", a, None))
        elif b is not None:
            owners.append(new_owner[b])
            if idx in move_to:
                dele = move_to[idx]
                source = old_blocks_el[pairs[dele][0] or 0]
                el, _ = _diff_paragraph(source, new_blocks_el[b], ctx)
                out.append(_moved(el, "moveTo", names[dele], ctx))
                steps.append(Step("moved_to", pairs[dele][0], b))
            else:
                _mark_all(new_blocks_el[b], "ins", ctx)
                out.append(new_blocks_el[b])
                steps.append(Step("inserted", None, b))

    sect = new_body.find(qn("w:sectPr"))
    for child in list(new_body):
        new_body.remove(child)
    for el in _regroup(out, owners, ctx):
        new_body.append(el)
    if sect is not None:
        new_body.append(sect)

    xml = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    stamp_time = datetime.strptime(ctx.stamp.date, "%Y-%m-%dT%H:%M:%SZ")
    zip_time = max(stamp_time, datetime(1980, 1, 1)).timetuple()[:6]
    data = write_package(new, {new.main: xml}, zip_time)
    return Comparison(
        data=data,
        old_provenance=read_provenance(old),
        new_provenance=read_provenance(new),
        old_blocks=old_info,
        new_blocks=new_info,
        steps=steps,
        counts=count_revisions(new_root),
        old_source=old.source,
        new_source=new.source,
    )


def compare_files(
    old: str | Path,
    new: str | Path,
    output: str | Path | None = None,
    *,
    author: str = "drafting",
    date: str | None = None,
    force: bool = False,
) -> Comparison:
    """Compare two .docx files; write the redline to `output` when given.

    Raises `CompareError` when an input is missing or not a .docx, and `OutputError` when
    `output` exists and `force` is False (checked before any work, so nothing is half-written).
    """
    if output is not None:
        out_path = Path(output)
        if out_path.exists() and not force:
            raise OutputError("already exists; use --force to overwrite it", file=out_path)
        if out_path.suffix.lower() != ".docx":
            raise OutputError("the redline is a Word document: give the output a .docx name",
                              file=out_path)
    result = compare_packages(read_package(old), read_package(new), author=author, date=date)
    if output is not None:
        _write_atomically(Path(output), result.data)
    return result


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"could not be written: {exc.strerror or exc}", file=path) from None
