"""The questionnaire's questions: one definition for the terminal, the browser and paper.

Why this module exists: company secretaries answer a questionnaire, not a YAML file. Every
front end asks the same questions, in the same order, with the same help and the same rules
about when a question applies. The words and conditions are data, in
`drafting/read/questions/*.yaml` (read by `drafting.read.question_data`); the answers models
in `drafting.read.answers` give each answer's type, range, choices and default. This module
joins the two into `Question`s and walks them over the answers given so far:

- the order of the questions and the sections they fall in (`SECTIONS`, A to J);
- WHEN each question applies, as named conditions (sandboxed Jinja expressions) mirroring
  the "only with" rules of `drafting.read.rules`, so no question is asked whose answer the
  validator would refuse;
- which choices are open given earlier answers, and checks that need earlier answers (unique
  member references, dates in order, weights against their running total);
- plain messages, GOV.UK style, made from each question's `name` ("Enter the collaborative's
  full name", "The number of years must be a whole number").

API (stable; every front end builds on it)
------------------------------------------
Answers "so far" are plain data: the dict an answers YAML file loads to (dates as
``"YYYY-MM-DD"`` strings, members as a list of dicts, keys as in the file, e.g. ``class``).
A path names one answer: ``"governance.voting"``, ``"members[2].kind"``,
``"governance.weights.tewv"``.

``SECTIONS`` / ``SECTION_BY_LETTER``
    `Section(letter, name, intro)`, A to J, in asking order.
``QUESTIONS``
    Every question template in asking order (``members[].name``, ``governance.weights.*``).
``Question``
    Frozen dataclass: ``path``, ``key`` (the template), ``section``, ``title``, ``name``,
    ``hint``, ``details`` (``help`` is both), ``kind`` (``text | choice | multi | bool | int |
    number | date | list | group``), ``choices`` (``(value, label)``), ``default``
    (`NO_DEFAULT` when none), ``required``, ``condition`` (plain words, "" when always asked),
    ``minimum``/``maximum``, ``entry`` (the list entry it belongs to, ``"members[2]"``) and
    ``member_index``. Methods: ``applies(data)``, ``choices_for(data)``, ``default_for(data)``,
    ``validate(value, data)`` and ``parse(text, data)`` (raise `AnswersError` with one
    `Problem` whose message is for a person), ``message(kind)``.
    A ``group`` question (``members``) asks "Add another member?": its value is a bool;
    ``validate(False, data)`` raises while more entries are needed.
``questions_for(data)``, ``pending(data, closed_groups=())``, ``prune(data)``,
``questions_at(data, path)``, ``position(question, data)``, ``to_yaml(data)``
    Walk, complete, clean and write the answers (see each function).
``get_answer``, ``has_answer``, ``set_answer``, ``delete_answer``, ``add_member``,
``add_entry``, ``put_answer``
    Read and write one answer in place (``put_answer`` stores a question's validated answer).
``template_of(path)``, ``question_of(path)``, ``entry_label(question, data)``,
``block_heading(path, data)``, ``block_of(question)``, ``title_of(path, data)``
    What a concrete path stands for, and how a person reads whose answer it is.

Per-member blocks: keys that start with the same ``x.*`` (``sub_contract_terms.*``) are
walked member by member, every question of one partner before the next partner's, so the
terminal asks one partner's sub-contract at a time and the browser draws it as one block.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import json
import re
import types
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from drafting.errors import AnswersError, LibraryError, Problem
from drafting.read.answers import (
    NHS_KINDS,
    STANDARD_DELEGATED_MATTERS,
    STANDARD_RESERVED_MATTERS,
    Answers,
    SubContractTerms,
)
from drafting.read.conditions import evaluate
from drafting.read.question_data import Book, QuestionSpec, load_book

__all__ = [
    "MEMBER_MAPS",
    "NO_DEFAULT",
    "QUESTIONS",
    "SECTIONS",
    "SECTION_BY_LETTER",
    "Question",
    "Section",
    "add_entry",
    "add_member",
    "block_of",
    "delete_answer",
    "entry_label",
    "get_answer",
    "has_answer",
    "pending",
    "position",
    "prune",
    "put_answer",
    "questions_at",
    "questions_for",
    "set_answer",
    "order_of",
    "question_of",
    "block_heading",
    "template_of",
    "title_of",
    "to_yaml",
]

Kind = Literal["text", "choice", "multi", "bool", "int", "number", "date", "list", "group"]
Data = Mapping[str, Any]


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()
"""The `default` of a question that has none (None is a real default: "leave blank")."""


@dataclass(frozen=True)
class Section:
    letter: str
    name: str
    intro: str


BOOK: Book = load_book()
SECTIONS: tuple[Section, ...] = tuple(Section(s.letter, s.name, s.intro) for s in BOOK.sections)
SECTION_BY_LETTER = {s.letter: s for s in SECTIONS}


# --------------------------------------------------------------------------- data paths

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _TOKEN.findall(path)]


def has_answer(data: Data, path: str) -> bool:
    node: Any = data
    for part in _parts(path):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return False
        elif not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def get_answer(data: Data, path: str, default: Any = None) -> Any:
    """The answer at `path`, or `default` when it has not been given."""
    node: Any = data
    for part in _parts(path):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return default
        elif not isinstance(node, Mapping) or part not in node:
            return default
        node = node[part]
    return node


_MEMBER_ID = re.compile(r"^members\[(\d+)\]\.id$")


def set_answer(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Store `value` at `path` in `data` (in place), creating sections on the way; return data.

    A member's short reference names its answers elsewhere (its weight, its sub-contract
    terms, the lead provider): when it changes, they move with it, so correcting a typo in a
    reference never loses a partner's services.
    """
    renamed = _MEMBER_ID.match(path)
    if renamed:
        old = get_answer(data, path)
        if isinstance(old, str) and isinstance(value, str) and old != value:
            _rename_member(data, old, value)
    parts = _parts(path)
    node: Any = data
    for part, nxt in itertools.pairwise(parts):
        empty: Any = [] if isinstance(nxt, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            if not isinstance(node[part], (dict, list)):
                node[part] = empty
        elif not isinstance(node.get(part), (dict, list)):
            node[part] = empty
        node = node[part]
    last = parts[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value
    return data


def _rename_member(data: dict[str, Any], old: str, new: str) -> None:
    if data.get("lead_provider") == old:
        data["lead_provider"] = new
    for prefix in _STARRED:
        keyed = get_answer(data, prefix)
        if isinstance(keyed, dict) and old in keyed and new not in keyed:
            rebuilt = {(new if k == old else k): v for k, v in keyed.items()}
            keyed.clear()
            keyed.update(rebuilt)


def delete_answer(data: dict[str, Any], path: str) -> None:
    """Forget the answer at `path` (one answer or a whole section); empty sections go too."""
    parts = _parts(path)
    chain: list[Any] = [data]
    for part in parts[:-1]:
        node = chain[-1]
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return
        elif not isinstance(node, dict) or part not in node:
            return
        chain.append(node[part])
    parent, last = chain[-1], parts[-1]
    if isinstance(last, int):
        if isinstance(parent, list) and last < len(parent):
            parent.pop(last)
        return
    if isinstance(parent, dict):
        parent.pop(last, None)
    # drop sections left empty (never list items: an empty member is a member being started)
    for depth in range(len(parts) - 1, 0, -1):
        node, key = chain[depth], parts[depth - 1]
        if isinstance(node, dict) and not node and isinstance(key, str):
            chain[depth - 1].pop(key, None)
        else:
            break


def add_member(data: dict[str, Any]) -> int:
    """Start a new member and return its index."""
    return add_entry(data, "members")


def add_entry(data: dict[str, Any], path: str) -> int:
    """Start a new entry of the list at `path` (members, a partner's services) and return
    its index; the list is created when it is not there yet."""
    items = get_answer(data, path)
    if not isinstance(items, list):
        items = []
        set_answer(data, path, items)
    items.append({})
    return len(items) - 1


# --------------------------------------------------------------------------- conditions


def _members(d: Data) -> list[Mapping[str, Any]]:
    members = d.get("members")
    return [m for m in members if isinstance(m, Mapping)] if isinstance(members, list) else []


def _voting_ids(d: Data) -> list[str]:
    return [m["id"] for m in _members(d) if m.get("id") and m.get("class", "voting") == "voting"]


@functools.cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, Any, type[BaseModel] | None, bool], ...]:
    """(key, FieldInfo, nested model or None, whether a list of it) for each field of `model`."""
    out = []
    for name, info in model.model_fields.items():
        ann = _strip(info.annotation)
        many = get_origin(ann) is list
        inner = _strip(get_args(ann)[0]) if many else ann
        nested = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
        out.append((info.alias or name, info, nested, many))
    return tuple(out)


def _filled(value: Any, model: type[BaseModel]) -> dict[str, Any]:
    """`value` with every unanswered key of `model` read as its default (None when none).

    Conditions see answers as the validator will: an unanswered `governance.vehicle` is a
    partnership board, an unanswered member class is voting.
    """
    given = value if isinstance(value, Mapping) else {}
    out: dict[str, Any] = {k: v for k, v in given.items() if isinstance(k, str)}
    for key, info, nested, many in _fields(model):
        if key in given:
            v = given[key]
            if nested is not None and many:
                out[key] = [_filled(x, nested) for x in v] if isinstance(v, list) else []
            elif nested is not None:
                out[key] = _filled(v, nested)
            continue
        if nested is not None:
            out[key] = [] if many else _filled({}, nested)
        elif info.is_required():
            out[key] = None
        else:
            default = info.get_default(call_default_factory=True)
            out[key] = list(default) if isinstance(default, list) else default
    return out


class _Context:
    """What conditions see for one set of answers, built once per walk.

    `_Context.of(data)` reuses the context of answers seen a moment ago (the same text),
    so that drawing a page does not evaluate the same conditions again for every question.
    """

    _recent: OrderedDict[str, _Context] = OrderedDict()

    @classmethod
    def of(cls, data: Data) -> _Context:
        key = json.dumps(data, sort_keys=True, default=str)
        found = cls._recent.get(key)
        if found is None:
            found = cls._recent[key] = cls(copy.deepcopy(dict(data)))
            while len(cls._recent) > 64:
                cls._recent.popitem(last=False)
        else:
            cls._recent.move_to_end(key)
        return found

    def __init__(self, data: Data) -> None:
        self.data = data
        self.answers = _filled(data, Answers)
        self.base = {
            **self.answers,
            "member_kinds": [m.get("kind") for m in self.answers["members"]],
            "voting_ids": _voting_ids(data),
            "member": {},
            "terms": _filled({}, SubContractTerms),
        }
        self._cache: dict[tuple[str, int], bool] = {}
        self.instances: list[Question] | None = None
        self.applicable: list[Question] | None = None

    def member_view(self, index: int | None) -> Mapping[str, Any]:
        members = self.answers["members"]
        return members[index] if index is not None and index < len(members) else {}

    def terms_view(self, index: int | None) -> Mapping[str, Any]:
        """The sub-contract terms of the member at `index`, unanswered keys as defaults."""
        mid = self.member_view(index).get("id")
        terms = self.answers.get("sub_contract_terms")
        given = terms.get(mid) if isinstance(terms, Mapping) and isinstance(mid, str) else None
        return _filled(given, SubContractTerms)

    def holds(self, names: Sequence[str], member_index: int | None) -> bool:
        for name in names:
            key = (name, -1 if member_index is None else member_index)
            result = self._cache.get(key)
            if result is None:
                spec = BOOK.conditions[name]
                context = self.base
                if member_index is not None:
                    context = {**self.base, "member": self.member_view(member_index),
                               "terms": self.terms_view(member_index)}
                try:
                    result = evaluate(spec.test, context, file="conditions.yaml")
                except LibraryError:
                    result = False  # answers of the wrong shape (a hand-edited file)
                self._cache[key] = result
            if not result:
                return False
        return True


def _when_text(names: Sequence[str]) -> str:
    return " and ".join(BOOK.conditions[n].text for n in names)


# --------------------------------------------------------------------------- reading the models


def _model_field(key: str) -> tuple[Any, Any, bool]:
    """The pydantic FieldInfo for a template key, the annotation of one value, and whether
    the answer sits inside an optional group of answers (a contract manager: `Person | None`).

    ``*`` stands for a member id in a map by member (``governance.weights.*``,
    ``sub_contract_terms.*.payment_basis``); ``[]`` for an entry of a list.
    """
    model: Any = Answers
    info: Any = None
    ann: Any = None
    optional = False
    parts = key.replace("[]", "").split(".")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "*":
            ann = get_args(_strip_optional(info.annotation))[1]
            if last:
                return info, ann, optional
            model = _inner_model(ann)
            continue
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        info = fields[part]
        ann = info.annotation
        if not last and parts[i + 1] != "*":
            optional = optional or _allows_none(info.annotation)
            model = _inner_model(info.annotation)
    return info, ann, optional


def _strip_optional(ann: Any) -> Any:
    if get_origin(ann) in (Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return ann


def _strip(ann: Any) -> Any:
    ann = _strip_optional(ann)
    while get_origin(ann) is Annotated:
        ann = get_args(ann)[0]
    return _strip_optional(ann)


def _inner_model(ann: Any) -> type[BaseModel]:
    ann = _strip(ann)
    if get_origin(ann) is list:
        ann = _strip(get_args(ann)[0])
    assert isinstance(ann, type) and issubclass(ann, BaseModel), ann
    return ann


def _kind_of(ann: Any) -> tuple[Kind, tuple[str, ...]]:
    ann = _strip(ann)
    origin = get_origin(ann)
    if origin is Literal:
        return "choice", tuple(get_args(ann))
    if origin is list:
        item = _strip(get_args(ann)[0])
        if get_origin(item) is Literal:
            return "multi", tuple(get_args(item))
        return "list", ()
    if ann is bool:
        return "bool", ()
    if ann is int:
        return "int", ()
    if ann is float:
        return "number", ()
    if ann is dt.date:
        return "date", ()
    return "text", ()


def _bounds(info: Any, ann: Any) -> tuple[float | None, float | None]:
    """Lower and upper bounds from the field's constraints, wherever pydantic keeps them."""
    low: float | None = None
    high: float | None = None
    pending_meta: list[Any] = list(getattr(info, "metadata", []) or [])
    stack = [ann]
    while stack:
        a = stack.pop()
        if get_origin(a) is Annotated:
            args = get_args(a)
            stack.append(args[0])
            for meta in args[1:]:
                pending_meta.extend(getattr(meta, "metadata", []) or [meta])
        elif get_origin(a) in (Union, types.UnionType):
            stack.extend(get_args(a))
    for meta in pending_meta:
        for name in ("ge", "gt"):
            if getattr(meta, name, None) is not None:
                low = getattr(meta, name)
        for name in ("le", "lt"):
            if getattr(meta, name, None) is not None:
                high = getattr(meta, name)
    return low, high


# --------------------------------------------------------------------------- Question

Check = Callable[["Question", Any, Data], "str | None"]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass(frozen=True)
class Question:
    """One question, concrete (``members[1].kind``) or as a template (``members[].kind``)."""

    path: str
    key: str
    section: str
    title: str
    name: str
    hint: str
    details: str
    kind: Kind
    choices: tuple[tuple[str, str], ...]
    default: Any
    required: bool
    condition: str
    minimum: float | None = None
    maximum: float | None = None
    member_index: int | None = None
    entry: str | None = None
    missing: str = ""
    nullable: bool = True
    minimum_entries: int = 0
    heading: str = ""
    """Above each member's block of questions (``The sub-contract of {member}``), or ""."""
    item: str = ""
    """For a group: what one entry is called ("service"), as in "Service 2"."""
    items: str = ""
    """For a group: the list's heading ("Services")."""
    in_optional_group: bool = False
    """Inside an optional group of answers (a contract manager): left blank, the group is
    left out (see `put_answer`)."""
    model_default: Any = field(default=NO_DEFAULT, repr=False, compare=False)
    """The answers file's own default for this key (NO_DEFAULT when the key is required):
    what a blank answer inside a group already holding other answers stands for."""
    when: tuple[str, ...] = field(default=(), repr=False, compare=False)
    open: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    each: str | None = field(default=None, repr=False, compare=False)
    extra_check: Check | None = field(default=None, repr=False, compare=False)
    adapter: Any = field(default=None, repr=False, compare=False)

    @property
    def help(self) -> str:
        """All the help: the hint, then the details."""
        return " ".join(t for t in (self.hint, self.details) if t)

    # -- context

    def member(self, data: Data) -> Mapping[str, Any]:
        """The member this question is about ({} for other questions)."""
        members = _members(data)
        if self.member_index is None or self.member_index >= len(members):
            return {}
        return members[self.member_index]

    def for_member(self, index: int) -> Question:
        """This member question (template ``members[].x``) for the member at `index`."""
        return replace(self, path=self.key.replace("[]", f"[{index}]", 1), member_index=index,
                       entry=f"members[{index}]")

    def applies(self, data: Data, context: _Context | None = None) -> bool:
        """Whether the question is asked, given the answers so far."""
        if not self.when:
            return True
        return (context or _Context.of(data)).holds(self.when, self.member_index)

    def choices_for(self, data: Data, context: _Context | None = None) -> list[tuple[str, str]]:
        """The choices open given the answers so far (all of them when nothing restricts)."""
        if self.key == "lead_provider":
            return [
                (str(m["id"]), str(m.get("name") or m["id"]))
                for m in _members(data)
                if m.get("id") and m.get("kind") in NHS_KINDS
            ]
        if not self.open:
            return list(self.choices)
        ctx = context or _Context.of(data)
        return [
            (v, label) for v, label in self.choices
            if v not in self.open or ctx.holds(self.open[v], self.member_index)
        ]

    def default_for(self, data: Data) -> Any:
        """The default offered given the answers so far: `NO_DEFAULT` when the model's default
        is not open here (an information barrier of none with an independent provider).

        In an optional group already started (a head contract with its commissioner) the
        answers file's own default is offered (not a considerable change): a blank there no
        longer means leaving the group out."""
        if self.default is NO_DEFAULT:
            return NO_DEFAULT
        default = self.default
        if default is None and self.model_default is not NO_DEFAULT and _beside(self, data):
            default = self.model_default
        try:
            return self.validate(_copy(default), data)
        except AnswersError:
            return NO_DEFAULT

    # -- messages

    def message(self, kind: str) -> str:
        """A message for a person, GOV.UK style, made from the question's `name`."""
        name = self.name
        if kind == "missing":
            if self.missing:
                return self.missing
            verb = "Select" if self.kind in ("choice", "multi", "bool", "group") else "Enter"
            return f"{verb} {name}"
        low, high = _number(self.minimum), _number(self.maximum)
        if kind == "range":
            if low and high:
                return f"{_sentence(name)} must be between {low} and {high}"
            return f"{_sentence(name)} must be {f'{low} or more' if low else f'{high} or less'}"
        texts = {
            "whole": f"{_sentence(name)} must be a whole number",
            "number": f"{_sentence(name)} must be a number",
            "date": f"{_sentence(name)} must be a real date",
            "yesno": "Answer y (yes) or n (no)",
            "choice": f"Select {name} from the choices offered",
            "pattern": (
                f"{_sentence(name)} must use only lower-case letters, digits and hyphens, "
                "and start with a letter"
            ),
            "long": f"{_sentence(name)} must be 20,000 characters or fewer",
        }
        return texts[kind]

    def _fail(self, message: str) -> AnswersError:
        return AnswersError([Problem("answer", self.path, message)])

    # -- answers

    def validate(self, value: Any, data: Data) -> Any:
        """Check one answer against the model and the answers so far; return it as stored.

        None means "left blank": accepted only where the answers file may leave it out and no
        rule needs it; a question whose answer has a default takes the default, if that is
        open here. Raises `AnswersError` (one `Problem` naming this path) for a person.
        """
        if self.kind == "group":
            if value is False:
                need = self.entries_needed(data)
                if need:
                    raise self._fail(need)
            return bool(value)
        if value is None:
            if self.required or (self.model_default is NO_DEFAULT and _beside(self, data)):
                # a needed answer of a group already started cannot leave the group out
                raise self._fail(self.message("missing"))
            if self.nullable:
                return None
            default = self.default_for(data)
            if default is NO_DEFAULT:
                raise self._fail(self.message("missing"))
            return default
        if self.kind in ("choice", "multi"):
            open_values = [v for v, _ in self.choices_for(data)]
            if self.kind == "multi" and not isinstance(value, list):
                raise self._fail(self.message("choice"))
            chosen = value if self.kind == "multi" else [value]
            if self.kind == "multi" and not chosen and self.required:
                raise self._fail(self.message("missing"))
            for v in chosen:
                if v not in open_values:
                    raise self._fail(self._not_open(v))
        if self.adapter is not None:
            try:
                checked = self.adapter.validate_python(value)
            except ValidationError as exc:
                raise self._fail(self._friendly(exc)) from None
            if isinstance(checked, dt.date):
                value = checked.isoformat()
            elif self.kind == "number" and isinstance(value, bool):
                raise self._fail(self.message("number"))
            elif self.kind == "number" and not isinstance(value, (int, float)):
                value = checked
        if self.kind in ("int", "number") and isinstance(value, (int, float)) and (
            (self.maximum is not None and value > self.maximum)
            or (self.minimum is not None and value < self.minimum)
        ):
            raise self._fail(self.message("range"))
        if self.extra_check is not None:
            message = self.extra_check(self, value, data)
            if message:
                raise self._fail(message)
        return value

    def _not_open(self, value: Any) -> str:
        label = dict(self.choices).get(str(value))
        when = self.open.get(str(value))
        if label and when:
            return f"“{label}” is only possible {_when_text(when)}: select another answer"
        return self.message("choice")

    def _friendly(self, exc: ValidationError) -> str:
        err = exc.errors(include_url=False)[0]
        kind = err["type"]
        if kind == "string_pattern_mismatch":
            return self.message("pattern")
        if kind.startswith("date") or kind == "date_type":
            return self.message("date")
        if kind == "value_error":
            return _sentence(str(err.get("ctx", {}).get("error", err["msg"])))
        if kind == "too_short":
            return self.message("missing")
        if kind == "string_too_long":
            return self.message("long")
        if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            return self.message("range")
        if kind in ("int_parsing", "int_from_float", "int_type"):
            return self.message("whole")
        if kind in ("float_parsing", "float_type"):
            return self.message("number")
        if kind in ("bool_parsing", "bool_type"):
            return self.message("yesno")
        return self.message("missing")

    def parse(self, text: str, data: Data) -> Any:
        """Turn what a person typed into an answer (then `validate` it).

        Empty text means the default (or "leave blank" for an optional question). Choices
        are given by number or by name; several choices separated by commas (``none`` for
        none of them, where that is allowed); list items one per line; yes/no as y or n.
        """
        text = text.strip()
        if not text:
            default = self.default_for(data)
            return self.validate(None if default is NO_DEFAULT else default, data)
        if text == "-" and not self.required and self.kind != "group":
            return self.validate(None, data)
        if self.kind == "multi" and text.lower() == "none" and not self.required:
            return self.validate([], data)  # none of them (blank would mean the usual ones)
        if self.kind in ("bool", "group"):
            low = text.lower()
            if low in ("y", "yes", "true"):
                return self.validate(True, data)
            if low in ("n", "no", "false"):
                return self.validate(False, data)
            raise self._fail(self.message("yesno"))
        if self.kind == "choice":
            return self.validate(self._pick(text, data), data)
        if self.kind == "multi":
            items = [t.strip() for t in re.split(r"[,\n]", text) if t.strip()]
            return self.validate([self._pick(t, data) for t in items], data)
        if self.kind == "list":
            return self.validate([t.strip() for t in text.split("\n") if t.strip()], data)
        if self.kind == "int":
            try:
                return self.validate(int(text.replace(",", "")), data)
            except ValueError:
                raise self._fail(self.message("whole")) from None
        if self.kind == "number":
            cleaned = text.replace(",", "").replace("£", "").rstrip("%").strip()
            try:
                number = float(cleaned)
            except ValueError:
                raise self._fail(self.message("number")) from None
            return self.validate(int(number) if number.is_integer() else number, data)
        if self.kind == "date":
            return self.validate(_parse_date(text), data)
        return self.validate(text, data)

    def _pick(self, text: str, data: Data) -> str:
        options = self.choices_for(data)
        if text.isdigit():
            n = int(text)
            if 1 <= n <= len(options):
                return options[n - 1][0]
            raise self._fail(f"Enter a number from 1 to {len(options)}")
        values = [v for v, _ in options]
        if text in values:
            return text
        lowered = text.lower().replace(" ", "_").replace("-", "_")
        matches = [v for v in values if v.lower() == lowered]
        if not matches:
            matches = [v for v in values if v.lower().startswith(lowered)]
        if not matches:
            matches = [v for v, label in options if label.lower().startswith(text.lower())]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            return_labels = "; ".join(dict(options)[m] for m in matches)
            raise self._fail(f"“{text}” could be any of: {return_labels}. Type its number")
        if text in dict(self.choices):
            raise self._fail(self._not_open(text))
        raise self._fail(f"Type the number of one of the choices, from 1 to {len(options)}")

    def is_open(self, value: str, data: Data) -> bool:
        """Whether choice `value` is offered, given the answers so far."""
        when = self.open.get(value)
        return when is None or _Context.of(data).holds(when, self.member_index)

    def choice_condition(self, value: str) -> str:
        """When a choice is open, in plain words ("" when always)."""
        when = self.open.get(value)
        return _when_text(when) if when else ""

    def entries_needed(self, data: Data) -> str | None:
        """Why a group needs another entry ("" or None when it has enough)."""
        if self.key == "members":
            return _members_needed(data)
        items = get_answer(data, self.path)
        count = len(items) if isinstance(items, list) else 0
        if count < self.minimum_entries:
            if self.missing:
                return self.missing
            return f"Add at least {self.minimum_entries} {self.item or 'entry'}"
        return None


_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),  # 2027-04-01
    re.compile(r"^(\d{1,2})[/. ](\d{1,2})[/. ](\d{4})$"),  # 1/4/2027, 1 4 2027 (day first)
)


def _parse_date(text: str) -> str:
    """A date typed as YYYY-MM-DD or day/month/year, as ``YYYY-MM-DD`` (checked later)."""
    text = text.strip()
    first = _DATE_FORMS[0].match(text)
    if first:
        y, m, d = first.groups()
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    second = _DATE_FORMS[1].match(text)
    if second:
        d, m, y = second.groups()
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    return text


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _members_needed(data: Data) -> str | None:
    members = _members(data)
    nhs = sum(1 for m in members if m.get("kind") in NHS_KINDS)
    if len(members) < 2:
        return "A collaborative needs at least two members: add another"
    if nhs < 2:
        return (
            "A provider collaborative needs at least two NHS trusts or foundation trusts "
            f"(so far {nhs}): add another"
        )
    return None


# --------------------------------------------------------------------------- checks


def _unique_id(q: Question, value: Any, data: Data) -> str | None:
    mine = q.member(data)
    others = [m.get("id") for m in _members(data) if m is not mine]
    if value in others:
        return (f"Another member already has the short reference ‘{value}’: "
                "choose a different one")
    return None


def _after_start(q: Question, value: Any, data: Data) -> str | None:
    start = get_answer(data, "head_contract.start")
    if start and str(value) <= str(start):
        return f"The head contract's end date must be after its start date ({_show_date(start)})"
    commencement = get_answer(data, "collaborative.commencement_date")
    if commencement and str(value) <= str(commencement):
        return (
            "The head contract's end date must be after the agreement starts "
            f"({_show_date(commencement)})"
        )
    return None


def _show_date(value: Any) -> str:
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"


def _before_commencement(q: Question, value: Any, data: Data) -> str | None:
    """An MOU followed by an agreement starts before the agreement does (rule R24)."""
    start = get_answer(data, "collaborative.commencement_date")
    if start and str(value) >= str(start):
        return ("The memorandum must start before the collaboration agreement starts "
                f"({_show_date(start)})")
    return None


def _special_majority(q: Question, value: Any, data: Data) -> str | None:
    return None if value > 50 else "The special majority must be more than 50%"


def _fee_value(q: Question, value: Any, data: Data) -> str | None:
    if get_answer(data, "commissioning.management_fee.kind") == "percent" and value > 100:
        return "A percentage fee must be between 0 and 100"
    return None


def _at_least_one(q: Question, value: Any, data: Data) -> str | None:
    return None if value else q.message("missing")


def _tiers(q: Question, value: Any, data: Data) -> str | None:
    if len(set(value)) != len(value):
        return "Each step can be chosen only once"
    if "courts" in value and value[-1] != "courts":
        return "The courts must be the last step"
    return None


def _weights_total(q: Question, value: Any, data: Data) -> str | None:
    """A weight is checked against the running total of the weights asked before it."""
    voters = _voting_ids(data)
    mine = q.path.rsplit(".", 1)[1]
    if mine not in voters:
        return None
    weights = get_answer(data, "governance.weights")
    weights = weights if isinstance(weights, Mapping) else {}
    before = voters[: voters.index(mine)]
    known = [float(weights[v]) for v in before if isinstance(weights.get(v), (int, float))]
    total = sum(known) + float(value)
    last = voters.index(mine) == len(voters) - 1
    if total > 100.005:
        room = 100 - sum(known)
        hint = f": this one can be at most {room:g}" if room >= 0 else ""
        return f"The weights add up to {total:g}. They must add up to 100{hint}"
    if last and len(known) == len(before) and abs(total - 100) > 0.005:
        return (
            f"The weights add up to {total:g}. They must add up to 100: "
            f"this one would need to be {100 - sum(known):g}"
        )
    return None


def _term_end(data: Data) -> str | None:
    """The last day of a fixed term (``YYYY-MM-DD``), or None when the term is not fixed."""
    if get_answer(data, "collaborative.term.kind") != "fixed_years":
        return None
    start, years = get_answer(data, "collaborative.commencement_date"), \
        get_answer(data, "collaborative.term.years")
    try:
        day = dt.date.fromisoformat(str(start))
        years = int(years)
    except (TypeError, ValueError):
        return None
    try:
        anniversary = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        anniversary = day.replace(year=day.year + years, day=28)
    return (anniversary - dt.timedelta(days=1)).isoformat()


def _service_start(q: Question, value: Any, data: Data) -> str | None:
    """A partner starts within the head contract's term and before its sub-contract ends."""
    who = str(q.member(data).get("name") or "The partner")
    start, end = get_answer(data, "head_contract.start"), get_answer(data, "head_contract.end")
    if start and end and not str(start) <= str(value) <= str(end):
        return (f"{who} must start within the head contract's term, from "
                f"{_show_date(start)} to {_show_date(end)}")
    term_end = _term_end(data)
    if term_end and str(value) > term_end:
        return f"{who} must start before its sub-contract ends on {_show_date(term_end)}"
    return None


CHECKS: dict[str, Check] = {
    "unique_id": _unique_id,
    "after_start": _after_start,
    "before_commencement": _before_commencement,
    "special_majority": _special_majority,
    "fee_value": _fee_value,
    "at_least_one": _at_least_one,
    "tiers": _tiers,
    "weights_total": _weights_total,
    "service_start": _service_start,
}
"""The checks a question file may name: each needs earlier answers, so it is code."""


def _build(spec: QuestionSpec, section: str) -> Question:
    common = dict(
        path=spec.key, key=spec.key, section=section, title=spec.title, name=spec.name,
        hint=spec.hint, details=spec.details, missing=spec.missing or "",
        condition=_when_text(spec.when), when=spec.when, open=dict(spec.open), each=spec.each,
        minimum_entries=spec.min, heading=spec.heading, item=spec.item, items=spec.items,
    )
    if spec.check and spec.check not in CHECKS:
        raise LibraryError(f"{spec.key}: there is no check called {spec.check!r}",
                           file=spec.file, line=spec.line)
    try:
        info, ann, in_optional = _model_field(spec.key)
    except (KeyError, AttributeError, AssertionError, IndexError, TypeError):
        raise LibraryError(f"{spec.key!r} is not a key of the answers file",
                           file=spec.file, line=spec.line) from None
    if spec.kind == "group":
        if get_origin(_strip(ann)) is not list:
            raise LibraryError(f"{spec.key}: a group question is for a list of entries",
                               file=spec.file, line=spec.line)
        return Question(kind="group", choices=(), default=NO_DEFAULT, required=True,
                        nullable=False, **common)  # type: ignore[arg-type]
    kind, values = _kind_of(ann)
    if spec.kind:
        kind = spec.kind
    unknown = set(spec.choices) - set(values)
    missing_labels = [v for v in values if v not in spec.choices]
    if unknown or (missing_labels and spec.key != "lead_provider"):
        raise LibraryError(
            f"{spec.key}: choices must label exactly {', '.join(values)}"
            + (f" (unknown: {', '.join(sorted(unknown))})" if unknown else "")
            + (f" (no label: {', '.join(missing_labels)})" if missing_labels else ""),
            file=spec.file, line=spec.line,
        )
    choices = tuple((v, spec.choices[v]) for v in values)
    if spec.key.endswith(".*"):
        required, default, nullable = True, NO_DEFAULT, False
        adapter: TypeAdapter[Any] = TypeAdapter(Annotated[float, Field(ge=0, le=100)])
        low: float | None = 0.0
        high: float | None = 100.0
    else:
        nullable = _allows_none(info.annotation) or in_optional
        if spec.required is not None:
            required = spec.required
        else:
            required = info.is_required() and not nullable
        if in_optional:
            default = None
        else:
            default = (NO_DEFAULT if info.is_required()
                       else info.get_default(call_default_factory=True))
        if default is None and (spec.required or not nullable):
            default = NO_DEFAULT
        if isinstance(default, dt.date):
            default = default.isoformat()
        if spec.key in _NONE_MEANS:
            default = list(_NONE_MEANS[spec.key])  # what None means, shown to the reader
        adapter = TypeAdapter(Annotated[ann, *info.metadata] if info.metadata else ann)
        low, high = _bounds(info, ann)
    model_default: Any = NO_DEFAULT
    if in_optional and not info.is_required():
        model_default = info.get_default(call_default_factory=True)
    if spec.max is not None:
        high = spec.max if high is None else min(high, spec.max)
    return Question(
        kind=kind, choices=choices, default=default, required=required, nullable=nullable,
        minimum=low, maximum=high, extra_check=CHECKS[spec.check] if spec.check else None,
        adapter=adapter, in_optional_group=in_optional, model_default=model_default,
        **common,  # type: ignore[arg-type]
    )


_NONE_MEANS: dict[str, tuple[str, ...]] = {
    "governance.reserved_matters": STANDARD_RESERVED_MATTERS,
    "governance.delegated_matters": STANDARD_DELEGATED_MATTERS,
}
"""Lists the answers file may leave out to mean a standard list: the questionnaire offers
that list, ticked, so a person sees what leaving them alone means."""


def _allows_none(ann: Any) -> bool:
    return get_origin(ann) in (Union, types.UnionType) and type(None) in get_args(ann)


QUESTIONS: tuple[Question, ...] = tuple(
    _build(spec, section.letter) for section in BOOK.sections for spec in section.questions
)
"""Every question template, in asking order."""

_BY_KEY = {q.key: q for q in QUESTIONS}


# --------------------------------------------------------------------------- walking


def _member_title(q: Question, member: Mapping[str, Any], fallback: str) -> Question:
    name = str(member.get("name") or member.get("id") or fallback)
    return replace(q, **{f: getattr(q, f).replace("{member}", name)
                         for f in ("title", "name", "missing", "hint", "heading")})


def _instances(data: Data, context: _Context | None = None) -> Iterator[Question]:
    """Every concrete question for `data`, whether or not it applies, in order.

    A template inside a list (``members[].x``) is asked once per entry, before the group
    question that asks for another entry; a ``*`` template once per member its `each`
    condition picks (``governance.weights.*`` for each voting member), and the templates
    of one per-member block member by member.
    """
    ctx = context or _Context.of(data)
    if ctx.instances is None:
        ctx.instances = list(_walk(data, ctx))
    return iter(ctx.instances)


def _block_of(key: str) -> str:
    """The per-member block a template belongs to (``sub_contract_terms.*``), or ""."""
    head, star, _ = key.partition("*")
    return head + star if star else ""


def _walk(data: Data, ctx: _Context) -> Iterator[Question]:
    templates = [q for q in QUESTIONS if "[]" not in q.key]  # list entries: with their group
    i = 0
    while i < len(templates):
        block = _block_of(templates[i].key)
        if not block:
            q = templates[i]
            if q.kind == "group":
                yield from _group(q, q.key, None, data, ctx)
            else:
                yield q
            i += 1
            continue
        j = i
        while j < len(templates) and _block_of(templates[j].key) == block:
            j += 1
        expanded = [_expand(t, data, ctx) for t in templates[i:j]]
        for member in range(len(_members(data))):
            for t, paths in zip(templates[i:j], expanded, strict=True):
                for path, index in paths:
                    if index != member:
                        continue
                    if t.kind == "group":
                        yield from _group(t, path, index, data, ctx)
                    else:
                        yield _concrete(t, path, index, None, data)
        i = j


def _expand(q: Question, data: Data, ctx: _Context) -> list[tuple[str, int | None]]:
    """The concrete paths of `q`'s key: one per member its `each` picks for a ``*``."""
    if "*" not in q.key:
        return [(q.key, None)]
    head, _, tail = q.key.partition("*")
    out: list[tuple[str, int | None]] = []
    for index, member in enumerate(_members(data)):
        mid = member.get("id")
        if mid and (not q.each or ctx.holds((q.each,), index)):
            out.append((f"{head}{mid}{tail}", index))
    return out


_PLACEHOLDERS = ("title", "name", "missing", "hint", "heading")


def _concrete(q: Question, path: str, member: int | None, entry: str | None,
              data: Data) -> Question:
    concrete = replace(q, path=path, member_index=member, entry=entry)
    if any("{member}" in getattr(q, f) for f in _PLACEHOLDERS):
        members = _members(data)
        who = members[member] if member is not None and member < len(members) else {}
        concrete = _member_title(concrete, who, path.rsplit(".", 1)[-1])
    return concrete


def _group(g: Question, path: str, member: int | None, data: Data,
           ctx: _Context) -> Iterator[Question]:
    """The questions of every entry of the list at `path`, then "Add another?" for it.

    Entries nest: a template inside an entry may itself be a group (a list inside each
    entry), walked the same way.
    """
    items = get_answer(data, path)
    prefix = g.key + "[]."
    direct = [t for t in QUESTIONS if t.key.startswith(prefix) and "[]" not in t.key[len(prefix):]]
    for i, _ in enumerate(items if isinstance(items, list) else []):
        entry = f"{path}[{i}]"
        owner = i if g.key == "members" else member
        for t in direct:
            concrete_path = entry + t.key[len(g.key) + 2:]
            if t.kind == "group":
                yield from _group(t, concrete_path, owner, data, ctx)
            else:
                yield _concrete(t, concrete_path, owner, entry, data)
    ask = _concrete(g, path, member, None, data) if path != g.key or member is not None else g
    yield _another(ask) if isinstance(items, list) and items else ask


def _another(group: Question) -> Question:
    """ "Add a key performance indicator?" becomes "Add another ..." once the list has one."""
    for lead in ("Add a ", "Add an "):
        if group.title.startswith(lead):
            return replace(group, title="Add another " + group.title[len(lead):])
    return group


def questions_for(data: Data) -> Iterator[Question]:
    """The concrete questions that apply to the answers so far, in asking order."""
    ctx = _Context.of(data)
    if ctx.applicable is None:
        ctx.applicable = [q for q in _instances(data, ctx) if q.applies(data, ctx)]
    return iter(ctx.applicable)


def block_of(question: Question) -> str:
    """The per-member block with a heading that `question` is in, as an answer path
    (``sub_contract_terms.cntw``), or "" (a member's own answers, a weight, the rest)."""
    block = _block_of(question.key)
    if not block or block not in _HEADED_BLOCKS:
        return ""
    head = block.removesuffix("*")
    mid = question.path[len(head):].split(".", 1)[0].split("[", 1)[0]
    return head + mid


def _group_closed(data: Data, questions: Sequence[Question], index: int) -> bool:
    """Whether the person has moved past a list: an answer after it.

    Inside a partner's block only the block's own later answers count (an explicit "none"
    for a contract manager among them): a block that appears after the rest was answered
    (sub-contracts chosen later, a new partner, a file resumed without the partner's terms)
    still asks "Add another service?" and its key performance indicators.
    """
    group = questions[index]
    if group.entries_needed(data):
        return False
    later = questions[index + 1:]
    block = block_of(group)
    if block:
        later = [q for q in later if q.path.startswith(block + ".")]
        return any(q.kind != "group" and (has_answer(data, q.path) or _left_out(data, q))
                   for q in later)
    return any(q.kind != "group" and has_answer(data, q.path) for q in later)


def pending(data: Data, closed_groups: Sequence[str] = ()) -> list[Question]:
    """The applicable questions not yet answered, in asking order.

    `closed_groups` names questions not to ask again: groups answered "no more", and
    optional questions deliberately left out.
    """
    qs = list(questions_for(data))
    out: list[Question] = []
    for i, q in enumerate(qs):
        if q.kind == "group":
            if q.path not in closed_groups and not _group_closed(data, qs, i):
                out.append(q)
        elif not has_answer(data, q.path) and q.path not in closed_groups \
                and not _left_out(data, q):
            out.append(q)
    return out


def _left_out(data: Data, q: Question) -> bool:
    """True when `q` belongs to an optional group of answers deliberately left out (null)."""
    if not q.in_optional_group:
        return False
    parent = q.path.rsplit(".", 1)[0]
    return has_answer(data, parent) and get_answer(data, parent) is None


def _beside(q: Question, data: Data) -> bool:
    """True when `q` sits in an optional group of answers that holds other answers."""
    if not q.in_optional_group:
        return False
    parent, key = q.path.rsplit(".", 1)
    group = get_answer(data, parent) if has_answer(data, parent) else None
    return isinstance(group, dict) and any(k != key for k in group)


def put_answer(data: dict[str, Any], question: Question, value: Any) -> None:
    """Store `question`'s validated answer in `data`.

    A blank answer to the first question of an optional group of answers (no contract
    manager named) leaves the whole group out (``contract_manager: null``), which the answers
    file allows where a group with a blank name would be refused; the group's questions are
    then not asked. Once the group holds other answers (a head contract's commissioner and
    dates), a blank answer stands for the key's own default (not a considerable change) and
    never throws away the answers beside it; `validate` refuses a blank where the key has no
    default (the head contract's end date).
    """
    if value is None and question.in_optional_group:
        if not _beside(question, data):
            set_answer(data, question.path.rsplit(".", 1)[0], None)
        elif question.model_default is not NO_DEFAULT:
            set_answer(data, question.path, question.model_default)
        else:
            delete_answer(data, question.path)  # a needed answer: asked again
    else:
        set_answer(data, question.path, value)


def prune(data: dict[str, Any]) -> list[str]:
    """Remove answers that no longer apply, or whose choice is closed; return their paths.

    A member's entry in a map by member (its weight, its sub-contract terms) goes whole when
    none of its questions applies any more: the member was removed, became the lead
    provider or an observer, or the sub-contracts were taken out of the documents.
    """
    removed: list[str] = []
    changed = True
    while changed:
        changed = False
        ctx = _Context.of(data)
        instances = list(_instances(data, ctx))
        for prefix in _STARRED:
            keyed = get_answer(data, prefix)
            if not isinstance(keyed, dict):
                continue
            live = {
                q.path[len(prefix) + 1:].split(".")[0].split("[")[0]
                for q in instances
                if q.key.startswith(prefix + ".*") and q.applies(data, ctx)
            }
            for mid in [k for k in keyed if k not in live]:
                delete_answer(data, f"{prefix}.{mid}")
                removed.append(f"{prefix}.{mid}")
                changed = True
        if changed:
            continue  # the answers changed: conditions are read again
        for q in instances:
            if not has_answer(data, q.path):
                continue
            value = get_answer(data, q.path)
            stale = not q.applies(data, ctx)
            if q.kind == "group":
                pass  # a list that no longer applies goes whole
            elif not stale and q.kind in ("choice", "multi") and value is not None:
                open_values = {v for v, _ in q.choices_for(data, ctx)}
                chosen = value if isinstance(value, list) else [value]
                stale = any(not isinstance(v, str) or v not in open_values for v in chosen)
            if stale:
                delete_answer(data, q.path)
                removed.append(q.path)
                changed = True
                break  # the answers changed: conditions are read again
    return removed


def questions_at(data: Data, path: str) -> list[Question]:
    """The applicable questions answering `path` or lying under it; else its nearest parent's."""
    qs = list(questions_for(data))
    probe = path
    while probe:
        found = [q for q in qs if q.path == probe or q.path.startswith((probe + ".", probe + "["))]
        if found:
            if probe == "members" and not path.startswith("members["):
                return [q for q in found if q.kind == "group"]
            return found
        parent = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", probe)
        probe = parent if parent != probe else ""  # a top-level key has no parent
    return []


def position(question: Question, data: Data) -> tuple[int, int, int, int]:
    """(section number, number of sections, question number, questions so far in all).

    The question number counts every applicable question before it, in asking order, so it
    stays the same while later questions are answered; `change N` in the terminal uses it.
    """
    letters = [s.letter for s in SECTIONS]
    numbered = [q.path for q in questions_for(data) if q.kind != "group"]
    number = numbered.index(question.path) + 1 if question.path in numbered else len(numbered) + 1
    return letters.index(question.section) + 1, len(letters), number, max(len(numbered), number)


# --------------------------------------------------------------------------- reading paths


def template_of(path: str) -> tuple[str, str | None]:
    """The template key of a concrete path, and the member id it is keyed by (or None).

    ``sub_contract_terms.tewv.services[1].name`` -> (``sub_contract_terms.*.services[].name``,
    ``tewv``); ``members[2].kind`` -> (``members[].kind``, None).
    """
    key = re.sub(r"\[\d+\]", "[]", path)
    for prefix in _STARRED:
        if key.startswith(prefix + "."):
            mid, dot, tail = key[len(prefix) + 1:].partition(".")
            return f"{prefix}.*{dot}{tail}", mid
    return key, None


def question_of(path: str) -> Question | None:
    """The template question of a concrete path, or None when no question answers it."""
    return _BY_KEY.get(template_of(path)[0])


def _name_of(data: Data, member_id: str | None, index: int | None = None) -> str:
    members = _members(data)
    member: Mapping[str, Any] = {}
    if index is not None and index < len(members):
        member = members[index]
    elif member_id is not None:
        member = next((m for m in members if m.get("id") == member_id), {})
    name = member.get("name") or member.get("id") or member_id
    return str(name) if name else ""


def entry_label(question: Question, data: Data) -> str:
    """Whose answer `question` is, for a message read away from it: ``Beta NHS Trust``,
    ``Gamma Healthcare Limited, service 2``; "" for a question about nobody in particular."""
    if question.member_index is None:
        return ""
    who = _name_of(data, None, question.member_index)
    if question.entry and question.entry.startswith("members["):
        return who or f"Member {question.member_index + 1}"
    if question.entry:
        at = re.search(r"\[(\d+)\]$", question.entry)
        group = question_of(question.entry[: at.start()]) if at else None
        if at and group is not None and group.item:
            return f"{who}, {group.item} {int(at.group(1)) + 1}" if who else \
                f"{_sentence(group.item)} {int(at.group(1)) + 1}"
    return who


def title_of(path: str, data: Data) -> str:
    """An answer named in words for a person, whatever its path: its question (with the
    member's name), the block it is (a partner's sub-contract), or the answers file's own
    title for a section that no single question asks."""
    heading = block_heading(path, data)
    if heading:
        return heading
    q = question_of(path)
    if q is not None:
        mid = template_of(path)[1]
        return q.title.replace("{member}", _name_of(data, mid) or str(mid or "the member"))
    info = Answers.model_fields.get(path.split(".")[0].split("[")[0])
    if info is not None and info.title and "." not in path and "[" not in path:
        return info.title
    return "an answer the questionnaire does not ask"


def block_heading(path: str, data: Data) -> str:
    """The heading of the per-member block at `path` (``sub_contract_terms.tewv``), with
    the member's name: "The sub-contract of Tees, Esk and Wear Valleys NHS Foundation
    Trust"; "" when `path` is not a block."""
    key, mid = template_of(path)
    if mid is None:
        return ""
    first = next((q for q in QUESTIONS if q.key.startswith(key + ".") and q.heading), None)
    if first is None:
        return ""
    return first.heading.replace("{member}", _name_of(data, mid) or str(mid))


# --------------------------------------------------------------------------- YAML


_TOP_SECTION = {
    "schema_version": "",
    "collaborative": "A",
    "documents": "A",
    "mou_binding": "A",
    "mou_commencement_date": "A",
    "members": "A",
    "lead_provider": "B",
    "head_contract": "B",
    "commissioning": "B",
    "sub_contract_terms": "B",
    "governance": "C",
    "finance": "D",
    "ip": "E",
    "membership": "F",
    "competition": "G",
    "data": "H",
    "disputes": "I",
    "clinical": "J",
}
"""Where each top-level key of the file sits (governance.model and vehicle are asked in A)."""


@functools.cache
def order_of(prefix: str) -> tuple[str, ...]:
    """Child keys of the section at template `prefix`, in asking order."""
    out: list[str] = []
    lead = prefix + "." if prefix else ""
    for q in QUESTIONS:
        if q.key.startswith(lead) and q.key != prefix:
            child = q.key[len(lead) :].split(".")[0].replace("[]", "")
            if child not in out:
                out.append(child)
    if not prefix:  # top-level sections in the order of the answers file, not of asking
        top = list(_TOP_SECTION)
        out = top + [k for k in out if k not in top]
    return tuple(out)


_SIMPLE = re.compile(r"^[a-z][a-z0-9_-]*$")
_STARRED = frozenset(q.key.split(".*")[0] for q in QUESTIONS if ".*" in q.key)
_HEADED_BLOCKS = frozenset(_block_of(q.key) for q in QUESTIONS if q.heading and "*" in q.key)
"""Template prefixes whose keys are member ids (``governance.weights``, ``sub_contract_terms``)."""
MEMBER_MAPS = _STARRED


def _scalar(value: Any, key: str) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    text = str(value)
    q = _BY_KEY.get(key)
    if q is not None and q.kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    return _text(text)


@functools.lru_cache(maxsize=8192)
def _text(text: str) -> str:
    """A string as YAML: plain when that reads back as the same string, else quoted."""
    # quoted when it has a line break, or looks like a number a reader might retype as one
    numeric = re.fullmatch(r"[-+0-9][-+0-9._:eE]*", text) is not None
    style = '"' if "\n" in text or "\r" in text else ("'" if numeric else None)
    dumped = yaml.safe_dump(text, default_style=style, allow_unicode=True, width=float("inf"))
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _comment(key: str, indent: str) -> list[str]:
    q = _BY_KEY.get(key)
    if q is None:
        return []
    if q.kind == "group":
        return [f"{indent}# {q.items}, one entry each"]
    line = f"{indent}# {q.title}"
    if q.kind in ("choice", "multi") and q.choices:
        line += " (" + " | ".join(v for v, _ in q.choices) + ")"
    if q.condition:
        line += f" [only {q.condition}]"
    return [line]


def _emit_map(
    node: Mapping[str, Any],
    prefix: str,
    indent: int,
    comments: bool,
    out: list[str],
    last_section: list[str],
) -> None:
    pad = " " * indent
    order = order_of(prefix)
    keys = [k for k in order if k in node] + [k for k in node if k not in order]
    for key in keys:
        value = node[key]
        tkey = f"{prefix}.{key}" if prefix else key
        if prefix in _STARRED:
            tkey = f"{prefix}.*"  # a map by member id: governance.weights, sub-contract terms
        letter = _TOP_SECTION.get(key, "") if indent == 0 else ""
        if comments and letter and letter != last_section[0]:
            s = SECTION_BY_LETTER[letter]
            out.append("")
            out.append(f"# ---- Section {s.letter}: {s.name} ----")
            last_section[0] = letter
        elif comments and indent == 0:
            out.append("")
        if comments:
            out.extend(_comment(tkey, pad))
        if isinstance(value, Mapping):
            if not value:
                out.append(f"{pad}{key}: {{}}")
            else:
                out.append(f"{pad}{key}:")
                _emit_map(value, tkey, indent + 2, comments, out, last_section)
        elif isinstance(value, list):
            _emit_list(key, value, tkey, indent, comments, out, last_section)
        else:
            out.append(f"{pad}{key}: {_scalar(value, tkey)}")


def _emit_list(
    key: str,
    value: list[Any],
    tkey: str,
    indent: int,
    comments: bool,
    out: list[str],
    last_section: list[str],
) -> None:
    pad = " " * indent
    if not value:
        out.append(f"{pad}{key}: []")
        return
    if all(isinstance(v, str) and _SIMPLE.match(v) for v in value):
        out.append(f"{pad}{key}: [{', '.join(value)}]")
        return
    out.append(f"{pad}{key}:")
    for i, item in enumerate(value):
        if isinstance(item, Mapping):
            if not item:
                out.append(f"{pad}  - {{}}")
                continue
            lines: list[str] = []
            # the questions as comments on the first member only: they are the same for all
            _emit_map(item, tkey + "[]", indent + 4, comments and not i, lines, last_section)
            first = next(j for j, line in enumerate(lines) if not line.lstrip().startswith("#"))
            lines[first] = f"{pad}  - " + lines[first][indent + 4 :]
            if comments and i:
                out.append("")
            out.extend(lines)
        else:
            out.append(f"{pad}  - {_scalar(item, tkey)}")


def to_yaml(data: Data, with_comments: bool = True) -> str:
    """The answers as a YAML file, keys in questionnaire order, questions as comments.

    Deterministic: the same answers give the same text. Free text is quoted where YAML
    needs it, so an answer can never change the file's structure.
    """
    body = dict(data)
    body.setdefault("schema_version", 1)
    out: list[str] = []
    if with_comments:
        name = get_answer(data, "collaborative.name") or "a provider collaborative"
        out.append(f"# Answers of {_one_line(str(name))}.")
        out.append("# Each answer follows its question; check the file with `drafting validate`.")
    _emit_map(body, "", 0, with_comments, out, [""])
    while out and out[0] == "" and not with_comments:
        out.pop(0)
    return "\n".join(line for line in _dedupe_blank(out)) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _dedupe_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    return out
