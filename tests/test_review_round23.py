"""Round 23: the partner reads of the BDCT sub-contract and the shared-leadership agreement.

A sub-contract's Service Commencement Date is the stated date or the later date on which its last
Condition Precedent is met, defined once; its last Condition Precedent waits only for the
collaboration agreement's conditions that concern the two parties, not another partner's; and
until the services start the Sub-Contractor goes on caring for the patients already in its care,
for the Lead Provider and paid for it. Reconfiguring a service, where the members reserve it, has
one objective test (regulation 23, or a service stopping at a member or a site), and a decision on
shared capacity or a shared pathway is reserved only where it meets that test.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.answers import _unit_volume
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text, flat
from tests.test_review_round5_mou import built, library
from tests.test_review_round6_gov import ids_of, sets_of

AGREEMENTS = sets_of("collaboration_agreement", 30)
SUB_CONTRACTING = sets_of("sub_contracts", 12)
TERMS = sets_of("committee_terms", 20)


@lru_cache(maxsize=None)
def agreement(name: str) -> Document:
    return built(dict(AGREEMENTS)[name], "collaboration_agreement")


@lru_cache(maxsize=None)
def sub_contracts(name: str) -> tuple[tuple[str, Document], ...]:
    loaded = dict(SUB_CONTRACTING)[name]
    return tuple((p.partner_id, build_document(library(), loaded, p.kind, p.partner_id))
                 for p in plan(loaded.answers) if p.kind == "sub_contract")


def words(text: str) -> str:
    return " ".join(text.split())


def checklist(document: Document) -> str:
    return words(document.clauses[0].note or "")


def number(document: Document, target: str) -> str:
    return document.targets[target].number


# --------------------------------------------------------------- the sub-contract's start date


class TestTheServiceCommencementDate:
    """BDCT SC M1: the start date is defined once, with the later date a late condition gives,
    and the definition, the commencement sub-clause, the Particulars and Schedule 1 agree."""

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_defined_once(self, name: str, loaded: LoadedAnswers) -> None:
        for partner, contract in sub_contracts(name):
            text = flat(contract)
            assert "“Service Commencement Date” means" in text, (name, partner)
            assert ("“Service Commencement Date” means the date from which the Sub-Contractor "
                    "provides the Sub-Contracted Services: ") in text, (name, partner)
            assert ("or, if the Conditions Precedent have not all been met or waived by then, the "
                    "date on which the last of them is met or waived") in text, (name, partner)
            commencement = words(clause_text(contract, "commencement-term"))
            assert ("The Sub-Contractor starts to provide the Sub-Contracted Services on the "
                    "Service Commencement Date.") in commencement, (name, partner)
            assert "if the Conditions Precedent have not all been met" not in commencement
            interim = number(contract, "conditions-precedent.interim-care")
            assert (f"already in its care only as clause {interim} provides") in commencement
            particulars = words(clause_text(contract, "sc-particulars"))
            assert ("(or the later date on which the last of the Conditions Precedent is met or "
                    "waived)") in particulars, (name, partner)
            assert ("Service Commencement Date | " in text
                    and ", or the later date on which the last of the Conditions Precedent is met "
                        "or waived Expiry Date | " in text), (name, partner)

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_interim_care(self, name: str, loaded: LoadedAnswers) -> None:
        for partner, contract in sub_contracts(name):
            text = words(clause_text(contract, "conditions-precedent"))
            assert ("the Sub-Contractor continues from that date, for the Lead Provider and "
                    "subject to any consent or direction of the Commissioner that the Head Contract "
                    "requires (which the Lead Provider seeks at once) and to the Law, the care of "
                    "each patient of the "
                    "Sub-Contracted Services who is then in its care, until it starts to provide "
                    "the Sub-Contracted Services or this Sub-Contract ends, whichever is "
                    "earlier") in text, (name, partner)
            continuing = number(contract, "sc-payment.continuing-care")
            assert ("Every provision of this Sub-Contract applies to that care from that date as "
                    "if it had taken effect, except that the Lead Provider pays for that care only "
                    f"for each unit of activity delivered, as clause {continuing} provides, and "
                    "that care is not the start of the Sub-Contracted Services.") in text
            long_stop = number(contract, "conditions-precedent.long-stop")
            patients = number(contract, "exit-consequences.patients")
            assert (f"If this Sub-Contract ends under clause {long_stop}, clause {patients} applies "
                    "to that care.") in text, (name, partner)
            assert ("the sub-contractor continuing the care of the patients already in its care, "
                    "paid by the unit of activity, if the conditions precedent are not all met "
                    "by") in checklist(contract)
            if "sc-contract-management.information-barrier" in contract.targets:
                barrier = number(contract, "sc-contract-management.information-barrier")
                assert f"So does the information barrier of clause {barrier}," in text
            assert (f"and until then clause {number(contract, 'conditions-precedent.interim-care')} "
                    "applies to the patients already in its care as if that condition had not been "
                    "met.") in text, (name, partner)
            assert ("and the last instalment of the period is adjusted so that the instalments of "
                    "the period add up to its reduced annual price") in flat(contract)

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_one_rule_for_continuing_care(self, name: str, loaded: LoadedAnswers) -> None:
        """Cygnet SC M2: interim, suspension and exit care are paid by one stated rate, and
        on a basis with a reconciliation the units so paid are not counted twice."""
        for partner, contract in sub_contracts(name):
            basis = loaded.answers.sub_contract_terms[partner].payment_basis
            text = words(clause_text(contract, "sc-payment"))
            interim = number(contract, "conditions-precedent.interim-care")
            suspension = number(contract, "sc-term-termination.suspension-patients")
            assert (f"(before the Service Commencement Date, as clause {interim} provides, during "
                    f"a suspension, as clause {suspension} provides, or after the Exit Date, as "
                    "clause") in text, (name, partner)
            assert (("at the unit price of that service in Schedule 3, Part A" in text)
                    == (basis == "cost_and_volume")), (name, partner)
            assert (("Units paid for in that way are not counted again as activity delivered at "
                     "the reconciliation.") in text) == (basis != "block"), (name, partner)
            continuing = number(contract, "sc-payment.continuing-care")
            termination = words(clause_text(contract, "sc-term-termination"))
            assert (f"the Lead Provider pays for that care as clause {continuing} provides."
                    in termination), (name, partner)
            leaving = words(clause_text(contract, "exit-consequences"))
            assert f"(for that continuing care, as clause {continuing} provides)" in leaving

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_the_barrier_follows_the_allocation_route(self, name: str,
                                                      loaded: LoadedAnswers) -> None:
        """Cygnet SC M1: the sub-contract's barrier lets the Lead Provider follow the
        agreement's own route for an allocation decision."""
        for partner, contract in sub_contracts(name):
            if "sc-contract-management.information-barrier" not in contract.targets:
                continue
            text = words(clause_text(contract, "sc-contract-management"))
            route = (loaded.answers.commissioning.lead_commissions
                     and "collaboration_agreement" in loaded.answers.documents
                     and "commissioning-separation" in agreement_ids(name))
            assert (("for an allocation decision (including the award, variation or ending of a "
                     "sub-contract), to those who take it or advise on it as clause") in text) \
                == bool(route), (name, partner)

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_last_condition_concerns_the_parties(self, name: str, loaded: LoadedAnswers) -> None:
        for partner, contract in sub_contracts(name):
            text = flat(contract)
            assert "the provisions of it that are subject to conditions have taken effect" \
                not in text, (name, partner)
            if "collaboration_agreement" not in loaded.answers.documents:
                continue
            assert ("have been met or waived as it provides so far as they concern the "
                    "Sub-Contractor or the Lead Provider. A condition that concerns only another "
                    "Member, such as another Member's sub-contract, registration or cover, does "
                    "not hold up this Sub-Contract.") in text, (name, partner)


class TestTheSubContractShoulds:
    """BDCT SC S1-S8: the suspension, exit plan, activity change, flow-down and drafting fixes."""

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_suspension_until_decided(self, name: str, loaded: LoadedAnswers) -> None:
        for partner, contract in sub_contracts(name):
            if "sc-term-termination.suspension-limit" not in contract.targets:
                continue
            text = words(clause_text(contract, "sc-term-termination"))
            review = number(contract, "sc-term-termination.suspension-review")
            payment = number(contract, "sc-term-termination.suspension-payment")
            assert ("While a question so referred is being decided, at whatever step of that "
                    "procedure, the suspension continues only for so long as the Lead Provider, at "
                    f"each review under clause {review}, gives the Sub-Contractor written evidence "
                    "that patients would still be at risk of serious harm if it ended, and "
                    f"otherwise it ends; the payment under clause {payment} continues while it "
                    "lasts.") in text, (name, partner)
            assert "within the time limits of that procedure" not in text

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_exit_plan_fallback(self, name: str, loaded: LoadedAnswers) -> None:
        for partner, contract in sub_contracts(name):
            text = words(clause_text(contract, "exit-consequences"))
            disputes = number(contract, "dispute-resolution")
            assert ("If no Exit Plan is agreed by then, the exit arrangements in Schedule 2, Part I "
                    "are the Exit Plan, and any step they leave open is one that the Lead Provider "
                    "proposes in writing, acting reasonably, which applies unless the "
                    f"Sub-Contractor refers it under clause {disputes} within 14 days") in text
            information = number(contract, "exit-consequences.information")
            full = flat(contract)
            assert f"returned or securely destroyed as clause {information} provides" in full
            assert "as the Lead Provider directs, except records" not in full, (name, partner)

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_activity_change_is_an_allocation(self, name: str, loaded: LoadedAnswers) -> None:
        for partner, contract in sub_contracts(name):
            text = words(clause_text(contract, "sc-services"))
            agreed = "collaboration_agreement" in loaded.answers.documents
            separated = agreed and "commissioning-separation" in agreement_ids(name)
            assert ("Such a change is an allocation decision, taken as clause" in text) \
                == separated, (name, partner)
            if separated and "provider-selection.modifications" in contract.targets:
                modifications = number(contract, "provider-selection.modifications")
                assert f"and is made only as clause {modifications} allows." in text

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_flow_down_carve_out(self, name: str, loaded: LoadedAnswers) -> None:
        for partner, contract in sub_contracts(name):
            text = flat(contract)
            if "flow-down" not in contract.targets:
                continue
            assert ("assignment and sub-contracting, confidentiality, data protection and the "
                    "processing of Personal Data, or complaints, which this Sub-Contract deals "
                    "with itself") in text, (name, partner)
            rights = words(clause_text(contract, "flow-down"))
            if loaded.answers.head_contract.commissioner == "NHS England":
                assert "gives the Commissioner (NHS England) and the CQC" in rights
            assert "the Commissioner, NHS England and the CQC" not in rights \
                or loaded.answers.head_contract.commissioner != "NHS England"

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_words(self, name: str, loaded: LoadedAnswers) -> None:
        for partner, contract in sub_contracts(name):
            text = flat(contract)
            assert "whether or not the days are Business Days, except where a provision counts " \
                "Business Days or working days." in text, (name, partner)
            assert "Health Care Services (Provider Selection Regime) Regulations 2023 permit" \
                not in text
            assert "a date before the Service Commencement Date" not in text, (name, partner)
            if "collaboration_agreement" in loaded.answers.documents and \
                    "equality-health-inequalities" in agreement_ids(name):
                interpretation = words(clause_text(contract, "interpretation"))
                assert ("(Equality and health inequalities) of the Collaboration Agreement, under "
                        "which each party meets its duties on equality and on health inequalities "
                        "in providing the services;") in interpretation, (name, partner)


@lru_cache(maxsize=None)
def agreement_ids(name: str) -> frozenset[str]:
    loaded = dict(SUB_CONTRACTING)[name]
    document = built(loaded, "collaboration_agreement")
    return frozenset(c.id for c in document.clauses)


# --------------------------------------------------------------- reconfiguring a service


def test_the_sets_reach_every_case() -> None:
    reserved = [n for n, la in AGREEMENTS
                if "taking it out of scope" in flat(agreement(n))]
    assert reserved
    assert any("commissioning-separation" not in agreement(n).targets for n in reserved)
    assert any("commissioning-separation" in agreement(n).targets for n in reserved)
    assert any(la.answers.sub_contract_terms[p].payment_basis == "block"
               for _, la in SUB_CONTRACTING for p in la.answers.sub_contract_terms)
    assert any(la.answers.sub_contract_terms[p].payment_basis != "block"
               for _, la in SUB_CONTRACTING for p in la.answers.sub_contract_terms)


class TestReconfiguringAService:
    """Shared CA M1: one objective test; shared capacity and pathways reserved only if they
    meet it; the s.242 limb is gone; the checklist names the default; the ToR list follows."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_test(self, name: str, loaded: LoadedAnswers) -> None:
        document = agreement(name)
        text = flat(document)
        assert "involve the public under section 242" not in text, name
        reserved = "bringing a service within or taking it out of scope, or reconfiguring" in text
        lead = "commissioning-separation" in document.targets
        wanted = reserved and not lead
        assert (("Reconfiguring a service means any proposal that is, or that a Member or a "
                "commissioner of the Services considers may be, a substantial development or "
                "variation of the health service for the purposes of regulation 23 of the Local "
                "Authority (Public Health, Health and Wellbeing Boards and Health Scrutiny) "
                "Regulations 2013, or that would stop a service within scope (or a material part "
                "of it) being provided by a Member or at a site. A decision on the use of shared "
                "capacity or a shared pathway is not a reconfiguration unless it meets that "
                "test") in text) == wanted, name
        assert (("reconfiguring a service defined by one test: a substantial development or "
                "variation of the health service under the health scrutiny regulations "
                "(regulation 23), or a service or a material part of it stopping at a member or "
                "a site, so that a decision on shared capacity or a shared pathway is reserved "
                "only where it meets that test") in checklist(document)) == wanted, name

    @pytest.mark.parametrize("name,loaded", TERMS, ids=ids_of)
    def test_terms_of_reference_follow(self, name: str, loaded: LoadedAnswers) -> None:
        if "collaboration_agreement" not in loaded.answers.documents:
            return
        terms = built(loaded, "committee_terms")
        text = flat(terms)
        document = built(loaded, "collaboration_agreement")
        reserved = "taking it out of scope, or reconfiguring a service" in flat(document)
        if not reserved or "commissioning-separation" in document.targets \
                or "reserved-list" not in " ".join(terms.targets):
            return
        schedule = document.targets["sched:reserved-matters"]
        assert (f"or reconfiguring a service as {schedule.number} of the Agreement defines it "
                "(a decision on shared capacity or a shared pathway included, where it meets that "
                "definition)") in text, name


# --------------------------------------------------------------- the shared agreement's shoulds


class TestTheAgreementShoulds:
    """Shared CA S2, S3, S5: who pays for a transferred patient, a joint post recited by
    reference, and what survives a Member's exit."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_responsible_commissioner(self, name: str, loaded: LoadedAnswers) -> None:
        document = agreement(name)
        if "inter-provider-activity" not in document.targets:
            return
        text = words(clause_text(document, "inter-provider-activity"))
        if "a transfer of care:" not in text:
            return
        assert ("the treating Member is paid by the commissioner responsible for that patient, "
                "under the treating Member's contract with that commissioner where that contract "
                "covers the activity, or otherwise as non-contract activity") in text, name
        assert "paid by its own Commissioner under its own contract" not in text

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_joint_posts_by_reference(self, name: str, loaded: LoadedAnswers) -> None:
        text = words(clause_text(agreement(name), "staffing"))
        assert "the cost of the post is shared" not in text, name
        if "(a joint post)" in text:
            assert ("are governed by the joint appointment arrangement between" in text
                    and "which this Agreement does not vary" in text), name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_what_survives_an_exit(self, name: str, loaded: LoadedAnswers) -> None:
        document = agreement(name)
        text = words(clause_text(document, "exit-consequences"))
        first = (f"Clauses {number(document, 'definitions')}, "
                 f"{number(document, 'interpretation')}, ")
        assert first in text, name
        at = text.index(first)
        survivors = text[at:text.index("continue to apply to the Leaving Member", at)]
        assert number(document, "boilerplate") in survivors, name
        if "competition-information-barrier" in document.targets:
            assert number(document, "competition-information-barrier") in survivors, name


# --------------------------------------------------------------- cost and volume at capacity


@pytest.mark.parametrize("activity,capacity", [
    ("18 commissioned beds, about 6,300 occupied bed days a year", 6570),
    ("30 beds, 10,500 occupied bed days a year", 10950),
    ("about 1,200 first outpatient appointments a year", None),
    ("12 beds, about 4,000 admissions a year", None),
    ("about 6,300 occupied bed days a year", None),
])
def test_the_capacity_of_the_beds(activity: str, capacity: int | None) -> None:
    """Cygnet SC M2: a count of bed days is bounded by what the stated beds can give."""
    volume = _unit_volume("Service", activity, 1_000_000)
    assert volume is not None and volume["capacity"] == capacity


@pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
def test_units_above_the_volume_are_paid_where_the_beds_are_full(
        name: str, loaded: LoadedAnswers) -> None:
    """Cygnet SC M2: where the beds cannot give the volume and the tolerance together, units
    above the volume are paid without the tolerance, and the checklist says so."""
    for partner, contract in sub_contracts(name):
        terms = loaded.answers.sub_contract_terms[partner]
        if terms.payment_basis != "cost_and_volume":
            continue
        tight = [s.name for s in terms.services
                 if (v := _unit_volume(s.name, s.activity, s.annual_price))
                 and v["capacity"] and v["volume"] + v["tolerance"] > v["capacity"]]
        text = flat(contract)
        said = ("the beds cannot give more units in a year than the indicative volume and the "
                "tolerance together, so each unit above the indicative volume that the Lead "
                "Provider agreed to beforehand, as the next paragraph provides, is paid for at "
                "the unit price without the tolerance")
        assert (said in text) == bool(tight), (name, partner)
        assert ("each unit above the indicative volume paid for without the tolerance for"
                in checklist(contract)) == bool(tight), (name, partner)


def test_a_full_service_is_reached() -> None:
    assert any(
        (v := _unit_volume(s.name, s.activity, s.annual_price)) and v["capacity"]
        and v["volume"] + v["tolerance"] > v["capacity"]
        for _, la in SUB_CONTRACTING for terms in la.answers.sub_contract_terms.values()
        if terms.payment_basis == "cost_and_volume" for s in terms.services)


@pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
def test_a_partner_without_a_sub_contract_leaves(name: str, loaded: LoadedAnswers) -> None:
    """LP CA M1 (third read): a Partner whose sub-contract ends stops voting and leaves."""
    document = agreement(name)
    text = words(clause_text(document, "withdrawal"))
    lead = "withdrawal.no-removal" in document.targets
    assert ("whose sub-contract ends in whole while it remains a Member" in text) == lead, name
    if lead:
        months = loaded.answers.membership.withdrawal_notice_months
        assert ("is treated as having given a Withdrawal Notice on the day it ends: its Exit Date "
                f"is {months} {'month' if months == 1 else 'months'} after that day, or any "
                "earlier date the other Voting Members agree, "
                "whatever the minimum term of membership. Until then it takes part in the "
                "decisions of the Board, counts towards the quorum and receives papers only for "
                "the items about its own exit") in text, name
        successor = "successor-lead-provider" in document.targets
        assert ("except because it becomes the Successor Lead Provider" in text) == successor
        if "withdrawal.minimum-term" in document.targets:
            # fifth read: the minimum term's list of early exits names this case
            own = number(document, "withdrawal.sub-contract-ends")
            assert f"because a Partner's sub-contract ends, under clause {own};" in text, name


@pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
def test_the_long_stop_has_a_date(name: str, loaded: LoadedAnswers) -> None:
    """MOU-then-CA M1: after the long-stop date the agreement ends, or proceeds, on a stated
    day, and a party that never signed can be left out."""
    document = agreement(name)
    text = words(clause_text(document, "conditions-precedent"))
    if "conditions-precedent.long-stop" not in document.targets:
        return
    assert ("this Agreement ends on the 28th day after the Long-Stop Date, unless by then the "
            "Members whose conditions are met have agreed in writing to proceed without the "
            "Members whose conditions are not met (including a party that has not signed this "
            "Agreement), who then cease to be parties; the provisions that do not take effect on "
            "signing then take effect on the date of that written agreement, which is the "
            "Operative Date.") in text, name
    long_stop = number(document, "conditions-precedent.long-stop")
    assert (f"(or, where the Members proceed without some of them under clause {long_stop}, on "
            "the date that clause gives); that date is the Operative Date.") in text, name


@pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
def test_a_conflict_with_the_law_goes_through_the_procedures(name: str,
                                                             loaded: LoadedAnswers) -> None:
    """LP CA M1 (fourth read): the rule that an unlawful obligation falls away does not
    bypass declining under the Board clause or the Lead Provider's veto procedure."""
    document = agreement(name)
    text = words(clause_text(document, "interpretation"))
    dissent = "governance-board.dissent" in document.targets
    veto = "lead-provider-veto" in document.targets
    said = "Where the obligation is to act on a decision of the Board, " in text
    assert said == (dissent or veto), name
    if dissent:
        assert ("a Member relies on this sub-clause only by declining to act on the decision as "
                f"clause {number(document, 'governance-board.dissent')} provides") in text, name
    if veto:
        assert ("the Lead Provider, for a decision it may veto, only by a Veto Notice under "
                f"clause {number(document, 'lead-provider-veto')}.") in text, name


@pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
def test_the_leads_own_price_is_agreed_not_self_certified(name: str,
                                                          loaded: LoadedAnswers) -> None:
    """LP CA M2 (fifth read): where the Partners are paid on different bases, the price of the
    Lead Provider's own provision is agreed by every Voting Member, changed only without its
    vote, and its hub's certification can be checked by a Partner's auditors."""
    document = agreement(name)
    text = words(clause_text(document, "risk-gain-share"))
    if "price of the Lead Provider's own provision of the Services is" not in text:
        return
    terms = loaded.answers.sub_contract_terms
    bases = {terms[p.id].payment_basis for p in loaded.answers.partners if p.id in terms}
    agreed = ("is never set by the Lead Provider alone. For the first Contract Year it is the "
              "annual figure") in text
    assert agreed == (len(bases) > 1), name
    if agreed:
        # round 24: it also moves with the Partners' prices and the Commissioner's changes
        assert ("or by a decision of the Board on which the Lead Provider does not vote.") \
            in text, name
