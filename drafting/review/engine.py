"""The diff engine: two stories (block lists of a body, header, note or cell) in, one
story with every difference tracked out.

A `Differ` holds what one comparison shares: the revision stamp (author, date, ids), the
two sides (`Side`: a package, the part the story lives in, its formatting), the redline
package being written (a `PackageEditor`) and the notes met on the way. With it:

- `diff_blocks(old, new, differ)` aligns two lists of blocks (paragraphs, tables,
  content controls) and returns the new list with changes tracked; `diff_container`
  does the same in place for a cell, header, note or text box;
- `diff_paragraph(old, new, differ)` tracks word-level changes inside a pair of
  paragraphs: each character keeps its side's run formatting, formatting that differs
  by look gets ``w:rPrChange``, paragraph properties ``w:pPrChange``; equations, pictures
  and other objects are compared whole, text boxes and notes inside are compared too;
- `mark_all` and `old_copy` show whole blocks inserted or deleted (old content brings
  the parts and notes it points at into the redline), `mark_moved` shows a move;
- `settle` keeps untracked the paragraph marks word processors cannot track (the last of
  a story, the one before a table), carrying the change on the mark before.

The old side is always copied into the new side's package: the redline is built on NEW.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from lxml import etree

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
from drafting.review.package import Package, PackageEditor, Relationship
from drafting.review.props import Formatting
from drafting.review.words import align_region, diff_words, matching_opcodes

if TYPE_CHECKING:
    from drafting.review.stories import Notes

__all__ = [
    "BLOCK_TAGS",
    "Differ",
    "Side",
    "add_section_change",
    "align_blocks",
    "content_blocks",
    "diff_blocks",
    "diff_container",
    "diff_pair",
    "diff_paragraph",
    "mark_all",
    "mark_moved",
    "old_copy",
    "section_key",
    "settle",
    "wrap_runs",
]


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
class Side:
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
class Differ:
    stamp: Stamp
    old: Side
    new: Side
    editor: PackageEditor | None = None
    notes: Notes | None = None
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

    def side(self, which: Literal["old", "new"]) -> Side:
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


def _item_key(item: etree._Element, ctx: Differ, which: Literal["old", "new"]) -> str:
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
    p: etree._Element, ctx: Differ, which: Literal["old", "new"] = "new"
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


def _make_run(pieces: Sequence[_Piece], ctx: Differ) -> etree._Element:
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


def _bare(piece: _Piece, ctx: Differ) -> etree._Element:
    """An equation, as the paragraph holds it (outside runs)."""
    if piece.status == "delete":
        return _old_item(piece.atom.el, ctx)
    return copy.deepcopy(piece.atom.el)


def _old_item(el: etree._Element | None, ctx: Differ) -> etree._Element:
    """A copy of an item of the old draft that resolves in the new package: the parts its
    relationships point at are copied over, its note references get their notes."""
    assert el is not None
    return _import_refs(copy.deepcopy(el), ctx)


def _import_refs(el: etree._Element, ctx: Differ) -> etree._Element:
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
                 ctx: Differ) -> None:
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
        if diff_container(ob, nb, ctx):
            ctx.inner_changes += 1
    fallback = [b for b in out.iter(_TXBX) if _in_fallback(b)]
    for fb, nb in zip(fallback, new_boxes):
        for child in list(fb):
            fb.remove(child)
        for child in nb:
            fb.append(copy.deepcopy(child))


def _in_fallback(el: etree._Element) -> bool:
    return any(a.tag == _FALLBACK for a in el.iterancestors())


def _note_inserted(item: etree._Element, ctx: Differ) -> None:
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
    ctx: Differ,
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


def _ppr_differs(o: etree._Element, n: etree._Element, ctx: Differ) -> bool:
    return ctx.old.formatting.paragraph_key(o.find(qn("w:pPr")), ctx.old.table_style) != \
        ctx.new.formatting.paragraph_key(n.find(qn("w:pPr")), ctx.new.table_style)


def _mark_rpr_differs(o: etree._Element, n: etree._Element, ctx: Differ) -> bool:
    op = o.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    np_ = n.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    old_style = ctx.old.formatting.para_style(o.find(qn("w:pPr")))
    new_style = ctx.new.formatting.para_style(n.find(qn("w:pPr")))
    return ctx.old.formatting.run_key(op, old_style, ctx.old.table_style) != \
        ctx.new.formatting.run_key(np_, new_style, ctx.new.table_style)


def _add_ppr_change(out: etree._Element, o: etree._Element, ctx: Differ) -> None:
    ppr = ensure_ppr(out)
    change = ctx.stamp.element("w:pPrChange")
    original = etree.SubElement(change, qn("w:pPr"))
    old_ppr = o.find(qn("w:pPr"))
    if old_ppr is not None:
        for child in old_ppr:
            if child.tag not in _PPR_SKIP:
                original.append(copy.deepcopy(child))
    ppr.append(change)


def _add_mark_rpr_change(out: etree._Element, o: etree._Element, ctx: Differ) -> None:
    rpr = ensure_mark_rpr(out)
    change = ctx.stamp.element("w:rPrChange")
    original = etree.SubElement(change, qn("w:rPr"))
    old = o.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if old is not None:
        for child in old:
            if child.tag not in (qn("w:rPrChange"), qn("w:ins"), qn("w:del")):
                original.append(copy.deepcopy(child))
    rpr.append(change)


_SECTION_LAYOUT = {
    "pgSz": ("w", "h", "orient"), "pgMar": ("top", "right", "bottom", "left", "gutter"),
    "cols": ("num",), "titlePg": ("val",), "type": ("val",), "vAlign": ("val",),
}
_SECTION_DEFAULTS = {("type", "val"): "nextPage", ("cols", "num"): "1",
                     ("pgSz", "orient"): "portrait", ("vAlign", "val"): "top"}


def section_key(sect: etree._Element | None) -> str:
    """A key equal for two sections laid out the same: page size and orientation,
    margins, columns, a different first page, how the section starts. (Header and
    footer distances, grids and numbering formats are left out: word processors write
    them differently for the same page.)"""
    if sect is None:
        return ""
    parts: list[str] = []
    for name, attrs in _SECTION_LAYOUT.items():
        el = sect.find(qn(f"w:{name}"))
        if el is None:
            continue
        values = []
        for attr in attrs:
            value = el.get(qn(f"w:{attr}"))
            if name == "titlePg" and attr == "val":
                value = "off" if value in ("0", "false", "off") else "on"
            if value is not None and _SECTION_DEFAULTS.get((name, attr)) != value:
                values.append(f"{attr}={value}")
        if values:
            parts.append(f"{name}({','.join(values)})")
    return ";".join(parts)


def add_section_change(sect: etree._Element | None, old: etree._Element, ctx: Differ) -> None:
    """Record `old`'s layout in ``w:sectPrChange`` of `sect` (rejecting puts it back)."""
    if sect is None:
        return
    for previous in sect.findall(qn("w:sectPrChange")):
        sect.remove(previous)
    change = ctx.stamp.element("w:sectPrChange")
    recorded = etree.SubElement(change, qn("w:sectPr"))
    for child in old:
        if child.tag not in (qn("w:headerReference"), qn("w:footerReference"),
                             qn("w:sectPrChange")):
            recorded.append(copy.deepcopy(child))
    sect.append(change)


def _holds_references(p: etree._Element) -> bool:
    """True when the paragraph names something outside itself (a relationship, a note, a
    text box): equal bytes then do not mean equal content."""
    for el in p.iter():
        if el.tag in _NOTE_REFS or el.tag == _TXBX:
            return True
        if any(k.startswith(_R_PREFIX) for k in el.attrib):
            return True
    return False


def _wrapper_key(wrapper: etree._Element | None, side: Side) -> str:
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


def diff_paragraph(o: etree._Element, n: etree._Element, ctx: Differ) -> tuple[etree._Element, bool]:
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
    old_sect = o.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    new_sect = n.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    sect_changed = old_sect is not None and new_sect is not None and \
        section_key(old_sect) != section_key(new_sect)
    old_style = ctx.old.formatting.para_style(o.find(qn("w:pPr")))
    new_style = ctx.new.formatting.para_style(n.find(qn("w:pPr")))

    run_keys: dict[tuple[str, int], str] = {}  # by run properties element: atoms share them

    def okey(rpr: etree._Element | None) -> str:
        k = ("old", id(rpr))
        if k not in run_keys:
            run_keys[k] = ctx.old.formatting.run_key(rpr, old_style, ctx.old.table_style)
        return run_keys[k]

    def nkey(rpr: etree._Element | None) -> str:
        k = ("new", id(rpr))
        if k not in run_keys:
            run_keys[k] = ctx.new.formatting.run_key(rpr, new_style, ctx.new.table_style)
        return run_keys[k]

    wrapper_keys: dict[tuple[str, int], str] = {}

    def wkey(which: Literal["old", "new"], wrapper: etree._Element | None) -> str:
        k = (which, id(wrapper))
        if k not in wrapper_keys:
            wrapper_keys[k] = _wrapper_key(wrapper, ctx.side(which))
        return wrapper_keys[k]

    pieces: list[_Piece] = []
    changed = ppr_changed or mark_changed or sect_changed
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
    pieces = _whole_fields(pieces)
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
    if sect_changed and old_sect is not None:
        add_section_change(out.find(f"{qn('w:pPr')}/{qn('w:sectPr')}"), old_sect, ctx)
    _emit(out, items, ctx)
    return out, changed or ctx.inner_changes != inner_before


def _whole_fields(pieces: list[_Piece]) -> list[_Piece]:
    """Pieces where a field whose code changed is deleted and inserted whole.

    A field (a cross-reference, say) is one object to a reader and to word processors:
    LibreOffice cannot show part of its code or result changed. Where the code itself
    changed (it now refers elsewhere), the old field is shown deleted and the new one
    inserted, rather than a word-level mix of two codes and two results. A field whose code
    is unchanged keeps its word-level result change (a renumbered reference).
    """
    spans: list[tuple[int, int]] = []
    for side in ("delete", "insert"):
        stack: list[list[int]] = []  # [begin index, separate index or -1]
        for i, piece in enumerate(pieces):
            if piece.status not in ("equal", side):
                continue
            el = piece.atom.el if side == "insert" or piece.old_atom is None \
                else piece.old_atom.el
            if el is None or el.tag != qn("w:fldChar"):
                continue
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                stack.append([i, -1])
            elif kind == "separate" and stack:
                stack[-1][1] = i
            elif kind == "end" and stack:
                begin, separate = stack.pop()
                code_end = separate if separate >= 0 else i
                if not stack and any(p.status != "equal" for p in pieces[begin:code_end + 1]):
                    spans.append((begin, i))
    if not spans:
        return pieces
    spans.sort()
    merged: list[list[int]] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    out: list[_Piece] = []
    at = 0
    for begin, end in merged:
        out.extend(pieces[at:begin])
        stretch = pieces[begin:end + 1]
        out.extend(_Piece("delete", p.old_atom if p.status == "equal" and p.old_atom else p.atom,
                          None, False) for p in stretch if p.status != "insert")
        out.extend(_Piece("insert", p.atom, None, False)
                   for p in stretch if p.status != "delete")
        at = end + 1
    out.extend(pieces[at:])
    return out


# --- whole inserted / deleted / moved content -------------------------------------------------

_RUN_CONTAINERS = {qn("w:p"), *_WRAPPERS, qn("w:sdtContent")}


def wrap_runs(container: etree._Element, make: Callable[[], etree._Element], deleted: bool) -> None:
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
            wrap_runs(child, make, deleted)
        elif tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                wrap_runs(content, make, deleted)
        group = None


def mark_all(el: etree._Element, kind: Literal["ins", "del"], ctx: Differ) -> None:
    """Mark every paragraph (content and mark) and table row in `el` as inserted or deleted."""
    name = f"w:{kind}"
    if kind == "ins":
        _note_inserted(el, ctx)
    for p in list(el.iter(qn("w:p"))):
        wrap_runs(p, lambda: ctx.stamp.element(name), deleted=kind == "del")
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
        "commentReference", "permStart", "permEnd", "proofErr",
    )
)
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def old_copy(el: etree._Element, ctx: Differ) -> etree._Element:
    """A copy of old content that resolves inside the new package.

    Bookmarks and comment anchors belong to the old draft (the redline keeps the new
    draft's); pictures, links, the headers of a section break and other parts the content
    points at are copied over, and a note referred to gets its note (shown deleted), so
    rejecting the deletion gives the old content back whole.
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


def mark_moved(
    el: etree._Element, direction: Literal["moveFrom", "moveTo"], name: str, ctx: Differ
) -> etree._Element:
    """Mark paragraph `el` as moved away (``moveFrom``) or moved here (``moveTo``)."""
    start = ctx.stamp.element(f"w:{direction}RangeStart", name=name)
    end = etree.Element(qn(f"w:{direction}RangeEnd"))
    end.set(qn("w:id"), start.get(qn("w:id")) or "")
    wrap_runs(el, lambda: ctx.stamp.element(f"w:{direction}"), deleted=direction == "moveFrom")
    set_mark(el, ctx.stamp.element(f"w:{direction}"))
    at = 1 if (len(el) and el[0].tag == qn("w:pPr")) else 0
    el.insert(at, start)
    el.append(end)
    return el


# --- blocks --------------------------------------------------------------------------------


def _block_key(el: etree._Element) -> tuple[str, str]:
    tag = el.tag
    if tag == qn("w:p"):
        # A paragraph that ends a section pairs only with one that ends a section: a
        # section break added or removed is its paragraph inserted or deleted.
        breaks = el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
        return ("p§" if breaks else "p", paragraph_text(el))
    if tag == qn("w:tbl"):
        # Tables pair only with tables of as many columns: one whose columns changed is
        # shown deleted and inserted whole, not as rows of two shapes in one grid.
        columns = len(el.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
        return (f"tbl{columns}", "\x1e".join(paragraph_text(p) for p in el.iter(qn("w:p"))))
    if tag == qn("w:sdt"):
        return ("sdt", "\x1e".join(paragraph_text(p) for p in el.iter(qn("w:p"))))
    return ("other", canonical(el))


def align_blocks(
    old: Sequence[etree._Element], new: Sequence[etree._Element]
) -> tuple[list[tuple[int | None, int | None]], list[tuple[str, str]], list[tuple[str, str]]]:
    okeys = [_block_key(el) for el in old]
    nkeys = [_block_key(el) for el in new]
    steps: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matching_opcodes(okeys, nkeys):
        if tag == "equal":
            steps.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            region = align_region(okeys[i1:i2], nkeys[j1:j2])
            steps.extend(
                (None if a is None else a + i1, None if b is None else b + j1) for a, b in region
            )
    return _pin_replaced_tables(_pin_last_paragraphs(steps, okeys, nkeys), okeys, nkeys), \
        okeys, nkeys


def _pin_replaced_tables(
    steps: list[tuple[int | None, int | None]],
    okeys: Sequence[tuple[str, str]], nkeys: Sequence[tuple[str, str]],
) -> list[tuple[int | None, int | None]]:
    """Pair the one deleted and the one inserted table of a replaced stretch.

    A table whose columns changed does not pair with its new shape, so it would be shown
    deleted whole beside the new one inserted whole. Next to a deleted (or inserted)
    paragraph that cannot work: two tables may not touch (word processors join them), and
    a paragraph between them, right before a table, cannot have its mark tracked, so
    accepting or rejecting every change would leave an empty paragraph. Shown as one table
    whose old rows are deleted and new rows inserted, every mark can go.
    """
    result: list[tuple[int | None, int | None]] = []
    i = 0
    while i < len(steps):
        if steps[i][0] is not None and steps[i][1] is not None:
            result.append(steps[i])
            i += 1
            continue
        j = i
        while j < len(steps) and (steps[j][0] is None or steps[j][1] is None):
            j += 1
        gap = steps[i:j]
        tables_out = [k for k, (a, b) in enumerate(gap) if b is None
                      and okeys[a or 0][0].startswith("tbl")]
        tables_in = [k for k, (a, b) in enumerate(gap) if a is None
                     and nkeys[b or 0][0].startswith("tbl")]
        paragraphs = any((okeys[a][0] if b is None else nkeys[b or 0][0]).startswith("p")
                         for a, b in gap if a is not None or b is not None)
        if len(tables_out) == 1 and len(tables_in) == 1 and paragraphs:
            d, n = tables_out[0], tables_in[0]
            a, b = gap[d][0], gap[n][1]
            before = [s for k, s in enumerate(gap) if k not in (d, n)
                      and ((s[1] is None and k < d) or (s[0] is None and k < n))]
            after = [s for k, s in enumerate(gap) if k not in (d, n) and s not in before]
            gap = [*before, (a, b), *after]
        result.extend(gap)
        i = j
    return result


def _pin_last_paragraphs(
    steps: list[tuple[int | None, int | None]],
    okeys: Sequence[tuple[str, str]], nkeys: Sequence[tuple[str, str]],
) -> list[tuple[int | None, int | None]]:
    """Pair the last paragraphs of the two sides when neither found a partner.

    The last paragraph mark of a body or cell cannot be tracked as inserted or deleted, so
    an old last paragraph shown deleted beside a new one shown inserted leaves an empty
    paragraph behind on one side (or, next to a table, cannot be tracked at all). Shown as
    one paragraph whose words changed, the same edit round-trips in every word processor.
    """
    if not okeys or not nkeys or okeys[-1][0] != "p" or nkeys[-1][0] != "p":
        return steps
    last_old, last_new = len(okeys) - 1, len(nkeys) - 1
    if (last_old, None) not in steps or (None, last_new) not in steps:
        return steps
    kept = [s for s in steps if s not in ((last_old, None), (None, last_new))]
    return [*kept, (last_old, last_new)]


BLOCK_TAGS = (qn("w:p"), qn("w:tbl"), qn("w:sdt"))


def content_blocks(container: etree._Element) -> list[etree._Element]:
    skip = (qn("w:tcPr"), qn("w:sectPr"), qn("w:sdtPr"), qn("w:sdtEndPr"))
    return [c for c in container if isinstance(c.tag, str) and c.tag not in skip]


def diff_pair(o: etree._Element, n: etree._Element, ctx: Differ) -> tuple[etree._Element, bool]:
    """Tracked differences of two paired blocks of the same kind."""
    if n.tag == qn("w:p"):
        return diff_paragraph(o, n, ctx)
    if n.tag == qn("w:tbl"):
        return _diff_table(o, n, ctx)
    if n.tag == qn("w:sdt"):
        oc, nc = o.find(qn("w:sdtContent")), n.find(qn("w:sdtContent"))
        if oc is None or nc is None:
            return n, False
        changed = diff_container(oc, nc, ctx)
        return n, changed
    return n, False


def diff_container(o: etree._Element, n: etree._Element, ctx: Differ) -> bool:
    """Replace the block content of `n` (a cell or content control) by the tracked diff with `o`."""
    old, new = content_blocks(o), content_blocks(n)
    out, changed = diff_blocks(old, new, ctx)
    for el in new:
        n.remove(el)
    for el in out:
        n.append(el)
    return changed


def diff_blocks(
    old: Sequence[etree._Element], new: Sequence[etree._Element], ctx: Differ
) -> tuple[list[etree._Element], bool]:
    steps, _, _ = align_blocks(old, new)
    out: list[etree._Element] = []
    changed = False
    for a, b in steps:
        if a is not None and b is not None:
            el, diff = diff_pair(old[a], new[b], ctx)
            changed = changed or diff
            out.append(el)
        elif a is not None:
            if old[a].tag not in BLOCK_TAGS:
                continue  # a bookmark or similar of the old package: nothing to show
            el = old_copy(old[a], ctx)
            mark_all(el, "del", ctx)
            out.append(el)
            changed = True
        elif b is not None:
            mark_all(new[b], "ins", ctx)
            out.append(new[b])
            changed = True
    settle(out, ctx)
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


def _plain_on_one_side(p: etree._Element, inserted: bool, ctx: Differ) -> None:
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
    carrier: etree._Element, now: list[etree._Element], before: list[etree._Element], ctx: Differ
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


def settle(out: list[etree._Element], ctx: Differ, story_end: bool = True) -> None:
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


def _settle_stretch(out: list[etree._Element], start: int, end: int, ctx: Differ,
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
                         start == 0 and not at_end, at_end=at_end)
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


def _untrackable(ctx: Differ, what: str, at_start: bool, rejecting: bool = True,
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


def _diff_table(o: etree._Element, n: etree._Element, ctx: Differ) -> tuple[etree._Element, bool]:
    saved = ctx.old.table_style, ctx.new.table_style
    ctx.old.table_style, ctx.new.table_style = _table_style(o), _table_style(n)
    try:
        return _diff_rows(o, n, ctx)
    finally:
        ctx.old.table_style, ctx.new.table_style = saved


def _diff_rows(o: etree._Element, n: etree._Element, ctx: Differ) -> tuple[etree._Element, bool]:
    orows, nrows = o.findall(qn("w:tr")), n.findall(qn("w:tr"))
    okeys = [_row_key(r) for r in orows]
    nkeys = [_row_key(r) for r in nrows]
    steps: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matching_opcodes(okeys, nkeys):
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
                    changed = diff_container(oc, nc, ctx) or changed
                rows.append(nrows[b])
                continue
            a_row: etree._Element = old_copy(orows[a], ctx)
            mark_all(a_row, "del", ctx)
            mark_all(nrows[b], "ins", ctx)
            rows.extend([a_row, nrows[b]])
            changed = True
        elif a is not None:
            row = old_copy(orows[a], ctx)
            mark_all(row, "del", ctx)
            rows.append(row)
            changed = True
        elif b is not None:
            mark_all(nrows[b], "ins", ctx)
            rows.append(nrows[b])
            changed = True
    for tr in nrows:
        n.remove(tr)
    for tr in rows:
        n.append(tr)
    return n, changed
