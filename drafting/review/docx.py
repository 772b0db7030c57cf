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
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from drafting.errors import CompareError, OutputError
from drafting.review._oxml import Stamp, qn
from drafting.review.engine import (
    BLOCK_TAGS,
    Differ,
    Side,
    add_section_change,
    align_blocks,
    content_blocks,
    diff_pair,
    diff_paragraph,
    mark_all,
    mark_moved,
    old_copy,
    section_key,
    settle,
)
from drafting.review.package import (
    Package,
    PackageEditor,
    max_revision_id,
    read_package,
    read_provenance,
    relationships,
)
from drafting.review.parts import package_report
from drafting.review.props import Formatting
from drafting.review.revisions import accept_all, count_revisions, has_revisions
from drafting.review.stories import (
    Notes,
    compare_headers,
    explicit_references,
    header_footer_parts,
    section_pairs,
    xml_bytes,
)
from drafting.review.styles import carry_styles

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

    kind: str  # "p", "p§" (ends a section), "tbl<columns>" ("tbl5"), "sdt" or "other"
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
        for child in content_blocks(content):
            flat.append(child)
            owner.append(el)
    return flat, owner


def _regroup(
    out: list[etree._Element], owners: list[etree._Element | None | bool], ctx: Differ
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
        settle(segment, ctx, story_end=j == len(out))
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
    explicit_references(new_body)
    old_hf, new_hf = header_footer_parts(old, old_body), header_footer_parts(new, new_body)
    editor = PackageEditor(new)
    old_fmt, new_fmt = _formatting(old), _formatting(new)
    stamp = Stamp(author=author, date=revision_date(date),
                  first_id=max(max_revision_id(new), max_revision_id(old)) + 1)
    ctx = Differ(stamp, Side(old, old.main, old_fmt, relationships(old, old.main)),
               Side(new, new.main, new_fmt, relationships(new, new.main)), editor,
               Notes(old, editor))

    # Block-level content controls (a table of contents, say) are compared by their
    # paragraphs, so a control one draft has and the other lacks hides no change.
    old_blocks_el, _ = _flatten(content_blocks(old_body))
    new_blocks_el, new_owner = _flatten(content_blocks(new_body))
    old_levels, new_levels = _style_levels(old), _style_levels(new)
    pairs, okeys, nkeys = align_blocks(old_blocks_el, new_blocks_el)
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
            el, diff = diff_pair(old_blocks_el[a], new_blocks_el[b], ctx)
            out.append(el)
            owners.append(new_owner[b])
            steps.append(Step("changed" if diff else "same", a, b))
        elif a is not None:
            if old_blocks_el[a].tag not in BLOCK_TAGS:
                continue
            el = old_copy(old_blocks_el[a], ctx)
            owners.append(False)
            if idx in move_of:
                out.append(mark_moved(el, "moveFrom", names[idx], ctx))
                steps.append(Step("moved_from", a, pairs[move_of[idx]][1]))
            else:
                mark_all(el, "del", ctx)
                out.append(el)
                steps.append(Step("deleted", a, None))
        elif b is not None:
            owners.append(new_owner[b])
            if idx in move_to:
                dele = move_to[idx]
                source = old_blocks_el[pairs[dele][0] or 0]
                el, _ = diff_paragraph(source, new_blocks_el[b], ctx)
                out.append(mark_moved(el, "moveTo", names[dele], ctx))
                steps.append(Step("moved_to", pairs[dele][0], b))
            else:
                mark_all(new_blocks_el[b], "ins", ctx)
                out.append(new_blocks_el[b])
                steps.append(Step("inserted", None, b))

    sect = new_body.find(qn("w:sectPr"))
    old_sect = old_body.find(qn("w:sectPr"))
    if sect is not None and old_sect is not None and section_key(sect) != section_key(old_sect):
        add_section_change(sect, old_sect, ctx)
    for child in list(new_body):
        new_body.remove(child)
    for el in _regroup(out, owners, ctx):
        new_body.append(el)
    if sect is not None:
        new_body.append(sect)

    stories: dict[str, Counter[str]] = {"body": count_revisions(new_root)}
    editor.set_part(new.main, xml_bytes(new_root))
    compare_headers(old_hf, new_hf, ctx, stories,
                    section_pairs(old_blocks_el, new_blocks_el, pairs),
                    set(header_footer_parts(old, old_body, shown_only=True)))
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


def _formatting(package: Package) -> Formatting:
    rels = relationships(package, package.main).values()
    styles = next((r.target for r in rels if r.type == "styles" and not r.external), None)
    theme = next((r.target for r in rels if r.type == "theme" and not r.external), None)
    return Formatting(package.parts.get(styles) if styles else None,
                      package.parts.get(theme) if theme else None)


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
