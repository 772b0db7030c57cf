"""A healthcare partner's second reading of the MOUs (round 11c: findings E1, E2 and F1), as
rules over many answer sets: the scenario and example MOUs, variations of them and generated
collaboratives. Each test reads the text a lawyer reads (clauses, schedules, drafting notes).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pytest

from drafting.model import Document, Table, plain
from drafting.read.answers import add_months
from drafting.read.load import LoadedAnswers
from drafting.write.text import write_text
from tests.test_partner_review import MOU_ONLY, MOU_THEN, changed, clause_text
from tests.test_review_round5_mou import MERSEY, built
from tests.test_review_round7_mou import mou_sets

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def extra_sets() -> list[tuple[str, LoadedAnswers]]:
    """MOU sets whose answers reach the branches the findings concern: pooled running costs,
    section 251 for identifiable data used for other purposes, and a late-starting MOU."""
    return [
        ("mou-only-pooled", changed(MOU_ONLY, finance={"model": "running_costs",
                                                       "running_cost_split": "equal"})),
        ("mou-then-s251-identifiable", changed(MOU_THEN, data={"kinds": "identifiable_commissioning"})),
        ("mersey-pooled", changed(MERSEY, finance={"model": "running_costs",
                                                   "running_cost_split": "equal"})),
    ]


@lru_cache(maxsize=None)
def all_sets() -> list[tuple[str, LoadedAnswers]]:
    return [*mou_sets(), *extra_sets()]


def mou(loaded: LoadedAnswers) -> Document:
    return built(loaded, "mou")


def checklist(doc: Document) -> str:
    return " ".join((doc.clauses[0].note or "").split())


def workplan_rows(doc: Document) -> list[tuple[str, dt.date]]:
    """(step, target date) of each row of the workplan schedule, in the order printed."""
    schedules = {k[6:]: v.number for k, v in doc.targets.items() if k.startswith("sched:")}
    sched = next(s for s in doc.schedules if s.id == "mou-workplan")
    rows = []
    for block in sched.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                step, _owner, when = (plain(c, doc.targets, schedules) for c in row)
                rows.append((step, dt.datetime.strptime(when.strip(), "%d %B %Y").date()))
    return rows


def pooled(loaded: LoadedAnswers) -> bool:
    return loaded.answers.finance.model != "no_pooling"


def has_is(loaded: LoadedAnswers) -> bool:
    return any(m.kind == "independent_sector" for m in loaded.answers.members)


def observed(loaded: LoadedAnswers) -> bool:
    return any(m.member_class == "observer" for m in loaded.answers.members)


def hub(loaded: LoadedAnswers) -> bool:
    a = loaded.answers
    return has_is(loaded) and a.competition.information_barrier in ("hub", "clean_team")


# --------------------------------------------------------------------------- 1 (E1.2)


class TestLeaverAndContributions:
    @pytest.mark.parametrize("name,loaded", [s for s in all_sets() if pooled(s[1])], **IDS)
    def test_a_leaver_pays_until_its_withdrawal_takes_effect_and_contributions_are_called(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        costs = clause_text(doc, "mou-costs")
        review = clause_text(doc, "mou-review")
        assert "committed when it gave notice" not in costs, name
        assert "pays its share of the costs committed until its withdrawal takes effect" in costs
        assert "committed before it gave notice" not in review, name
        # round 13c (E1.3): the one survival list says "committed before it leaves" (its
        # withdrawal taking effect), never "before it gave notice"
        assert ("committed until its withdrawal takes effect" in review
                or "shared cost committed before it leaves" in review), name
        assert "calls each Member's contribution by invoice at the start of each quarter" in costs
        # round 12 (mou-costs v12): a stated payment period replaces "terms the Members agree".
        assert "pays the invoice within" in costs and "after receiving a valid invoice" in costs, name
        assert "before it signs this memorandum" not in costs, name
        assert "Each Member confirms that it has approved its share of the budget" in costs, name


# --------------------------------------------------------------------------- 2 (E2.1)


class TestEveryBlankIsMarked:
    @pytest.mark.parametrize("name,loaded", all_sets(), **IDS)
    def test_no_bare_money_blank_and_the_proposal_is_on_the_checklist(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        text = write_text(doc)
        assert not re.search(r"(?<!\[)£●", text), name
        if hub(loaded) and not pooled(loaded):
            number = doc.targets["mou-costs"].number
            assert "up to a total of [£●]]" in clause_text(doc, "mou-costs"), name
            assert re.search(rf"clause {number}\b", checklist(doc)), name


# --------------------------------------------------------------------------- 3 (E2.2)


class TestABoughtServiceHasAContractingMember:
    @pytest.mark.parametrize("name,loaded", [s for s in all_sets() if hub(s[1])], **IDS)
    def test_one_member_contracts_pays_and_recharges(self, name: str,
                                                      loaded: LoadedAnswers) -> None:
        costs = clause_text(mou(loaded), "mou-costs")
        if pooled(loaded):
            assert "enters into the contracts for the work under this memorandum" in costs, name
            assert "pays them from the budget" in costs, name
        else:
            # round 12 (mou-costs v12): a supplier's contract or a Member's own team, recharged
            # at cost and paid within the pack's payment period
            assert "[●] (the contracting Member) enters into the contract" in costs, name
            assert "recharges each other Member its agreed share" in costs, name
            assert "after receiving a valid invoice" in costs, name


# --------------------------------------------------------------------------- 4 (E1.3)


class TestObserverSignsOnlyWhatChangesItsOwnPosition:
    @pytest.mark.parametrize("name,loaded", [s for s in all_sets() if observed(s[1])],
                             **IDS)
    def test_variation_and_extension(self, name: str, loaded: LoadedAnswers) -> None:
        review = clause_text(mou(loaded), "mou-review")
        assert "a variation of a provision that binds an Observer" not in review, name
        assert ("A variation also needs the signature of an Observer only if it changes that "
                "Observer's own obligations or rights") in review, name
        assert "extends the period for which this memorandum continues" in review, name
        assert "needs no Observer's signature" in review, name


# --------------------------------------------------------------------------- 5 (E2.4)


class TestEthicalStandardsBindACommercialMember:
    @pytest.mark.parametrize("name,loaded", [
        s for s in all_sets() if has_is(s[1])
        or any(m.kind == "vcse" for m in s[1].answers.members)], **IDS)
    def test_bribery_counter_fraud_and_speaking_up_are_binding(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        standards = clause_text(doc, "ethical-standards")
        assert "public money" not in standards, name
        assert "each party must comply with the Bribery Act 2010" in standards, name
        assert "each party must co-operate with the NHS Counter Fraud Authority" in standards
        assert "each party must have arrangements for its staff to speak up" in standards, name
        if not loaded.answers.mou_binding:
            number = doc.targets["ethical-standards.mou-standards"].number
            assert (f"clause {number} (anti-bribery, counter-fraud and speaking up)"
                    in clause_text(doc, "status")), name


# --------------------------------------------------------------------------- 6 (E1.5, E2.7, F1.1)


class TestTheWorkplanRunsInOrder:
    @pytest.mark.parametrize("name,loaded", all_sets(), **IDS)
    def test_dates_sorted_logical_order_lead_time_and_report_after(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        rows = workplan_rows(doc)
        dates = [d for _, d in rows]
        assert dates == sorted(dates), name
        start = loaded.answers.mou_start or loaded.answers.collaborative.commencement_date
        assert min(dates) >= add_months(start, 1), name

        def when(words: str) -> dt.date:
            return next(d for s, d in rows if s.startswith(words))

        order = ["Agree the scope and clinical model", "Agree the governance model",
                 "Agree the data flows", "Complete the data protection impact assessment",
                 "Apply for support under section 251", "Prepare the Collaboration Agreement",
                 "Sign the Collaboration Agreement"]  # round 14: the approval row
        present = [w for w in order if any(s.startswith(w) for s, _ in rows)]
        assert [when(w) for w in present] == sorted(when(w) for w in present), name
        reports = [d for s, d in rows if s.startswith("Report to each Member Board")]
        for report in reports:
            assert all(d < report for s, d in rows
                       if not s.startswith(("Report to each", "Prepare the Collaboration"))), name
        schedule_text = " ".join(s for s, _ in rows)
        assert " so the sharing that relies on it starts after" not in schedule_text, name
        achievable = loaded.answers.mou_timetable["achievable"]
        assert ("timetable not achievable" in checklist(doc)) == (not achievable), name

    def test_a_late_memorandum_is_flagged(self) -> None:
        from drafting.read.load import load_answers
        loaded = load_answers(MOU_THEN)
        assert not loaded.answers.mou_timetable["achievable"]
        assert "timetable not achievable" in checklist(mou(loaded))


# --------------------------------------------------------------------------- 7 (F1.2)


class TestSection251OnlyForIdentifiableDataForOtherPurposes:
    @pytest.mark.parametrize("name,loaded", [s for s in all_sets() if s[1].answers.mou_replaced],
                             **IDS)
    def test_the_step_appears_only_where_section_251_can_apply(
            self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        rows = workplan_rows(mou(loaded))
        step = any("section 251" in s for s, _ in rows)
        expected = (a.data.kinds == "identifiable_commissioning"
                    and a.data.legal_gateway == "s251")
        assert step == expected, name


# --------------------------------------------------------------------------- 8 (F1.3)


class TestTheUnspentBalanceInShortSentences:
    @pytest.mark.parametrize("name,loaded", [s for s in all_sets() if pooled(s[1])], **IDS)
    def test_no_run_on_sentence_about_the_balance(self, name: str,
                                                  loaded: LoadedAnswers) -> None:
        costs = clause_text(mou(loaded), "mou-costs")
        for sentence in re.split(r"(?<=\.) ", costs):
            if "unspent balance" in sentence or "part of the balance" in sentence:
                assert len(sentence.split()) <= 60, (name, sentence)
        assert "except that a Member that never becomes a party" not in costs, name


# --------------------------------------------------------------------------- 9 (E2.5)


class TestCompanyParties:
    @pytest.mark.parametrize("name,loaded", [s for s in all_sets() if has_is(s[1])],
                             **IDS)
    def test_full_statutory_description_and_authority_note(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        parties = [" ".join(plain(p.inlines, doc.targets, {}).split()) for p in doc.parties]
        for m in loaded.answers.members:
            if m.kind == "independent_sector":
                line = next(p for p in parties if m.name.upper() in p)
                assert ", a company incorporated in England and Wales (company number " in line
                assert "whose registered office is at" in line, name
        execution = next(c for c in doc.clauses if c.id == "execution")
        note = " ".join((execution.note or "").split())
        below = [m for m in loaded.answers.members if m.kind in ("independent_sector", "vcse")
                 and m.signatory and m.signatory.role.lower().strip() in ("hospital director",)]
        for m in below:
            assert "ask the company for evidence of it" in note and m.signatory.name in note
