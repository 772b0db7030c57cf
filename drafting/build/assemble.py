"""Assemble a document: answers + clause library + outline -> `model.Document`.

This is a pure function of its inputs. The outline (`templates/<kind>.yaml`) gives the
order of clauses and schedules; each clause's `when` and variants decide what is in; Jinja
renders each body in the sandbox; markup turns it into paragraphs; then everything is
numbered, cross-references are resolved to numbers, and the definitions clause gets exactly
the terms the document uses, alphabetically.

An outline looks like::

    kind: collaboration_agreement
    title: Collaboration Agreement
    parties: members            # members | members_not_observers | lead_and_partner | none
                                #   (who is named and signs)
    background: background      # optional: the library clause drafted as the lettered
                                #   recitals under "Background", before the clauses
    terms_heading: Agreed terms # optional: the heading before the clauses (default shown)
    clauses: [definitions, interpretation, ...]
    schedules: [members, services, financial-framework]   # or {id: sc-reporting, number: 6}

Schedules are library items too (`clauses/schedules/<id>/v<N>.md`): their own `when`
decides whether they are in, and their bodies are rendered like clauses (see
`drafting.build.schedules`). Every word of a document comes from the library; Python
computes only the values the text shows (`Answers.context()`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from drafting import __version__
from drafting.build import checklist
from drafting.build.schedules import (
    ChosenSchedule,
    ScheduleSpec,
    choose_schedules,
    schedule_blocks,
)
from drafting.errors import AssemblyError, LibraryError
from drafting.model import (
    Block,
    Clause,
    Document,
    Emph,
    Inline,
    Paragraph,
    Ref,
    SchedRef,
    Schedule,
    Signature,
    Strong,
    Table,
    Target,
    Term,
    Text,
)
from drafting.read import markup
from drafting.read.answers import COMPANY_KINDS, Answers
from drafting.read.conditions import LITERAL_CLOSE, LITERAL_OPEN, evaluate, join_words, render
from drafting.read.conditions import date as date_words
from drafting.read.library import ClauseVersion, Library
from drafting.read.load import LoadedAnswers
from drafting.read.markup import ParsedBody, parse_clause, parse_phrase

__all__ = [
    "TEMPLATES",
    "agreement_clauses",
    "agreement_parts",
    "Outline",
    "ScheduleSpec",
    "assemble",
    "bookmark_name",
    "document_context",
    "load_outline",
    "split_pins",
    "terms_in",
]

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Outline:
    """A document kind's outline: title, who the parties are, clause ids, schedules, frame."""

    kind: str
    title: str
    parties: str
    clauses: tuple[str, ...]
    schedules: tuple[ScheduleSpec, ...]
    frame: Path
    path: Path
    background: str | None = None
    terms_heading: str = "Agreed terms"
    incorporates: str | None = None
    own_terms: tuple[str, ...] = ()


_OUTLINES: dict[Path, Outline] = {}
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's reader of the outlines: the same safe reading, many times faster."""


def load_outline(kind: str, templates: Path | None = None) -> Outline:
    """Read `templates/<kind>.yaml`; `LibraryError` when it is missing or malformed."""
    folder = templates or TEMPLATES
    path = folder / f"{kind}.yaml"
    if path in _OUTLINES:
        return _OUTLINES[path]
    if not path.exists():
        raise LibraryError(f"there is no outline for document kind {kind!r}; add {path.name} "
                           "(clause ids and schedules) and its frame .docx", file=path)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        data = None  # PyYAML's own reader says what is wrong, and where, as it always did
    try:
        if data is None:
            data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LibraryError(f"outline is not valid YAML ({exc})", file=path,
                           line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
        raise LibraryError("an outline needs `title` and a list `clauses`", file=path)
    unknown = set(data) - {"kind", "title", "parties", "clauses", "schedules", "frame",
                           "background", "terms_heading", "incorporates", "own_terms"}
    if unknown:
        raise LibraryError(f"unknown outline keys: {', '.join(sorted(unknown))}", file=path)
    lines = path.read_text(encoding="utf-8").split("\n")
    schedules = [_schedule_spec(item, path, lines) for item in data.get("schedules") or []]
    parties = data.get("parties", "members")
    if parties not in ("members", "members_not_observers", "lead_and_partner", "none"):
        raise LibraryError("`parties` is one of members, members_not_observers, "
                           "lead_and_partner, none", file=path)
    background = data.get("background")
    if background is not None and (not isinstance(background, str)
                                   or not re.fullmatch(r"[a-z][a-z0-9-]*", background)):
        raise LibraryError("`background` is the id of the library clause drafted as the "
                           "recitals (`background: background`)", file=path,
                           line=_outline_line_in(text, "background:"))
    terms_heading = data.get("terms_heading", "Agreed terms")
    if not isinstance(terms_heading, str) or not terms_heading.strip():
        raise LibraryError("`terms_heading` is the words of the heading before the clauses "
                           "(`terms_heading: Agreed terms`)", file=path,
                           line=_outline_line_in(text, "terms_heading:"))
    incorporates = data.get("incorporates")
    own_terms = data.get("own_terms") or []
    if incorporates is not None and incorporates != "collaboration_agreement" or not (
            isinstance(own_terms, list) and all(isinstance(t, str) for t in own_terms)):
        raise LibraryError("`incorporates` is collaboration_agreement (the document whose "
                           "definitions this one takes) and `own_terms` a list of the terms "
                           "it defines again all the same", file=path,
                           line=_outline_line_in(text, "incorporates:"))
    outline = Outline(
        incorporates=incorporates, own_terms=tuple(own_terms),
        background=background, terms_heading=" ".join(terms_heading.split()),
        kind=kind, title=str(data.get("title", kind)), parties=parties,
        clauses=tuple(str(c) for c in data["clauses"]), schedules=tuple(schedules),
        frame=folder / str(data.get("frame", f"{kind}.docx")), path=path,
    )
    _OUTLINES[path] = outline
    return outline


def _outline_line_in(text: str, start: str) -> int | None:
    """The line of `text` (an outline) that starts with `start`, for a message."""
    return next((n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start)),
                None)


_SCHEDULE_KEYS = {"id", "number"}


def _schedule_spec(item: Any, path: Path, text: list[str]) -> ScheduleSpec:
    """An outline's schedule entry: an id, or `{id: ..., number: N}` to fix its number.

    `text` is the outline's lines, to name the entry's line in a message.
    """
    start = next((n for n, t in enumerate(text, 1) if t.startswith("schedules:")), 1)
    ident = item if isinstance(item, str) else item.get("id") if isinstance(item, dict) else None
    line = None
    if isinstance(ident, str):
        line = next((n for n, t in enumerate(text[start - 1:], start)
                     if re.search(rf"(^|[\s\[,:-]){re.escape(ident)}($|[\s\],}}])", t)), start)
    if not isinstance(ident, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", ident):
        raise LibraryError("a schedule entry is a schedule id, or {id: ..., number: N}",
                           file=path, line=line)
    if isinstance(item, dict):
        extra = set(item) - _SCHEDULE_KEYS
        if extra & {"title", "when"}:
            raise LibraryError(
                f"schedule {ident!r}: its title and `when` are in its library file, "
                f"clauses/schedules/{ident}/v<N>.md; the outline gives only its id (and "
                "`number` to fix its number)", file=path, line=line)
        if extra:
            raise LibraryError(f"schedule {ident!r}: unknown keys {', '.join(sorted(extra))}; "
                               "an entry has `id` and, optionally, `number`", file=path, line=line)
        number = item.get("number")
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)
                                   or number < 1):
            raise LibraryError(f"schedule {ident!r}: `number` is a whole number from 1",
                               file=path, line=line)
        return ScheduleSpec(ident, number, line)
    return ScheduleSpec(ident, None, line)


def split_pins(library: Library, pins: Mapping[str, int], *,
               file: str | Path | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """An answers file's `clause_versions` as (clause id -> version, schedule id -> version).

    A key names a clause by its id and a schedule as `schedule:<id>` (or by its plain id
    when no clause has that id). `AssemblyError` for a key that names neither.
    """
    clauses: dict[str, int] = {}
    schedules: dict[str, int] = {}
    for name, version in pins.items():
        try:
            part, ident = library.resolve(name)
        except LibraryError as exc:
            raise AssemblyError(f"clause_versions pins {name!r}: {exc.message}; see "
                                "`drafting clauses list`", file=file) from None
        (schedules if part == "schedule" else clauses)[ident] = version
    return clauses, schedules


def document_context(answers: Answers, kind: str, partner: str | None,
                     glossary: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The Jinja context of one document: the answers' context plus `document`, `partner`
    and `glossary` (the library's words for answer values, which `words_for` reads)."""
    context = answers.context()
    context["glossary"] = glossary if glossary is not None else {}
    context["document"] = kind
    member = answers.members_by_id.get(partner) if partner else None
    if partner and member is None:
        raise AssemblyError(f"partner {partner!r} is not a member id")
    context["partner"] = member.model_dump(mode="json", by_alias=True) if member else None
    return context


def bookmark_name(target: str) -> str:
    """A Word bookmark name for a target: hidden (`_Ref`), at most 40 characters, stable."""
    slug = re.sub(r"[^A-Za-z0-9]", "_", target)
    name = f"_Ref_{slug}"
    if len(name) > 40:
        name = f"_Ref_{slug[:26]}_{hashlib.sha1(target.encode()).hexdigest()[:8]}"
    return name


def terms_in(inlines: Iterable[Inline]) -> Iterable[str]:
    """Every defined term used in `inlines`, nested ones included."""
    for node in inlines:
        if isinstance(node, Term):
            yield node.name
        elif isinstance(node, (Emph, Strong)):
            yield from terms_in(node.children)


def _line_of(clause: ClauseVersion, needle: str) -> int | None:
    for number, line in enumerate(clause.text.split("\n"), start=1):
        if needle in line:
            return number
    return None


def _number(clause_number: str, counters: list[int], level: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    text = clause_number
    if counters[0]:
        text += f".{counters[0]}"
    if level >= 2 and counters[1]:
        text += f"({_alpha(counters[1], letters)})"
    if level >= 3 and counters[2]:
        text += f"({_roman(counters[2])})"
    return text


def _alpha(n: int, letters: str) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = letters[rem] + out
    return out


def _roman(n: int) -> str:
    table = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
             (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, numeral in table:
        while n >= value:
            out += numeral
            n -= value
    return out


def assemble(library: Library, loaded: LoadedAnswers, kind: str, *, partner: str | None = None,
             templates: Path | None = None,
             last_party: Callable[[int], Paragraph] | None = None) -> Document:
    """Draft document `kind` from valid answers; a pure function of its inputs.

    `partner` is the partner member id of a sub-contract, None otherwise. `last_party`, given
    the number of the next party, makes a party to add after the members (the accession
    deed's member that joins), so that the checklist counts its blanks too. Raises
    `LibraryError` for a problem in the library or outline (named by file and line) and
    `AssemblyError` when the answers produce something inconsistent (a reference to a
    clause they leave out).
    """
    answers = loaded.answers
    outline = load_outline(kind, templates)
    context = document_context(answers, kind, partner, library.glossary.entries)
    pins, schedule_pins = split_pins(library, answers.clause_versions, file=loaded.file)

    cited = (agreement_parts(library, answers, templates,
                             {**context, "document": "collaboration_agreement", "partner": None})
             if kind in AGREEMENT_CITERS else ({}, {}))
    context["agreement_clauses"], context["agreement_schedules"] = cited
    chosen = _included(library, outline, context, pins)
    # Which clauses (id -> version) this document has: a clause that refers to another guards
    # the reference with it, so pinning an earlier version of the other never breaks it.
    context["included"] = {clause.id: clause.version for clause, _ in chosen}
    # Which schedules an answers file pins (id -> version): a clause that an older schedule
    # version cites keeps the sub-clause it cites while that version is pinned.
    context["pinned_schedules"] = dict(schedule_pins)

    schedules = choose_schedules(library, outline.schedules, context, kind, schedule_pins,
                                 outline.path)
    targets: dict[str, Target] = {
        f"sched:{s.version.id}": Target(bookmark_name(f"sched-{s.version.id}"), s.number)
        for s in schedules
    }

    clauses: list[Clause] = []
    used: set[str] = set()  # defined terms the clauses and schedules use
    sources: list[tuple[ClauseVersion, tuple[Block, ...], tuple[Ref | SchedRef, ...]]] = []
    for index, (clause, variant) in enumerate(chosen, start=1):
        parsed = _parsed(clause, variant, context)
        used |= parsed.terms
        number = str(index)
        targets[clause.id] = Target(bookmark_name(clause.id), number)
        blocks, labels = _numbered(parsed, clause.id, number)
        for key, label, level, target in labels:
            if key in targets:
                raise LibraryError(f"label {{#{label}}} is used twice in this clause",
                                   file=clause.path, line=_line_of(clause, f"{{#{label}}}"))
            if not level:
                raise LibraryError(f"label {{#{label}}} must follow a `-` marker",
                                   file=clause.path, line=_line_of(clause, f"{{#{label}}}"))
            targets[key] = target
        clauses.append(Clause(
            id=clause.id, version=clause.version, title=_clause_title(clause, context),
            number=number,
            bookmark=targets[clause.id].bookmark, blocks=blocks, variant=variant,
            note=_note(clause, context),
        ))
        sources.append((clause, blocks, parsed.refs))

    built: list[Schedule] = []
    for item in schedules:
        schedule = item.version
        parsed = _parsed(schedule, item.variant, context)
        used |= parsed.terms
        blocks = schedule_blocks(parsed, schedule)
        built.append(Schedule(schedule.id, schedule.title_in(kind), item.number,
                              targets[f"sched:{schedule.id}"].bookmark, blocks,
                              note=_note(schedule, context)))
        sources.append((schedule, blocks, parsed.refs))

    background = _background(library, outline, context, pins)
    recitals: tuple[Paragraph, ...] = ()
    if background is not None:
        version, variant = background
        parsed = _parsed(version, variant, context)
        used |= parsed.terms
        recitals = _recitals(parsed, version)
        sources.append((version, recitals, parsed.refs))

    incorporated: frozenset[str] = frozenset()
    if outline.incorporates and outline.incorporates in answers.documents:
        incorporated = frozenset(assemble(library, loaded, outline.incorporates,
                                          templates=templates).defined_terms)
    clauses, definition_refs, defined_terms = _with_definitions(
        library, clauses, context, kind, used, sources,
        incorporated - set(outline.own_terms))
    if definition_refs:
        definer = next(c for c, _b, _r in sources if c.id == "definitions" and c.part == "clause")
        sources.append((definer, (), definition_refs))
    _check_references(library, sources, targets, kind)
    parties = tuple(_parties(answers, outline.parties, partner))
    if last_party is not None:
        parties = (*parties, last_party(len(parties) + 1))
    clauses = _with_checklist(library, clauses, built, chosen, schedules, targets, context,
                              parties, (background[0], recitals) if background else None)

    fields = _fields(answers, outline, partner, context)
    return Document(
        kind=kind,
        title=fields["title"],
        frame=str(outline.frame),
        fields=fields,
        parties=parties,
        clauses=tuple(clauses),
        schedules=tuple(built),
        # The library's `execution` clause is the signature page when the document has one;
        # the generic blocks are for documents without it, so no party signs twice.
        signatures=() if any(c.id == "execution" for c in clauses)
        else tuple(_signatures(answers, outline.parties, partner)),
        targets=targets,
        provenance={
            "document": kind,
            "partner": partner,
            "answers_sha256": loaded.sha256,
            "library_version": library.version,
            "clauses": [{"id": c.id, "version": c.version, "variant": c.variant}
                        for c in clauses],
            "schedules": [{"id": s.version.id, "version": s.version.version,
                           "variant": s.variant} for s in schedules],
            **({"background": {"id": background[0].id, "version": background[0].version,
                               "variant": background[1]}} if background else {}),
            "generator": f"drafting {__version__}",
        },
        answers=loaded.text,
        recitals=recitals,
        terms_heading=outline.terms_heading,
        defined_terms=defined_terms,
        incorporated_terms=frozenset(t for t in incorporated if t not in defined_terms),
    )


def _background(library: Library, outline: Outline, context: dict[str, Any],
                pins: dict[str, int]) -> tuple[ClauseVersion, str | None] | None:
    """The library clause the outline's `background` names, with its variant, when its
    `when` holds (None without one). It is pinned by `clause_versions` like any clause."""
    if outline.background is None:
        return None
    ident = outline.background
    line = _outline_line_in(outline.path.read_text(encoding="utf-8"), "background:")
    try:
        clause = library.get(ident, pins.get(ident))
    except LibraryError as exc:
        raise LibraryError(exc.message, file=outline.path, line=line) from None
    if outline.kind not in clause.documents:
        if ident in pins:
            return None
        raise LibraryError(f"outline's background is clause {ident!r}, whose `documents` do "
                           f"not include {outline.kind}", file=outline.path, line=line)
    if not evaluate(clause.when, context, file=str(clause.path), line=clause.line_of("when"),
                    cache=clause.cache):
        return None
    return clause, clause.variant_for(context)


RECITAL_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _recitals(parsed: ParsedBody, clause: ClauseVersion) -> tuple[Paragraph, ...]:
    """The background clause's paragraphs as lettered recitals `(A)`, `(B)`, ...

    Each `- ` item (or unnumbered paragraph) is one recital; recitals are not clauses, so
    a deeper level, a label or a table has no place in them and is a library error.
    """
    out: list[Paragraph] = []
    for block in parsed.blocks:
        if isinstance(block, Table) or block.level > 1 or block.label:
            raise LibraryError("a recital is a `- ` paragraph: no table, deeper level or "
                               "{#label} in a background clause", file=clause.path,
                               line=clause.body_line)
        letter = _alpha(len(out) + 1, RECITAL_LETTERS)
        out.append(Paragraph(level=0, inlines=block.inlines, number=f"({letter})",
                             style="recital"))
    return tuple(out)


def _included(library: Library, outline: Outline, context: dict[str, Any],
              pins: dict[str, int]) -> list[tuple[ClauseVersion, str | None]]:
    """The clauses of `outline` whose `when` holds in `context`, in order, with their variant."""
    chosen: list[tuple[ClauseVersion, str | None]] = []
    for clause_id in outline.clauses:
        try:
            clause = library.get(clause_id, pins.get(clause_id))
        except LibraryError as exc:
            raise LibraryError(exc.message, file=outline.path,
                               line=_outline_line(outline, clause_id)) from None
        if outline.kind not in clause.documents:
            if clause_id in pins:  # a pinned earlier version was not written for this kind
                continue
            raise LibraryError(f"outline lists clause {clause_id!r}, whose `documents` do not "
                               f"include {outline.kind}", file=outline.path,
                               line=_outline_line(outline, clause_id))
        if evaluate(clause.when, context, file=str(clause.path), line=clause.line_of("when"),
                    cache=clause.cache):
            chosen.append((clause, clause.variant_for(context)))
    return chosen


# The documents that cite the collaboration agreement's clauses by number: a sub-contract
# incorporates parts of it, the committee terms and the data sharing agreement rank below it,
# an accession deed joins it, and a memorandum the agreement replaces ends under its long-stop
# clause.
AGREEMENT_CITERS = ("sub_contract", "committee_terms", "data_sharing", "accession_deed", "mou")


def agreement_clauses(library: Library, answers: Answers, templates: Path | None = None,
                      context: dict[str, Any] | None = None) -> dict[str, dict[str, str]]:
    """Clause id -> {number, title} in the collaboration agreement these answers draft ({}
    without one).

    A sub-contract incorporates parts of the collaboration agreement and ends through its
    withdrawal and expulsion clauses, so it cites them by number: the numbers the agreement
    drafted from the same answers and library shows (clause `when`s decide which are in).
    `context` is the agreement's drafting context, when the caller has it already.
    """
    return agreement_parts(library, answers, templates, context)[0]


def agreement_parts(library: Library, answers: Answers, templates: Path | None = None,
                    context: dict[str, Any] | None = None
                    ) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The collaboration agreement's clauses and schedules as its own text numbers them.

    Returns (clause id -> {number, title, parts}, schedule id -> {number, title}), where
    `parts` maps a clause's paragraph labels to their numbers ("8.3") and a schedule's number
    is its heading ("Schedule 4"); both are {} without an agreement in the pack. A
    document that cites the agreement ("Schedule 4 of the Agreement") takes the numbers from
    the agreement drafted from the same answers and library, so the two never disagree.
    """
    if "collaboration_agreement" not in answers.documents:
        return {}, {}
    outline = load_outline("collaboration_agreement", templates)
    if context is None:
        context = document_context(answers, "collaboration_agreement", None,
                                   library.glossary.entries)
    pins, schedule_pins = split_pins(library, answers.clause_versions)
    chosen = _included(library, outline, context, pins)
    in_context = {**context, "included": {clause.id: clause.version for clause, _ in chosen},
                  "pinned_schedules": dict(schedule_pins)}
    in_context.setdefault("agreement_clauses", {})
    in_context.setdefault("agreement_schedules", {})
    clauses = {clause.id: {"number": str(n), "title": _clause_title(clause, context),
                           "parts": _SubClauses(clause, variant, str(n), in_context)}
               for n, (clause, variant) in enumerate(chosen, start=1)}
    schedules = {s.version.id: {"number": s.number, "title": s.version.title_in(
                     "collaboration_agreement")}
                 for s in choose_schedules(library, outline.schedules, in_context,
                                           "collaboration_agreement", schedule_pins,
                                           outline.path)}
    return clauses, schedules


class _SubClauses(Mapping[str, str]):
    """A clause's labelled paragraphs -> their numbers ("8.3") as the agreement prints them.

    A document that cites a sub-clause of the agreement ("clause 8.3 of the Agreement") reads
    it as `agreement_clauses['governance-board'].parts['dissent']`. The clause is drafted
    only when a citing document first asks, so a document that cites no sub-clause pays
    nothing for it.
    """

    def __init__(self, clause: ClauseVersion, variant: str | None, number: str,
                 context: dict[str, Any]) -> None:
        self._source = (clause, variant, number, context)
        self._numbers: dict[str, str] | None = None

    def _all(self) -> dict[str, str]:
        if self._numbers is None:
            clause, variant, number, context = self._source
            _blocks, labels = _numbered(_parsed(clause, variant, context), clause.id, number)
            self._numbers = {label: target.number for _key, label, _level, target in labels}
        return self._numbers

    def __getitem__(self, label: str) -> str:
        return self._all()[label]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _parsed(item: ClauseVersion, variant: str | None, context: dict[str, Any]) -> ParsedBody:
    """Render a clause's or schedule's body for `variant` and read its markup."""
    offset = item.body_line - 1
    rendered = render(item.template(variant), context, file=str(item.path), line_offset=offset)
    return parse_clause(rendered.text, rendered.literals, file=str(item.path), line_offset=offset)


_Labels = tuple[tuple[str, str, int, Target], ...]


def _numbered(parsed: ParsedBody, clause_id: str, number: str) -> tuple[tuple[Block, ...], _Labels]:
    """Number clause `number`'s paragraphs and bookmark its labelled ones.

    Returns the paragraphs and, in order, each label's (target key, label, level, target);
    the caller checks them against the document's other targets. A pure function of its
    arguments, so it is kept with the parsed body (see `markup.CACHE_SIZE`).
    """
    key = (clause_id, number)
    found = parsed.derived.get(key) if markup.CACHE_SIZE > 0 else None
    if found is not None:
        return found  # type: ignore[return-value]
    counters = [0, 0, 0]
    blocks: list[Block] = []
    labels: list[tuple[str, str, int, Target]] = []
    for para in parsed.blocks:
        if isinstance(para, Table):
            blocks.append(para)
            continue
        level = para.level
        if level:
            counters[level - 1] += 1
            for deeper in range(level, 3):
                counters[deeper] = 0
            para = Paragraph(level, para.inlines, para.label, _number(number, counters, level),
                             None, para.style)
        if para.label:
            target = f"{clause_id}.{para.label}"
            bookmark = bookmark_name(target)
            labels.append((target, para.label, level, Target(bookmark, para.number or number)))
            para = Paragraph(level, para.inlines, para.label, para.number, bookmark, para.style)
        blocks.append(para)
    result = (tuple(blocks), tuple(labels))
    if markup.CACHE_SIZE and len(parsed.derived) < 8:
        parsed.derived[key] = result
    return result


def _outline_line(outline: Outline, clause_id: str) -> int | None:
    for number, line in enumerate(outline.path.read_text(encoding="utf-8").split("\n"), 1):
        if re.search(rf"(^|[\s\[,-]){re.escape(clause_id)}($|[\s\],])", line):
            return number
    return None


_Source = tuple[ClauseVersion, tuple[Block, ...], tuple[Ref | SchedRef, ...]]


def _blocks_use(blocks: Iterable[Block], term: str) -> bool:
    for block in blocks:
        if isinstance(block, Paragraph):
            if term in terms_in(block.inlines):
                return True
        elif term in block.header or any(term in terms_in(cell) for row in block.rows
                                         for cell in row):
            return True
    return False


def _with_definitions(library: Library, clauses: list[Clause], context: dict[str, Any],
                      kind: str, used: set[str], sources: list[_Source],
                      incorporated: frozenset[str] = frozenset(),
                      ) -> tuple[list[Clause], tuple[Ref | SchedRef, ...], tuple[str, ...]]:
    """Append to the definitions clause every term the document uses, alphabetically.

    `used` holds the terms the clauses and schedules use; `sources` their library versions
    and blocks, to name the file of a term nobody defines. A term takes its meaning from
    the version of its defining clause the document uses, so a document with pinned
    versions reads as it did when they were current. Also returns the references inside the
    appended definitions, in order, for `_check_references` (none when there is no
    definitions clause), and the terms listed, in order.

    `incorporated` are terms the document takes from another whose definitions it
    incorporates (an accession deed, the collaboration agreement's): they are not listed,
    nor are the terms only their meanings use.
    """
    # A definition may write out a term the clauses and schedules never use (`operative_terms`
    # holds the ones they do), so that no term is defined only to carry another definition.
    context = {**context, "operative_terms": frozenset(used)}
    chosen: dict[str, ClauseVersion] = {}
    for source, _blocks, _refs in sources:
        for term in source.defines:
            chosen.setdefault(term, source)
    meanings: dict[str, tuple[Inline, ...]] = {}
    meaning_refs: dict[str, tuple[Ref | SchedRef, ...]] = {}
    keys: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # term -> (term, text, literals)
    pending = sorted(used)
    while pending:
        term = pending.pop()
        if term in meanings or term in incorporated:
            continue
        definer = library.definitions.get(term)
        pinned = chosen.get(term)
        if pinned is not None and (definer is None or (definer.id, definer.part) ==
                                   (pinned.id, pinned.part)):
            definer = pinned
        if definer is None:
            source = next((c for c, blocks, _r in sources if _blocks_use(blocks, term)), None)
            raise LibraryError(f"term [[{term}]] is used but no clause defines it; add it to "
                               "the `defines` of the clause that should define it",
                               file=source.path if source else library.root,
                               line=_line_of(source, f"[[{term}") if source else None)
        meaning = definer.defines[term]
        if "{{" in meaning or "{%" in meaning:
            line = definer.line_of(f"defines.{term}")
            rendered = render(_definition_template(definer, term), context,
                              file=str(definer.path), line_offset=line - 1,
                              what=f"definition of {term!r}")
            key = (term, " ".join(rendered.text.split()), tuple(rendered.literals))
        else:  # plain text: no template to run
            key = (term, " ".join(meaning.split()), ())
        inlines, terms, refs = parse_phrase(key[1], key[2])
        meanings[term] = inlines
        meaning_refs[term] = refs
        keys[term] = key
        pending.extend(t for t in terms if t not in meanings)
    if not any(c.id == "definitions" for c in clauses):
        return clauses, (), ()
    order = sorted(meanings, key=str.casefold)
    definitions = tuple(_definition(keys[term], meanings[term]) for term in order)
    refs = tuple(ref for term in order for ref in meaning_refs[term])
    return [dataclasses.replace(c, blocks=c.blocks + definitions) if c.id == "definitions" else c
            for c in clauses], refs, tuple(order)


_DEFINITIONS: markup.BoundedCache[tuple[str, str, tuple[str, ...]], Paragraph] = \
    markup.BoundedCache()


def _definition(key: tuple[str, str, tuple[str, ...]], meaning: tuple[Inline, ...]) -> Paragraph:
    """The definitions-clause paragraph of a term: `“Term” means ...`.

    `key` is the term and the text and literals its meaning was parsed from, so equal keys
    make equal paragraphs; one paragraph object per key is kept (like the parsed markup,
    see `markup.CACHE_SIZE`), so the Word writer writes its XML once.
    """
    found = _DEFINITIONS.get(key)
    if found is not None:
        return found
    paragraph = Paragraph(level=0, style="definition",
                          inlines=(Strong((Text(f"“{key[0]}”"),)), Text(" means "), *meaning))
    _DEFINITIONS.put(key, paragraph)
    return paragraph


def _with_checklist(library: Library, clauses: list[Clause], built: list[Schedule],
                    chosen: list[tuple[ClauseVersion, str | None]], schedules: list[ChosenSchedule],
                    targets: dict[str, Target], context: dict[str, Any],
                    parties: tuple[Paragraph, ...] = (),
                    background: tuple[ClauseVersion, tuple[Paragraph, ...]] | None = None,
                    ) -> list[Clause]:
    """The clauses with the lawyer's checklist (every blank and default of the document, see
    `checklist`) put first in the drafting note of the first clause."""
    versions = {clause.id: clause for clause, _variant in chosen}
    items: list[dict[str, Any]] = []
    blanks = checklist.blanks_in(parties, targets)
    if blanks:
        items.append({"part": "parties", "number": None, "title": None, "blanks": blanks,
                      "defaults": []})
    if background is not None:
        blanks = checklist.blanks_in(background[1], targets)
        defaults = checklist.defaults_of(background[0], context)
        if blanks or defaults:
            items.append({"part": "background", "number": None, "title": "Background",
                          "blanks": blanks, "defaults": defaults})
    for clause in clauses:
        version = versions.get(clause.id)
        defaults = checklist.defaults_of(version, context) if version is not None else []
        blanks = checklist.blanks_in(clause.blocks, targets)
        if blanks or defaults:
            items.append({"part": "clause", "number": clause.number, "title": clause.title,
                          "blanks": blanks, "defaults": defaults})
    for schedule, spec in zip(built, schedules, strict=True):
        defaults = checklist.defaults_of(spec.version, context)
        blanks = checklist.blanks_in(schedule.blocks, targets)
        if blanks or defaults:
            items.append({"part": "schedule", "number": schedule.number,
                          "title": schedule.title, "blanks": blanks, "defaults": defaults})
    note = checklist.checklist_note(library, items, context)
    if note is None or not clauses:
        return clauses
    first = clauses[0]
    merged = note if not first.note else f"{note} {first.note}"
    return [dataclasses.replace(first, note=merged), *clauses[1:]]


def _note(clause: ClauseVersion, context: dict[str, Any]) -> str | None:
    """The clause's drafting note for these answers, None when it has none or it is empty.

    A note may use Jinja like a body (to list, say, the prices the answers do not give);
    what it prints is plain text, because a note is a Word comment, not clause markup.
    """
    note = clause.note
    if not note or ("{{" not in note and "{%" not in note):
        return note
    from drafting.read.conditions import LITERAL_CLOSE, LITERAL_OPEN, compile_body

    cache = clause.__dict__.setdefault("_note_template", [])
    if not cache:
        cache.append(compile_body(note, str(clause.path), clause.line_of("note") - 1,
                                  cache=clause.cache, name=f"{clause.path}#note"))
    rendered = render(cache[0], context, file=str(clause.path),
                      line_offset=clause.line_of("note") - 1, what="drafting note")
    text = re.sub(f"{LITERAL_OPEN}([0-9]+){LITERAL_CLOSE}",
                  lambda m: rendered.literals[int(m.group(1))], rendered.text)
    text = " ".join(text.split())
    # A conditional phrase that renders empty just before a punctuation mark leaves a space
    # before it ("its own expulsion : the unanimity"); a lawyer reads that as a typo.
    text = re.sub(r" ([.,;:])(?=\s|$)", r"\1", text)
    return text or None


def _definition_template(clause: ClauseVersion, term: str) -> Any:
    from drafting.read.conditions import compile_body

    cache = clause.__dict__.setdefault("_definition_templates", {})
    if term not in cache:
        cache[term] = compile_body(clause.defines[term], str(clause.path),
                                   clause.line_of(f"defines.{term}") - 1, cache=clause.cache,
                                   name=f"{clause.path}#defines.{term}")
    return cache[term]


def _check_references(library: Library, sources: list[_Source], targets: dict[str, Target],
                      kind: str) -> None:
    """Every reference must name a target of this document; `sources` holds each clause's
    and schedule's library version, blocks and references."""
    for source, _blocks, refs in sources:
        for ref in refs:
            key = ref.target if type(ref) is Ref else f"sched:{ref.schedule}"  # type: ignore[union-attr]
            if key in targets:
                continue
            if isinstance(ref, SchedRef):
                message = (f"{{sched:{ref.schedule}}} refers to a schedule this {kind} does "
                           "not have; guard it with {% if %}")
                needle = f"{{sched:{ref.schedule}"
            else:
                message = (f"{{ref:{ref.target}}} refers to a clause or label this {kind} "
                           "does not include for these answers; guard it with {% if %}")
                needle = f"{{ref:{ref.target}"
            where, line = source, _line_of(source, needle)
            if line is None:  # the reference came from a definition
                for term, definer in library.definitions.items():
                    if needle in definer.defines[term]:
                        where, line = definer, _line_of(definer, needle)
                        break
            raise AssemblyError(message, file=where.path, line=line)


# --------------------------------------------------------------------------- frame, parties


_LITERAL_TOKEN = re.compile(f"{LITERAL_OPEN}(\\d+){LITERAL_CLOSE}")


def _title(outline: Outline, context: dict[str, Any]) -> str:
    """The document's title: the outline's `title`, which may choose words with Jinja
    (terms of reference are titled by the legal form of the body they constitute)."""
    return _rendered_title(outline.title, str(outline.path), context, "outline title")


def _clause_title(clause: ClauseVersion, context: dict[str, Any]) -> str:
    """A clause's heading: its `title`, which may choose words with Jinja, so that a heading
    names only what the clause holds for these answers (no "change of control" when no
    member can undergo one)."""
    return _rendered_title(clause.title, str(clause.path), context, "clause title")


def _rendered_title(title: str, path: str, context: dict[str, Any], what: str) -> str:
    """`title` rendered for these answers, on one line; a title without Jinja is returned
    as it is, without compiling anything."""
    if "{" not in title:
        return title
    from drafting.read.conditions import compile_body

    rendered = render(compile_body(title, path), context, file=path, what=what)
    text = _LITERAL_TOKEN.sub(lambda m: rendered.literals[int(m.group(1))], rendered.text)
    return " ".join(text.split())


def _fields(answers: Answers, outline: Outline, partner: str | None,
            context: dict[str, Any]) -> dict[str, str]:
    """The values of the frame's `{{ name }}` placeholders, common to every kind."""
    c = answers.collaborative
    lead = answers.lead
    member = answers.members_by_id.get(partner) if partner else None
    names = [_party_name(m) for m in _party_members(answers, outline.parties, partner)]
    return {
        "title": _title(outline, context),
        "collaborative_name": c.name,
        "short_name": c.short_name or c.name,
        "commencement_date": date_words(c.commencement_date),
        "lead_name": lead.name if lead else "",
        "partner_name": member.name if member else "",
        "parties": join_words(names),
        "approved_by": _approved_by(answers),
        "generator": f"drafting {__version__}",
    }


def _approved_by(answers: Answers) -> str:
    """Who approves committee terms, for their cover: the boards of the voting members under
    committees in common or a joint committee (a member without a vote approves nothing),
    otherwise of every member; a local authority approves by its executive."""
    committees = answers.governance.vehicle in ("committees_in_common", "joint_committee")
    approvers = [m for m in answers.members if m.member_class != "observer"
                 and (m.member_class == "voting" or not committees)]
    who = "the board of each voting member" if committees else "the board of each member"
    if any(m.kind == "local_authority" for m in approvers):
        who += " (for a local authority, its executive)"
    return who


def _party_members(answers: Answers, parties: str, partner: str | None) -> list[Any]:
    if parties == "members":
        return list(answers.members)
    if parties == "members_not_observers":  # an accession deed or a data sharing agreement: an observer is no party to it
        return [m for m in answers.members if m.member_class != "observer"]
    if parties == "lead_and_partner":
        found = [answers.lead, answers.members_by_id.get(partner or "")]
        return [m for m in found if m is not None]
    return []


def _party_name(member: Any) -> str:
    """A party's name as the front page lists it: an observer is a party only as an observer,
    and is named so wherever the parties are named, so no reader takes it for a member."""
    return f"{member.name} (as observer)" if member.member_class == "observer" else member.name


def _parties(answers: Answers, parties: str, partner: str | None) -> Iterable[Paragraph]:
    for n, m in enumerate(_party_members(answers, parties, partner), start=1):
        observer = " (as observer)" if m.member_class == "observer" else ""
        if m.kind == "independent_sector" or (m.kind in COMPANY_KINDS and m.company_number):
            # A company party gets the statutory description a registry search can check.
            words = (f", a company incorporated in England and Wales (company number "
                     f"{m.company_number or '[●]'}) whose registered office is at {m.address}")
        else:
            detail = []
            if m.company_number:
                detail.append(f"company number {m.company_number}")
            if m.ods_code:
                detail.append(f"ODS code {m.ods_code}")
            extra = f" ({', '.join(detail)})" if detail else ""
            words = f"{extra} of {m.address}"
        yield Paragraph(level=0, style="party", inlines=(
            Text(f"({n})\t"), Strong((Text(m.name.upper()),)), Text(words + observer),
        ))


def _signatures(answers: Answers, parties: str, partner: str | None) -> Iterable[Signature]:
    for m in _party_members(answers, parties, partner):
        yield Signature(party=m.name, name=m.signatory.name, role=m.signatory.role)
