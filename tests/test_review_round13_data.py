"""Round 13 partner review of the data and information clauses (report 2-C, 2-F and 2-B).

Each test drafts the scenario sets, the examples, generated sets and sets changed to reach
another branch, and asserts the rule over every collaborative it reaches, not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Paragraph, plain
from drafting.read.load import LoadedAnswers
from tests.review_sets import SHARED
from tests.test_partner_review import changed
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import planned

# The sub-clauses of the data protection clause that bind every party, an Observer included;
# the status clause cites them by these anchors.
COMPLIANCE = ("compliance", "security", "accuracy", "breach", "requests")
PARTY = re.compile(r"(?<!third )\bpart(?:y|ies)\b", re.IGNORECASE)


def observer_sets() -> list[tuple[str, LoadedAnswers]]:
    """Collaboration agreements with an Observer, over each controller model and kind of data."""
    sets = [
        ("shared", changed(SHARED)),
        ("shared-joint-direct-care", changed(SHARED, data={
            "kinds": "identifiable_direct_care", "controller_model": "joint",
            "legal_gateway": "direct_care", "dpia": "before_go_live"})),
        ("shared-pseudonymised-s251", changed(SHARED, data={
            "kinds": "pseudonymised", "controller_model": "independent",
            "legal_gateway": "s251", "dpia": "before_go_live"})),
        ("shared-anonymised", changed(SHARED, data={"kinds": "anonymised"})),
    ] + sets_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")
            and any(m.member_class == "observer" for m in la.answers.members)]


def data_sub_clauses(loaded: LoadedAnswers) -> list[tuple[str, str, str]]:
    """(anchor of the sub-clause, number, words) of each paragraph of the data clause; a
    lettered paragraph carries the anchor of its sub-clause."""
    document = built(loaded, "collaboration_agreement")
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    clause = next(c for c in document.clauses if c.id == "data-protection")
    rows, anchor = [], ""
    for block in clause.blocks:
        if isinstance(block, Paragraph):
            if block.level <= 1:
                anchor = block.label or ""
            rows.append((anchor, block.number or "",
                         " ".join(plain(block.inlines, document.targets, schedules).split())))
    return rows


# ------------------------------------------------------------- 1 (C1, D3) the Members, not parties


def test_1_the_case_is_reached() -> None:
    assert len(observer_sets()) >= 4


@pytest.mark.parametrize("name,loaded", observer_sets(), ids=ids_of)
def test_1_roles_duties_and_flows_speak_of_the_members(name: str, loaded: LoadedAnswers) -> None:
    """Where an Observer is a party, a data sub-clause that creates a role, a duty or a flow
    (controller model, shared list, DPIA, direct-care disclosure) names the Members, so that an
    Observer is never a controller, never does a DPIA and never receives identifiable data."""
    rows = data_sub_clauses(loaded)
    roles = [(a, n, t) for a, n, t in rows if a not in COMPLIANCE]
    assert roles, name
    for anchor, number, text in roles:
        assert not PARTY.search(text), (name, anchor, number, text)


@pytest.mark.parametrize("name,loaded", observer_sets(), ids=ids_of)
def test_1_the_compliance_sub_clauses_keep_their_anchors(name: str, loaded: LoadedAnswers
                                                         ) -> None:
    """The status clause cites the sub-clauses that bind an Observer by anchor: they exist."""
    anchors = {a for a, _, _ in data_sub_clauses(loaded)}
    assert {"compliance", "security", "breach", "requests"} <= anchors, (name, anchors)
