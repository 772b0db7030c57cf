"""A healthcare partner's ninth review of the money clauses, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
collaboration agreements of the bundled examples, the scenario answer sets, variations of them
and generated collaboratives as `drafting lint` drafts them, and reads the text a lawyer would
read. The ids are the review's (report, document, finding).
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import ALL, JOINT, changed, clause_text, flat
from tests.test_review_round5_mou import built, generated_of

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def agreements(extra: list[tuple[str, LoadedAnswers]] | None = None,
               generated: int = 40) -> list[tuple[str, LoadedAnswers]]:
    """Every answer set here that drafts a collaboration agreement."""
    sets = [(p.stem, load_answers(p)) for p in ALL] + (extra or [])
    sets += generated_of("collaboration_agreement", generated)
    return [(n, la) for n, la in sets if "collaboration_agreement" in la.answers.documents]


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;]) ", text)


# --------------------------------------------------------------------------- 1 (C1.7, D1.4, F2.3)


class TestC17OneInvoicingRouteForRunningCosts:
    @pytest.mark.parametrize("name,loaded", agreements([
        ("joint-running-costs", changed(JOINT, finance={"model": "running_costs"}))]), **IDS)
    def test_with_a_host_every_running_cost_goes_through_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        finance = clause_text(doc, "finance")
        ids = {c.id for c in doc.clauses}
        if loaded.answers.finance.model == "no_pooling":
            assert "incurs a cost on behalf of the others" not in finance, name
            return
        if "host-member" in ids:
            number = doc.targets["host-member.duties"].number
            assert "incurs a cost on behalf of the others" not in finance, name
            assert (f"The Running Costs are invoiced, held and paid only through the Host Member, "
                    f"as clause {number} provides") in finance, name
            assert "invoices each Member for its share of the Running Costs" in clause_text(
                doc, "host-member"), name
        elif "lead-provider-role" in ids:
            assert "The Lead Provider invoices each other Member" in finance, name
        else:
            assert "The Member that incurs a cost on behalf of the others invoices" in finance, name


# --------------------------------------------------------------------------- 2 (D1.4)


def council_agreements() -> list[tuple[str, LoadedAnswers]]:
    """Agreements whose shared finances take in a local authority, by each vehicle."""
    extra = [("joint-partnership-board", changed(JOINT, governance={"vehicle": "partnership_board", "non_executive_member": None, "committee_members": None}))]
    return [(n, la) for n, la in agreements(extra, 120)
            if la.answers.finance.model in ("shared_control_total", "lead_holds_budget")
            and any(m.kind == "local_authority" and m.member_class != "observer"
                    for m in la.answers.members)]


class TestD14OneStatementOnPoolingAndNoUnreachableFallback:
    @pytest.mark.parametrize("name,loaded", agreements([
        ("joint-partnership-board", changed(JOINT, governance={"vehicle": "partnership_board", "non_executive_member": None, "committee_members": None}))]),
        **IDS)
    def test_no_pooled_fund_is_never_said_beside_a_section_65z6_pooled_fund(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = " ".join(clause_text(doc, c.id) for c in doc.clauses)
        if "pooled fund established under section 65Z6" in text:
            assert "There is no pooled fund" not in text, name
        if "There is no pooled fund" in text:
            assert "65Z6" not in clause_text(doc, "finance"), name

    @pytest.mark.parametrize("name,loaded", council_agreements(), **IDS)
    def test_a_councils_share_has_no_case_before_its_section_75_agreement(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        assert "section-75" in {k.split(".")[-1] for k in doc.targets}, name
        words = " ".join(clause_text(doc, c.id) for c in doc.clauses)
        schedule = " ".join(flat(doc).split("Financial framework")[1:])
        for text in (words, schedule):
            assert "until then the other shares are recalculated" not in text, name
            assert "before it is in place" not in text, name
        share = clause_text(doc, "risk-gain-share") if "risk-gain-share" in {
            c.id for c in doc.clauses} else ""
        if "as a local authority" in share:
            number = doc.targets["conditions-precedent.section-75"].number
            assert re.search(r"is paid or received only from the date, and to the extent, of the "
                             r"agreement under section 75 of the NHS Act", share), name
            # round 12: the heads of terms are stated once, in the conditions precedent (D2.7)
            assert f"referred to in clause {number}." in share, name

    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements([
            ("north-east-no-hub", changed(JOINT, finance={"open_book": "hub_only"}))], 120)
        if la.answers.finance.open_book == "hub_only"
        and la.answers.finance.model == "shared_control_total"], **IDS)
    def test_under_hub_only_open_book_the_board_sees_only_aggregated_figures(
            self, name: str, loaded: LoadedAnswers) -> None:
        finance = clause_text(built(loaded, "collaboration_agreement"), "finance")
        if not hub(loaded):
            # round 11c (finance v13): hub-only open book without a hub names another route; the
            # Board still sees only aggregated figures (tests/test_review_round11_info.py)
            assert "independent person" not in finance, name
            assert_board_sees_aggregates_without_a_hub(loaded, finance, name)
            return
        assert "reports its income and expenditure on the Services to the Board" not in finance, name
        assert re.search(r"reports its income and expenditure on the Services every month, in the "
                         r"form the Board agrees, only to the Commissioning Hub", finance), name
        assert "combined position against the Shared Control Total in aggregated form" in finance, name


# --------------------------------------------------------------------------- 3 (F2.5, D1.12, A1.9, C1.13)


def by_value(loaded: LoadedAnswers) -> bool:
    """Whether a clause of the agreement works a figure out from the Annual Contract Values."""
    a = loaded.answers
    f = a.finance
    ids = {c.id for c in built(loaded, "collaboration_agreement").clauses}
    risk, lead = "risk-gain-share" in ids, "lead-provider-role" in ids
    weighted = a.governance.voting == "weighted" and a.governance.vehicle != "advisory_group"
    return bool((f.model != "no_pooling" and f.running_cost_split == "pro_rata")
                or (risk and (f.deficit in ("pro_rata", "capped")
                              or f.surplus in ("distribute_pro_rata", "split")))
                or f.liability == "several_with_cap"
                or (weighted and a.governance.weight_basis == "contract_value")
                or (lead and a.commissioning.management_fee.kind != "none"))


def definition(doc_text: str, term: str) -> str:
    found = re.search(rf"“{term}” means (.*?)(?= “|$)", doc_text)
    return found.group(1) if found else ""


class TestF25AnnualContractValueOnlyWhereUsedAndDefinedOnce:
    @pytest.mark.parametrize("name,loaded", agreements([
        ("joint-equal-running-costs", changed(JOINT, finance={
            "model": "running_costs", "running_cost_split": "equal"}))], 80), **IDS)
    def test_contract_values_are_shown_and_defined_only_where_a_clause_uses_them(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = flat(doc)
        if not by_value(loaded):
            assert "Annual Contract Value" not in text, name
            return
        meaning = definition(text, "Annual Contract Value")
        assert meaning, name
        ids = {c.id for c in doc.clauses}
        if "lead-provider-role" not in ids and any(
                m.kind == "local_authority" and m.member_class != "observer"
                for m in loaded.answers.members):
            # one basis for every member, a local authority included (round 10, D1.3)
            assert "measured on that one basis for every Member, a local authority included" \
                in meaning, name
        finance = clause_text(doc, "finance")
        assert "every share, cap and limit" not in finance, name
        if "cap" in finance.split("worked out from them")[0].rsplit("with the ", 1)[-1]:
            assert loaded.answers.finance.deficit == "capped", name
        if "risk-gain-share" in ids:
            assert "Annual Contract Value is the annual value" not in clause_text(
                doc, "risk-gain-share"), name

    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements(generated=80)
        if "lead-provider-role" in {c.id for c in built(la, "collaboration_agreement").clauses}
        and la.answers.commissioning.management_fee.kind != "none"], **IDS)
    def test_the_management_fee_is_stated_once_and_cited_elsewhere(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = flat(doc)
        number = doc.targets["lead-provider-role.fee"].number
        meaning = definition(text, "Management Fee")
        assert meaning.startswith("the fee that the Lead Provider may retain for its role, as set "
                                  f"out in clause {number}"), (name, meaning)
        assert not re.search(r"[%£]", meaning), (name, meaning)
        if "Management fee a year" in text:
            assert f"The Management Fee set out in clause {number} is shown below in pounds" in text


# --------------------------------------------------------------------------- 4 (A1.2)


class TestA12TheWeightsScheduleCarriesThePowerPosition:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements(generated=120)
        if la.answers.governance.voting == "weighted"
        and la.answers.governance.vehicle != "advisory_group"], **IDS)
    def test_who_can_block_or_carry_alone_is_stated_beside_the_weights(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        schedule = flat(doc).split("Voting weight", 1)[1]
        number = doc.targets["voting"].number
        power = re.search(r"(With these weights|With two Voting Members)(.*?)The weights, and this "
                          r"statement of who can carry or block a decision alone, are updated in "
                          rf"this Schedule whenever the weights change under clause {number}\.",
                          schedule)
        assert power, name
        weights = {m.name: m for m in loaded.answers.members}
        top = re.match(r" (.*?) holds (\d+(\.\d+)?)% of the voting weight", power.group(2))
        if top and float(top.group(2)) > 50:
            assert top.group(1) in weights, name
            assert "While any Voting Member holds more than half of the weight, it can block any " \
                   "decision on its own whenever it is present and entitled to vote, and a proposal " \
                   "it supports is carried if one other Voting Member also votes for it" in power.group(2)
        assert "its vote decides every proposal" not in schedule, name


# --------------------------------------------------------------------------- 5 (A1.6)


class TestA16TheLeadsOwnProvisionIsPricedOnANamedBasis:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements(generated=200)
        if "own-provision" in {k.split(".")[-1] for k in built(la, "collaboration_agreement").targets
                               if k.startswith("risk-gain-share.")}], **IDS)
    def test_different_partner_bases_price_the_lead_on_the_head_contract(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        share = clause_text(doc, "risk-gain-share")
        checklist = " ".join((doc.clauses[0].note or "").split())
        terms = loaded.answers.sub_contract_terms
        bases = {terms[p].payment_basis for p in terms}
        # round 23: an annual figure every Voting Member agrees, from the head contract's
        # prices where it gives them
        # round 24: stated without the reason in the operative text
        named = ("on the payment basis, and at the prices, that the Head Contract gives for those "
                 "services where it gives them, and not from the Lead Provider's actual costs")
        if len(bases) > 1:
            assert named in share, name
            assert "the lead provider's own provision priced at an annual figure every voting " \
                   "member agrees with the first annual budget" in checklist, name
            assert "the same payment basis, and the same price for the same service" not in share
        else:
            assert named not in share, name


# --------------------------------------------------------------------------- 6 (F2.7)


def hub(loaded: LoadedAnswers) -> bool:
    c = loaded.answers.commissioning
    return bool(c.lead_commissions and "commissioning_hub" in c.separation)


def assert_board_sees_aggregates_without_a_hub(loaded: LoadedAnswers, finance: str,
                                               name: str) -> None:
    """Round 11c: with no hub, an independent reconciliation auditor (an independent-sector
    member sits or members compete) or open book among the NHS members, a finance team
    aggregating; either way the Board receives the figures only aggregated."""
    a = loaded.answers
    if a.context()["derived"]["has_is_member"] or a.competition.information_barrier != "none":
        assert "(the reconciliation auditor), and to no other Member" in finance, name
        assert "to the Board only in aggregated form, from which no Member's costs, prices or "\
               "margins can be identified" in finance, name
        assert "The Members share its fees equally." in finance, name
        if a.finance.model == "shared_control_total":
            # the monthly monitoring goes through the auditor too, never member by member
            assert "reports its income and expenditure on the Services to the Board" \
                not in finance, name
            assert "only to the reconciliation auditor under clause" in finance, name  # round 13 (D5)
            assert "combined position against the Shared Control Total in aggregated form" \
                in finance, name
    else:
        # round 12 (finance v14, r12b): hub-only open book with no hub and no member that
        # competes makes one finance team the hub behind a written information barrier, never
        # open book between the Members; the Board still sees only aggregated figures
        assert "operate open-book accounting" not in finance, name
        team = r"the finance team of the (Host Member|Lead Provider|Member that the Board names|Member that provides the secretariat of the Board)"
        assert re.search(r"Each Member gives its cost, price and margin data for the Services "
                         r"\(its detailed costs, income, prices and margins\) only to " + team +
                         r", which receives them as the hub for that information and to no other "
                         r"Member\.", finance), name
        assert "keeps them behind a written information barrier" in finance, name
        assert "to the Board only in aggregated form, from which no Member's costs, prices or "\
               "margins can be identified" in finance, name
        if a.finance.model == "shared_control_total":
            # the monthly monitoring goes through that finance team, never member by member
            assert "reports its income and expenditure on the Services to the Board" \
                not in finance, name
            assert re.search(r"every month, in the form the Board agrees, only to " + team,
                             finance), name
            assert "combined position against the Shared Control Total in aggregated form" \
                in finance, name


class TestF27HubOnlyOpenBookWithoutAHubSaysWhyWhoAndWhoPays:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements([
            ("joint-hub-only", changed(JOINT, finance={"open_book": "hub_only"}))], 200)
        if la.answers.finance.open_book == "hub_only"], **IDS)
    def test_the_open_book_follows_the_hub(
            self, name: str, loaded: LoadedAnswers) -> None:
        # round 11: without a commissioning hub, hub-only open book no longer becomes a paid
        # independent reviewer; the answer is flagged and no detailed costs are exchanged
        # (tests/test_review_round11_info.py)
        doc = built(loaded, "collaboration_agreement")
        finance = clause_text(doc, "finance")
        note = " ".join((next(c.note for c in doc.clauses if c.id == "finance") or "").split())
        if hub(loaded):
            # round 12: the open-book rule covers cost, price and margin data only
            assert "gives its cost, price and margin data for the Services (its detailed " \
                   "costs, income, prices and margins) to the Commissioning Hub" in finance, name
            assert "independent person" not in note, name
            return
        assert "independent person or team" not in finance, name
        # round 11c (finance v13): the figures follow one named route without a hub
        assert_board_sees_aggregates_without_a_hub(loaded, finance, name)
        assert "but no hub is answered to receive the figures" in note, name


# --------------------------------------------------------------------------- 7 (F2.11)


class TestF211AnnualBudgetAndRunningCostsAreNotCircular:
    @pytest.mark.parametrize("name,loaded", agreements(generated=60), **IDS)
    def test_running_costs_are_not_defined_by_the_annual_budget(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = flat(built(loaded, "collaboration_agreement"))
        running = definition(text, "Running Costs")
        budget = definition(text, "Annual Budget")
        if running and budget:
            assert "Annual Budget" not in running, name
            assert "annual budget" not in running.lower(), name
