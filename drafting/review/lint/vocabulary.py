"""The words lint looks for, read from `vocabulary.yaml` beside this module.

Why a data file: which phrases belong to which model, which answer values read as English,
which events a period belongs to are judgements a lawyer can make and extend; they are
kept apart from the code that applies them. The file is validated here, so a typo in it
is an error naming the file and line, not a check that silently stops firing.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafting.errors import AnswersError, LibraryError
from drafting.read.yamlsource import read_yaml

__all__ = ["VOCABULARY", "Vocabulary", "load_vocabulary"]

VOCABULARY = Path(__file__).with_name("vocabulary.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelWords(_Strict):
    """Phrases allowed only when `when` holds for the document's answers."""

    name: str
    when: str
    phrases: list[str] = Field(min_length=1)


class KindWords(_Strict):
    """Phrases allowed only when some member is of kind `kind`."""

    kind: str
    phrases: list[str] = Field(min_length=1)


class FigureLabels(_Strict):
    """Schedule column or row labels showing a figure, allowed only when `when` holds."""

    labels: list[str] = Field(min_length=1)
    when: str


class PeriodEvent(_Strict):
    """An event periods are given for, the words that name it, how far before the period
    one of them may stand, the units its periods are counted in (any when empty), and the
    document kinds it is compared across (all when empty: an MOU's own notice of leaving
    is a different event from leaving the agreement)."""

    event: str
    words: list[str] = Field(min_length=1)
    within: int = Field(default=80, ge=1)
    units: list[Literal["Business Days", "working days", "days", "weeks", "months", "years"]] \
        = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)


class ScheduleReferences(_Strict):
    verbs: list[str]
    money: list[str]
    percent: list[str]
    cap: list[str]
    each_member: list[str]


class Vocabulary(_Strict):
    other_models: list[ModelWords]
    member_kinds: list[KindWords]
    schedule_figures: list[FigureLabels]
    two_party: list[str]
    period_events: list[PeriodEvent]
    schedule_references: ScheduleReferences
    idiomatic_values: list[str]
    raw_words: list[str]
    doubled_ok: list[str]
    proper_names: list[str]
    lower_case_terms: list[str]
    lower_case_ok: list[str]
    note_models: list[ModelWords]


@functools.lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    """Read and validate the vocabulary; `LibraryError` naming the file and line if it is wrong."""
    try:
        source = read_yaml(path)
    except AnswersError as exc:
        problem = exc.problems[0]
        raise LibraryError(problem.message, file=path, line=problem.line) from None
    try:
        return Vocabulary.model_validate(source.data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        raise LibraryError(f"{'.'.join(map(str, loc))}: {err['msg']}", file=path,
                           line=source.line_of(loc)) from None
