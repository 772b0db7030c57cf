"""Round 12b follow-ups on the money clauses, as rules of the clause library.

Each test drafts the collaboration agreements of the bundled examples, the scenario answer sets,
variations of them and generated collaboratives, and reads the text a lawyer would read.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Paragraph
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import sets_of
from tests.test_review_round9_law import checklist, note_of
from tests.test_review_round9_money import agreements
from tests.test_review_round12_sub import sub_clauses

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def competes(loaded: LoadedAnswers) -> bool:
    a = loaded.answers
    return any(m.kind == "independent_sector" for m in a.members) or a.competition.information_barrier != "none"


EXTRA = [
    ("joint", changed(JOINT)),
    ("mou-then", changed(MOU_THEN)),
    ("shared-hub-only", changed(SHARED, finance={"open_book": "hub_only"})),
    ("dominant", changed(DOMINANT)),
]


# --------------------------------------------------------------------------- 1 hub_only, no hub


def hubless() -> list[tuple[str, LoadedAnswers]]:
    out = []
    for name, loaded in agreements(EXTRA, 80):
        if loaded.answers.finance.open_book != "hub_only" or competes(loaded):
            continue
        doc = built(loaded, "collaboration_agreement")
        if "[[Commissioning Hub]]" in str(doc.targets.keys()) or "Commissioning Hub" in flat(doc):
            continue
        out.append((name, loaded))
    return out


@pytest.mark.parametrize("name,loaded", hubless(), **IDS)
def test_hub_only_without_a_hub_makes_the_host_finance_team_the_hub(name: str, loaded: LoadedAnswers) -> None:
    doc = built(loaded, "collaboration_agreement")
    finance = clause_text(doc, "finance")
    text = flat(doc)
    assert "operate open-book accounting" not in finance, name
    assert "gives the directors of finance of the other" not in finance, name
    ids = {c.id for c in doc.clauses}
    team = ("the finance team of the Host Member" if "host-member" in ids else
            "the finance team of the Lead Provider" if "Lead Provider" in text else
            "the finance team of the Member that provides the secretariat of the Board")
    assert f"only to {team}, which receives them as the hub" in finance, name
    assert "behind a written information barrier" in finance, name
    assert "to the Board only in aggregated form" in finance, name
    # The drafting note and the checklist say the same.
    assert "finance team acts as the hub behind a written information barrier" in note_of(doc, "finance"), name
    assert "finance team is the hub, behind a written information barrier" in checklist(doc), name
    assert "open book among the NHS members" not in checklist(doc), name
    # The reporting clause's "seen only by" list names the finance clause's recipients.
    if "reporting" in ids:
        reporting = clause_text(doc, "reporting")
        number = doc.targets["finance.open-book"].number
        assert f"those whom clause {number} names" in reporting, name


def test_hub_only_without_a_hub_is_covered() -> None:
    names = {n for n, _ in hubless()}
    assert {"mou-then-agreement", "mou-then"} & names, names


# --------------------------------------------------------------------------- 2 signing list


def sub_contracts() -> list[tuple[str, LoadedAnswers]]:
    return sets_of("sub_contracts", 30)


@pytest.mark.parametrize("name,loaded", sub_contracts(), **IDS)
def test_provider_selection_is_in_force_on_signing_of_a_sub_contract(name: str, loaded: LoadedAnswers) -> None:
    doc = built(loaded, "sub_contract")
    ids = {c.id for c in doc.clauses}
    cp = clause_text(doc, "conditions-precedent")
    signing = next(s for s in re.split(r"(?<=\.) ", cp) if "take effect when this Sub-Contract has been signed" in s)
    if "provider-selection" in ids:
        assert f", {doc.targets['provider-selection'].number}," in signing.replace(" and ", ", ") + ",", (name, signing)


# --------------------------------------------------------------------------- 3 budget paragraphs, no self-claims


@pytest.mark.parametrize("name,loaded", [
    (n, la) for n, la in agreements(EXTRA, 40) if la.answers.finance.model != "no_pooling"], **IDS)
def test_budget_is_in_lettered_paragraphs_and_money_clauses_make_no_self_claims(
        name: str, loaded: LoadedAnswers) -> None:
    doc = built(loaded, "collaboration_agreement")
    budget = doc.targets["finance.budget"].number
    finance = next(c for c in doc.clauses if c.id == "finance")
    lettered = [b for b in finance.blocks if isinstance(b, Paragraph) and b.level == 2
                and (b.number or "").startswith(budget + "(")]
    assert len(lettered) == 4, (name, [b.number for b in lettered])
    budget_text = [body for _, body in sub_clauses(doc, ("finance",))
                   if body.startswith(("The Annual Budget", "If that condition is waived", "For each later",
                                       "Until a later year's"))]
    assert budget_text[0] == "The Annual Budget is agreed as follows:", name
    assert all(len(body.split()) <= 120 for body in budget_text), name
    text = flat(doc)
    assert "these are the only figures for them" not in text, name
    for clause in ("finance", "risk-gain-share"):
        if clause in {c.id for c in doc.clauses}:
            assert "priorities of the collaboration" not in clause_text(doc, clause), (name, clause)


# --------------------------------------------------------------------------- 4 classes only where they exist


def admits_another_class(loaded: LoadedAnswers) -> bool:
    a = loaded.answers
    return (any(m.member_class == "associate" for m in a.members)
            or a.governance.vehicle in ("joint_committee", "committees_in_common")
            or any(m.member_class not in ("voting", "observer") for m in a.members))


@pytest.mark.parametrize("name,loaded", agreements(EXTRA, 60), **IDS)
def test_class_of_membership_appears_only_where_joining_can_admit_another_class(
        name: str, loaded: LoadedAnswers) -> None:
    doc = built(loaded, "collaboration_agreement")
    ids = {c.id for c in doc.clauses}
    classes = admits_another_class(loaded)
    if "joining" in ids:
        assert ("stating the class of membership it seeks" in clause_text(doc, "joining")) == classes, name
        decides_class = "whether the applicant is admitted as a Voting Member or as a member without a vote"
        assert (decides_class in clause_text(doc, "joining")) == classes, name
    if "variation" in ids:
        variation = clause_text(doc, "variation")
        assert ("address or class of membership" in variation) == classes, name
        assert "a change of representative" in variation, name


def test_both_kinds_of_collaborative_are_covered() -> None:
    kinds = {admits_another_class(la) for _, la in agreements(EXTRA, 60)}
    assert kinds == {True, False}


# --------------------------------------------------------------------------- 5 defined terms in the Board's list


@pytest.mark.parametrize("name,loaded", agreements(EXTRA, 60), **IDS)
def test_board_decisions_use_the_defined_managing_director_and_accession_deed(
        name: str, loaded: LoadedAnswers) -> None:
    doc = built(loaded, "collaboration_agreement")
    if "governance-board" not in {c.id for c in doc.clauses}:
        return
    board = clause_text(doc, "governance-board")
    text = flat(doc)
    md = "\u201cManaging Director\u201d means" in text
    deed = "\u201cAccession Deed\u201d means" in text
    assert "objectives of any managing director" not in board or not md, name
    assert "the form of an accession deed" not in board or not deed, name
    if md and "secondment agreements of staff" in board:
        # round 13: where Member Boards decide on the Board's recommendation, the item now
        # reads "a recommendation ... on the appointment and objectives of the Managing
        # Director"; the defined term must still be used.
        assert "objectives of the Managing Director" in board, name
    if deed and "the form of the monthly financial reports" in board:
        assert "the form of the Accession Deed" in board, name
