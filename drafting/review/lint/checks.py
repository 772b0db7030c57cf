"""The checks lint runs over a drafted document's text, and over the documents of one pack.

Each check is a function from a `DocumentText` (and the `Env` of the answers and library
that produced it) to `Finding`s; `PACK_CHECKS` take every document of one answers set. A
finding names its kind, the clause or schedule the text came from, what is wrong and the
words that show it. The phrases the checks look for are data (`vocabulary.yaml`); the
checks hold only how to look.

Kinds:
  UNDEFINED-TERM    a defined term of the library, or a phrase used as one, that this
                    document does not define
  UNUSED-TERM       a term the document defines and never uses elsewhere (a use inside
                    another term's definition counts as a use)
  DOUBLE-DEFINITION a term defined twice in one document
  RAW-VALUE         an answer value as stored: snake_case, None/True/False, an id, an ISO
                    date, `12.0`, or a choice with spaces for underscores
  MARKUP            clause markup or Jinja left in the text (what opens it: [[, {{, {%...)
  EMPTY-PARAGRAPH   a numbered paragraph or a clause with no words, a table with no rows
  MISSING-LIST      a paragraph ending in a colon with nothing listed after it
  DOUBLED-WORD      "vote vote", "rotating, rotating" ("that that" is English)
  OTHER-MODEL       words of a model or answer these answers do not use
  ABSENT-MEMBER     a kind of member the collaborative does not have
  ORPHAN-FIGURE     a schedule figure without the clause that creates it
  TWO-PARTY         words for more than two parties in a two-party document
  PERIOD-UNITS      Business Days and days both used for periods in one document
  PERIOD-MISMATCH   two periods for one event in the documents of one pack
  PLURAL            "one (1) months"
  SCHEDULE-REF      "shown in Schedule N" where Schedule N is missing or lacks it
  LOWER-CASE-TERM   a defined term of the document in lower case where the term is meant
                    ("the lead provider", "each voting member")
  CLAUSE-LIST       a list of provisions naming a clause and its own sub-clause ("clause
                    38.1 (notices) and clause 38 (general)")
  NOTE-MODEL        a drafting note naming a model, document or member kind the pack lacks,
                    or a defined term the document does not define

`WARNINGS` are kinds `drafting lint` prints but does not count as problems yet: a new check
is landed as a warning while the library still has hits in it, and becomes a problem when
they are fixed (none is a warning now).

`lint()` (`run`) adds the kinds that are not about text: UNREACHED (a clause, variant or
schedule no answer set reaches), ASSEMBLY (a document that fails to draft, with drafting's
own message), CRASH (an unexpected exception while drafting) and INVALID-ANSWERS (an
example, or a generated set, that breaks a rule).
"""

from __future__ import annotations

import re
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from drafting.build.assemble import document_context, load_outline
from drafting.read.answers import Answers
from drafting.read.conditions import evaluate, words
from drafting.read.library import Library
from drafting.review.lint.phrases import Hit, phrase_index
from drafting.review.lint.text import MASK, DocumentText, Passage
from drafting.review.lint.vocabulary import VOCABULARY, Vocabulary

__all__ = ["CHECKS", "PACK_CHECKS", "WARNINGS", "Env", "Finding", "excerpt"]


@dataclass(frozen=True)
class Finding:
    """One problem: `KIND[sample] source: what: "quote"`."""

    kind: str
    source: str
    what: str
    quote: str
    sample: str = ""

    def line(self) -> str:
        return f'{self.kind}[{self.sample}] {self.source}: {self.what}: "{self.quote}"'


class _Variants(dict[str, str | None]):
    """Clause id -> the variant a document holds; None for any clause it does not hold."""

    def __missing__(self, key: str) -> None:
        return None


@dataclass
class Env:
    """What the checks of one answers set need besides the text: answers, library, words."""

    answers: Answers
    library: Library
    vocabulary: Vocabulary
    templates: Path | None = None
    pack_terms: set[str] = field(default_factory=set)
    """Terms some document of this pack defines."""

    def context(self, doc: DocumentText) -> dict[str, Any]:
        """The document's answers context, plus `kinds`, `classes`, `clauses`, `variants`."""
        cached = doc.memo.get("context")
        if cached is None:
            partner = doc.document.provenance.get("partner")
            cached = document_context(self.answers, doc.kind, partner)
            cached["kinds"] = sorted({m.kind for m in self.answers.members})
            cached["classes"] = sorted({m.member_class for m in self.answers.members})
            cached["clauses"] = doc.clause_ids
            cached["variants"] = _Variants(doc.variants)
            doc.memo["context"] = cached
        return cached

    def holds(self, doc: DocumentText, when: str) -> bool:
        return evaluate(when, self.context(doc), file=str(VOCABULARY))

    @cached_property
    def vocabulary_phrases(self) -> tuple[str, ...]:
        v = self.vocabulary
        return tuple(sorted({*(p for e in v.other_models for p in e.phrases),
                             *(p for e in v.member_kinds for p in e.phrases), *v.two_party}))

    @cached_property
    def library_terms(self) -> set[str]:
        return {term for versions in [*self.library.clauses.values(),
                                      *self.library.schedules.values()]
                for c in versions for term in c.defines}


# --------------------------------------------------------------------------- helpers


def excerpt(text: str, start: int, end: int, width: int = 50) -> str:
    """The words around `text[start:end]`, cut at word boundaries, `…` where cut."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    shown = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + shown + ("…" if right < len(text) else "")


def _quote(passage: Passage, span: Hit | re.Match[str] | tuple[int, int]) -> str:
    if isinstance(span, Hit):
        start, end = span.start, span.end
    elif isinstance(span, re.Match):
        start, end = span.start(), span.end()
    else:
        start, end = span
    return excerpt(passage.text, start, end)


def _shown(passage: Passage, hit: Hit) -> str:
    return passage.text[hit.start:hit.end]


def _vocabulary_hits(doc: DocumentText, env: Env) -> list[tuple[Passage, Hit]]:
    """Every phrase of the vocabulary's other models, member kinds and two-party words in
    the document, found in one pass (the checks then keep the ones that matter here). The
    title of a statute is not read: "the Local Authority Social Services and National Health
    Service Complaints (England) Regulations 2009" names no local authority member."""
    cached = doc.memo.get("vocabulary hits")
    if cached is None:
        index = phrase_index(env.vocabulary_phrases)
        cached = [(p, hit) for p in doc.passages
                  for hit in index.finditer(_hide(p.masked, _STATUTE)
                                            if _STATUTE_HINT.search(p.masked) else p.masked)]
        doc.memo["vocabulary hits"] = cached
    return cached  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- terms

_STATUTE = re.compile(
    r"[A-Z][\w'’-]*(?: (?:[A-Z][\w'’-]*|and|of|for|the|in|on|to|\([^)]*\)))*"
    r" (?:Act|Regulations|Order|Rules|Directive) \d{4}")
_STATUTE_HINT = re.compile(r" (?:Act|Regulations|Order|Rules|Directive) \d{4}")
_TERM_SHAPED = re.compile(
    r"\b(?:the|a|an|each|any|its|this|that|every|no) "
    r"((?:[A-Z][a-z]+(?:-[A-Z][a-z]+)*)(?: (?:of |and )?[A-Z][a-z]+(?:-[A-Z][a-z]+)*)+)"
    r"(?![\w-])")
_INLINE_DEFINITION = re.compile(r"\((?:the |each |an? )?[“\"]([^”\"]+)[”\"]\)")


def _hide(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _uses(passage: Passage, text: str) -> str:
    """`text` (the passage's, masked or not) with the quoted terms of definitions and
    statute titles blanked, so that only uses of terms remain."""
    if "(" in text and ("”" in text or '"' in text):
        text = _hide(text, _INLINE_DEFINITION)
    if _STATUTE_HINT.search(text):
        text = _hide(text, _STATUTE)
    if passage.role == "definition" and passage.term:
        head = text.find("”")
        if head != -1:
            text = " " * (head + 1) + text[head + 1:]
    return text


def _opens_sentence(text: str, start: int) -> bool:
    """Whether `start` opens the text, a sentence or a table cell."""
    before = text[max(0, start - 8):start].rstrip()
    return (start < 8 and not before) or (bool(before) and before[-1] in ".:|?!(")


@lru_cache(maxsize=1 << 16)
def _shaped(text: str) -> tuple[re.Match[str], ...]:
    return tuple(_TERM_SHAPED.finditer(text)) if " " in text else ()


def check_terms(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """Each defined term used, each term used defined, each defined once.

    The text is read once for every term of the library and every proper name: a defined
    term found counts as used (even inside an answer's words); a term the document does not
    define is a problem unless it is part of an answer's words or, being one word, opens a
    sentence or a table cell. Proper names are read in the same pass, so "Information
    Commissioner" is not a use of "Commissioner".
    """
    defined: dict[str, list[Passage]] = {t: list(p) for t, p in doc.definitions.items()}
    for passage in doc.passages:
        if "(" in passage.masked:
            for match in _INLINE_DEFINITION.finditer(passage.masked):
                defined.setdefault(match.group(1), []).append(passage)
    proper = set(env.vocabulary.proper_names)
    index = phrase_index(tuple(sorted(env.library_terms | proper)), False)
    extra = set(defined) - env.library_terms
    own_index = phrase_index(tuple(sorted(extra)), False) if extra else None
    # a term the document takes from the agreement whose definitions it incorporates (an
    # accession deed) is defined there, not undefined here
    known = (env.library_terms | env.pack_terms) - set(defined) - doc.document.incorporated_terms
    used: set[str] = set()
    shaped: dict[str, list[tuple[Passage, re.Match[str]]]] = {}
    for passage in doc.passages:
        if passage.role not in ("body", "list", "definition", "row", "header", "heading"):
            continue
        text = _uses(passage, passage.text)
        operative = passage.role in ("body", "list", "definition", "row")
        names: list[Hit] = []
        hits = [*index.finditer(text), *(own_index.finditer(text) if own_index else ())]
        for hit in hits:
            if hit.phrase in defined:
                if not (passage.role == "definition" and passage.term == hit.phrase):
                    used.add(hit.phrase)
            elif hit.phrase in proper:
                names.append(hit)
            elif operative and hit.phrase in known and passage.masked[hit.start] != MASK \
                    and (" " in hit.phrase or not _opens_sentence(text, hit.start)):
                yield Finding("UNDEFINED-TERM", passage.source,
                              f"“{hit.phrase}” is used but not defined in the {doc.label}",
                              _quote(passage, hit))
        if not operative:
            continue
        masked = _uses(passage, passage.masked)
        for hit in names:
            masked = masked[:hit.start] + " " * (hit.end - hit.start) + masked[hit.end:]
        for match in _shaped(masked):
            phrase = match.group(1)
            known_as = index.search(phrase)
            if known_as is None or (known_as.start, known_as.end) != (0, len(phrase)):
                shaped.setdefault(phrase, []).append((passage, match))
    for term, where in sorted(defined.items()):
        first = where[0]
        if len(doc.definitions.get(term, ())) > 1:
            yield Finding("DOUBLE-DEFINITION", first.source, f"“{term}” is defined "
                          f"{len(doc.definitions[term])} times in the {doc.label}",
                          excerpt(first.text, 0, 0, 80))
        if term not in used:
            yield Finding("UNUSED-TERM", first.source,
                          f"“{term}” is defined but not used in the {doc.label}",
                          excerpt(first.text, 0, 0, 80))
    for phrase, uses in shaped.items():
        if len(uses) >= 2:  # a name used once is more likely a title than a term
            passage, match = uses[0]
            yield Finding("UNDEFINED-TERM", passage.source,
                          f"“{phrase}” is used as a defined term but not defined in the "
                          f"{doc.label}", _quote(passage, match))


# --------------------------------------------------------------------------- lower case


_HEADING_REFERENCE = re.compile(r"(?:[Cc]lause|[Ss]chedule|[Pp]aragraph) [\dA-Z][\d.]*(?:\([a-z]+\))*"
                                r" \([^()]*\)")
"""A reference quoting a heading, "clause 21 (Risk share and gain share)": the heading's words
are a title, not uses of terms."""


def _lower_terms(doc: DocumentText, env: Env) -> tuple[str, ...]:
    """The lower-case forms of the document's defined terms that lint reads for."""
    single = set(env.vocabulary.lower_case_terms)
    return tuple(sorted({t.lower() for t in doc.definitions
                         if (" " in t or t in single) and t.lower() != t}))


def check_lower_case_terms(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """No defined term of the document in lower case where the term is meant.

    "the lead provider" in a document that defines "Lead Provider" reads as a different,
    undefined thing; generic uses ("provider collaborative") are the vocabulary's
    `lower_case_ok`. Answer text is the user's and is not read."""
    phrases = _lower_terms(doc, env)
    if not phrases:
        return
    index = phrase_index(phrases, False)
    allowed = phrase_index(tuple(sorted(env.vocabulary.lower_case_ok)), False)
    for passage in doc.passages:
        if passage.role not in ("body", "list", "definition", "row"):
            continue
        text = _uses(passage, passage.masked)
        if "(" in text:
            text = _hide(text, _HEADING_REFERENCE)
        generic = [(h.start, h.end) for h in allowed.finditer(text)]
        own = passage.term.lower() if passage.role == "definition" and passage.term else None
        for hit in index.finditer(text):
            if hit.phrase == own or any(a <= hit.start and hit.end <= b for a, b in generic):
                continue
            yield Finding("LOWER-CASE-TERM", passage.source,
                          f"“{_shown(passage, hit)}” in lower case where the defined term "
                          f"“{next(t for t in doc.definitions if t.lower() == hit.phrase)}” "
                          f"is meant in the {doc.label}", _quote(passage, hit))


# --------------------------------------------------------------------------- clause lists

_LISTED = re.compile(r"\bclauses? (\d+(?:\.\d+)*) \([^()]*\)")


def check_clause_lists(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """A list of provisions ("clause 12 (reports), clause 20 (confidentiality) ...") never
    names a clause and a sub-clause of it: the sub-clause is then counted twice."""
    for passage in doc.passages:
        if passage.role not in ("body", "list", "row") or "clause" not in passage.text:
            continue
        for start, end in _sentences(passage.text):
            listed = [(m.group(1), m) for m in _LISTED.finditer(passage.text, start, end)]
            whole = {number for number, _m in listed}
            for number, match in listed:
                parent = next((n for n in whole if number.startswith(n + ".")), None)
                if parent is not None:
                    yield Finding("CLAUSE-LIST", passage.source,
                                  f"clause {number} and clause {parent}, which contains it, "
                                  f"are both listed in the {doc.label}", _quote(passage, match))


# --------------------------------------------------------------------------- notes


def _closed_in_notes(doc: DocumentText, env: Env) -> dict[str, str]:
    """Phrase -> what it names, for each model, document or member kind this pack lacks."""
    v = env.vocabulary
    kinds = set(env.context(doc)["kinds"])
    closed = {p: e.name for e in [*v.other_models, *v.note_models]
              if not env.holds(doc, e.when) for p in e.phrases}
    closed |= {p: e.kind.replace("_", " ") for e in v.member_kinds if e.kind not in kinds
               for p in e.phrases}
    return closed


def check_notes(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """A drafting note speaks of what the pack has: no model, document or member kind it
    lacks, and no defined term of the library that this document does not define (the
    client reads the note beside this document's text)."""
    parts = [*doc.document.clauses, *doc.document.schedules]
    if not any(part.note for part in parts):
        return
    closed = _closed_in_notes(doc, env)
    index = phrase_index(tuple(sorted(closed)))
    terms = phrase_index(tuple(sorted(env.library_terms | set(env.vocabulary.proper_names))),
                         False)
    defined = set(doc.definitions) | env.pack_terms | set(env.vocabulary.proper_names)
    for part in parts:
        if not part.note:
            continue
        note = _hide(part.note, _STATUTE) if _STATUTE_HINT.search(part.note) else part.note
        for hit in index.finditer(note):
            yield Finding("NOTE-MODEL", part.id, f"the drafting note names “{hit.phrase}” but "
                          f"the pack has no {closed[hit.phrase]}",
                          excerpt(part.note, hit.start, hit.end))
        for hit in terms.finditer(note):
            if hit.phrase not in defined and (" " in hit.phrase
                                               or not _opens_sentence(note, hit.start)):
                yield Finding("NOTE-MODEL", part.id, f"the drafting note uses “{hit.phrase}”, "
                              f"which the {doc.label} does not define",
                              excerpt(part.note, hit.start, hit.end))


# --------------------------------------------------------------------------- raw values


def _choices(model: type[BaseModel]) -> set[str]:
    found: set[str] = set()

    def scan(annotation: Any) -> None:
        if typing.get_origin(annotation) is Literal:
            found.update(v for v in typing.get_args(annotation) if isinstance(v, str))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for info in annotation.model_fields.values():
                scan(info.annotation)
        else:
            for arg in typing.get_args(annotation):
                scan(arg)

    scan(model)
    return found


_RAW_SHAPES = re.compile(r"(?<![\w-])(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|None(?! of)|True|False"
                         r"|\d{4}-\d{2}-\d{2}|\d+\.0(?!\d))(?![\w-])")


@lru_cache(maxsize=8)
def _spoken_values(idiomatic: tuple[str, ...]) -> tuple[str, ...]:
    """The answers' choices written with spaces for underscores, less the idiomatic ones."""
    return tuple(sorted({c.replace("_", " ") for c in _choices(Answers) if "_" in c}
                        - set(idiomatic)))


def check_raw_values(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """No answer value as stored: snake_case, None, an id, a date or choice as stored."""
    vocabulary = env.vocabulary
    values = phrase_index((*_spoken_values(tuple(vocabulary.idiomatic_values)),
                           *vocabulary.raw_words), False, False)
    ids = [m.id for m in env.answers.members]
    for passage in doc.passages:
        text = passage.masked
        spans: list[tuple[int, int]] = [(h.start, h.end) for h in values.finditer(text)]
        spans += (m.span() for m in _raw_shapes(text))
        present = tuple(i for i in ids if i in text)
        if present:
            spans += ((h.start, h.end) for h in phrase_index(present, False, False).finditer(text))
        for start, end in sorted(spans):
            yield Finding("RAW-VALUE", passage.source, f"raw value “{passage.text[start:end]}”",
                          _quote(passage, (start, end)))


@lru_cache(maxsize=1 << 16)
def _raw_shapes(text: str) -> tuple[re.Match[str], ...]:
    return tuple(_RAW_SHAPES.finditer(text))


# --------------------------------------------------------------------------- markup, empty, doubled

_MARKUP_HINT = re.compile("[\\[{*:\ue000\ue001]")
_MARKUP = re.compile(r"\[\[|\{ref:|\{sched:|\{\{|\{%|\{#|\*\*|:::|[\ue000\ue001]")
"""What opens markup or Jinja (a closer alone, `]]`, is also how nested square-bracketed
placeholders end: `[as a Member of the class [voting / associate]]`)."""


def check_markup(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """No clause markup or Jinja left in the text."""
    for passage in doc.passages:
        if not _MARKUP_HINT.search(passage.masked):
            continue
        for match in _MARKUP.finditer(passage.masked):
            yield Finding("MARKUP", passage.source, f"unrendered “{match.group()}”",
                          _quote(passage, match))


_WORDY = re.compile(r"[^\W_]")


def check_empty(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """No numbered paragraph or clause without words; no list announced and missing."""
    passages = doc.passages
    for clause in doc.document.clauses:
        if not clause.blocks:
            yield Finding("EMPTY-PARAGRAPH", clause.id, f"clause {clause.number} has no text",
                          clause.title)
    for index, passage in enumerate(passages):
        if passage.role in ("body", "list") and passage.level and not _WORDY.search(passage.text):
            yield Finding("EMPTY-PARAGRAPH", passage.source,
                          f"paragraph {passage.number} has no words", passage.text)
        if passage.role == "header" and (index + 1 == len(passages)
                                         or passages[index + 1].role != "row"):
            yield Finding("EMPTY-PARAGRAPH", passage.source, "a table with no rows",
                          passage.text)
        if passage.role in ("body", "list") and passage.text.rstrip().endswith(":"):
            following = passages[index + 1] if index + 1 < len(passages) else None
            if not (following and following.source == passage.source and (
                    following.role in ("list", "header", "row")
                    or following.level > passage.level)):
                yield Finding("MISSING-LIST", passage.source,
                              "introduces a list that does not follow",
                              excerpt(passage.text, len(passage.text), len(passage.text), 80))


_DOUBLED = re.compile(r"(?<![\w-])(\w+)(\s+|,\s+)(\1)(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)
def _doubled(text: str) -> tuple[re.Match[str], ...]:
    return tuple(_DOUBLED.finditer(text))


def check_doubled(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """No word twice in a row ("vote vote", "The the"), except the vocabulary's ("that that").

    Across a comma a repeat is often a list ("administrative receiver, receiver or
    liquidator"); it is a doubled word only where it opens a sentence or a table cell, as
    an answer pasted after its own label does ("rotating, rotating every 12 months").
    """
    allowed = {w.casefold() for w in env.vocabulary.doubled_ok}
    for passage in doc.passages:
        text = passage.masked
        for match in _doubled(text):
            first, gap, second = match.groups()
            if first.casefold() in allowed or first.isdigit():
                continue
            if "," in gap and (first != second or not _opens_sentence(text, match.start())):
                continue
            yield Finding("DOUBLED-WORD", passage.source,
                          f"doubled word “{passage.text[match.start():match.end()]}”",
                          _quote(passage, match))


# --------------------------------------------------------------------------- models, members


def check_other_models(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """No words of a model or answer these answers do not use."""
    closed = {}
    for entry in env.vocabulary.other_models:
        if not env.holds(doc, entry.when):
            for phrase in entry.phrases:
                closed.setdefault(phrase, entry.name)
    for passage, hit in _vocabulary_hits(doc, env):
        if hit.phrase in closed:
            yield Finding("OTHER-MODEL", passage.source,
                          f"“{_shown(passage, hit)}” without a {closed[hit.phrase]} in the "
                          "answers", _quote(passage, hit))


def check_member_kinds(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """No mention of a kind of member the collaborative does not have."""
    kinds = {m.kind for m in env.answers.members}
    absent = {p: e.kind for e in env.vocabulary.member_kinds if e.kind not in kinds
              for p in e.phrases}
    for passage, hit in _vocabulary_hits(doc, env):
        if hit.phrase in absent:
            yield Finding("ABSENT-MEMBER", passage.source,
                          f"“{_shown(passage, hit)}” but no member is "
                          f"{absent[hit.phrase].replace('_', ' ')}", _quote(passage, hit))


def check_schedule_figures(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """No schedule column or row of figures without the clause that creates them."""
    for entry in env.vocabulary.schedule_figures:
        wanted = {label.casefold() for label in entry.labels}
        shown: list[tuple[Passage, str]] = []
        for passage in doc.passages:
            if not passage.in_schedule:
                continue
            if passage.role == "header":
                shown += [(passage, c) for c in passage.cells if c.casefold() in wanted]
            elif passage.role == "row" and passage.cells and passage.cells[0].casefold() in wanted:
                shown.append((passage, passage.cells[0]))
        if shown and not env.holds(doc, entry.when):
            for passage, label in shown:
                yield Finding("ORPHAN-FIGURE", passage.source,
                              f"“{label}” shown though not {entry.when}", passage.text)


def check_two_party(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """A document between two parties speaks of "the other party", never "the others"."""
    if load_outline(doc.kind, env.templates).parties != "lead_and_partner":
        return
    words = set(env.vocabulary.two_party)
    for passage, hit in _vocabulary_hits(doc, env):
        if hit.phrase in words:
            yield Finding("TWO-PARTY", passage.source,
                          f"“{_shown(passage, hit)}” in a two-party document",
                          _quote(passage, hit))


# --------------------------------------------------------------------------- periods

_NUMBER_WORDS = {words(n).split(" (")[0]: n for n in range(400)}
"""`thirty` -> 30: the words the `words` filter writes."""
_UNIT = re.compile(r"(?<![\w-])(?:Business Days?|business days?|working days?|calendar days?"
                   r"|days?|weeks?|months?|years?)(?!\w)")
_UNIT_HINT = re.compile(r"[Dd]ays?\b|weeks?\b|months?\b|years?\b")
_DIGITS_BEFORE = re.compile(r"(?:(?<![\w.,])(\d+)|\((\d+)\))[ -]$")


def _number_before(text: str, end: int) -> tuple[int, int] | None:
    """The number written just before `end` (`thirty (30) `, `30 `, `ten `) and where it
    starts, or None when there is none."""
    before = text[max(0, end - 60):end]
    offset = end - len(before)
    start, value = len(before), None
    found = _DIGITS_BEFORE.search(before)
    if found:
        value, start = int(found.group(1) or found.group(2)), found.start()
        if found.group(1):  # `30 days`
            return value, offset + start
    tokens = before[:start].rstrip().split(" ")
    for count in range(min(6, len(tokens)), 0, -1):  # `one hundred and five (105) days`
        phrase = " ".join(tokens[-count:])
        if phrase.lower() in _NUMBER_WORDS:
            number = _NUMBER_WORDS[phrase.lower()] if value is None else value
            return number, offset + before.rfind(phrase, 0, start)
    return (value, offset + start) if value is not None else None


@dataclass(frozen=True)
class Period:
    passage: Passage
    start: int
    end: int
    number: int
    unit: str
    """`Business Days`, `working days`, `days`, `weeks`, `months` or `years`."""

    @property
    def shown(self) -> str:
        return " ".join(self.passage.text[self.start:self.end].split())


def _unit(text: str) -> str:
    lowered = text.lower()
    if lowered.startswith("business"):
        return "Business Days"
    if lowered.startswith("working"):
        return "working days"
    for unit in ("week", "month", "year"):
        if lowered.startswith(unit):
            return unit + "s"
    return "days"


def periods(doc: DocumentText) -> list[Period]:
    """Every period the document states (`ten Business Days`, `30 days`, `12 months`)."""
    cached = doc.memo.get("periods")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found = []
    for passage in doc.passages:
        if passage.role == "definition" and passage.term == "Business Day":
            continue
        if not _UNIT_HINT.search(passage.masked):
            continue
        for match in _UNIT.finditer(passage.masked):
            number = _number_before(passage.masked, match.start())
            if number is not None:
                found.append(Period(passage, number[1], match.end(), number[0],
                                    _unit(match.group())))
    doc.memo["periods"] = found
    return found


def check_period_units(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """One convention for periods of days in a document: Business Days or days.

    "Working days" are left alone: statutes count in them (the Provider Selection Regime's
    standstill), and a clause quoting one is right to.
    """
    days = [p for p in periods(doc) if p.unit in ("Business Days", "days")]
    counts = Counter(p.unit for p in days)
    if len(counts) < 2:
        return
    usual = "Business Days" if counts["Business Days"] >= counts["days"] else "days"
    for period in days:
        if period.unit != usual:
            yield Finding("PERIOD-UNITS", period.passage.source,
                          f"{period.unit} where the {doc.label} otherwise counts in {usual}",
                          _quote(period.passage, (period.start, period.end)))


_ONE = re.compile(r"(?<![\w-])one(?: \(1\))? (?:Business Days|days|weeks|months|years)(?!\w)",
                  re.IGNORECASE)


def check_plural(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """No "one (1) months": a number from the answers agrees with its noun."""
    for passage in doc.passages:
        if "one" not in passage.masked.lower():
            continue
        for match in _ONE.finditer(passage.masked):
            yield Finding("PLURAL", passage.source, "a plural after one",
                          _quote(passage, match))


def _events(doc: DocumentText, env: Env) -> Iterator[tuple[str, Period]]:
    """Each period with the event it is for: the event one of whose words comes shortly
    before the period, in the same sentence or part of a sentence between semicolons."""
    events = [(e, re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, e.words)) + ")",
                             re.IGNORECASE)) for e in env.vocabulary.period_events]
    events = [(e, pattern) for e, pattern in events if not e.documents or doc.kind in e.documents]
    for period in periods(doc):
        text = period.passage.masked
        floor = max(text.rfind(". ", 0, period.start), text.rfind(";", 0, period.start)) + 1
        best: tuple[int, str] | None = None
        for event, pattern in events:
            if event.units and period.unit not in event.units:
                continue
            for match in pattern.finditer(text, max(floor, period.start - event.within),
                                          period.start):
                distance = period.start - match.end()
                if best is None or distance < best[0]:
                    best = (distance, event.event)
        if best is not None:
            yield best[1], period


def check_period_mismatch(docs: Sequence[DocumentText], env: Env) -> Iterator[Finding]:
    """The same period for the same event in every document of the pack."""
    stated: dict[str, list[tuple[DocumentText, Period]]] = {}
    for doc in docs:
        for event, period in _events(doc, env):
            stated.setdefault(event, []).append((doc, period))
    for event, items in stated.items():
        values = Counter((p.number, p.unit) for _, p in items)
        if len(values) < 2:
            continue
        usual = max(values, key=lambda v: (values[v], -list(values).index(v)))
        doc_u, period_u = next((d, p) for d, p in items if (p.number, p.unit) == usual)
        for doc, period in items:
            if (period.number, period.unit) != usual:
                yield Finding("PERIOD-MISMATCH", period.passage.source,
                              f"{event} in the {doc.label} differs from "
                              f"{doc_u.label} {period_u.passage.source}",
                              _quote(period.passage, (period.start, period.end))
                              + f" / {doc_u.label}: “{period_u.shown}”")


# --------------------------------------------------------------------------- schedule references

_SCHEDULE = re.compile(r"(?:Part [A-Z] of )?(Schedule \d+)")
# "Schedule 4 (Reserved matters) of the Agreement": the schedule of another document.
_ANOTHER_DOCUMENT = re.compile(r"\s*(?:\([^)]*\)\s*)?of the (?:Collaboration )?Agreement\b")


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in re.finditer(r"(?<=[.;])\s+(?=[A-Z(])", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def check_schedule_refs(doc: DocumentText, env: Env) -> Iterator[Finding]:
    """A sentence saying something is shown in a schedule finds it there."""
    refs = env.vocabulary.schedule_references
    verbs = phrase_index(tuple(refs.verbs))
    money, share, cap = (phrase_index(tuple(w)) for w in (refs.money, refs.percent, refs.cap))
    each = phrase_index(tuple(refs.each_member), False, False)
    for passage in doc.passages:
        if passage.role not in ("body", "list", "definition", "row") \
                or "Schedule " not in passage.masked:
            continue
        text = passage.masked
        for left, right in _sentences(text):
            sentence = text[left:right]
            for match in _SCHEDULE.finditer(sentence):
                before = sentence[:match.start()]
                if verbs.search(before[-80:]) is None:
                    continue
                if _ANOTHER_DOCUMENT.match(sentence, match.end()):
                    continue  # a schedule of the agreement this document cites, not its own
                number = match.group(1)
                quote = excerpt(passage.text, left + match.start(), left + match.end(), 80)
                schedule = doc.schedule_numbers.get(number)
                if schedule is None:
                    yield Finding("SCHEDULE-REF", passage.source,
                                  f"a schedule that the {doc.label} does not have", quote)
                    continue
                held = " ".join(p.text for p in doc.schedules[schedule])
                has_money = re.search(r"£\s?[\d●]|\[£", held) is not None
                has_percent = re.search(r"\d%", held) is not None
                if money.search(before) is not None and not has_money:
                    yield Finding("SCHEDULE-REF", passage.source, f"an amount “shown in” "
                                  f"the {schedule} schedule, which holds no amount", quote)
                elif share.search(before) is not None and not has_percent:
                    yield Finding("SCHEDULE-REF", passage.source, f"a share “shown in” "
                                  f"the {schedule} schedule, which holds no percentage", quote)
                elif cap.search(before) is not None and not (has_money or has_percent):
                    yield Finding("SCHEDULE-REF", passage.source, f"a cap “shown in” "
                                  f"the {schedule} schedule, which holds no figure", quote)
                said = each.search(sentence)
                if said is not None:
                    missing = [m for m in _each(env.answers, said.phrase, doc)
                               if m.name not in held]
                    if missing:
                        yield Finding("SCHEDULE-REF", passage.source,
                                      f"“{said.phrase}” in the {schedule} schedule, which has "
                                      f"no row for a {missing[0].kind.replace('_', ' ')} member",
                                      quote)


def _each(answers: Answers, phrase: str, doc: DocumentText) -> list[Any]:
    """The members a phrase like "each Voting Member" speaks of."""
    if "Voting Member" in phrase:
        return answers.voting_members
    if "Partner" in phrase:
        return answers.partners
    return [m for m in answers.members if m.member_class != "observer"]


CHECKS: tuple[Callable[[DocumentText, Env], Iterable[Finding]], ...] = (
    check_terms, check_raw_values, check_markup, check_empty, check_doubled,
    check_other_models, check_member_kinds, check_schedule_figures, check_two_party,
    check_period_units, check_plural, check_schedule_refs, check_lower_case_terms, check_notes,
    check_clause_lists,
)
"""The checks of one document, in the order their findings are reported."""

PACK_CHECKS: tuple[Callable[[Sequence[DocumentText], Env], Iterable[Finding]], ...] = (
    check_period_mismatch,
)
"""The checks across the documents of one answers set."""

WARNINGS: frozenset[str] = frozenset()
"""Kinds printed as warnings, not counted as problems, until the library is clean of them."""

