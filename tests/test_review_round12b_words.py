"""Round 12b: wording follow-ups in definitions, provider selection, expulsion, equality,
dispute resolution, the MOU workplan, status and reporting, as rules over answer sets.

Each test drafts the scenario sets and examples, sets changed to reach the case and generated
collaboratives, and asserts the rule on every document that has the clause.
"""

from __future__ import annotations

import re

import pytest

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, MOU_ONLY, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat, library, variant_of
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round6_sc import every_sub_contract
from tests.test_review_round12_board import words


def definition(document: Document, term: str) -> str:
    """The words of one definition, from its quoted term to the next quoted term."""
    text = flat(document)
    at = text.find(f"“{term}” means")
    assert at >= 0, term
    end = text.find("“", at + len(term) + 2)
    return text[at:end if end > 0 else at + 2000]


def kinds(loaded: LoadedAnswers) -> set[str]:
    return {m.kind for m in loaded.answers.members if m.member_class != "observer"}


def agreements(limit: int = 30) -> list[tuple[str, LoadedAnswers]]:
    return sets_of("collaboration_agreement", limit)


# ------------------------------------------------------------------ 1 class of membership


def classes_exist(loaded: LoadedAnswers) -> bool:
    """The condition of Schedule 1 and the reserved matters: more than one class of Member, or
    joining that can admit a member of another class."""
    a = loaded.answers
    return (a.governance.vehicle in ("joint_committee", "committees_in_common")
            or any(m.member_class not in ("voting", "observer") for m in a.members))


def class_sets() -> list[tuple[str, LoadedAnswers, str]]:
    sets = [(n, la, "collaboration_agreement") for n, la in agreements()]
    sets += [(n, la, "mou") for n, la in sets_of("mou", 10)]
    return sets


@pytest.mark.parametrize("name,loaded,kind", class_sets(), ids=ids_of)
def test_1_whatever_its_class_only_where_classes_exist(
        name: str, loaded: LoadedAnswers, kind: str) -> None:
    said = "whatever its class of membership" in definition(built(loaded, kind), "Member")
    assert said == classes_exist(loaded), name


def test_1_both_cases_are_reached() -> None:
    found = {classes_exist(la) for _n, la, _k in class_sets()}
    assert found == {True, False}


# ------------------------------------------------------------------ 2 provider selection


def test_2_psr_regulations_are_made_under_the_defined_nhs_act() -> None:
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        if "provider-selection" not in {c.id for c in document.clauses}:
            continue
        psr = definition(document, "PSR Regulations")
        assert "section 12ZB of the NHS Act" in psr, label
        assert "National Health Service Act 2006" not in psr, label
        assert "“NHS Act” means" in flat(document), label
        checked += 1
    assert checked >= 5


ROUTES = {"direct_award_a": "direct-award-a", "direct_award_b": "direct-award-b",
          "direct_award_c": "direct-award-c", "most_suitable_provider": "most-suitable",
          "competitive": "competitive"}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_2_each_route_selects_its_own_variant(route: str) -> None:
    """Every variant names its route, so coverage (and the lint) sees which answers reach it."""
    loaded = changed(DOMINANT, head_contract={"provider_selection_route": route,
                                              "considerable_change": False})
    clause = library().get("provider-selection")
    variants = {v.id: v.when for v in clause.variants}
    assert "true" not in variants.values()
    for part in plan(loaded.answers):
        if part.kind == "sub_contract":
            document = build_document(library(), loaded, part.kind, part.partner_id)
            assert variant_of(document, "provider-selection") == ROUTES[route]


# ------------------------------------------------------------------ 3 Insolvency Event


def insolvency_sets() -> list[tuple[str, LoadedAnswers]]:
    grounds = ["material_breach", "insolvency"]
    sets = [("dominant", changed(DOMINANT, membership={"expulsion_grounds": grounds})),
            ("mou-then", changed(MOU_THEN, membership={"expulsion_grounds": grounds})),
            ("shared", changed(SHARED, membership={"expulsion_grounds": grounds}))]
    sets += agreements(40)
    return [(n, la) for n, la in sets if "insolvency" in la.answers.membership.expulsion_grounds]


@pytest.mark.parametrize("name,loaded", insolvency_sets(), ids=ids_of)
def test_3_insolvency_event_names_only_the_kinds_present(name: str, loaded: LoadedAnswers
                                                         ) -> None:
    document = built(loaded, "collaboration_agreement")
    text = definition(document, "Insolvency Event")
    present = kinds(loaded)
    corporate = bool(present & {"independent_sector", "vcse"})
    assert ("an NHS trust" in text) == ("nhs_trust" in present), name
    assert ("an NHS foundation trust" in text) == ("nhs_foundation_trust" in present), name
    assert ("trust special administrator" in text) == bool(
        present & {"nhs_trust", "nhs_foundation_trust"}), name
    joining = "joining" in {c.id for c in document.clauses}
    assert ("company, charity or other corporate body" in text) == (corporate or joining), name
    assert ("admitted later" in text) == (not corporate and joining), name


def test_3_both_cases_are_reached() -> None:
    found = {bool(kinds(la) & {"independent_sector", "vcse"}) for _n, la in insolvency_sets()}
    assert found == {True, False}


# ------------------------------------------------------------------ 4 equality


def equality_sets() -> list[tuple[str, LoadedAnswers, str]]:
    return ([(n, la, "collaboration_agreement") for n, la in agreements(15)]
            + [(n, la, "mou") for n, la in sets_of("mou", 10)])


@pytest.mark.parametrize("name,loaded,kind", equality_sets(), ids=ids_of)
def test_4_equality_reports_what_the_collaborative_has_done(
        name: str, loaded: LoadedAnswers, kind: str) -> None:
    text = words(clause_text(built(loaded, kind), "equality-health-inequalities"))
    assert "what the Collaborative has done" in text, name
    assert "the collaboration has done" not in text, name


# ------------------------------------------------------------------ 5 dispute resolution


def test_5_the_head_contract_sub_clause_cites_the_liability_clauses() -> None:
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        text = words(clause_text(document, "dispute-resolution"))
        if "dispute resolution procedure of the Head Contract" not in text:
            continue
        assert "only for its own breach" not in text, label
        numbers = {c.id: c.number for c in document.clauses}
        # round 13: the covenant cap sub-clause is the rule's one home and is cited alone
        home = document.targets.get("liability-insurance.covenant-cap")
        cited = home.number if home else numbers["liability-insurance"]
        assert f"follows from the outcome arises only under clause {cited}" in text, label
        checked += 1
    assert checked >= 5


# ------------------------------------------------------------------ 6 MOU workplan note


def mou_sets() -> list[tuple[str, LoadedAnswers]]:
    late = {"commencement_date": "2027-01-01"}
    sets = [("mou-only-s251", changed(MOU_ONLY, data={
                "legal_gateway": "s251", "kinds": "identifiable_commissioning",
                "controller_model": "independent", "dpia": "before_go_live"})),
            ("mou-then-late", changed(MOU_THEN, collaborative=late))]
    return [(n, la) for n, la in sets if "mou" in la.answers.documents] + sets_of("mou", 60)


def test_6_the_workplan_note_uses_no_term_the_memorandum_leaves_undefined() -> None:
    checked = 0
    for name, loaded in mou_sets():
        try:
            document = built(loaded, "mou")
        except StopIteration:
            continue
        defined = "“Operative Date” means" in flat(document)
        for schedule in document.schedules:
            if schedule.id == "mou-workplan" and schedule.note:
                if "section 251" in schedule.note:
                    checked += 1
                assert defined or "Operative Date" not in schedule.note, name
    assert checked >= 1


# ------------------------------------------------------------------ 7 observers


def observer_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in [("shared", changed(SHARED))] + agreements(60)
            if any(m.member_class == "observer" for m in la.answers.members)]


def test_7_the_case_is_reached() -> None:
    assert len(observer_sets()) >= 2


@pytest.mark.parametrize("name,loaded", observer_sets(), ids=ids_of)
def test_7_an_observer_joins_and_leaves_as_the_memorandum_says(
        name: str, loaded: LoadedAnswers) -> None:
    document = built(loaded, "collaboration_agreement")
    text = words(clause_text(document, "status"))
    numbers = {c.id: c.number for c in document.clauses}
    # round 13 (D3): one defined term, "Letter of Adherence"; the Board admits and removes
    # round 15: admission and removal is an administrative act only, citing the
    # administrative-act sub-clause (no longer on the delegated list)
    if loaded.answers.governance.vehicle in ("committees_in_common", "joint_committee") \
            and "governance-board.administrative" in document.targets:
        admin = document.targets["governance-board.administrative"].number
        assert f"may remove an Observer, as an administrative act under clause {admin}" \
            in text
    else:
        assert f"may remove an Observer, by a decision under clause {numbers['voting']}" in text
    assert "when it signs a Letter of Adherence" in text, name
    definitions = words(clause_text(document, "definitions"))
    assert "signed by it and countersigned for every Member" in definitions, name
    assert "giving the Members one month's written notice" in text, name
    assert f"An Observer that leaves or is removed remains bound by clause {numbers['confidentiality-foi']}" in text


# ------------------------------------------------------------------ 8 member-level reporting


def reporting_sets() -> list[tuple[str, LoadedAnswers]]:
    return [("mou-then", changed(MOU_THEN)), ("dominant", changed(DOMINANT))] + agreements(30)


MEMBER_LEVEL = re.compile(r"at the level of that Member|goes at member level to the Board")


@pytest.mark.parametrize("name,loaded", reporting_sets(), ids=ids_of)
def test_8_member_level_activity_reporting_is_stated_once(name: str, loaded: LoadedAnswers
                                                         ) -> None:
    text = words(clause_text(built(loaded, "collaboration_agreement"), "reporting"))
    sentences = [s for s in re.split(r"(?<=\.)\s+", text)
                 if "activity" in s and MEMBER_LEVEL.search(s)]
    assert len(sentences) <= 1, (name, sentences)
