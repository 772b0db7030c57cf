"""`lint()`: draft every document of many answer sets and check what they say.

The answer sets are the bundled examples and `samples` generated ones (`strategies`),
chosen so that together they reach every clause, variant and schedule of the library
(`coverage`). Each set is validated as a file would be (written as YAML and read back),
each document it asks for is drafted as `drafting assemble` drafts it, and every check of
`checks` runs over the text. Anything never reached is a problem too.

A problem found in several answer sets is reported once, with the first set that shows it
(the examples first, then the samples in order), so the report lists what to fix in the
library, and each line names one answers file that reproduces it.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from drafting.build.assemble import TEMPLATES
from drafting.build.pack import build_document, plan
from drafting.errors import AnswersError, DraftingError
from drafting.read.answers import Answers
from drafting.read.check import EXAMPLES
from drafting.read.library import Library, load_library
from drafting.read.load import LoadedAnswers, parse_answers
from drafting.review.lint import coverage
from drafting.review.lint.checks import CHECKS, PACK_CHECKS, WARNINGS, Env, Finding
from drafting.review.lint.strategies import answers as answer_sets
from drafting.review.lint.strategies import draw_many
from drafting.review.lint.text import DocumentText, document_text, label_of
from drafting.review.lint.vocabulary import Vocabulary, load_vocabulary

__all__ = ["CANDIDATES_PER_SAMPLE", "EXAMPLES", "AnswerSet", "LintReport", "lint",
           "sample_name", "steps"]

CANDIDATES_PER_SAMPLE = 3
"""Answer sets generated for each one linted; the best reach is chosen among them."""

Progress = Callable[[int], None]


@dataclass(frozen=True)
class AnswerSet:
    """One answers file linted: its name (the example's stem or `sample-NNN`) and its YAML."""

    name: str
    text: str


@dataclass
class LintReport:
    """What lint found, and how much it read."""

    findings: list[Finding]
    answers: int = 0
    documents: int = 0
    sets: dict[str, AnswerSet] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def problems(self) -> list[Finding]:
        """The findings that fail lint (every kind but the `WARNINGS`)."""
        return [f for f in self.findings if f.kind not in WARNINGS]

    @property
    def warnings(self) -> list[Finding]:
        """The findings of checks landed as warnings: printed, not failing lint."""
        return [f for f in self.findings if f.kind in WARNINGS]

    def summary(self) -> str:
        counted = f"{self.answers} answers, {self.documents} documents, " \
                  f"{len(self.problems)} problems"
        return counted + (f", {len(self.warnings)} warnings" if self.warnings else "")


def sample_name(index: int) -> str:
    """The name of the `index`-th generated set (from 1): `sample-001`."""
    return f"sample-{index:03d}"


def steps(samples: int, examples: Path | None = None) -> int:
    """How many progress steps `lint` reports: one per candidate generated, one per set."""
    folder = examples if examples is not None else EXAMPLES
    count = len(list(folder.glob("*.yaml"))) if folder.is_dir() else 0
    return samples * CANDIDATES_PER_SAMPLE + samples + count


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _yaml(data: dict[str, object]) -> str:
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)


def _generated(library: Library, samples: int, seed: int, covered: list[set[coverage.Item]],
               templates: Path | None, progress: Progress) -> list[AnswerSet]:
    """`samples` generated sets that reach what the examples (`covered`) do not."""
    candidates = draw_many(answer_sets(), samples * CANDIDATES_PER_SAMPLE, seed)
    reach: list[set[coverage.Item]] = []
    for data in candidates:
        try:
            reach.append(coverage.predict(library, Answers.model_validate(data), templates))
        except ValidationError:
            reach.append(set())  # drafted and reported as invalid if chosen
        progress(1)
    chosen = coverage.select(reach, samples, covered)
    return [AnswerSet(sample_name(n), _yaml(candidates[i])) for n, i in enumerate(chosen, 1)]


def _load(answer_set: AnswerSet) -> LoadedAnswers | Finding:
    try:
        return parse_answers(answer_set.text, f"{answer_set.name}.yaml")
    except AnswersError as exc:
        first = exc.errors[0] if exc.errors else exc.problems[0]
        return Finding("INVALID-ANSWERS", "-", f"[{first.rule}] {first.path or 'file'}: "
                       f"{first.message}", f"line {first.line}", answer_set.name)


def _lint_set(library: Library, vocabulary: Vocabulary, loaded: LoadedAnswers, name: str,
              templates: Path | None, reached: set[coverage.Item]
              ) -> tuple[list[Finding], int]:
    """Draft and check every document of one answer set, adding what its documents reach
    to `reached`; return its findings (named `name`) and how many documents it has."""
    findings: list[Finding] = []
    answers = loaded.answers
    env = Env(answers=answers, library=library, vocabulary=vocabulary, templates=templates)
    docs: list[DocumentText] = []
    try:
        planned = plan(answers)
    except DraftingError as exc:
        return [Finding("ASSEMBLY", "-", exc.format_message(), "", name)], 0
    folder = templates if templates is not None else TEMPLATES
    for item in planned:
        if not (folder / f"{item.kind}.yaml").exists():
            continue  # a library with outlines for some kinds only is linted for those
        try:
            document = build_document(library, loaded, item.kind, item.partner_id,
                                      templates=templates)
        except DraftingError as exc:
            findings.append(Finding("ASSEMBLY", "-", f"drafting the {label_of(item.kind)}: "
                                    f"{_message(exc, library)}", item.filename, name))
            continue
        except Exception as exc:  # noqa: BLE001 - a crash is a finding, with the set kept
            findings.append(Finding("CRASH", "-", f"drafting the {label_of(item.kind)}: "
                                    f"{_crash(exc)}", item.filename, name))
            continue
        reached |= coverage.reached(document)
        docs.append(document_text(document, item.filename, answers, library))
    env.pack_terms = {term for doc in docs for term in doc.definitions}
    for doc in docs:
        for check in CHECKS:
            findings += (replace(f, sample=name) for f in check(doc, env))
    for pack_check in PACK_CHECKS:
        findings += (replace(f, sample=name) for f in pack_check(docs, env))
    return findings, len(docs)


def _message(exc: DraftingError, library: Library) -> str:
    """Drafting's message, naming a library file from the library's folder's parent
    (`clauses/staffing/v1.md:13`), so the report reads the same on every machine."""
    if exc.file:
        try:
            shown = Path(exc.file).resolve().relative_to(library.root.resolve().parent)
        except ValueError:
            return exc.format_message()
        where = f"{shown.as_posix()}:{exc.line}" if exc.line is not None else shown.as_posix()
        return f"{where}: {exc.message}"
    return exc.format_message()


def _crash(exc: BaseException) -> str:
    """An unexpected exception in drafting, as `Type: message at file:line`, naming the two
    deepest frames in the `drafting` package (the failing call and its caller)."""
    frames = [f"{Path(f.filename).name}:{f.lineno}"
              for f in traceback.extract_tb(exc.__traceback__)
              if f"{Path('drafting')}" in f.filename]
    where = f" at {', called from '.join(reversed(frames[-2:]))}" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _unreached(library: Library, reached: set[coverage.Item]) -> list[Finding]:
    findings = []
    for part, ident, variant in coverage.targets(library):
        if (part, ident, variant) in reached:
            continue
        item = library.get(ident) if part == "clause" else library.get_schedule(ident)
        if variant is None:
            findings.append(Finding("UNREACHED", ident, f"no answer set reaches this {part}",
                                    f"when: {item.when}", "-"))
        else:
            when = next(v.when for v in item.variants if v.id == variant)
            findings.append(Finding("UNREACHED", ident, f"no answer set selects variant "
                                    f"{variant}", f"when: {when}", "-"))
    return findings


def lint(library_path: str | Path | None = None, *, samples: int = 200, seed: int = 0,
         examples: Path | None = None, templates: Path | None = None,
         progress: Progress | None = None) -> LintReport:
    """Lint the library at `library_path` (the bundled one when None) over the example
    answers in `examples` and `samples` generated sets; the same arguments give the same
    report. `progress` is called with a number of steps done (see `steps`).

    Raises `LibraryError` when the library does not load; every other problem, a set that
    fails to draft included, is a finding.
    """
    started = time.perf_counter()
    advance: Progress = progress or (lambda n: None)
    library = load_library(library_path)
    vocabulary = load_vocabulary()
    folder = examples if examples is not None else EXAMPLES
    sets = [AnswerSet(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.yaml"))] if folder.is_dir() else []
    loaded = {s.name: _load(s) for s in sets}
    covered = [coverage.predict(library, v.answers, templates) for v in loaded.values()
               if isinstance(v, LoadedAnswers)]
    generated = _generated(library, samples, seed, covered, templates, advance)
    for answer_set in generated:
        loaded[answer_set.name] = _load(answer_set)
    sets += generated

    findings: list[Finding] = []
    reached: set[coverage.Item] = set()
    documents = 0
    for answer_set in sets:
        result = loaded[answer_set.name]
        if isinstance(result, Finding):
            findings.append(result)
        else:
            found, count = _lint_set(library, vocabulary, result, answer_set.name, templates,
                                     reached)
            findings += found
            documents += count
        advance(1)
    findings += _unreached(library, reached)

    unique: dict[tuple[str, str, str], Finding] = {}
    for finding in findings:
        unique.setdefault((finding.kind, finding.source, finding.what), finding)
    return LintReport(list(unique.values()), answers=len(sets), documents=documents,
                      sets={s.name: s for s in sets}, seconds=time.perf_counter() - started)
