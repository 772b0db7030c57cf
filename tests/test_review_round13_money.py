"""Round 13 findings on the money, term and exit clauses, as rules of the clause library.

Each test drafts the collaboration agreements of the bundled examples, the scenario answer sets,
variations of them and generated collaboratives, and reads the text a lawyer would read.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round9_law import checklist, note_of
from tests.test_review_round9_money import agreements

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")

EXTRA = [
    ("joint-pro-rata", changed(JOINT, finance={"running_cost_split": "pro_rata"})),
    ("shared-fixed", changed(SHARED, finance={"running_cost_split": "fixed"})),
    ("mou-then-fixed", changed(MOU_THEN, finance={"running_cost_split": "fixed"})),
    ("mou-then-no-minimum", changed(MOU_THEN, membership={"minimum_term_years": 0})),
]


@lru_cache(maxsize=None)
def sets() -> tuple[tuple[str, LoadedAnswers], ...]:
    return tuple(agreements(EXTRA, 60))


@lru_cache(maxsize=None)
def doc_of(name: str) -> Document:
    loaded = dict(sets())[name]
    return built(loaded, "collaboration_agreement")


def where(test) -> list[tuple[str, LoadedAnswers]]:  # type: ignore[no-untyped-def]
    return [(n, la) for n, la in sets() if test(la)]


def number(doc: Document, target: str) -> str:
    return doc.targets[target].number


# --------------------------------------------------------------------------- 1 (D7, C9)


@pytest.mark.parametrize("name,loaded", where(lambda la: la.answers.context()["derived"]["risk_share"]),
                         **IDS)
def test_the_shares_lead_in_is_a_short_sentence(name: str, loaded: LoadedAnswers) -> None:
    text = clause_text(doc_of(name), "risk-gain-share")
    assert re.search(r"The shares? at the date of this Agreement (are|is): ", text), name
    assert "being every Member whose expenditure" not in text, name
    assert "and their shares at the date of this Agreement" not in text, name
    f = loaded.answers.finance
    if f.deficit != "lead_bears" or f.surplus in ("distribute_pro_rata", "split"):
        # round 14: the schedule also gives a worked example
        assert re.search(r"\. The shares are also set out in Schedule \d+, with a worked example\.",
                         text), name


def repays_running_costs(la: LoadedAnswers) -> bool:
    d = la.answers.context()["derived"]
    return la.answers.finance.model != "no_pooling" and (
        d["has_lead_provider"] or "host-member" in {c.id for c in built(la, "collaboration_agreement").clauses})


@pytest.mark.parametrize("name,loaded", where(repays_running_costs), **IDS)
def test_unspent_running_costs_are_repaid_in_the_current_shares(name: str, loaded: LoadedAnswers) -> None:
    doc = doc_of(name)
    text = clause_text(doc, "exit-consequences")
    rc = number(doc, "finance.running-costs")
    # round 20: in proportion to what each actually paid, so that a covenant member's fixed sum
    # and any re-basing of the shares are reflected in the refund.
    phrase = (f"in proportion to the contributions that each of them actually paid towards the "
              f"Running Costs for the final Contract Year under clause {rc}, within 30 days")
    assert phrase in text, name
    assert "in the proportions in which they share the Running Costs" not in text, name


# --------------------------------------------------------------------------- 2 (D9)


def unanswered_shares(la: LoadedAnswers) -> bool:
    return la.answers.finance.model != "no_pooling" and la.answers.running_cost_shares() is None


@pytest.mark.parametrize("name,loaded", where(unanswered_shares), **IDS)
def test_unanswered_running_cost_shares_are_a_bracketed_proposal(name: str, loaded: LoadedAnswers) -> None:
    doc = doc_of(name)
    finance = clause_text(doc, "finance")
    assert "[●]%" not in finance, name
    payers = [m for m in loaded.answers.members if m.member_class != "observer"]
    found = [re.search(rf"{re.escape(m.name)}: (\[[\d.]+%\])", finance) for m in payers]
    assert all(found), name
    brackets = [f.group(1) for f in found if f]
    shares = [float(b[1:-2]) for b in brackets]
    assert abs(sum(shares) - 100) < 0.1, name
    proposal = loaded.answers.proposed_running_cost_shares()
    assert proposal is not None
    if all(m.annual_contract_value for m in payers):
        assert proposal["basis"] == "pro_rata", name
        assert "in proportion to the annual contract values" in note_of(doc, "finance"), name
    assert "In this draft the running-cost shares are such a proposal" in note_of(doc, "finance"), name
    assert "running-cost shares proposed in square brackets" in checklist(doc), name
    # The schedule shows the same bracketed figures, not bare blanks.
    text = flat(doc)
    for bracket in brackets:
        assert text.count(bracket) >= 2, name


def test_unanswered_running_cost_shares_are_covered() -> None:
    names = {n for n, _ in where(unanswered_shares)}
    assert {"provider-board-joint-committee", "shared-fixed", "mou-then-fixed"} <= names


# --------------------------------------------------------------------------- 3 (C7, F4)


@pytest.mark.parametrize("name,loaded", sets(), **IDS)
def test_each_rule_has_one_home(name: str, loaded: LoadedAnswers) -> None:
    doc = doc_of(name)
    ids = {c.id for c in doc.clauses}
    if "exit-consequences" in ids:
        assert "tell the Commissioner" not in clause_text(doc, "exit-consequences"), name
    if "commencement-term" in ids and "commencement-term.fewer-members" in doc.targets:
        assert "The Members tell the Commissioner promptly" in clause_text(doc, "commencement-term"), name
    finance = clause_text(doc, "finance")
    assert "as one of the Conditions Precedent" not in finance, name
    if "conditions-precedent.budget" in doc.targets:
        assert f"is the one agreed under clause {number(doc, 'conditions-precedent.budget')}" in finance, name
    assert "and it is never reduced" not in finance, name
    if "withdrawal" in ids:
        withdrawal = clause_text(doc, "withdrawal")
        assert "Accordingly" not in withdrawal, name
        assert withdrawal.count("earliest Exit Date") == 1, name
        assert not re.search(r"\w+ \(\d+\) (months?|years?)", withdrawal), name


def commissioner_is_the_icb(la: LoadedAnswers) -> bool:
    d = la.answers.context()["derived"]
    return (not la.answers.head_contract and not d["nhs_england_commissions"] and bool(d["icb_names"])
            and "reporting" in {c.id for c in built(la, "collaboration_agreement").clauses})


@pytest.mark.parametrize("name,loaded", where(commissioner_is_the_icb), **IDS)
def test_reporting_calls_the_commissioner_by_its_defined_term(name: str, loaded: LoadedAnswers) -> None:
    text = clause_text(doc_of(name), "reporting")
    for icb in loaded.answers.context()["derived"]["icb_names"]:
        assert icb not in text, name
    assert "keeps the Commissioner informed of its plans and progress" in text, name
    assert "This sub-clause covers" not in text and "This sub-clause never" not in text, name


# --------------------------------------------------------------------------- 4 (F5)


@pytest.mark.parametrize("name,loaded", where(lambda la: la.answers.context()["derived"]["mou_replaced"]),
                         **IDS)
def test_the_agreement_states_the_memorandums_hand_over_points(name: str, loaded: LoadedAnswers) -> None:
    doc = doc_of(name)
    term = clause_text(doc, "commencement-term")
    signing = number(doc, "conditions-precedent.signing")
    assert ("from the day on which its provisions on confidentiality, data protection and disputes "
            f"(clauses {number(doc, 'confidentiality-foi')}") in term, name
    assert (f"take effect between the Members under clause {signing}, which may be before the Operative "
            "Date, those provisions apply instead of the equivalent provisions of that memorandum, for "
            "information disclosed, data shared and disputes arising from that day") in term, name
    assert "every other provision of this Agreement replaces that memorandum from the Operative Date" in term
    entire = clause_text(doc, "boilerplate")
    assert (f"the memorandum of understanding between the Members only as clause "
            f"{number(doc, 'commencement-term.memorandum')} provides (its provisions on confidentiality, "
            "data protection and disputes from the day they take effect, every other provision from the "
            "Operative Date)") in entire, name


def test_the_hand_over_is_covered() -> None:
    assert {"mou-then-agreement", "mou-then-fixed"} <= {
        n for n, la in sets() if la.answers.context()["derived"]["mou_replaced"]}


# --------------------------------------------------------------------------- 5 (F8)


@pytest.mark.parametrize("name,loaded", sets(), **IDS)
def test_conditions_precedent_cover_authority(name: str, loaded: LoadedAnswers) -> None:
    doc = doc_of(name)
    cp = clause_text(doc, "conditions-precedent")
    assert "authority under its member's scheme of delegation to sign subject to that condition" in \
        note_of(doc, "conditions-precedent"), name
    vehicle = loaded.answers.governance.vehicle
    if vehicle == "partnership_board" and "governance-board" in {c.id for c in doc.clauses}:
        assert ("each Voting Member has given the others written confirmation that its Representative "
                "has the authority under its own scheme of delegation, updated where needed") in cp, name
    elif vehicle in ("committees_in_common", "joint_committee"):
        assert "has updated its scheme of delegation accordingly" in cp, name


# --------------------------------------------------------------------------- 6 (C6)


@pytest.mark.parametrize("name,loaded", where(lambda la: any(
    len(p["members"]) == 2 for p in la.answers.joint_posts())), **IDS)
def test_a_joint_post_between_two_members_names_the_other(name: str, loaded: LoadedAnswers) -> None:
    text = clause_text(doc_of(name), "staffing")
    # round 23: the joint post is recited by reference to the members' own arrangement
    assert "the joint appointment arrangement between those two Members dated [●], which this " \
        "Agreement does not vary" in text, name
    assert "shared between them" not in text, name


def test_joint_posts_are_covered() -> None:
    assert "shared-leadership-committees-observer" in {
        n for n, la in sets() if any(len(p["members"]) == 2 for p in la.answers.joint_posts())}
