"""`drafting check`: prove the clause library consistent before anyone drafts with it.

Static checks read every clause and schedule version: Jinja syntax, answer names (compared
with the answers model and the context of clauses/README.md), `{ref:}` targets and labels,
`{sched:}` ids, terms (used but undefined, used but not in `uses`, defined but never used),
and answer values printed raw instead of through the glossary (`words_for`). The glossary
is checked against the answers models: every enumerated value has words, and no words
name a value that does not exist. Dynamic checks draft every document of every example
answers file, so an error a real collaborative would hit shows here first, and record
which clauses, schedules and variants the examples reach: one no example reaches has never
been seen in a document.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jinja2 import TemplateSyntaxError, nodes
from pydantic import BaseModel

from drafting.build.assemble import TEMPLATES, assemble, load_outline
from drafting.errors import DraftingError, LibraryError, Problem
from drafting.read.answers import Answers
from drafting.read.conditions import environment, referenced_paths
from drafting.read.glossary import FILE_NAME as GLOSSARY_FILE
from drafting.read.glossary import enumerated_fields, load_glossary, submodels
from drafting.read.library import (
    DEFAULT_ROOT,
    ClauseVersion,
    Library,
    library_files,
    load_library,
    read_clause,
)
from drafting.read.load import LoadedAnswers, load_answers
from drafting.read.markup import REF_PATTERN, SCHED_PATTERN, TERM_PATTERN, table_cells, table_widths
from drafting.write import oxml

__all__ = ["EXAMPLES", "Report", "check", "context_shape"]

EXAMPLES = Path(__file__).resolve().parents[2] / "answers"
FRAME_FIELDS = ("title", "collaborative_name", "short_name", "commencement_date", "lead_name",
                "partner_name", "parties", "approved_by", "generator")
_ANY = "*"
_LABEL = re.compile(r"\{#([a-z0-9][a-z0-9-]*)\}")
_GLOBALS = set(environment().globals) | {"loop", "true", "false", "none", "True", "False", "None"}


@dataclass
class Report:
    """Problems found, and what was checked."""

    problems: list[Problem]
    clauses: int = 0
    versions: int = 0
    examples: int = 0
    documents: int = 0
    schedules: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


# --------------------------------------------------------------------------- names


def _model_shape(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {(f.alias or n): _model_shape(f.annotation)
                for n, f in annotation.model_fields.items()}
    if origin in (list, tuple):
        args = typing.get_args(annotation)
        return {"[]": _model_shape(args[0])} if args else _ANY
    if origin is dict:
        return _ANY
    for arg in typing.get_args(annotation):  # Optional[Model], Annotated[...]
        shape = _model_shape(arg)
        if shape is not None:
            return shape
    return None


def _merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for key, value in b.items():
            out[key] = _merge(out[key], value) if key in out else value
        return out
    return a if isinstance(a, dict) else b if isinstance(b, dict) else (a if a is not None else b)


def _data_shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _data_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        shape: Any = None
        for item in value:
            shape = _merge(shape, _data_shape(item))
        return {"[]": shape} if shape is not None else _ANY
    return None


def context_shape(examples: Iterable[LoadedAnswers] = ()) -> dict[str, Any]:
    """The names a clause may read: the answers model, `derived`, `document` and `partner`."""
    shape: dict[str, Any] = _model_shape(Answers)
    member = shape["members"]["[]"]
    derived: Any = {}
    for loaded in examples:
        derived = _merge(derived, _data_shape(loaded.answers.context()["derived"]))
    for free in ("weights", "loss_shares", "gain_shares", "loss_caps", "liability_caps",
                 "running_cost_shares", "running_cost_shares_after_fixed_sums",
                 "proposed_running_cost_shares", "management_fees"):
        derived[free] = _ANY
    derived["lead"] = member
    derived["partners"] = {"[]": member}
    shape["derived"] = derived
    shape["agreement_clauses"] = _ANY
    shape["agreement_schedules"] = _ANY
    shape["document"] = None
    shape["partner"] = member
    shape["glossary"] = _ANY
    shape["included"] = _ANY
    shape["pinned_schedules"] = _ANY
    shape["operative_terms"] = _ANY  # seen by definitions only (see assemble)
    return shape


def _unknown(path: tuple[str, ...], shape: dict[str, Any]) -> str | None:
    """A message when `path` is not a name of the context, else None."""
    node: Any = shape
    for depth, part in enumerate(path):
        if part == "?" or node is _ANY or node is None:
            return None
        if not isinstance(node, dict):
            return None
        if part not in node:
            if depth == 0 and part in _GLOBALS:
                return None
            if depth and part in dir(dict):  # governance.items()
                return None
            shown = ".".join(p for p in path[: depth + 1] if p != "[]")
            close = difflib.get_close_matches(part, [k for k in node if k != "[]"], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return f"unknown answer name {shown!r}{hint}"
        node = node[part]
    return None


def _names(source: str, shape: dict[str, Any], *, expression: bool, file: Path,
           first_line: int) -> Iterator[Problem]:
    try:
        paths = list(referenced_paths(source, expression=expression))
    except TemplateSyntaxError as exc:  # jinja's own message and line
        line = getattr(exc, "lineno", 1) or 1
        yield Problem("syntax", "", f"Jinja: {getattr(exc, 'message', exc)}",
                      line=first_line + line - 1, file=str(file))
        return
    seen = set()
    for path, line in paths:
        message = _unknown(path, shape)
        if message and (message, line) not in seen:
            seen.add((message, line))
            yield Problem("name", "", message, line=first_line + line - 1, file=str(file))


# --------------------------------------------------------------------------- static checks


def _body_line(clause: ClauseVersion, needle: str) -> int:
    for number, line in enumerate(clause.text.split("\n"), start=1):
        if needle in line:
            return number
    return 1


def _static(library: Library, shape: dict[str, Any], enumerated: dict[str, tuple[str, ...]],
            ) -> Iterator[Problem]:
    definitions = library.definitions
    used_anywhere: set[str] = set(_glossary_terms(library))
    booleans = _bool_fields(Answers)
    for versions in [*library.clauses.values(), *library.schedules.values()]:
        for clause in versions:
            file = clause.path
            yield from _raw_values(clause, enumerated, booleans)
            yield from _glossary_names(clause, library)
            if clause.part == "schedule":
                yield from _schedule_body(clause)
            yield from _names(clause.when, shape, expression=True, file=file,
                              first_line=clause.line_of("when"))
            for variant in clause.variants:
                yield from _names(variant.when, shape, expression=True, file=file,
                                  first_line=variant.line)
            variant_ids: list[str | None] = [v.id for v in clause.variants] or [None]
            for variant_id in variant_ids:
                try:
                    clause.template(variant_id)
                except LibraryError as exc:
                    yield Problem("syntax", "", exc.message, line=exc.line, file=str(file))
            yield from _names(clause.body, shape, expression=False, file=file,
                              first_line=clause.body_line)
            if clause.note:
                yield from _names(clause.note, shape, expression=False, file=file,
                                  first_line=clause.line_of("note"))
            for defined, meaning in clause.defines.items():
                yield from _names(meaning, shape, expression=False, file=file,
                                  first_line=clause.line_of(f"defines.{defined}"))
            for phrase in clause.defaults:
                yield from _names(phrase, shape, expression=False, file=file,
                                  first_line=clause.line_of("defaults"))
            if clause.note:
                yield from _names(clause.note, shape, expression=False, file=file,
                                  first_line=clause.line_of("note"))
            texts: list[tuple[str, str | None]] = [
                (clause.body, None), *((t, term) for term, t in clause.defines.items())]
            body_terms: set[str] = set()
            for text, term in texts:
                for match in REF_PATTERN.finditer(text):
                    target, label = match.group(1), match.group(2)
                    line = _body_line(clause, match.group(0))
                    if target not in library.clauses:
                        close = difflib.get_close_matches(target, list(library.clauses), n=1)
                        hint = f"; did you mean {close[0]!r}?" if close else ""
                        yield Problem("reference", "", f"{{ref:{target}}}: no clause "
                                      f"{target!r} in the library{hint}", line=line, file=str(file))
                    elif label and not any(label in _LABEL.findall(body) for body in (
                            # a clause's reference to itself resolves in its own version; a
                            # superseded version may cite a label of any version of the target,
                            # since a draft pinned to it may pin that version too
                            [clause.body] if any(v is clause for v in library.clauses.get(target, ()))
                            else [library.get(target).body] if clause.status == "current"
                            else [v.body for v in library.clauses[target]])):
                        yield Problem("reference", "", f"{match.group(0)}: clause {target!r} has "
                                      f"no sub-clause labelled {{#{label}}}", line=line,
                                      file=str(file))
                for match in SCHED_PATTERN.finditer(text):
                    if match.group(1) not in library.schedules:
                        close = difflib.get_close_matches(match.group(1), list(library.schedules), n=1)
                        hint = f"; did you mean {close[0]!r}?" if close else ""
                        yield Problem("reference", "", f"{match.group(0)}: no schedule "
                                      f"{match.group(1)!r} in the library{hint}",
                                      line=_body_line(clause, match.group(0)), file=str(file))
                for match in TERM_PATTERN.finditer(text):
                    name = " ".join(match.group(1).split())
                    if term is None:
                        body_terms.add(name)
                    if clause.status == "current":
                        used_anywhere.add(name)
                    if name not in definitions:
                        close = difflib.get_close_matches(name, list(definitions), n=1)
                        hint = f"; did you mean {close[0]!r}?" if close else ""
                        yield Problem("term", "", f"[[{name}]] is used but no clause defines "
                                      f"it{hint}", line=_body_line(clause, match.group(0)),
                                      file=str(file))
            for name in sorted(body_terms - set(clause.uses)):
                yield Problem("term", "", f"[[{name}]] is used in the body but not listed in "
                              "`uses`", line=clause.line_of("uses"), file=str(file))
            for name in sorted(set(clause.uses) - body_terms):
                yield Problem("term", "", f"`uses` lists {name!r}, which the body never uses",
                              line=clause.line_of("uses"), file=str(file), severity="warning")
            if clause.status == "current":
                used_anywhere.update(clause.uses)
    yield from _glossary(library, enumerated, definitions)
    for term, definer in sorted(definitions.items()):
        if term not in used_anywhere:
            yield Problem("term", "", f"term {term!r} is defined but no clause uses it; remove "
                          "it or use it as [[" + term + "]]",
                          line=definer.line_of(f"defines.{term}"), file=str(definer.path))


# --------------------------------------------------------------------------- words for values


_WORDS_FOR = re.compile(r"words_for\(\s*(['\"])([^'\"]*)\1")
_MEMBER_ROOTS = {("partner",): ("members",), ("derived", "lead"): ("members",),
                 ("derived", "partners", "[]"): ("members",)}


def _field_name(path: tuple[str, ...]) -> str:
    """`('members', '[]', 'kind')` -> `members.kind`; a partner's or the lead's fields are
    a member's (`partner.kind` -> `members.kind`)."""
    for root, replacement in _MEMBER_ROOTS.items():
        if path[:len(root)] == root:
            path = (*replacement, *path[len(root):])
    return ".".join(p for p in path if p != "[]")


def _bool_fields(model: Any, prefix: str = "") -> set[str]:
    """Every yes/no answer, by dotted name: printed, it would show `True` or `False`."""
    found: set[str] = set()
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        annotation = info.annotation
        if annotation is bool or bool in typing.get_args(annotation):
            found.add(key)
        for sub in submodels(annotation):
            found |= _bool_fields(sub, f"{key}.")
    return found


def _printed(source: str) -> Iterator[tuple[tuple[str, ...], tuple[str, ...], int]]:
    """Each answer path a template prints with `{{ }}`, the filters applied to it, its line.

    Loop variables are followed as `referenced_paths` follows them (`m.kind` in a loop over
    `members` is `members.[].kind`); a value assigned with `{% set %}` from a plain path
    keeps that path.
    """
    tree = environment().parse(source)
    aliases: dict[str, tuple[str, ...]] = {}

    def chain(node: nodes.Node) -> tuple[str, ...] | None:
        parts: list[str] = []
        while True:
            if isinstance(node, nodes.Getattr):
                parts.append(node.attr)
                node = node.node
            elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) \
                    and isinstance(node.arg.value, str):
                parts.append(node.arg.value)
                node = node.node
            elif isinstance(node, nodes.Name):
                root = aliases.get(node.name, (node.name,))
                return (*root, *reversed(parts))
            else:
                return None

    def expression(node: nodes.Node) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        filters: list[str] = []
        while isinstance(node, nodes.Filter) and node.node is not None:
            filters.append(node.name)
            node = node.node
        if isinstance(node, nodes.CondExpr):
            return None  # `a if x else b`: each branch is checked where it is a plain path
        path = chain(node)
        return (path, tuple(filters)) if path else None

    def visit(node: nodes.Node) -> Iterator[tuple[tuple[str, ...], tuple[str, ...], int]]:
        if isinstance(node, nodes.For):
            iter_path = chain(node.iter)
            saved = dict(aliases)
            if iter_path is not None and isinstance(node.target, nodes.Name):
                aliases[node.target.name] = (*iter_path, "[]")
            for child in (*node.body, *node.else_):
                yield from visit(child)
            aliases.clear()
            aliases.update(saved)
            return
        if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            path = chain(node.node)
            if path is not None:
                aliases[node.target.name] = path
            else:
                aliases.pop(node.target.name, None)
            return
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    continue
                found = expression(child)
                if found is not None:
                    yield (*found, child.lineno)
            return
        for child in node.iter_child_nodes():
            yield from visit(child)

    yield from visit(tree)


def _raw_values(item: ClauseVersion, enumerated: dict[str, tuple[str, ...]],
                booleans: set[str]) -> Iterator[Problem]:
    """An enumerated or yes/no answer printed without `words_for`, or through `humanise`.

    An error in a schedule; a warning in a current clause (its next version should use the
    glossary); nothing in a superseded version, which is never edited.
    """
    if item.status == "superseded":
        return
    severity: Literal["error", "warning"] = "error" if item.part == "schedule" else "warning"
    texts = [(item.body, item.body_line), *((m, item.line_of(f"defines.{t}"))
                                            for t, m in item.defines.items())]
    for text, first in texts:
        try:
            printed = list(_printed(text))
        except TemplateSyntaxError:
            continue  # reported as a syntax problem
        for path, filters, line in printed:
            name = _field_name(path)
            where = first + line - 1 if text is item.body else first
            if "humanise" in filters and name in enumerated:
                yield Problem("raw-value", name, "printed with `humanise`, which only takes out "
                              f"the underscores; use `words_for('{name}')`", line=where,
                              file=str(item.path), severity=severity)
            elif name in enumerated and "words_for" not in filters:
                yield Problem("raw-value", name, "an answer value printed as it is in the "
                              f"answers file; use `{{{{ ... | words_for('{name}') }}}}`",
                              line=where, file=str(item.path), severity=severity)
            elif name in booleans:
                yield Problem("raw-value", name, "a yes/no answer printed as True or False; "
                              "choose the words with {% if %}", line=where,
                              file=str(item.path), severity=severity)


def _glossary_names(item: ClauseVersion, library: Library) -> Iterator[Problem]:
    """Each `words_for('name')` names an answer the glossary has."""
    for text in (item.body, *item.defines.values()):
        for match in _WORDS_FOR.finditer(text):
            name = match.group(2)
            if name not in library.glossary.entries:
                close = difflib.get_close_matches(name, list(library.glossary.entries), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                yield Problem("glossary", name, f"words_for({match.group(1)}{name}"
                              f"{match.group(1)}): the glossary has no entry {name!r}{hint}",
                              line=_body_line(item, match.group(0)), file=str(item.path))


def _glossary_terms(library: Library) -> Iterator[str]:
    for values in library.glossary.entries.values():
        for text, table in values.values():
            for words in (text, table):
                for match in TERM_PATTERN.finditer(words):
                    yield " ".join(match.group(1).split())


def _glossary(library: Library, enumerated: dict[str, tuple[str, ...]],
              definitions: dict[str, ClauseVersion]) -> Iterator[Problem]:
    """Every enumerated answer value has words; no words for a name or value that is not an
    answer's; the words' terms and references exist."""
    glossary = library.glossary
    file = str(glossary.path or library.root / GLOSSARY_FILE)
    for name, values in enumerated.items():
        given = glossary.entries.get(name)
        missing = [v for v in values if given is None or v not in given]
        if missing:
            yield Problem("glossary", name, f"no words for {', '.join(missing)}: add "
                          f"{'them' if len(missing) > 1 else 'it'} under {name} (text and table)",
                          line=glossary.line_of(name), file=file)
    for name, words in glossary.entries.items():
        if name not in enumerated:
            close = difflib.get_close_matches(name, list(enumerated), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield Problem("glossary", name, f"{name!r} is not an answer with a fixed set of "
                          f"values{hint}", line=glossary.line_of(name), file=file)
            continue
        for value, (text, table) in words.items():
            line = glossary.line_of(f"{name}.{value}")
            if value not in enumerated[name]:
                close = difflib.get_close_matches(value, list(enumerated[name]), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                yield Problem("glossary", name, f"{value!r} is not a value of {name} (its values: "
                              f"{', '.join(enumerated[name])}){hint}", line=line, file=file)
            for found in (text, table):
                for match in TERM_PATTERN.finditer(found):
                    term = " ".join(match.group(1).split())
                    if term not in definitions:
                        yield Problem("term", name, f"[[{term}]] is used but no clause defines it",
                                      line=line, file=file)
                for match in REF_PATTERN.finditer(found):
                    if match.group(1) not in library.clauses:
                        yield Problem("reference", name, f"{match.group(0)}: no clause "
                                      f"{match.group(1)!r} in the library", line=line, file=file)


# --------------------------------------------------------------------------- schedules

_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}")
_LABEL_LINE = re.compile(r"^\s*-\s+\{#([a-z0-9][a-z0-9-]*)\}")


def _schedule_body(item: ClauseVersion) -> Iterator[Problem]:
    """What a schedule's body may not hold, found before any answers are read: labels (a
    schedule's paragraphs have no numbers), nested lists, and tables without their
    `|---|` row."""
    table: list[tuple[int, str]] = []
    for number, line in enumerate([*item.body.split("\n"), ""], start=item.body_line):
        stripped = line.strip()
        if _LABEL_LINE.match(line):
            yield Problem("schedule", "", "a schedule has no numbered paragraphs, so a label "
                          "cannot be referred to; remove it", line=number, file=str(item.path))
        elif line.startswith("  ") and stripped.startswith("- "):
            yield Problem("schedule", "", "a schedule's lists have one level: write each item "
                          "as `- item` with no indent", line=number, file=str(item.path))
        if stripped.startswith("|"):
            table.append((number, stripped))
        elif not stripped or not _TAGS.sub("", stripped).strip():
            if stripped and table:
                continue  # a `{% for %}` line inside a table
            if len(table) >= 1:
                yield from _table_rows(item, table)
            table = []
        else:
            table = []


def _table_rows(item: ClauseVersion, rows: list[tuple[int, str]]) -> Iterator[Problem]:
    first = rows[0][0]
    if len(rows) < 2:
        yield Problem("table", "", "a table needs a header row and a `|---|---|` row under it",
                      line=first, file=str(item.path))
        return
    separator = _TAGS.sub("", rows[1][1])
    try:
        widths = table_widths(table_cells(separator))
    except ValueError as exc:
        yield Problem("table", "", str(exc), line=rows[1][0], file=str(item.path))
        return
    if widths is None:
        yield Problem("table", "", "the second row of a table is its `|---|---|` row",
                      line=rows[1][0], file=str(item.path))
        return
    if any("{%" in row for _n, row in rows):
        return  # columns that `{% if %}` leaves out: counted when the examples draft it
    columns = len(table_cells(_TAGS.sub("x", rows[0][1])))
    for number, row in rows[1:]:
        cells = len(table_cells(_TAGS.sub("x", row)))
        if cells != columns:
            yield Problem("table", "", f"this table row has {cells} cells and the header "
                          f"{columns}", line=number, file=str(item.path))


def _templates(library: Library, templates: Path) -> Iterator[Problem]:
    for outline_path in sorted(templates.glob("*.yaml")):
        try:
            outline = load_outline(outline_path.stem, templates)
        except LibraryError as exc:
            yield Problem("outline", "", exc.message, line=exc.line, file=str(outline_path))
            continue
        for clause_id in outline.clauses:
            if clause_id not in library.clauses:
                yield Problem("outline", "", f"no clause {clause_id!r} in the library",
                              line=_outline_line(outline_path, clause_id), file=str(outline_path))
        if outline.background is not None and outline.background not in library.clauses:
            yield Problem("outline", "", f"no clause {outline.background!r} in the library "
                          "(the outline's `background`)",
                          line=_outline_line(outline_path, outline.background),
                          file=str(outline_path))
        elif (outline.background is not None
              and outline.kind not in library.get(outline.background).documents):
            yield Problem("outline", "", f"clause {outline.background!r} (the outline's "
                          f"`background`) does not list {outline.kind} in its `documents`",
                          line=_outline_line(outline_path, outline.background),
                          file=str(outline_path))
        for spec in outline.schedules:
            if spec.id not in library.schedules:
                close = difflib.get_close_matches(spec.id, list(library.schedules), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                yield Problem("outline", "", f"no schedule {spec.id!r} in the library{hint}",
                              line=spec.line, file=str(outline_path))
            elif outline.kind not in library.get_schedule(spec.id).documents:
                yield Problem("outline", "", f"schedule {spec.id!r} does not list "
                              f"{outline.kind} in its `documents`", line=spec.line,
                              file=str(outline_path))
        if not outline.frame.exists():
            yield Problem("frame", "", "the Word frame is missing; run "
                          "`python templates/make_templates.py`", file=str(outline.frame))
            continue
        import zipfile

        with zipfile.ZipFile(outline.frame) as package:
            for name in package.namelist():
                if not name.endswith(".xml") or not name.startswith("word/"):
                    continue
                data = package.read(name)
                if b"{%" in data:
                    yield Problem("frame", "", f"{name} holds Jinja logic (`{{%`); a frame "
                                  "has only {{ name }} placeholders", file=str(outline.frame))
                for placeholder in oxml.placeholders(oxml.parse(data)):
                    if placeholder not in FRAME_FIELDS:
                        yield Problem("frame", "", f"{name}: unknown placeholder "
                                      f"{{{{ {placeholder} }}}}; known: {', '.join(FRAME_FIELDS)}",
                                      file=str(outline.frame))


def _outline_line(path: Path, clause_id: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if re.search(rf"(^|[\s\[,-]){re.escape(clause_id)}($|[\s\],])", line):
            return number
    return None


# --------------------------------------------------------------------------- dynamic checks


def _plan(loaded: LoadedAnswers) -> list[tuple[str, str | None]]:
    try:
        from drafting.build import pack
    except ImportError:
        return ([("collaboration_agreement", None)]
                if "collaboration_agreement" in loaded.answers.documents else [])
    return [(p.kind, p.partner_id) for p in pack.plan(loaded.answers)]


def _every_file_problem(library_path: str | Path | None) -> list[Problem]:
    """When the library does not load, read each file on its own to report every bad one."""
    root = Path(library_path) if library_path is not None else DEFAULT_ROOT
    problems = []
    for path in library_files(root):
        try:
            read_clause(path)
        except LibraryError as exc:
            problems.append(Problem("front-matter", "", exc.message, line=exc.line,
                                    file=exc.file))
    try:
        load_glossary(root / GLOSSARY_FILE)
    except LibraryError as exc:
        problems.append(Problem("glossary", "", exc.message, line=exc.line, file=exc.file))
    return problems


def check(library_path: str | Path | None = None, examples: str | Path | None = None,
          templates: Path | None = None) -> Report:
    """Check the library at `library_path` against the example answers; never raises for
    problems in the library (they are returned), only for an unreadable examples folder."""
    folder = templates or TEMPLATES
    try:
        library = load_library(library_path)
    except LibraryError as exc:
        return Report(_every_file_problem(library_path) or [
            Problem("library", "", exc.message, line=exc.line, file=exc.file)])
    example_files = sorted(Path(examples or EXAMPLES).glob("*.yaml"))
    loaded_examples = []
    problems: list[Problem] = []
    for path in example_files:
        try:
            loaded_examples.append(load_answers(path))
        except DraftingError as exc:
            problems.append(Problem("example", "", exc.message, file=str(path)))
    shape = context_shape(loaded_examples)
    problems += _static(library, shape, enumerated_fields(Answers))
    problems += _templates(library, folder)

    reached: dict[str, set[str | None]] = {}
    documents = 0
    have_outline = {p.stem for p in folder.glob("*.yaml")}
    for loaded in loaded_examples:
        try:
            planned = _plan(loaded)
        except DraftingError as exc:
            problems.append(Problem("example", "", exc.message, file=loaded.file))
            continue
        for kind, partner in planned:
            if kind not in have_outline:
                continue
            documents += 1
            try:
                document = assemble(library, loaded, kind, partner=partner, templates=folder)
            except DraftingError as exc:
                where = f" (drafting the {kind} of {Path(loaded.file).name})"
                problems.append(Problem("assembly", "", exc.message + where, line=exc.line,
                                        file=exc.file))
                continue
            for item in document.provenance["clauses"]:
                reached.setdefault(item["id"], set()).add(item["variant"])
            for item in document.provenance["schedules"]:
                reached.setdefault(f"schedule:{item['id']}", set()).add(item["variant"])
            background = document.provenance.get("background")
            if background:  # the recitals: a clause like any other
                reached.setdefault(background["id"], set()).add(background["variant"])
    seen = {(p.file, p.line, p.message) for p in problems}
    unique = []
    for p in problems:
        key = (p.file, p.line, p.message)
        if key in seen:
            seen.discard(key)
            unique.append(p)
    problems = unique
    for clause in [*library.current(), *library.current_schedules()]:
        pending = not any(kind in have_outline for kind in clause.documents)
        severity: Literal["error", "warning"] = "warning" if pending else "error"
        if clause.name not in reached:
            kinds = ", ".join(clause.documents)
            why = " (no outline yet for its documents)" if pending else ""
            problems.append(Problem("unreachable", "", f"no example answers reach {clause.part} "
                                    f"{clause.id!r} in {kinds}{why}: add an example that needs "
                                    "it, or check its `when` and the outlines",
                                    line=clause.line_of("when"), file=str(clause.path),
                                    severity=severity))
            continue
        for variant in clause.variants:
            if variant.id not in reached[clause.name]:
                # A variant is a choice within a reached clause: report it, do not fail on it.
                problems.append(Problem("unreachable", "", f"no example answers select variant "
                                        f"{variant.id!r}", line=variant.line,
                                        file=str(clause.path), severity="warning"))
    return Report(problems, clauses=len(library.clauses),
                  versions=sum(len(v) for v in [*library.clauses.values(),
                                                 *library.schedules.values()]),
                  examples=len(loaded_examples), documents=documents,
                  schedules=len(library.schedules))
