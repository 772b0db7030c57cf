"""Load an answers file: parse the YAML, validate it against the models, then every rule.

The models (`drafting.read.answers`) say what a valid answer looks like; the rules
(`drafting.read.rules`) say which combinations the domain allows. This module runs both and
turns what they find into `Problem`s with the file's line numbers, all at once.
"""

from __future__ import annotations

import difflib
import functools
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
    """Valid answers with where they came from: the file, its SHA-256 and any warnings.

    `text` is the file's text as read (its SHA-256 is `sha256`): a drafted document
    carries it, so the answers that made a draft can be read back out of it.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    answers: Answers
    file: str
    sha256: str
    warnings: list[Problem] = Field(default_factory=list)
    text: str = ""


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


@functools.cache
def _names() -> dict[str, str]:
    """What each answer is called in a sentence, by template key (from the question files)."""
    from drafting.read.question_data import load_book

    return {q.key: q.name for s in load_book().sections for q in s.questions}


@functools.cache
def _lists_missing() -> dict[str, str]:
    """What to say when a list that needs entries is left out, by template key."""
    from drafting.read.question_data import load_book

    return {q.key: q.missing for s in load_book().sections for q in s.questions
            if q.kind == "group" and q.missing}


@functools.cache
def _items() -> dict[str, str]:
    """What one entry of each list is called ("service"), by the list's template key."""
    from drafting.read.question_data import load_book

    return {q.key: q.item for s in load_book().sections for q in s.questions if q.item}


@functools.cache
def _member_maps() -> frozenset[str]:
    """Keys whose entries are keyed by member id (``governance.weights``, ``sub_contract_terms``)."""
    return frozenset(k.split(".*")[0] for k in _names() if ".*" in k)


def _template(loc: PathKey) -> str:
    """The question file's key for `loc`: list positions as ``[]``, member ids as ``*``."""
    parts: list[str] = []
    for i, p in enumerate(loc):
        if isinstance(p, int):
            parts[-1] += "[]"
        elif i and ".".join(str(x) for x in loc[:i]) in _member_maps():
            parts.append("*")
        else:
            parts.append(p)
    return ".".join(parts)


def _member_name(source: Source, member_id: Any) -> str:
    members = source.data.get("members") if isinstance(source.data, dict) else None
    for m in members if isinstance(members, list) else []:
        if isinstance(m, dict) and m.get("id") == member_id:
            return str(m.get("name") or member_id)
    return str(member_id)


def _called(loc: PathKey, source: Source) -> str:
    """How a message names the answer at `loc`: "the member's legal name (Beta NHS Trust)"."""
    key = _template(loc)
    names = _names()
    name = names.get(key) or ""
    if not name:
        last = next((p for p in reversed(loc) if isinstance(p, str)), "")
        name = f"the {last.replace('_', ' ')}" if last else "the answers"
        if len(loc) == 1:
            name += " section"
    if "{member}" in name and len(loc) >= 2 and ".*" in key:
        name = name.replace("{member}", _member_name(source, loc[key.split(".").index("*")]))
    return name


def _named(text: str, loc: PathKey, source: Source) -> str:
    """`text` with {member} as the name of the member `loc` is keyed by."""
    key = _template(loc)
    if "{member}" in text and ".*" in key:
        return text.replace("{member}", _member_name(source, loc[key.split(".").index("*")]))
    return text


def _whose(loc: PathKey, source: Source) -> str:
    """"Beta NHS Trust: " when `loc` is inside a member, "Gamma Healthcare Limited, service
    2: " inside a partner's list; else ""."""
    if len(loc) >= 2 and loc[0] == "members" and isinstance(loc[1], int):
        members = source.data.get("members") if isinstance(source.data, dict) else None
        member = members[loc[1]] if isinstance(members, list) and loc[1] < len(members) else None
        who = member.get("name") or member.get("id") if isinstance(member, dict) else None
        return f"{who}: " if isinstance(who, str) and who else f"Member {loc[1] + 1}: "
    key = _template(loc)
    own = _names().get(key, "") + _lists_missing().get(key, "")
    if ".*." in key and "{member}" not in own:
        who = _member_name(source, loc[key.split(".").index("*")])
        index = next((i for i, p in enumerate(loc) if isinstance(p, int)), None)
        if index is not None:
            item = _items().get(_template(loc[:index]), "entry")
            who += f", {item} {int(loc[index]) + 1}"
        return f"{who}: "
    return ""


_SHOULD_BE = {
    "dict_type": "a section of answers (keys with values)",
    "model_type": "a section of answers (keys with values)",
    "list_type": "a list",
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _range(err: Any) -> str:
    ctx = err.get("ctx", {})
    bounds = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
    kind = err["type"]
    key = {"greater_than_equal": "ge", "greater_than": "gt", "less_than_equal": "le",
           "less_than": "lt"}[kind]
    limit = ctx.get(key)
    shown = f"{limit:g}" if isinstance(limit, (int, float)) else str(limit)
    return f"{bounds[key]} {shown}"


def _problems_from_validation(exc: ValidationError, source: Source) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc: PathKey = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        # pydantic puts the validator name in loc for Annotated/union members; drop non-field parts
        path = format_path(loc)
        kind = err["type"]
        rule = "type"
        called = _called(loc, source)
        shown = _show(err.get("input"))
        if kind == "missing":
            rule = "missing"
            message = f"{_sentence(called)} is missing: add it"
            needed = _lists_missing().get(_template(loc))
            if needed:
                message = _named(needed, loc, source)
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
            message = f"{shown} is not one of the choices for {called}: choose one of {expected}"
        elif kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
            rule = "R22"
            message = (
                f"{_sentence(called)} must be a real date, written as YYYY-MM-DD "
                f"(for example 2027-04-01); {shown} is not"
            )
        elif kind == "value_error":
            message = _sentence(str(err.get("ctx", {}).get("error", err["msg"])))
        elif kind == "string_pattern_mismatch":
            message = (
                f"{shown} cannot be {called}: use lower-case letters, digits and hyphens, "
                "starting with a letter (for example tewv)"
            )
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            rule = "R10" if _is_percent(loc) else "type"
            message = f"{_sentence(called)} must be {_range(err)} (it is {shown})"
        elif kind in ("too_short", "string_too_short"):
            message = f"{_sentence(called)} cannot be empty: give at least one"
        elif kind == "string_too_long":
            message = f"{_sentence(called)} is too long: at most 20,000 characters"
        elif kind in _SHOULD_BE:
            message = f"{_sentence(called)} should be {_SHOULD_BE[kind]}, not {shown}"
        else:
            message = f"{shown} is not a possible answer for {called}"
        whose = _whose(loc, source) if rule != "unknown-key" else ""
        if whose:
            message = whose + (message[:1].lower() + message[1:] if message.startswith("The ")
                               else message)
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
    return LoadedAnswers(answers=answers, file=source.file, sha256=digest, warnings=problems,
                         text=source.text)


def load_answers(path: str | Path) -> LoadedAnswers:
    """Read and validate an answers file; raise `AnswersError` listing every problem with its line."""
    return validate_data(read_yaml(path))


def parse_answers(text: str, file: str = "<answers>") -> LoadedAnswers:
    """Validate answers given as YAML text (the questionnaire and the web front end use this)."""
    return validate_data(parse_yaml(text, file))
