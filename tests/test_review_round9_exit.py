"""The round-9 review of the exit plan, as rules over many answer sets.

An agreement has one Exit Plan: the standing plan its schedule has the Members prepare, adapted
when a Member leaves, never a second plan in the schedule's form; with committees in common each
other Voting Member's board approves the same text, since those boards decide separately.
"""

from __future__ import annotations

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


@pytest.mark.parametrize("name,loaded", sets_of("collaboration_agreement", 20), ids=ids_of)
def test_one_exit_plan_adapted_when_a_member_leaves(name: str, loaded: LoadedAnswers) -> None:
    document = built(loaded, "collaboration_agreement")
    number = document.targets["sched:exit-plan"].number
    text = clause_text(document, "exit-consequences")
    # round 22: the standing plan applies once approved (prepared, under committees in common)
    done = "prepared" if loaded.answers.governance.vehicle == "committees_in_common" \
        else "approved"
    assert (f"must agree an Exit Plan for that Member's leaving by adapting the standing Exit "
            f"Plan {done} under {number}") in text, name
    assert "in the form outlined in" not in text, name
    schedule = next(s for s in document.schedules if s.id == "exit-plan")
    assert schedule.blocks, name
    # round 17: only a partnership board settles the plan itself; under any other vehicle the
    # other members' boards approve the same text of it
    others = loaded.answers.governance.vehicle != "partnership_board"
    assert ("approving the same text of it" in text) == others, name
    assert "by the same decision" not in text, name
