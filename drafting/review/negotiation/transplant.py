"""Bringing blocks of a newly drafted document into the returned draft's package.

The merged draft is the returned draft's package: its styles, numbering, headers and
comments. A block of the new document names `drafting`'s style ids (``ClauseL1``), which
the program that saved the draft may have renamed (LibreOffice: ``ClauseLevel1``); its
numbering names a list of `drafting`'s numbering part; its bookmark ids may be taken. So
each new block is brought in: styles mapped by name (a style the draft lacks is copied
over with the styles it is based on), list numbers taken from the draft's style of that
name, bookmark ids renumbered. And when a new block stands in for a block of the draft,
the draft's comment anchors and its own bookmarks move into it, at the same words.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable

from lxml import etree

from drafting.review._oxml import canonical, paragraph_text, qn
from drafting.review.package import Package, relationships
from drafting.review.words import diff_words

__all__ = ["Importer", "Likeness", "carry_marks", "drop_duplicate_bookmarks", "marks_of"]

_STYLE_REFS = {qn("w:pStyle"): "paragraph", qn("w:rStyle"): "character",
               qn("w:tblStyle"): "table"}
_CHAIN = (qn("w:basedOn"), qn("w:link"), qn("w:next"))
_TEXT_LIKE = (qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen"), qn("w:softHyphen"))
_MARKS = (qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:bookmarkStart"),
          qn("w:bookmarkEnd"), qn("w:permStart"), qn("w:permEnd"))


def _styles_part(package: Package) -> str | None:
    return next((r.target for r in relationships(package, package.main).values()
                 if r.type == "styles" and not r.external), None)


def _styles(root: etree._Element | None) -> dict[str, etree._Element]:
    return {} if root is None else {s.get(qn("w:styleId")) or "": s
                                    for s in root.iter(qn("w:style"))}


def _name(style: etree._Element) -> str:
    name = style.find(qn("w:name"))
    value = name.get(qn("w:val")) if name is not None else None
    return (value or style.get(qn("w:styleId")) or "").lower()


def _num_id(style: etree._Element | None) -> str | None:
    if style is None:
        return None
    num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    return num.get(qn("w:val")) if num is not None else None


class Likeness:
    """How the draft's program writes the properties `drafting` wrote.

    LibreOffice, say, saves a table cell's paragraph with its spacing spelled out, because
    its own default paragraph style has other spacing than `drafting`'s: a new paragraph
    with `drafting`'s bare properties would not look the same in the draft. So the
    properties of blocks that read and look the same in the base and the draft are learnt
    in pairs (paragraph, run, table, row and cell properties, by their XML in the base),
    and a new block written with the same properties gets the draft's.
    """

    def __init__(self) -> None:
        self.props: dict[tuple[str, str], etree._Element | None] = {}
        self._ambiguous: set[tuple[str, str]] = set()
        self._pending: list[tuple[etree._Element, etree._Element]] = []

    def learn(self, base: etree._Element, draft: etree._Element) -> None:
        """Learn from a block of the base and the draft's block that looks the same (when
        a new block first needs it: an update that brings none in learns nothing)."""
        self._pending.append((base, draft))

    def _learn(self, base: etree._Element, draft: etree._Element) -> None:
        if base.tag == qn("w:p") and draft.tag == qn("w:p"):
            self._paragraph(base, draft)
        elif base.tag == qn("w:tbl") and draft.tag == qn("w:tbl"):
            self._note("tbl", base.find(qn("w:tblPr")), draft.find(qn("w:tblPr")))
            brows, drows = base.findall(qn("w:tr")), draft.findall(qn("w:tr"))
            if len(brows) != len(drows):
                return
            for brow, drow in zip(brows, drows):
                self._note("tr", brow.find(qn("w:trPr")), drow.find(qn("w:trPr")))
                bcells, dcells = brow.findall(qn("w:tc")), drow.findall(qn("w:tc"))
                if len(bcells) != len(dcells):
                    continue
                for bc, dc in zip(bcells, dcells):
                    self._note("tc", bc.find(qn("w:tcPr")), dc.find(qn("w:tcPr")))
                    bps, dps = bc.findall(qn("w:p")), dc.findall(qn("w:p"))
                    if len(bps) == len(dps):
                        for bp, dp in zip(bps, dps):
                            self._paragraph(bp, dp)

    def _note(self, kind: str, base: etree._Element | None,
              draft: etree._Element | None) -> None:
        key = (kind, _xml(base))
        if key in self._ambiguous:
            return
        if key in self.props:
            if _xml(self.props[key]) != _xml(draft):  # written two ways: learn neither
                self._ambiguous.add(key)
                del self.props[key]
            return
        self.props[key] = draft

    def _paragraph(self, base: etree._Element, draft: etree._Element) -> None:
        bppr = base.find(qn("w:pPr"))
        self._note("p", bppr, draft.find(qn("w:pPr")))
        context = _xml(bppr)
        batoms, datoms = _run_atoms(base), _run_atoms(draft)
        if len(batoms) != len(datoms):
            return
        seen: dict[str, set[str]] = {}
        found: dict[str, tuple[etree._Element | None, etree._Element | None]] = {}
        keys: dict[int, str] = {}

        def key_of(el: etree._Element | None) -> str:
            found_key = keys.get(id(el))
            if found_key is None:
                found_key = keys[id(el)] = _xml(el)
            return found_key

        last: tuple[int, int] | None = None
        for (brpr, _), (drpr, _) in zip(batoms, datoms):
            if (id(brpr), id(drpr)) == last:
                continue
            last = (id(brpr), id(drpr))
            key = key_of(brpr)
            seen.setdefault(key, set()).add(key_of(drpr))
            found.setdefault(key, (brpr, drpr))
        for key, kinds in seen.items():
            if len(kinds) == 1:
                self._note("r" + context, *found[key])

    def apply(self, el: etree._Element) -> None:
        """Give block `el` (a copy of a new block, in place) the draft's way of writing
        each property set learnt."""
        pending, self._pending = self._pending, []
        for base, draft in pending:
            self._learn(base, draft)
        if not self.props:
            return
        for tbl in el.iter(qn("w:tbl")):
            self._swap(tbl, "tbl", qn("w:tblPr"), 0)
            for tr in tbl.findall(qn("w:tr")):
                self._swap(tr, "tr", qn("w:trPr"), 1 if tr.find(qn("w:tblPrEx")) is not None
                           else 0)
                for tc in tr.findall(qn("w:tc")):
                    self._swap(tc, "tc", qn("w:tcPr"), 0)
        for p in el.iter(qn("w:p")):
            context = _xml(p.find(qn("w:pPr")))
            for run in p.iter(qn("w:r")):
                self._swap(run, "r" + context, qn("w:rPr"), 0)
            self._swap(p, "p", qn("w:pPr"), 0)

    def _swap(self, parent: etree._Element, kind: str, tag: str, at: int) -> None:
        current = parent.find(tag)
        key = (kind, _xml(current))
        if key not in self.props:
            return
        wanted = self.props[key]
        if current is not None:
            parent.remove(current)
        if wanted is not None:
            parent.insert(at, copy.deepcopy(wanted))


def _xml(el: etree._Element | None) -> str:
    return canonical(el)


def _run_atoms(p: etree._Element) -> list[tuple[etree._Element | None, str]]:
    """(run properties, character) of every character and run item of a paragraph."""
    atoms: list[tuple[etree._Element | None, str]] = []
    for run in p.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        for child in run:
            if child.tag == qn("w:rPr") or not isinstance(child.tag, str):
                continue
            if child.tag in (qn("w:lastRenderedPageBreak"), qn("w:commentReference")):
                continue
            if child.tag == qn("w:t"):
                atoms.extend((rpr, c) for c in child.text or "")
            else:
                atoms.append((rpr, etree.QName(child).localname))
    return atoms


class Importer:
    """Maps the new document's styles, lists and bookmark ids into the draft's package."""

    def __init__(self, draft: Package, new: Package, first_id: int,
                 likeness: Likeness | None = None) -> None:
        self.likeness = likeness or Likeness()
        self.part = _styles_part(draft)
        blob = draft.parts.get(self.part) if self.part else None
        self.root = etree.fromstring(blob) if blob else None
        new_part = _styles_part(new)
        new_blob = new.parts.get(new_part) if new_part else None
        self.new_styles = _styles(etree.fromstring(new_blob) if new_blob else None)
        self.styles = _styles(self.root)
        self.by_name = {(s.get(qn("w:type")), _name(s)): sid for sid, s in self.styles.items()}
        self.changed = False
        self.ids = itertools.count(first_id)
        self._map: dict[str, str] = {}

    def style(self, sid: str, kind: str) -> str:
        """The draft's id for the new document's style `sid` (copied over when missing)."""
        found = self._map.get(sid)
        if found is not None:
            return found
        source = self.new_styles.get(sid)
        if source is None or self.root is None:
            self._map[sid] = sid
            return sid
        mine = self.styles.get(sid)
        if mine is not None and _name(mine) == _name(source):
            target = sid
        else:
            target = self.by_name.get((source.get(qn("w:type")) or kind, _name(source)), "")
            if not target:
                target = self._copy(sid)
        self._map[sid] = target
        return target

    def _copy(self, sid: str) -> str:
        """Copy the new document's style `sid` (and what it is based on) into the draft."""
        assert self.root is not None
        style = copy.deepcopy(self.new_styles[sid])
        target = sid
        n = 1
        while target in self.styles:  # the id is taken by another style of the draft
            target = f"{sid}{n}"
            n += 1
        style.set(qn("w:styleId"), target)
        self._map[sid] = target
        self.styles[target] = style
        self.by_name[(style.get(qn("w:type")), _name(style))] = target
        self.root.append(style)
        self.changed = True
        for link in style.iter(*_CHAIN):
            ref = link.get(qn("w:val"))
            if ref and ref in self.new_styles:
                link.set(qn("w:val"), self.style(ref, style.get(qn("w:type")) or "paragraph"))
        return target

    def block(self, el: etree._Element) -> etree._Element:
        """A copy of the new document's block `el` that reads right in the draft's package."""
        el = copy.deepcopy(el)
        self.likeness.apply(el)
        for ref in el.iter(*_STYLE_REFS):
            sid = ref.get(qn("w:val"))
            if sid:
                ref.set(qn("w:val"), self.style(sid, _STYLE_REFS[ref.tag]))
        for ppr in el.iter(qn("w:pPr")):
            num = ppr.find(f"{qn('w:numPr')}/{qn('w:numId')}")
            ps = ppr.find(qn("w:pStyle"))
            if num is None or ps is None:
                continue
            theirs = _num_id(self.styles.get(ps.get(qn("w:val")) or ""))
            source_style = next((s for s, t in self._map.items() if t == ps.get(qn("w:val"))),
                                None)
            ours = _num_id(self.new_styles.get(source_style or ""))
            if theirs is not None and ours == num.get(qn("w:val")):
                num.set(qn("w:val"), theirs)  # the list the draft's style numbers with
        ids: dict[str, str] = {}
        for mark in el.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            old = mark.get(qn("w:id")) or ""
            if old not in ids:
                ids[old] = str(next(self.ids))
            mark.set(qn("w:id"), ids[old])
        return el

    def next_id(self) -> int:
        return next(self.ids)

    def styles_xml(self) -> bytes | None:
        """The draft's styles part with the copied styles; None when nothing was copied."""
        if not self.changed or self.root is None:
            return None
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                              standalone=True)


# --- comment anchors and bookmarks --------------------------------------------------------


def _is_mark(el: etree._Element) -> bool:
    if el.tag in _MARKS:
        return True
    return el.tag == qn("w:r") and el.find(qn("w:commentReference")) is not None


def marks_of(items: Iterable[etree._Element], keep: set[str]) -> list[tuple[int, etree._Element]]:
    """The comment anchors and bookmarks in blocks `items` (bookmarks named in `keep`
    excepted: the new block has its own), each with its character offset in the
    blocks' text, taken out of them."""
    out: list[tuple[int, etree._Element]] = []
    skipped: set[str] = set()
    offset = 0
    for block in items:
        for el in list(block.iter()):
            if not isinstance(el.tag, str):
                continue
            if el.tag == qn("w:t"):
                offset += len(el.text or "")
            elif el.tag in _TEXT_LIKE:
                offset += 1
            elif _is_mark(el):
                if el.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
                    if el.tag == qn("w:bookmarkStart") and (el.get(qn("w:name")) or "") in keep:
                        skipped.add(el.get(qn("w:id")) or "")
                        continue
                    if el.tag == qn("w:bookmarkEnd") and (el.get(qn("w:id")) or "") in skipped:
                        continue
                out.append((offset, el))
    for _offset, el in out:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    return out


def _bookmarks(el: etree._Element) -> set[str]:
    return {b.get(qn("w:name")) or "" for b in el.iter(qn("w:bookmarkStart"))}


def carry_marks(sources: list[etree._Element], target: etree._Element,
                at: str | None = None) -> None:
    """Move the comment anchors and bookmarks of `sources` (the draft's blocks) into
    `target` (the block standing in for them).

    With one source paragraph, each mark goes to the same words in `target` (mapped
    through the word diff of the two texts); otherwise, and with `at` "start" or "end",
    they go at its start or its end, so no comment loses its anchor.
    """
    p = target if target.tag == qn("w:p") else next(target.iter(qn("w:p")), None)
    if p is None:
        return
    if at == "end" and target.tag != qn("w:p"):
        ps = list(target.iter(qn("w:p")))
        p = ps[-1] if ps else p
    marks = marks_of(sources, _bookmarks(target))
    if not marks:
        return
    length = len(paragraph_text(p))
    if at is None and len(sources) == 1 and sources[0].tag == qn("w:p") and \
            target.tag == qn("w:p"):
        segments = diff_words(paragraph_text(sources[0]), paragraph_text(p))

        def place(offset: int) -> int:
            for seg in segments:
                if seg.op == "equal" and seg.a0 <= offset <= seg.a1:
                    return seg.b0 + offset - seg.a0
                if seg.op == "delete" and seg.a0 <= offset <= seg.a1:
                    return seg.b0
            return length
    elif at is not None:
        def place(offset: int) -> int:
            return 0 if at == "start" else length
    else:
        def place(offset: int) -> int:
            return 0 if offset == 0 else length
    previous: tuple[int, etree._Element] | None = None
    for offset, mark in marks:  # in order; marks at one place keep their order
        where = place(offset)
        if previous is not None and previous[0] == where and previous[1].getparent() is not None:
            previous[1].addnext(mark)
        else:
            _insert_at(p, where, mark)
        previous = (where, mark)


def _insert_at(p: etree._Element, offset: int, mark: etree._Element) -> None:
    """Put `mark` (a zero-width element, or a run holding a comment reference) before the
    character at `offset` of paragraph `p` (at its end when there is none), splitting the
    run the character is in."""
    count = 0
    for run in p.iter(qn("w:r")):
        if any(a.tag in (qn("w:del"), qn("w:moveFrom")) for a in run.iterancestors()):
            continue
        for child in run:
            if child.tag == qn("w:t"):
                size = len(child.text or "")
            elif child.tag in _TEXT_LIKE:
                size = 1
            else:
                continue
            if offset >= count + size:
                count += size
                continue
            cut = offset - count
            if cut > 0:  # inside a text element: split it, the mark goes between
                tail = etree.Element(qn("w:t"))
                tail.text = (child.text or "")[cut:]
                tail.set(_SPACE, "preserve")
                child.text = (child.text or "")[:cut]
                child.set(_SPACE, "preserve")
                child.addnext(tail)
                child = tail
            content = [c for c in run if c.tag != qn("w:rPr")]
            if content[0] is child:
                run.addprevious(mark)
            else:
                run.addnext(_tail_run(run, list(run).index(child)))
                run.addnext(mark)
            return
    p.append(mark)


_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _tail_run(run: etree._Element, index: int) -> etree._Element:
    """Move the children of `run` from `index` on into a new run with the same properties."""
    rest = etree.Element(qn("w:r"))
    rpr = run.find(qn("w:rPr"))
    if rpr is not None:
        rest.append(copy.deepcopy(rpr))
    for child in list(run)[index:]:
        rest.append(child)
    return rest


def drop_duplicate_bookmarks(body: etree._Element, new_blocks: set[int]) -> None:
    """Remove, from the new blocks (by `id()`), bookmarks whose name the draft's own
    blocks already use: a document's bookmark names are unique."""
    owners: dict[str, bool] = {}
    starts: list[tuple[etree._Element, bool]] = []
    for block in body:
        is_new = id(block) in new_blocks
        for mark in block.iter(qn("w:bookmarkStart")):
            starts.append((mark, is_new))
            name = mark.get(qn("w:name")) or ""
            if not is_new:
                owners[name] = True
    seen: set[str] = set()
    for mark, is_new in starts:
        name = mark.get(qn("w:name")) or ""
        if is_new and (owners.get(name) or name in seen):
            ident = mark.get(qn("w:id"))
            block = mark
            while block.getparent() is not None and block.getparent() is not body:
                block = block.getparent()
            for end in list(block.iter(qn("w:bookmarkEnd"))):
                if end.get(qn("w:id")) == ident and end.getparent() is not None:
                    end.getparent().remove(end)
            if mark.getparent() is not None:
                mark.getparent().remove(mark)
        seen.add(name)
