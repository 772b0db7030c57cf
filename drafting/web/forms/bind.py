"""A page's questions bound to the answers so far, and a posted page folded back in.

`bind()` lists the questions a page asks for the answers as they stand, each with the
value to show and the problems to show beside it, entries of lists in their lists (the
members; each partner's services and key performance indicators, in the partner's
block). `read_post()` reads a posted page in
question order (so a cross-field check sees the answers above it on the same page), then
`prune`s: an answer whose question no longer applies is removed, so a stale answer never
trips a rule. `locate()` finds the page and field a validator problem belongs to.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from drafting.errors import Problem
from drafting.questionnaire.questions import (
    NO_DEFAULT,
    Question,
    delete_answer,
    entry_label,
    get_answer,
    has_answer,
    prune,
    question_of,
    questions_at,
    questions_for,
    set_answer,
    template_of,
)
from drafting.web.forms.pages import Page, page_of
from drafting.web.forms.paths import MAX_ENTRIES, MAX_MEMBERS, Keys, align, field_name, html_id
from drafting.web.forms.values import Blank, Refused, Widget, read, to_form, widget_of

__all__ = [
    "Bound",
    "BoundBlock",
    "BoundEntry",
    "BoundList",
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

    kind: ClassVar[str] = "question"
    question: Question
    path: str
    id: str
    widget: Widget
    choices: list[tuple[str, str]]
    value: Any
    errors: list[str] = field(default_factory=list)
    owner: str = ""
    """Whose answer it is, for messages shown away from the field ("Beta NHS Trust",
    "Gamma Healthcare Limited, service 2")."""

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
    """One entry of a list (a member, a partner's service), named by its stable key."""

    index: int
    key: str
    path: str
    """The entry's field name (``members[m0a1b2c3d4e]``)."""
    title: str
    """Its heading: "Member 2: Beta NHS Trust", "Service 1: Adult eating disorder beds"."""
    remove: str
    """What its remove button says: "Remove Member 2 Beta NHS Trust", "Remove service 1"."""
    context: str
    """Read after `remove` by a screen reader only: " of Gamma Healthcare Limited"."""
    items: list[Item]

    @property
    def id(self) -> str:
        return html_id(self.path)

    @property
    def questions(self) -> list[Bound]:
        return [b for b in self.items if isinstance(b, Bound)]


@dataclass
class BoundList:
    """A list of entries (the members, a partner's services) with its add button."""

    kind: ClassVar[str] = "list"
    question: Question
    """Its "Add another?" question (kind `group`)."""
    path: str
    """The list's field name (``sub_contract_terms.cntw.services``)."""
    answer: str
    """The list's path in the answers."""
    owner: str
    entries: list[BoundEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def members(self) -> bool:
        return self.path == "members"

    @property
    def id(self) -> str:
        return "members-list" if self.members else html_id(self.path) + "-list"

    @property
    def add_id(self) -> str:
        return "add-member" if self.members else html_id(self.path) + "-add"

    @property
    def action(self) -> str:
        return "add" if self.members else f"add:{self.path}"

    @property
    def title(self) -> str:
        return self.question.items

    @property
    def can_add(self) -> bool:
        return len(self.entries) < (MAX_MEMBERS if self.members else MAX_ENTRIES)

    @property
    def add(self) -> str:
        """The add button's words: "Add another service", "Add a key performance indicator"."""
        return f"Add {'another' if self.entries else 'a'} {self.question.item}"

    @property
    def context(self) -> str:
        """Read after `add` by a screen reader only: " for Gamma Healthcare Limited"."""
        return f" for {self.owner}" if self.owner and not self.members else ""

    @property
    def empty(self) -> str:
        return f"No {self.question.items.lower()} yet: add the first one."


@dataclass
class BoundBlock:
    """One member's block of questions (a partner's sub-contract), under its heading."""

    kind: ClassVar[str] = "block"
    path: str
    """``sub_contract_terms.cntw``."""
    title: str
    items: list[Item] = field(default_factory=list)

    @property
    def id(self) -> str:
        return html_id(self.path)


Item = Bound | BoundList | BoundBlock


def _bounds(items: Iterable[Item]) -> Iterator[Bound]:
    for item in items:
        if isinstance(item, Bound):
            yield item
        elif isinstance(item, BoundList):
            for e in item.entries:
                yield from _bounds(e.items)
        else:
            yield from _bounds(item.items)


def _lists(items: Iterable[Item]) -> Iterator[BoundList]:
    for item in items:
        if isinstance(item, BoundList):
            yield item
            for e in item.entries:
                yield from _lists(e.items)
        elif isinstance(item, BoundBlock):
            yield from _lists(item.items)


@dataclass
class BoundPage:
    page: Page
    items: list[Item]
    page_errors: list[str] = field(default_factory=list)

    @property
    def questions(self) -> list[Bound]:
        """The page's own questions, outside any list or block."""
        return [b for b in self.items if isinstance(b, Bound)]

    @property
    def entries(self) -> list[BoundEntry]:
        """The members page's members."""
        return next((lst.entries for lst in self.lists if lst.members), [])

    @property
    def all(self) -> list[Bound]:
        return list(_bounds(self.items))

    @property
    def lists(self) -> list[BoundList]:
        return list(_lists(self.items))

    @property
    def outline(self) -> list[tuple[int, str, list[Bound]]]:
        """The answers in reading order, for the check-your-answers page: (heading level,
        heading, answers under it). A block's or an entry's own answers come under its
        heading, then its lists, one heading per entry ("Services: Service 1")."""
        out: list[tuple[int, str, list[Bound]]] = []

        def visit(items: list[Item], level: int, title: str) -> None:
            out.append((level, title, [b for b in items if isinstance(b, Bound)]))
            for item in items:
                if isinstance(item, BoundList):
                    for e in item.entries:
                        visit(e.items, level + 1,
                              e.title if item.members else f"{item.title}: {e.title}")
                elif isinstance(item, BoundBlock):
                    visit(item.items, level + 1, item.title)

        visit(self.items, 2, "")
        return [(level, title, rows) for level, title, rows in out if title or rows]

    @property
    def error_links(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary, in page order."""
        links = [("page-errors", m) for m in self.page_errors]

        def visit(items: Iterable[Item]) -> None:
            for item in items:
                if isinstance(item, Bound):
                    links.extend((item.first_input, _owned(item.owner, m)) for m in item.errors)
                elif isinstance(item, BoundList):
                    links.extend((item.id, _owned(item.owner, m)) for m in item.errors)
                    for e in item.entries:
                        visit(e.items)
                else:
                    visit(item.items)

        visit(self.items)
        return links


def _owned(owner: str, message: str) -> str:
    """"Beta NHS Trust: Enter the legal name"; the message alone when it names the owner."""
    name = owner.split(", ")[0]
    return f"{owner}: {message}" if owner and name not in message else message


def page_questions(
    page: Page, data: Mapping[str, Any], asked: list[Question] | None = None
) -> list[Question]:
    """The questions `page` asks for `data`, in order (the members' "add another" excluded).

    `asked` is ``list(questions_for(data))`` when the caller has it already.
    """
    asked = list(questions_for(data)) if asked is None else asked
    return [q for q in asked if page.owns(q) and q.kind != "group"]


def _bind_one(q: Question, data: Mapping[str, Any], typed: Mapping[str, tuple[str, str]],
              keys: Keys) -> Bound:
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
    return Bound(q, name, html_id(name), widget_of(q), choices, value, errors,
                 entry_label(q, data))


_LAST_INDEX = re.compile(r"^(.*)\[(\d+)\]$")
_ENTRY = re.compile(r"^(.*\])\.")


class _Tree:
    """Builds a page's items from its questions in asking order: a question inside an entry
    goes into that entry, in its list, in its member's block, each made when first met."""

    def __init__(self, data: Mapping[str, Any], keys: Keys,
                 groups: Mapping[str, Question]) -> None:
        self.data, self.keys, self.groups = data, keys, groups
        self.root: list[Item] = []
        self.blocks: dict[str, BoundBlock] = {}
        self.lists: dict[str, BoundList] = {}
        self.entries: dict[str, BoundEntry] = {}

    def place(self, q: Question) -> list[Item]:
        """Where `q` (or its list) goes outside any entry: its member's block, or the page."""
        if not q.heading:
            return self.root
        head = q.key.partition("*")[0]
        path = head + str(template_of(q.path)[1])
        block = self.blocks.get(path)
        if block is None:
            block = self.blocks[path] = BoundBlock(path, q.heading)
            self.root.append(block)
        return block.items

    def list_at(self, path: str, q: Question) -> BoundList:
        found = self.lists.get(path)
        if found is not None:
            return found
        group = self.groups.get(path) or question_of(path)
        assert group is not None, path
        parent = _ENTRY.match(path + ".")
        host = self.entry_at(parent.group(1), q).items if parent else self.place(q)
        found = self.lists[path] = BoundList(group, field_name(path, self.keys), path,
                                             entry_label(group, self.data))
        host.append(found)
        return found

    def entry_at(self, path: str, q: Question) -> BoundEntry:
        found = self.entries.get(path)
        if found is not None:
            return found
        at = _LAST_INDEX.match(path)
        assert at is not None, path
        listed = self.list_at(at.group(1), q)
        index = int(at.group(2))
        name = field_name(path, self.keys)
        key = name[name.rindex("[") + 1:-1]
        found = self.entries[path] = BoundEntry(index, key, name, *self._words(listed, index),
                                                items=[])
        listed.entries.append(found)
        return found

    def _words(self, listed: BoundList, index: int) -> tuple[str, str, str]:
        entry = get_answer(self.data, f"{listed.answer}[{index}]")
        name = entry.get("name") if isinstance(entry, Mapping) else None
        item = listed.question.item
        title = f"{item[:1].upper()}{item[1:]} {index + 1}"
        if isinstance(name, str) and name:
            title += f": {name}"
        if listed.members:
            return title, f"Remove {title.replace(':', '')}", ""
        return title, f"Remove {item} {index + 1}", listed.context.replace(" for ", " of ", 1)

    def add(self, q: Question, bound: Bound | None) -> None:
        if q.kind == "group":
            self.list_at(q.path, q)
        elif q.entry:
            assert bound is not None
            self.entry_at(q.entry, q).items.append(bound)
        else:
            assert bound is not None
            self.place(q).append(bound)


def bind(
    page: Page,
    data: Mapping[str, Any],
    problems: Iterable[Problem] = (),
    typed: Mapping[str, tuple[str, str]] | None = None,
    keys: Keys | None = None,
    asked: list[Question] | None = None,
) -> BoundPage:
    """The questions of `page` for `data`, with `problems` and refused answers beside them.

    Entries of lists come in blocks with their add and remove buttons, lists inside the
    entries of lists, per-member blocks (a partner's sub-contract) under their headings.
    `keys` are the lists' stable keys (`drafting.web.forms.paths.Keys`), which name their
    entries' fields.
    """
    typed = typed or {}
    keys = align(data, keys or {})
    asked = list(questions_for(data)) if asked is None else asked
    mine = [q for q in asked if page.owns(q)]
    tree = _Tree(data, keys, {q.path: q for q in mine if q.kind == "group"})
    for q in mine:
        tree.add(q, None if q.kind == "group" else _bind_one(q, data, typed, keys))
    result = BoundPage(page, tree.root)
    by_path = {b.answer: b for b in result.all}
    lists = dict(tree.lists)
    for problem in problems:
        if problem.severity != "error":
            continue
        placed = locate(problem, data)
        target = by_path.get(placed.field or "")
        listed = lists.get(placed.field or "")
        if target is not None:
            if problem.path not in typed and problem.message not in target.errors:
                target.errors.append(problem.message)
        elif listed is not None and placed.page == page.id:
            if problem.message not in listed.errors:
                listed.errors.append(problem.message)
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
    keys: Keys | None = None,
) -> Posted:
    """Fold a posted page into a copy of `data`.

    Only the fields the page showed (`shown`, field names checked against the questions the
    page asks) are read: a question that newly applies keeps its answer, since nobody has
    seen it yet. A blank field removes its answer; with `need_required` a blank required
    question is refused with its "missing" message. `keys` name the entries' fields.
    """
    keys = keys or {}
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
    if first.kind == "group" and first.path == "members":
        return Placed(problem, "members", None)  # about the members as a whole: their page
    return Placed(problem, page_of(first).id, first.path)


def place(problems: Iterable[Problem], data: Mapping[str, Any]) -> list[Placed]:
    return [locate(p, data) for p in problems]

