"""`drafting check`: prove the clause library consistent before anyone drafts with it.

Static checks read every clause version: Jinja syntax, answer names (compared with the
answers model and the context of clauses/README.md), `{ref:}` targets and labels,
`{sched:}` ids, and terms (used but undefined, used but not in `uses`, defined but never
used). Dynamic checks draft every document of every example answers file, so an error a
real collaborative would hit shows here first, and record which clauses and variants the
examples reach: a clause no example reaches has never been seen in a document.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jinja2 import TemplateSyntaxError
from pydantic import BaseModel

from drafting.build.assemble import TEMPLATES, assemble, load_outline
from drafting.errors import DraftingError, LibraryError, Problem
from drafting.read.answers import Answers
from drafting.read.conditions import environment, referenced_paths
from drafting.read.library import (
    DEFAULT_ROOT,
    SCHEDULE_IDS,
    ClauseVersion,
    Library,
    load_library,
    read_clause,
)
from drafting.read.load import LoadedAnswers, load_answers
from drafting.read.markup import REF_PATTERN, SCHED_PATTERN, TERM_PATTERN
from drafting.write import oxml

__all__ = ["EXAMPLES", "Report", "check", "context_shape"]

EXAMPLES = Path(__file__).resolve().parents[2] / "answers"
FRAME_FIELDS = ("title", "collaborative_name", "short_name", "commencement_date", "lead_name",
                "partner_name", "parties", "generator")
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
    for free in ("weights", "loss_shares", "gain_shares"):
        derived[free] = _ANY
    derived["lead"] = member
    derived["partners"] = {"[]": member}
    shape["derived"] = derived
    shape["agreement_clauses"] = _ANY
    shape["document"] = None
    shape["partner"] = member
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


def _static(library: Library, shape: dict[str, Any]) -> Iterator[Problem]:
    definitions = library.definitions
    used_anywhere: set[str] = set()
    for versions in library.clauses.values():
        for clause in versions:
            file = clause.path
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
                    elif label and label not in _LABEL.findall(library.get(target).body):
                        yield Problem("reference", "", f"{match.group(0)}: clause {target!r} has "
                                      f"no sub-clause labelled {{#{label}}}", line=line,
                                      file=str(file))
                for match in SCHED_PATTERN.finditer(text):
                    if match.group(1) not in SCHEDULE_IDS:
                        yield Problem("reference", "", f"{match.group(0)}: no schedule id "
                                      f"{match.group(1)!r}; known: {', '.join(SCHEDULE_IDS)}",
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
    for term, definer in sorted(definitions.items()):
        if term not in used_anywhere:
            yield Problem("term", "", f"term {term!r} is defined but no clause uses it; remove "
                          "it or use it as [[" + term + "]]",
                          line=definer.line_of(f"defines.{term}"), file=str(definer.path))


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
    for path in sorted(root.glob("*/v*.md")):
        try:
            read_clause(path)
        except LibraryError as exc:
            problems.append(Problem("front-matter", "", exc.message, line=exc.line,
                                    file=exc.file))
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
    problems += _static(library, shape)
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
    seen = {(p.file, p.line, p.message) for p in problems}
    unique = []
    for p in problems:
        key = (p.file, p.line, p.message)
        if key in seen:
            seen.discard(key)
            unique.append(p)
    problems = unique
    for clause in library.current():
        pending = not any(kind in have_outline for kind in clause.documents)
        severity: Literal["error", "warning"] = "warning" if pending else "error"
        if clause.id not in reached:
            kinds = ", ".join(clause.documents)
            why = " (no outline yet for its documents)" if pending else ""
            problems.append(Problem("unreachable", "", f"no example answers reach clause "
                                    f"{clause.id!r} in {kinds}{why}: add an example that needs "
                                    "it, or check its `when` and the outlines",
                                    line=clause.line_of("when"), file=str(clause.path),
                                    severity=severity))
            continue
        for variant in clause.variants:
            if variant.id not in reached[clause.id]:
                # A variant is a choice within a reached clause: report it, do not fail on it.
                problems.append(Problem("unreachable", "", f"no example answers select variant "
                                        f"{variant.id!r}", line=variant.line,
                                        file=str(clause.path), severity="warning"))
    return Report(problems, clauses=len(library.clauses),
                  versions=sum(len(v) for v in library.clauses.values()),
                  examples=len(loaded_examples), documents=documents)
