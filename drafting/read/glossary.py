"""The library's glossary: the words for every enumerated answer value.

An answers file says `quorum: majority_including_lead`; a document must say "more than half
of the Voting Members, including the Lead Provider". The glossary (`glossary.yaml` in the
library folder) holds those words, in running text and in a table cell, so that a lawyer
corrects them in one place and a raw value never reaches a document. Clause and schedule
text asks for them with the `words_for` filter (`drafting.read.conditions`).

The file maps an answer's dotted name (as in the answers file: `governance.quorum`,
`members.kind` for every member) to its values, each with its words::

    governance.quorum:
      majority: more than half of the [[Voting Member]]s    # text; the table form is
                                                            # the same with a capital
      majority_including_lead:
        text: more than half of the [[Voting Member]]s, including the [[Lead Provider]]
        table: More than half of the voting members, including the lead provider

Which names and values there are is read from the answers models (`enumerated_fields`),
so `drafting check` can say which value has no words and which words name no value.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from drafting.errors import AnswersError, LibraryError
from drafting.read.yamlsource import Source, parse_yaml

__all__ = ["FILE_NAME", "Glossary", "enumerated_fields", "load_glossary", "submodels"]

FILE_NAME = "glossary.yaml"


@dataclass(frozen=True)
class Glossary:
    """Answer name -> value -> (running-text words, table words), with file lines.

    `entries` is what `words_for` reads (through the rendering context); `lines` maps an
    answer name, or `name.value`, to its line in the file, for messages.
    """

    entries: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    path: Path | None = None

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def load_glossary(path: Path) -> Glossary:
    """Read `path`; an empty glossary when there is no such file.

    Raises `LibraryError` naming the line for a file that is not a mapping of answer names
    to values to words (`text` and optional `table`, or a plain string).
    """
    if not path.exists():
        return Glossary(path=None)
    file = str(path)
    try:
        source: Source = parse_yaml(path.read_text(encoding="utf-8"), file)
    except AnswersError as exc:
        problem = exc.problems[0]
        raise LibraryError(f"glossary: {problem.message}", file=file, line=problem.line) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(f"cannot read the glossary ({exc})", file=file) from None
    data = source.data if source.data is not None else {}
    if not isinstance(data, dict):
        raise LibraryError("the glossary maps answer names (governance.quorum) to their values' "
                           "words", file=file, line=1)
    entries: dict[str, dict[str, tuple[str, str]]] = {}
    lines: dict[str, int] = {}
    for name, values in data.items():
        line = source.line_of((name,))
        if not isinstance(values, dict) or not values:
            raise LibraryError(f"glossary {name!r}: list its values, each with its words",
                               file=file, line=line)
        lines[str(name)] = line or 1
        words: dict[str, tuple[str, str]] = {}
        for value, given in values.items():
            at = source.line_of((name, value))
            key = str(value).lower() if isinstance(value, bool) else str(value)
            lines[f"{name}.{key}"] = at or 1
            if isinstance(given, str):
                text, table = given, _upper_first(given)
            elif isinstance(given, dict) and isinstance(given.get("text"), str) \
                    and set(given) <= {"text", "table"}:
                text = given["text"]
                table = given.get("table", _upper_first(text))
                if not isinstance(table, str):
                    raise LibraryError(f"glossary {name}.{key}: `table` is text", file=file,
                                       line=source.line_of((name, value, "table")) or at)
            else:
                raise LibraryError(f"glossary {name}.{key}: give its words as text, or as "
                                   "`text:` and `table:`", file=file, line=at)
            text, table = " ".join(text.split()), " ".join(table.split())
            if not text or not table:
                raise LibraryError(f"glossary {name}.{key}: the words are empty", file=file,
                                   line=at)
            words[key] = (text, table)
        entries[str(name)] = words
    return Glossary(entries, lines, path)


def _literal_values(annotation: Any) -> tuple[str, ...] | None:
    """The string values of a `Literal[...]` inside `annotation` (Optional, list...), else None."""
    if typing.get_origin(annotation) is Literal:
        values = typing.get_args(annotation)
        return tuple(v for v in values if isinstance(v, str)) or None
    for arg in typing.get_args(annotation):
        found = _literal_values(arg)
        if found:
            return found
    return None


def submodels(annotation: Any) -> list[type[BaseModel]]:
    """The models inside a field's type (Optional, list, and the values of a dict keyed by
    member id, like each partner's `sub_contract_terms`); a dict of figures has none."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    if typing.get_origin(annotation) is dict:
        args = typing.get_args(annotation)
        return submodels(args[1]) if len(args) == 2 else out
    for arg in typing.get_args(annotation):
        out += submodels(arg)
    return out


def enumerated_fields(model: type[BaseModel], prefix: str = "") -> dict[str, tuple[str, ...]]:
    """Every answer with a fixed set of text values, by dotted name, with its values.

    Read from the `Literal` types of `model` (the answers, `drafting.read.answers.Answers`)
    and the models inside it: `governance.quorum`,
    `members.kind` (an item of a list is named without an index), `governance.reserved_matters`
    (a list of values). Numbers (`schema_version`) are not words and are left out.
    """
    found: dict[str, tuple[str, ...]] = {}
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        values = _literal_values(info.annotation)
        if values:
            found[key] = values
            continue
        for sub in submodels(info.annotation):
            found.update(enumerated_fields(sub, f"{key}."))
    return found
