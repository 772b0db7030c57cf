"""Round 22: the partner reads of the joint-committee collaboration agreement and the sub-contract.

A Member that leaves part-way through a Contract Year has its share of the Surplus or Deficit
worked out on a reconciliation made up to its Exit Date, against the part of the Shared Control
Total the Annual Budget profiles for that period, and settled at the year end; the others share the
rest of the year without it. A sum a Member holds for reinvestment does not stay frozen: what is
not spent or committed within 12 months, or when the Member leaves or the agreement ends, is
released to it. In a sub-contract, the duties that serve the conditions precedent bind on signing.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.conditions import percent
from drafting.read.load import LoadedAnswers
from drafting.write.text import write_text
from tests.test_partner_review import clause_text
from tests.test_review_round5_mou import built, library
from tests.test_review_round6_gov import ids_of, sets_of

AGREEMENTS = sets_of("collaboration_agreement", 30)
BY_NAME = {n: la for n, la in AGREEMENTS}
SUB_CONTRACTING = sets_of("sub_contracts", 12)


@lru_cache(maxsize=None)
def agreement(name: str) -> Document:
    return built(BY_NAME[name], "collaboration_agreement")


def words(text: str) -> str:
    return " ".join(text.split())


def checklist(document: Document) -> str:
    return words(document.clauses[0].note or "")


def test_the_sets_reach_every_case() -> None:
    cases = {(la.answers.finance.model, la.answers.finance.surplus) for n, la in AGREEMENTS
             if "exit-consequences.settlement" in agreement(n).targets}
    assert ("shared_control_total", "split") in cases, cases
    assert ("shared_control_total", "reinvest") in cases, cases
    assert any(model == "lead_holds_budget" for model, _ in cases), cases


class TestTheExitDateReconciliation:
    """JC CA M1: a leaver's part-year share is measured to its Exit Date, not apportioned from
    the whole year, and the others share the rest of the year against a reduced control total."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_settlement(self, name: str, loaded: LoadedAnswers) -> None:
        document = agreement(name)
        if "exit-consequences.settlement" not in document.targets:
            return
        text = words(clause_text(document, "exit-consequences"))
        measure = document.targets["risk-gain-share.measure"].number
        part_year = document.targets["finance.part-year"].number
        assert ("worked out on an exit-date reconciliation: a reconciliation made in the same way "
                f"as the year-end reconciliation under clause {measure}, but for the part of that "
                "year up to the Exit Date only") in text, name
        assert "What happens after the Exit Date does not change the Leaving Member's share" in text
        assert "the year-end reconciliation settles the two parts of the year separately" in text
        assert "with every annual figure apportioned to that part under clause" not in text, name
        sct = loaded.answers.finance.model == "shared_control_total"
        assert ("as the Annual Budget profiles the Shared Control Total across the year (or, where "
                f"it gives no profile, apportioned under clause {part_year})" in text) == sct, name
        assert ("measured against the Shared Control Total less the Leaving Member's part of it "
                "for the rest of the year" in text) == sct, name
        capped = loaded.answers.finance.deficit == "capped"
        assert ("with every annual figure, including each loss cap, apportioned" in text) == capped


class TestTheReinvestedSurplus:
    """JC CA M2: a Member's reinvestment balance has an end rule, and Gain Share names the share
    the balancing payments use."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_release(self, name: str, loaded: LoadedAnswers) -> None:
        document = agreement(name)
        if "risk-gain-share.no-fund" not in document.targets:
            return
        f = loaded.answers.finance
        text = words(clause_text(document, "risk-gain-share"))
        surplus = document.targets["risk-gain-share.surplus"].number
        held = f.surplus in ("reinvest", "split")
        if loaded.answers.lead is not None:
            # round 24: with a Lead Provider the reinvested part stays with it, and what is not
            # spent within 12 months is reinvested the next year, never released to a Member
            assert ("The part of a Surplus held for reinvestment is held by the Lead Provider"
                    in text) == held, name
            assert "is released to the Member holding it" not in text, name
            return
        assert ("to the extent that it has not been spent, or committed by a contract, on a "
                f"priority approved under clause {surplus} within 12 months after the year-end "
                "reconciliation that shows the Surplus is issued" in text) == held, name
        assert ("It is also released to that Member when that Member leaves the Collaborative or "
                "this Agreement ends" in text) == held, name
        assert ("a surplus held for reinvestment released to the member holding it if not spent "
                "or committed on an approved priority within 12 months"
                in checklist(document)) == held, name
        if f.surplus == "split":
            assert "A Surplus or a Deficit is shared by balancing payments" in text, name
            defined = words(write_text(document))
            assert ("“Gain Share” means the percentage of any Surplus due to a Member under "
                    "clause "
                    in defined), name
            assert ("of its share of a Surplus, a Member keeps part as its distribution and holds "
                    "the rest for reinvestment" in defined), name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_lead_held_surplus_keeps_its_own_rule(self, name: str,
                                                   loaded: LoadedAnswers) -> None:
        document = agreement(name)
        if loaded.answers.finance.model != "lead_holds_budget":
            return
        assert "A sum held for reinvestment is released" not in words(write_text(document)), name


def sub_contracts(loaded: LoadedAnswers) -> list[Document]:
    return [build_document(library(), loaded, p.kind, p.partner_id)
            for p in plan(loaded.answers) if p.kind == "sub_contract"]


class TestTheConditionsInASubContract:
    """LP SC M1: the Lead Provider's duty to seek consent, and its confirmation of the evidence,
    bind while the conditions are pending, and both parties work towards them."""

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_on_signing(self, name: str, loaded: LoadedAnswers) -> None:
        for contract in sub_contracts(loaded):
            if "conditions-precedent.signing" not in contract.targets:
                continue
            text = words(clause_text(contract, "conditions-precedent"))
            consents = contract.targets["flow-down.consents"].number
            schedule = contract.targets["sched:sc-commencement"].number
            assert (f"take effect when this Sub-Contract has been signed by both parties, and so "
                    f"do clause {consents} and Part A of {schedule}, which serve the Conditions "
                    "Precedent.") in text, name
            assert ("Each party does what is reasonably within its control to meet the Conditions "
                    "Precedent that concern it as soon as it can, and tells the other promptly "
                    "when each is met or if it believes one will not be met by the Long-Stop "
                    "Date.") in text, name
            consent_text = words(clause_text(contract, "flow-down"))
            assert "The Lead Provider asks the Commissioner for it promptly" in consent_text
            assert contract.targets["flow-down.consents"].number.startswith(
                contract.targets["flow-down"].number + "."), name


def test_the_sub_contract_sets_reach_the_conditions() -> None:
    assert any("conditions-precedent.signing" in c.targets
               for _, la in SUB_CONTRACTING for c in sub_contracts(la))


class TestTheLaterReads:
    """The SHOULD findings of the same reads that round 22 also fixes."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_chair_is_appointed_and_engaged_by_the_voting_members(
            self, name: str, loaded: LoadedAnswers) -> None:
        """JC CA M1 (second read): the first Chair is appointed before the Board can decide, so
        the Voting Members decide in writing, and the Board's list of decisions leaves the
        Chair's terms to them."""
        document = agreement(name)
        text = words(write_text(document))
        if "governance-board.chair-decisions" not in document.targets:
            return
        first = document.targets["governance-board.chair"].number
        last = document.targets["governance-board.chair-nominee"].number
        assert (f"Each decision, approval or notice of the Voting Members under clauses {first} "
                f"to {last} is given by each Voting Member in writing, signed by a person whom "
                "its scheme of delegation") in text, name
        assert ("may be given before the Operative Date" in text) == (
            "conditions-precedent" in document.targets), name
        assert "the terms of the contract with the independent Chair, approved as" not in text
        assert "on the terms the Board approves as clause" not in text, name
        if "host-member" in document.targets and loaded.answers.governance.chair == "independent":
            contract = document.targets["governance-board.chair-contract"].number
            assert ("it enters into the contract with the independent chair of the Board on the "
                    f"terms approved under clause {contract};") in text, name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_expulsion_and_the_exit_plan(self, name: str, loaded: LoadedAnswers) -> None:
        """JC CA S6, S7: who expels and gives notice; the exit plan follows the operative
        clauses."""
        document = agreement(name)
        text = words(write_text(document))
        assert "The Members may expel" not in text, name
        assert "the other Members give it notice" not in text, name
        if loaded.answers.membership.expulsion_grounds:
            vote = document.targets["expulsion.vote"].number
            assert (f'A Member (the "member concerned") may be expelled from the Collaborative, by '
                    f"the decision that clause {vote} provides, if:") in text, name
        assert "the Board confirms the date on which it leaves" not in text, name
        assert "data is returned or securely deleted" not in text, name
        information = document.targets["exit-consequences.information"].number
        assert (f"information is returned, destroyed or kept as clause {information} provides "
                "(so that records of care are kept under the Records Management Code of "
                "Practice)") in text, name
        start = "Operative Date" if "conditions-precedent" in document.targets else \
            "Commencement Date"
        assert f"Exit Plan from this outline within three months after the {start}" in text, name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_a_council_takes_part_in_the_joint_exercise(self, name: str,
                                                       loaded: LoadedAnswers) -> None:
        """JC CA S10: under section 65Z5(1)(b) a council does exercise the trusts' functions
        jointly with them; only its own functions are not exercised jointly."""
        document = agreement(name)
        text = words(write_text(document))
        assert "no function is exercised jointly:" not in text.lower(), name
        assert "exercises no function jointly" not in text, name
        assert "no function of its being exercised jointly" not in text, name
        if loaded.answers.governance.vehicle == "joint_committee" and any(
                m.kind == "local_authority" and m.member_class != "observer"
                for m in loaded.answers.members):
            assert "own functions is exercised jointly:" in text, name


class TestTheSubContractEvidence:
    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_dspt_evidence(self, name: str, loaded: LoadedAnswers) -> None:
        """LP SC S6: the evidence before Personal Data flows is of the DSPT standard the data
        protection clause requires; only a local authority may show an equivalent standard."""
        kinds = {m.id: m.kind for m in loaded.answers.members}
        for part in plan(loaded.answers):
            if part.kind != "sub_contract":
                continue
            contract = build_document(library(), loaded, part.kind, part.partner_id)
            text = words(write_text(contract))
            assert "DSPT (or an equivalent standard)" not in text, name
            if "evidence that it meets the standard of the DSPT" not in text:
                continue
            council = kinds[part.partner_id] == "local_authority"
            assert ("(or, if as a local authority it is not required to complete the DSPT, "
                    "security arrangements of an equivalent standard)" in text) == council, name
            if "data-protection.dspt" in contract.targets:
                dspt = contract.targets["data-protection.dspt"].number
                assert f"the standard of the DSPT that clause {dspt} requires" in text, name

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_no_answer_key_in_the_notes(self, name: str, loaded: LoadedAnswers) -> None:
        for contract in sub_contracts(loaded):
            notes = " ".join(c.note or "" for c in contract.clauses)
            assert "finance.liability" not in notes, name


@pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
def test_the_checklist_lists_only_the_agreements_own_periods(name: str,
                                                               loaded: LoadedAnswers) -> None:
    """JC CA notes: the joint controllers' seven days are in the data sharing agreement when
    there is one, so the agreement's checklist does not list them against its own clause."""
    document = agreement(name)
    text = words(write_text(document))
    listed = "for the other joint controllers to give the help needed" in checklist(document)
    assert listed == ("the others give it the help it needs within 7 days" in text
                      or "the others give it the help it needs within seven days" in text), name


class TestTheThirdReads:
    """The MUST findings of the third reads of the joint-committee agreement and its terms of
    reference, and of the lead-provider agreement."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_a_council_that_joins_later_can_be_admitted(self, name: str,
                                                        loaded: LoadedAnswers) -> None:
        document = agreement(name)
        councils = any(m.kind == "local_authority" for m in loaded.answers.members)
        if loaded.answers.governance.vehicle != "joint_committee" or \
                "joining" not in document.targets or not councils:
            return
        text = words(clause_text(document, "joining"))
        assert ("(or, for a local authority, none of whose own functions is exercised jointly, "
                "approved taking part in the joint committee under section 65Z5(1)(b) of the "
                "NHS Act by an executive decision under its constitution)") in text, name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_a_councils_own_functions_have_two_routes(self, name: str,
                                                      loaded: LoadedAnswers) -> None:
        text = words(clause_text(agreement(name), "governance-board"))
        if "own functions is exercised jointly:" in text:
            assert ("Care Act 2014 are exercised only through an agreement under section 75 of "
                    "the NHS Act or by its own executive.") in text or \
                "or by their own executive." in text, name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_one_order_of_precedence_in_both_documents(self, name: str,
                                                       loaded: LoadedAnswers) -> None:
        document = agreement(name)
        if "interpretation.sub-contracts" not in document.targets:
            return
        text = words(clause_text(document, "interpretation"))
        assert ("the other provisions of this Agreement, and any other document referred to in, "
                "but not set out in, the sub-contract; and the sub-contract's Particulars, which "
                "only summarise its other clauses and its schedules.") in text, name
        for contract in sub_contracts(loaded):
            own = words(clause_text(contract, "interpretation"))
            particulars = contract.targets["sc-particulars"].number
            assert (f"any other document referred to in, but not set out in, this Sub-Contract; "
                    f"and clause {particulars} (Particulars), which only summarises") in own, name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_no_notifiable_incident_waits_for_a_business_day(self, name: str,
                                                             loaded: LoadedAnswers) -> None:
        text = words(clause_text(agreement(name), "interpretation"))
        assert ("except notifying or reporting a patient-safety incident or any other "
                "Notifiable Incident or a personal data breach, which must be done within the "
                "period whatever the day") in text, name


class TestTheLastReads:
    """The MUST findings of the later reads of the MOU-then-agreement collaboration agreement,
    the shared-leadership agreement and the BDCT sub-contract."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_host_is_never_left_unfunded(self, name: str, loaded: LoadedAnswers) -> None:
        document = agreement(name)
        text = words(write_text(document))
        assert "or the Board authorises in writing" not in text or \
            loaded.answers.finance.model == "no_pooling", name
        finance = words(clause_text(document, "finance"))
        if "without its written agreement" in finance:
            assert ("without its written agreement, except for the increase in its share that "
                    "this clause provides for when another Member leaves") in finance, name
            if "host-member" in document.targets:
                costs = document.targets["host-member.costs"].number
                assert (", and for its share of a liability that the Host Member properly "
                        f"incurs in its role, which is shared as clause {costs} provides.") \
                    in finance, name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_pseudonymisation_gives_way_to_the_gateways(self, name: str,
                                                        loaded: LoadedAnswers) -> None:
        document = agreement(name)
        if "data-protection.minimum" not in document.targets or \
                loaded.answers.data.kinds != "pseudonymised":
            return
        text = words(clause_text(document, "data-protection"))
        gateway = document.targets["data-protection.gateway"].number
        assert (f"in pseudonymised form, except where clause {gateway} allows data that "
                "identifies a patient to be shared for that purpose (such as in a mandated "
                "return or in sharing that a legal duty requires") in text, name
        assert ("or with support under section 251 of the NHS Act)" in text) == (
            loaded.answers.data.legal_gateway == "s251"), name

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_a_suspension_keeps_the_patients_in_care(self, name: str,
                                                     loaded: LoadedAnswers) -> None:
        mental_health = loaded.answers.collaborative.kind == "specialised_mental_health"
        for part in plan(loaded.answers):
            if part.kind != "sub_contract":
                continue
            contract = build_document(library(), loaded, part.kind, part.partner_id)
            if "sc-term-termination.suspension-patients" not in contract.targets:
                continue
            block = loaded.answers.sub_contract_terms[part.partner_id].payment_basis == "block"
            text = words(clause_text(contract, "sc-term-termination"))
            continuing = contract.targets["sc-term-termination.suspension-patients"].number
            assert ("A suspension stops new referrals and admissions to the suspended services."
                    in text), name
            assert ("goes on caring for each patient already in its care under the suspended "
                    "services until that care can be transferred safely") in text, name
            # round 23: one rule for continuing care on every payment basis
            unit = contract.targets["sc-payment.continuing-care"].number
            assert f"and the Lead Provider pays for that care as clause {unit} provides." \
                in text, name
            payment = words(clause_text(contract, "sc-payment"))
            if block:
                assert ("the block price of that service is not due for that care. It is paid "
                        "instead for each unit of activity delivered") in payment, name
            else:
                assert ("that care is paid for separately from the monthly instalments, for "
                        "each unit of activity delivered") in payment, name
            exit_ = words(clause_text(contract, "exit-consequences"))
            assert f"(for that continuing care, as clause {unit} provides)" in exit_, name
            assert (f"During a suspension, apart from the care that continues under clause "
                    f"{continuing}, the Lead Provider continues to pay") in text, name
            assert ("with the consent of the Secretary of State for Justice" in text) == \
                mental_health, name

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_verification_is_also_the_dispute_notice(self, name: str,
                                                     loaded: LoadedAnswers) -> None:
        for contract in sub_contracts(loaded):
            text = words(clause_text(contract, "sc-payment"))
            if "may have its share of a Deficit checked" not in text:
                continue
            assert "Within 14 days after the year-end reconciliation" in text, name
            assert "Within 28 days after the year-end reconciliation" not in text, name
            assert ("A notice requiring verification is also the Sub-Contractor's notice, given "
                    "in time, that it disputes its share under clause") in text, name
            assert "14 days for the partner to ask for the year-end reconciliation to be " \
                "verified" in checklist(contract), name


def test_the_last_reads_reach_their_cases() -> None:
    contracts = [c for _, la in SUB_CONTRACTING for c in sub_contracts(la)]
    assert any("sc-term-termination.suspension-patients" in c.targets for c in contracts)
    assert any("sc-payment.continuing-care" in c.targets for c in contracts)
    assert any("may have its share of a Deficit checked" in words(clause_text(c, "sc-payment"))
               for c in contracts)
    assert any(la.answers.data.kinds == "pseudonymised" and "data-protection.minimum" in
               agreement(n).targets for n, la in AGREEMENTS)


@pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
def test_running_cost_shares_after_a_covenant_members_fixed_sum(name: str,
                                                               loaded: LoadedAnswers) -> None:
    """LP CA (confirming read) M1: a Covenant Member pays a fixed sum, so the others pay the rest
    in their own shares recalculated without it; the agreement states those shares, which add
    up to 100%, and keeps the share of the whole for reference only."""
    derived = loaded.answers.context()["derived"]
    after = derived["running_cost_shares_after_fixed_sums"]
    shares = derived["running_cost_shares"]
    payers = [m for m in loaded.answers.members if m.member_class != "observer"]
    fixed = [m for m in payers if m.banking_covenants]
    if not fixed or shares is None or loaded.answers.finance.model == "no_pooling":
        assert after is None, name
        return
    assert set(after) == {m.id for m in payers if not m.banking_covenants}, name
    assert abs(sum(after.values()) - 100) < 0.05, (name, after)
    document = agreement(name)
    text = words(clause_text(document, "finance"))
    schedule = words(write_text(document))
    for m in payers:
        if m.banking_covenants:
            continue
        assert (f"{m.name}: {percent(after[m.id])} of the Running Costs that remain after the "
                "fixed sum of ") in text, name
        assert (f"({percent(shares[m.id])} of the whole, before that sum)" in text) == \
            (len(fixed) == 1), name
        table = schedule.find("| Share of the running costs |")
        if table < 0:
            continue
        row = schedule[schedule.find(f" {m.name} | ", table):][:200]
        assert f"| {percent(after[m.id])} of what remains after the fixed sum" in row, (name, row)


def test_the_covenant_running_cost_case_is_reached() -> None:
    assert any(la.answers.context()["derived"]["running_cost_shares_after_fixed_sums"]
               for _, la in AGREEMENTS)
