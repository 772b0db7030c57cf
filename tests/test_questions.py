"""The question definitions: read from the answers models, conditions mirror the rules.

Scenarios are complete answers files (the examples and the questionnaire fixtures); a
question's condition is checked against the answers as they stood when it was asked by
replaying each scenario through `pending`.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from drafting.errors import AnswersError
from drafting.questionnaire import questions as Q
from drafting.read.answers import STANDARD_DELEGATED_MATTERS, Answers
from drafting.read.load import parse_answers, validate_data
from drafting.read.yamlsource import read_yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "questionnaire"
SCENARIO_FILES = sorted((ROOT / "answers").glob("*.yaml")) + sorted(
    p for p in FIXTURES.glob("*.yaml") if not p.name.endswith(".session.yaml")
)
SCENARIOS = {p.stem: read_yaml(p).data for p in SCENARIO_FILES}

# Keys of the answers file that the questionnaire deliberately does not ask.
NOT_ASKED = {"schema_version", "clause_versions"}


def _count(data: dict[str, Any], path: str) -> int:
    items = Q.get_answer(data, path)
    return len(items) if isinstance(items, list) else 0


def replay(target: dict[str, Any]) -> tuple[list[Q.Question], dict[str, Any]]:
    """Answer `target`'s questions in asking order; the questions asked and the data built.

    Every list (members, each partner's services and key performance indicators) gets as
    many entries as `target` has, through its "Add another?" question.
    """
    data: dict[str, Any] = {"schema_version": 1}
    closed: list[str] = []
    asked: list[Q.Question] = []
    while todo := Q.pending(data, closed):
        q = todo[0]
        asked.append(q)
        if q.kind == "group":
            if _count(data, q.path) < _count(target, q.path):
                Q.add_entry(data, q.path)
            else:
                q.validate(False, data)
                closed.append(q.path)
            continue
        value = Q.get_answer(target, q.path, Q.NO_DEFAULT)
        if value is Q.NO_DEFAULT:
            default = q.default_for(data)
            value = None if default is Q.NO_DEFAULT else default
        Q.put_answer(data, q, q.validate(value, data))
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
        if getattr(base, "__origin__", None) is dict:
            value = _strip(base.__args__[1])
            if isinstance(value, type) and issubclass(value, BaseModel):  # a map by member id
                out += _leaf_keys(value, key + ".*.")
                continue
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


def test_questions_take_words_from_the_data_and_types_from_the_models():
    vehicle = next(q for q in Q.QUESTIONS if q.key == "governance.vehicle")
    assert vehicle.title == "How are decisions taken?"
    assert vehicle.message("missing") == "Select how decisions are taken"
    name = next(q for q in Q.QUESTIONS if q.key == "collaborative.name")
    assert name.message("missing") == "Enter the collaborative's full name"
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

CONDITIONAL = [q for q in Q.QUESTIONS if q.when]


def _without_sub_contracts() -> dict[str, Any]:
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    data["documents"].remove("sub_contracts")
    return data


# answers a later change left behind (the partners' services, once sub-contracts go)
STALE = [_without_sub_contracts()]


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
    for data in STALE:  # answers left from before a change: listed nowhere
        listed = {q.path for q in Q.questions_for(data)}
        for q in Q._instances(data):
            if q.key == template.key and not q.applies(data):
                false_in += 1
                assert q.path not in listed, q.path
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
                and not q.is_open(value, data)
            ):
                closed += 1
                assert value not in [v for v, _ in q.choices_for(data)]
                with pytest.raises(AnswersError, match="only possible"):
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
    with pytest.raises(AnswersError, match="already has the short reference"):
        _q("members[1].id", data).parse("tewv", data)
    with pytest.raises(AnswersError, match="lower-case"):
        _q("members[1].id", data).parse("CNTW", data)
    with pytest.raises(AnswersError, match="real date"):
        _q("head_contract.end", data).parse("2031-02-29", data)
    with pytest.raises(AnswersError, match="must be after"):
        _q("head_contract.end", data).parse("2027-03-01", data)
    lead = _q("lead_provider", data)
    assert [v for v, _ in lead.choices_for(data)] == ["tewv", "cntw"]  # NHS members only


def test_last_weight_must_bring_the_total_to_100():
    data = copy.deepcopy(SCENARIOS["lead-provider-with-independent"])
    del data["governance"]["weights"]["cygnet"]
    q = _q("governance.weights.cygnet", data)
    with pytest.raises(AnswersError, match="add up to 105. They must add up to 100"):
        q.parse("25", data)
    with pytest.raises(AnswersError, match="add up to 95. .* would need to be 20"):
        q.parse("15", data)
    assert q.parse("20", data) == 20


def test_each_weight_is_checked_against_the_running_total():
    """No dead end: a weight that leaves too little for the members after it is refused."""
    data = copy.deepcopy(SCENARIOS["lead-provider-with-independent"])
    del data["governance"]["weights"]
    voters = [m["id"] for m in data["members"] if m.get("class", "voting") == "voting"]
    first, second = (_q(f"governance.weights.{v}", data) for v in voters[:2])
    Q.set_answer(data, first.path, first.parse("60", data))
    with pytest.raises(AnswersError,
                       match="add up to 110. They must add up to 100: this one can be at most 40"):
        second.parse("50", data)


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
    # the partners' sub-contract terms went with the sub-contracts, each partner whole
    assert "sub_contract_terms" not in data
    assert {"sub_contract_terms.cntw", "sub_contract_terms.priory"} <= set(removed)
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


def _asked(data: dict[str, Any]) -> set[str]:
    return {q.path for q in Q.questions_for(data)}


def test_the_mou_date_is_asked_only_when_an_agreement_follows_the_mou():
    """An MOU alone starts on the commencement date (R24 refuses a second date for it)."""
    for documents, asked in ((["mou", "collaboration_agreement"], True),
                             (["mou"], False), (["collaboration_agreement"], False),
                             (["mou", "committee_terms"], False)):
        data = _variant("lead-provider-with-independent", documents=documents)
        assert ("mou_commencement_date" in _asked(data)) is asked, documents
    # taking the agreement out forgets the date, so the file stays valid
    data = _variant("lead-provider-with-independent",
                    documents=["mou", "data_sharing"], governance__model="shared_leadership")
    Q.prune(data)
    assert not Q.has_answer(data, "mou_commencement_date")


def test_the_mou_date_comes_before_the_agreement_s_and_may_wait():
    data = copy.deepcopy(SCENARIOS["lead-provider-with-independent"])  # starts 1 October 2027
    q = _q("mou_commencement_date", data)
    assert q.parse("4/1/2027", data) == "2027-01-04"
    for typed in ("1/10/2027", "2027-12-01"):
        with pytest.raises(AnswersError, match=r"The memorandum must start before the "
                           r"collaboration agreement starts \(1 October 2027\)"):
            q.parse(typed, data)
    with pytest.raises(AnswersError, match="The memorandum's start date must be a real date"):
        q.parse("31/2/2027", data)
    # not agreed yet: left blank, the file validates with a warning (R24) and the MOU shows
    # a blank to complete
    Q.put_answer(data, q, q.parse("", data))
    assert data["mou_commencement_date"] is None
    loaded = parse_answers(Q.to_yaml(data))
    # (this set's lead provider is also answered as a processor: R17 warns of that apart)
    assert [w.rule for w in loaded.warnings if w.rule != "R17"] == ["R24"]
    assert loaded.answers.mou_start is None


def test_delegated_matters_offer_the_usual_four_or_none_at_all():
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    q = _q("governance.delegated_matters", data)
    assert q.default_for(data) == list(STANDARD_DELEGATED_MATTERS)
    assert q.parse("", data) == list(STANDARD_DELEGATED_MATTERS)
    assert q.parse("1, business", data) == ["strategy_and_plans", "business_cases"]
    assert q.parse("None", data) == []  # nothing delegated: the board only recommends
    with pytest.raises(AnswersError, match="Enter a number from 1 to 7"):
        q.parse("8", data)
    Q.set_answer(data, "governance.delegation_limit", 500000)
    assert "governance.delegation_limit" in _asked(data)
    # nothing delegated: no limit is asked, and one given before is forgotten
    Q.put_answer(data, q, [])
    assert "governance.delegation_limit" not in _asked(data)
    assert "governance.delegation_limit" in Q.prune(data)
    loaded = parse_answers(Q.to_yaml(data))
    assert loaded.answers.delegated_matters == []


def test_the_financial_limit_is_money_and_may_wait():
    data = copy.deepcopy(SCENARIOS["lead-provider-with-independent"])
    q = _q("governance.delegation_limit", data)
    assert q.parse("£1,250,000", data) == 1250000
    assert q.parse("", data) is None  # a marked blank in the documents
    with pytest.raises(AnswersError, match="The financial limit of a delegated decision must "
                                           "be 0 or more"):
        q.parse("-5", data)
    with pytest.raises(AnswersError, match="must be a number"):
        q.parse("half a million", data)


def test_an_advisory_group_is_asked_nothing_about_delegation():
    """R8: nothing is delegated to an advisory group; answers from before go."""
    data = copy.deepcopy(SCENARIOS["lead-provider-with-independent"])
    Q.set_answer(data, "governance.vehicle", "advisory_group")
    assert not {"governance.delegated_matters", "governance.delegation_limit"} & _asked(data)
    removed = Q.prune(data)
    assert {"governance.delegated_matters", "governance.delegation_limit"} <= set(removed)


def test_committee_membership_is_asked_only_with_committees():
    """Committees in common and a joint committee: how many directors each voting member
    appoints (1 to 6) and whether one is a non-executive; another vehicle forgets both, so
    the rule that refuses them elsewhere has nothing to refuse."""
    data = copy.deepcopy(SCENARIOS["shared-leadership"])  # committees in common
    keys = {"governance.committee_members", "governance.non_executive_member"}
    assert keys <= _asked(data)
    q = _q("governance.committee_members", data)
    assert q.parse("", data) == 2
    for typed, message in (("0", "must be between 1 and 6"), ("7", "must be between 1 and 6"),
                           ("two", "must be a whole number")):
        with pytest.raises(AnswersError, match="The number of directors each voting member "
                                               f"appoints {message}"):
            q.parse(typed, data)
    Q.set_answer(data, "governance.vehicle", "joint_committee")
    assert keys <= _asked(data)
    Q.set_answer(data, "governance.vehicle", "partnership_board")
    assert not keys & _asked(data)
    assert keys <= set(Q.prune(data))
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


def test_position_counts_every_question_before_it():
    data = SCENARIOS["lead-provider-with-independent"]
    q = _q("governance.chair", data)
    section, sections, number, total = Q.position(q, data)
    assert (section, sections) == (3, 10)
    asked = [x.path for x in Q.questions_for(data) if x.kind != "group"]
    assert (number, total) == (asked.index("governance.chair") + 1, len(asked))
    # answering later questions never moves it
    later = copy.deepcopy(data)
    Q.set_answer(later, "clinical.incident_notification_days", 5)
    assert Q.position(q, later)[2] == number


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


# --------------------------------------------------------------------------- nested entries


def test_each_partner_is_asked_its_own_sub_contract_one_after_the_other():
    """Per partner of the lead provider: its services (a list), how and when it is paid,
    its key performance indicators (a list) and its contract managers; then the next
    partner. The lead provider and the observer are asked nothing."""
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    walked = [q for q in Q.questions_for(data) if q.path.startswith("sub_contract_terms")]
    paths = [q.path for q in walked]
    owners = [p.split(".")[1] for p in paths]
    assert owners == sorted(owners, key=["cntw", "priory"].index)  # one partner at a time
    cntw = [p.removeprefix("sub_contract_terms.cntw.") for p in paths if ".cntw." in p]
    assert cntw == [
        *(f"services[{i}].{k}" for i in (0, 1)
          for k in ("name", "activity", "annual_price", "location")),
        "services", "payment_basis", "payment_days", "service_commencement",
        *(f"kpis[{i}].{k}" for i in (0, 1, 2) for k in ("name", "target", "measure")),
        "kpis", "contract_manager.name", "contract_manager.role",
        "lead_contract_manager.name", "lead_contract_manager.role",
    ]
    cntw_name = "Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust"
    by_path = {q.path: q for q in walked}
    basis = by_path["sub_contract_terms.cntw.payment_basis"]
    assert basis.title == f"How is {cntw_name} paid?"
    assert basis.heading == f"The sub-contract of {cntw_name}"
    price = by_path["sub_contract_terms.cntw.services[1].annual_price"]
    assert price.entry == "sub_contract_terms.cntw.services[1]" and price.member_index == 1
    assert Q.entry_label(price, data) == f"{cntw_name}, service 2"
    assert Q.template_of(price.path) == ("sub_contract_terms.*.services[].annual_price", "cntw")
    # a partner without terms yet needs its first service, added where it belongs
    del data["sub_contract_terms"]["priory"]
    group = next(q for q in Q.questions_for(data)
                 if q.path == "sub_contract_terms.priory.services")
    assert group.entries_needed(data) == ("Add at least one service that Priory Healthcare "
                                          "Limited provides under its sub-contract")
    with pytest.raises(AnswersError, match="Add at least one service"):
        group.validate(False, data)
    assert Q.add_entry(data, group.path) == 0
    assert data["sub_contract_terms"]["priory"] == {"services": [{}]}
    assert not group.entries_needed(data)
    # key performance indicators are optional: none is needed
    kpis = next(q for q in Q.questions_for(data) if q.path == "sub_contract_terms.priory.kpis")
    assert kpis.validate(False, data) is False


def test_a_partner_s_lists_stay_open_until_its_own_later_answers():
    """A partner's block that appears after the rest was answered (sub-contracts chosen
    late, a new partner, a file without its terms) still asks "Add another service?" and
    its key performance indicators: only answers of its own block show it was finished."""
    from drafting.questionnaire.terminal import left_blank

    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    del data["sub_contract_terms"]["priory"]
    # a file without the partner's terms left nothing of it out
    assert not [p for p in left_blank(data) if ".priory." in p]
    Q.add_entry(data, "sub_contract_terms.priory.services")
    Q.set_answer(data, "sub_contract_terms.priory.services[0].name", "Beds")
    Q.set_answer(data, "sub_contract_terms.priory.services[0].activity", "15 beds")
    open_ = [q.path for q in Q.pending(data) if q.path.startswith("sub_contract_terms.priory")]
    assert open_[:3] == ["sub_contract_terms.priory.services[0].annual_price",
                         "sub_contract_terms.priory.services[0].location",
                         "sub_contract_terms.priory.services"]
    assert "sub_contract_terms.priory.kpis" in open_
    # a later answer of its own closes a list: "no contract manager" closes the KPIs
    name = _q("sub_contract_terms.priory.contract_manager.name", data)
    Q.put_answer(data, name, None)
    open_ = [q.path for q in Q.pending(data) if q.path.startswith("sub_contract_terms.priory")]
    assert "sub_contract_terms.priory.kpis" not in open_
    assert "sub_contract_terms.priory.services" not in open_
    # a file with the partner's terms but no key performance indicators finished that list
    full = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    del full["sub_contract_terms"]["priory"]["kpis"]
    assert "sub_contract_terms.priory.kpis" in left_blank(full)
    assert "sub_contract_terms.priory.services" in left_blank(full)


def test_lists_nest_inside_list_entries(monkeypatch: pytest.MonkeyPatch):
    """The walk takes a list inside each entry of a list (a check list inside each service):
    its entries are walked inside their service, with their own "Add another?"."""
    base = next(q for q in Q.QUESTIONS if q.key == "sub_contract_terms.*.services[].name")
    group = next(q for q in Q.QUESTIONS if q.key == "sub_contract_terms.*.kpis")
    extra = (
        dataclasses.replace(group, key="sub_contract_terms.*.services[].checks",
                            path="sub_contract_terms.*.services[].checks"),
        dataclasses.replace(base, key="sub_contract_terms.*.services[].checks[].name",
                            path="sub_contract_terms.*.services[].checks[].name"),
    )
    monkeypatch.setattr(Q, "QUESTIONS", (*Q.QUESTIONS, *extra))
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    data["sub_contract_terms"]["cntw"]["services"][0]["checks"] = [{"name": "x"}, {}]
    walked = [q.path.removeprefix("sub_contract_terms.cntw.") for q in Q._instances(data)
              if q.path.startswith("sub_contract_terms.cntw.services")]
    assert walked[:9] == [
        "services[0].name", "services[0].activity", "services[0].annual_price",
        "services[0].location", "services[0].checks[0].name", "services[0].checks[1].name",
        "services[0].checks", "services[1].name", "services[1].activity",
    ]
    inner = next(q for q in Q._instances(data)
                 if q.path == "sub_contract_terms.cntw.services[0].checks[1].name")
    assert inner.entry == "sub_contract_terms.cntw.services[0].checks[1]"
    assert inner.member_index == 1


def test_a_partner_s_terms_go_when_it_no_longer_has_a_sub_contract():
    """Removed, made the lead provider, an observer or no longer a provider: its terms go
    whole; the other partner's stay."""
    base = SCENARIOS["north-east-mental-health"]
    changes: list[tuple[str, Any]] = [
        ("members[2].class", "observer"),
        ("members[2].kind", "local_authority"),
    ]
    for path, value in changes:
        data = copy.deepcopy(base)
        Q.set_answer(data, path, value)
        removed = Q.prune(data)
        assert "sub_contract_terms.priory" in removed, path
        assert list(data["sub_contract_terms"]) == ["cntw"], path
    data = copy.deepcopy(base)
    del data["members"][2]
    Q.prune(data)
    assert list(data["sub_contract_terms"]) == ["cntw"]
    data = copy.deepcopy(base)
    Q.set_answer(data, "lead_provider", "cntw")
    Q.prune(data)
    assert list(data["sub_contract_terms"]) == ["priory"]


def test_a_changed_short_reference_keeps_the_partner_s_terms():
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    terms = copy.deepcopy(data["sub_contract_terms"]["priory"])
    Q.set_answer(data, "members[2].id", "priory-group")
    assert Q.prune(data) == []
    assert data["sub_contract_terms"]["priory-group"] == terms
    assert "priory" not in data["sub_contract_terms"]
    assert set(data["governance"].get("weights") or {}) <= {"tewv", "cntw", "priory-group"}
    Q.set_answer(data, "members[0].id", "tees")
    assert data["lead_provider"] == "tees"


def test_no_contract_manager_named_leaves_the_group_out():
    """A blank name: no contract manager (the representative manages); nothing asked of it."""
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    del data["sub_contract_terms"]["priory"]["contract_manager"]
    name = _q("sub_contract_terms.priory.contract_manager.name", data)
    Q.put_answer(data, name, name.parse("", data))
    assert data["sub_contract_terms"]["priory"]["contract_manager"] is None
    assert not [q for q in Q.pending(data) if ".contract_manager." in q.path]
    assert not _q("sub_contract_terms.priory.contract_manager.role", data).applies(data)
    parse_answers(Q.to_yaml(data))
    # a name brings up its role, which is then needed
    Q.put_answer(data, name, name.parse("Hannah Moss", data))
    role = _q("sub_contract_terms.priory.contract_manager.role", data)
    assert role.applies(data) and role.path in [q.path for q in Q.pending(data)]
    with pytest.raises(AnswersError, match="Enter the role of the contract manager of Priory"):
        role.parse("", data)


def test_partner_answers_are_checked_against_the_head_contract():
    data = copy.deepcopy(SCENARIOS["north-east-mental-health"])
    days = _q("sub_contract_terms.cntw.payment_days", data)
    assert days.maximum == 30
    with pytest.raises(AnswersError, match="must be between 1 and 30"):
        days.parse("45", data)
    assert days.parse("", data) is None  # the partners' days under commissioning
    start = _q("sub_contract_terms.cntw.service_commencement", data)
    with pytest.raises(AnswersError, match="must start within the head contract's term, "
                                           "from 1 April 2027 to 31 March 2032"):
        start.parse("1/4/2033", data)
    assert start.parse("1/10/2027", data) == "2027-10-01"
    price = _q("sub_contract_terms.cntw.services[0].annual_price", data)
    assert price.parse("£1,250,000", data) == 1250000
    assert price.parse("", data) is None  # a placeholder in the draft


# --------------------------------------------------------------------------- the question files


def _book_copy(tmp_path: Path, section: str, old: str, new: str) -> Path:
    import shutil

    from drafting.read.question_data import FOLDER

    folder = tmp_path / "questions"
    shutil.copytree(FOLDER, folder)
    path = folder / section
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_an_undefined_condition_is_named_with_its_file_and_line(tmp_path: Path):
    from drafting.errors import LibraryError
    from drafting.read.question_data import load_book

    folder = _book_copy(tmp_path, "c.yaml", "when: [special_majority]", "when: [special_majorty]")
    with pytest.raises(LibraryError) as info:
        load_book(folder)
    assert "no condition is called 'special_majorty'" in info.value.message
    assert info.value.file.endswith("c.yaml") and info.value.line


def test_a_condition_must_be_an_expression_not_code(tmp_path: Path):
    from drafting.errors import LibraryError
    from drafting.read.question_data import load_book

    folder = _book_copy(tmp_path, "conditions.yaml", "test: governance.model == 'lead_provider'",
                        "test: \"{% for x in y %}\"")
    with pytest.raises(LibraryError, match="not a valid test"):
        load_book(folder)


def test_a_key_or_choice_the_answers_file_does_not_have_is_refused(tmp_path: Path):
    from drafting.errors import LibraryError
    from drafting.read.question_data import load_book

    folder = _book_copy(tmp_path, "j.yaml", "key: clinical.accountability",
                        "key: clinical.acountability")
    spec = load_book(folder).sections[-1].questions[0]
    with pytest.raises(LibraryError, match="'clinical.acountability' is not a key"):
        Q._build(spec, "J")
    folder = _book_copy(tmp_path / "2", "j.yaml", "      each_provider: Each",
                        "      each_providr: Each")
    spec = load_book(folder).sections[-1].questions[0]
    with pytest.raises(LibraryError, match="unknown: each_providr"):
        Q._build(spec, "J")


def test_help_never_shows_an_answers_file_code():
    """Help and labels are for people: no snake_case values or dotted keys."""
    import re

    for q in Q.QUESTIONS:
        for text in (q.title, q.hint, q.details, *(label for _, label in q.choices)):
            assert not re.search(r"\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z_]+\b", text), (q.key, text)


def test_a_blank_answer_inside_a_started_group_keeps_the_group():
    """Enter on an optional question of a head contract already started keeps the head
    contract: the key takes its usual answer; a needed key is refused, never left out with
    the whole group. Enter on the first question of an optional group still leaves it out."""
    data = read_yaml(ROOT / "tests" / "answers" / "scenarios" / "lead-provider-dominant.yaml").data
    typed = copy.deepcopy(data["head_contract"])
    data["head_contract"] = {k: typed[k] for k in ("commissioner", "kind", "reference",
                                                   "start", "end")}
    change = _q("head_contract.considerable_change", data)
    assert change.default_for(data) is False
    Q.put_answer(data, change, change.parse("", data))
    assert data["head_contract"]["considerable_change"] is False
    assert data["head_contract"]["commissioner"] == "NHS England"
    # a nested block's blank goes to that key alone, whatever arrives first
    del data["head_contract"]["considerable_change"]
    Q.put_answer(data, change, None)
    assert data["head_contract"]["considerable_change"] is False
    assert {"commissioner", "start", "end"} <= set(data["head_contract"])
    reference = _q("head_contract.reference", data)
    Q.put_answer(data, reference, reference.parse("", data))
    assert data["head_contract"]["reference"] is None
    assert data["head_contract"]["commissioner"] == "NHS England"
    for needed in ("head_contract.end", "head_contract.commissioner"):
        with pytest.raises(AnswersError, match="head_contract"):
            _q(needed, data).parse("-", data)
    assert data["head_contract"]["end"] == typed["end"]
    data["head_contract"]["provider_selection_route"] = typed["provider_selection_route"]
    parse_answers(Q.to_yaml(data))  # R2: the lead-provider model has its head contract
    # the first answer of a group not yet started: Enter leaves the group out
    del data["sub_contract_terms"]["bdct"]["contract_manager"]
    name = _q("sub_contract_terms.bdct.contract_manager.name", data)
    Q.put_answer(data, name, name.parse("", data))
    assert data["sub_contract_terms"]["bdct"]["contract_manager"] is None
    assert data["sub_contract_terms"]["bdct"]["lead_contract_manager"]
