"""A healthcare partner's round-12 reading of the MOUs and the opening clauses (findings EF1.1
to EF1.6, C2.11 and D2.9), as rules over many answer sets: the examples, the scenario sets,
variations of them and generated collaboratives. Each test reads the text a lawyer reads.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import MOU_ONLY, changed, clause_text, flat
from tests.test_review_round5_mou import MERSEY
from tests.test_review_round6_data import every_document, files, generated
from tests.test_review_round9_law import answer_sets, checklist
from tests.test_review_round11b_words import KINDS
from tests.test_review_round11c_mou import all_sets as mou_sets
from tests.test_review_round11c_mou import has_is, hub, mou, pooled
from tests.review_sets import ALL

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


@lru_cache(maxsize=None)
def every_set() -> tuple[tuple[str, LoadedAnswers], ...]:
    """The examples and scenarios, generated agreements and MOUs, and the MOU variations."""
    found = dict(files(ALL))
    for name, loaded in [*generated(), *answer_sets("mou", limit=20), *mou_sets()]:
        found.setdefault(name, loaded)
    return tuple(found.items())


@lru_cache(maxsize=None)
def drafted() -> tuple[tuple[str, LoadedAnswers, Document], ...]:
    return tuple(every_document(list(every_set()), (*KINDS, "data_sharing")))


def kinds_of(loaded: LoadedAnswers) -> set[str]:
    return {m.kind for m in loaded.answers.members if m.member_class != "observer"}


def definition(document: Document, term: str) -> str:
    text = " ".join(clause_text(document, "definitions").split())
    start = text.find(f"“{term}” means")
    if start < 0:
        return ""
    end = text.find("“", start + len(term) + 3)
    return text[start:end if end > 0 else None]


# ------------------------------------------------------ 1. (EF1.1) no promise to share capacity


def test_purpose_promises_no_exchange_of_capacity_that_competition_law_restricts() -> None:
    seen = 0
    for name, loaded, doc in drafted():
        if doc.kind in ("collaboration_agreement", "mou") and has_is(loaded):
            text = " ".join(clause_text(doc, cid) for cid in
                            ("purpose-objectives", "background", "principles"))
            assert "sharing capacity" not in text, name
            if "at scale" in text:
                seen += 1
                # round 13: joint planning is its own sentence, only on the Hub's information
                assert "plan the use of their capacity together only on" in text, name
                assert "allows" in text or "Information Hub" in text, name
    assert seen >= 2


# -------------------------------------------- 2. (EF1.2) alternatives are never side by side


def test_no_document_offers_two_bracketed_alternatives_side_by_side() -> None:
    offered = 0
    for name, _loaded, doc in drafted():
        text = flat(doc)
        assert "][" not in text, (name, text[max(0, text.find("][") - 80):text.find("][") + 80])
        offered += "[delete one]" in text
    assert offered >= 1


def test_the_mersey_chair_turn_is_offered_with_delete_one() -> None:
    text = clause_text(mou(changed(MERSEY)), "mou-governance")
    # round 13 (D5): figures. Round 13c (E1.4): the clause states the answered period in
    # brackets and the drafting note offers the alternative; no "[delete one]" in the clause.
    assert re.search(r"for \[\d+\] months each", text)
    assert "[delete one]" not in text


# ---------------------------------------------- 3. (EF1.3) payment period and an in-house hub


@pytest.mark.parametrize("name,loaded", [s for s in mou_sets() if pooled(s[1]) or hub(s[1])],
                         **IDS)
def test_mou_invoices_are_paid_in_thirty_days_and_an_in_house_hub_is_recharged_at_cost(
        name: str, loaded: LoadedAnswers) -> None:
    doc = mou(loaded)
    costs = " ".join(clause_text(doc, "mou-costs").split())
    assert "payment terms that the Members agree" not in costs, name
    days = f"{loaded.answers.commissioning.partner_payment_days} days"  # round 13: figures
    assert f"within {days} after receiving a valid invoice" in costs, name
    assert f"{days} after a valid invoice is received" in checklist(doc), name
    if hub(loaded):
        assert "provided by a team of a Member's own staff" in costs, name
        assert "at cost and without profit" in costs or "at cost, without profit" in costs, name


# ------------------------------------------ 4. (EF1.4, C2.11) definitions name kinds present


def test_member_board_and_triple_aim_name_only_the_kinds_of_member_present() -> None:
    boards = aims = 0
    for name, loaded, doc in drafted():
        kinds = kinds_of(loaded)
        board, aim = definition(doc, "Member Board"), definition(doc, "Triple Aim")
        if board:
            boards += 1
            assert ("NHS trust or" in board or board.endswith("NHS trust;")
                    or "that is an NHS trust" in board) == ("nhs_trust" in kinds), name
            assert ("NHS foundation trust" in board) == ("nhs_foundation_trust" in kinds), name
            assert ("a company" in board) == ("independent_sector" in kinds), name
            assert "equivalent governing body of any other Member" in board, name
        if aim and kinds & {"nhs_trust", "nhs_foundation_trust"}:
            aims += 1
            assert ("section 26A" in aim) == ("nhs_trust" in kinds), name
            assert ("section 63A" in aim) == ("nhs_foundation_trust" in kinds), name
    assert boards >= 5 and aims >= 5


# ----------------------------------------------------- 5. (EF1.5, EF1.6) MOU drafting points


@pytest.mark.parametrize("name,loaded", list(mou_sets()), **IDS)
def test_mou_reports_review_substitution_and_joining(name: str, loaded: LoadedAnswers) -> None:
    doc = mou(loaded)
    governance = clause_text(doc, "mou-governance")
    review = clause_text(doc, "mou-review")
    assert "at least after each meeting" not in governance, name
    assert "neither its Representative nor the deputy" not in governance, name
    assert "the collaboration's" not in governance, name
    assert "by signing a copy" not in review, name
    # round 13: the joining letter is the defined "Letter of Adherence"
    assert "Letter of Adherence" in review and "countersigned for every Member" in review, name
    assert re.search(r"every (three|six) months", review), name
    if "mou-governance.conflicts" in doc.targets and "Representative" in clause_text(
            doc, "definitions"):
        assert "takes no part in an item under clause" in definition(doc, "Representative"), name


def test_a_twelve_month_memorandum_reviewed_quarterly_has_no_extra_review_limb() -> None:
    review = clause_text(mou(changed(MERSEY)), "mou-review")
    assert "every three months" in review
    # round 13c (E1.3): the survival list speaks of costs committed "before this memorandum
    # ends"; the review sub-clause itself has no extra limb
    assert "at least once before this memorandum ends" not in review
    assert not re.search(r"reviews the work under this memorandum[^.]*before this memorandum ends",
                         review)


def test_the_steering_group_is_the_advisory_group_the_members_chose() -> None:
    advisory = changed(MOU_ONLY, governance={"vehicle": "advisory_group"})
    table = flat(mou(advisory))
    assert "is the advisory group the Members chose: no authority is delegated to it" in table
