"""The questionnaire's words and conditions, read from `drafting/read/questions/*.yaml`.

Why data: the questions are content, not machinery. A lawyer corrects a question, a choice
label or a piece of help in the YAML files beside the answers models, without reading
Python; the terminal, the browser and the paper form all read the same files through
`drafting.questionnaire.questions`. The files are validated when loaded (unknown fields,
undefined conditions, conditions that are not valid expressions), and a mistake is reported
with its file and line as a `LibraryError`.

Conditions are sandboxed Jinja expressions (`drafting.read.conditions`), never Python.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafting.errors import LibraryError
from drafting.read.conditions import environment
from drafting.read.yamlsource import Source, format_path, read_yaml

__all__ = ["FOLDER", "Book", "ConditionSpec", "QuestionSpec", "SectionSpec", "load_book"]

FOLDER = Path(__file__).parent / "questions"
"""Where the question files live (package data)."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConditionSpec(_Spec):
    """A named condition: its plain words and its test over the answers so far."""

    text: str = Field(min_length=1)
    test: str = Field(min_length=1)


class QuestionSpec(_Spec):
    """One question as written in a section file (see questions/README.md)."""

    key: str = Field(min_length=1)
    title: str = Field(min_length=1)
    name: str = Field(min_length=1)
    missing: str | None = None
    hint: str = ""
    details: str = ""
    choices: dict[str, str] = Field(default_factory=dict)
    when: tuple[str, ...] = ()
    open: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    required: bool | None = None
    each: str | None = None
    kind: Literal["group", "choice", "number"] | None = None
    check: str | None = None
    min: int = 0
    max: float | None = None
    heading: str = ""
    item: str = ""
    items: str = ""
    line: int | None = None
    file: str = ""


class SectionSpec(_Spec):
    letter: str = Field(pattern=r"^[A-Z]$")
    name: str
    intro: str
    questions: tuple[QuestionSpec, ...]


class Book(_Spec):
    """Every section in asking order, and the named conditions."""

    sections: tuple[SectionSpec, ...]
    conditions: dict[str, ConditionSpec]


def _fail(source: Source, path: tuple[str | int, ...], message: str) -> LibraryError:
    return LibraryError(message, file=source.file, line=source.line_of(path))


def _validation_error(source: Source, exc: ValidationError) -> LibraryError:
    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
    return _fail(source, loc, f"{format_path(loc) or 'the file'}: {err['msg']}")


def _read(path: Path) -> Source:
    try:
        return read_yaml(path)
    except Exception as exc:  # an AnswersError about a file that is not answers
        raise LibraryError(str(exc), file=path) from None


def _section(path: Path) -> SectionSpec:
    source = _read(path)
    data = source.data
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise _fail(source, (), "a section file needs letter, name, intro and a list of questions")
    for i, item in enumerate(data["questions"]):
        if isinstance(item, dict):
            item["line"] = source.line_of(("questions", i))
            item["file"] = str(path)
    try:
        return SectionSpec.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(source, exc) from None


def _block(key: str) -> str:
    """The per-member block a key belongs to (``sub_contract_terms.*``), or ""."""
    head, star, _ = key.partition("*")
    return head + star if star else ""


def _inherit(sections: tuple[SectionSpec, ...]) -> tuple[SectionSpec, ...]:
    """Fill in what a question takes from the questions around it.

    A per-member block (keys starting with the same ``x.*``) is asked for the members its
    first question's `each` picks, under that question's `heading` and `when`; a question
    inside a list (``x[].y``) is asked only when the list's own group question is.
    """
    first: dict[str, QuestionSpec] = {}
    groups: dict[str, QuestionSpec] = {}
    out = []
    for section in sections:
        questions = []
        for q in section.questions:
            block = _block(q.key)
            if block and block not in first:
                first[block] = q
            elif block:
                lead = first[block]
                q = q.model_copy(update={
                    "each": q.each or lead.each,
                    "heading": q.heading or lead.heading,
                    "when": tuple(dict.fromkeys((*lead.when, *q.when))),
                })
            if "[]" in q.key:
                owner = groups.get(q.key.rsplit("[]", 1)[0])
                if owner is not None:
                    q = q.model_copy(update={"when": tuple(dict.fromkeys((*owner.when, *q.when)))})
            if q.kind == "group":
                groups[q.key] = q
            questions.append(q)
        out.append(section.model_copy(update={"questions": tuple(questions)}))
    return tuple(out)


@functools.cache
def load_book(folder: Path = FOLDER) -> Book:
    """Read and check every question file in `folder`; raise `LibraryError` at file:line."""
    source = _read(folder / "conditions.yaml")
    try:
        conditions = {
            name: ConditionSpec.model_validate(spec) for name, spec in (source.data or {}).items()
        }
    except ValidationError as exc:
        raise _validation_error(source, exc) from None
    env = environment()
    for name, spec in conditions.items():
        try:
            env.compile_expression(spec.test)
        except Exception as exc:  # noqa: BLE001 - Jinja's syntax error, shown with the line
            raise _fail(source, (name, "test"), f"condition {name!r} is not a valid test: {exc}")
    sections = _inherit(tuple(_section(p) for p in sorted(folder.glob("[a-z].yaml"))))
    letters = [s.letter for s in sections]
    if letters != sorted(letters) or len(set(letters)) != len(letters):
        raise LibraryError(f"sections must be lettered in order, once each (found {letters})",
                           file=folder)
    for section in sections:
        for q in section.questions:
            if (q.item or q.items) and q.kind != "group":
                raise LibraryError(f"{q.key}: item and items name the entries of a list: "
                                   "only a group question has them", file=q.file, line=q.line)
            if q.kind == "group" and not (q.item and q.items):
                raise LibraryError(f"{q.key}: a group question needs item (what one entry is "
                                   "called) and items (the list's heading)",
                                   file=q.file, line=q.line)
            if "*" in q.key and not q.each:
                raise LibraryError(f"{q.key}: a question for each member needs each (the "
                                   "condition that picks the members)", file=q.file, line=q.line)
            names = [*q.when, *(n for names in q.open.values() for n in names)]
            names += [q.each] if q.each else []
            for name in names:
                if name not in conditions:
                    raise LibraryError(
                        f"{q.key}: no condition is called {name!r} in conditions.yaml",
                        file=q.file, line=q.line,
                    )
    return Book(sections=sections, conditions=conditions)
