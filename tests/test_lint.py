"""`drafting lint`: each check fires with its message, the answer sets are valid, reproducible
and reach the library, and the command behaves (exit status, --keep, progress on a terminal).

The fixture library (`tests/fixtures/lint/`) has one clause per rule it breaks (each says
which in its `note`), a clean clause, and two answers files: a shared-leadership
collaborative and a lead provider with one partner's sub-contract.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drafting.cli import main
from drafting.errors import LibraryError
from drafting.read.answers import Answers, Data, Finance, Governance
from drafting.read.library import load_library
from drafting.read.load import load_answers, parse_answers
from drafting.review.lint import coverage
from drafting.review.lint.strategies import answers, choices, draw_many
from drafting.review.lint.vocabulary import VOCABULARY, load_vocabulary
from tests.conftest import ANSWERS_DIR, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "lint"
LIBRARY = FIXTURES / "clauses"
TEMPLATES = FIXTURES / "templates"
EXAMPLES = FIXTURES / "answers"
FIXTURE = ["--library", str(LIBRARY), "--templates", str(TEMPLATES), "--examples", str(EXAMPLES)]
LINE = re.compile(r'^(?P<kind>[A-Z][A-Z-]+)\[(?P<sample>[^\]]+)\] (?P<source>\S+): (?P<what>.+): '
                  r'"(?P<quote>.*)"$')
SUMMARY = re.compile(r"^(\d+) answers, (\d+) documents, (\d+) problems(?:, (\d+) warnings)?$")


def lint(*args: str) -> subprocess.CompletedProcess[str]:
    """`drafting lint` in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "drafting", "lint", *args], capture_output=True,
                          text=True, cwd=ROOT, check=False)


@pytest.fixture(scope="module")
def fixture_run() -> tuple[int, list[str]]:
    """The fixture library linted over its two answers files only (no generated sets)."""
    result = CliRunner().invoke(main, ["lint", "--samples", "0", *FIXTURE])
    return result.exit_code, result.output.splitlines()


# --------------------------------------------------------------------------- each check

EXPECTED = [
    'UNDEFINED-TERM[lead] fx-undefined: “Widget Register” is used but not defined in the '
    'collaboration-agreement: "The Widget Register is kept up to date by each Member."',
    'UNUSED-TERM[lead] definitions: “Gizmo” is defined but not used in the '
    'collaboration-agreement: "“Gizmo” means a thing that no clause mentions."',
    'DOUBLE-DEFINITION[lead] definitions: “Widget” is defined 2 times in the '
    'collaboration-agreement: "“Widget” means a device a Member lends to another."',
    'RAW-VALUE[lead] fx-raw: raw value “partnership_board”: '
    '"The Members work together through a partnership_board."',
    'MARKUP[lead] fx-markup: unrendered “[[”: "Each [[Member]] keeps minutes of its meetings."',
    'EMPTY-PARAGRAPH[lead] fx-empty: paragraph 11.1 has no words: "."',
    'MISSING-LIST[lead] fx-empty: introduces a list that does not follow: '
    '"The Members agree the following:"',
    'DOUBLED-WORD[lead] fx-doubled: doubled word “vote vote”: '
    '"The Members present vote vote on each proposal."',
    'OTHER-MODEL[shared] fx-lead: “Lead Provider” without a lead provider in the answers: '
    '"The Lead Provider reports to the Board each quarter."',
    'ABSENT-MEMBER[lead] fx-kind: “local authority” but no member is local authority: '
    '"A local authority Member meets its own costs."',
    'ABSENT-MEMBER[lead] fx-kind: “elected members” but no member is local authority: '
    '"The chair of the Board may invite elected members to attend."',
    'ORPHAN-FIGURE[lead] financial-framework: “Share of a deficit” shown though not '
    '\'risk-gain-share\' in clauses: "Member | Share of a deficit"',
    'TWO-PARTY[lead] fx-two-party: “the others” in a two-party document: '
    '"Each party tells the others of any change in its registration."',
    'PERIOD-UNITS[lead] fx-periods: days where the collaboration-agreement otherwise counts in '
    'Business Days: "Each Member pays its share of the costs within 30 days."',
    'PERIOD-MISMATCH[lead] fx-incident: incident notification in the sub-contract differs from '
    'collaboration-agreement fx-incident: "…notifies each patient safety incident within five '
    '(5) Business Days. / collaboration-agreement: “two (2) Business Days”"',
    'PLURAL[lead] fx-plural: a plural after one: "A Member may leave on one (1) months\' notice."',
    'SCHEDULE-REF[lead] fx-schedule-ref: an amount “shown in” the members schedule, which holds '
    'no amount: "Each Member contributes the amount set out in Schedule 1."',
    'UNREACHED[-] fx-unreachable: no answer set selects variant never: '
    '"when: governance.model == \'lead_provider\' and not derived.has_lead_provider"',
    # the note of fx-lead names the lead provider the shared set lacks
    'NOTE-MODEL[shared] fx-lead: the drafting note names “lead provider” but the pack '
    'has no lead provider: "Speaks of a lead provider whatever the governance model."',
]


@pytest.mark.parametrize("line", EXPECTED, ids=lambda line: line.split("[")[0])
def test_each_check_fires_with_its_message(fixture_run: tuple[int, list[str]], line: str) -> None:
    assert line in fixture_run[1]


def test_clean_clause_gives_no_problem(fixture_run: tuple[int, list[str]]) -> None:
    """fx-clean says "that that" and "receiver, receiver" (a list): English, not doubled words."""
    assert not [line for line in fixture_run[1] if " fx-clean:" in line]


def test_other_model_words_are_fine_where_the_answers_call_for_them(
        fixture_run: tuple[int, list[str]]) -> None:
    """The lead provider of fx-lead is a problem in the shared-leadership set only."""
    assert not [line for line in fixture_run[1]
                if line.startswith("OTHER-MODEL[lead] fx-lead")]


def test_output_is_one_line_per_problem_then_a_count(fixture_run: tuple[int, list[str]]) -> None:
    exit_code, lines = fixture_run
    assert exit_code == 1
    *shown, summary = lines
    problems = [line for line in shown if not line.startswith("warning: ")]
    warnings = [line.removeprefix("warning: ") for line in shown if line.startswith("warning: ")]
    assert shown == problems + [f"warning: {w}" for w in warnings]  # warnings come last
    assert all(LINE.match(line) for line in problems + warnings), \
        [p for p in problems + warnings if not LINE.match(p)]
    counts = SUMMARY.match(summary)
    assert counts and counts.groups()[:2] == ("2", "3")
    assert int(counts.group(3)) == len(problems) == len(set(problems))
    assert int(counts.group(4) or 0) == len(warnings)


def test_problem_found_twice_is_reported_once(fixture_run: tuple[int, list[str]]) -> None:
    """fx-raw prints the same raw value for both answers files: one line, the first file."""
    raw = [line for line in fixture_run[1] if line.startswith("RAW-VALUE[") and " fx-raw:" in line]
    assert len(raw) == 1 and raw[0].startswith("RAW-VALUE[lead]")


def test_invalid_example_is_a_problem(tmp_path: Path, runner: CliRunner) -> None:
    shutil.copy(ROOT / "tests" / "answers" / "invalid" / "R5-weights-sum.yaml", tmp_path)
    result = runner.invoke(main, ["lint", "--samples", "0", "--library", str(LIBRARY),
                                  "--templates", str(TEMPLATES), "--examples", str(tmp_path)])
    assert result.exit_code == 1
    assert re.search(r'^INVALID-ANSWERS\[R5-weights-sum\] -: \[R5\] governance\.weights: The weights '
                     r'add up to \d+\. They must add up to 100: "line \d+"$', result.output, re.M)


def test_drafting_errors_and_crashes_are_problems(tmp_path: Path, runner: CliRunner) -> None:
    """A reference to a clause the document lacks, and a template that divides by zero."""
    library = tmp_path / "clauses"
    shutil.copytree(LIBRARY, library)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    for name, body in (("fx-bad-ref", "- See clause {ref:fx-register}."),
                       ("fx-crash", "- One in {{ 1 // (members | length - members | length) }}.")):
        (library / name).mkdir()
        (library / name / "v1.md").write_text(
            f"---\nid: {name}\nversion: 1\ntitle: Broken\nstatus: current\ndate: 2026-11-29\n"
            "change: First version.\ndocuments: [collaboration_agreement, sub_contract]\n---\n"
            f"{body}\n", encoding="utf-8")
    outline = templates / "collaboration_agreement.yaml"
    outline.write_text(outline.read_text(encoding="utf-8").replace(
        "clauses: [definitions,", "clauses: [definitions, fx-bad-ref,"), encoding="utf-8")
    outline = templates / "sub_contract.yaml"
    outline.write_text(outline.read_text(encoding="utf-8").replace(
        "clauses: [definitions,", "clauses: [definitions, fx-crash,"), encoding="utf-8")
    result = runner.invoke(main, ["lint", "--samples", "0", "--library", str(library),
                                  "--templates", str(templates), "--examples", str(EXAMPLES)])
    assert result.exit_code == 1
    assert re.search(r"^ASSEMBLY\[lead\] -: drafting the collaboration-agreement: "
                     r"clauses/fx-bad-ref/v1\.md:\d+: \{ref:fx-register\} refers to a clause "
                     r"or label this "
                     r"collaboration_agreement does not include.*: "
                     r'"collaboration-agreement\.docx"$', result.output, re.M)
    assert re.search(r"^CRASH\[lead\] -: drafting the sub-contract: ZeroDivisionError: .*: "
                     r'"sub-contract-west\.docx"$', result.output, re.M)


def test_no_problem_exits_zero(tmp_path: Path, runner: CliRunner) -> None:
    library = tmp_path / "clauses"
    (library / "definitions").mkdir(parents=True)
    (library / "definitions" / "v1.md").write_text(
        "---\nid: definitions\nversion: 1\ntitle: Definitions\nstatus: current\n"
        "date: 2026-11-29\nchange: First version.\ndocuments: [collaboration_agreement]\n"
        "uses: [Agreement]\ndefines:\n  Agreement: this agreement between the [[Member]]s\n"
        "  Member: each party to this [[Agreement]]\n  Board: the board of the [[Member]]s\n"
        "---\nIn this [[Agreement]] the words below have these meanings.\n\n"
        "“Widget” means a device a [[Member]] lends to another.\n", encoding="utf-8")
    shutil.copytree(LIBRARY / "fx-clean", library / "fx-clean")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "collaboration_agreement.yaml").write_text(
        "kind: collaboration_agreement\ntitle: Collaboration Agreement\nparties: members\n"
        "clauses: [definitions, fx-clean]\nschedules: []\n", encoding="utf-8")
    result = runner.invoke(main, ["lint", "--samples", "3", "--library", str(library),
                                  "--templates", str(templates), "--examples", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"5 answers, [1-9]\d* documents, 0 problems\n", result.stdout)


@pytest.mark.parametrize("args", [["--samples", "-1"], ["--seed", "nine"], ["--sample", "3"]])
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, ["lint", *args])
    assert result.exit_code == 2
    assert "Error" in result.stderr


def test_a_broken_vocabulary_is_named_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text(VOCABULARY.read_text(encoding="utf-8")
                   .replace("  - event: invoice payment\n", "  - evnt: invoice payment\n"),
                   encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        load_vocabulary(bad)
    assert caught.value.file == str(bad) and caught.value.line
    assert "period_events" in caught.value.message


# --------------------------------------------------------------------------- reproducible, kept


def test_same_seed_same_output_whatever_was_imported(runner: CliRunner) -> None:
    """Once in this test process (many modules imported), once in a fresh one."""
    args = ["--samples", "6", "--seed", "7", *FIXTURE]
    here = runner.invoke(main, ["lint", *args])
    fresh = lint(*args)
    assert here.stdout == fresh.stdout
    assert here.exit_code == fresh.returncode == 1
    assert re.search(r"^8 answers, \d+ documents, \d+ problems(, \d+ warnings)?$", fresh.stdout,
                     re.M)
    assert draw_many(answers(), 18, 7) != draw_many(answers(), 18, 8)


def test_lint_leaves_nothing_behind_in_the_working_folder(tmp_path: Path) -> None:
    """Not even Hypothesis's cache folder, `.hypothesis/`."""
    result = subprocess.run([sys.executable, "-m", "drafting", "lint", "--samples", "3", *FIXTURE],
                            capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 1 and result.stdout
    assert list(tmp_path.iterdir()) == []


def test_keep_writes_the_answers_files_that_show_problems(tmp_path: Path, runner: CliRunner
                                                          ) -> None:
    keep = tmp_path / "kept"
    result = runner.invoke(main, ["lint", "--samples", "4", "--seed", "1", "--keep", str(keep),
                                  *FIXTURE])
    assert result.exit_code == 1
    named = {LINE.match(line.removeprefix("warning: ")).group("sample")  # type: ignore[union-attr]
             for line in result.stdout.splitlines()[:-1]} - {"-"}
    assert {p.stem for p in keep.glob("*.yaml")} == named
    assert any(name.startswith("sample-") for name in named)
    for path in keep.glob("*.yaml"):
        load_answers(path)  # every kept file is a valid answers file
    assert (keep / "lead.yaml").read_text(encoding="utf-8") == \
        (EXAMPLES / "lead.yaml").read_text(encoding="utf-8")
    sample = sorted(keep.glob("sample-*.yaml"))[0]
    text = sample.read_text(encoding="utf-8")
    assert text.startswith(f"# {sample.stem}: ")
    assert any(line.startswith("# ") and f"[{sample.stem}]" in line for line in text.splitlines())
    out = tmp_path / "drafts"
    drafted = runner.invoke(main, ["assemble", str(sample), "-o", str(out)])
    assert drafted.exit_code == 0, drafted.output
    assert list(out.glob("*.docx"))


def test_keep_never_overwrites_without_force(tmp_path: Path, runner: CliRunner) -> None:
    keep = tmp_path / "kept"
    args = ["lint", "--samples", "0", "--keep", str(keep), *FIXTURE]
    assert runner.invoke(main, args).exit_code == 1
    (keep / "lead.yaml").write_text("# edited\n", encoding="utf-8")
    again = runner.invoke(main, args)
    assert again.exit_code == 1 and "would overwrite" in again.stderr
    assert (keep / "lead.yaml").read_text(encoding="utf-8") == "# edited\n"
    forced = runner.invoke(main, [*args, "--force"])
    assert forced.exit_code == 1 and "would overwrite" not in forced.stderr
    assert (keep / "lead.yaml").read_text(encoding="utf-8").startswith("# A lead provider")


# --------------------------------------------------------------------------- the answer sets


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_generated_answer_set_is_valid(seed: int) -> None:
    """Written as YAML and read back as a file would be: no error, whatever the seed."""
    for number, data in enumerate(draw_many(answers(), 150, seed)):
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        loaded = parse_answers(text, f"sample-{number}.yaml")  # raises on any error
        assert loaded.answers == Answers.model_validate(data)


def test_generated_choices_come_from_the_models() -> None:
    """Every choice the rules leave open appears: a new choice in a model would appear too."""
    sets = [Answers.model_validate(d) for d in draw_many(answers(), 400, 0)]
    seen = {
        (Governance, "model"): Counter(a.governance.model for a in sets),
        (Governance, "vehicle"): Counter(a.governance.vehicle for a in sets),
        (Governance, "voting"): Counter(a.governance.voting for a in sets),
        (Governance, "deadlock"): Counter(a.governance.deadlock for a in sets),
        (Finance, "model"): Counter(a.finance.model for a in sets),
        (Data, "kinds"): Counter(a.data.kinds for a in sets),
    }
    for (model, name), counts in seen.items():
        assert set(counts) == set(choices(model, name)), (model.__name__, name)
    kinds = Counter(m.kind for a in sets for m in a.members)
    assert set(kinds) == set(choices(type(sets[0].members[0]), "kind"))
    assert {len(a.members) for a in sets} >= {2, 3, 4, 5, 6}


def test_generated_sets_keep_the_rules_that_tie_answers_together() -> None:
    for data in draw_many(answers(), 200, 3):
        a = Answers.model_validate(data)
        assert (a.lead is not None) == (a.governance.model == "lead_provider")
        if a.governance.weights:
            assert sum(a.governance.weights.values()) == 100
        if a.is_members:
            assert a.competition.information_barrier != "none"


def test_generated_sets_reach_every_variant_of_the_bundled_library() -> None:
    """With the examples, the sets lint would choose (200 of 600 candidates) reach every
    clause, variant and schedule of the library (a variant no valid answers can select, such
    as an information barrier's absence where rule R16 requires one, is retired from the
    library, not left unreached)."""
    library = load_library()
    examples = [coverage.predict(library, load_answers(p).answers)
                for p in sorted(ANSWERS_DIR.glob("*.yaml"))]
    reach = [coverage.predict(library, Answers.model_validate(d))
             for d in draw_many(answers(), 600, 0)]
    chosen = coverage.select(reach, 200, examples)
    reached = set().union(*examples, *(reach[i] for i in chosen))
    missing = [t for t in coverage.targets(library) if t not in reached]
    assert missing == []


def test_choice_reaches_what_the_examples_do_not_first() -> None:
    reach = [{("clause", "a", None)}, {("clause", "b", None), ("clause", "c", None)},
             {("clause", "a", None), ("clause", "d", None)}, {("clause", "b", None)}]
    assert coverage.select(reach, 2, [{("clause", "a", None)}]) == [1, 2]
    assert coverage.select(reach, 10, []) == [1, 2, 0, 3]  # ties go to the earlier


# --------------------------------------------------------------------------- progress


def _on_a_terminal(*args: str) -> tuple[int, str]:
    """Run `drafting ARGS` with stderr on a pseudo-terminal; return its status and stderr."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "drafting", *args], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=follower,
                               env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    return process.wait(timeout=60), seen.decode("utf-8", "replace")


def test_lint_shows_progress_on_a_terminal_only(runner: CliRunner) -> None:
    status, shown = _on_a_terminal("lint", "--samples", "2", *FIXTURE)
    assert status == 1
    assert "Linting" in shown and re.search(r"\d+/\d+", shown)
    quiet = runner.invoke(main, ["lint", "--samples", "2", *FIXTURE])
    assert "Linting" not in quiet.stderr


def test_batch_shows_progress_on_a_terminal_only(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    shutil.copy(EXAMPLES / "shared.yaml", folder)
    status, shown = _on_a_terminal("batch", str(folder), "-o", str(tmp_path / "out"), "-j", "1")
    assert status == 0
    assert "Drafting" in shown and "1/1" in shown
    quiet = runner.invoke(main, ["batch", str(folder), "-o", str(tmp_path / "again"), "-j", "1"])
    assert quiet.exit_code == 0 and "Drafting" not in quiet.stderr


def test_answer_text_in_each_partners_terms_is_answer_text() -> None:
    """A partner's own terms are answer text too, so a contract manager who is "Chair of the
    Board" is a person's title in the answers, never an undefined use of "Chair"."""
    from drafting.review.lint.text import answer_texts

    answers = load_answers(ANSWERS_DIR / "north-east-mental-health.yaml").answers
    assert answers.sub_contract_terms
    texts = answer_texts(answers)
    for terms in answers.sub_contract_terms.values():
        assert terms.contract_manager is not None
        assert terms.contract_manager.role in texts
        assert all(service.name in texts for service in terms.services)
