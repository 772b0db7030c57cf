"""A healthcare partner's round-14 reading of the MOUs (mou-only, Mersey, mou-then-agreement), as
rules over many answer sets: the examples, the scenario sets, MOU variations and generated
collaboratives. Each test reads the paragraphs and table rows a lawyer reads.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from drafting.model import Document, Table
from drafting.read.load import LoadedAnswers
from drafting.model import plain
from tests.review_sets import MOU_THEN
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import MERSEY
from tests.test_review_round11c_mou import all_sets, hub, mou

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def sets() -> list[tuple[str, LoadedAnswers]]:
    return [
        *all_sets(),
        ("mersey-clean-team", changed(MERSEY, competition={"information_barrier": "clean_team"})),
        ("mou-then-committees", changed(MOU_THEN, governance={"vehicle": "committees_in_common"})),
        ("mou-then-rotating", changed(MOU_THEN, mou_commencement_date="2025-04-01",
                                      governance={"chair": "rotating", "chair_rotation_months": 4})),
        ("mou-then-no-pooling", changed(MOU_THEN, finance={"model": "no_pooling",
                                                           "running_cost_split": None,
                                                           "open_book": "none"})),
    ]


def number(doc: Document, target: str) -> str:
    return doc.targets[target].number


def rows(doc: Document) -> list[tuple[str, str, dt.date]]:
    """(step, owner, target date) of each row of the workplan, in the order printed."""
    schedules = {k[6:]: v.number for k, v in doc.targets.items() if k.startswith("sched:")}
    sched = next(s for s in doc.schedules if s.id == "mou-workplan")
    found = []
    for block in sched.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                step, owner, when = (" ".join(plain(c, doc.targets, schedules).split()) for c in row)
                found.append((step, owner, dt.datetime.strptime(when, "%d %B %Y").date()))
    return found


def lead_in(doc: Document) -> str:
    schedules = {k[6:]: v.number for k, v in doc.targets.items() if k.startswith("sched:")}
    sched = next(s for s in doc.schedules if s.id == "mou-workplan")
    return " ".join(" ".join(plain(b.inlines, doc.targets, schedules).split())
                    for b in sched.blocks if hasattr(b, "inlines"))


# ------------------------------- 2. a hub the memorandum sets up: appointment, cost and exit


@pytest.mark.parametrize("name,loaded", [s for s in sets() if hub(s[1])], **IDS)
def test_the_hub_the_memorandum_sets_up_is_appointed_paid_for_and_ended(
        name: str, loaded: LoadedAnswers) -> None:
    doc = mou(loaded)
    costs = " ".join(clause_text(doc, "mou-costs").split())
    barrier = loaded.answers.competition.information_barrier
    who = "the Information Hub" if barrier == "hub" else "the Clean Team"
    # appointment and cost
    assert re.search(r"enters into the contracts? (for them |for the work )", costs), name
    assert "at cost" in costs, name
    # exit: the contract is short and ends with the memorandum; the information comes back
    assert "for no longer than the Term, with a right to end it on no more than three months' " \
        "notice" in costs, name
    assert "ends when this memorandum ends" in costs, name
    assert f"When its work ends, {who} returns to each Member, or destroys as that Member " \
        "directs, the Competitively Sensitive Information of that Member" in costs, name
    if loaded.answers.mou_replaced:
        assert "continues for the Collaborative under the Collaboration Agreement" in costs, name
    if loaded.answers.finance.model == "no_pooling":
        # a leaver's share falls on no other Member without its written agreement
        assert "no other Member's share of that cost after that date increases without that " \
            "other Member's written agreement" in costs, name
    # the cost clause binds, so the exit binds too
    if not loaded.answers.mou_binding:
        status = " ".join(clause_text(doc, "status").split())
        assert f"clause {number(doc, 'mou-costs')} (costs)" in status, name


def test_there_are_hub_sets_of_both_kinds() -> None:
    barriers = {s[1].answers.competition.information_barrier for s in sets() if hub(s[1])}
    assert {"hub", "clean_team"} <= barriers


# ------------------------------- 3. the binding list names the one list of what survives


@pytest.mark.parametrize("name,loaded",
                         [s for s in sets() if not s[1].answers.mou_binding], **IDS)
def test_the_binding_list_names_the_survival_list_and_the_withdrawal_by_itself(
        name: str, loaded: LoadedAnswers) -> None:
    doc = mou(loaded)
    status = " ".join(clause_text(doc, "status").split())
    survival = number(doc, "mou-review.survival")
    withdrawal = number(doc, "mou-review.withdrawal")
    assert f"clause {survival} (what continues to bind a party that leaves, and every party " \
        "when this memorandum ends)" in status, name
    assert f"clause {withdrawal} (withdrawal), so far as it says how and when a Member's " \
        "withdrawal takes effect;" in status, name
    if "commencement-term" in doc.targets:
        assert "(commencement and term), so far as it says when the provisions listed here take " \
            "effect for each party and when they end" in status, name
    assert "what binds a party after it leaves" not in status, name
    # the list names only what must bind: the intentions (workplan, governance, principles,
    # purpose) stay out of it
    listed = status[status.index("legally binding on the parties:"):
                    status.index("Each party bears its own costs")]
    for cid in ("mou-governance", "mou-workplan", "principles", "purpose-objectives"):
        if cid in doc.targets:
            # round 20: a sub-clause may be listed (the host's duties, 6.8), never the clause
            assert not re.search(rf"clause {re.escape(number(doc, cid))}(?:[ ;]|\.(?!\d))",
                                 listed), (name, cid)
    if any(m.member_class == "observer" for m in loaded.answers.members):
        assert f"clause {survival} (what continues to bind a party that leaves), so far as it " \
            "concerns these provisions" in status, name


# ------------------- 4. the workplan after which an agreement follows meets its conditions


@pytest.mark.parametrize("name,loaded", [s for s in sets() if s[1].answers.mou_replaced], **IDS)
def test_the_workplan_follows_the_agreements_conditions_and_commencement(
        name: str, loaded: LoadedAnswers) -> None:
    answers = loaded.answers
    doc = mou(loaded)
    found = rows(doc)
    start = answers.collaborative.commencement_date
    conditions = [r for r in found if "a condition of the Collaboration Agreement" in r[0]
                  or "meet its conditions" in r[0]]
    assert conditions, name
    # the lead-in ties them to the commencement and the long-stop date, and every condition
    # is dated before the commencement (or, where the timetable cannot allow it, by the
    # long-stop date, the lead-in saying so)
    text = lead_in(doc)
    found_stop = re.search(r"by its long-stop date, (\d+ \w+ \d{4})", text)
    assert found_stop, (name, text)
    stop = dt.datetime.strptime(found_stop.group(1), "%d %B %Y").date()
    assert all(when <= stop for _s, _o, when in conditions), (name, conditions)
    if all(when < start for _s, _o, when in conditions):
        assert f"before it takes effect on {start:%-d %B %Y}" in text, name
    else:
        assert f"cannot all be met before it is due to take effect, on {start:%-d %B %Y}" in text, \
            name
    # the first year's budget is agreed in writing by the Members, not by the Steering Group
    budget = [r for r in found if "annual budget for the first contract year" in r[0]]
    assert bool(budget) == (answers.finance.model != "no_pooling"), name
    for step, owner, _when in budget:
        assert owner.startswith("Each Member") and "Agree in writing" in step, (name, owner)
    assert not any(s.startswith("Agree the budget") for s, _o, _w in found), name
    # each Member signs and gives a certified copy of its board's resolution
    approve = [r for r in found if r[0].startswith("Sign the Collaboration Agreement")]
    assert len(approve) == 1 and approve[0][1] == "Each Member", name
    assert "certified copy of the resolution of its Member Board" in approve[0][0], name
    assert ("authority under its scheme of delegation" in approve[0][0]) == \
        (answers.governance.vehicle == "partnership_board"), name
    # the evidence asked for: insurance only where a Member is not an NHS body
    evidence = next(s for s, _o, _w in found if s.startswith("Give the other Members the evidence"))
    non_nhs = any(m.kind not in ("nhs_trust", "nhs_foundation_trust") for m in answers.members
                  if m.member_class != "observer")
    assert ("or the insurance" in evidence) == non_nhs, name
    # the agreement is prepared before the Members sign it
    prepare = next(w for s, _o, w in found if s.startswith("Prepare the Collaboration Agreement"))
    assert prepare <= approve[0][2], name


def test_the_black_country_workplan_ends_with_its_conditions() -> None:
    doc = mou(changed(MOU_THEN))
    text = lead_in(doc)
    assert "before it takes effect on 1 April 2027, and in any event by its long-stop date, " \
        "1 July 2027." in text
    steps = [s for s, _o, _w in rows(doc)]
    assert any("membership of the NHS Resolution schemes)" in s for s in steps)


# ------------------------------------------------------ 5. the chair's turn as answered


@pytest.mark.parametrize("name,loaded", [s for s in sets() if "mou" in s[1].answers.documents],
                         **IDS)
def test_the_chair_follows_the_answers(name: str, loaded: LoadedAnswers) -> None:
    g = loaded.answers.governance
    text = " ".join(clause_text(mou(loaded), "mou-governance").split())
    own = not ({"collaboration_agreement", "committee_terms"} & set(loaded.answers.documents))
    assert "delete one" not in text, name
    if g.chair == "co_chairs":
        assert "The Steering Group has two co-chairs" in text, name
    elif own and g.chair == "rotating" and g.chair_rotation_months:
        months = g.chair_rotation_months
        assert re.search(rf"in turn, for \[?{months}\]? months? each", text), name
    elif g.chair == "rotating" and g.chair_rotation_months:
        # a later board's answered turn is the Steering Group's too, where the term allows it
        months = max(g.chair_rotation_months, 3)
        voters = [m for m in loaded.answers.members if m.member_class != "observer"]
        term = loaded.answers.mou_term_months
        if term is not None and term >= months * len(voters):
            assert f"in turn, for {months} months each" in text, name


def test_a_later_boards_answered_turn_is_the_steering_groups() -> None:
    loaded = dict(sets())["mou-then-rotating"]
    assert loaded.answers.mou_term_months >= 16
    assert "in turn, for 4 months each" in clause_text(mou(loaded), "mou-governance")
