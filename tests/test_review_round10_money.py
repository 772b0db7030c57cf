"""A healthcare partner's tenth review of the money clauses, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
collaboration agreements (and, where the rule reaches them, the sub-contracts) of the bundled
examples, the scenario answer sets, variations of them and generated collaboratives as
`drafting lint` drafts them, and reads the text a lawyer would read. The ids are the review's
(report, document, finding).
"""

from __future__ import annotations

import re

import pytest
import yaml

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, JOINT, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round9_board import checklist
from tests.test_review_round9_money import agreements

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def context(loaded: LoadedAnswers) -> dict:
    return loaded.answers.context()


# --------------------------------------------------------------------------- 1 (A1.6)


def lead_commissions_by_value() -> list[tuple[str, LoadedAnswers]]:
    """Agreements where the lead commissions and some figure follows contract values."""
    extra = [
        ("dominant-pro-rata-running", changed(DOMINANT, finance={"running_cost_split": "pro_rata"})),
        ("dominant-no-pooling-fee", changed(DOMINANT, finance={"model": "no_pooling"})),
    ]
    out = []
    for name, la in agreements(extra, 120):
        a = la.answers
        if a.governance.model == "lead_provider" and a.commissioning.lead_commissions:
            out.append((name, la))
    return out


class TestA16LeadsDecisionsNeverMoveContractValues:
    @pytest.mark.parametrize("name,loaded", lead_commissions_by_value(), **IDS)
    def test_values_are_fixed_for_the_minimum_term_then_rebased_without_the_lead(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        finance = clause_text(doc, "finance")
        if "contract-values" not in {k.split(".", 1)[-1] for k in doc.targets if k.startswith("finance.")}:
            # no figure follows contract values: nothing is re-based
            assert "re-based" not in finance, name
            return
        assert "re-based for each later Contract Year from the figure" not in finance, name
        assert "on which the Lead Provider is not entitled to vote" in finance, name
        end = context(loaded)["derived"]["minimum_term_end"]
        if end:
            assert re.search(r"until \d{1,2} \w+ \d{4} they are not re-based", finance), name

    def test_the_checklist_lists_the_fixed_values(self) -> None:
        loaded = changed(DOMINANT, finance={"running_cost_split": "pro_rata"})
        text = checklist(built(loaded, "collaboration_agreement"))
        assert ("fixed until 31 March 2029 (the end of the minimum term) and after that re-based "
                "only by a board decision on which the lead provider does not vote") in text

    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements(None, 60)
        if la.answers.governance.voting == "weighted"
        and la.answers.governance.vehicle != "advisory_group"
        and la.answers.governance.weight_basis == "contract_value"], **IDS)
    def test_contract_value_weights_follow_the_rebasing_rule(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        finance = clause_text(doc, "finance")
        number = doc.targets["voting.reweight"].number
        assert f"the voting weights are recalculated from them under clause {number}" in finance, name


# --------------------------------------------------------------------------- 2 (A1.7)


class TestA17RecoveryPlanNeverSuspendsSharing:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements([
            ("joint", changed(JOINT, finance={"model": "shared_control_total"})),
            ("shared-budget", changed(SHARED, finance={"model": "shared_control_total"}))], 80)
        if la.answers.finance.model in ("shared_control_total", "lead_holds_budget")], **IDS)
    def test_sharing_follows_the_rule_while_a_plan_runs(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(built(loaded, "collaboration_agreement"), "risk-gain-share")
        assert "recovery plan" in text, name
        assert "before any Deficit is shared" not in text, name
        assert ("it does not suspend, delay or change the sharing of a Deficit, which is shared "
                "under this clause whether or not a plan has been agreed or carried out") in text, name


# --------------------------------------------------------------------------- 3 (A1.8)


def lead_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [
        ("dominant-split", changed(DOMINANT, finance={"surplus": "split", "surplus_reinvest_percent": 50})),
        ("dominant-no-pooling", changed(DOMINANT, finance={"model": "no_pooling"})),
    ]
    return [(n, la) for n, la in agreements(extra, 120) if la.answers.governance.model == "lead_provider"]


class TestA18FundsTheLeadHoldsMoveToASuccessor:
    @pytest.mark.parametrize("name,loaded", lead_sets(), **IDS)
    def test_every_pot_the_lead_holds_moves_with_the_head_contract(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        successor = clause_text(doc, "successor-lead-provider")
        f = loaded.answers.finance
        assert ("transfers to the Successor Lead Provider, with the Head Contract, every sum it "
                "holds for the collaboration and not as its own") in successor, name
        assert "may not keep them or set anything off against them" in successor, name
        assert ("the part of the budget for the Services" in successor) == (f.model == "lead_holds_budget"), name
        assert ("contributions to the Running Costs" in successor) == (f.model != "no_pooling"), name
        held = f.model == "lead_holds_budget" and f.surplus in ("reinvest", "split")
        assert ("any Surplus, or part of one, that it holds for reinvestment" in successor) == held, name
        if held:
            number = doc.targets["successor-lead-provider.funds"].number
            sharing = clause_text(doc, "risk-gain-share")
            assert (f"moves with the Head Contract to any Successor Lead Provider, as clause "
                    f"{number} provides") in sharing, name


# --------------------------------------------------------------------------- 4 (A1.10, B2)


def two_covenant_members(**changes) -> LoadedAnswers:
    """The lead-provider scenario with a second independent-sector partner under covenants."""
    data = yaml.safe_load(DOMINANT.read_text(encoding="utf-8"))
    cygnet = next(m for m in data["members"] if m["id"] == "cygnet")
    data["members"].insert(3, dict(cygnet, id="priory", name="Priory Healthcare Limited",
                                   company_number="01234567", annual_contract_value=5000000))
    data["sub_contract_terms"]["priory"] = data["sub_contract_terms"]["cygnet"]
    return changed(DOMINANT, members=data["members"], sub_contract_terms=data["sub_contract_terms"],
                   **changes)


def covenant_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [("dominant-two-covenants", two_covenant_members()),
             ("dominant-two-covenants-no-pooling", two_covenant_members(finance={"model": "no_pooling"}))]
    return [(n, la) for n, la in agreements(extra, 160)
            if any(m.banking_covenants for m in la.answers.members)]


def schedule_rows(doc, title_word: str) -> list[list[str]]:
    from drafting.model import Table
    rows = []
    for schedule in doc.schedules:
        for block in schedule.blocks:
            if isinstance(block, Table) and title_word in str(block.rows[0]):
                rows.append(block)
    return rows


class TestA110OneCovenantRowPerCovenantMember:
    @pytest.mark.parametrize("name,loaded", covenant_sets(), **IDS)
    def test_each_covenant_member_has_its_own_row_and_the_clause_cites_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        a = loaded.answers
        clause = clause_text(doc, "banking-covenants")
        assert "[£●]" not in clause, name
        text = flat(doc)
        cap = a.finance.liability != "several_with_cap"
        floor = a.finance.model != "no_pooling"
        if not (cap or floor):
            return
        number = doc.targets["sched:financial-framework"].number
        if cap:
            assert f"its covenant cap, which is shown in its row of {number}" in clause, name
        if floor:
            assert f"not less than the floor shown in its row of {number}" in clause, name
        covenant = [m.name for m in a.members if m.banking_covenants]
        heading = "Covenant cap a year" if cap else "Running-cost floor a year"
        after = text[text.index(heading):]
        for member in covenant:
            assert re.search(re.escape(member) + r" (\S+ ){0,1}\[£●\]", after) or \
                re.search(re.escape(member) + r" \[£●\]", after), (name, member)

    @pytest.mark.parametrize("name,loaded", [("dominant", changed(DOMINANT)),
                                             ("dominant-two-covenants", two_covenant_members())], **IDS)
    def test_the_sub_contract_says_where_its_cap_is_shown(self, name: str, loaded: LoadedAnswers) -> None:
        from drafting.build.pack import plan
        from tests.test_partner_review import build_document, library
        for part in plan(loaded.answers):
            if part.kind != "sub_contract":
                continue
            doc = build_document(library(), loaded, part.kind, part.partner_id)
            text = clause_text(doc, "banking-covenants")
            member = next(m for m in loaded.answers.members if m.id == part.partner_id)
            if member.banking_covenants:
                # round 12 (banking-covenants v11): the cap is stated only in the liability
                # clause, which says where the cap is shown; the covenant clause cites it
                cap = doc.targets["liability-insurance.covenant-cap"].number
                # round 13 (banking-covenants v12): the own-breach sub-clause cites the cap
                assert f"as clause {cap} provides" in text, (name, part.partner_id)
                assert re.search(r"shown as its covenant cap in its row of Schedule \d+ "
                                 r"\(Financial framework\) of the Collaboration Agreement",
                                 clause_text(doc, "liability-insurance")), (name, part.partner_id)


# --------------------------------------------------------------------------- 5 (D1.3, D1.8)


class TestD13OneContractValueBasis:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements([("joint", changed(JOINT))], 80)
        if la.answers.governance.model != "lead_provider"], **IDS)
    def test_every_member_is_measured_on_one_basis(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = flat(doc)
        if "“Annual Contract Value” means" not in text:
            return
        definition = text[text.index("“Annual Contract Value” means"):][:600]
        assert "contracts with its commissioners" not in definition, name
        assert "for a local authority" not in definition, name
        assert ("the annual value of the services that a Member provides or arranges within the "
                "Services, measured on that one basis for every Member") in definition, name


class TestD18PartYearsProRateEveryAnnualFigure:
    @pytest.mark.parametrize("name,loaded", agreements([("joint", changed(JOINT))], 80), **IDS)
    def test_one_formula_for_a_short_contract_year(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        finance = clause_text(doc, "finance")
        assert finance.count("shorter than 12 months") == 1, name  # round 13 (D5): numbers as figures
        # round 11c: one formula, days in the period over the days in that April-to-March year
        assert ("the full-year figure multiplied by the number of days in the period and divided by "
                "the number of days in the year from 1 April to 31 March") in finance, name
        assert "(31 March)" not in finance, name
        f = loaded.answers.finance
        if f.model in ("shared_control_total", "lead_holds_budget") and f.deficit == "capped":
            number = doc.targets["risk-gain-share.deficit"].number
            assert f"each Member's loss cap under clause {number}" in finance, name


# --------------------------------------------------------------------------- 6 (C1.12)


class TestC112AShortFirstYearBudgetRollsOverAtAFullYearsRate:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements([("shared", changed(SHARED))], 60)
        if la.answers.finance.model != "no_pooling"], **IDS)
    def test_the_rollover_annualises_a_short_first_year(self, name: str, loaded: LoadedAnswers) -> None:
        finance = clause_text(built(loaded, "collaboration_agreement"), "finance")
        start = loaded.answers.collaborative.commencement_date
        short = (start.month, start.day) != (4, 1)
        assert ("its Annual Budget continues into the second at the same rate for a full year"
                in finance) == short, name
