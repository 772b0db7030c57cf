"""The lawyer's checklist: one drafting note per document that lists every blank left to
complete and every default the library chose where the answers say nothing.

A first draft leaves marked blanks (`[●]`, `[£●]`, or a bracketed proposal such as
`[6,300]`) where the answers are silent, and the library fills some terms with a value of practice (a long-stop date three months after
commencement, one month's notice of leaving an MOU). A lawyer must find all of them before
the draft goes out, not discover them clause by clause. This module finds the blanks in the
built text and renders each included clause's and schedule's `defaults` phrases; the words
of the note are the library's own (`clauses/checklist.md`), so Python supplies only where
each item is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from drafting.model import Block, Paragraph, Table, Target, plain
from drafting.read.conditions import (LITERAL_CLOSE, LITERAL_OPEN, compile_body, number_words,
                                      render)
from drafting.read.library import CHECKLIST_FILE, ClauseVersion, Library

if TYPE_CHECKING:
    from jinja2 import BytecodeCache

BLANK = re.compile(r"\[[^\[\]\n]+\]")
"""A blank of the library: any square-bracketed text of the built document.

`[●]` marks words, a date or a figure to supply and `[£●]` money; a bracketed proposal
(`[6,300]`, `[£1,746.03]`, `[sixty]`) or a description of what to write (`[chair / secretary]`,
`[the services … provides itself]`) is as much a blank for the lawyer, who must confirm or
replace it, and so is a bracketed optional paragraph (`[Where the New Member joins as the
successor …]`, however long), so the checklist counts every bracket. Defined terms
(`[[Board]]`) are resolved before the text is read, so they never count."""


def _texts(blocks: Iterable[Block], targets: dict[str, Target],
           schedules: dict[str, str]) -> Iterable[tuple[str | None, str]]:
    """Each paragraph's (number of its sub-clause, text), and each table cell's (None, text)."""
    current: str | None = None
    for block in blocks:
        if isinstance(block, Paragraph):
            if block.number and block.level <= 1:
                current = block.number
            yield current, plain(block.inlines, targets, schedules)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield None, plain(cell, targets, schedules)


def blanks_in(blocks: Iterable[Block], targets: dict[str, Target]) -> list[dict[str, Any]]:
    """The blanks of one clause or schedule: one entry per sub-clause (or per schedule, for
    its tables) with the sub-clause number (None in a schedule) and the blanks, in order."""
    schedules = {k[len("sched:"):]: v.number for k, v in targets.items() if k.startswith("sched:")}
    found: dict[str | None, list[str]] = {}
    for number, text in _texts(blocks, targets, schedules):
        marks = BLANK.findall(text)
        if marks:
            found.setdefault(number, []).extend(marks)
    return [{"number": number, "blanks": marks} for number, marks in found.items()]


def _render_plain(text: str, file: str, context: dict[str, Any], *, name: str,
                  cache: list[Any], code_cache: BytecodeCache | None, line_offset: int = 0,
                  what: str) -> str:
    """Render library Jinja to plain text on one line (a note is a Word comment, not markup).

    The compiled template is kept in `cache` for this process, and its code in the
    library's `code_cache` between runs (see `read.bytecode`), as a clause body's is.
    """
    if not cache:
        cache.append(compile_body(text, file, line_offset, name=name, cache=code_cache))
    rendered = render(cache[0], context, file=file, line_offset=line_offset, what=what)
    out = re.sub(f"{LITERAL_OPEN}([0-9]+){LITERAL_CLOSE}",
                 lambda m: rendered.literals[int(m.group(1))], rendered.text)
    return " ".join(out.split())


def defaults_of(item: ClauseVersion, context: dict[str, Any]) -> list[str]:
    """The clause's or schedule's `defaults` phrases for these answers, empty ones left out."""
    if not item.defaults:
        return []
    cache: dict[int, list[Any]] = item.__dict__.setdefault("_defaults_templates", {})
    phrases = []
    for index, phrase in enumerate(item.defaults):
        text = _render_plain(phrase, str(item.path), context, name=f"{item.path}#defaults{index}",
                             cache=cache.setdefault(index, []), code_cache=item.cache,
                             line_offset=item.line_of("defaults") - 1, what="default")
        if text:
            phrases.append(text)
    return phrases


NUMBER_WORDS: dict[str, int] = {number_words(n): n for n in range(1, 100)}
PERIOD = re.compile(
    r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?: \((\d+)\))?"
    r"(\s+(?:business |working |calendar )?(?:hours?|days?|weeks?|months?|years?|quarters?(?! of\b))\b)",
    re.IGNORECASE)
"""A number of a period written in words ("three months", "twenty-eight days", "six (6)
months"): the checklist states every period in figures ("3 months", "28 days"), the one style
of the documents, whatever words a clause's default phrase uses. "Three quarters of the
meetings" is a fraction, not a period, and stays in words."""


def in_figures(text: str) -> str:
    """`text` with each period written in words ("four (4) months") written in figures
    ("4 months")."""
    return PERIOD.sub(lambda m: f"{m.group(2) or NUMBER_WORDS[m.group(1).lower()]}{m.group(3)}",
                      text)


def checklist_note(library: Library, items: list[dict[str, Any]],
                   context: dict[str, Any]) -> str | None:
    """The checklist note of one document, or None when the library has no checklist or the
    document has nothing to list (the checklist prints nothing: no item, and no answer that
    the library overrides, which the checklist works out from the answers itself).

    `items` holds, in document order, each clause or schedule with anything to list:
    `part` ("clause" or "schedule"), `number`, `title`, `blanks` (see `blanks_in`) and
    `defaults` (see `defaults_of`).
    """
    if library.checklist is None:
        return None
    cache: list[Any] = library.__dict__.setdefault("_checklist_template", [])
    text = _render_plain(library.checklist, str(library.root / CHECKLIST_FILE),
                         {**context, "items": items}, name=f"{library.root}#checklist",
                         cache=cache, code_cache=library.cache, what="checklist")
    return in_figures(text) or None
