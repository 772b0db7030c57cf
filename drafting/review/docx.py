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
import hashlib
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
    M_NS,
    MC_NS,
    PIC_NS,
    R_NS,
    WP_NS,
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
    PackageEditor,
    Relationship,
    max_revision_id,
    read_package,
    read_provenance,
    relationships,
)
from drafting.review.parts import package_report
from drafting.review.props import Formatting
from drafting.review.styles import carry_styles
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

    kind: str  # "p", "tbl", "sdt" or "other"
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
    stories: dict[str, Counter[str]] = field(default_factory=dict)
    not_compared: list[str] = field(default_factory=list)
    comments_added: list[str] = field(default_factory=list)
    comments_removed: list[str] = field(default_factory=list)
    untracked: list[str] = field(default_factory=list)


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
    bare: bool = False  # `el` sits in the paragraph itself, not in a run (an equation)


@dataclass
class _Side:
    """One draft as the story being compared sees it: its package, the story's part (whose
    relationships the story's r:id attributes name) and its formatting."""

    package: Package
    part: str
    formatting: Formatting
    rels: dict[str, Relationship] = field(default_factory=dict)
    _targets: dict[str, str] = field(default_factory=dict)
    table_style: str | None = None  # of the table the story is in now, if any

    def target_key(self, rid: str) -> str:
        """What a relationship points at, by content: an image's bytes, a link's URL."""
        found = self._targets.get(rid)
        if found is None:
            rel = self.rels.get(rid)
            if rel is None:
                found = f"missing:{rid}"
            elif rel.external:
                found = f"url:{rel.target}"
            else:
                blob = self.package.parts.get(rel.target, b"")
                found = f"{rel.type}:{hashlib.sha1(blob).hexdigest()}"
            self._targets[rid] = found
        return found


@dataclass
class _Ctx:
    stamp: Stamp
    old: _Side
    new: _Side
    editor: PackageEditor | None = None
    notes: _Notes | None = None
    opaque: dict[str, str] = field(default_factory=dict)
    moves: int = 0
    inner_changes: int = 0  # text boxes found changed inside paragraphs otherwise equal
    missing: list[str] = field(default_factory=list)  # stories NEW lacks: not compared
    untracked: list[str] = field(default_factory=list)  # changes the format cannot track
    story: str = "body"  # the story being compared, for messages
    carriers: set[int] = field(default_factory=set)  # paragraphs carrying a later mark

    def opaque_char(self, key: str) -> str:
        """One private-use character per distinct non-text run item (field char, drawing)."""
        ch = self.opaque.get(key)
        if ch is None:
            ch = chr(0xF0000 + len(self.opaque))
            self.opaque[key] = ch
        return ch

    def side(self, which: Literal["old", "new"]) -> _Side:
        return self.old if which == "old" else self.new

    def import_rel(self, rid: str) -> str | None:
        """The id, in the new story's part, of what old relationship `rid` points at (the
        part copied over when needed); None when the old draft does not have it."""
        if self.editor is None:
            return None
        rel = self.old.rels.get(rid)
        if rel is None:
            return None
        key = (self.old.part, self.new.part, rid)
        found = self._imported.get(key)
        if found is None:
            target = rel.target if rel.external else self.editor.import_part(
                self.old.package, rel.target)
            found = self.editor.add_relationship(self.new.part, rel.full_type, target,
                                                 rel.external)
            self._imported[key] = found
        return found

    _imported: dict[tuple[str, str, str], str] = field(default_factory=dict)


# Written by word processors on every save, meaning nothing to a reader.
_IGNORED_IN_RUN = frozenset({qn("w:lastRenderedPageBreak")})
_ANCHORS_IN_RUN = frozenset({qn("w:commentReference")})
# Items of old text that point into the old package's comments: left out of deletions.
_OLD_PACKAGE_ONLY = frozenset({qn("w:commentReference")})
_NOTE_REFS = {qn("w:footnoteReference"): "footnote", qn("w:endnoteReference"): "endnote"}
_MATH = frozenset({f"{{{M_NS}}}oMath", f"{{{M_NS}}}oMathPara"})
_TXBX = qn("w:txbxContent")
_FALLBACK = f"{{{MC_NS}}}Fallback"
# Drawing ids and names that word processors renumber on every save.
_DRAWING_IDS = frozenset({f"{{{WP_NS}}}docPr", f"{{{PIC_NS}}}cNvPr"})
_R_PREFIX = f"{{{R_NS}}}"


def _needs_rewrite(item: etree._Element) -> bool:
    if item.tag in _MATH:
        return True
    for el in item.iter():
        if el.tag in _DRAWING_IDS or el.tag == _TXBX:
            return True
        if any(k.startswith(_R_PREFIX) for k in el.attrib):
            return True
    return False


def _item_key(item: etree._Element, ctx: _Ctx, which: Literal["old", "new"]) -> str:
    """A key equal for two run items (or equations) with the same meaning.

    Relationship ids are replaced by what they point at (an image by its bytes), drawing
    ids are left out, a text box counts without its text (that is compared as a story of
    its own), a note reference without its number (its note is compared), and an
    equation without its fonts.
    """
    tag = item.tag
    if tag in _NOTE_REFS:
        return _NOTE_REFS[tag] + "-reference"
    plain = not _needs_rewrite(item)
    if plain:
        return canonical(item)
    side = ctx.side(which)
    el = copy.deepcopy(item)
    for sub in list(el.iter()):
        if not isinstance(sub.tag, str):
            continue
        if sub.tag == _FALLBACK or (tag in _MATH and sub.tag == qn("w:rPr")):
            parent = sub.getparent()
            if parent is not None:
                parent.remove(sub)
            continue
        if sub.tag == _TXBX:
            for child in list(sub):
                sub.remove(child)
        if sub.tag in _DRAWING_IDS:
            sub.attrib.pop("id", None)
            sub.attrib.pop("name", None)
        for k, v in list(sub.attrib.items()):
            if k.startswith(_R_PREFIX):
                sub.set(k, side.target_key(v))
    return etree.tostring(el, method="c14n").decode()


def _atoms(
    p: etree._Element, ctx: _Ctx, which: Literal["old", "new"] = "new"
) -> tuple[list[_Atom], list[tuple[int, etree._Element]]]:
    """The paragraph as one atom per character or run item, and its zero-width markers
    (bookmarks, comment anchors) with the atom index they stand before. Equations are
    atoms too: compared whole, never passed through."""
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
                        key = _item_key(item, ctx, which)
                        atoms.append(_Atom(ctx.opaque_char(key), item, rpr, wrapper))
            elif tag in _MATH:
                key = _item_key(child, ctx, which)
                atoms.append(_Atom(ctx.opaque_char(key), child, None, wrapper, bare=True))
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
    old_atom: _Atom | None = None  # for an equal piece: the same atom in the old paragraph
    wrapper_key: str | None = None  # what its link or field does (None: same as identity)


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
        if deleted and atom.el.tag in _OLD_PACKAGE_ONLY:
            continue  # a comment of the old draft: the redline keeps the new draft's comments
        flush()
        if deleted:
            item = _old_item(atom.el, ctx)
            if item.tag == qn("w:instrText"):
                item.tag = qn("w:delInstrText")
        else:
            item = copy.deepcopy(atom.el)
            if piece.status == "equal" and piece.old_atom is not None:
                _pair_inside(piece.old_atom.el, atom.el, item, ctx)
            elif piece.status == "insert":
                _note_inserted(item, ctx)
        run.append(item)
    flush()
    return run


def _bare(piece: _Piece, ctx: _Ctx) -> etree._Element:
    """An equation, as the paragraph holds it (outside runs)."""
    if piece.status == "delete":
        return _old_item(piece.atom.el, ctx)
    return copy.deepcopy(piece.atom.el)


def _old_item(el: etree._Element | None, ctx: _Ctx) -> etree._Element:
    """A copy of an item of the old draft that resolves in the new package: the parts its
    relationships point at are copied over, its note references get their notes."""
    assert el is not None
    return _import_refs(copy.deepcopy(el), ctx)


def _import_refs(el: etree._Element, ctx: _Ctx) -> etree._Element:
    """Point the old content `el` (in place) at parts and notes of the new package."""
    for item in list(el.iter()):
        if not isinstance(item.tag, str):
            continue
        for k, v in list(item.attrib.items()):
            if k.startswith(_R_PREFIX):
                rid = ctx.import_rel(v)
                if rid is None:
                    del item.attrib[k]
                else:
                    item.set(k, rid)
        kind = _NOTE_REFS.get(item.tag)
        if kind is not None and ctx.notes is not None:
            item.set(qn("w:id"), ctx.notes.deleted(kind, item.get(qn("w:id")) or ""))
    return el


def _pair_inside(old: etree._Element | None, new: etree._Element, out: etree._Element,
                 ctx: _Ctx) -> None:
    """An item equal on both sides may hold a story of its own: a note (by reference) or a
    text box. Those are compared too: the note later, the text box here, in `out`."""
    kind = _NOTE_REFS.get(new.tag)
    if kind is not None:
        if ctx.notes is not None and old is not None:
            ctx.notes.paired(kind, old.get(qn("w:id")) or "", new.get(qn("w:id")) or "")
        return
    if old is None:
        return
    old_boxes = [b for b in old.iter(_TXBX) if not _in_fallback(b)]
    new_boxes = [b for b in out.iter(_TXBX) if not _in_fallback(b)]
    for ob, nb in zip(old_boxes, new_boxes):
        if _diff_container(ob, nb, ctx):
            ctx.inner_changes += 1
    fallback = [b for b in out.iter(_TXBX) if _in_fallback(b)]
    for fb, nb in zip(fallback, new_boxes):
        for child in list(fb):
            fb.remove(child)
        for child in nb:
            fb.append(copy.deepcopy(child))


def _in_fallback(el: etree._Element) -> bool:
    return any(a.tag == _FALLBACK for a in el.iterancestors())


def _note_inserted(item: etree._Element, ctx: _Ctx) -> None:
    for ref in item.iter(*_NOTE_REFS):
        if ctx.notes is not None:
            ctx.notes.inserted(_NOTE_REFS[ref.tag], ref.get(qn("w:id")) or "")


def _group_key(piece: _Piece) -> tuple[object, ...]:
    atom = piece.atom
    return (
        piece.status,
        id(atom) if atom.bare else None,
        piece.wrapper_key if piece.wrapper_key is not None else
        (id(atom.wrapper) if atom.wrapper is not None else None),
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
    wrapper_now: object = None
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
        if run_pieces[0].atom.bare:
            target.append(_bare(run_pieces[0], ctx))
        else:
            target.append(_make_run(run_pieces, ctx))
        if status == "equal":
            rev, rev_status = None, None
        run_pieces.clear()

    for item in items:
        if isinstance(item, etree._Element):
            flush_run()
            out.append(item)
            container, wrapper_src, rev, rev_status = out, None, None, None
            wrapper_now = None
            continue
        wrapper = item.atom.wrapper
        # Old and new text of the same link (same target) share one link element.
        same = wrapper is None if wrapper_src is None else (
            wrapper is not None and (wrapper is wrapper_src or (
                item.wrapper_key is not None and item.wrapper_key == wrapper_now)))
        if not same:
            flush_run()
            wrapper_src = wrapper
            wrapper_now = item.wrapper_key
            rev, rev_status = None, None
            if wrapper is None:
                container = out
            else:
                container = etree.SubElement(out, wrapper.tag, dict(wrapper.attrib))
                if item.status == "delete":
                    _import_refs(container, ctx)  # a link of the old draft keeps its target
        if run_pieces and _group_key(run_pieces[-1]) != _group_key(item):
            flush_run()
        run_pieces.append(item)
    flush_run()


# --- paragraphs ----------------------------------------------------------------------------


def _ppr_differs(o: etree._Element, n: etree._Element, ctx: _Ctx) -> bool:
    return ctx.old.formatting.paragraph_key(o.find(qn("w:pPr")), ctx.old.table_style) != \
        ctx.new.formatting.paragraph_key(n.find(qn("w:pPr")), ctx.new.table_style)


def _mark_rpr_differs(o: etree._Element, n: etree._Element, ctx: _Ctx) -> bool:
    op = o.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    np_ = n.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    old_style = ctx.old.formatting.para_style(o.find(qn("w:pPr")))
    new_style = ctx.new.formatting.para_style(n.find(qn("w:pPr")))
    return ctx.old.formatting.run_key(op, old_style, ctx.old.table_style) != \
        ctx.new.formatting.run_key(np_, new_style, ctx.new.table_style)


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


def _holds_references(p: etree._Element) -> bool:
    """True when the paragraph names something outside itself (a relationship, a note, a
    text box): equal bytes then do not mean equal content."""
    for el in p.iter():
        if el.tag in _NOTE_REFS or el.tag == _TXBX:
            return True
        if any(k.startswith(_R_PREFIX) for k in el.attrib):
            return True
    return False


def _wrapper_key(wrapper: etree._Element | None, side: _Side) -> str:
    """A hyperlink or simple field by what it does: its target (resolved) or its code."""
    if wrapper is None:
        return ""
    if wrapper.tag == qn("w:fldSimple"):
        return f"field {' '.join((wrapper.get(qn('w:instr')) or '').split())}"
    attrs = sorted(
        (k, side.target_key(v) if k.startswith(_R_PREFIX) else v)
        for k, v in wrapper.attrib.items()
        if k.startswith(_R_PREFIX) or k in _WRAPPER_MEANING
    )
    return f"{wrapper.tag}{attrs}"


# What a link does: where it goes (the r:id target, resolved) and in which frame. Its
# history flag and tooltip say nothing about the text.
_WRAPPER_MEANING = frozenset({qn("w:anchor"), qn("w:tgtFrame"), qn("w:docLocation"),
                              qn("w:uri"), qn("w:element"), qn("w:val")})


def _diff_paragraph(o: etree._Element, n: etree._Element, ctx: _Ctx) -> tuple[etree._Element, bool]:
    """The paragraph `n` with its differences from `o` tracked; True when there were any."""
    if etree.tostring(o) == etree.tostring(n) and not _holds_references(n):
        return n, False
    oa, _ = _atoms(o, ctx, "old")
    na, markers = _atoms(n, ctx, "new")
    old_text = "".join(a.ch for a in oa)
    new_text = "".join(a.ch for a in na)
    segments = diff_words(old_text, new_text)
    ppr_changed = _ppr_differs(o, n, ctx)
    mark_changed = _mark_rpr_differs(o, n, ctx)
    old_style = ctx.old.formatting.para_style(o.find(qn("w:pPr")))
    new_style = ctx.new.formatting.para_style(n.find(qn("w:pPr")))

    def okey(rpr: etree._Element | None) -> str:
        return ctx.old.formatting.run_key(rpr, old_style, ctx.old.table_style)

    def nkey(rpr: etree._Element | None) -> str:
        return ctx.new.formatting.run_key(rpr, new_style, ctx.new.table_style)

    wrapper_keys: dict[tuple[str, int], str] = {}

    def wkey(which: Literal["old", "new"], wrapper: etree._Element | None) -> str:
        k = (which, id(wrapper))
        if k not in wrapper_keys:
            wrapper_keys[k] = _wrapper_key(wrapper, ctx.side(which))
        return wrapper_keys[k]

    pieces: list[_Piece] = []
    changed = ppr_changed or mark_changed
    relinked: list[_Atom] = []  # old atoms of text whose link changed: deleted, then inserted
    relinked_new: list[_Atom] = []

    def flush_relinked() -> None:
        if relinked:
            pieces.extend(_Piece("delete", a, None, False) for a in relinked)
            pieces.extend(_Piece("insert", a, None, False) for a in relinked_new)
            relinked.clear()
            relinked_new.clear()

    for seg in segments:
        if seg.op == "equal":
            for k in range(seg.b1 - seg.b0):
                old_atom, new_atom = oa[seg.a0 + k], na[seg.b0 + k]
                if wkey("old", old_atom.wrapper) != wkey("new", new_atom.wrapper):
                    changed = True
                    relinked.append(old_atom)
                    relinked_new.append(new_atom)
                    continue
                flush_relinked()
                differs = not old_atom.bare and okey(old_atom.rpr) != nkey(new_atom.rpr)
                changed = changed or differs
                pieces.append(_Piece("equal", new_atom, old_atom.rpr if differs else None,
                                     differs, old_atom))
        elif seg.op == "delete":
            flush_relinked()
            changed = True
            pieces.extend(_Piece("delete", oa[i], None, False) for i in range(seg.a0, seg.a1))
        else:
            flush_relinked()
            changed = True
            pieces.extend(_Piece("insert", na[i], None, False) for i in range(seg.b0, seg.b1))
    flush_relinked()
    inner_before = ctx.inner_changes
    if not changed:
        # Same text and look; the notes and text boxes it holds are compared all the same.
        boxes = False
        for piece in pieces:
            el = piece.atom.el
            if el is None or piece.old_atom is None:
                continue
            if el.tag in _NOTE_REFS:
                _pair_inside(piece.old_atom.el, el, el, ctx)
            elif next(el.iter(_TXBX), None) is not None:
                boxes = True
        if not boxes:
            return n, False

    for piece in pieces:
        if piece.atom.wrapper is not None:
            piece.wrapper_key = wkey("old" if piece.status == "delete" else "new",
                                     piece.atom.wrapper)
        else:
            piece.wrapper_key = ""

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
    return out, changed or ctx.inner_changes != inner_before


# --- whole inserted / deleted / moved content -------------------------------------------------

_RUN_CONTAINERS = {qn("w:p"), *_WRAPPERS, qn("w:sdtContent")}


def _wrap_runs(container: etree._Element, make: Callable[[], etree._Element], deleted: bool) -> None:
    """Wrap every run of a paragraph (also inside hyperlinks and fields) in revision elements."""
    group: etree._Element | None = None
    for child in list(container):
        tag = child.tag
        if tag == qn("w:r") or tag in _MATH:
            if deleted and tag == qn("w:r"):
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
    if kind == "ins":
        _note_inserted(el, ctx)
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
        "commentReference", "permStart", "permEnd", "proofErr", "sectPr",
    )
)
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _old_copy(el: etree._Element, ctx: _Ctx) -> etree._Element:
    """A copy of old content that resolves inside the new package.

    Bookmarks and comment anchors belong to the old draft (the redline keeps the new
    draft's); pictures, links and other parts the content points at are copied over, and
    a note referred to gets its note (shown deleted), so rejecting the deletion gives the
    old content back whole.
    """
    el = copy.deepcopy(el)
    for item in list(el.iter(*_MARKERS_DROPPED)):
        parent = item.getparent()
        if parent is not None:
            parent.remove(item)
    for item in el.iter():
        if isinstance(item.tag, str):
            item.attrib.pop(f"{{{_W14}}}paraId", None)
            item.attrib.pop(f"{{{_W14}}}textId", None)
    return _import_refs(el, ctx)


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
        return ("tbl", "\x1e".join(paragraph_text(p) for p in el.iter(qn("w:p"))))
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
            el = _old_copy(old[a], ctx)
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
    """"ins", "del", "moveFrom", "moveTo" or "none" for a paragraph's mark; None: no paragraph."""
    if el.tag != qn("w:p"):
        return None
    rpr = el.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if rpr is None:
        return "none"
    if rpr.find(qn("w:ins")) is not None:
        return "ins"
    if rpr.find(qn("w:del")) is not None:
        return "del"
    if rpr.find(qn("w:moveFrom")) is not None:
        return "moveFrom"
    if rpr.find(qn("w:moveTo")) is not None:
        return "moveTo"
    return "none"


def _all_rows(tbl: etree._Element, mark: str) -> bool:
    """True when every row of the table is marked with `mark` (``w:ins`` or ``w:del``)."""
    rows = tbl.findall(qn("w:tr"))
    return bool(rows) and all(tr.find(f"{qn('w:trPr')}/{qn(mark)}") is not None for tr in rows)


def _untrack_mark(p: etree._Element) -> None:
    rpr = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if rpr is not None:
        for tag in (qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo")):
            for mark in rpr.findall(tag):
                rpr.remove(mark)


def _plain_on_one_side(p: etree._Element, inserted: bool, ctx: _Ctx) -> None:
    """The last paragraph of a story, whose mark cannot be tracked: untracked, with its
    properties only on the side it belongs to (recorded in ``w:pPrChange``)."""
    _untrack_mark(p)
    if inserted:
        _carry_ppr(p, _ppr_parts(p), [], ctx)
    else:
        _carry_ppr(p, [], _ppr_parts(p), ctx)


def _old_ppr_parts(p: etree._Element) -> list[etree._Element]:
    """The paragraph properties `p` had in OLD: those its ``w:pPrChange`` records, if any."""
    change = p.find(f"{qn('w:pPr')}/{qn('w:pPrChange')}")
    if change is not None:
        recorded = change.find(qn("w:pPr"))
        return [] if recorded is None else [c for c in recorded if c.tag not in _PPR_SKIP]
    return _ppr_parts(p)


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


def _settle(out: list[etree._Element], ctx: _Ctx, story_end: bool = True) -> None:
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
            # Tables after the stretch that are gone on one side (every row deleted, or
            # every row inserted) leave it at the end of the story on that side.
            tail = out[end:]
            ends = {side for side in ("w:del", "w:ins")
                    if all(el.tag == qn("w:tbl") and _all_rows(el, side) for el in tail)}
            _settle_stretch(out, i, end, ctx, at_end=story_end and end == len(out),
                            end_for=frozenset(ends) if story_end else frozenset())


_INS_KINDS = ("ins", "moveTo")
_DEL_KINDS = ("del", "moveFrom")


def _settle_stretch(out: list[etree._Element], start: int, end: int, ctx: _Ctx,
                    at_end: bool = False, end_for: frozenset[str] = frozenset()) -> None:
    """Settle the paragraphs out[start:end], which end at a table or at the end of `out`.

    Inserted (or moved-here) paragraphs at the end of the stretch have their insertion
    carried by the mark before them; deleted (or moved-away) ones, their deletion. With
    nothing to carry it (the stretch starts right after a table) at the end of a story,
    the last mark stays untracked and its paragraph is a plain empty one on the side that
    has no such paragraph: the empty paragraph Word and LibreOffice show after a final
    table anyway. Before a table, such a change cannot be tracked at all: it is reported.
    """
    stretch = out[start:end]
    kinds = [_mark_kind(el) for el in stretch]
    if not kinds or id(stretch[-1]) in ctx.carriers:
        return
    if kinds[-1] not in _INS_KINDS + _DEL_KINDS:
        return
    m = 0
    while m < len(kinds) and kinds[len(kinds) - 1 - m] in _INS_KINDS:
        m += 1
    k = 0
    while k + m < len(kinds) and kinds[len(kinds) - 1 - m - k] in _DEL_KINDS:
        k += 1
    last = stretch[-1]
    at_end = at_end or (("w:ins" if m else "w:del") in end_for and not (m and k))
    if m and k:
        deleted, first_ins = stretch[-m - 1], stretch[-m]
        if kinds[-m - 1] != "del" or kinds[-m] != "ins":
            _untrackable(ctx, "a moved paragraph next to inserted and deleted ones",
                         start == 0 and not at_end)
            return
        at = 1 if (len(first_ins) and first_ins[0].tag == qn("w:pPr")) else 0
        for offset, child in enumerate([c for c in deleted if c.tag != qn("w:pPr")]):
            first_ins.insert(at + offset, child)
        old_parts = _ppr_parts(deleted)
        out.remove(deleted)
        _untrack_mark(last)
        _carry_ppr(last, _ppr_parts(last), old_parts, ctx)
        return
    before = len(stretch) - 1 - m - k
    x: etree._Element | None = stretch[before] if before >= 0 and kinds[before] == "none" \
        else None
    if x is None and before < 0 and at_end and start >= 2:
        # Right after a table that goes on the same side (every row deleted, or inserted):
        # the paragraph before that table carries the change.
        table, prior = out[start - 1], out[start - 2]
        if table.tag == qn("w:tbl") and _all_rows(table, "w:ins" if m else "w:del") and \
                _mark_kind(prior) == "none":
            x = prior
            ctx.carriers.add(id(prior))  # its stretch must leave this mark as it is
    if x is None:
        if at_end and before < 0:
            _plain_on_one_side(last, inserted=bool(m), ctx=ctx)
        else:
            what = "inserted" if m else "deleted"
            _untrackable(ctx, f"a paragraph {what}", start == 0, rejecting=bool(m), at_end=at_end)
        return
    set_mark(x, ctx.stamp.element("w:ins" if m else "w:del"))
    _untrack_mark(last)
    if m:
        # Rejecting joins x's text to `last`, which must then look as x looked in OLD.
        _carry_ppr(last, _ppr_parts(last), _old_ppr_parts(x), ctx)
    else:
        _carry_ppr(last, _ppr_parts(x), _ppr_parts(last), ctx)


def _untrackable(ctx: _Ctx, what: str, at_start: bool, rejecting: bool = True,
                 at_end: bool = False) -> None:
    """Report a change no word processor can track where it is."""
    where = ("at the end" if at_end else "before a table at the start" if at_start
             else "before a table")
    side = "rejecting" if rejecting else "accepting"
    ctx.untracked.append(
        f"{ctx.story}: {what} {where} cannot be tracked there ({side} all changes leaves "
        "an empty paragraph, in Word as in LibreOffice)")


def _row_key(tr: etree._Element) -> tuple[str, str]:
    cells = tr.findall(qn("w:tc"))
    text = "\x1f".join(
        "\x1e".join(paragraph_text(p) for p in tc.iter(qn("w:p"))) for tc in cells
    )
    return (f"row{len(cells)}", text)


def _cell_shape(tc: etree._Element) -> str:
    """How a cell spans the grid (merged across or down): a change is no text change."""
    tcpr = tc.find(qn("w:tcPr"))
    if tcpr is None:
        return ""
    parts = []
    for name in ("gridSpan", "vMerge", "hMerge"):
        el = tcpr.find(qn(f"w:{name}"))
        if el is not None:
            parts.append(f"{name}={el.get(qn('w:val')) or 'continue'}")
    return ";".join(p for p in parts if p != "gridSpan=1")


def _table_style(tbl: etree._Element) -> str | None:
    el = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
    return el.get(qn("w:val")) if el is not None else None


def _diff_table(o: etree._Element, n: etree._Element, ctx: _Ctx) -> tuple[etree._Element, bool]:
    saved = ctx.old.table_style, ctx.new.table_style
    ctx.old.table_style, ctx.new.table_style = _table_style(o), _table_style(n)
    try:
        return _diff_rows(o, n, ctx)
    finally:
        ctx.old.table_style, ctx.new.table_style = saved


def _diff_rows(o: etree._Element, n: etree._Element, ctx: _Ctx) -> tuple[etree._Element, bool]:
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
            if len(ocells) == len(ncells) and all(
                    _cell_shape(oc) == _cell_shape(nc) for oc, nc in zip(ocells, ncells)):
                for oc, nc in zip(ocells, ncells):
                    changed = _diff_container(oc, nc, ctx) or changed
                rows.append(nrows[b])
                continue
            a_row: etree._Element = _old_copy(orows[a], ctx)
            _mark_all(a_row, "del", ctx)
            _mark_all(nrows[b], "ins", ctx)
            rows.extend([a_row, nrows[b]])
            changed = True
        elif a is not None:
            row = _old_copy(orows[a], ctx)
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
        _settle(segment, ctx, story_end=j == len(out))
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
    old_hf, new_hf = header_footer_parts(old, old_body), header_footer_parts(new, new_body)
    editor = PackageEditor(new)
    old_fmt, new_fmt = _formatting(old), _formatting(new)
    stamp = Stamp(author=author, date=revision_date(date),
                  first_id=max(max_revision_id(new), max_revision_id(old)) + 1)
    ctx = _Ctx(stamp, _Side(old, old.main, old_fmt, relationships(old, old.main)),
               _Side(new, new.main, new_fmt, relationships(new, new.main)), editor,
               _Notes(old, editor))

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
            el = _old_copy(old_blocks_el[a], ctx)
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

    stories: dict[str, Counter[str]] = {"body": count_revisions(new_root)}
    editor.set_part(new.main, _xml(new_root))
    _compare_headers(old_hf, new_hf, ctx, stories)
    assert ctx.notes is not None
    stories.update(ctx.notes.finish(ctx))
    story_parts = [new.main, *sorted(set(new_hf.values()))]
    story_parts += [r.target for r in relationships(editor.base, new.main).values()
                    if r.type in ("footnotes", "endnotes") and not r.external]
    carry_styles(editor, old, [p for p in story_parts if p in editor.parts])
    report = package_report(old, new, editor)
    stamp_time = datetime.strptime(ctx.stamp.date, "%Y-%m-%dT%H:%M:%SZ")
    zip_time = max(stamp_time, datetime(1980, 1, 1)).timetuple()[:6]
    data = editor.to_bytes(zip_time)
    totals: Counter[str] = Counter()
    for counts in stories.values():
        totals.update(counts)
    return Comparison(
        data=data,
        old_provenance=read_provenance(old),
        new_provenance=read_provenance(new),
        old_blocks=old_info,
        new_blocks=new_info,
        steps=steps,
        counts=totals,
        old_source=old.source,
        new_source=new.source,
        stories={name: c for name, c in stories.items() if +c},
        not_compared=ctx.missing + report.not_compared,
        untracked=ctx.untracked,
        comments_added=report.comments_added,
        comments_removed=report.comments_removed,
    )


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _formatting(package: Package) -> Formatting:
    rels = relationships(package, package.main).values()
    styles = next((r.target for r in rels if r.type == "styles" and not r.external), None)
    theme = next((r.target for r in rels if r.type == "theme" and not r.external), None)
    return Formatting(package.parts.get(styles) if styles else None,
                      package.parts.get(theme) if theme else None)


# --- headers and footers --------------------------------------------------------------------

HeaderKey = tuple[str, int, str]  # ("header" or "footer", section number from 1, kind)


def header_footer_parts(package: Package, body: etree._Element) -> dict[HeaderKey, str]:
    """The header and footer part each section shows, by kind (default, first, even).

    A section that names no header of a kind shows the previous section's, as in Word.
    """
    rels = relationships(package, package.main)
    sections = [p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") for p in body.iter(qn("w:p"))]
    found = [sp for sp in sections if sp is not None]
    last = body.find(qn("w:sectPr"))
    if last is not None:
        found.append(last)
    current: dict[tuple[str, str], str] = {}
    out: dict[HeaderKey, str] = {}
    for number, sect in enumerate(found, start=1):
        for where in ("header", "footer"):
            for ref in sect.findall(qn(f"w:{where}Reference")):
                rel = rels.get(ref.get(f"{{{R_NS}}}id") or "")
                if rel is not None and not rel.external:
                    current[(where, ref.get(qn("w:type")) or "default")] = rel.target
        for (where, kind), part in current.items():
            out[(where, number, kind)] = part
    return out


def story_name(key: HeaderKey) -> str:
    where, number, kind = key
    return f"{where} s{number} {kind}"


def _compare_headers(old_hf: dict[HeaderKey, str], new_hf: dict[HeaderKey, str], ctx: _Ctx,
                     stories: dict[str, Counter[str]]) -> None:
    """Compare each header and footer of NEW with the one OLD shows at the same place.

    A part several sections share is compared once (with the first section's old one).
    """
    assert ctx.editor is not None
    for key in sorted(set(old_hf) - set(new_hf)):
        ctx.missing.append(f"{story_name(key)} (only in OLD: NEW has no such header or footer)")
    done: set[str] = set()
    old_side, new_side = ctx.old, ctx.new
    for key in sorted(new_hf, key=lambda k: (k[1], k[0], k[2])):
        part = new_hf[key]
        if part in done or part not in ctx.editor.parts:
            continue
        done.add(part)
        old_part = old_hf.get(key)
        new_root = etree.fromstring(ctx.editor.parts[part])
        if old_part is not None and old_part in old_side.package.parts:
            old_root = etree.fromstring(old_side.package.parts[old_part])
        else:
            old_root = etree.Element(new_root.tag)
        for root in (old_root, new_root):
            if has_revisions(root):
                accept_all(root)
        ctx.old = _Side(old_side.package, old_part or "", old_side.formatting,
                        relationships(old_side.package, old_part) if old_part else {})
        ctx.new = _Side(new_side.package, part, new_side.formatting,
                        relationships(new_side.package, part))
        ctx.story = story_name(key)
        _diff_container(old_root, new_root, ctx)
        ctx.editor.set_part(part, _xml(new_root))
        stories[story_name(key)] = count_revisions(new_root)
    ctx.old, ctx.new = old_side, new_side
    ctx.story = "body"


# --- footnotes and endnotes -----------------------------------------------------------------

_NOTE_REL = {"footnote": "footnotes", "endnote": "endnotes"}


class _Notes:
    """The notes of both drafts: pairs to compare, old notes to carry over, new ones inserted.

    The text's alignment decides: a note reference equal on both sides pairs the two notes
    (their text is compared inside the notes part); a deleted reference brings its old
    note into the redline, shown deleted, under a new id; an inserted one's note is shown
    inserted.
    """

    def __init__(self, old: Package, editor: PackageEditor) -> None:
        self.old = old
        self.editor = editor
        self.pairs: list[tuple[str, str, str]] = []
        self.carried: list[tuple[str, str, str]] = []
        self.new_ones: list[tuple[str, str]] = []
        self._next: dict[str, int] = {}

    def _part(self, package: Package, kind: str) -> str | None:
        return next((r.target for r in relationships(package, package.main).values()
                     if r.type == _NOTE_REL[kind] and not r.external), None)

    def paired(self, kind: str, old_id: str, new_id: str) -> None:
        self.pairs.append((kind, old_id, new_id))

    def inserted(self, kind: str, new_id: str) -> None:
        self.new_ones.append((kind, new_id))

    def deleted(self, kind: str, old_id: str) -> str:
        """The id the old note gets in the redline."""
        if kind not in self._next:
            part = self._part(self.editor.base, kind)
            highest = 0
            if part is not None and part in self.editor.parts:
                for note in etree.fromstring(self.editor.parts[part]).iter(qn(f"w:{kind}")):
                    value = note.get(qn("w:id")) or "0"
                    highest = max(highest, int(value) if value.lstrip("-").isdigit() else 0)
            self._next[kind] = highest + 1
        new_id = str(self._next[kind])
        self._next[kind] += 1
        self.carried.append((kind, old_id, new_id))
        return new_id

    def finish(self, ctx: _Ctx) -> dict[str, Counter[str]]:
        """Write the compared notes into the redline; revision counts per notes story."""
        stories: dict[str, Counter[str]] = {}
        old_side, new_side = ctx.old, ctx.new
        for kind in ("footnote", "endnote"):
            pairs = [p for p in self.pairs if p[0] == kind]
            carried = [c for c in self.carried if c[0] == kind]
            fresh = [n for n in self.new_ones if n[0] == kind]
            if not (pairs or carried or fresh):
                continue
            old_part = self._part(self.old, kind)
            new_part = self._part(self.editor.base, kind)
            if new_part is None and carried and old_part is not None:
                new_part = self._create(kind, old_part)
            if new_part is None:
                continue
            new_root = etree.fromstring(self.editor.parts[new_part])
            old_root = etree.fromstring(self.old.parts[old_part]) if old_part else \
                etree.Element(new_root.tag)
            for root in (old_root, new_root):
                if has_revisions(root):
                    accept_all(root)
            ctx.old = _Side(self.old, old_part or "", old_side.formatting,
                            relationships(self.old, old_part) if old_part else {})
            ctx.new = _Side(new_side.package, new_part, new_side.formatting,
                            relationships(self.editor.base, new_part))
            ctx.story = f"{kind}s"
            old_by_id = {n.get(qn("w:id")): n for n in old_root.findall(qn(f"w:{kind}"))}
            new_by_id = {n.get(qn("w:id")): n for n in new_root.findall(qn(f"w:{kind}"))}
            done: set[str] = set()
            for _, old_id, new_id in pairs:
                if old_id in old_by_id and new_id in new_by_id and new_id not in done:
                    done.add(new_id)
                    _diff_container(old_by_id[old_id], new_by_id[new_id], ctx)
            for _, new_id in fresh:
                note = new_by_id.get(new_id)
                if note is not None and new_id not in done:
                    done.add(new_id)
                    for p in note.iter(qn("w:p")):
                        _wrap_runs(p, lambda: ctx.stamp.element("w:ins"), deleted=False)
            for _, old_id, new_id in carried:
                source = old_by_id.get(old_id)
                if source is None:
                    continue
                note = _old_copy(source, ctx)
                note.set(qn("w:id"), new_id)
                for p in note.iter(qn("w:p")):
                    _wrap_runs(p, lambda: ctx.stamp.element("w:del"), deleted=True)
                new_root.append(note)
            self.editor.set_part(new_part, _xml(new_root))
            stories[f"{kind}s"] = count_revisions(new_root)
        ctx.old, ctx.new = old_side, new_side
        return stories

    def _create(self, kind: str, old_part: str) -> str:
        """A notes part for a redline whose new draft has none: the old one's separators."""
        name = self.editor.import_part(self.old, old_part)
        root = etree.fromstring(self.editor.parts[name])
        for note in root.findall(qn(f"w:{kind}")):
            if note.get(qn("w:type")) not in ("separator", "continuationSeparator",
                                              "continuationNotice"):
                root.remove(note)
        self.editor.set_part(name, _xml(root))
        rel = next(r for r in relationships(self.old, self.old.main).values()
                   if r.target == old_part)
        self.editor.add_relationship(self.editor.base.main, rel.full_type, name, False)
        return name


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
