"""The question definitions: read from the answers models, conditions mirror the rules.

Scenarios are complete answers files (the examples and the questionnaire fixtures); a
question's condition is checked against the answers as they stood when it was asked by
replaying each scenario through `pending`.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from drafting.errors import AnswersError
from drafting.questionnaire import questions as Q
from drafting.read.answers import Answers
from drafting.read.load import parse_answers, validate_data
from drafting.read.yamlsource import read_yaml
from tests.conftest import NOT_YET_ASKED

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "questionnaire"
SCENARIO_FILES = sorted((ROOT / "answers").glob("*.yaml")) + sorted(
    p for p in FIXTURES.glob("*.yaml") if not p.name.endswith(".session.yaml")
)
SCENARIOS = {p.stem: read_yaml(p).data for p in SCENARIO_FILES}

# Keys of the answers file that the questionnaire deliberately does not ask (or not yet).
NOT_ASKED = {"schema_version", "clause_versions", *NOT_YET_ASKED}


def replay(target: dict[str, Any]) -> tuple[list[Q.Question], dict[str, Any]]:
    """Answer `target`'s questions in asking order; the questions asked and the data built."""
    data: dict[str, Any] = {"schema_version": 1}
    closed: list[str] = []
    asked: list[Q.Question] = []
    while todo := Q.pending(data, closed):
        q = todo[0]
        asked.append(q)
        if q.kind == "group":
            if len(data.get("members", [])) < len(target["members"]):
                Q.add_member(data)
            else:
                q.validate(False, data)
                closed.append(q.path)
            continue
        value = Q.get_answer(target, q.path, Q.NO_DEFAULT)
        if value is Q.NO_DEFAULT:
            default = q.default_for(data)
            value = None if default is Q.NO_DEFAULT else default
        Q.set_answer(data, q.path, q.validate(value, data))
    for key in NOT_YET_ASKED:  # not asked: carried over as written
        if key in target:
            data[key] = copy.deepcopy(target[key])
    return asked, data


REPLAYS = {name: replay(data) for name, data in SCENARIOS.items()}


# --------------------------------------------------------------------------- definitions


def _leaf_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    from drafting.questionnaire.questions import (  # the same walk as the module's
        _inner_model,
        _strip,
    )

    out = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        base = _strip(info.annotation)
        inner = base
        if getattr(base, "__origin__", None) is list:
            inner = _strip(base.__args__[0])
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            sep = "[]." if inner is not base else "."
            out += _leaf_keys(_inner_model(info.annotation), key + sep)
        else:
            out.append(key)
    return out


def test_every_answer_key_has_a_question():
    keys = {q.key for q in Q.QUESTIONS}
    missing = [
        k
        for k in _leaf_keys(Answers)
        if k not in NOT_ASKED and k not in keys and k + ".*" not in keys
    ]
    assert missing == []


def test_questions_take_titles_help_and_defaults_from_the_models():
    vehicle = next(q for q in Q.QUESTIONS if q.key == "governance.vehicle")
    info = Answers.model_fields["governance"].annotation.model_fields["vehicle"]
    assert vehicle.title == info.title and info.description in vehicle.help
    assert vehicle.default == "partnership_board" and vehicle.kind == "choice"
    years = next(q for q in Q.QUESTIONS if q.key == "collaborative.term.years")
    assert (years.kind, years.minimum, years.maximum) == ("int", 1, 25)
    klass = next(q for q in Q.QUESTIONS if q.key == "members[].class")
    assert [v for v, _ in klass.choices] == ["voting", "associate", "observer"]


@pytest.mark.parametrize(
    "q",
    [q for q in Q.QUESTIONS if q.kind in ("choice", "multi") and q.key != "lead_provider"],
    ids=lambda q: q.key,
)
def test_every_choice_has_a_plain_english_label(q: Q.Question):
    assert q.choices
    for value, label in q.choices:
        assert label and label != value and "_" not in label, (q.key, value)


def test_sections_in_order_and_every_question_in_one():
    letters = [s.letter for s in Q.SECTIONS]
    assert letters == list("ABCDEFGHIJ")
    order = [letters.index(q.section) for q in Q.QUESTIONS]
    assert order == sorted(order)
    assert {q.section for q in Q.QUESTIONS} == set(letters)


# --------------------------------------------------------------------------- conditions

CONDITIONAL = [q for q in Q.QUESTIONS if q.when is not None]


@pytest.mark.parametrize("template", CONDITIONAL, ids=lambda q: q.key)
def test_conditional_question_is_never_asked_when_its_condition_is_false(template: Q.Question):
    """For every conditional question: some scenario makes it false, and there it is not asked."""
    false_in = 0
    for name, data in SCENARIOS.items():
        concrete = [q for q in Q._instances(data) if q.key == template.key]
        asked = {q.path for q in REPLAYS[name][0]}
        listed = {q.path for q in Q.questions_for(data)}
        for q in concrete:
            if not q.applies(data):
                false_in += 1
                assert q.path not in listed, (name, q.path)
                assert q.path not in asked, (name, q.path)
    assert false_in, f"no scenario makes '{template.condition}' false for {template.key}"


@pytest.mark.parametrize("name", SCENARIOS)
def test_conditions_depend_only_on_earlier_answers(name: str):
    """What was asked while answering equals what applies to the finished answers."""
    asked, data = REPLAYS[name]
    final = [q.path for q in Q.questions_for(data) if q.kind != "group"]
    assert [q.path for q in asked if q.kind != "group"] == final


@pytest.mark.parametrize("name", SCENARIOS)
def test_replayed_answers_validate(name: str):
    _, data = REPLAYS[name]
    loaded = parse_answers(Q.to_yaml(data))
    assert not [w for w in loaded.warnings if w.severity == "error"]


OPEN_CASES = [(q, v) for q in Q.QUESTIONS for v in q.open]


def _variant(base: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SCENARIOS[base])
    for path, value in changes.items():
        Q.set_answer(data, path.replace("__", "."), value)
    return data


# answers that close a choice which no complete scenario closes
EXTRA = [
    _variant("north-east-mental-health", **{"members[0]__annual_contract_value": None}),
    _variant("shared-leadership", governance__vehicle="advisory_group"),
]


@pytest.mark.parametrize("case", OPEN_CASES, ids=lambda c: f"{c[0].key}={c[1]}")
def test_a_closed_choice_is_not_offered(case: tuple[Q.Question, str]):
    template, value = case
    closed = 0
    for data in [*SCENARIOS.values(), *EXTRA]:
        for q in Q._instances(data):
            if (
                q.key == template.key
                and q.applies(data)
                and not q.open[value](data, q.member(data))
            ):
                closed += 1
                assert value not in [v for v, _ in q.choices_for(data)]
                with pytest.raises(AnswersError, match="not"):
                    q.validate([value] if q.kind == "multi" else value, data)
    assert closed, f"no scenario closes {value} of {template.key}"


def test_closed_choices_mirror_the_rules():
    """Each choice a condition closes would be refused by the validator in that scenario."""
    base = SCENARIOS["shared-leadership"]
    refused = {
        "governance.deadlock": "lead_provider_casting_vote",
        "governance.quorum": "majority_including_lead",
        "finance.model": "shared_control_total",
        "finance.open_book": None,
        "ip.foreground": "lead_owns",
        "clinical.accountability": "lead_framework",
    }
    for path, value in refused.items():
        if value is None:
            continue
        data = copy.deepcopy(base)
        Q.set_answer(data, path, value)
        with pytest.raises(AnswersError):
            parse_answers(Q.to_yaml(data))


# --------------------------------------------------------------------------- answers


def _q(path: str, data: dict[str, Any]) -> Q.Question:
    return next(q for q in Q._instances(data) if q.path == path)


def test_parse_choices_by_number_name_or_prefix():
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    q = _q("governance.voting", data)
    assert q.parse("2", data) == "simple_majority"
    assert q.parse("weighted", data) == "weighted"
    assert q.parse("Special Majority", data) == "special_majority"
    assert q.parse("", data) == "consensus"
    with pytest.raises(AnswersError, match="1 to 5"):
        q.parse("9", data)
    kind = _q("members[0].kind", data)
    with pytest.raises(AnswersError, match="could be any of"):
        kind.parse("nhs", data)


def test_member_answers_are_checked_against_the_others():
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    with pytest.raises(AnswersError, match="already the id"):
        _q("members[1].id", data).parse("tewv", data)
    with pytest.raises(AnswersError, match="lower-case"):
        _q("members[1].id", data).parse("CNTW", data)
    with pytest.raises(AnswersError, match="real date"):
        _q("head_contract.end", data).parse("2031-02-29", data)
    with pytest.raises(AnswersError, match="must end after"):
        _q("head_contract.end", data).parse("2027-03-01", data)
    lead = _q("lead_provider", data)
    assert [v for v, _ in lead.choices_for(data)] == ["tewv", "cntw"]  # NHS members only


def test_last_weight_must_bring_the_total_to_100():
    data = copy.deepcopy(SCENARIOS["lead-provider-with-independent"])
    del data["governance"]["weights"]["cygnet"]
    q = _q("governance.weights.cygnet", data)
    with pytest.raises(AnswersError, match="would need to be 20"):
        q.parse("25", data)
    assert q.parse("20", data) == 20


def test_more_members_are_required_until_two_nhs_trusts():
    data: dict[str, Any] = {
        "members": [{"id": "a", "kind": "nhs_trust"}, {"id": "b", "kind": "icb"}]
    }
    group = next(q for q in Q.questions_for(data) if q.kind == "group")
    with pytest.raises(AnswersError, match="at least two NHS"):
        group.parse("n", data)
    data["members"].append({"id": "c", "kind": "nhs_foundation_trust"})
    assert group.parse("n", data) is False


def test_prune_forgets_answers_that_no_longer_apply():
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    Q.set_answer(data, "governance.model", "shared_leadership")
    removed = Q.prune(data)
    for path in (
        "lead_provider",
        "head_contract.commissioner",
        "commissioning.lead_commissions",
        "governance.lead_provider_veto",
        "governance.deadlock",
        "governance.quorum",
        "governance.managing_director",
    ):
        assert path in removed and not Q.has_answer(data, path)
    assert "sub_contracts" not in (data.get("documents") or [])
    for key in NOT_YET_ASKED:  # no question of its own to prune yet
        data.pop(key, None)
    # what is asked again, answered, gives a valid file
    for q in Q.pending(data, ["members"]):
        default = q.default_for(data)
        if q.path == "documents":
            value = ["collaboration_agreement"]
        elif q.path == "collaborative.term.kind":
            value = "rolling"
        else:
            value = None if default is Q.NO_DEFAULT else default
        Q.set_answer(data, q.path, q.validate(value, data))
    parse_answers(Q.to_yaml(data))


def test_questions_at_finds_the_answer_behind_a_problem():
    data = copy.deepcopy(SCENARIOS["lead-provider-with-independent"])
    assert [q.path for q in Q.questions_at(data, "governance.weights")] == [
        "governance.weights.humber",
        "governance.weights.tewv",
        "governance.weights.cygnet",
    ]
    assert [q.path for q in Q.questions_at(data, "members[2].banking_covenants")] == [
        "members[2].banking_covenants"
    ]
    assert [q.kind for q in Q.questions_at(data, "members")] == ["group"]
    assert [q.path for q in Q.questions_at(data, "collaborative.term")] == [
        "collaborative.term.kind"
    ]


def test_position_counts_questions_in_their_section():
    data = SCENARIOS["lead-provider-with-independent"]
    q = _q("governance.chair", data)
    section, sections, number, total = Q.position(q, data)
    assert (section, sections) == (3, 10)
    in_c = [x.path for x in Q.questions_for(data) if x.section == "C"]
    assert (number, total) == (in_c.index("governance.chair") + 1, len(in_c))


# --------------------------------------------------------------------------- YAML


@pytest.mark.parametrize("name", SCENARIOS)
def test_to_yaml_round_trips_and_carries_the_questions(name: str):
    _, data = REPLAYS[name]
    text = Q.to_yaml(data)
    assert text == Q.to_yaml(copy.deepcopy(data))
    assert "# Which governance model does the collaborative use?" in text
    assert "# ---- Section C: Governance, voting and reporting ----" in text
    assert read_yaml_text(text) == data
    assert (
        parse_answers(Q.to_yaml(data, with_comments=False)).answers == parse_answers(text).answers
    )


def read_yaml_text(text: str) -> Any:
    from drafting.read.yamlsource import parse_yaml

    return parse_yaml(text).data


@pytest.mark.parametrize(
    "text",
    [
        "{{ answers.secret }} & <w:t> # not a comment",
        "key: value, - [list] ' \" \\ ",
        "line one\nline two\n",
        "Dŵr Cymru, Łódź, 😀, naïve",
        "0123",
        "yes",
        "2027-04-01",
        "null",
    ],
)
def test_free_text_stays_text_in_the_file(text: str):
    data = copy.deepcopy(SCENARIOS["shared-leadership"])
    Q.set_answer(data, "collaborative.purpose", text)
    Q.set_answer(data, "members[2].company_number", text)
    loaded = parse_answers(Q.to_yaml(data)).answers
    assert loaded.collaborative.purpose == text
    assert loaded.members[2].company_number == text


def test_partly_answered_data_is_written_and_read_back():
    data: dict[str, Any] = {"schema_version": 1}
    Q.set_answer(data, "collaborative.name", "X")
    Q.add_member(data)
    Q.set_answer(data, "members[0].id", "a")
    Q.add_member(data)
    assert read_yaml_text(Q.to_yaml(data)) == {
        "schema_version": 1,
        "collaborative": {"name": "X"},
        "members": [{"id": "a"}, {}],
    }


def test_set_get_delete_answers():
    data: dict[str, Any] = {}
    Q.set_answer(data, "members[1].representative.name", "Ann")
    assert data == {"members": [{}, {"representative": {"name": "Ann"}}]}
    assert Q.get_answer(data, "members[1].representative.name") == "Ann"
    assert Q.get_answer(data, "members[5].id", "none") == "none"
    Q.delete_answer(data, "members[1].representative.name")
    assert data == {"members": [{}, {}]}
    Q.set_answer(data, "head_contract.start", dt.date(2027, 4, 1).isoformat())
    Q.delete_answer(data, "head_contract.start")
    assert "head_contract" not in data


def test_loaded_examples_equal_their_replay():
    """The questionnaire can express every example file (apart from a meaningless key)."""
    for name, (_, data) in REPLAYS.items():
        mine = parse_answers(Q.to_yaml(data)).answers.model_dump()
        theirs = validate_data(read_yaml(next(p for p in SCENARIO_FILES if p.stem == name)))
        expected = theirs.answers.model_dump()
        # banking_covenants is only asked of independent providers; a VCSE's false is moot
        for m, e in zip(mine["members"], expected["members"]):
            if e["kind"] != "independent_sector":
                m["banking_covenants"] = e["banking_covenants"] = None
        assert mine == expected, name


def test_questions_at_a_path_that_does_not_apply_is_empty():
    """A hand-added top-level answer that does not apply has no question to go back to."""
    assert Q.questions_at(SCENARIOS["shared-leadership"], "lead_provider") == []
