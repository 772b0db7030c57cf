"""Answers data in the browser's session <-> the answers file (YAML) and its validation.

The web front end keeps answers as plain data (as `yaml.safe_load` would give them) and
understands them only through `drafting.read.load.parse_answers`, like every other reader:
it dumps the data to YAML and validates that text, so what a person downloads is exactly
what was checked.
"""

from __future__ import annotations

import copy
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import yaml

from drafting.errors import AnswersError, Problem
from drafting.questionnaire import questions
from drafting.read.load import LoadedAnswers, parse_answers, validate_data
from drafting.read.yamlsource import Source, parse_yaml

__all__ = ["MAX_UPLOAD", "Checked", "UploadError", "check", "read_upload", "to_yaml"]

MAX_UPLOAD = 256 * 1024
"""Largest answers file accepted for upload, in bytes; the largest example is under 8 KB."""

FILE_NAME = "<your answers>"


def to_yaml(data: dict[str, Any]) -> str:
    """The answers file for `data`, with each question as a comment (`drafting.questionnaire.questions`)."""
    return questions.to_yaml(data, with_comments=True)


@dataclass(frozen=True)
class Checked:
    """The result of validating the answers so far."""

    loaded: LoadedAnswers | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.loaded is not None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check(data: dict[str, Any], *, exact: bool = False) -> Checked:
    """Validate `data` as an answers file would be validated; never raises for bad answers.

    Pages check the data itself (the answers file it dumps to loads back to the same data,
    as `drafting.questionnaire.questions.to_yaml` guarantees); `exact` checks the file's
    text, so that the answers' SHA-256 in a drafted document is that of the file beside it.
    A page is drawn from the answers just saved, so the same answers are checked again at
    once: the last results are kept, by the answers' text.
    """
    key = json.dumps(data, sort_keys=True, default=str) + ("\x00exact" if exact else "")
    found = _CHECKED.get(key)
    if found is not None:
        _CHECKED.move_to_end(key)
        return found
    try:
        if exact:
            loaded = parse_answers(to_yaml(data), FILE_NAME)
        else:
            loaded = validate_data(Source(data=copy.deepcopy(data), file=FILE_NAME))
        checked = Checked(loaded, list(loaded.warnings))
    except AnswersError as exc:
        checked = Checked(None, list(exc.problems))
    _CHECKED[key] = checked
    while len(_CHECKED) > 256:
        _CHECKED.popitem(last=False)
    return checked


_CHECKED: OrderedDict[str, Checked] = OrderedDict()


class UploadError(Exception):
    """An uploaded answers file cannot be read at all (not UTF-8, bad YAML, not a mapping)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _first_alias(text: str) -> int | None:
    """The line of the first YAML alias in `text`, or None.

    Aliases can make a small file expand to gigabytes when it is built into data (the
    "billion laughs"); answers never need them, so an upload that has one is refused.
    """
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken):
                line: int = token.start_mark.line + 1
                return line
    except yaml.YAMLError:
        return None  # parse_yaml reports the syntax error with its line
    return None


def read_upload(raw: bytes) -> tuple[dict[str, Any], list[Problem]]:
    """The answers data of an uploaded file, and the unknown keys left out of it.

    Raises `UploadError` naming the line when the file cannot be read at all. Only that is
    refused: a file that breaks the rules is still loaded, so a person can continue an
    unfinished questionnaire and put it right page by page. A misspelt key has no question
    to show it on, so it could never be put right in the browser: it is left out, and the
    problems returned say which keys went and on which line of the file they were.
    """
    if len(raw) > MAX_UPLOAD:
        raise UploadError(f"the file is larger than {MAX_UPLOAD // 1024} KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UploadError("the file is not UTF-8 text; save it as UTF-8 and try again", line)
    if "\x00" in text:
        raise UploadError("the file is not a text file; choose the answers .yaml file")
    alias = _first_alias(text)
    if alias is not None:
        raise UploadError(
            "the file uses a YAML alias (*name); write each answer out in full", alias
        )
    try:
        source = parse_yaml(text, FILE_NAME)
    except AnswersError as exc:
        first = exc.problems[0]
        raise UploadError(first.message, first.line) from None
    if not isinstance(source.data, dict):
        raise UploadError(
            "the file does not hold answers (it should start with keys such as "
            "'collaborative:')", source.line_of(())
        )
    members = source.data.get("members")
    if members is not None and not (
        isinstance(members, list) and all(isinstance(m, dict) for m in members)
    ):
        raise UploadError(
            "'members' must be a list with one entry of keys (id, name, kind...) per member",
            source.line_of(("members",)),
        )
    try:
        validate_data(source)
        unknown: list[Problem] = []
    except AnswersError as exc:
        unknown = [p for p in exc.problems if p.rule == "unknown-key"]
    data: dict[str, Any] = source.data
    for problem in unknown:
        questions.delete_answer(data, problem.path)
    return data, unknown
