"""A page's questions bound to the answers so far, and a posted page folded back in.

`bind()` lists the questions a page asks for the answers as they stand, each with the
value to show and the problems to show beside it. `read_post()` reads a posted page in
question order (so a cross-field check sees the answers above it on the same page), then
`prune`s: an answer whose question no longer applies is removed, so a stale answer never
trips a rule. `locate()` finds the page and field a validator problem belongs to.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from drafting.errors import Problem
from drafting.questionnaire.questions import (
    NO_DEFAULT,
    Question,
    delete_answer,
    get_answer,
    has_answer,
    prune,
    questions_at,
    questions_for,
    set_answer,
)
from drafting.web.forms.pages import Page, page_of
from drafting.web.forms.paths import field_name, html_id
from drafting.web.forms.values import Blank, Refused, Widget, read, to_form, widget_of

__all__ = [
    "Bound",
    "BoundEntry",
    "BoundPage",
    "Placed",
    "Posted",
    "bind",
    "locate",
    "page_questions",
    "place",
    "read_post",
]


@dataclass
class Bound:
    """One question as shown: its field name, HTML id, widget, value and problems.

    `path` is the form field's name (a member named by its stable key); `answer` is the path
    of the answer in the answers data.
    """

    question: Question
    path: str
    id: str
    widget: Widget
    choices: list[tuple[str, str]]
    value: Any
    errors: list[str] = field(default_factory=list)
    owner: str = ""
    """Whose answer it is, for messages shown away from the field ("Beta NHS Trust")."""

    @property
    def answer(self) -> str:
        return self.question.path

    @property
    def hint(self) -> str:
        return self.question.hint

    @property
    def details(self) -> str:
        return self.question.details

    @property
    def label(self) -> str:
        return self.question.title

    @property
    def help(self) -> str:
        return self.question.help

    @property
    def required(self) -> bool:
        return self.question.required

    @property
    def optional(self) -> bool:
        """Marked "(optional)": may be left blank, and no default answers it anyway."""
        q = self.question
        return not q.required and q.default in (None, NO_DEFAULT) and self.widget != "multi"

    @property
    def describedby(self) -> str:
        ids = [self.id + "-help"] if self.hint else []
        if self.widget in ("lines", "date"):
            ids.append(self.id + "-format")
        if self.errors:
            ids.append(self.id + "-error")
        return " ".join(ids)

    @property
    def first_input(self) -> str:
        """The id of the element the error summary links to."""
        if self.widget in ("choice", "multi", "yesno"):
            return self.id + "-0"
        if self.widget == "date":
            return self.id + "-day"
        return self.id


@dataclass
class BoundEntry:
    """One member's block of questions, named by the member's stable key."""

    index: int
    key: str
    title: str
    questions: list[Bound]


@dataclass
class BoundPage:
    page: Page
    questions: list[Bound]
    entries: list[BoundEntry]
    page_errors: list[str] = field(default_factory=list)

    @property
    def all(self) -> list[Bound]:
        return [*self.questions, *(b for e in self.entries for b in e.questions)]

    @property
    def error_links(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary, in page order."""
        links = [("page-errors", m) for m in self.page_errors]
        for b in self.all:
            links.extend((b.first_input, f"{b.owner}: {m}" if b.owner else m) for m in b.errors)
        return links


def page_questions(
    page: Page, data: Mapping[str, Any], asked: list[Question] | None = None
) -> list[Question]:
    """The questions `page` asks for `data`, in order (the members' "add another" excluded).

    `asked` is ``list(questions_for(data))`` when the caller has it already.
    """
    asked = list(questions_for(data)) if asked is None else asked
    return [q for q in asked if page.owns(q) and q.kind != "group"]


def _owner(q: Question, data: Mapping[str, Any]) -> str:
    if q.member_index is None:
        return ""
    member = q.member(data)
    name = member.get("name") if isinstance(member, Mapping) else None
    return name if isinstance(name, str) and name else f"Member {q.member_index + 1}"


def _bind_one(q: Question, data: Mapping[str, Any], typed: Mapping[str, tuple[str, str]],
              keys: Sequence[str]) -> Bound:
    if q.path in typed:
        text, message = typed[q.path]
        value: Any = to_form(q, text) if q.kind != "multi" else set()
        errors = [message]
    else:
        answer = get_answer(data, q.path) if has_answer(data, q.path) else q.default_for(data)
        value = to_form(q, None if answer is NO_DEFAULT else answer)
        errors = []
    choices = q.choices_for(data) if q.kind in ("choice", "multi") else []
    name = field_name(q.path, keys)
    return Bound(q, name, html_id(name), widget_of(q), choices, value, errors, _owner(q, data))


def bind(
    page: Page,
    data: Mapping[str, Any],
    problems: Iterable[Problem] = (),
    typed: Mapping[str, tuple[str, str]] | None = None,
    keys: Sequence[str] = (),
    asked: list[Question] | None = None,
) -> BoundPage:
    """The questions of `page` for `data`, with `problems` and refused answers beside them.

    `keys` are the members' stable keys, in order, which name their fields.
    """
    typed = typed or {}
    asked = page_questions(page, data, asked)
    questions = [_bind_one(q, data, typed, keys) for q in asked if q.entry is None]
    entries: list[BoundEntry] = []
    if page.members:
        members = data.get("members") if isinstance(data.get("members"), list) else []
        for i, member in enumerate(members or []):
            name = member.get("name") if isinstance(member, Mapping) else None
            title = f"Member {i + 1}" + (f": {name}" if isinstance(name, str) and name else "")
            mine = [_bind_one(q, data, typed, keys) for q in asked if q.entry == f"members[{i}]"]
            entries.append(BoundEntry(i, keys[i] if i < len(keys) else f"m{i}", title, mine))
    result = BoundPage(page, questions, entries)
    by_path = {b.answer: b for b in result.all}
    for problem in problems:
        if problem.severity != "error":
            continue
        placed = locate(problem, data)
        target = by_path.get(placed.field or "")
        if target is not None:
            if problem.path not in typed and problem.message not in target.errors:
                target.errors.append(problem.message)
        elif placed.page == page.id and problem.message not in result.page_errors:
            result.page_errors.append(problem.message)
    return result


_UNSET: Any = object()


@dataclass(frozen=True)
class Posted:
    """The answers after a posted page, the answers refused, and those pruned as stale."""

    data: dict[str, Any]
    refused: dict[str, tuple[str, str]]
    removed: list[str]


def read_post(
    page: Page,
    data: Mapping[str, Any],
    form: Mapping[str, list[str]],
    shown: Iterable[str],
    *,
    need_required: bool,
    keys: Sequence[str] = (),
) -> Posted:
    """Fold a posted page into a copy of `data`.

    Only the fields the page showed (`shown`, field names checked against the questions the
    page asks) are read: a question that newly applies keeps its answer, since nobody has
    seen it yet. A blank field removes its answer; with `need_required` a blank required
    question is refused with its "missing" message. `keys` name the members' fields.
    """
    new: dict[str, Any] = copy.deepcopy(dict(data))
    was_shown = set(shown)
    refused: dict[str, tuple[str, str]] = {}
    now: dict[str, Question] | None = None  # the page's questions for `new`, while valid
    for q in page_questions(page, data):
        name = field_name(q.path, keys)
        if name not in was_shown:
            continue
        if now is None:
            now = {c.path: c for c in page_questions(page, new)}
        current = now.get(q.path)
        if current is None:
            continue  # an answer above on this page has made it not apply
        before = get_answer(new, q.path, _UNSET)
        raw = form.get(name, [])
        if current.kind == "date":
            raw = [next(iter(form.get(f"{name}-{part}", [])), "")
                   for part in ("day", "month", "year")]
        try:
            value = read(current, raw, new)
        except Blank:
            delete_answer(new, q.path)
            if need_required and current.required:
                refused[q.path] = ("", current.message("missing"))
            value = _UNSET
        except Refused as exc:
            delete_answer(new, q.path)
            refused[q.path] = (exc.text, exc.message)
            value = _UNSET
        else:
            set_answer(new, q.path, value)
        if value != before:
            now = None  # a changed answer may bring up or hide questions below it
    removed = prune(new)
    return Posted(new, refused, removed)


@dataclass(frozen=True)
class Placed:
    """Where a problem is shown: a page and field, a page only, or neither (review only)."""

    problem: Problem
    page: str | None
    field: str | None


def locate(problem: Problem, data: Mapping[str, Any]) -> Placed:
    """The page and field that `problem` (a validator finding, by path) belongs to."""
    if not problem.path:
        return Placed(problem, None, None)
    found = questions_at(data, problem.path)
    if not found:
        return Placed(problem, None, None)
    first = found[0]
    if first.kind == "group":
        return Placed(problem, "members", None)
    return Placed(problem, page_of(first).id, first.path)


def place(problems: Iterable[Problem], data: Mapping[str, Any]) -> list[Placed]:
    return [locate(p, data) for p in problems]

