"""Assemble a document: answers + clause library + outline -> `model.Document`.

This is a pure function of its inputs. The outline (`templates/<kind>.yaml`) gives the
order of clauses and schedules; each clause's `when` and variants decide what is in; Jinja
renders each body in the sandbox; markup turns it into paragraphs; then everything is
numbered, cross-references are resolved to numbers, and the definitions clause gets exactly
the terms the document uses, alphabetically.

An outline looks like::

    kind: collaboration_agreement
    title: Collaboration Agreement
    parties: members            # members | lead_and_partner | none (who is named and signs)
    clauses: [definitions, interpretation, ...]
    schedules:
      - {id: members, title: Members and representatives}
      - {id: financial-framework, title: Financial framework, when: "derived.risk_share"}

Schedule contents are built from the answers by `SCHEDULE_BUILDERS`, keyed by schedule id.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from drafting import __version__
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
from drafting.read.answers import Answers
from drafting.read.conditions import date as date_words
from drafting.read.conditions import evaluate, humanise, join_words, money, percent, render
from drafting.read.library import SCHEDULE_IDS, ClauseVersion, Library
from drafting.read.load import LoadedAnswers
from drafting.read.markup import ParsedBody, parse_clause, parse_phrase

__all__ = [
    "SCHEDULE_BUILDERS",
    "TEMPLATES",
    "agreement_clauses",
    "Outline",
    "assemble",
    "bookmark_name",
    "document_context",
    "load_outline",
    "terms_in",
]

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class ScheduleSpec:
    id: str
    title: str
    when: str = "true"


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


_OUTLINES: dict[Path, Outline] = {}


def load_outline(kind: str, templates: Path | None = None) -> Outline:
    """Read `templates/<kind>.yaml`; `LibraryError` when it is missing or malformed."""
    folder = templates or TEMPLATES
    path = folder / f"{kind}.yaml"
    if path in _OUTLINES:
        return _OUTLINES[path]
    if not path.exists():
        raise LibraryError(f"there is no outline for document kind {kind!r}; add {path.name} "
                           "(clause ids and schedules) and its frame .docx", file=path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LibraryError(f"outline is not valid YAML ({exc})", file=path,
                           line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
        raise LibraryError("an outline needs `title` and a list `clauses`", file=path)
    unknown = set(data) - {"kind", "title", "parties", "clauses", "schedules", "frame"}
    if unknown:
        raise LibraryError(f"unknown outline keys: {', '.join(sorted(unknown))}", file=path)
    schedules = []
    for item in data.get("schedules") or []:
        if item.get("id") not in SCHEDULE_BUILDERS:
            raise LibraryError(f"unknown schedule id {item.get('id')!r}; known: "
                               f"{', '.join(SCHEDULE_BUILDERS)}", file=path)
        schedules.append(ScheduleSpec(item["id"], item["title"], str(item.get("when", "true"))))
    parties = data.get("parties", "members")
    if parties not in ("members", "lead_and_partner", "none"):
        raise LibraryError("`parties` is one of members, lead_and_partner, none", file=path)
    outline = Outline(
        kind=kind, title=str(data.get("title", kind)), parties=parties,
        clauses=tuple(str(c) for c in data["clauses"]), schedules=tuple(schedules),
        frame=folder / str(data.get("frame", f"{kind}.docx")), path=path,
    )
    _OUTLINES[path] = outline
    return outline


def document_context(answers: Answers, kind: str, partner: str | None) -> dict[str, Any]:
    """The Jinja context of one document: the answers' context plus `document` and `partner`."""
    context = answers.context()
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


def _select_variant(clause: ClauseVersion, context: dict[str, Any]) -> str | None:
    if not clause.variants:
        return None
    for variant in clause.variants:
        if evaluate(variant.when, context, file=str(clause.path), line=variant.line,
                    cache=clause.cache):
            return variant.id
    raise LibraryError(
        f"no variant of clause {clause.id!r} applies to these answers; make the last "
        "variant's `when` \"true\"", file=clause.path, line=clause.line_of("variants"),
    )


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
             templates: Path | None = None) -> Document:
    """Draft document `kind` from valid answers; a pure function of its inputs.

    `partner` is the partner member id of a sub-contract, None otherwise. Raises
    `LibraryError` for a problem in the library or outline (named by file and line) and
    `AssemblyError` when the answers produce something inconsistent (a reference to a
    clause they leave out).
    """
    answers = loaded.answers
    outline = load_outline(kind, templates)
    context = document_context(answers, kind, partner)
    pins = answers.clause_versions
    for pinned in pins:
        if pinned not in library.clauses:
            raise AssemblyError(f"clause_versions pins {pinned!r}, which is not a clause of the "
                                "library; see `drafting clauses list`", file=loaded.file)

    context["agreement_clauses"] = agreement_clauses(library, answers, templates)
    chosen = _included(library, outline, context, pins)

    schedules = [s for s in outline.schedules
                 if evaluate(s.when, context, file=str(outline.path), cache=library.cache)]
    schedule_numbers = {s.id: f"Schedule {n}" for n, s in enumerate(schedules, start=1)}
    targets: dict[str, Target] = {
        f"sched:{s.id}": Target(bookmark_name(f"sched-{s.id}"), schedule_numbers[s.id])
        for s in schedules
    }

    clauses: list[Clause] = []
    used: set[str] = set()  # defined terms the clauses use
    refs: list[tuple[Ref | SchedRef, ...]] = []  # each clause's references, in order
    for index, (clause, variant) in enumerate(chosen, start=1):
        offset = clause.body_line - 1
        rendered = render(clause.template(variant), context, file=str(clause.path),
                          line_offset=offset)
        parsed = parse_clause(rendered.text, rendered.literals, file=str(clause.path),
                              line_offset=offset)
        used |= parsed.terms
        refs.append(parsed.refs)
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
            id=clause.id, version=clause.version, title=clause.title, number=number,
            bookmark=targets[clause.id].bookmark, blocks=blocks, variant=variant,
            note=_note(clause, context),
        ))

    clauses, definition_refs = _with_definitions(library, clauses, context, kind, used)
    built = [
        Schedule(s.id, s.title, schedule_numbers[s.id], targets[f"sched:{s.id}"].bookmark,
                 tuple(SCHEDULE_BUILDERS[s.id](answers, context)))
        for s in schedules
    ]
    refs = [r + definition_refs if c.id == "definitions" else r for c, r in zip(clauses, refs)]
    _check_references(library, clauses, refs, targets, kind)

    fields = _fields(answers, outline, partner)
    return Document(
        kind=kind,
        title=fields["title"],
        frame=str(outline.frame),
        fields=fields,
        parties=tuple(_parties(answers, outline.parties, partner)),
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
            "generator": f"drafting {__version__}",
        },
    )


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
            raise LibraryError(f"outline lists clause {clause_id!r}, whose `documents` do not "
                               f"include {outline.kind}", file=outline.path,
                               line=_outline_line(outline, clause_id))
        if evaluate(clause.when, context, file=str(clause.path), line=clause.line_of("when"),
                    cache=clause.cache):
            chosen.append((clause, _select_variant(clause, context)))
    return chosen


def agreement_clauses(library: Library, answers: Answers,
                      templates: Path | None = None) -> dict[str, dict[str, str]]:
    """Clause id -> {number, title} in the collaboration agreement these answers draft ({}
    without one).

    A sub-contract incorporates parts of the collaboration agreement and ends through its
    withdrawal and expulsion clauses, so it cites them by number: the numbers the agreement
    drafted from the same answers and library shows (clause `when`s decide which are in).
    """
    if "collaboration_agreement" not in answers.documents:
        return {}
    outline = load_outline("collaboration_agreement", templates)
    context = document_context(answers, "collaboration_agreement", None)
    chosen = _included(library, outline, context, answers.clause_versions)
    return {clause.id: {"number": str(n), "title": clause.title}
            for n, (clause, _) in enumerate(chosen, start=1)}


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
    for para in parsed.paragraphs:
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


def _with_definitions(library: Library, clauses: list[Clause], context: dict[str, Any],
                      kind: str, used: set[str]) -> tuple[list[Clause], tuple[Ref | SchedRef, ...]]:
    """Append to the definitions clause every term the document uses, alphabetically.

    `used` holds the terms the clauses use. Also returns the references inside the appended
    definitions, in order, for `_check_references` (none when there is no definitions clause).
    """
    meanings: dict[str, tuple[Inline, ...]] = {}
    meaning_refs: dict[str, tuple[Ref | SchedRef, ...]] = {}
    keys: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # term -> (term, text, literals)
    pending = sorted(used)
    while pending:
        term = pending.pop()
        if term in meanings:
            continue
        definer = library.definitions.get(term)
        if definer is None:
            where = next(c for c in clauses if any(
                term in terms_in(b.inlines) for b in c.blocks if isinstance(b, Paragraph)))
            source = library.get(where.id, where.version)
            raise LibraryError(f"term [[{term}]] is used but no clause defines it; add it to "
                               "the `defines` of the clause that should define it",
                               file=source.path, line=_line_of(source, f"[[{term}"))
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
        return clauses, ()
    order = sorted(meanings, key=str.casefold)
    definitions = tuple(_definition(keys[term], meanings[term]) for term in order)
    refs = tuple(ref for term in order for ref in meaning_refs[term])
    return [dataclasses.replace(c, blocks=c.blocks + definitions) if c.id == "definitions" else c
            for c in clauses], refs


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
    return text or None


def _definition_template(clause: ClauseVersion, term: str) -> Any:
    from drafting.read.conditions import compile_body

    cache = clause.__dict__.setdefault("_definition_templates", {})
    if term not in cache:
        cache[term] = compile_body(clause.defines[term], str(clause.path),
                                   clause.line_of(f"defines.{term}") - 1, cache=clause.cache,
                                   name=f"{clause.path}#defines.{term}")
    return cache[term]


def _check_references(library: Library, clauses: list[Clause],
                      refs: list[tuple[Ref | SchedRef, ...]], targets: dict[str, Target],
                      kind: str) -> None:
    """Every reference must name a target of this document; `refs` holds each clause's."""
    for clause, clause_refs in zip(clauses, refs):
        for ref in clause_refs:
            key = ref.target if type(ref) is Ref else f"sched:{ref.schedule}"  # type: ignore[union-attr]
            if key in targets:
                continue
            source = library.get(clause.id, clause.version)
            if isinstance(ref, SchedRef):
                message = (f"{{sched:{ref.schedule}}} refers to a schedule this {kind} does "
                           "not have; guard it with {% if %}")
                needle = f"{{sched:{ref.schedule}"
            else:
                message = (f"{{ref:{ref.target}}} refers to a clause or label this {kind} "
                           "does not include for these answers; guard it with {% if %}")
                needle = f"{{ref:{ref.target}"
            line = _line_of(source, needle)
            if line is None:  # the reference came from a definition
                for term, definer in library.definitions.items():
                    if needle in definer.defines[term]:
                        source, line = definer, _line_of(definer, needle)
                        break
            raise AssemblyError(message, file=source.path, line=line)


# --------------------------------------------------------------------------- frame, parties


def _fields(answers: Answers, outline: Outline, partner: str | None) -> dict[str, str]:
    """The values of the frame's `{{ name }}` placeholders, common to every kind."""
    c = answers.collaborative
    lead = answers.lead
    member = answers.members_by_id.get(partner) if partner else None
    names = [m.name for m in _party_members(answers, outline.parties, partner)]
    return {
        "title": outline.title,
        "collaborative_name": c.name,
        "short_name": c.short_name or c.name,
        "commencement_date": date_words(c.commencement_date),
        "lead_name": lead.name if lead else "",
        "partner_name": member.name if member else "",
        "parties": join_words(names),
        "generator": f"drafting {__version__}",
    }


def _party_members(answers: Answers, parties: str, partner: str | None) -> list[Any]:
    if parties == "members":
        return list(answers.members)
    if parties == "lead_and_partner":
        found = [answers.lead, answers.members_by_id.get(partner or "")]
        return [m for m in found if m is not None]
    return []


def _parties(answers: Answers, parties: str, partner: str | None) -> Iterable[Paragraph]:
    for n, m in enumerate(_party_members(answers, parties, partner), start=1):
        detail = []
        if m.company_number:
            detail.append(f"company number {m.company_number}")
        if m.ods_code:
            detail.append(f"ODS code {m.ods_code}")
        extra = f" ({', '.join(detail)})" if detail else ""
        yield Paragraph(level=0, style="party", inlines=(
            Text(f"({n})\t"), Strong((Text(m.name.upper()),)),
            Text(f"{extra} of {m.address}"),
        ))


def _signatures(answers: Answers, parties: str, partner: str | None) -> Iterable[Signature]:
    for m in _party_members(answers, parties, partner):
        yield Signature(party=m.name, name=m.signatory.name, role=m.signatory.role)


# --------------------------------------------------------------------------- schedules


def _p(*inlines: Inline | str, style: str = "body") -> Paragraph:
    return Paragraph(level=0, style=style,
                     inlines=tuple(Text(i) if isinstance(i, str) else i for i in inlines))


def _cells(*values: str) -> tuple[tuple[Inline, ...], ...]:
    return tuple((Text(v),) for v in values)


_KIND_NAMES = {
    "nhs_trust": "NHS trust", "nhs_foundation_trust": "NHS foundation trust",
    "independent_sector": "Independent sector provider", "vcse": "VCSE organisation",
    "local_authority": "Local authority", "icb": "Integrated care board",
    "nhs_england": "NHS England",
}


def _members_schedule(answers: Answers, context: dict[str, Any]) -> list[Block]:
    rows = tuple(
        _cells(m.name, _KIND_NAMES[m.kind], m.member_class.capitalize(), m.address,
               f"{m.representative.name}, {m.representative.role}")
        for m in answers.members
    )
    return [Table(("Member", "Kind", "Class", "Address", "Representative"), rows,
                  widths=(24, 16, 10, 28, 22))]


def _services_schedule(answers: Answers, context: dict[str, Any]) -> list[Block]:
    c = answers.collaborative
    blocks: list[Block] = [_p(Strong((Text("Purpose"),))), _p(c.purpose),
                           _p(Strong((Text("Services in scope"),)))]
    blocks += [_p(s, style="list") for s in c.services]
    blocks.append(_p(Strong((Text("Objectives"),))))
    blocks += [_p(o, style="list") for o in c.objectives]
    blocks.append(_p(f"Integrated care system footprints: {join_words(c.ics)}."))
    return blocks


def _board_terms_schedule(answers: Answers, context: dict[str, Any]) -> list[Block]:
    g = answers.governance
    voting = humanise(g.voting)
    if g.voting == "special_majority":
        voting += f" ({percent(g.special_majority_percent)})"
    rows = [
        ("Vehicle", humanise(g.vehicle)),
        ("Membership", "one representative of each member"),
        ("Chair", humanise(g.chair) + (f", rotating every {g.chair_rotation_months} months"
                                       if g.chair == "rotating" and g.chair_rotation_months else "")),
        ("Quorum", humanise(g.quorum)),
        ("Meetings", (f"{humanise(g.meeting_frequency)}, "
                      f"{'in public' if g.meetings_in_public else 'in private'}")),
        ("Voting", voting),
        ("Deadlock", humanise(g.deadlock)),
        ("Reporting to members' boards", humanise(g.board_reporting)),
        ("Lead provider veto", humanise(g.lead_provider_veto)),
    ]
    return [_p("A summary of the terms of reference of the board; the clauses of this agreement "
               "prevail over this summary."),
            Table(("Item", "Arrangement"), tuple(_cells(a, b) for a, b in rows), widths=(35, 65))]


_RESERVED = {
    "admit_member": "admitting a new member",
    "expel_member": "expelling a member",
    "amend_agreement": "amending this agreement",
    "annual_budget": "approving the annual budget",
    "risk_share_changes": "changing the risk share or gain share arrangements",
    "ip_commercialisation": "commercialising the collaborative's intellectual property",
    "service_reconfiguration": "reconfiguring services in scope",
    "dissolution": "dissolving the collaborative",
}


def _reserved_schedule(answers: Answers, context: dict[str, Any]) -> list[Block]:
    matters = answers.reserved_matters
    if not matters:
        return [_p("There are no reserved matters: the board decides nothing that binds the "
                   "members.")]
    return [_p("The following matters need the agreement of all the voting members:"),
            *(_p(_RESERVED.get(m, humanise(m)).capitalize(), style="list") for m in matters)]


def _finance_schedule(answers: Answers, context: dict[str, Any]) -> list[Block]:
    weights = answers.effective_weights()
    loss, gain = answers.loss_shares(), answers.gain_shares()
    ids = [m.id for m in answers.members if m.id in weights or m.id in loss or m.id in gain]
    rows = []
    for member_id in ids:
        m = answers.members_by_id[member_id]
        rows.append(_cells(
            m.name,
            money(m.annual_contract_value) if m.annual_contract_value is not None else "-",
            percent(weights[member_id]) if member_id in weights else "-",
            percent(loss[member_id]) if member_id in loss else "-",
            percent(gain[member_id]) if member_id in gain else "-",
        ))
    f = answers.finance
    blocks: list[Block] = [
        _p(f"Financial model: {humanise(f.model)}. Running costs are shared "
           f"{humanise(f.running_cost_split)}."),
        Table(("Member", "Annual contract value", "Voting weight", "Share of losses",
               "Share of gains"), tuple(rows), widths=(32, 20, 16, 16, 16)),
    ]
    if answers.covenant_members:
        names = join_words([m.name for m in answers.covenant_members])
        blocks.append(_p(f"{names} bears no share of losses because of its banking covenants; "
                         "the other shares are re-normalised to add up to 100%."))
    return blocks


def _data_schedule(answers: Answers, context: dict[str, Any]) -> list[Block]:
    d = answers.data
    rows = [("Data shared", humanise(d.kinds)),
            ("Controller model", humanise(d.controller_model or "not stated")),
            ("Legal gateway", humanise(d.legal_gateway or "not stated")),
            ("Data protection impact assessment", humanise(d.dpia or "not stated"))]
    return [Table(("Item", "Arrangement"), tuple(_cells(a, b) for a, b in rows), widths=(35, 65))]


def _exit_schedule(answers: Answers, context: dict[str, Any]) -> list[Block]:
    steps = [
        "Notice: the leaving member gives notice and the board confirms the exit date.",
        "Services: the members agree who takes over each service and any patient transfer.",
        "Staff: the members identify staff affected and any transfer obligations.",
        "Money: the risk share and gain share are settled up to the exit date.",
        ("Data and property: data is returned or deleted and intellectual property is dealt "
         "with as this agreement provides."),
    ]
    return [_p("An outline of the exit plan, to be completed by the board within three months "
               "of the commencement date:"), *(_p(s, style="list") for s in steps)]


SCHEDULE_BUILDERS: dict[str, Callable[[Answers, dict[str, Any]], list[Block]]] = {
    "members": _members_schedule,
    "services": _services_schedule,
    "board-terms": _board_terms_schedule,
    "reserved-matters": _reserved_schedule,
    "financial-framework": _finance_schedule,
    "data-sharing": _data_schedule,
    "exit-plan": _exit_schedule,
}
assert set(SCHEDULE_BUILDERS) == set(SCHEDULE_IDS)
