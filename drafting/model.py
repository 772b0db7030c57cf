"""The neutral document model: what a drafted document says, before any file format.

Readers (the clause library and the answers) produce a `Document`; writers (`writers.docx`,
`writers.text`) turn it into bytes or text. Like pandoc's AST, the model knows nothing of
Word: numbers are plain strings, cross-references name their target, and every node is a
frozen dataclass, so a document is a value that can be compared, printed and tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Block",
    "Clause",
    "Document",
    "Emph",
    "Inline",
    "Paragraph",
    "Ref",
    "SchedRef",
    "Schedule",
    "Signature",
    "Strong",
    "Table",
    "Target",
    "Term",
    "Text",
    "plain",
]


@dataclass(frozen=True)
class Text:
    """Literal text, shown exactly as given (answers text included)."""

    text: str


@dataclass(frozen=True)
class Emph:
    """Italic text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    """Bold text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Term:
    """A use of a defined term; shown as the term itself."""

    name: str


@dataclass(frozen=True)
class Ref:
    """A cross-reference to a clause or labelled sub-clause (`voting`, `voting.majority`).

    The number it shows is `Document.targets[target].number`.
    """

    target: str


@dataclass(frozen=True)
class SchedRef:
    """A reference to a schedule of the document by its id (`members`); shows `Schedule 2`."""

    schedule: str


Inline = Text | Emph | Strong | Term | Ref | SchedRef


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a clause or schedule.

    `level` 0 is unnumbered body text; 1 a sub-clause (`7.1`), 2 a paragraph (`(a)`), 3 a
    sub-paragraph (`(i)`). `number` is the full number (`7.1(a)`), None when unnumbered.
    `bookmark` is set when something refers to this paragraph. `style` is "body",
    "definition" (a defined term and its meaning) or "list" (an unnumbered list item).
    """

    level: int
    inlines: tuple[Inline, ...]
    label: str | None = None
    number: str | None = None
    bookmark: str | None = None
    style: str = "body"


@dataclass(frozen=True)
class Table:
    """A table with a header row; cells are inline sequences."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    widths: tuple[int, ...] = ()


Block = Paragraph | Table


@dataclass(frozen=True)
class Clause:
    """A numbered clause: heading (`title`) and its paragraphs, from one library clause version.

    `variant` is the selected variant id, None for a clause without variants. `note` is the
    drafting note for lawyers (a Word comment with `--notes`), None when the clause has none.
    """

    id: str
    version: int
    title: str
    number: str
    bookmark: str
    blocks: tuple[Block, ...]
    variant: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Schedule:
    """A schedule (`Schedule 2`): heading, then paragraphs and tables built from the answers.

    `note` is its drafting note for lawyers (a Word comment with `--notes`), like a clause's.
    """

    id: str
    title: str
    number: str
    bookmark: str
    blocks: tuple[Block, ...]
    note: str | None = None


@dataclass(frozen=True)
class Signature:
    """One signature block: the party and the person who signs for it."""

    party: str
    name: str
    role: str


@dataclass(frozen=True)
class Target:
    """Where a cross-reference points: the bookmark and the number it shows (`7.3(b)`)."""

    bookmark: str
    number: str


@dataclass(frozen=True)
class Document:
    """A whole drafted document.

    `frame` names the Word frame (`templates/<kind>.docx`) whose `{{ name }}` placeholders
    are filled from `fields`. `parties` are the paragraphs naming the parties after the
    cover; `provenance` records what the document was made from (answers hash, library
    version, clause versions) and is stored inside the written file, with `answers`, the
    text of the answers file itself (empty when the answers came from no file).

    `recitals` are the Background's lettered paragraphs (style "recital", `number` "(A)"),
    drafted from the library clause the outline's `background` names; they come after the
    parties and before the operative clauses, under `terms_heading` ("Agreed terms"), and
    are neither numbered clauses nor in the table of contents.

    `defined_terms` are the terms its definitions clause lists, in order. `incorporated_terms`
    are the terms it uses with the meaning another document of the pack gives them (an
    accession deed incorporates the collaboration agreement's definitions): they are not
    listed again.
    """

    kind: str
    title: str
    frame: str
    fields: dict[str, str]
    parties: tuple[Paragraph, ...]
    clauses: tuple[Clause, ...]
    schedules: tuple[Schedule, ...]
    signatures: tuple[Signature, ...]
    targets: dict[str, Target]
    provenance: dict[str, Any] = field(default_factory=dict)
    answers: str = ""
    recitals: tuple[Paragraph, ...] = ()
    terms_heading: str = "Agreed terms"
    defined_terms: tuple[str, ...] = ()
    incorporated_terms: frozenset[str] = frozenset()

    def numbered(self) -> list[tuple[str, Paragraph | Clause]]:
        """Every numbered item in document order with its number (clauses and paragraphs)."""
        out: list[tuple[str, Paragraph | Clause]] = []
        for clause in self.clauses:
            out.append((clause.number, clause))
            for block in clause.blocks:
                if isinstance(block, Paragraph) and block.number:
                    out.append((block.number, block))
        return out


def plain(inlines: tuple[Inline, ...], targets: dict[str, Target] | None = None,
          schedules: dict[str, str] | None = None) -> str:
    """The text of `inlines` as a reader sees it (refs shown as their numbers)."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, (Emph, Strong)):
            parts.append(plain(node.children, targets, schedules))
        elif isinstance(node, Term):
            parts.append(node.name)
        elif isinstance(node, Ref):
            parts.append(targets[node.target].number if targets and node.target in targets
                         else f"[{node.target}]")
        elif isinstance(node, SchedRef):
            parts.append(schedules.get(node.schedule, node.schedule) if schedules
                         else node.schedule)
    return "".join(parts)
