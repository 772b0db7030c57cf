"""A drafted document as the passages a reader sees, each traced to the clause it came from.

Why: lint checks what a reader reads, not the templates, and every problem it finds must
name the library item to fix. So the document model (`drafting.model.Document`) is turned
into passages: a paragraph, a definition, a table row, a heading, each with the id of the
clause or schedule that produced it (a definition is traced to the clause that defines the
term), its number, and its text with the answers' own words masked.

Masking: text typed into the answers (member names, services, purposes) is the user's, not
the library's, and must not be read as a defined term, a raw value or another model's
words. Each character of such text is replaced by `MASK` in `Passage.masked`, which keeps
every position, so a problem found in the masked text is quoted from the real one.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from drafting.model import Document, Paragraph, Table, plain
from drafting.read.answers import Answers
from drafting.read.library import Library

__all__ = ["MASK", "DocumentText", "Passage", "answer_texts", "document_text", "label_of"]

MASK = "\ue010"

Role = Literal["title", "party", "heading", "body", "list", "definition", "header", "row",
               "signature"]

_LABELS = {
    "collaboration_agreement": "collaboration-agreement", "sub_contract": "sub-contract",
    "mou": "mou", "committee_terms": "committee-terms", "data_sharing": "data-sharing-agreement",
    "accession_deed": "accession-deed",
}
_DEFINITION = re.compile(r"^“([^”]+)” (?:means|has the meaning|includes)")


def label_of(kind: str) -> str:
    """The name of a document kind in messages (`sub-contract`), the same for every partner."""
    return _LABELS.get(kind, kind.replace("_", "-"))


@dataclass(frozen=True)
class Passage:
    """One piece of a document's text.

    `source` is the clause or schedule id the text came from, `-` for the document's own
    parts (title, parties, signatures). `number` is the paragraph's number (`7.3(a)`), the
    clause number for a heading, the schedule number (`Schedule 2`) in a schedule, or None.
    `cells` holds a table row's cells; `text` is then the cells joined by ` | `.
    """

    source: str
    role: Role
    text: str
    masked: str
    number: str | None = None
    level: int = 0
    in_schedule: bool = False
    cells: tuple[str, ...] = ()
    term: str | None = None
    """For a definition, the term it defines."""


@dataclass
class DocumentText:
    """A drafted document's passages, and what the checks ask about it."""

    document: Document
    name: str
    """The file it would be written to, e.g. `sub-contract-priory.docx`."""
    passages: list[Passage]
    definitions: dict[str, list[Passage]] = field(default_factory=dict)
    schedules: dict[str, list[Passage]] = field(default_factory=dict)
    """Schedule id -> its passages (heading first)."""
    schedule_numbers: dict[str, str] = field(default_factory=dict)
    """`Schedule 2` -> schedule id."""
    memo: dict[str, Any] = field(default_factory=dict, repr=False)
    """What one check worked out about the document, kept for the others (its periods...)."""

    @property
    def kind(self) -> str:
        return self.document.kind

    @property
    def label(self) -> str:
        return label_of(self.document.kind)

    @property
    def clause_ids(self) -> list[str]:
        return [c.id for c in self.document.clauses]

    @property
    def variants(self) -> dict[str, str | None]:
        return {c.id: c.variant for c in self.document.clauses}


# --------------------------------------------------------------------------- answers text


def _patterned(metadata: object) -> bool:
    """Whether field metadata (or a `FieldInfo` in an `Annotated`) holds a `pattern`: an id."""
    for item in metadata if isinstance(metadata, (list, tuple)) else [metadata]:
        if getattr(item, "pattern", None) or _patterned(getattr(item, "metadata", [])):
            return True
    return False


def _free_text(info: FieldInfo) -> bool:
    """Whether a field holds free text (a name, a purpose), not a choice or an id."""
    if _patterned(info.metadata):
        return False

    def text(annotation: object) -> bool:
        if annotation is str:
            return True
        args = typing.get_args(annotation)
        if typing.get_origin(annotation) is typing.Annotated:
            return args[0] is str and not _patterned(args[1:])
        return typing.get_origin(annotation) is not Literal and any(text(a) for a in args)

    return text(info.annotation)


def answer_texts(answers: Answers) -> list[str]:
    """Every piece of free text in the answers (names, addresses, purposes, services...)."""
    found: list[str] = []

    def walk(model: BaseModel) -> None:
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            if isinstance(value, BaseModel):
                walk(value)
            elif isinstance(value, (list, dict)):  # a dict: each partner's own terms
                for item in (value.values() if isinstance(value, dict) else value):
                    if isinstance(item, BaseModel):
                        walk(item)
                    elif isinstance(item, str) and _free_text(info):
                        found.append(item)
            elif isinstance(value, str) and _free_text(info):
                found.append(value)

    walk(answers)
    return found


@dataclass(frozen=True)
class _Masker:
    """Finds one answer set's texts: a pattern, and a word of each text to look for first
    (most paragraphs hold no answer text, and looking for a word is cheaper)."""

    pattern: re.Pattern[str]
    anchors: tuple[str, ...]

    def mask(self, text: str) -> str:
        """`text` with every answer text in it replaced by `MASK`s of the same length."""
        if not any(anchor in text for anchor in self.anchors):
            return text
        return self.pattern.sub(lambda m: MASK * len(m.group()), text)


@lru_cache(maxsize=16)
def _masker(texts: tuple[str, ...]) -> _Masker | None:
    if not texts:
        return None
    pattern = re.compile("|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True)))
    anchors = {max(t.split(), key=len) for t in texts}
    return _Masker(pattern, tuple(sorted(anchors)))


# --------------------------------------------------------------------------- passages


def document_text(document: Document, name: str, answers: Answers,
                  library: Library) -> DocumentText:
    """The passages of `document`, its definitions and its schedules."""
    forms = {form for text in answer_texts(answers) if len(text.strip()) > 1
             for base in (" ".join(text.split()), " ".join(text.split()).rstrip("."))
             for form in (base, base.upper(), base[:1].lower() + base[1:])}
    masker = _masker(tuple(sorted(forms)))
    targets = document.targets
    schedule_names = {k[len("sched:"):]: v.number for k, v in targets.items()
                      if k.startswith("sched:")}

    def passage(source: str, role: Role, text: str, **extra: object) -> Passage:
        return Passage(source, role, text, masker.mask(text) if masker else text, **extra)  # type: ignore[arg-type]

    def blocks(source: str, items: tuple[Paragraph | Table, ...], in_schedule: bool,
               fallback: str | None) -> Iterator[Passage]:
        for block in items:
            if isinstance(block, Table):
                yield passage(source, "header", " | ".join(block.header),
                              cells=tuple(block.header), in_schedule=in_schedule,
                              number=fallback)
                for row in block.rows:
                    cells = tuple(plain(c, targets, schedule_names) for c in row)
                    yield passage(source, "row", " | ".join(cells), cells=cells,
                                  in_schedule=in_schedule, number=fallback)
                continue
            text = plain(block.inlines, targets, schedule_names)
            term = None
            role: Role = "list" if block.style == "list" else "body"
            if block.style == "definition" or _DEFINITION.match(text):
                match = _DEFINITION.match(text)
                term = match.group(1) if match else None
                role = "definition"
            origin = source
            if term and not in_schedule and term in library.definitions:
                origin = library.definitions[term].id
            yield passage(origin, role, text, number=block.number or fallback,
                          level=block.level, in_schedule=in_schedule, term=term)

    passages: list[Passage] = [passage("-", "title", document.title)]
    passages += [passage("-", "party", plain(p.inlines, targets, schedule_names))
                 for p in document.parties]
    background = document.provenance.get("background")
    if document.recitals and background:  # the recitals are read like a clause's text
        passages += blocks(background["id"], document.recitals, False, "")
    for clause in document.clauses:
        passages.append(passage(clause.id, "heading", clause.title, number=clause.number))
        passages += blocks(clause.id, clause.blocks, False, clause.number)
    for signature in document.signatures:
        passages.append(passage("-", "signature", f"Signed for and on behalf of "
                                f"{signature.party} {signature.name}, {signature.role}"))
    view = DocumentText(document, name, passages)
    for schedule in document.schedules:
        own = [passage(schedule.id, "heading", schedule.title, number=schedule.number,
                       in_schedule=True)]
        own += blocks(schedule.id, schedule.blocks, True, schedule.number)
        passages += own
        view.schedules[schedule.id] = own
        view.schedule_numbers[schedule.number] = schedule.id
    for item in passages:
        if item.role == "definition" and item.term:
            view.definitions.setdefault(item.term, []).append(item)
    return view

