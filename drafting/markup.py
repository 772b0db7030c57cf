"""Read the markup of a rendered clause body into model paragraphs.

The markup is the small Markdown subset of `clauses/README.md`: `-` markers with two-space
indents for levels, `{#label}`, `**bold**`, `*italic*`, `[[Term]]`, `{ref:id.label}`,
`{sched:id}` and `\\` escapes. Jinja has already run; what it printed arrives as literal
tokens (see `conditions`), which this reader turns straight into `Text` without looking
inside, so answers can never inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafting.conditions import LITERAL_CLOSE, LITERAL_OPEN
from drafting.errors import LibraryError
from drafting.model import Emph, Inline, Paragraph, Ref, SchedRef, Strong, Term, Text

__all__ = [
    "LABEL_PATTERN",
    "REF_PATTERN",
    "SCHED_PATTERN",
    "TERM_PATTERN",
    "RawParagraph",
    "parse_body",
    "parse_inlines",
    "split_paragraphs",
]

REF_PATTERN = re.compile(r"\{ref:([a-z0-9][a-z0-9-]*)(?:\.([a-z0-9][a-z0-9-]*))?\}")
SCHED_PATTERN = re.compile(r"\{sched:([a-z0-9][a-z0-9-]*)\}")
TERM_PATTERN = re.compile(r"\[\[([^\[\]]+?)\]\]")
LABEL_PATTERN = re.compile(r"^\{#([a-z0-9][a-z0-9-]*)\}\s*")
_MARKER = re.compile(r"^( *)- (.*)$|^( *)-$")
_INLINE = re.compile(
    r"\\(.)"
    rf"|{LITERAL_OPEN}(\d+){LITERAL_CLOSE}"
    r"|(\*\*|\*)"
    rf"|{TERM_PATTERN.pattern}"
    rf"|{REF_PATTERN.pattern}"
    rf"|{SCHED_PATTERN.pattern}",
    re.DOTALL,
)


_SPECIAL = re.compile(rf"[\\*\[{{{LITERAL_OPEN}]")


@dataclass(frozen=True)
class RawParagraph:
    """A paragraph's level, label and joined markup text, before inline parsing."""

    level: int
    text: str
    label: str | None
    line: int


def split_paragraphs(text: str, *, file: str = "<clause>", line_offset: int = 0) -> list[RawParagraph]:
    """Split body text into paragraphs: blank lines separate, `-` markers start numbered ones."""
    out: list[RawParagraph] = []
    level, start = 0, 0
    parts: list[str] = []

    def flush() -> None:
        nonlocal parts
        if parts:
            joined = " ".join(parts)
            label = None
            if level:
                found = LABEL_PATTERN.match(joined)
                if found:
                    label, joined = found.group(1), joined[found.end():]
            out.append(RawParagraph(level, joined.strip(), label, start + line_offset))
        parts = []

    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            flush()
            continue
        marker = _MARKER.match(line.rstrip())
        if marker:
            flush()
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
            parts.append(line.strip())
    flush()
    return out


def parse_inlines(text: str, literals: list[str] | tuple[str, ...] = ()) -> tuple[Inline, ...]:
    """Parse inline markup; literal tokens become `Text` exactly as printed."""
    if not _SPECIAL.search(text):
        return (Text(text),) if text else ()
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
                frame[1].append(Term(" ".join(term.split())))
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


def parse_body(text: str, literals: list[str] | tuple[str, ...] = (), *, file: str = "<clause>",
               line_offset: int = 0) -> list[Paragraph]:
    """Parse a rendered body into paragraphs (unnumbered; the assembler numbers them).

    A numbered paragraph left empty (say, by an `{% if %}` that printed nothing) is dropped,
    so Word never shows a number with no text.
    """
    paragraphs = []
    for raw in split_paragraphs(text, file=file, line_offset=line_offset):
        inlines = parse_inlines(raw.text, literals)
        if not inlines or all(isinstance(i, Text) and not i.text.strip() for i in inlines):
            continue
        paragraphs.append(Paragraph(level=raw.level, inlines=inlines, label=raw.label))
    return paragraphs
