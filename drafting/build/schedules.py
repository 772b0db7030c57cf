"""The schedules of a document: which ones the outline and the answers call for, and their numbers.

Every schedule is library text, a versioned file `clauses/schedules/<id>/v<N>.md` like a
clause: its front matter says which documents it may appear in and `when` it applies, its
body (markup, tables and sandboxed Jinja) holds every word of it. The outline of a
document kind (`templates/<kind>.yaml`) lists the schedules that kind may have, in order.

Word numbers schedule headings one after another. The sub-contract's schedules keep the
numbers of the head contract's (1 commencement and term, 2 services, 3 payment, 4 quality,
6 contract management), so its outline fixes each number (`{id: sc-reporting, number: 6}`)
and lists Schedule 5 too, a library schedule that says "Not used", as the NHS contracts
mark their unused parts. A fixed number is checked against the position the schedule
takes: a number that cannot be kept is an error naming the outline line, never a wrong
number in a document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafting.errors import LibraryError
from drafting.model import Block, Paragraph
from drafting.read import markup
from drafting.read.conditions import evaluate
from drafting.read.library import ClauseVersion, Library
from drafting.read.markup import ParsedBody

__all__ = ["ChosenSchedule", "ScheduleSpec", "choose_schedules", "schedule_blocks"]


@dataclass(frozen=True)
class ScheduleSpec:
    """An outline's entry for a schedule: its id, the number it must show (None: the next
    one), and the outline line that lists it."""

    id: str
    number: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class ChosenSchedule:
    """A schedule a document has: the library version, its variant, its number (`Schedule 2`)."""

    version: ClauseVersion
    variant: str | None
    number: str


def choose_schedules(library: Library, specs: tuple[ScheduleSpec, ...], context: dict[str, Any],
                     kind: str, pins: Mapping[str, int], outline: Path) -> list[ChosenSchedule]:
    """The schedules of a document of `kind`, in the outline's order, numbered.

    `pins` maps schedule ids to pinned versions; a pinned earlier version not written for
    `kind` is left out, as a pinned clause is, so a draft pinned before the outline gained the
    schedule still builds. Raises `LibraryError` naming the outline line for an unknown
    schedule, a current one whose `documents` leave out `kind`, or a fixed number that the
    schedules before it do not allow.
    """
    chosen: list[ChosenSchedule] = []
    for spec in specs:
        try:
            schedule = library.get_schedule(spec.id, pins.get(spec.id))
        except LibraryError as exc:
            raise LibraryError(exc.message, file=outline, line=spec.line) from None
        if kind not in schedule.documents:
            if spec.id in pins:  # a pinned earlier version was not written for this kind
                continue
            raise LibraryError(f"outline lists schedule {spec.id!r}, whose `documents` do not "
                               f"include {kind}", file=outline, line=spec.line)
        if not evaluate(schedule.when, context, file=str(schedule.path),
                        line=schedule.line_of("when"), cache=schedule.cache):
            continue
        number = len(chosen) + 1
        if spec.number is not None and spec.number != number:
            raise LibraryError(
                f"schedule {spec.id!r} must be Schedule {spec.number}, but it comes out as "
                f"Schedule {number} for these answers: Word numbers schedules in sequence, so "
                "every schedule before it must be in (mark an unused one \"Not used\")",
                file=outline, line=spec.line)
        chosen.append(ChosenSchedule(schedule, schedule.variant_for(context), f"Schedule {number}"))
    return chosen


def schedule_blocks(parsed: ParsedBody, schedule: ClauseVersion) -> tuple[Block, ...]:
    """A schedule's paragraphs and tables as the document shows them.

    A schedule is not numbered like a clause: a `- ` item is a bulleted list item, and there
    is one list level. Labels (`{#x}`) have no number to show, so they are refused.
    """
    key = ("schedule",)
    found = parsed.derived.get(key) if markup.CACHE_SIZE > 0 else None
    if found is not None:
        return found  # type: ignore[return-value]
    blocks: list[Block] = []
    for block in parsed.blocks:
        if isinstance(block, Paragraph) and (block.level or block.label):
            if block.label:
                raise LibraryError(f"a schedule has no numbered paragraphs, so label "
                                   f"{{#{block.label}}} cannot be referred to; remove it",
                                   file=schedule.path, line=_line_of(schedule, f"{{#{block.label}}}"))
            if block.level > 1:
                raise LibraryError("a schedule's lists have one level: write each item as "
                                   "`- item` with no indent", file=schedule.path,
                                   line=_indented_line(schedule))
            block = Paragraph(0, block.inlines, None, None, None, "list")
        blocks.append(block)
    result = tuple(blocks)
    if markup.CACHE_SIZE:
        parsed.derived[key] = result
    return result


def _line_of(item: ClauseVersion, needle: str) -> int | None:
    for number, line in enumerate(item.text.split("\n"), start=1):
        if needle in line:
            return number
    return None


def _indented_line(item: ClauseVersion) -> int | None:
    for number, line in enumerate(item.text.split("\n"), start=1):
        if number >= item.body_line and line.startswith("  ") and line.lstrip().startswith("- "):
            return number
    return None
