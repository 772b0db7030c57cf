"""The round-9 readers' points on a local authority's conditions and the counter-fraud duty.

A local authority on a joint committee exercises no function jointly, so its condition of taking
part is its own executive decision to take part under section 65Z5(1)(b), never a delegation of
functions; a provider that is not an NHS trust meets the NHS Standard Contract's counter-fraud
requirements, through its sub-contract where it has one.
"""

from __future__ import annotations

import pytest

from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


def joint_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of("collaboration_agreement", 40) + [("joint", changed(JOINT))]
            if la.answers.governance.vehicle == "joint_committee"]


@pytest.mark.parametrize("name,loaded", joint_sets(), ids=ids_of)
def test_a_council_takes_part_and_delegates_nothing(name: str, loaded: LoadedAnswers) -> None:
    text = clause_text(built(loaded, "collaboration_agreement"), "conditions-precedent")
    councils = [m for m in loaded.answers.voting_members if m.kind == "local_authority"]
    assert "exercise of its functions jointly through the joint committee, and the delegation" \
        not in text, name
    assert "has approved arranging for its functions on the matters set out in clause" in text, name
    for council in councils:
        assert f"{council.name} has, by an executive decision under its constitution, approved " \
            "taking part in the joint committee under section 65Z5(1)(b)" in text, name
    assert ("that is a relevant body has approved" in text) == bool(councils), name


def test_a_council_is_covered() -> None:
    assert any(m.kind == "local_authority" for _, la in joint_sets()
               for m in la.answers.voting_members)


def test_an_independent_partner_meets_the_standard_contracts_counter_fraud_duty() -> None:
    text = clause_text(built(changed(DOMINANT), "collaboration_agreement"), "ethical-standards")
    assert "and a party that is neither, by meeting the counter-fraud requirements of the NHS " \
        "Standard Contract, including the Government Functional Standard for counter fraud, in " \
        "all its work for the Collaborative (for a Partner, as its sub-contract with the Lead " \
        "Provider flows those requirements down to it)." in text
    assert "for every NHS Standard Contract it holds" not in text


def majority_board_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of("collaboration_agreement", 40)
            if la.answers.governance.vehicle == "partnership_board"
            and la.answers.governance.voting in ("simple_majority", "special_majority", "weighted")]


@pytest.mark.parametrize("name,loaded", majority_board_sets(), ids=ids_of)
def test_no_fetter_points_to_the_dissent_route(name: str, loaded: LoadedAnswers) -> None:
    """A Member outvoted on a majority partnership board may decline to act only through the
    dissent route, so the no-fetter sentence cites it (report F2.1)."""
    document = built(loaded, "collaboration_agreement")
    text = clause_text(document, "status")
    number = document.targets["governance-board.dissent"].number
    assert f"a Member declines to act on a decision of the Board only as clause {number} " \
        "provides" in text, name


def test_a_majority_board_is_covered() -> None:
    assert len(majority_board_sets()) >= 3
