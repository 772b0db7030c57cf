"""`drafting questionnaire` driven through the real command line with standard input.

Two sessions are fixed transcripts (tests/fixtures/questionnaire/*.session.yaml: each
question's path and what is typed, wrong answers and `?` included); the files they write
must equal the expected answers beside them. Every other scenario is typed from its
answers file, to check that no question is asked whose condition is false.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from drafting.cli import main
from drafting.questionnaire import questions as Q
from drafting.read.load import load_answers, validate_data
from drafting.read.yamlsource import read_yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "questionnaire"
SESSIONS = sorted(FIXTURES.glob("*.session.yaml"))
SCENARIO_FILES = (
    sorted((ROOT / "answers").glob("*.yaml"))
    + sorted(p for p in FIXTURES.glob("*.yaml") if not p.name.endswith(".session.yaml"))
    + sorted((ROOT / "tests" / "answers" / "scenarios").glob("*.yaml"))
)

ASKED = re.compile(r"^(?:Question \d+ of \d+ so far · )?Section [A-J] of J: [^\n]*\n([^\n]+)$",
                   re.MULTILINE)


def transcript(session: Path) -> list[list[str]]:
    """[path, typed line, ...] for each question of a session fixture."""
    return yaml.safe_load(session.read_text(encoding="utf-8"))


def stdin_of(entries: list[list[str]], finish: str | None = "n") -> str:
    """The lines typed, then `finish` (the answer to "Draft the documents now?"), if any."""
    lines = [line for entry in entries for line in entry[1:]]
    if finish is not None:
        lines.append(finish)
    return "\n".join(lines) + "\n"


def asked(output: str) -> list[str]:
    """The titles of the questions shown, in order (each follows its progress line)."""
    return ASKED.findall(output)


def titles(paths: list[str], data: dict[str, Any],
           start: dict[str, Any] | None = None) -> list[str]:
    """The titles the questionnaire shows for these answer paths (members named from `data`;
    lists that already hold entries in `start`, a resumed file, ask for "another")."""
    out = []
    asked = {p for p in paths if start and Q.has_answer(start, p)
             and isinstance(Q.get_answer(start, p), list) and Q.get_answer(start, p)}
    for path in paths:
        template, mid = Q.template_of(path)
        title = next(q.title for q in Q.QUESTIONS if q.key == template)
        if "{member}" in title:
            name = next(m["name"] for m in data["members"] if m["id"] == mid)
            title = title.replace("{member}", name)
        if path in asked:  # a list asked again holds an entry: "Add another ..."
            for lead in ("Add a ", "Add an "):
                if title.startswith(lead):
                    title = "Add another " + title[len(lead):]
        asked.add(path)
        out.append(title)
    return out


def expected(name: str) -> Any:
    return validate_data(read_yaml(FIXTURES / f"{name}.yaml")).answers


# --------------------------------------------------------------------------- typing answers


def typed(q: Q.Question, value: Any, data: dict[str, Any], turn: int) -> list[str]:
    """What a person would type to give `value` (numbers and names, Enter for defaults)."""
    default = q.default_for(data)
    if value is Q.NO_DEFAULT or (
        default is not Q.NO_DEFAULT and value == default and turn % 3 == 0
    ):
        return [""]
    if value is None:
        return ["" if default is Q.NO_DEFAULT or default is None else "-"]
    if q.kind == "bool":
        return ["y" if value else "n"]
    if q.kind in ("choice", "multi"):
        values = [v for v, _ in q.choices_for(data)]
        items = value if q.kind == "multi" else [value]
        return [", ".join(str(values.index(v) + 1) if turn % 2 else v for v in items)]
    if q.kind == "list":
        return [*map(str, value), ""]
    return [str(value)]


def script(target: dict[str, Any], start: dict[str, Any] | None = None) -> list[list[str]]:
    """The session that types `target`'s answers, from `start` (a partly filled file)."""
    data = copy.deepcopy(start) if start is not None else {"schema_version": 1}
    closed: list[str] = []
    entries: list[list[str]] = []
    while todo := Q.pending(data, closed):
        q = todo[0]
        if q.kind == "group":
            if q.entries_needed(data):
                Q.add_entry(data, q.path)  # the questionnaire adds it without asking
            elif count(data, q.path) < count(target, q.path):
                entries.append([q.path, "y"])
                Q.add_entry(data, q.path)
            else:
                entries.append([q.path, "n"])
                closed.append(q.path)
            continue
        lines = typed(q, Q.get_answer(target, q.path, Q.NO_DEFAULT), data, len(entries))
        entries.append([q.path, *lines])
        Q.put_answer(data, q, q.parse("\n".join(lines), data))
        Q.prune(data)
    return entries


def count(data: dict[str, Any], path: str) -> int:
    """How many entries the list at `path` has (members, a partner's services)."""
    items = Q.get_answer(data, path)
    return len(items) if isinstance(items, list) else 0


def run(runner: CliRunner, args: list[str], stdin: str) -> Result:
    return runner.invoke(main, ["questionnaire", *args], input=stdin)


# --------------------------------------------------------------------------- whole sessions


@pytest.mark.parametrize("session", SESSIONS, ids=lambda p: p.name.split(".")[0])
def test_a_complete_session_writes_the_expected_answers(
    session: Path, runner: CliRunner, tmp_path: Path
):
    name = session.name.split(".")[0]
    entries = transcript(session)
    out = tmp_path / "answers.yaml"
    result = run(runner, ["-o", str(out)], stdin_of(entries))
    assert result.exit_code == 0, result.output
    shown = asked(result.output)
    want = titles([e[0] for e in entries], read_yaml(FIXTURES / f"{name}.yaml").data)
    assert shown == want, "the questions asked, in order, are the transcript's"
    assert "[collaborative.name]" not in result.output  # no answers-file keys on screen
    assert load_answers(out).answers == expected(name)
    text = out.read_text(encoding="utf-8")
    assert "# Which governance model does the collaborative use?" in text
    assert "All questions answered" in result.output


def test_progress_help_and_wrong_answers_are_shown(runner: CliRunner, tmp_path: Path):
    entries = transcript(FIXTURES / "lead-provider-with-independent.session.yaml")
    result = run(runner, ["-o", str(tmp_path / "a.yaml")], stdin_of(entries))
    out = result.output
    assert "Question 1 of 48 so far · Section A of J: The collaborative" in out
    assert re.search(r"Question \d+ of \d+ so far · Section C of J: Governance", out)
    assert "borrow on terms" in out  # `?` on covenants
    assert "! The member's short reference must use only lower-case letters" in out
    assert "! Another member already has the short reference ‘humber’" in out
    assert "! The head contract's end date must be a real date." in out
    assert "! The head contract's end date must be after its start date (1 October 2027)" in out
    assert ("“Direct award C: the existing provider is doing well and nothing changes "
            "considerably” is only possible when the change is not considerable") in out
    assert "! The weights add up to 110. They must add up to 100: this one can be at most 20" in out
    assert "Type back to change the weight before this one" in out
    assert "! Answer y (yes) or n (no)" in out
    # the MOU's own date comes before the agreement's, and is a real date
    assert ("! The memorandum must start before the collaboration agreement starts "
            "(1 October 2027)") in out
    assert "! The memorandum's start date must be a real date." in out
    assert "! The financial limit of a delegated decision must be a number." in out
    # no answers-file keys or codes where a person reads
    for internal in ("[governance.", "members[", "(lead_provider)", "None"):
        assert internal not in out, internal


def test_closed_choices_are_neither_listed_nor_accepted(runner: CliRunner, tmp_path: Path):
    entries = transcript(FIXTURES / "shared-leadership.session.yaml")
    result = run(runner, ["-o", str(tmp_path / "a.yaml")], stdin_of(entries))
    assert result.exit_code == 0, result.output
    deadlock = result.output.split("What happens when the board is deadlocked?")[1].split("\n>")[0]
    assert "The chair has a casting vote" in deadlock
    assert "The lead provider has a casting vote" not in deadlock
    assert "“The lead provider has a casting vote” is only possible with the lead-provider model" \
        in result.output
    assert "“nhs” could be any of: NHS trust; NHS foundation trust; NHS England" in result.output
    assert "! The special majority must be more than 50%" in result.output
    # with committees in common: how many directors sit on each member's committee
    assert ("! The number of directors each voting member appoints must be a whole number."
            in result.output)
    assert ("! The number of directors each voting member appoints must be between 1 and 6."
            in result.output)


# --------------------------------------------------------------------------- conditions


@pytest.fixture(scope="module")
def typed_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path]]:
    """Each scenario typed into the real command: its output and the file it wrote.

    The command shows exactly the questions of the typed script (by title, in order), so
    the script's paths are the questions the command asked.
    """
    runs = {}
    runner = CliRunner()
    for path in SCENARIO_FILES:
        target = read_yaml(path).data
        out = tmp_path_factory.mktemp(path.stem) / "answers.yaml"
        entries = script(target)
        result = run(runner, ["-o", str(out)], stdin_of(entries))
        assert result.exit_code == 0, (path.name, result.output[-2000:])
        assert asked(result.output) == titles([e[0] for e in entries], target), path.name
        SHOWN[path.stem] = [e[0] for e in entries]
        runs[path.stem] = (result.output, out)
    return runs


SHOWN: dict[str, list[str]] = {}


def own_condition(q: Q.Question) -> bool:
    """A condition beyond its list's: a question inside a list is walked only while its
    list has entries, and its list's condition is tested with the list's own question."""
    if "[]" not in q.key:
        return bool(q.when)
    group = next(g for g in Q.QUESTIONS if g.key == q.key.rsplit("[]", 1)[0])
    return q.when != group.when


@pytest.mark.parametrize(
    "template", [q for q in Q.QUESTIONS if own_condition(q)], ids=lambda q: q.key
)
def test_the_command_never_asks_a_question_whose_condition_is_false(
    template: Q.Question, typed_runs: dict[str, tuple[str, Path]]
):
    false_in = 0
    for path in SCENARIO_FILES:
        output, written = typed_runs[path.stem]
        data = read_yaml(written).data
        shown = asked(output)
        for q in Q._instances(data):
            if q.key == template.key and not q.applies(data):
                false_in += 1
                assert len(shown) == len(SHOWN[path.stem]), path.name
                assert q.path not in SHOWN[path.stem], (path.name, q.path)
                assert not Q.has_answer(data, q.path), (path.name, q.path)
    assert false_in, f"no scenario makes '{template.condition}' false for {template.key}"


def test_every_scenario_typed_in_equals_its_answers(typed_runs: dict[str, tuple[str, Path]]):
    for path in SCENARIO_FILES:
        mine = load_answers(typed_runs[path.stem][1]).answers.model_dump()
        theirs = load_answers(path).answers.model_dump()
        # banking covenants are asked only of independent providers (a VCSE's false is moot)
        for m, t in zip(mine["members"], theirs["members"], strict=True):
            if t["kind"] != "independent_sector":
                m["banking_covenants"] = t["banking_covenants"] = None
        assert mine == theirs, path.name


# --------------------------------------------------------------------------- stop and resume


@pytest.mark.parametrize(
    "stop_after",
    ["members[1].signatory.name", "members", "sub_contract_terms.tewv.services[1].activity",
     "sub_contract_terms.tewv.kpis", "governance.weights.tewv", "data.kinds"],
)
def test_an_interrupted_session_resumes_where_it_stopped(
    stop_after: str, runner: CliRunner, tmp_path: Path
):
    entries = transcript(FIXTURES / "lead-provider-with-independent.session.yaml")
    cut = max(i for i, e in enumerate(entries) if e[0] == stop_after) + 1
    out = tmp_path / "answers.yaml"
    target = read_yaml(FIXTURES / "lead-provider-with-independent.yaml").data
    first = run(runner, ["-o", str(out)], stdin_of(entries[:cut], finish=None))
    assert first.exit_code == 1
    assert f"continue with `drafting questionnaire --resume {out}`" in first.output
    saved = read_yaml(out).data
    for entry in entries[:cut]:
        if Q.question_of(entry[0]).kind != "group":
            assert Q.get_answer(saved, entry[0]) == Q.get_answer(target, entry[0]), entry[0]
    rest = script(target, start=saved)
    # nothing answered is asked again
    answered = {e[0] for e in entries[:cut] if Q.question_of(e[0]).kind != "group"}
    assert not {e[0] for e in rest} & answered
    second = run(runner, ["--resume", str(out)], stdin_of(rest))
    assert second.exit_code == 0, second.output
    assert asked(second.output) == titles([e[0] for e in rest], target, start=saved)
    assert load_answers(out).answers == expected("lead-provider-with-independent")


def test_resume_through_a_real_pipe(tmp_path: Path):
    """The same with a real process whose standard input simply ends."""
    entries = transcript(FIXTURES / "shared-leadership.session.yaml")
    out = tmp_path / "answers.yaml"
    cmd = [sys.executable, "-m", "drafting", "questionnaire"]
    first = subprocess.run(
        [*cmd, "-o", str(out)],
        input=stdin_of(entries[:30], finish=None),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert first.returncode == 1, first.stderr
    assert "Stopped." in first.stderr
    saved = read_yaml(out).data
    rest = script(read_yaml(FIXTURES / "shared-leadership.yaml").data, start=saved)
    second = subprocess.run(
        [*cmd, "--resume", str(out)],
        input=stdin_of(rest),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr
    assert load_answers(out).answers == expected("shared-leadership")


def complete_but_unapproved(runner: CliRunner, tmp_path: Path) -> tuple[Path, str]:
    """The shared-leadership session's file, then edited to break R10 (a special majority
    of no more than half)."""
    out = tmp_path / "answers.yaml"
    entries = transcript(FIXTURES / "shared-leadership.session.yaml")
    assert run(runner, ["-o", str(out)], stdin_of(entries)).exit_code == 0
    data = read_yaml(out).data
    data["governance"]["special_majority_percent"] = 50
    text = Q.to_yaml(data)
    out.write_text(text, encoding="utf-8")
    return out, text


def test_problems_at_the_end_lead_back_to_their_answers(runner: CliRunner, tmp_path: Path):
    """A complete file breaking a rule (R10) offers to revisit the answer behind it."""
    out, _ = complete_but_unapproved(runner, tmp_path)
    result = run(runner, ["--resume", str(out)], "y\n70\nn\n")
    assert result.exit_code == 0, result.output
    assert "The special majority must be more than 50%" in result.output
    assert "Go back to “What share of votes makes a special majority (%)?" in result.output
    assert load_answers(out).answers == expected("shared-leadership")


def test_an_answer_that_does_not_apply_is_offered_for_removal(runner: CliRunner, tmp_path: Path):
    """A hand-added lead provider in a shared-leadership file (R2): remove it, then valid."""
    out, _ = complete_but_unapproved(runner, tmp_path)
    data = read_yaml(out).data
    data["governance"]["special_majority_percent"] = 70
    data["lead_provider"] = "bridgewater"
    out.write_text(Q.to_yaml(data), encoding="utf-8")
    result = run(runner, ["--resume", str(out)], "y\nn\n")
    assert result.exit_code == 0, result.output
    assert "Remove the answer to “Which member is the lead provider?”?" in result.output
    assert load_answers(out).answers == expected("shared-leadership")


def test_declining_to_revisit_keeps_the_file_and_fails(runner: CliRunner, tmp_path: Path):
    out, before = complete_but_unapproved(runner, tmp_path)
    result = run(runner, ["--resume", str(out)], "n\n")
    assert result.exit_code == 1
    assert "with the problems above" in result.output
    assert out.read_text(encoding="utf-8") == before


# --------------------------------------------------------------------------- files


def test_an_existing_file_is_not_overwritten_without_force(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "answers.yaml"
    out.write_text("precious: true\n", encoding="utf-8")
    result = run(runner, ["-o", str(out)], "Name\n")
    assert result.exit_code == 1
    assert "--resume" in result.output and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "precious: true\n"
    forced = run(runner, ["-o", str(out), "--force"], "My collaborative\n")
    assert forced.exit_code == 1  # input ended after one answer
    assert read_yaml(out).data["collaborative"] == {"name": "My collaborative"}


def test_usage_errors(runner: CliRunner, tmp_path: Path):
    assert run(runner, [], "").exit_code == 2
    f = tmp_path / "a.yaml"
    f.write_text("schema_version: 1\n", encoding="utf-8")
    assert run(runner, ["--resume", str(f), "-o", str(tmp_path / "b.yaml")], "").exit_code == 2
    assert run(runner, ["--print", "--format", "docx"], "").exit_code == 2


def test_resume_of_a_broken_file_names_file_and_line(runner: CliRunner, tmp_path: Path):
    f = tmp_path / "a.yaml"
    f.write_text("collaborative:\n  name: [unclosed\n", encoding="utf-8")
    result = run(runner, ["--resume", str(f)], "")
    assert result.exit_code == 1
    assert f"{f}:" in result.output and "not valid YAML" in result.output


# --------------------------------------------------------------------------- paper form


def test_print_markdown_form(runner: CliRunner):
    result = runner.invoke(main, ["questionnaire", "--print"])
    assert result.exit_code == 0
    md = result.output
    for s in Q.SECTIONS:
        assert f"## Section {s.letter}: {s.name}" in md
    assert "- \u2610 Lead provider: one NHS trust holds the contract" in md
    assert "*Asked only for an independent-sector member.*" in md
    assert "`" not in md and "members[" not in md  # no answers-file keys or codes
    assert "only with the lead-provider model" in md  # a choice's own condition
    assert len(re.findall(r"^#{3,4} [A-J]\.\d+ ", md, re.MULTILINE)) == len(Q.QUESTIONS)


def test_the_paper_form_has_a_part_for_each_partner_s_sub_contract(runner: CliRunner):
    """Each partner's sub-contract is a part of its own: copied for every partner, with its
    lists of services and key performance indicators, in words for the partner."""
    md = runner.invoke(main, ["questionnaire", "--print"]).output
    part = md.split("### The sub-contract of each partner of the lead provider\n")[1]
    part = part.split("\n## ")[0]
    numbers = re.findall(r"^#### (B\.\d+) ", part, re.MULTILINE)
    assert f"Answer {numbers[0]} to {numbers[-1]} once for each partner of the lead provider: " \
        "every member other than the lead provider that provides services" in part
    assert f"Questions {numbers[0]} to {numbers[-1]} are answered once for each partner" in md
    assert "*Asked only with lead-provider sub-contracts.*" in part  # once, for the part
    assert part.count("Asked only with lead-provider sub-contracts") == 1
    services = re.search(r"^#### (B\.\d+) Services$", part, re.MULTILINE)
    kpis = re.search(r"^#### (B\.\d+) Key performance indicators$", part, re.MULTILINE)
    assert services and kpis
    assert re.search(r"Answer B\.\d+ to B\.\d+ once for each service \(at least one\)\.", part)
    assert re.search(r"Answer B\.\d+ to B\.\d+ once for each key performance indicator "
                     r"\(as many as needed, or none\)\.", part)
    for words in ("How is the partner paid?", "What is its annual price (£)?",
                  "- \u2610 Cost and volume: the annual price for the planned activity",
                  "*Asked only when the partner\u2019s contract manager is named.*"
                  .replace("\u2019", "'"), "What is the target?"):
        assert words in part, words
    assert "{member}" not in md and "sub\\_contract" not in md and "`" not in md


def test_a_partner_s_part_of_the_paper_form_is_typed_in_as_it_reads(
    runner: CliRunner, tmp_path: Path
):
    """The paper round trip for a partner's sub-contract: the Word form, opened and saved
    again by LibreOffice and read back, lists the questions of the partner's part that the
    terminal then asks for each partner, in the same order and the same words (the
    partner's name for "the partner"); those it leaves out are the ones the form marks
    "Asked only ..." (a contract manager's role when none is named) and those of a list the
    form says may have no entries (a partner without key performance indicators)."""
    from docx import Document

    from drafting.write.convert import convert, soffice_path

    form = tmp_path / "form.docx"
    made = runner.invoke(main, ["questionnaire", "--print", "--format", "docx", "-o", str(form)])
    assert made.exit_code == 0, made.output
    assert soffice_path(), "LibreOffice is needed to check the Word form"
    back = Document(str(convert(form, "docx", tmp_path / "saved-by-libreoffice")))
    paragraphs = [(p.style.name, p.text.strip()) for p in back.paragraphs if p.text.strip()]
    start = paragraphs.index(("Heading 2", "The sub-contract of each partner of the lead provider"))
    part: list[tuple[str, str]] = []  # (number, question) of the part, in the form's order
    only: dict[str, str] = {}  # question -> its "Asked only ..." line
    may_be_empty: list[range] = []  # the numbers of the questions of a list that may be empty
    for style, text in paragraphs[start + 1:]:
        if style.startswith("Heading") and style != "Heading 3":
            break
        if style == "Heading 3":
            number, _, title = text.partition(" ")
            part.append((number, title))
        elif text.startswith("Asked only") and part:
            only[part[-1][1]] = text
        elif found := re.match(r"Answer B\.(\d+) to B\.(\d+) once for each .*, or none\)",
                               text):
            may_be_empty.append(range(int(found[1]), int(found[2]) + 1))
    lists = {"Services", "Key performance indicators"}
    assert {t for _, t in part} >= lists
    numbers = [int(n.split(".")[1]) for n, _ in part]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    paper = [t for _, t in part if t not in lists]
    in_empty_list = {t for n, t in part if any(int(n.split(".")[1]) in r for r in may_be_empty)}
    assert "What is the target?" in in_empty_list and "How is it measured?" in in_empty_list

    session = FIXTURES / "lead-provider-with-independent.session.yaml"
    entries = transcript(session)
    out = tmp_path / "answers.yaml"
    result = run(runner, ["-o", str(out)], stdin_of(entries))
    assert result.exit_code == 0, result.output
    shown = asked(result.output)
    assert len(shown) == len(entries)
    target = read_yaml(FIXTURES / "lead-provider-with-independent.yaml").data
    partners = list(target["sub_contract_terms"])
    assert partners == ["tewv", "cygnet"]
    for mid in partners:
        name = next(m["name"] for m in target["members"] if m["id"] == mid)
        typed_in: list[str] = []
        for entry, title in zip(entries, shown, strict=True):
            if entry[0].startswith(f"sub_contract_terms.{mid}.") \
                    and Q.question_of(entry[0]).kind != "group":
                words = title.replace(name, "the partner")
                if words not in typed_in:
                    typed_in.append(words)
        # in the form's order, with the form's words
        assert len(typed_in) >= 9, (mid, typed_in)  # services, payment, start, managers
        assert typed_in == [t for t in paper if t in typed_in], mid
        # what was not asked is what the form says is asked only sometimes
        left = [t for t in paper if t not in typed_in]
        assert left and all(t in only for t in left if t not in in_empty_list), (mid, left)
        assert bool(set(left) & in_empty_list) == (not target["sub_contract_terms"][mid]
                                                    .get("kpis")), mid
    assert load_answers(out).answers == expected("lead-provider-with-independent")


def test_print_word_form_opens_in_word_and_libreoffice(runner: CliRunner, tmp_path: Path):
    from docx import Document

    from drafting.write.convert import convert, soffice_path

    out = tmp_path / "form.docx"
    result = runner.invoke(main, ["questionnaire", "--print", "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Section D: Finance, risk and gain share" in headings
    assert "The sub-contract of each partner of the lead provider" in headings
    inner = [p.style.name for p in doc.paragraphs if p.text.endswith(" How is the partner paid?")]
    assert inner == ["Heading 3"]  # a question of the partner's part, under its heading
    assert sum(1 for h in headings if re.match(r"[A-J]\.\d+ ", h)) == len(Q.QUESTIONS)
    assert any(p.text.startswith("\u2610  Independent-sector provider") for p in doc.paragraphs)
    again = tmp_path / "again.docx"
    runner.invoke(main, ["questionnaire", "--print", "--format", "docx", "-o", str(again)])
    assert again.read_bytes() == out.read_bytes()
    refused = runner.invoke(main, ["questionnaire", "--print", "--format", "docx", "-o", str(out)])
    assert refused.exit_code == 1
    assert soffice_path(), "LibreOffice is needed to check the Word form"
    pdf = convert(out, "pdf", tmp_path / "pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert (
        "Provider collaborative\nquestionnaire" in text
        or "Provider collaborative questionnaire" in text
    )
    assert "Section J: Clinical model" in text
