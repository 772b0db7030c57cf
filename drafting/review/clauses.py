"""The word-level difference between two versions of a library clause, in three forms.

A clause version is its title and its body (the markup source, paragraph by paragraph,
as lawyers write it in `clauses/<id>/v<N>.md`). Paragraphs are aligned first, then each
pair is diffed word by word. The result renders as terminal text (colour on a tty,
``[-deleted-]{+inserted+}`` markers otherwise), as HTML with ``<ins>``/``<del>``, or as a
Word document with real tracked changes.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from lxml import etree

from drafting.errors import LibraryError
from drafting.review._oxml import XML_SPACE, Stamp, qn, set_mark
from drafting.review.words import align, diff_words

__all__ = [
    "ClauseDiff",
    "ClauseText",
    "Piece",
    "clause_text",
    "diff_clauses",
    "load_clause",
    "parse_spec",
    "render_docx",
    "render_html",
    "render_text",
]

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class ClauseText:
    """What is compared of a clause version: id, version, title and body paragraphs."""

    id: str
    version: int
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


@dataclass(frozen=True)
class ClauseDiff:
    """Title and paragraphs as pieces; a whole inserted/deleted paragraph is one piece."""

    old: ClauseText
    new: ClauseText
    title: tuple[Piece, ...]
    paragraphs: tuple[tuple[Piece, ...], ...]

    @property
    def changed(self) -> bool:
        return any(p.op != "equal" for para in (self.title, *self.paragraphs) for p in para)


_SPEC = re.compile(r"^(?P<id>(?:schedule:)?[a-z][a-z0-9-]*)@v?(?P<version>[0-9]+)$")


def parse_spec(spec: str) -> tuple[str, int]:
    """``"voting@2"`` (or ``voting@v2``) -> ``("voting", 2)``; ValueError with a hint otherwise.

    A schedule is ``schedule:members@2`` (or its plain id when no clause has it).
    """
    match = _SPEC.match(spec.strip())
    if match is None:
        raise ValueError(f"{spec!r} is not ID@VERSION; write it like voting@2")
    return match["id"], int(match["version"])


def clause_text(clause_id: str, version: int, title: str, body: str) -> ClauseText:
    """Split a clause body into paragraphs (blank lines apart; lines of one paragraph joined).

    A new list item (``- ``) on the next line starts a new paragraph too, so a list
    written without blank lines still diffs item by item; a table row (``| a | b |``) is a
    paragraph of its own, so a table diffs row by row.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        starts_item = stripped.startswith(("- ", ":::", "|"))
        after_row = bool(current) and current[0].lstrip().startswith("|")
        if not stripped or ((starts_item or after_row) and current):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            if not stripped:
                continue
        current.append(line.rstrip() if not current else stripped)
    if current:
        paragraphs.append(" ".join(current))
    return ClauseText(clause_id, version, title, tuple(paragraphs))


def load_clause(clause_id: str, version: int, library: str | Path | None = None) -> ClauseText:
    """A clause or schedule version from the library (`LibraryError` when there is no such
    version); a schedule is named `schedule:<id>`, or by its id when no clause has it."""
    from drafting.read.library import load_library

    clause = load_library(library).item(clause_id, version)
    return clause_text(clause.name, clause.version, clause.title, clause.body)


def _pieces(old: str, new: str) -> tuple[Piece, ...]:
    out: list[Piece] = []
    for seg in diff_words(old, new):
        text = old[seg.a0:seg.a1] if seg.op == "delete" else new[seg.b0:seg.b1]
        if out and out[-1].op == seg.op:
            out[-1] = Piece(seg.op, out[-1].text + text)
        else:
            out.append(Piece(seg.op, text))
    return tuple(out)


def diff_clauses(old: ClauseText, new: ClauseText) -> ClauseDiff:
    """The word-level difference between two clause versions."""
    if old.id != new.id:
        raise LibraryError(
            f"cannot diff two different clauses ({old.id!r} and {new.id!r}); give one id twice, "
            f"like {old.id}@{old.version} {old.id}@{new.version}"
        )
    paragraphs: list[tuple[Piece, ...]] = []
    for a, b in align(old.paragraphs, new.paragraphs):
        if a is not None and b is not None:
            paragraphs.append(_pieces(old.paragraphs[a], new.paragraphs[b]))
        elif a is not None:
            paragraphs.append((Piece("delete", old.paragraphs[a]),))
        elif b is not None:
            paragraphs.append((Piece("insert", new.paragraphs[b]),))
    return ClauseDiff(old, new, _pieces(old.title, new.title), tuple(paragraphs))


# --- renderers ------------------------------------------------------------------------------

_ANSI = {"delete": ("\x1b[31;9m", "\x1b[0m"), "insert": ("\x1b[32;4m", "\x1b[0m")}
_PLAIN = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}


def _header(diff: ClauseDiff) -> str:
    return f"{diff.old.id}: v{diff.old.version} -> v{diff.new.version}"


def render_text(diff: ClauseDiff, *, colour: bool = False) -> str:
    """Terminal text: red struck-through deletions and green underlined insertions with
    `colour`, else wdiff-style ``[-deleted-]`` and ``{+inserted+}`` markers."""
    marks = _ANSI if colour else _PLAIN
    lines = [_header(diff)]
    for para in (diff.title, *diff.paragraphs):
        line = []
        for piece in para:
            if piece.op == "equal":
                line.append(piece.text)
            else:
                start, end = marks[piece.op]
                line.append(f"{start}{piece.text}{end}")
        lines.append("".join(line))
    if not diff.changed:
        lines.append("(no differences)")
    return "\n".join(lines) + "\n"


def render_html(diff: ClauseDiff) -> str:
    """A small standalone HTML page: title as ``<h1>``, paragraphs as ``<p>``."""
    def body(para: tuple[Piece, ...]) -> str:
        out = []
        for piece in para:
            text = html.escape(piece.text)
            out.append(text if piece.op == "equal" else
                       f"<{piece.op[:3]}>{text}</{piece.op[:3]}>")
        return "".join(out)

    head = html.escape(_header(diff))
    paras = "\n".join(f"<p>{body(p)}</p>" for p in diff.paragraphs)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{head}</title>\n"
        "<style>ins{color:#060;text-decoration:underline}del{color:#a00;"
        "text-decoration:line-through}</style>\n</head>\n<body>\n"
        f"<p class=\"versions\">{head}</p>\n<h1>{body(diff.title)}</h1>\n{paras}\n</body>\n</html>\n"
    )


def render_docx(diff: ClauseDiff, *, author: str, date: str) -> bytes:
    """A Word document of the clause with the differences as tracked changes."""
    import docx

    from drafting.review.package import read_package, write_package

    document = docx.Document()
    stamp = Stamp(author=author, date=date)
    document.add_paragraph(_header(diff))
    heading = document.add_heading(level=1)
    _fill(heading._p, diff.title, stamp)
    for para in diff.paragraphs:
        p = document.add_paragraph()
        _fill(p._p, para, stamp)
        ops = {piece.op for piece in para}
        if ops == {"insert"}:
            set_mark(p._p, stamp.element("w:ins"))
        elif ops == {"delete"}:
            set_mark(p._p, stamp.element("w:del"))
    buffer = io.BytesIO()
    document.save(buffer)
    package = read_package(buffer.getvalue())
    when = datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ")
    return write_package(package, {}, max(when, datetime(1980, 1, 1)).timetuple()[:6])


def _fill(p: etree._Element, pieces: tuple[Piece, ...], stamp: Stamp) -> None:
    for piece in pieces:
        run = etree.Element(qn("w:r"))
        t = etree.SubElement(run, qn("w:delText" if piece.op == "delete" else "w:t"))
        t.text = piece.text
        t.set(XML_SPACE, "preserve")
        if piece.op == "equal":
            p.append(run)
        else:
            wrapper = stamp.element("w:ins" if piece.op == "insert" else "w:del")
            wrapper.append(run)
            p.append(wrapper)
