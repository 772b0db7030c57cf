"""Read the markup of a rendered clause body into model paragraphs.

The markup is the small Markdown subset of `clauses/README.md`: `-` markers with two-space
indents for levels, `{#label}`, `**bold**`, `*italic*`, `[[Term]]`, `{ref:id.label}`,
`{sched:id}`, `\\` escapes, and tables (a paragraph of `| a | b |` rows: the header, a
`|---|---|` row that may give each column's width, then the body rows). Jinja has already
run; what it printed arrives as literal tokens (see `conditions`), which this reader turns
straight into `Text` without looking inside, so answers can never inject markup, nor add
a table cell or row.
"""

from __future__ import annotations

import contextlib
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from drafting.errors import LibraryError
from drafting.model import (
    Block,
    Emph,
    Inline,
    Paragraph,
    Ref,
    SchedRef,
    Strong,
    Table,
    Term,
    Text,
    plain,
)
from drafting.read.conditions import LITERAL_CLOSE, LITERAL_OPEN

__all__ = [
    "CACHE_SIZE",
    "LABEL_PATTERN",
    "REF_PATTERN",
    "SCHED_PATTERN",
    "TERM_PATTERN",
    "BoundedCache",
    "ParsedBody",
    "Phrase",
    "RawParagraph",
    "clear_caches",
    "parse_blocks",
    "parse_body",
    "parse_clause",
    "parse_inlines",
    "parse_phrase",
    "split_paragraphs",
    "table_cells",
]

REF_PATTERN = re.compile(r"\{ref:([a-z0-9][a-z0-9-]*)(?:\.([a-z0-9][a-z0-9-]*))?\}")
SCHED_PATTERN = re.compile(r"\{sched:([a-z0-9][a-z0-9-]*)\}")
TERM_PATTERN = re.compile(r"\[\[([^\[\]]+?)\]\]")
LABEL_PATTERN = re.compile(r"^\{#([a-z0-9][a-z0-9-]*)\}\s*")
_MARKER = re.compile(r"^( *)- (.*)$|^( *)-$")
# Every alternative starts with a literal character, so the regex engine scans for the five
# characters `\\`, `*`, `[`, `{` and the literal mark instead of trying each branch at each
# position; this alone halves inline parsing. `\*(\*?)` is `**` or `*` (group 3 the extra).
_INLINE = re.compile(
    r"\\(.)"
    rf"|{LITERAL_OPEN}(\d+){LITERAL_CLOSE}"
    r"|\*(\*?)"
    rf"|{TERM_PATTERN.pattern}"
    rf"|{REF_PATTERN.pattern}"
    rf"|{SCHED_PATTERN.pattern}",
    re.DOTALL,
)
_GROUPS = _INLINE.groups + 1  # a split yields the text before a match, then its groups

_SPECIAL = re.compile(rf"[\\*\[{{{LITERAL_OPEN}]")

CACHE_SIZE = 1024
"""How many parsed clause bodies `parse_clause` keeps (least recently used go first).

Parsing is a pure function of the rendered text and its literal values, so the cache is
keyed by exactly those: a clause whose text does not depend on the answers is parsed once
per process, however many documents and collaboratives a batch drafts. 0 turns the cache
(and the interning of `Term` nodes) off, which the benchmark does to report both figures.
"""


K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A least-recently-used map of at most `CACHE_SIZE` entries, for pure functions' results.

    Safe to share between threads: a key another thread has just dropped is simply a miss.
    With `CACHE_SIZE = 0` it keeps and finds nothing.
    """

    def __init__(self) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if CACHE_SIZE <= 0:
            return None
        found = self._items.get(key)
        if found is not None:
            with contextlib.suppress(KeyError):
                self._items.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        if CACHE_SIZE <= 0:
            return
        self._items[key] = value
        while len(self._items) > CACHE_SIZE:
            try:
                self._items.popitem(last=False)
            except KeyError:
                break

    def clear(self) -> None:
        self._items.clear()


_BODIES: BoundedCache[tuple[str, tuple[str, ...]], ParsedBody] = BoundedCache()
_PHRASES: BoundedCache[tuple[str, tuple[str, ...]], Phrase] = BoundedCache()
_TERMS: dict[str, Term] = {}


class Phrase(NamedTuple):
    """One parsed line: its inlines, and the terms and references it uses, in order."""

    inlines: tuple[Inline, ...]
    terms: tuple[str, ...]
    refs: tuple[Ref | SchedRef, ...]


@dataclass(frozen=True)
class RawParagraph:
    """A paragraph's level, label and joined markup text, before inline parsing."""

    level: int
    text: str
    label: str | None
    line: int


@dataclass(frozen=True)
class ParsedBody:
    """A parsed clause body: its paragraphs and tables, and the terms and references they use.

    The assembler needs the terms (for the definitions clause) and the references (to check
    that each target is in the document); collecting them while parsing saves a second walk.
    """

    blocks: tuple[Block, ...]
    terms: frozenset[str]
    refs: tuple[Ref | SchedRef, ...]
    derived: dict[object, object] = field(default_factory=dict, compare=False, repr=False)
    """What a caller works out from these paragraphs alone, kept with them (the assembler
    keeps each clause's numbering here)."""

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """The paragraphs alone, tables left out."""
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))


def split_paragraphs(text: str, *, file: str = "<clause>", line_offset: int = 0) -> list[RawParagraph]:
    """Split body text into paragraphs: blank lines separate, `-` markers start numbered ones."""
    return [RawParagraph(*raw) for raw in _split(text, file, line_offset)]


TABLE = -1
"""The level `split_paragraphs` gives a table: its text is its rows, one per line."""


def _split(text: str, file: str, line_offset: int) -> list[tuple[int, str, str | None, int]]:
    """`split_paragraphs` as (level, text, label, line) tuples; a table has level `TABLE`."""
    out: list[tuple[int, str, str | None, int]] = []
    level, start = 0, 0
    parts: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if parts:
                out.append(_joined(level, parts, start + line_offset))
                parts = []
            continue
        if stripped[0] == "|" or level == TABLE and parts:
            if not parts:
                level, start = TABLE, number
            elif level != TABLE or stripped[0] != "|":
                raise LibraryError(
                    "a table stands in a paragraph of its own, every line of it a row "
                    "starting with `|`: leave a blank line before and after it",
                    file=file, line=number + line_offset,
                )
            parts.append(stripped)
            continue
        # only spaces may come before a marker's `-`, so it is the first non-blank character
        marker = _MARKER.match(line.rstrip()) if stripped[0] == "-" else None
        if marker:
            if parts:
                out.append(_joined(level, parts, start + line_offset))
            indent = len(marker.group(1) if marker.group(1) is not None else marker.group(3))
            level = indent // 2 + 1
            if level > 3:
                raise LibraryError(
                    "a list marker is indented more than four spaces; the deepest level is "
                    "`    - ` (a sub-paragraph, (i))",
                    file=file, line=number + line_offset,
                )
            parts, start = [marker.group(2) or ""], number
        else:
            if not parts:
                level, start = 0, number
            parts.append(stripped)
    if parts:
        out.append(_joined(level, parts, start + line_offset))
    return out


def _joined(level: int, parts: list[str], line: int) -> tuple[int, str, str | None, int]:
    """One paragraph's lines joined, its `{#label}` taken off when it is numbered."""
    if level == TABLE:
        return level, "\n".join(parts), None, line
    joined = " ".join(parts)
    label = None
    if level:
        found = LABEL_PATTERN.match(joined)
        if found:
            label, joined = found.group(1), joined[found.end():]
    return level, joined.strip(), label, line


def parse_inlines(text: str, literals: list[str] | tuple[str, ...] = ()) -> tuple[Inline, ...]:
    """Parse inline markup; literal tokens become `Text` exactly as printed."""
    if not _SPECIAL.search(text):
        return (Text(text),) if text else ()
    if "*" not in text:
        return _flat_inlines(text, literals)
    # Each frame: the mark that opened it, its finished nodes, its pending text pieces.
    stack: list[tuple[str, list[Inline], list[str]]] = [("", [], [])]

    def settle(frame: tuple[str, list[Inline], list[str]]) -> None:
        if frame[2]:
            joined = "".join(frame[2])
            frame[2].clear()
            if joined:
                nodes = frame[1]
                if nodes and isinstance(nodes[-1], Text):
                    nodes[-1] = Text(nodes[-1].text + joined)
                else:
                    nodes.append(Text(joined))

    pos = 0
    for match in _INLINE.finditer(text):
        frame = stack[-1]
        if match.start() > pos:
            frame[2].append(text[pos:match.start()])
        pos = match.end()
        escaped, literal, mark, term, ref_id, ref_label, sched = match.groups()
        if mark is not None:
            mark = "*" + mark
        if escaped is not None:
            frame[2].append(escaped)
        elif literal is not None:
            frame[2].append(literals[int(literal)])
        elif mark is not None:
            settle(frame)
            if frame[0] == mark:
                stack.pop()
                node: Inline = Strong(tuple(frame[1])) if mark == "**" else Emph(tuple(frame[1]))
                settle(stack[-1])
                stack[-1][1].append(node)
            else:
                stack.append((mark, [], []))
        else:
            settle(frame)
            if term is not None:
                frame[1].append(_term(term))
            elif ref_id is not None:
                frame[1].append(Ref(f"{ref_id}.{ref_label}" if ref_label else ref_id))
            else:
                frame[1].append(SchedRef(sched))
    stack[-1][2].append(text[pos:])
    while len(stack) > 1:  # an unclosed `*` is an asterisk
        mark, nodes, pieces = stack.pop()
        outer = stack[-1]
        outer[2].append(mark)
        for node in nodes:
            if isinstance(node, Text):
                outer[2].append(node.text)
            else:
                settle(outer)
                outer[1].append(node)
        outer[2].extend(pieces)
        settle(outer)
    settle(stack[0])
    return tuple(stack[0][1])


def clear_caches() -> None:
    """Forget every parsed body, phrase and term (the benchmark measures without them)."""
    _BODIES.clear()
    _PHRASES.clear()
    _TERMS.clear()


def _term(raw: str) -> Term:
    """The `Term` of `[[raw]]`, whitespace collapsed; equal terms share one frozen node."""
    node = _TERMS.get(raw)
    if node is None:
        node = Term(" ".join(raw.split()))
        if CACHE_SIZE:
            if len(_TERMS) >= 4 * CACHE_SIZE:
                _TERMS.clear()
            _TERMS[raw] = node
    return node


def _flat_inlines(text: str, literals: list[str] | tuple[str, ...]) -> tuple[Inline, ...]:
    """`parse_inlines` for text with no `*` at all: no nesting, so one split and no stack."""
    pieces = _INLINE.split(text)
    nodes: list[Inline] = []
    pending = pieces[0]
    for k in range(1, len(pieces), _GROUPS):
        escaped, literal, _mark, term, ref_id, ref_label, sched, after = pieces[k:k + _GROUPS]
        if term is not None:
            if pending:
                nodes.append(Text(pending))
                pending = ""
            nodes.append(_term(term))
        elif literal is not None:
            pending += literals[int(literal)]
        elif escaped is not None:
            pending += escaped
        else:
            if pending:
                nodes.append(Text(pending))
                pending = ""
            if sched is not None:
                nodes.append(SchedRef(sched))
            else:
                nodes.append(Ref(f"{ref_id}.{ref_label}" if ref_label else ref_id))
        pending += after
    if pending:
        nodes.append(Text(pending))
    return tuple(nodes)


def parse_body(text: str, literals: list[str] | tuple[str, ...] = (), *, file: str = "<clause>",
               line_offset: int = 0) -> list[Paragraph]:
    """Parse a rendered body into paragraphs (unnumbered; the assembler numbers them).

    A numbered paragraph left empty (say, by an `{% if %}` that printed nothing) is dropped,
    so Word never shows a number with no text.
    """
    return list(parse_clause(text, literals, file=file, line_offset=line_offset).paragraphs)


def parse_blocks(text: str, literals: list[str] | tuple[str, ...] = (), *,
                 file: str = "<clause>", line_offset: int = 0) -> list[Block]:
    """Parse a rendered body into paragraphs and tables, in order."""
    return list(parse_clause(text, literals, file=file, line_offset=line_offset).blocks)


def parse_clause(text: str, literals: list[str] | tuple[str, ...] = (), *,
                 file: str = "<clause>", line_offset: int = 0) -> ParsedBody:
    """`parse_body`, plus the terms and references the paragraphs use; see `CACHE_SIZE`.

    `file` and `line_offset` only place an error message, and a body with an error is never
    kept, so the cache key is the text and the literal values alone.
    """
    key = (text, tuple(literals))
    found = _BODIES.get(key)
    if found is not None:
        return found
    blocks: list[Block] = []
    terms: list[str] = []
    refs: list[Ref | SchedRef] = []
    for level, raw, label, line in _split(text, file, line_offset):
        if level == TABLE:
            blocks.append(_table(raw, literals, terms, refs, file, line))
            continue
        inlines = parse_inlines(raw, literals)
        if not inlines or (type(inlines[0]) is Text and not inlines[0].text.strip()  # type: ignore[union-attr]
                           and all(type(i) is Text and not i.text.strip() for i in inlines)):
            continue
        blocks.append(Paragraph(level, inlines, label))
        _collect(inlines, terms, refs)
    parsed = ParsedBody(tuple(blocks), frozenset(terms), tuple(refs))
    _BODIES.put(key, parsed)
    return parsed


def _collect(inlines: Iterable[Inline], terms: list[str], refs: list[Ref | SchedRef]) -> None:
    """Add the terms and the references used in `inlines`, in document order."""
    for node in inlines:
        kind = type(node)
        if kind is Term:
            terms.append(node.name)  # type: ignore[union-attr]
        elif kind is Ref or kind is SchedRef:
            refs.append(node)  # type: ignore[arg-type]
        elif kind is Strong or kind is Emph:
            _collect(node.children, terms, refs)  # type: ignore[union-attr]


def parse_phrase(text: str, literals: list[str] | tuple[str, ...] = ()) -> Phrase:
    """`parse_inlines` of one line (a term's meaning), with the terms and references it uses.

    Cached like `parse_clause`, by the text and the literal values.
    """
    key = (text, tuple(literals))
    found = _PHRASES.get(key)
    if found is not None:
        return found
    inlines = parse_inlines(text, literals)
    terms: list[str] = []
    refs: list[Ref | SchedRef] = []
    _collect(inlines, terms, refs)
    phrase = Phrase(inlines, tuple(terms), tuple(refs))
    _PHRASES.put(key, phrase)
    return phrase


# --------------------------------------------------------------------------- tables

_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_WIDTH = re.compile(r"^-+\s*(?:([0-9]{1,3})\s*%\s*-*)?$")


def table_cells(row: str) -> list[str]:
    """The cells of one table row `| a | b |`, as markup (a `\\|` stays in its cell).

    The outer `|`s are optional at the end, required at the start.
    """
    row = row.strip()
    row = row.removeprefix("|")
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [cell.strip() for cell in _CELL_SPLIT.split(row)]


def table_widths(separator: list[str]) -> tuple[int, ...] | None:
    """The column widths (percent) of a separator row, `()` for equal columns, None when the
    row is not a separator (`|---|---|`, or `|--- 30% ---|--- 70% ---|`).

    Widths are shares of the page width: when they do not add up to 100 (a column left out
    by `{% if %}`), they are scaled to, the rounding going to the widest columns first.
    """
    found = [_WIDTH.match(cell.replace(" ", "")) for cell in separator]
    if not all(found):
        return None
    given = [m.group(1) for m in found if m is not None and m.group(1) is not None]
    if not given:
        return ()
    if len(given) != len(separator):
        raise ValueError("give every column a width, or none (the columns are then equal)")
    widths = [int(w) for w in given]
    if not all(widths):
        raise ValueError("a column width is at least 1%")
    total = sum(widths)
    if total == 100:
        return tuple(widths)
    scaled = [100 * w // total for w in widths]
    order = sorted(range(len(widths)), key=lambda i: (-(100 * widths[i] % total), i))
    for i in order[:100 - sum(scaled)]:
        scaled[i] += 1
    return tuple(scaled)


def _table(text: str, literals: list[str] | tuple[str, ...], terms: list[str],
           refs: list[Ref | SchedRef], file: str, line: int) -> Table:
    """One table of a body: header row, separator row (widths), body rows.

    Header cells are words (defined terms allowed, shown as the term); body cells are
    inline markup. A row that is empty in every cell (an `{% if %}` that printed nothing
    in each) is left out. Cells are split before the literal tokens are read, so answer
    text holding `|` stays in its cell.
    """
    rows = text.split("\n")
    if len(rows) < 2:
        raise LibraryError("a table needs a header row and a `|---|---|` row under it",
                           file=file, line=line)
    header_cells = table_cells(rows[0])
    try:
        widths = table_widths(table_cells(rows[1]))
    except ValueError as exc:
        raise LibraryError(f"table: {exc}", file=file, line=line + 1) from None
    if widths is None:
        raise LibraryError("the second row of a table is its `|---|---|` row (with the column "
                           "widths, `|--- 30% ---|--- 70% ---|`, if they are not equal)",
                           file=file, line=line + 1)
    columns = len(header_cells)
    if widths and len(widths) != columns:
        raise LibraryError(f"the table has {columns} columns but its `|---|` row has "
                           f"{len(widths)}", file=file, line=line + 1)
    header: list[str] = []
    for cell in header_cells:
        inlines = parse_inlines(cell, literals)
        cell_refs: list[Ref | SchedRef] = []
        _collect(inlines, terms, cell_refs)
        if cell_refs:
            raise LibraryError("a table's header row holds words only, no {ref:} or {sched:}",
                               file=file, line=line)
        header.append(plain(inlines))
    body: list[tuple[tuple[Inline, ...], ...]] = []
    for offset, row in enumerate(rows[2:], start=2):
        cells = table_cells(row)
        if len(cells) != columns:
            raise LibraryError(f"this table row has {len(cells)} cells and the header "
                               f"{columns}", file=file, line=line + offset)
        parsed = tuple(parse_inlines(cell, literals) for cell in cells)
        if not any(plain(c).strip() or any(type(i) is not Text for i in c) for c in parsed):
            continue
        for cell_inlines in parsed:
            _collect(cell_inlines, terms, refs)
        body.append(parsed)
    return Table(tuple(header), tuple(body), widths)
