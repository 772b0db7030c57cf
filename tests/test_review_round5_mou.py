"""A healthcare partner's fifth review of the MOU and the data sharing agreement, as rules over
many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
MOUs and data sharing agreements of the bundled examples, the scenario answer sets and
variations of them (and, where the rule is general, of generated collaboratives as `drafting
lint` drafts them), and reads the text a lawyer would read. The ids are the review's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.errors import AnswersError
from drafting.read.load import LoadedAnswers, load_answers, parse_answers
from drafting.review.lint.run import _yaml
from drafting.review.lint.strategies import answers as answer_sets, draw_many
from tests.test_partner_review import (
    ALL,
    MOU_ONLY,
    MOU_THEN,
    NORTH_EAST,
    SOUTH,
    changed,
    clause_text,
    flat,
    library,
)

WEST = NORTH_EAST.parent / "west-community-partnership.yaml"
MERSEY = NORTH_EAST.parent / "mersey-elective-hub.yaml"
MOUS = [MOU_ONLY, MOU_THEN, SOUTH, WEST, MERSEY]


def built(loaded: LoadedAnswers, kind: str) -> Document:
    """The one document of `kind` drafted from answers in memory."""
    part = next(p for p in plan(loaded.answers) if p.kind == kind)
    return build_document(library(), loaded, part.kind, part.partner_id)


@lru_cache(maxsize=None)
def drafted(path: Path, kind: str) -> Document:
    return built(load_answers(path), kind)


@lru_cache(maxsize=1)
def generated() -> tuple[LoadedAnswers, ...]:
    """Valid generated collaboratives, as `drafting lint` drafts them (the same every run)."""
    found = []
    for number, data in enumerate(draw_many(answer_sets(), 120, 5)):
        try:
            found.append(parse_answers(_yaml(data), file=f"generated-{number}.yaml"))
        except AnswersError:  # an invalid draw is lint's to report, not this rule's
            continue
    return tuple(found)


def generated_of(kind: str, limit: int = 25) -> list[tuple[str, LoadedAnswers]]:
    sets = [(la.file, la) for la in generated() if kind in la.answers.documents]
    return sets[:limit]


def mou_variations() -> list[tuple[str, LoadedAnswers]]:
    """The MOU answer sets with the board settings that an MOU must not copy changed."""
    sets = [(p.stem, load_answers(p)) for p in MOUS]
    for path in (MOU_THEN, WEST, SOUTH):
        sets.append((f"{path.stem}-quarterly-majority", changed(
            path, governance={"meeting_frequency": "quarterly", "quorum": "majority"})))
    return sets


def sentence_with(text: str, words: str) -> str:
    return next(s for s in re.split(r"(?<=[.;]) ", text) if words in s)


# --------------------------------------------------------------------------- M1 own settings


class TestM1TheSteeringGroupKeepsItsOwnSettings:
    @pytest.mark.parametrize("name,loaded", mou_variations(), ids=lambda v: v if isinstance(v, str) else "")
    def test_meetings_quorum_and_consensus_are_the_mous_own(self, name: str,
                                                             loaded: LoadedAnswers) -> None:
        doc = built(loaded, "mou")
        text = clause_text(doc, "mou-governance")
        answers = loaded.answers
        own = not {"collaboration_agreement", "committee_terms"} & set(answers.documents)
        words = {"monthly": "every month", "bimonthly": "every two months",
                 "quarterly": "every three months"}
        expected = words[answers.governance.meeting_frequency] if own else "every month"
        assert f"The Steering Group meets {expected}" in text, name
        assert "works by consensus of the representatives present" in text, name
        assert "A meeting is quorate when the representative (or deputy) of every Member" in text
        assert "more than half of the Members are present" not in text, name
        schedule = flat(doc)
        assert f"Meetings | {expected[0].upper()}{expected[1:]}" in schedule, name
        assert "By consensus of the Representatives present" in schedule, name

    def test_an_mou_alone_meets_as_answered(self) -> None:
        loaded = changed(MOU_ONLY, governance={"meeting_frequency": "quarterly"})
        assert "The Steering Group meets every three months" in \
            clause_text(built(loaded, "mou"), "mou-governance")

    def test_the_checklist_names_the_settings_the_mou_keeps(self) -> None:
        loaded = changed(MOU_THEN, governance={"meeting_frequency": "quarterly"})
        checklist = " ".join((built(loaded, "mou").clauses[0].note or "").split())
        assert "the Steering Group meeting every month, whatever the frequency answered" in checklist
        assert "the Steering Group's quorum of every Member's representative" in checklist
        alone = " ".join((built(changed(MOU_ONLY, governance={"quorum": "majority"}), "mou")
                          .clauses[0].note or "").split())
        assert "meeting every month, whatever" not in alone
        assert "(not the quorum answered, which suits a board that votes)" in alone


# --------------------------------------------------------------------------- M2 recusal


class TestM2RecusalAndAdjournmentKeepAnAllMemberQuorumWorkable:
    @pytest.mark.parametrize("name,loaded", mou_variations(), ids=lambda v: v if isinstance(v, str) else "")
    def test_a_withdrawn_representative_counts_and_an_inquorate_meeting_adjourns(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(built(loaded, "mou"), "mou-governance")
        recusal = sentence_with(text, "withdraws under clause")
        assert "the quorum is of the Members entitled to take part in it" in recusal, name
        assert "counts towards it" in recusal, name
        assert re.search(r"not quorate [^.]*adjourns it [^.]*; the adjourned meeting is quorate "
                         r"when the representatives of at least two Members are present", text), name


# --------------------------------------------------------------------------- M4 hub costs


def hub_mous() -> list[tuple[str, LoadedAnswers]]:
    """MOUs with an Information Hub: the example, its variations and generated ones."""
    sets = [(MERSEY.stem, load_answers(MERSEY)),
            ("mersey-binding", changed(MERSEY, mou_binding=True)),
            ("mersey-running-costs", changed(MERSEY, finance={"model": "running_costs",
                                                               "running_cost_split": "equal"}))]
    sets += [(name, la) for name, la in generated_of("mou", limit=200)
             if la.answers.competition.information_barrier == "hub"
             and any(m.kind == "independent_sector" for m in la.answers.members)][:6]
    return sets


class TestM4SharedHubCostsAreTheExceptionToOwnCosts:
    @pytest.mark.parametrize("name,loaded", hub_mous(), ids=lambda v: v if isinstance(v, str) else "")
    def test_the_costs_clause_names_the_hubs_cost_as_shared(self, name: str,
                                                           loaded: LoadedAnswers) -> None:
        doc = built(loaded, "mou")
        costs = clause_text(doc, "mou-costs")
        hub = clause_text(doc, "competition-information-barrier")
        assert "Information Hub" in costs, name
        assert "Information Hub" in hub and "cost shared between the Members" in hub, name
        for sentence in re.split(r"(?<=\.) ", costs):
            if "bears its own costs" in sentence:
                assert "except for" in sentence, (name, sentence)
        if loaded.answers.finance.model == "no_pooling":
            assert "shared between the Members equally" in costs, name
            assert "shared between the Members equally" in hub, name
        else:
            number = next(c.number for c in doc.clauses if c.id == "mou-costs")
            assert f"as a shared running cost under clause {number}" in hub, name

    def test_a_leaving_member_pays_its_share_of_the_hub_committed_before_notice(self) -> None:
        doc = built(load_answers(MERSEY), "mou")
        number = next(c.number for c in doc.clauses if c.id == "mou-costs")
        assert f"pays its share of any shared cost under clause {number} committed" in \
            clause_text(doc, "mou-review")
