"""Round 14 findings on the money and staffing clauses of the collaboration agreement, as rules
of the clause library: the sharing formula adds up and has a worked example a reader can check,
a quarterly reconciliation is followed, the associate rule is stated once, a secondment names
its parties by defined terms, the checklist lists the answers the draft departs from, and the
checklist states periods in figures.

Each test drafts the agreements of the scenario sets, the examples and changed sets, and reads
the words a lawyer would read.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from drafting.build.checklist import in_figures
from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, NORTH_EAST, SHARED, SOUTH, WEST
from tests.test_money_review import schedule
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round9_law import checklist

SETS: dict[str, LoadedAnswers] = {}


def _sets() -> dict[str, LoadedAnswers]:
    if not SETS:
        for path in (DOMINANT, JOINT, SHARED, MOU_THEN, NORTH_EAST, WEST, SOUTH):
            loaded = load_answers(path)
            if "collaboration_agreement" in loaded.answers.documents:
                SETS[path.stem] = loaded
        SETS["joint-year-end"] = changed(JOINT, finance={"reconciliation": "year_end"})
        SETS["joint-pro-rata-deficit"] = changed(
            JOINT, finance={"deficit": "pro_rata", "loss_cap_percent": None})
        SETS["joint-equal"] = changed(
            JOINT, finance={"deficit": "equal", "loss_cap_percent": None,
                            "surplus": "distribute_pro_rata", "surplus_reinvest_percent": None})
        SETS["dominant-quarterly"] = changed(DOMINANT, finance={"reconciliation": "quarterly"})
        SETS["shared-host-staff"] = changed(SHARED, governance={"staffing": "secondment",
                                                                "managing_director": "seconded"})
        SETS["joint-criteria"] = changed(JOINT, membership={"joining": "criteria"})
        SETS["joint-not-approved"] = changed(JOINT, governance={"delegations_approved": False})
    return SETS


@lru_cache(maxsize=None)
def agreement(name: str) -> Document:
    return built(_sets()[name], "collaboration_agreement")


def names(test) -> list[str]:  # type: ignore[no-untyped-def]
    return [n for n, la in _sets().items() if test(la)]


def money(text: str) -> int:
    return int(text.replace("£", "").replace(",", ""))


def rows_after(text: str, heading: str) -> list[list[str]]:
    """The rows of the table that follows the paragraph starting with `heading`."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    rows = []
    for line in lines[start + 2:]:
        if " | " not in line:
            break
        rows.append([c.strip() for c in line.split(" | ")])
    return rows


# --------------------------------------------------------------------------- 1 the formula adds up


@pytest.mark.parametrize("name", names(lambda la: la.answers.context()["derived"]["risk_share"]))
def test_1_the_worked_example_shares_the_whole_amount(name: str) -> None:
    """The schedule's shares total 100%; each worked example's amounts add up to the whole
    Surplus or Deficit, every loss cap is respected, and the part above the caps is allocated."""
    loaded = _sets()[name]
    f = loaded.answers.finance
    doc = agreement(name)
    text = schedule(doc, "financial-framework")
    assert "Total | 100%" in text, name
    examples = 0
    if f.surplus in ("distribute_pro_rata", "split"):
        rows = rows_after(text, "Worked example (an illustration only, not a forecast): for a Surplus")
        body, total = rows[:-1], rows[-1]
        assert total[0] == "Total"
        assert sum(money(r[2]) for r in body) == money(total[2]), name
        examples += 1
    if f.deficit != "lead_bears":
        rows = rows_after(text, "Worked example (an illustration only, not a forecast): a Deficit")
        body, total = rows[:-1], rows[-1]
        deficit = money(total[-1])
        assert sum(money(r[-1]) for r in body) == deficit, name
        if f.deficit == "capped":
            caps = loaded.answers.context()["derived"]["loss_caps"]
            capped = [loaded.answers.members_by_id[i].name for i in caps]
            for row in body:
                if row[0] in capped:
                    cap = caps[next(i for i in caps if loaded.answers.members_by_id[i].name == row[0])]
                    assert money(row[-1]) <= cap, (name, row)
            assert any(r[0].startswith("Part above the loss caps") for r in body), name
            # the example makes a cap bite, so that the allocation above it is shown
            assert any(money(r[-2]) > money(r[-1]) for r in body if r[-2] != "–"), name
        examples += 1
    assert examples
    rgs = clause_text(doc, "risk-gain-share")
    assert "add up to 100%" in rgs, name
    assert re.search(r"set out in Schedule \d+, with a worked example\.", rgs), name


def test_1_the_part_above_the_caps_is_borne_in_full() -> None:
    text = clause_text(agreement(JOINT.stem), "risk-gain-share")
    assert "so that the whole Deficit is borne" in text


# --------------------------------------------------------------------------- 2 quarterly


@pytest.mark.parametrize("name", names(lambda la: la.answers.finance.model != "no_pooling"))
def test_2_the_reconciliation_follows_the_answered_period(name: str) -> None:
    loaded = _sets()[name]
    doc = agreement(name)
    finance = clause_text(doc, "finance")
    rgs = clause_text(doc, "risk-gain-share")
    listed = checklist(doc)
    if loaded.answers.finance.reconciliation == "quarterly":
        assert "reconciled every quarter of the Contract Year" in finance, name
        # round 15 (m15): a balance falls due on the certified reconciliation's issue, never on
        # a Board vote
        assert "paid on account within 30 days after that reconciliation is issued" in finance, name
        assert "forecast of the year-end position only" not in finance, name
        assert "settled only on this year-end reconciliation" not in rgs, name
        if rgs:
            assert "paid on account within 30 days after each quarterly reconciliation is " \
                   "issued" in rgs, name
        assert "ask for a quarterly reconciliation, but" not in listed, name
    else:
        assert "reconciled at the end of each Contract Year, within 2 months of its last day" \
            in finance, name
        assert "quarterly reconciliation" not in finance + rgs, name


# --------------------------------------------------------------------------- 3 associates once


@pytest.mark.parametrize("name", names(lambda la: any(
    m.member_class == "associate" and m.id in la.answers.context()["derived"]["risk_sharers"]
    for m in la.answers.members) and la.answers.context()["derived"]["risk_share"]))
def test_3_the_associate_rule_is_stated_once(name: str) -> None:
    doc = agreement(name)
    text = flat(doc)
    assert text.count("is bound by the Annual Budget for a Contract Year") == 1, name
    assert "it is outside the risk share" not in text, name
    finance = clause_text(doc, "finance")
    assert re.search(r"it pays no share of the Running Costs and takes no share of a "
                     r"(Surplus or )?Deficit under clause \d+", finance), name
    number = doc.targets["finance.associates"].number
    rgs = clause_text(doc, "risk-gain-share")
    assert f"for a Contract Year for which it is bound under clause {number}" in rgs, name


# --------------------------------------------------------------------------- 4 secondment


@pytest.mark.parametrize("name", names(lambda la: la.answers.governance.staffing == "secondment"
                                       or la.answers.governance.managing_director == "seconded"))
def test_4_a_secondment_names_its_parties(name: str) -> None:
    doc = agreement(name)
    text = clause_text(doc, "staffing")
    assert "Seconding Member" in text and "Receiving Member" in text, name
    assert "the Member that employs them" not in text, name
    assert "“Seconding Member” means the Member that employs an individual seconded" in flat(doc)
    assert re.search(r"“Receiving Member” means the Member to which an individual is seconded "
                     r"under clause [\d. or]+ to work for the Collaborative, which is the "
                     r"(Host Member|Lead Provider|Member that the Board names|Member that provides the secretariat of the Board)", flat(doc)), name


# --------------------------------------------------------------------------- 6 departures


def test_6_the_checklist_lists_the_answers_the_draft_departs_from() -> None:
    joint = checklist(agreement(JOINT.stem))
    assert "the joining clause: the answers admit a new member by a majority, but admitting" in joint
    assert "the intellectual property clause: the answers choose revenue sharing" in joint
    assert "the conditions precedent: the answers say the members' boards have approved the " \
           "delegations, but each board's approval" in joint
    assert "the joining clause: the answers admit a new member when it meets the joining " \
           "criteria, but admitting" in checklist(agreement("joint-criteria"))
    assert "have approved the delegations" not in checklist(agreement("joint-not-approved"))
    shared = checklist(agreement(SHARED.stem))
    assert "the answers choose the NHS intellectual property guidance" in shared
    # a unanimous joining rule is followed, so it is not listed
    assert "the joining clause" not in shared
    assert "the joining clause" not in checklist(agreement(DOMINANT.stem)) or \
        _sets()[DOMINANT.stem].answers.membership.joining != "unanimous"


# --------------------------------------------------------------------------- 7 figures


def test_7_periods_in_words_become_figures() -> None:
    assert in_figures("within twenty-eight days") == "within 28 days"
    assert in_figures("on four (4) months' notice") == "on 4 months' notice"
    assert in_figures("Seven days to agree, five business days") == "7 days to agree, 5 business days"
    assert in_figures("one of the members, two NHS members") == "one of the members, two NHS members"


@pytest.mark.parametrize("name", [JOINT.stem, SHARED.stem, DOMINANT.stem, MOU_THEN.stem])
def test_7_the_checklist_states_periods_in_figures(name: str) -> None:
    listed = checklist(agreement(name))
    assert listed
    words = re.findall(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                       r"fourteen|twenty[a-z-]*|thirty|sixty|ninety)(?: \(\d+\))? "
                       r"(?:business )?(?:days?|months?|years?|weeks?|hours?)\b", listed, re.I)
    assert not words, (name, words)
    assert "3 months' notice" in clause_text(agreement(JOINT.stem), "host-member")
