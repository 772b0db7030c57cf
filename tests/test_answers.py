"""The answers file: the examples validate, every rule refuses what it should, text survives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from drafting.cli import main
from drafting.errors import AnswersError
from drafting.read.answers import Answers
from drafting.read.load import load_answers, parse_answers
from tests.conftest import EXAMPLES

HERE = Path(__file__).parent / "answers"
INVALID = sorted((HERE / "invalid").glob("*.yaml"))
BASES = sorted(HERE.glob("base-*.yaml"))


def expectations(path: Path) -> dict[str, str]:
    """The `# expect-KEY: value` header of an invalid example."""
    found = dict(re.findall(r"^# expect-([a-z]+): (.*)$", path.read_text(), re.M))
    found["line"] = str(
        next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "# breaks" in line)
    )
    return found


class TestExamples:
    def test_bundled_examples_validate(self, runner):
        result = runner.invoke(main, ["validate", *map(str, EXAMPLES)])
        assert result.exit_code == 0, result.output
        lines = [line for line in result.stdout.splitlines() if line]
        assert len(lines) == len(EXAMPLES)
        assert all(": ok: " in line for line in lines)

    def test_examples_cover_every_model_and_document(self):
        loaded = [load_answers(p).answers for p in EXAMPLES]
        assert {a.governance.model for a in loaded} == {
            "lead_provider", "provider_leadership_board", "shared_leadership"}
        assert {d for a in loaded for d in a.documents} == {
            "mou", "collaboration_agreement", "sub_contracts", "committee_terms", "data_sharing",
            "accession_deed"}
        assert {a.mou_binding for a in loaded if "mou" in a.documents} == {True, False}

    @pytest.mark.parametrize("path", BASES, ids=lambda p: p.stem)
    def test_bases_break_nothing(self, path):
        loaded = load_answers(path)
        assert loaded.warnings == []


class TestRules:
    @pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
    def test_invalid_example_gives_its_message(self, runner, path):
        want = expectations(path)
        result = runner.invoke(main, ["validate", str(path)])
        assert result.exit_code == int(want["exit"]), result.output
        shown = result.stderr
        severity = "error" if want["exit"] == "1" else "warning"
        expected_where = f"{path}:{want['line']}: {severity} [{want['rule']}]"
        matching = [line for line in shown.splitlines() if expected_where in line]
        assert matching, f"expected {expected_where!r} in:\n{shown}"
        assert any(want["path"] in line and want["message"] in line for line in matching), shown

    @pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
    def test_breaks_only_its_rule(self, path):
        want = expectations(path)
        try:
            loaded = load_answers(path)
        except AnswersError as exc:
            problems = exc.problems
        else:
            problems = loaded.warnings
        assert {p.rule for p in problems} == {want["rule"]}

    def test_every_rule_of_the_spec_has_an_invalid_example(self):
        rules = {expectations(p)["rule"] for p in INVALID}
        spec_rules = {f"R{n}" for n in range(1, 25) if n not in (18, 19)}
        assert spec_rules <= rules

    def test_all_problems_reported_at_once(self, runner, tmp_path):
        text = (HERE / "base-lead.yaml").read_text()
        text = text.replace("information_barrier: clean_team", "information_barrier: none")
        text = text.replace("separation: [commissioning_hub]", "separation: []")
        text = text.replace("gamma: 20}", "gamma: 10}")
        bad = tmp_path / "three.yaml"
        bad.write_text(text)
        result = runner.invoke(main, ["validate", str(bad)])
        assert result.exit_code == 1
        assert "3 problems" in result.stderr
        for rule in ("[R5]", "[R15]", "[R16]"):
            assert rule in result.stderr

    def test_one_bad_file_among_good_ones(self, runner):
        bad = HERE / "invalid" / "R5-weights-sum.yaml"
        result = runner.invoke(main, ["validate", str(EXAMPLES[0]), str(bad)])
        assert result.exit_code == 1
        assert ": ok: " in result.stdout
        assert "[R5]" in result.stderr

    def test_missing_file_is_an_error_not_a_crash(self, runner, tmp_path):
        result = runner.invoke(main, ["validate", str(tmp_path / "nope.yaml")])
        assert result.exit_code == 1
        assert "cannot read the file" in result.stderr

    def test_usage_error_exits_2(self, runner):
        assert runner.invoke(main, ["validate"]).exit_code == 2

    def test_duplicate_key_is_refused_with_both_lines(self):
        text = (HERE / "base-board.yaml").read_text() + "finance:\n  model: no_pooling\n"
        with pytest.raises(AnswersError) as info:
            parse_answers(text, "dup.yaml")
        message = info.value.format_message()
        assert "'finance' is given twice" in message
        assert "dup.yaml:" in message

    def test_empty_file(self):
        with pytest.raises(AnswersError, match="empty"):
            parse_answers("", "empty.yaml")


HOSTILE = [
    "Smith & Jones <Healthcare> \"Ltd\"",
    "{{ 7*7 }} {% if true %}x{% endif %} {ref:voting} [[Member]] *bold*",
    "Ysbyty Gwynedd: ŵ ŷ â ê î ô û; Łódź, żółć, Gdańsk",
    "Ambulance 🚑 and heart ❤️ and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "tab\there, newline\nthere, carriage return\r\nok",
    "x" * 5000,
]


class TestHostileText:
    @pytest.mark.parametrize("text", HOSTILE, ids=["xml", "template", "welsh-polish", "emoji",
                                                   "whitespace", "5000-chars"])
    def test_text_comes_back_unchanged(self, text):
        source = (HERE / "base-lead.yaml").read_text()
        quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
        source = source.replace(
            "purpose: To run specialised mental health services for Test Valley.",
            f"purpose: {quoted}",
        ).replace("name: Gamma Healthcare Limited", f"name: {quoted}")
        loaded = parse_answers(source, "hostile.yaml")
        assert loaded.answers.collaborative.purpose == text
        assert loaded.answers.members[2].name == text
        assert loaded.answers.context()["members"][2]["name"] == text

    @pytest.mark.parametrize("char", ["\x0b", "\x00", "\x1f", "\ufffe"])
    def test_characters_xml_cannot_hold_are_refused(self, char):
        source = (HERE / "base-lead.yaml").read_text().replace(
            "name: Beta NHS Trust", f"name: {json.dumps('Beta' + char + 'Trust')}")
        with pytest.raises(AnswersError) as info:
            parse_answers(source, "control.yaml")
        (problem,) = info.value.problems
        assert problem.path == "members[1].name"
        assert f"U+{ord(char):04X}" in problem.message
        assert problem.line is not None


class TestModel:
    def test_schema_command_prints_json_schema(self, runner):
        result = runner.invoke(main, ["schema"])
        assert result.exit_code == 0
        schema = json.loads(result.stdout)
        assert schema["additionalProperties"] is False
        assert "governance" in schema["required"]
        member = schema["$defs"]["Member"]["properties"]
        assert "class" in member and "member_class" not in member

    def test_schema_holds_each_partners_sub_contract_terms(self, runner):
        schema = json.loads(runner.invoke(main, ["schema"]).stdout)
        terms = schema["properties"]["sub_contract_terms"]
        assert terms["title"] == "What each partner's sub-contract covers"
        (ref,) = [v["$ref"] for v in terms["patternProperties"].values()]  # keyed by member id
        entry = schema["$defs"][ref.split("/")[-1]]
        assert entry["additionalProperties"] is False
        assert set(entry["required"]) == {"services", "payment_basis"}
        assert entry["properties"]["payment_basis"]["enum"] == ["block", "activity",
                                                                "cost_and_volume"]
        service = schema["$defs"]["SubContractService"]
        assert set(service["required"]) == {"name", "activity"}
        assert {"annual_price", "location"} <= set(service["properties"])
        kpi = schema["$defs"]["KeyPerformanceIndicator"]
        assert set(kpi["required"]) == {"name", "target", "measure"}
        assert all(p.get("title") for p in (*entry["properties"].values(),
                                            *service["properties"].values()))

    def test_a_partners_service_commencement_defaults_to_the_later_start(self):
        answers = load_answers(HERE / "base-lead.yaml").answers
        assert answers.terms_for("beta").payment_days == 30
        assert answers.partner_commencement("beta").isoformat() == "2027-04-01"
        later = (HERE / "base-lead.yaml").read_text().replace(
            "commencement_date: 2027-04-01", "commencement_date: 2027-05-01")
        assert parse_answers(later).answers.context()["derived"]["service_commencements"] == {
            "beta": "2027-05-01", "gamma": "2027-05-01"}
        given = (HERE / "base-lead.yaml").read_text().replace(
            "    payment_basis: cost_and_volume\n",
            "    payment_basis: cost_and_volume\n    service_commencement: 2027-07-01\n")
        assert parse_answers(given).answers.partner_commencement("gamma").isoformat() == \
            "2027-07-01"
        assert answers.terms_for("alpha") is None

    def test_defaults_are_filled(self):
        answers = load_answers(HERE / "base-board.yaml").answers
        assert answers.membership.withdrawal_notice_months == 12
        assert answers.reserved_matters[0] == "admit_member"
        assert answers.context()["governance"]["reserved_matters"] == answers.reserved_matters

    def test_advisory_group_has_no_reserved_matters_by_default(self):
        answers = load_answers(EXAMPLES[0]).answers  # mersey: advisory group
        assert answers.governance.vehicle == "advisory_group"
        assert answers.reserved_matters == []

    def test_partners_exclude_lead_observers_and_non_providers(self):
        answers = load_answers(HERE.parent.parent / "answers" / "north-east-mental-health.yaml").answers
        assert [m.id for m in answers.partners] == ["cntw", "priory"]

    def test_covenant_member_takes_no_loss_and_others_renormalise(self):
        answers = load_answers(HERE.parent.parent / "answers" / "north-east-mental-health.yaml").answers
        shares = answers.loss_shares()
        assert shares["priory"] == 0
        assert shares["tewv"] == pytest.approx(100 * 42 / 80, abs=0.01)
        assert sum(shares.values()) == pytest.approx(100, abs=0.05)

    def test_contract_value_weights(self):
        answers = load_answers(HERE.parent.parent / "answers" / "north-east-mental-health.yaml").answers
        weights = answers.effective_weights()
        assert set(weights) == {"tewv", "cntw", "priory"}
        assert sum(weights.values()) == pytest.approx(100, abs=0.05)

    def test_sub_contract_never_outlives_head_contract(self):
        source = (HERE / "base-lead.yaml").read_text().replace("years: 3", "years: 10")
        answers = parse_answers(source).answers
        assert answers.term_end.isoformat() == "2037-03-31"
        assert answers.sub_contract_end == answers.head_contract.end

    def test_models_are_frozen(self):
        answers = load_answers(HERE / "base-board.yaml").answers
        with pytest.raises(Exception):
            answers.governance.voting = "unanimity"  # type: ignore[misc]
        assert isinstance(answers, Answers)


class TestHostileFiles:
    def test_alias_bomb_is_refused_quickly(self):
        lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
        for i in range(1, 9):
            prev = chr(ord("a") + i - 1)
            cur = chr(ord("a") + i)
            lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
        with pytest.raises(AnswersError, match="expands to more than"):
            parse_answers("\n".join(lines), "bomb.yaml")

    def test_not_utf8_names_the_line(self, tmp_path):
        bad = tmp_path / "latin1.yaml"
        bad.write_bytes("collaborative:\n  name: Caf\xe9\n".encode("latin-1"))
        with pytest.raises(AnswersError) as info:
            load_answers(bad)
        (problem,) = info.value.problems
        assert problem.line == 2
        assert "UTF-8" in problem.message


DEEP = {
    "flow brackets, far past the parser's own limit": "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "flow brackets, within the parser's limit": "a: " + "[" * 900 + "]" * 900 + "\n",
    "block mappings": "".join(" " * i + f"k{i}:\n" for i in range(400)),
    "sequences on one line": "a:\n" + "- " * 500 + "x\n",
}


class TestDeepAndLargeFiles:
    """A deeply nested or oversized file is refused with a message, never a traceback."""

    @pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
    def test_deep_nesting_is_refused_by_validate_and_assemble(self, runner, tmp_path, text):
        path = tmp_path / "deep.yaml"
        path.write_text(text, encoding="utf-8")
        for args in (["validate", str(path)], ["assemble", str(path), "-o", str(tmp_path / "o")]):
            result = runner.invoke(main, args)
            assert result.exit_code == 1, result.output
            assert "nested more than 20 levels deep" in result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)
        assert not (tmp_path / "o").exists()

    def test_a_huge_file_is_refused_by_size(self, runner, tmp_path):
        path = tmp_path / "huge.yaml"
        path.write_text("a: '" + "x" * 2_000_000 + "'\n", encoding="utf-8")
        result = runner.invoke(main, ["validate", str(path)])
        assert result.exit_code == 1
        assert "an answers file is far smaller" in result.output

    def test_the_real_command_shows_no_traceback(self, tmp_path):
        import subprocess
        import sys

        path = tmp_path / "deep.yaml"
        path.write_text(DEEP["flow brackets, far past the parser's own limit"], encoding="utf-8")
        for args in (["validate", str(path)], ["questionnaire", "--resume", str(path)]):
            done = subprocess.run([sys.executable, "-m", "drafting", *args], capture_output=True,
                                  text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
            assert done.returncode == 1, done.stderr
            assert "Traceback" not in done.stderr + done.stdout
            assert "nested more than 20 levels deep" in done.stderr + done.stdout

    def test_an_answers_file_nests_far_less_than_the_limit(self):
        from drafting.read.yamlsource import MAX_DEPTH

        for path in EXAMPLES:
            assert load_answers(path)  # every example reads, well within MAX_DEPTH
        assert MAX_DEPTH >= 10
