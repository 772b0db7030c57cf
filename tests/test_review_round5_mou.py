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
    JOINT,
    SHARED,
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
        assert "works by consensus of the Representatives present" in text, name
        assert "A meeting is quorate when the Representative of every Member" in text  # includes the deputy
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
        # round 7 (F1.2): a Member withdraws only for an organisational conflict; a personal
        # one passes the seat to the deputy, so the item is quorate with every other Member
        assert "is quorate when the Representatives of every other Member are present" \
            in recusal, name
        assert re.search(r"not quorate [^.]*adjourns it [^.]*; the adjourned meeting is quorate "
                         r"when the Representatives of at least two Members are present", text), name


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
        # round 7 (E2.1): the cost is stated once, in the costs clause, to which the hub refers
        number = next(c.number for c in doc.clauses if c.id == "mou-costs")
        # round 8 (E2.1): the hub's cost is agreed when it is appointed, never hosted by a Member
        # round 11: the hub sub-clause now says so in a sentence of its own
        assert "Information Hub" in hub and "The cost of the Information Hub is dealt with as " \
            f"clause {number} provides" in hub, name
        for sentence in re.split(r"(?<=\.) ", costs):
            if "bears its own costs" in sentence:
                assert ("except for" in sentence) == (loaded.answers.finance.model != "no_pooling"), \
                    (name, sentence)
        if loaded.answers.finance.model == "no_pooling":
            assert "No budget is shared under this memorandum" in costs, name
            assert "equally" not in hub, name

    def test_a_leaving_member_pays_its_share_of_the_hub_committed_before_notice(self) -> None:
        doc = built(load_answers(MERSEY), "mou")
        number = next(c.number for c in doc.clauses if c.id == "mou-costs")
        # round 13c (E1.3): the one survival list binds a leaver to clause N "for a Member's
        # share of any shared cost committed before it leaves"
        # round 14 (mou-review v11): each item of the list names its clause's title
        assert re.search(rf"clause {re.escape(number)} \(costs\), for a Member's share of any shared cost "
                         r"committed before it leaves", clause_text(doc, "mou-review"))


# --------------------------------------------------------------------------- data sets


def dsa_sets() -> list[tuple[str, LoadedAnswers]]:
    """Answer sets with a data sharing agreement: examples, scenarios, variations, generated."""
    sets = [(p.stem, load_answers(p)) for p in ALL if "data_sharing" in load_answers(p).answers.documents]
    for path in (MOU_ONLY, MOU_THEN):
        sets.append((f"{path.stem}-with-dsa", changed(path, documents=[
            *load_answers(path).answers.documents, "data_sharing"])))
    return sets + generated_of("data_sharing", limit=12)


def kinds_of(loaded: LoadedAnswers) -> str:
    return loaded.answers.data.kinds


# --------------------------------------------------------------------------- M5 small numbers


def anonymised_sets() -> list[tuple[str, LoadedAnswers]]:
    anonymous = {"kinds": "anonymised", "legal_gateway": "anonymisation"}
    sets = [(f"{p.stem}-anonymised", changed(p, data=anonymous))
            for p in (SOUTH, JOINT, NORTH_EAST)]
    return sets + [(n, la) for n, la in generated_of("data_sharing", limit=60)
                   if kinds_of(la) == "anonymised"][:4]


class TestM5TheAggregationFloorWorksForAnyNumberOfMembers:
    @pytest.mark.parametrize("name,loaded", anonymised_sets(), ids=lambda v: v if isinstance(v, str) else "")
    def test_anonymised_figures_are_suppressed_by_size_not_by_a_count_of_providers(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "data_sharing")
        text = clause_text(doc, "dsa-purpose-data")
        assert "small-number suppression" in text, name
        assert "no figure is published in a form from which one Member's own activity, outcomes " \
            "or costs can be told apart" in text, name
        for clause in ("dsa-purpose-data", "data-protection", "dsa-security-retention"):
            assert not re.search(r"(fewer than|at least) (two|three|four|five|\d+) (providers|Members)",
                                 clause_text(doc, clause)), (name, clause)


# --------------------------------------------------------------------------- M6 anonymised vs care


DIRECT_CARE_PROMISES = ("individual care of the patients concerned", "shared care record",
                        "referrals and transfers of care", "identifiable patient information")


def not_direct_care_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(p.stem, load_answers(p)) for p in (SHARED, MOU_THEN, WEST)]
    sets.append(("shared-pseudonymised", changed(SHARED, data={
        "kinds": "pseudonymised", "controller_model": "independent", "legal_gateway": "s251",
        "dpia": "completed"})))
    sets.append(("south-anonymised", changed(SOUTH, data={"kinds": "anonymised",
                                                          "legal_gateway": "anonymisation"})))
    return sets


class TestM6AnonymisedDataPromisesNoDirectCare:
    @pytest.mark.parametrize("name,loaded", not_direct_care_sets(), ids=lambda v: v if isinstance(v, str) else "")
    def test_no_direct_care_promise_and_the_checklist_flags_the_objectives(
            self, name: str, loaded: LoadedAnswers) -> None:
        assert kinds_of(loaded) in ("anonymised", "pseudonymised")
        flagged = 0
        for part in plan(loaded.answers):
            doc = build_document(library(), loaded, part.kind, part.partner_id)
            text = flat(doc)
            for promise in DIRECT_CARE_PROMISES:
                assert promise not in text, (name, part.filename, promise)
            if "data-protection" in {c.id for c in doc.clauses}:
                checklist = " ".join((doc.clauses[0].note or "").split())
                assert re.search(r"(anonymised|pseudonymised) data only, although the purpose or "
                                 r"objectives speak of individual care \([a-z ,]+\): confirm",
                                 checklist), (name, part.filename)
                flagged += 1
        assert flagged, name

    def test_no_flag_where_the_objectives_speak_of_no_individual_care(self) -> None:
        loaded = changed(SHARED, collaborative={"purpose": "Plan elective capacity together.",
                                                "objectives": ["Publish one capacity plan"]})
        doc = built(loaded, "collaboration_agreement")
        assert "speak of individual care" not in (doc.clauses[0].note or "")

    def test_no_flag_where_identifiable_data_is_shared_for_individual_care(self) -> None:
        doc = drafted(JOINT, "collaboration_agreement")
        assert "speak of individual care" not in (doc.clauses[0].note or "")


# --------------------------------------------------------------------------- D1 transparency


class TestD1PrivacyNoticesAreUpdatedBeforeSharingStarts:
    @pytest.mark.parametrize("name,loaded", dsa_sets(), ids=lambda v: v if isinstance(v, str) else "")
    def test_each_controller_updates_its_privacy_notice_first(self, name: str,
                                                              loaded: LoadedAnswers) -> None:
        doc = built(loaded, "data_sharing")
        text = clause_text(doc, "data-protection")
        if kinds_of(loaded) == "anonymised":
            assert "gives its own privacy information" in text, name
            return
        assert re.search(r"Before any Personal Data is first shared under this Agreement, each party "
                         r"that is a controller of it updates its privacy notice to give the "
                         r"information required by Articles 13 and 14 of the UK GDPR", text), name


# --------------------------------------------------------------------------- D2 start


class TestD2SharingStartsWhenTheAgreementTakesEffect:
    @pytest.mark.parametrize("name,loaded", dsa_sets(), ids=lambda v: v if isinstance(v, str) else "")
    def test_no_data_moves_on_signature(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "data_sharing")
        text = clause_text(doc, "dsa-purpose-data")
        # round 12: the term paragraph is split; binding on signature and the start of sharing
        # are separate sentences, and the start is still never signature alone
        assert "This Agreement binds each Member from when it signs it." in text, name
        term = sentence_with(text, "No Shared Data is shared under this Agreement before")
        assert "This Agreement starts on" not in text, name
        if "collaboration_agreement" in loaded.answers.documents:
            assert "No Shared Data is shared under this Agreement before the date on which the " \
                "provisions of the Collaboration Agreement that are subject to its " \
                "conditions precedent take effect under it" in term, name
        else:
            assert "before the later of" in term and "the last Member signs it" in term, name
        if kinds_of(loaded) != "anonymised":
            number = next(b for c in doc.clauses if c.id == "data-protection"
                          for b in [c.number])
            assert f"only as the conditions of clause {number} allow (privacy information " \
                f"under clause {number}." in term, name


# --------------------------------------------------------------------------- D3 joint control


class TestD3JointControlIsLimitedToTheSharedProcessing:
    def joint_sets(self) -> list[tuple[str, LoadedAnswers]]:
        joint = {"controller_model": "joint"}
        return [(JOINT.stem, load_answers(JOINT)),
                ("north-east-joint", changed(NORTH_EAST, data=joint)),
                ("south-joint", changed(SOUTH, data=joint)),
                ("west-joint", changed(WEST, data=joint))]

    def test_joint_controllers_only_for_the_shared_purposes_each_sole_for_its_records(self) -> None:
        checked = 0
        for name, loaded in self.joint_sets():
            for part in plan(loaded.answers):
                doc = build_document(library(), loaded, part.kind, part.partner_id)
                text = clause_text(doc, "data-protection")
                # round 9: "joint controllers only of the processing ... they determine together"
                if "The parties are joint controllers only of the processing of Personal Data" \
                        not in text:
                    continue
                checked += 1
                assert "whose purposes and means they determine together for the Collaborative" \
                    in text, (name, part.filename)
                assert "Each party remains the sole controller of its own records" in text, name
                if part.kind == "data_sharing":
                    number = next(c.number for c in doc.clauses if c.id == "dsa-purpose-data")
                    assert f"for the Collaborative (within the purposes in clause {number}.1)" \
                        in text, name
        assert checked >= 6
