"""The round-11b review of the finance, membership and information clauses, as rules over many
answer sets.

Each test drafts the collaboration agreements, sub-contracts and accession deeds of the bundled
examples, the scenario answer sets, variations of them and generated collaboratives, and reads
the words a lawyer would read. The ids are the review's (A1.5: report A, document 1, finding 5).
"""

from __future__ import annotations

import re

from functools import lru_cache

from drafting.model import Document
from drafting.read.conditions import money
from drafting.read.load import LoadedAnswers
from tests.review_sets import WEST
from tests.test_money_review import schedule
from tests.test_partner_review import (ALL, DOMINANT, JOINT, NORTH_EAST, SHARED, changed,
                                       clause_text, flat)
from tests.test_review_round6_data import every_document, files, generated

Drafted = list[tuple[str, LoadedAnswers, Document]]
KINDS = ("collaboration_agreement", "sub_contract", "accession_deed", "committee_terms", "mou")


@lru_cache(maxsize=None)
def answer_sets() -> tuple[tuple[str, LoadedAnswers], ...]:
    """The examples, the scenarios, generated collaboratives and variations that reach the
    rules below (a capped several liability, committees in common and a joint committee with a
    host member, full open book between competing trusts)."""
    sets = files(ALL) + generated()
    sets.append(("dominant-several-cap", changed(
        DOMINANT, finance={"liability": "several_with_cap"})))
    sets.append(("north-east-several-cap", changed(
        NORTH_EAST, finance={"liability": "several_with_cap"})))
    sets.append(("shared-running-costs", changed(
        SHARED, finance={"model": "running_costs", "running_cost_split": "equal"})))
    sets.append(("joint-running-costs", changed(
        JOINT, finance={"model": "running_costs", "running_cost_split": "equal"})))
    sets.append(("west-full-open-book", changed(WEST, finance={"open_book": "full"})))
    return tuple(sets)


@lru_cache(maxsize=None)
def drafted() -> Drafted:
    return every_document(list(answer_sets()), KINDS)


def of_kind(kind: str) -> Drafted:
    return [d for d in drafted() if d[2].kind == kind]


# --------------------------------------------------------------- 1. part year: annual sums only


def test_the_part_year_rule_reduces_only_annual_sums_and_never_a_per_decision_limit() -> None:
    seen = 0
    for label, loaded, doc in of_kind("collaboration_agreement"):
        text = clause_text(doc, "finance")
        # round 11: finance v13 states one part-year formula for any period shorter than a full
        # Contract Year (first, last, joining, leaving), by days over that year's days
        if "applies an annual figure to a period shorter than a full Contract Year" not in text:
            continue
        seen += 1
        assert "every sum or limit" not in text, label
        assert "every annual sum or total that this Agreement sets" in text, label
        assert "It never reduces a figure agreed for the actual period" in text, label
        board = clause_text(doc, "governance-board")
        if "a limit for each decision, not a total for the year" in board:
            number = doc.targets["governance-board.limit"].number
            # round 13: finance v15 is the one statement that a per-decision limit is never
            # reduced, citing the Board's limit by number
            assert (f"It never reduces a limit for each decision, such as the limit that "
                    f"clause {number} sets.") in text, label
    assert seen >= 8


# --------------------------------------------------------------- 2. A1.5 the covenant class


def test_the_fixed_running_cost_sum_rule_names_the_class_not_a_party() -> None:
    seen = 0
    for label, loaded, doc in of_kind("collaboration_agreement"):
        text = clause_text(doc, "finance")
        if "fixed sum that" not in text:
            continue
        seen += 1
        # round 18: the fixed sum is settled before the Annual Budget
        assert "The fixed sum that a Covenant Member approves in advance" in text, label
        for member in loaded.answers.members:
            assert f"fixed sum that {member.name}" not in text, (label, member.name)
        assert "A Covenant Member never bears more than the fixed sum it has approved." in text
    assert seen >= 2


# --------------------------------------------------------------- 3. B2.1 the covenant cap figure


def test_the_covenant_cap_row_is_filled_from_the_liability_caps_where_they_exist() -> None:
    seen = {True: 0, False: 0}
    for label, loaded, doc in of_kind("collaboration_agreement"):
        a = loaded.answers
        covenant = [m for m in a.members if m.banking_covenants]
        if not covenant or "financial-framework" not in [s.id for s in doc.schedules]:
            continue
        several = a.finance.liability == "several_with_cap"
        seen[several] += 1
        lines = [ln.split(" | ") for ln in schedule(doc, "financial-framework").splitlines()]
        note = next(s.note or "" for s in doc.schedules if s.id == "financial-framework")
        for m in covenant:
            row = next(r for r in lines if r[0].strip() == m.name and "total liability" in
                       " ".join(r).lower())
            cap = a.liability_caps().get(m.id) if several else None
            if cap is not None:
                assert row[1].strip() == money(cap), (label, row)
            else:
                assert row[1].strip() == "[£●]", (label, row)
        if not several:
            assert "Only a liability cap answered as a multiple of annual contract value gives a " \
                "figure" in note, label
    assert seen[True] >= 1 and seen[False] >= 1, seen


# --------------------------------------------------------------- 4. the Board commits no money


def test_committees_never_commit_a_members_money_or_take_back_a_withdrawal() -> None:
    seen = {"host-member": 0, "withdrawal": 0}
    for label, loaded, doc in of_kind("collaboration_agreement"):
        if loaded.answers.governance.vehicle not in ("committees_in_common", "joint_committee"):
            continue
        host = clause_text(doc, "host-member")
        if host:
            seen["host-member"] += 1
            assert "the Board authorises in writing" not in host, label
            assert "or the Member Boards approve on the Board's recommendation" in host, label
        leave = clause_text(doc, "withdrawal")
        if leave:
            seen["withdrawal"] += 1
            assert "withdrawn only with the agreement of the Board." not in leave, label
            # round 12: each other Voting Member where a member has no vote (D2.6)
            assert re.search(r"withdrawn only with the agreement of the Member Board of each other "
                             r"(Voting )?Member\. Each gives or refuses it on the recommendation of "
                             r"the Board\.", leave), label
    assert seen["host-member"] >= 2 and seen["withdrawal"] >= 3, seen


# --------------------------------------------------------------- 5. joint exercise, own committee


def test_the_words_of_delegation_follow_the_vehicle() -> None:
    seen = {"joint_committee": 0, "committees_in_common": 0}
    for label, loaded, doc in of_kind("collaboration_agreement") + of_kind("committee_terms"):
        vehicle = loaded.answers.governance.vehicle
        if vehicle not in seen:
            continue
        seen[vehicle] += 1
        status = clause_text(doc, "status")
        reporting = clause_text(doc, "reporting")
        variation = clause_text(doc, "variation")
        assert "delegates functions to the Board" not in status, label
        assert "variation that changes the matters delegated to the Board" not in variation, label
        if vehicle == "joint_committee":
            if doc.kind == "collaboration_agreement":
                assert "arranges for functions to be exercised jointly by the Board" in status
                assert "changes the functions exercised jointly by the Board" in variation
            if reporting:
                assert ("functions the Member Board has arranged to be exercised jointly by the "
                        "Board") in reporting, label
        else:
            if doc.kind == "collaboration_agreement":
                assert "delegates functions only to its own committee" in status, label
                assert "the matters each Member delegates to its own committee" in variation
            if reporting:
                assert "functions the Member Board has delegated to its own committee" in reporting
    assert all(n >= 2 for n in seen.values()), seen


# --------------------------------------------------------------- 6. E2.6 notes of other variants


def test_the_competing_nhs_trusts_note_prints_only_for_its_variant() -> None:
    seen = {True: 0, False: 0}
    for label, loaded, doc in drafted():
        clause = next((c for c in doc.clauses if c.id == "competition-information-barrier"), None)
        if clause is None:
            continue
        a = loaded.answers
        applies = not any(m.kind == "independent_sector" for m in a.members) \
            and a.finance.open_book == "full"
        seen[applies] += 1
        assert ("Where only NHS trusts are members but they compete" in (clause.note or "")) \
            == applies, label
    assert seen[True] >= 1 and seen[False] >= 3, seen


# --------------------------------------------------------------- 7. A3.1 the deed's attachment


def test_the_deed_attaches_the_commercially_sensitive_list_it_mentions() -> None:
    seen = 0
    for label, _loaded, doc in of_kind("accession_deed"):
        seen += 1
        text = clause_text(doc, "confidentiality-foi")
        assert "is attached to this deed" not in text, label
        found = [s for s in doc.schedules if s.id == "commercially-sensitive"]
        assert found, label
        assert (f"list of Commercially Sensitive Information, if it has one, is set out in "
                f"{found[0].number}.") in text, (label, found[0].number, text[-300:])
        table = schedule(doc, "commercially-sensitive")
        assert "Information | Period | Reasons" in table, label
    assert seen >= 3


# --------------------------------------------------------------- 8. B1.7, B2.9 not "joins"


def test_a_sub_contract_is_signed_not_joined() -> None:
    seen = 0
    for label, _loaded, doc in of_kind("sub_contract"):
        text = flat(doc)
        if "Commercially Sensitive Information” means" not in text:
            continue
        seen += 1
        assert "signs or joins this Sub-Contract" not in text, label
        # round 12 (B1.5): one list of Commercially Sensitive Information per member per pack,
        # the agreement's schedule, which the sub-contract cites instead of keeping its own.
        cited = re.search(r"“Commercially Sensitive Information” means the information that is "
                          r"Commercially Sensitive Information as defined in the Collaboration "
                          r"Agreement( \(including the list in Schedule \d+ \(Commercially "
                          r"Sensitive Information\) of that agreement[^)]*\))?, as that definition "
                          r"stands from time to time", text)
        assert cited or ("when it signs this Sub-Contract, or later with the other party's "
                         "agreement" in text), label
    assert seen >= 3
