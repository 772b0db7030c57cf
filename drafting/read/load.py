"""Load an answers file: parse the YAML, validate it against the models, then every rule.

The models (`drafting.read.answers`) say what a valid answer looks like; the rules
(`drafting.read.rules`) say which combinations the domain allows. This module runs both and
turns what they find into `Problem`s with the file's line numbers, all at once.
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafting.errors import AnswersError, Problem
from drafting.read import rules
from drafting.read.answers import Answers
from drafting.read.yamlsource import PathKey, Source, format_path, parse_yaml, read_yaml

__all__ = ["LoadedAnswers", "load_answers", "parse_answers", "validate_data"]


class LoadedAnswers(BaseModel):
    """Valid answers with where they came from: the file, its SHA-256 and any warnings."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    answers: Answers
    file: str
    sha256: str
    warnings: list[Problem] = Field(default_factory=list)


_FRIENDLY = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a key the answers file knows",
    "literal_error": "must be one of",
}


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that holds `path`'s last key, for "did you mean" suggestions."""
    model: Any = Answers
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        if part not in fields:
            return None
        ann = fields[part].annotation
        model = _unwrap_model(ann)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap_model(ann: Any) -> Any:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()) or ():
        found = _unwrap_model(arg)
        if found is not None:
            return found
    return None


def _problems_from_validation(exc: ValidationError, source: Source) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc: PathKey = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        # pydantic puts the validator name in loc for Annotated/union members; drop non-field parts
        path = format_path(loc)
        kind = err["type"]
        rule = "type"
        if kind == "missing":
            rule = "missing"
            message = "is required but missing"
        elif kind == "extra_forbidden":
            rule = "unknown-key"
            model = _model_at(loc)
            names = _field_names(model) if model else []
            close = difflib.get_close_matches(str(loc[-1]), names, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = f" (known keys here: {', '.join(names)})" if names and not close else ""
            message = f"'{loc[-1]}' is not a key the answers file knows{hint}{known}"
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            message = f"{_show(err.get('input'))} is not allowed here; choose one of {expected}"
        elif kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
            rule = "R22"
            message = (
                f"{_show(err.get('input'))} is not a real date; write it as YYYY-MM-DD "
                "(e.g. 2027-04-01)"
            )
        elif kind == "value_error":
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        elif kind == "string_pattern_mismatch":
            message = (
                f"{_show(err.get('input'))} is not a valid id: use lower-case letters, digits and "
                "hyphens, starting with a letter (e.g. tewv)"
            )
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            rule = "R10" if _is_percent(loc) else "type"
            message = f"{_show(err.get('input'))} is out of range: {err['msg'].lower()}"
        else:
            message = f"{err['msg']} (got {_show(err.get('input'))})"
        problems.append(Problem(rule, path, message, line=source.line_of(loc), file=source.file))
    return problems


def _is_percent(loc: PathKey) -> bool:
    last = str(loc[-1]) if loc else ""
    return last.endswith("_percent") or (len(loc) >= 2 and loc[-2] == "weights")


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a section"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _line_for(source: Source, path: PathKey, near: PathKey | None) -> int | None:
    """The line of `path`; for a key that is missing, the line of the answer that needs it."""
    if path in source.lines or near is None:
        return source.line_of(path)
    return source.line_of(near)


def validate_data(source: Source) -> LoadedAnswers:
    """Validate parsed answers: shape first, then every rule; raise with all problems at once."""
    if not isinstance(source.data, dict):
        what = "empty" if source.data is None else "not a set of keys"
        raise AnswersError(
            [Problem("syntax", "", f"the answers file is {what}; start from an example in answers/",
                     line=source.line_of(()), file=source.file)],
            file=source.file,
        )
    try:
        answers = Answers.model_validate(source.data)
    except ValidationError as exc:
        raise AnswersError(_problems_from_validation(exc, source), file=source.file) from None
    findings = rules.check(answers)
    problems = [
        Problem(f.rule, format_path(f.path), f.message, line=_line_for(source, f.path, f.near),
                file=source.file, severity=f.severity)
        for f in findings
    ]
    if any(p.severity == "error" for p in problems):
        raise AnswersError(problems, file=source.file)
    digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    return LoadedAnswers(answers=answers, file=source.file, sha256=digest, warnings=problems)


def load_answers(path: str | Path) -> LoadedAnswers:
    """Read and validate an answers file; raise `AnswersError` listing every problem with its line."""
    return validate_data(read_yaml(path))


def parse_answers(text: str, file: str = "<answers>") -> LoadedAnswers:
    """Validate answers given as YAML text (the questionnaire and the web front end use this)."""
    return validate_data(parse_yaml(text, file))
