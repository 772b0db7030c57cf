"""The clause library: every version of every clause and schedule, and the glossary.

A clause is read from `clauses/<id>/v<N>.md`, a schedule from
`clauses/schedules/<id>/v<N>.md`: YAML front matter (what it is, when it applies, its
variants and terms) followed by a body in the markup of `clauses/README.md`. The glossary
(`clauses/glossary.yaml`, see `glossary`) gives the words for answer values. This module
reads and validates the files and answers "which version?"; it renders nothing (see
`assemble`). Errors name the file and line, because the reader is a lawyer editing that file.

A schedule is addressed as `schedule:<id>` (`schedule:members@2`), or by its plain id when
no clause has that id; a plain id names the clause when one has it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from jinja2 import BytecodeCache
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafting import __version__
from drafting.errors import AnswersError, LibraryError
from drafting.read import bytecode, snapshot
from drafting.read.conditions import compile_body, evaluate
from drafting.read.glossary import FILE_NAME as GLOSSARY_FILE
from drafting.read.glossary import Glossary, load_glossary
from drafting.read.yamlsource import Source, parse_yaml

CHECKLIST_FILE = "checklist.md"
"""The lawyer's checklist note: Jinja over `items` (see `build.checklist`)."""

__all__ = [
    "CHECKLIST_FILE",
    "DEFAULT_ROOT",
    "KINDS",
    "SCHEDULES_DIR",
    "SCHEDULE_PREFIX",
    "ClauseVersion",
    "Library",
    "Variant",
    "library_files",
    "load_library",
    "parse_clause_ref",
    "read_clause",
]

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "clauses"
KINDS = ("collaboration_agreement", "sub_contract", "mou", "committee_terms", "data_sharing",
         "accession_deed")
SCHEDULES_DIR = "schedules"
"""The library's folder of schedules: `schedules/<id>/v<N>.md`. No clause has this id."""
SCHEDULE_PREFIX = "schedule:"

_FILE = re.compile(r"^v([1-9][0-9]*)\.md$")
_VARIANT_OPEN = re.compile(r"^:::\s*variant\s+([a-z0-9][a-z0-9-]*)\s*$")
_VARIANT_CLOSE = re.compile(r"^:::\s*$")


# Built on first use (`defer_build`): a run that loads the library from its snapshot (see
# `snapshot`) validates no front matter, and building these models takes milliseconds.
class _VariantSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    when: str = "true"


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    status: Literal["draft", "current", "superseded"]
    date: dt.date
    change: str = Field(min_length=1)
    documents: list[Literal[KINDS]] = Field(min_length=1)  # type: ignore[valid-type]
    when: str = "true"
    variants: list[_VariantSpec] = Field(default_factory=list)
    uses: list[str] = Field(default_factory=list)
    defines: dict[str, str] = Field(default_factory=dict)
    note: str | None = None
    defaults: list[str] = Field(default_factory=list)


class _ScheduleFrontMatter(_FrontMatter):
    titles: dict[Literal[KINDS], str] = Field(default_factory=dict)  # type: ignore[valid-type]


@dataclass(frozen=True)
class Variant:
    """A variant of a clause: its id, the condition that selects it, its file line."""

    id: str
    when: str
    line: int


@dataclass(frozen=True, eq=False)
class ClauseVersion:
    """One version of one clause (or schedule), as read from its file.

    `body_line` is the file line of the body's first line, so a body line `n` (1-based) is
    file line `n + body_line - 1`. `lines` maps front-matter keys (`when`, `defines.Board`)
    to their file lines. `part` is "clause" or "schedule"; a schedule may have a title per
    document kind (`titles`), its `title` otherwise.
    """

    id: str
    version: int
    title: str
    status: str
    date: dt.date
    change: str
    documents: tuple[str, ...]
    when: str
    variants: tuple[Variant, ...]
    uses: tuple[str, ...]
    defines: dict[str, str]
    note: str | None
    body: str
    body_line: int
    path: Path
    text: str
    lines: dict[str, int] = field(default_factory=dict)
    part: Literal["clause", "schedule"] = "clause"
    titles: dict[str, str] = field(default_factory=dict)
    cache: BytecodeCache | None = field(default=None, repr=False)
    """Where compiled templates of this clause are kept between runs (see `bytecode`)."""
    defaults: tuple[str, ...] = ()
    """Each a phrase (Jinja, like a note) naming a value the library chose where the answers
    say nothing, for the lawyer's checklist of the document (see `build.checklist`)."""

    @property
    def name(self) -> str:
        """`voting` for a clause, `schedule:members` for a schedule."""
        return f"{SCHEDULE_PREFIX}{self.id}" if self.part == "schedule" else self.id

    @property
    def ref(self) -> str:
        """`voting@2`, `schedule:members@1`."""
        return f"{self.name}@{self.version}"

    def title_in(self, kind: str) -> str:
        """The title it has in a document of `kind`."""
        return self.titles.get(kind, self.title)

    def line_of(self, key: str) -> int:
        """The file line of a front-matter key (`when`, `variants`, `defines.Board`), else 1."""
        return self.lines.get(key, 1)

    def variant_for(self, context: dict[str, Any]) -> str | None:
        """The id of the first variant whose `when` holds for `context`, None without variants.

        `LibraryError` when none holds: the last variant's `when` should be "true".
        """
        if not self.variants:
            return None
        for variant in self.variants:
            if evaluate(variant.when, context, file=str(self.path), line=variant.line,
                        cache=self.cache):
                return variant.id
        raise LibraryError(
            f"no variant of {self.part} {self.id!r} applies to these answers; make the last "
            "variant's `when` \"true\"", file=self.path, line=self.line_of("variants"),
        )

    def variant_body(self, variant: str | None) -> str:
        """The body with only `variant`'s blocks kept; other blocks become blank lines.

        Blank lines keep every line where it was, so Jinja errors name the file's line.
        """
        out: list[str] = []
        current: str | None = None
        for line in self.body.split("\n"):
            opened = _VARIANT_OPEN.match(line.strip())
            if opened:
                current = opened.group(1)
                out.append("")
            elif current is not None and _VARIANT_CLOSE.match(line.strip()):
                current = None
                out.append("")
            else:
                out.append(line if current is None or current == variant else "")
        return "\n".join(out)

    def template(self, variant: str | None) -> Any:
        """The compiled Jinja template of the body for `variant` (compiled once)."""
        compiled = self.__dict__.setdefault("_templates", {})
        if variant not in compiled:
            compiled[variant] = compile_body(self.variant_body(variant), str(self.path),
                                             self.body_line - 1, cache=self.cache,
                                             name=f"{self.path}#{variant or ''}")
        return compiled[variant]


def _split(text: str, file: str) -> tuple[str, str, int]:
    """Split a clause file into front matter and body; return the body's first line."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise LibraryError(
            "a clause file starts with a line `---`, then its front matter, then `---`",
            file=file, line=1,
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise LibraryError("the front matter is not closed by a line `---`", file=file, line=1)


def _variant_blocks(body: str, declared: set[str], file: str, offset: int) -> None:
    """Check `::: variant` blocks: declared ids, no nesting, every block closed."""
    open_at: int | None = None
    for number, line in enumerate(body.split("\n"), start=offset):
        stripped = line.strip()
        opened = _VARIANT_OPEN.match(stripped)
        if opened:
            if open_at is not None:
                raise LibraryError("a variant block opens inside another; close it with `:::` "
                                   "first", file=file, line=number)
            if opened.group(1) not in declared:
                known = ", ".join(sorted(declared)) or "none declared"
                raise LibraryError(f"variant {opened.group(1)!r} is not in this clause's "
                                   f"`variants` ({known})", file=file, line=number)
            open_at = number
        elif stripped.startswith(":::") and not _VARIANT_CLOSE.match(stripped):
            raise LibraryError("write a variant block as `::: variant ID` ... `:::`",
                               file=file, line=number)
        elif _VARIANT_CLOSE.match(stripped):
            if open_at is None:
                raise LibraryError("`:::` closes no variant block", file=file, line=number)
            open_at = None
    if open_at is not None:
        raise LibraryError("this variant block is never closed with `:::`", file=file, line=open_at)


class _FastLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's loader: front matter is read fifty times per cold start."""


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_ITEM_KEY = re.compile(r"^  (?!-)(\S[^:]*?)\s*:(\s|$)")


def _key_lines(front: str) -> tuple[dict[str, int], bool]:
    """File lines of the front-matter keys a message may point at; and whether a top-level
    key or a `defines` term is given twice (the careful reader then reports it)."""
    lines: dict[str, int] = {}
    twice = False
    section = ""
    item = -1
    for number, line in enumerate(front.split("\n"), start=2):
        top = _TOP_KEY.match(line)
        if top:
            section = top.group(1)
            twice |= section in lines
            lines[section] = number
            item = -1
            continue
        if section == "defines":
            term = _ITEM_KEY.match(line)
            if term:
                key = f"defines.{term.group(1).strip(chr(34) + chr(39))}"
                twice |= key in lines
                lines[key] = number
        elif section == "variants":
            stripped = line.strip()
            if stripped.startswith("-"):
                item += 1
                lines[f"variants.{item}"] = number
            if "when" in stripped and item >= 0:
                lines.setdefault(f"variants.{item}.when", number)
    return lines, twice


def _front_matter(front: str, file: str) -> tuple[Any, dict[str, int]]:
    """Parse front matter with libyaml; on any doubt, the line-keeping reader explains."""
    lines, twice = _key_lines(front)
    try:
        data = None if twice else yaml.load(front, Loader=_FastLoader)
    except yaml.YAMLError:
        data = None
    if data is None or not isinstance(data, dict):
        try:
            source: Source = parse_yaml(front, file)
        except AnswersError as exc:
            problem = exc.problems[0]
            raise LibraryError(f"front matter: {problem.message}", file=file,
                               line=(problem.line or 0) + 1) from None
        if not isinstance(source.data, dict):
            raise LibraryError("the front matter is not a set of keys", file=file, line=2)
        data = source.data
    return data, lines


def read_clause(path: Path, cache: BytecodeCache | None = None,
                part: Literal["clause", "schedule"] | None = None) -> ClauseVersion:
    """Read and validate one clause or schedule file; raise `LibraryError` naming the file
    and line. A file under `schedules/` is a schedule unless `part` says otherwise.

    `cache` is where its compiled templates are kept between runs (None: nowhere).
    """
    if part is None:
        part = "schedule" if path.parent.parent.name == SCHEDULES_DIR else "clause"
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(f"cannot read the clause file ({exc})", file=file) from None
    front, body, body_line = _split(text, file)
    data, lines = _front_matter(front, file)
    try:
        meta = (_ScheduleFrontMatter if part == "schedule" else _FrontMatter).model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = [str(p) for p in err["loc"] if isinstance(p, (str, int))]
        key = ".".join(loc)
        line = None
        while loc and line is None:
            line = lines.get(".".join(loc))
            loc.pop()
        raise LibraryError(f"front matter `{key}`: {err['msg']}", file=file,
                           line=line or 2) from None
    expected = _FILE.match(path.name)
    if path.parent.name != meta.id or not expected or int(expected.group(1)) != meta.version:
        where = ("clauses/schedules/<id>/v<version>.md" if part == "schedule"
                 else "clauses/<id>/v<version>.md")
        raise LibraryError(
            f"front matter says {meta.id} version {meta.version}, but the file is "
            f"{path.parent.name}/{path.name}; a {part} lives at {where}",
            file=file, line=lines.get("id", 2),
        )
    if part == "clause" and meta.id == SCHEDULES_DIR:
        raise LibraryError(f"{SCHEDULES_DIR!r} is the folder of the schedules, not a clause id",
                           file=file, line=lines.get("id", 2))
    ids = [v.id for v in meta.variants]
    if len(set(ids)) != len(ids):
        raise LibraryError("two variants share an id", file=file, line=lines.get("variants", 2))
    _variant_blocks(body, set(ids), file, body_line)
    variants = tuple(
        Variant(v.id, v.when, lines.get(f"variants.{i}.when", lines.get("variants", 2)))
        for i, v in enumerate(meta.variants)
    )
    return ClauseVersion(
        id=meta.id, version=meta.version, title=meta.title, status=meta.status, date=meta.date,
        change=meta.change, documents=tuple(meta.documents), when=meta.when, variants=variants,
        uses=tuple(meta.uses), defines=dict(meta.defines), note=meta.note, body=body,
        body_line=body_line, path=path, text=text, lines=lines, part=part,
        titles=dict(getattr(meta, "titles", {})), cache=cache, defaults=tuple(meta.defaults),
    )


@dataclass(frozen=True, eq=False)
class Library:
    """Every clause and schedule version under `root`, by id, oldest first; and the glossary.

    `version` identifies the library's content: the package version plus a hash of every
    clause and schedule file and the glossary, so a document records exactly which text
    it was drafted from.
    """

    root: Path
    clauses: dict[str, tuple[ClauseVersion, ...]]
    version: str
    schedules: dict[str, tuple[ClauseVersion, ...]] = field(default_factory=dict)
    glossary: Glossary = field(default_factory=Glossary)
    cache: BytecodeCache | None = field(default=None, repr=False)
    """Where compiled templates of this library are kept between runs (see `bytecode`)."""
    checklist: str | None = None
    """The words of the lawyer's checklist note (`checklist.md`), None without the file."""

    def ids(self) -> list[str]:
        """Clause ids, sorted."""
        return sorted(self.clauses)

    def history(self, clause_id: str) -> tuple[ClauseVersion, ...]:
        """Every version of `clause_id`, oldest first; `LibraryError` for an unknown id."""
        self._known(clause_id)
        return self.clauses[clause_id]

    def get(self, clause_id: str, version: int | None = None) -> ClauseVersion:
        """The current version of `clause_id`, or the pinned `version` when given."""
        return _pick(self.history(clause_id), "clause", clause_id, version, self.root)

    def schedule_history(self, schedule_id: str) -> tuple[ClauseVersion, ...]:
        """Every version of schedule `schedule_id`, oldest first; `LibraryError` if unknown."""
        if schedule_id not in self.schedules:
            close = difflib.get_close_matches(schedule_id, list(self.schedules), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise LibraryError(f"no schedule {schedule_id!r} in the library{hint}",
                               file=self.root / SCHEDULES_DIR)
        return self.schedules[schedule_id]

    def get_schedule(self, schedule_id: str, version: int | None = None) -> ClauseVersion:
        """The current version of schedule `schedule_id`, or the pinned `version`."""
        return _pick(self.schedule_history(schedule_id), "schedule", schedule_id, version,
                     self.root / SCHEDULES_DIR)

    def resolve(self, name: str) -> tuple[Literal["clause", "schedule"], str]:
        """What `name` addresses: `schedule:<id>` a schedule; a plain id the clause of that
        id, else the schedule of that id. `LibraryError` (with a suggestion) when neither."""
        if name.startswith(SCHEDULE_PREFIX):
            schedule_id = name[len(SCHEDULE_PREFIX):]
            self.schedule_history(schedule_id)
            return "schedule", schedule_id
        if name in self.clauses:
            return "clause", name
        if name in self.schedules:
            return "schedule", name
        names = [*self.clauses, *self.schedules]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise LibraryError(f"no clause or schedule {name!r} in the library{hint}",
                           file=self.root)

    def item_history(self, name: str) -> tuple[ClauseVersion, ...]:
        """Every version of the clause or schedule `name` addresses (see `resolve`)."""
        part, ident = self.resolve(name)
        return self.schedule_history(ident) if part == "schedule" else self.history(ident)

    def item(self, name: str, version: int | None = None) -> ClauseVersion:
        """The current (or pinned) version of the clause or schedule `name` addresses."""
        part, ident = self.resolve(name)
        return self.get_schedule(ident, version) if part == "schedule" else self.get(ident, version)

    def current(self) -> list[ClauseVersion]:
        """The current version of every clause, by id."""
        return [self.get(i) for i in self.ids()]

    def current_schedules(self) -> list[ClauseVersion]:
        """The current version of every schedule, by id."""
        return [self.get_schedule(i) for i in sorted(self.schedules)]

    @cached_property
    def definitions(self) -> dict[str, ClauseVersion]:
        """Defined term -> the current clause (or schedule) that defines it."""
        return {term: c for c in [*self.current(), *self.current_schedules()]
                for term in c.defines}

    def _known(self, clause_id: str) -> None:
        if clause_id not in self.clauses:
            close = difflib.get_close_matches(clause_id, list(self.clauses), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            if not hint and clause_id in self.schedules:
                hint = f"; {clause_id!r} is a schedule: {SCHEDULE_PREFIX}{clause_id}"
            raise LibraryError(f"no clause {clause_id!r} in the library{hint}", file=self.root)


def _pick(versions: tuple[ClauseVersion, ...], part: str, ident: str, version: int | None,
          where: Path) -> ClauseVersion:
    if version is None:
        for candidate in versions:
            if candidate.status == "current":
                return candidate
        raise LibraryError(f"{part} {ident!r} has no current version", file=where / ident)
    for candidate in versions:
        if candidate.version == version:
            return candidate
    have = ", ".join(str(v.version) for v in versions)
    raise LibraryError(f"{part} {ident!r} has no version {version} (it has {have})",
                       file=where / ident)


def _parse_ref(text: str) -> tuple[str, int | None]:
    """`voting@2` -> (`voting`, 2); `schedule:members` -> (`schedule:members`, None)."""
    if "@" in text:
        ident, _, version = text.partition("@")
        return ident, int(version.lstrip("v"))
    return text, None


_CACHE: dict[tuple[str, str, str], Library] = {}


def library_files(root: Path) -> list[Path]:
    """Every clause and schedule file under `root`, in a fixed order."""
    return sorted(root.glob("*/v*.md")) + sorted((root / SCHEDULES_DIR).glob("*/v*.md"))


def load_library(path: str | Path | None = None) -> Library:
    """Read every clause and schedule file and the glossary under `path` (the bundled
    `clauses/` when None).

    Raises `LibraryError` for a bad file, two current versions of one clause or schedule,
    or a term defined twice. Reading the same unchanged library twice returns the same object.
    Its templates are compiled when first used, and their code is kept between runs in the
    cache of this library version (see `bytecode`); what reading the files makes of them is
    kept there too, so a later run parses nothing (see `snapshot`).
    """
    root = Path(path) if path is not None else DEFAULT_ROOT
    if not root.is_dir():
        raise LibraryError("the clause library folder does not exist", file=root)
    files = library_files(root)
    glossary_path = root / GLOSSARY_FILE
    checklist_path = root / CHECKLIST_FILE
    digest = hashlib.sha256()
    for file in [*files, glossary_path, checklist_path]:
        if file.exists():
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    content = digest.hexdigest()
    version = f"{__version__}+{content[:12]}"
    code_cache = bytecode.for_library(version)
    key = (str(root.resolve()), content, str(code_cache.path) if code_cache else "")
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    kept_at = snapshot.path_for(root, content)
    parts = snapshot.load(kept_at)
    if not _whole(parts):
        parts = _read_all(root, files, glossary_path, checklist_path)
        snapshot.save(kept_at, parts)
    clauses, schedules, glossary, checklist = parts
    if code_cache is not None:
        def with_cache(items: dict[str, tuple[ClauseVersion, ...]]) -> dict[str, Any]:
            return {k: tuple(replace(c, cache=code_cache) for c in v) for k, v in items.items()}

        clauses, schedules = with_cache(clauses), with_cache(schedules)
    library = Library(root=root, clauses=clauses, version=version, cache=code_cache,
                      schedules=schedules, glossary=glossary, checklist=checklist)
    _CACHE[key] = library
    return library


_Parts = tuple[dict[str, tuple[ClauseVersion, ...]], dict[str, tuple[ClauseVersion, ...]],
               Glossary, str | None]


def _whole(parts: Any) -> bool:
    """Whether a snapshot holds what `_read_all` returns (an older or odd one does not)."""
    return (isinstance(parts, tuple) and len(parts) == 4 and isinstance(parts[0], dict)
            and isinstance(parts[1], dict) and isinstance(parts[2], Glossary)
            and (parts[3] is None or isinstance(parts[3], str))
            and all(isinstance(c, ClauseVersion) for items in parts[:2]
                    for versions in items.values() for c in versions))


def _read_all(root: Path, files: list[Path], glossary_path: Path,
              checklist_path: Path) -> _Parts:
    """Read and check every file of the library: clauses and schedules by id (oldest
    first), the glossary and the checklist's words. Nothing here depends on the machine's
    cache, so the result can be kept between runs (see `snapshot`)."""
    by_id: dict[str, list[ClauseVersion]] = {}
    schedules_by_id: dict[str, list[ClauseVersion]] = {}
    for file in files:
        item = read_clause(file)
        (schedules_by_id if item.part == "schedule" else by_id).setdefault(item.id, []).append(item)
    clauses = {k: tuple(sorted(v, key=lambda c: c.version)) for k, v in sorted(by_id.items())}
    schedules = {k: tuple(sorted(v, key=lambda c: c.version))
                 for k, v in sorted(schedules_by_id.items())}
    definers: dict[str, ClauseVersion] = {}
    for versions in [*clauses.values(), *schedules.values()]:
        current = [c for c in versions if c.status == "current"]
        if len(current) != 1:
            raise LibraryError(
                f"{versions[0].part} {versions[0].id!r} has {len(current)} current versions; "
                "exactly one version has `status: current`, the older ones `superseded`",
                file=versions[-1].path, line=versions[-1].line_of("status"),
            )
        for term in current[0].defines:
            if term in definers:
                raise LibraryError(
                    f"term {term!r} is defined twice, here and in {definers[term].path}; "
                    "a term is defined by one clause only",
                    file=current[0].path, line=current[0].line_of(f"defines.{term}"),
                )
            definers[term] = current[0]
    try:
        checklist = (checklist_path.read_text(encoding="utf-8")
                     if checklist_path.exists() else None)
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(f"cannot read the checklist ({exc})", file=checklist_path) from None
    return clauses, schedules, load_glossary(glossary_path), checklist


parse_clause_ref = _parse_ref
