"""The three-way merge of one story's blocks: base, the returned draft, the new document.

*Base* is the story as `drafting` wrote it, *draft* as it came back, *new* as the new
answers or library give it. The base is aligned with each side (paragraphs paired by
their words, as the compare pairs them). The changes from base to new come in units: one
paired paragraph or table that differs, or a stretch of base blocks replaced by new ones
(either part may be empty: a deletion, an insertion). Each unit is decided alone:

- the draft left the unit's base blocks as they were (same text, same look, nothing
  inserted among them): the new blocks take their place;
- the draft already reads as the new document there: nothing to do;
- otherwise both sides changed it: the draft's text stays, and the unit is a conflict,
  for a comment that carries the new text.

Everything the draft added stays where it was put; what the new document adds between
two base blocks goes after what the draft added there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from drafting.review.engine import align_blocks
from drafting.review.negotiation.looks import block_text
from drafting.review.negotiation.sections import Item

__all__ = ["Conflict", "Merge", "Placed", "merge_blocks"]


@dataclass
class Placed:
    """A block of the merged story: the draft's own, or one of the new document's (`new`)
    that stands in for the draft's blocks `replaces` (whose comments and bookmarks it takes
    over)."""

    item: Item
    new: bool = False
    replaces: list[Item] = field(default_factory=list)


@dataclass
class Conflict:
    """Both sides changed the same blocks: the draft's text was kept.

    `at` is the index in `Merge.placed` of the block the comment goes on (the draft's first
    kept block; when it kept none, the block before, or -1 for the story's first block).
    """

    at: int
    draft: list[str]
    new: list[str]
    base: list[str]


@dataclass
class Merge:
    placed: list[Placed]
    conflicts: list[Conflict]
    applied: int
    """How many units of change from base to new were applied."""
    dropped: list[tuple[int, Item]]
    """The draft's blocks the new document deletes, with the index in `placed` they stood
    before: their comment anchors and bookmarks need a new home."""
    same: list[tuple[Item, Item]] = field(default_factory=list)
    """Base and draft blocks that read and look the same: how the draft's program writes
    what `drafting` wrote (see `transplant.Likeness`)."""


@dataclass
class _Unit:
    start: int  # base range [start, end)
    end: int
    new: list[int]
    paired: bool


def _units(steps: list[tuple[int | None, int | None]]) -> list[_Unit]:
    units: list[_Unit] = []
    gap = 0
    deleted: list[int] = []
    inserted: list[int] = []

    def flush() -> None:
        if deleted or inserted:
            start = deleted[0] if deleted else gap
            units.append(_Unit(start, deleted[-1] + 1 if deleted else gap, list(inserted), False))
            deleted.clear()
            inserted.clear()

    for a, b in steps:
        if a is not None and b is not None:
            flush()
            units.append(_Unit(a, a + 1, [b], True))
            gap = a + 1
        elif a is not None:
            if inserted:
                flush()
            deleted.append(a)
            gap = a + 1
        elif b is not None:
            inserted.append(b)
    flush()
    return units


def merge_blocks(base: list[Item], draft: list[Item], new: list[Item], base_keys: list[str],
                 draft_keys: list[str], new_keys: list[str]) -> Merge:
    """Merge one story (see the module docstring); the keys are `Looks.key`s of each block."""
    draft_steps, _, _ = align_blocks([i.el for i in base], [i.el for i in draft])
    new_steps, _, _ = align_blocks([i.el for i in base], [i.el for i in new])
    draft_of: dict[int, int] = {}
    draft_gap: dict[int, list[int]] = defaultdict(list)  # base gap -> draft blocks added there
    gap = 0
    for a, b in draft_steps:
        if a is not None:
            gap = a + 1
            if b is not None:
                draft_of[a] = b
        elif b is not None:
            draft_gap[gap].append(b)

    def touched(i: int) -> bool:
        return i not in draft_of or draft_keys[draft_of[i]] != base_keys[i]

    same = [(base[i], draft[b]) for i, b in draft_of.items() if not touched(i)]

    placed: list[Placed] = []
    conflicts: list[Conflict] = []
    dropped: list[tuple[int, Item]] = []
    applied = 0
    done: set[int] = set()

    def emit_gap(g: int) -> None:
        if g not in done:
            done.add(g)
            placed.extend(Placed(draft[b]) for b in draft_gap.get(g, []))

    def draft_version(unit: _Unit) -> tuple[list[int], bool]:
        """The draft's blocks for the unit's base range, and whether it added any inside."""
        out: list[int] = []
        added = False
        for i in range(unit.start, unit.end):
            if i > unit.start:
                inside = draft_gap.get(i, [])
                added = added or bool(inside)
                out.extend(inside)
                done.add(i)
            if i in draft_of:
                out.append(draft_of[i])
        return out, added

    for unit in _units(new_steps):
        emit_gap(unit.start)
        new_keys_here = [new_keys[k] for k in unit.new]
        if unit.start == unit.end:  # the new document inserts blocks here
            already = [draft_keys[b] for b in draft_gap.get(unit.start, [])]
            if new_keys_here and new_keys_here != already:
                placed.extend(Placed(new[k], new=True) for k in unit.new)
                applied += 1
            continue
        mine, added = draft_version(unit)
        changed = not unit.paired or new_keys_here != [base_keys[unit.start]]
        if not changed:
            placed.extend(Placed(draft[b]) for b in mine)
            continue
        untouched = not added and not any(touched(i) for i in range(unit.start, unit.end))
        if untouched:
            replaced = [draft[b] for b in mine]
            if unit.new:
                placed.extend(Placed(new[k], new=True, replaces=replaced if n == 0 else [])
                              for n, k in enumerate(unit.new))
            else:
                dropped.extend((len(placed), item) for item in replaced)
            applied += 1
            continue
        if [draft_keys[b] for b in mine] == new_keys_here:
            placed.extend(Placed(draft[b]) for b in mine)
            continue
        at = len(placed) if mine else len(placed) - 1
        placed.extend(Placed(draft[b]) for b in mine)
        conflicts.append(Conflict(
            at, [block_text(draft[b].el) for b in mine], [block_text(new[k].el) for k in unit.new],
            [block_text(base[i].el) for i in range(unit.start, unit.end)]))
    for g in sorted(draft_gap):
        emit_gap(g)
    return Merge(placed, conflicts, applied, dropped, same)
