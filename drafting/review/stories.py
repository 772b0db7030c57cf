"""The stories besides the body: headers and footers matched by section and kind, and
footnotes and endnotes compared inside their parts.

A header or footer of NEW is compared with the one OLD shows at the same place (section
number and kind: default, first page, even pages; a section without one of its own shows
the previous section's, as in Word). Notes follow the text: `Notes` collects, while the
text is compared, which note references pair up, which were deleted and which inserted,
and `Notes.finish` then writes each note's comparison into the redline's notes part.
"""

from __future__ import annotations

import copy
from collections import Counter

from lxml import etree

from drafting.review._oxml import R_NS, qn
from drafting.review.engine import Differ, Side, diff_container, old_copy, wrap_runs
from drafting.review.package import Package, PackageEditor, relationships
from drafting.review.revisions import accept_all, count_revisions, has_revisions

__all__ = [
    "HeaderKey",
    "Notes",
    "compare_headers",
    "explicit_references",
    "header_footer_parts",
    "section_pairs",
    "story_name",
    "xml_bytes",
]


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


HeaderKey = tuple[str, int, str]  # ("header" or "footer", section number from 1, kind)


def header_footer_parts(package: Package, body: etree._Element,
                        shown_only: bool = False) -> dict[HeaderKey, str]:
    """The header and footer part each section has, by kind (default, first, even).

    A section that names no header of a kind has the previous section's, as in Word.
    With `shown_only`, only those a reader sees: first-page ones where the section asks
    for a different first page, even-page ones where the document has even pages apart.
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
        first = sect.find(qn("w:titlePg"))
        shows_first = first is not None and first.get(qn("w:val")) not in ("0", "false", "off")
        for (where, kind), part in current.items():
            if shown_only and ((kind == "first" and not shows_first)
                               or (kind == "even" and not _even_pages(package))):
                continue
            out[(where, number, kind)] = part
    return out


def _even_pages(package: Package) -> bool:
    """True when the document's settings give even pages headers of their own."""
    settings = next((r.target for r in relationships(package, package.main).values()
                     if r.type == "settings" and not r.external), None)
    if settings is None or settings not in package.parts:
        return False
    el = etree.fromstring(package.parts[settings]).find(qn("w:evenAndOddHeaders"))
    return el is not None and el.get(qn("w:val")) not in ("0", "false", "off")


def explicit_references(body: etree._Element) -> None:
    """Give each section of `body` (in place) a reference to every header and footer it
    inherits from the sections before it.

    The page looks the same; but when the redline's added or removed section breaks are
    accepted or rejected, a section keeps the headers it had rather than inheriting those
    of whatever section then comes before it.
    """
    sections = [p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") for p in body.iter(qn("w:p"))]
    found = [sp for sp in sections if sp is not None]
    last = body.find(qn("w:sectPr"))
    if last is not None:
        found.append(last)
    current: dict[tuple[str, str], etree._Element] = {}
    for sect in found:
        own = {(etree.QName(ref).localname[:6], ref.get(qn("w:type")) or "default")
               for ref in sect if ref.tag in (qn("w:headerReference"), qn("w:footerReference"))}
        for (where, kind), ref in current.items():
            if (where, kind) not in own:
                sect.insert(0, copy.deepcopy(ref))
        for ref in sect:
            if ref.tag in (qn("w:headerReference"), qn("w:footerReference")):
                current[(etree.QName(ref).localname[:6], ref.get(qn("w:type")) or "default")] = ref


def story_name(key: HeaderKey) -> str:
    where, number, kind = key
    return f"{where} s{number} {kind}"


def section_pairs(old_blocks: list[etree._Element], new_blocks: list[etree._Element],
                  pairs: list[tuple[int | None, int | None]]) -> dict[int, int]:
    """NEW section number -> the OLD section it continues (numbers from 1).

    Sections end at paragraphs holding a section break, and the body's own section is the
    last: a break whose paragraph the alignment pairs continues the same section, and the
    last sections pair. A section NEW adds has no OLD one; one it removes goes with its
    break, shown deleted (rejecting brings it back with its own headers).
    """
    def numbers(blocks: list[etree._Element]) -> dict[int, int]:
        out: dict[int, int] = {}
        for i, el in enumerate(blocks):
            if el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                out[i] = len(out) + 1
        return out

    old_numbers, new_numbers = numbers(old_blocks), numbers(new_blocks)
    mapping = {new_numbers[b]: old_numbers[a] for a, b in pairs
               if a in old_numbers and b in new_numbers}
    mapping[len(new_numbers) + 1] = len(old_numbers) + 1
    return mapping


def compare_headers(old_hf: dict[HeaderKey, str], new_hf: dict[HeaderKey, str], ctx: Differ,
                    stories: dict[str, Counter[str]],
                    sections: dict[int, int] | None = None,
                    old_shown: set[HeaderKey] | None = None) -> None:
    """Compare each header and footer of NEW with the one OLD shows at the same place: the
    same kind, in the OLD section NEW's section continues (`sections`, from
    `section_pairs`; by number when not given). OLD's headers that NEW has nowhere are
    named as not compared (those of `old_shown`, the ones a reader sees, when given).

    A part several sections share is compared once: with the OLD part of the first of
    them that has one (a section NEW adds has none).
    """
    assert ctx.editor is not None
    sections = sections if sections is not None else {k[1]: k[1] for k in new_hf}
    paired = {(where, number, kind): (where, sections[number], kind)
              for where, number, kind in new_hf if number in sections}
    for key in sorted(set(old_hf) - set(paired.values())):
        if key[1] in sections.values() and (old_shown is None or key in old_shown):
            ctx.missing.append(
                f"{story_name(key)} (only in OLD: NEW has no such header or footer)")
    done: set[str] = set()
    old_side, new_side = ctx.old, ctx.new
    def with_old_first(key: HeaderKey) -> tuple[bool, int, str, str]:
        old_key = paired.get(key)
        return (old_key is None or old_key not in old_hf, key[1], key[0], key[2])

    for key in sorted(new_hf, key=with_old_first):
        part = new_hf[key]
        if part in done or part not in ctx.editor.parts:
            continue
        done.add(part)
        old_key = paired.get(key)
        old_part = old_hf.get(old_key) if old_key is not None else None
        new_root = etree.fromstring(ctx.editor.parts[part])
        if old_part is not None and old_part in old_side.package.parts:
            old_root = etree.fromstring(old_side.package.parts[old_part])
        else:
            old_root = etree.Element(new_root.tag)
        for root in (old_root, new_root):
            if has_revisions(root):
                accept_all(root)
        ctx.old = Side(old_side.package, old_part or "", old_side.formatting,
                       relationships(old_side.package, old_part) if old_part else {})
        ctx.new = Side(new_side.package, part, new_side.formatting,
                       relationships(new_side.package, part))
        ctx.story = story_name(key)
        diff_container(old_root, new_root, ctx)
        ctx.editor.set_part(part, xml_bytes(new_root))
        stories[story_name(key)] = count_revisions(new_root)
    ctx.old, ctx.new = old_side, new_side
    ctx.story = "body"


# --- footnotes and endnotes -----------------------------------------------------------------

_NOTE_REL = {"footnote": "footnotes", "endnote": "endnotes"}


class Notes:
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

    def finish(self, ctx: Differ) -> dict[str, Counter[str]]:
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
            ctx.old = Side(self.old, old_part or "", old_side.formatting,
                            relationships(self.old, old_part) if old_part else {})
            ctx.new = Side(new_side.package, new_part, new_side.formatting,
                            relationships(self.editor.base, new_part))
            ctx.story = f"{kind}s"
            old_by_id = {n.get(qn("w:id")): n for n in old_root.findall(qn(f"w:{kind}"))}
            new_by_id = {n.get(qn("w:id")): n for n in new_root.findall(qn(f"w:{kind}"))}
            done: set[str] = set()
            for _, old_id, new_id in pairs:
                if old_id in old_by_id and new_id in new_by_id and new_id not in done:
                    done.add(new_id)
                    diff_container(old_by_id[old_id], new_by_id[new_id], ctx)
            for _, new_id in fresh:
                note = new_by_id.get(new_id)
                if note is not None and new_id not in done:
                    done.add(new_id)
                    for p in note.iter(qn("w:p")):
                        wrap_runs(p, lambda: ctx.stamp.element("w:ins"), deleted=False)
            for _, old_id, new_id in carried:
                source = old_by_id.get(old_id)
                if source is None:
                    continue
                note = old_copy(source, ctx)
                note.set(qn("w:id"), new_id)
                for p in note.iter(qn("w:p")):
                    wrap_runs(p, lambda: ctx.stamp.element("w:del"), deleted=True)
                new_root.append(note)
            self.editor.set_part(new_part, xml_bytes(new_root))
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
        self.editor.set_part(name, xml_bytes(root))
        rel = next(r for r in relationships(self.old, self.old.main).values()
                   if r.target == old_part)
        self.editor.add_relationship(self.editor.base.main, rel.full_type, name, False)
        return name
