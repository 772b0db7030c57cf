"""Round 19: the partner reads of every document of the five scenario packs.

Each finding is a rule over many answer sets (the examples, the scenario sets and generated
collaboratives): a condition that secures lawful authority cannot be waived; a proposal the
largest member blocks is handled one way only; the successor lead provider's admission is not a
reserved matter anywhere; the agreement can be varied before the board first meets; the
checklist lists the periods the clauses choose; an MOU's cost clause and its statement of no
commitment agree, its calls work however long it runs, its work product is licensed, not
vested; a sub-group recommends only; co-chairs are chosen and replaced by a rule; a chair
vacancy ends in an appointment and someone acts meanwhile; written agreement on a reserved
matter follows the rule for decisions without a meeting; a partner's deficit share waits for
the verification its sub-contract allows; the shorter-notice grounds are alternatives; a
dispute notice reaches everyone who may join it; shared data may leave the UK only as the
agreement and its schedule allow.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round17 import words_of

AGREEMENTS = sets_of("collaboration_agreement", 30)
MOUS = sets_of("mou", 20)
BY_NAME = {n: la for n, la in AGREEMENTS + MOUS}


@lru_cache(maxsize=None)
def doc(name: str, kind: str) -> Document:
    return built(BY_NAME[name], kind)


def checklist(document: Document) -> str:
    """The first drafting note: the checklist of blanks and defaults."""
    notes = [c.note for c in (*document.clauses, *document.schedules) if c.note]
    return " ".join(notes[0].split()) if notes else ""


def dominant(loaded: LoadedAnswers) -> bool:
    a = loaded.answers
    return (a.governance.voting == "weighted" and a.governance.vehicle != "advisory_group"
            and bool(a.voting_power()["dominant"]))


def has_companies(loaded: LoadedAnswers) -> bool:
    return any(m.kind in ("independent_sector", "vcse") and m.member_class != "observer"
               for m in loaded.answers.members)


class TestAuthorityConditionCannotBeWaived:
    """LP CA S3: a partnership board's condition that each Representative has authority under its
    member's scheme of delegation secures lawful decisions, so it is never waivable."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_delegation_condition_is_in_the_non_waivable_list(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        if "conditions-precedent.delegation" not in document.targets:
            return
        delegation = document.targets["conditions-precedent.delegation"].number
        waiver = " ".join(clause_text(document, "conditions-precedent").split())
        rule = waiver[waiver.index("cannot be waived: those in"):]
        rule = rule[:rule.index("Any other condition")]
        assert f"clause {delegation}" in rule, name

    def test_a_partnership_board_is_among_them(self) -> None:
        assert any(la.answers.governance.vehicle == "partnership_board"
                   and "conditions-precedent.delegation" in doc(n, "collaboration_agreement").targets
                   for n, la in AGREEMENTS)


class TestTheLargestMembersBlockIsOneRouteOnly:
    """LP CA S2: a proposal the member holding more than half of the weight votes against or
    abstains on, with every other voter for it, is not also a Deadlock."""

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in AGREEMENTS if dominant(la)],
                             ids=ids_of)
    def test_the_deadlock_test_excludes_the_majority_block(self, name: str,
                                                           loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        if "deadlock.majority-block" not in document.targets:
            return
        block = document.targets["deadlock.majority-block"].number
        arises = " ".join(clause_text(document, "deadlock").split())
        assert (f"A proposal within clause {block} is not a Deadlock either: it goes forward only "
                "under that clause.") in arises, name


class TestSuccessorAdmissionIsNotAReservedMatter:
    """LP CA S9: the reserved matters schedule carries the successor clause's exception."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_schedule_says_so(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        text = words_of(document)
        if ("successor-lead-provider.choice" not in document.targets
                or "admit_member" not in (loaded.answers.governance.reserved_matters or [])):
            return
        choice = document.targets["successor-lead-provider.choice"].number
        assert (f"(other than admitting the Successor Lead Provider under clause {choice}, which "
                "is not one of the Reserved Matters)") in text, name


class TestVariationBeforeTheOperativeDate:
    """Shared CA M1: before the Operative Date the Board takes no decisions, so a variation is
    agreed in writing by every Member; the Board's part starts from the Operative Date."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_a_route_exists_from_signing(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        text = " ".join(clause_text(document, "variation").split())
        if "conditions-precedent" in document.targets:
            assert "Before the Operative Date the Board takes no decisions" in text, name
            assert "it is agreed in writing by every Member" in text, name
            assert "From the Operative Date, a proposed variation is first considered" in text
        else:
            assert "Operative Date" not in text, name


class TestTheChecklistListsTheChosenPeriods:
    """LP CA S7: periods the clauses choose where the answers are silent are on the checklist."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_expulsion_veto_conflicts_and_lead_periods(self, name: str,
                                                       loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        notes = checklist(document)
        a = loaded.answers
        if "expulsion" in document.targets and a.membership.expulsion_grounds:
            assert "14 days for the member concerned to make written representations" in notes
            given = "cure_period_days" in a.membership.model_fields_set
            cure = f"{a.membership.cure_period_days} days to remedy a material breach"
            assert (cure in notes) == ("material_breach" in a.membership.expulsion_grounds
                                        and not given), name
        if "lead-provider-veto" in document.targets:
            assert "7 days after a meeting for the lead provider to give a veto notice" in notes
        if "conflicts-of-interest" in document.targets:
            assert "28 days to declare interests after first taking part" in notes, name
        if "lead-provider-role" in document.targets:
            assert "7 days for the lead provider to pass on a notice" in notes, name

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in AGREEMENTS
                                             if has_companies(la)], ids=ids_of)
    def test_one_vote_each_on_a_change_of_control_is_flagged(self, name: str,
                                                             loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        text = words_of(document)
        flagged = "a departure from the weighted voting the answers chose" in checklist(document)
        one_vote = "has one vote, whatever its voting weight" in text
        assert flagged == one_vote, name


class TestTheMouCommitsOnlyItsCosts:
    """MOU M-1, M-2: the statement that nothing commits funds excepts the binding cost clause;
    each quarterly call is for forecast costs, never above the Member's share."""

    @pytest.mark.parametrize("name,loaded", MOUS, ids=ids_of)
    def test_no_commitment_and_calls(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "mou")
        text = words_of(document)
        if "status.no-commitment" in document.targets and "mou-costs" in document.targets:
            costs = document.targets["mou-costs"].number
            assert (f"Except for its part in the costs under clause {costs}, nothing in this "
                    "memorandum obliges") in text, name
        assert "that quarter's part of its share of the budget" not in text, name
        if "mou-costs.calls" in document.targets:
            assert ("for its share of the costs expected to be committed in that quarter, as "
                    "shown in a forecast sent with the invoice; no call takes a Member's "
                    "contributions above its share of the budget") in text, name

    @pytest.mark.parametrize("name,loaded", MOUS, ids=ids_of)
    def test_work_product_is_licensed_not_vested(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "mou")
        if "mou-review.work-product" not in document.targets:
            return
        text = " ".join(clause_text(document, "mou-review").split())
        assert "belongs to the Members" not in text, name
        assert "this memorandum transfers no intellectual property" in text, name
        assert "grants every other Member a royalty-free, non-exclusive and perpetual licence" \
            in text, name
        assert "each member keeping the intellectual property in the work product" in \
            checklist(document), name

    @pytest.mark.parametrize("name,loaded", MOUS, ids=ids_of)
    def test_a_steering_group_impasse_goes_up(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "mou")
        text = words_of(document)
        if "escalate the matter under clause" not in text:
            return
        tiers = [t for t in loaded.answers.disputes.tiers if t != "courts"]
        leaves_out = "leaving out its step at which the operational leads meet" in text
        assert leaves_out == ("operational_leads" in tiers and len(tiers) > 1), name


class TestBoardRules:
    """mou-then ToR T-1, T-5, T-6; LP ToR S3; JC CA S3: sub-groups, quorum reference, co-chairs,
    a chair vacancy, written agreement on a reserved matter."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_over_the_agreement_and_terms(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        kinds = ["collaboration_agreement"] + (["committee_terms"] if "committee_terms" in
                                               a.documents else [])
        for kind in kinds:
            document = doc(name, kind)
            text = words_of(document)
            assert "may not delegate to a sub-group any decision it could not take itself" \
                not in text, (name, kind)
            if a.governance.chair == "co_chairs" and a.governance.vehicle != "advisory_group":
                assert "chosen by a decision of the Board for a period of 2 years" in text
                assert "A co-chair who stops being a Representative stops being co-chair" in text
            if "governance-board.chair-vacancy" in document.targets:
                assert "they ask for another nomination in the same way" not in text, (name, kind)
                assert "the chief executive of CEDR" in text
                assert "While the office of Chair is vacant" in text, (name, kind)
            if "governance-board.quorum" in document.targets and \
                    a.governance.quorum == "majority":
                quorum = document.targets["governance-board.quorum"].number
                assert f"of them (clauses {quorum} and" not in text, (name, kind)
            if "voting.reserved-rule" in document.targets and "voting.written" in \
                    document.targets:
                written = document.targets["voting.written"].number
                assert f"or in writing under clause {written}, whatever the rule" in text


class TestMoneyAndExit:
    """LP CA M1; LP CA S-list: a partner's deficit share waits for verification; the shorter
    notice grounds are alternatives; weights are updated where they are shown; a dispute notice
    reaches everyone who may join it."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_over_every_agreement(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        document = doc(name, "collaboration_agreement")
        text = words_of(document)
        if "risk-gain-share.settlement" in document.targets and a.lead is not None and \
                "sub_contracts" in a.documents and any(m.member_class != "observer" and
                                                      m.id != a.lead.id for m in a.members):
            assert ("a Partner's share of a Deficit only once any verification of it that its "
                    "sub-contract allows is complete") in text, name
        if "withdrawal.shorter-notice" in document.targets:
            body = clause_text(document, "withdrawal")
            grounds = body[body.index("without regard to the minimum term"):]
            assert grounds.count("; or") == 1, name
        if "variation.schedules" in document.targets and (a.governance.voting == "weighted"):
            assert "and updates in Schedule" in clause_text(document, "variation"), name
        if "dispute-resolution.notice" in document.targets:
            assert "and a copy to every other Member" in text, name
            assert "within seven days after receiving its copy" in text, name


class TestSharedDataAbroad:
    """JC DSA M2: the data sharing agreement allows a transfer abroad exactly as the agreement
    and its schedule do: with the written agreement of the party that disclosed the data."""

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in AGREEMENTS
                                             if "data_sharing" in la.answers.documents],
                             ids=ids_of)
    def test_no_absolute_uk_rule(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "data_sharing")
        text = words_of(document)
        assert "keeps it in the United Kingdom" not in text, name
        if "data-protection.security" in document.targets:
            assert ("transfers it outside the United Kingdom only with the written agreement of "
                    "the party that disclosed it") in text or "without the agreement of the " \
                "party that disclosed it" in text, name


def test_the_rules_are_reached() -> None:
    """Each rule above is exercised by at least one answer set."""
    names = [n for n, _ in AGREEMENTS]
    assert any(dominant(la) for _, la in AGREEMENTS)
    assert any(has_companies(la) for _, la in AGREEMENTS)
    assert any("data_sharing" in la.answers.documents for _, la in AGREEMENTS)
    assert any(la.answers.governance.chair == "co_chairs" for _, la in AGREEMENTS)
    assert any(la.answers.governance.chair == "independent" for _, la in AGREEMENTS)
    assert len(names) >= 20 and len(MOUS) >= 5


class TestNotesSpeakToTheDocument:
    """LP SC S8, shared CA S6: a note says what this document does, names the body that
    certifies the reconciliation, names member kinds only where there are such members, and
    prints no space before a punctuation mark."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_agreement_notes(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        document = doc(name, "collaboration_agreement")
        notes = " ".join(c.note or "" for c in (*document.clauses, *document.schedules))
        assert not re.search(r"\w [.,;:](\s|$)", notes), name
        assert "In a non-binding memorandum the status clause lists this clause" not in notes
        kinds = {m.kind for m in a.members if m.member_class != "observer"}
        if not kinds & {"independent_sector", "vcse"}:
            assert "voluntary-sector members take on equivalent" not in notes, name
        if not (a.lead is not None and a.ip.foreground == "lead_owns"):
            assert "assigns its operating materials to a lead" not in notes, name
        assert "the appointment then goes to the members' boards" not in notes, name
        if "certified and issued by the finance team that checks the figures" in notes:
            assert a.lead is None and "host-member" not in document.targets, name

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in AGREEMENTS
                                             if "sub_contracts" in la.answers.documents],
                             ids=ids_of)
    def test_sub_contract_notes(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "sub_contract")
        notes = {c.id: c.note or "" for c in document.clauses}
        cp = notes.get("conditions-precedent", "")
        if cp:
            assert "The boards are asked to approve" not in cp, name
            assert "The sub-contract's conditions precedent are listed in its schedule" in cp
        assert "earlier of the collaboration's term" not in notes.get("commencement-term", "")


class TestPrivateMeetingsAreADefault:
    """mou-then ToR T-8, MOU-only B5: meetings in private, when the answers do not say, are on
    the checklist."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS + MOUS, ids=ids_of)
    def test_listed_only_when_unanswered(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        kind = "mou" if (name, loaded) in MOUS else "collaboration_agreement"
        notes = checklist(doc(name, kind))
        given = "meetings_in_public" in a.governance.model_fields_set
        if kind == "collaboration_agreement" and a.governance.vehicle != "advisory_group" \
                and "governance-board" in doc(name, kind).targets:
            listed = "meetings of the board held in private" in notes
            assert listed == (not a.governance.meetings_in_public and not given), name


class TestMouLeaversAndObservers:
    """MOU-only B2, B3; mou-then M-4: a leaver gets back what it paid and was not committed; a
    new Member and an Observer are bound to each other; what survives includes the balance and
    the notices clause."""

    @pytest.mark.parametrize("name,loaded", MOUS, ids=ids_of)
    def test_over_every_mou(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "mou")
        text = words_of(document)
        if "mou-costs.withdrawal" in document.targets:
            assert ("repays to it the part of its paid contributions that was not committed by "
                    "that date") in text, name
        if "mou-review.new-members" in document.targets and any(
                m.member_class == "observer" for m in loaded.answers.members):
            assert "Each Observer agrees now that a Member admitted under this clause becomes " \
                "a party with it" in text, name
        if "mou-review.survival" in document.targets:
            notices = document.targets["mou-review.notices"].number
            assert f"clause {notices} (notices)" in text, name


class TestCommissionerInformationAndActivityPlans:
    """LP ToR S1; LP SC S2: the Commissioner is bound as a party only where it is an Observer,
    and the Head Contract's own requirements are saved; a partner's activity plan falls only in
    proportion to the Commissioner's change."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_over_every_agreement(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        document = doc(name, "collaboration_agreement")
        text = words_of(document)
        commissioning_observer = any(m.member_class == "observer" and m.kind in ("icb",
                                     "nhs_england") for m in a.members)
        if "reporting.commissioners" in document.targets:
            assert "only about its own contracts" not in text, name
            if not commissioning_observer:
                assert "as a party bound by clause" not in \
                    clause_text(document, "reporting"), name
        if "sub_contracts" in a.documents:
            sub = words_of(doc(name, "sub_contract"))
            if "may change the plan by giving at least" in sub:
                assert "in no greater proportion than that change" in sub, name


def test_two_nhs_members_and_others_is_flagged() -> None:
    """JC CA S5(c): with two NHS members and others, one NHS member leaving ends the agreement
    for everyone, and the checklist says so."""
    seen = 0
    for name, loaded in AGREEMENTS:
        a = loaded.answers
        members = [m for m in a.members if m.member_class != "observer"]
        nhs = [m for m in members if m.kind in ("nhs_trust", "nhs_foundation_trust")]
        flagged = "the agreement ending for every member if fewer than two NHS members would " \
            "remain" in checklist(doc(name, "collaboration_agreement"))
        assert flagged == (len(nhs) == 2 and len(members) > 2), name
        seen += flagged
    assert seen


class TestSecondReads:
    """Round 19, second reads: the law on a foundation trust's committees stated as it is; the
    terms of reference start a rotating chair when the agreement does; only voting members'
    representatives choose a chair while the office is vacant; a representative agrees a
    reserved matter only with its own board's approval; the lead's own price is fixed by the
    clause; the first awards are separated from signing; a leaver's exit plan has a route and
    an interim plan; a member that another clause excludes from a vote is excluded from the
    shared-interest rule too."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_over_the_agreement_and_terms(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        document = doc(name, "collaboration_agreement")
        text = words_of(document)
        kinds = ["collaboration_agreement"] + (["committee_terms"] if "committee_terms" in
                                               a.documents else [])
        for kind in kinds:
            words = words_of(doc(name, kind))
            assert "may delegate only to a committee of its directors" not in words, (name, kind)
            assert "the Representatives present at each meeting choose" not in words
            if "While the office of Chair is vacant" in words:
                assert "the Representatives of the Voting Members present at each meeting " \
                    "choose one of themselves" in words, (name, kind)
            if a.governance.chair == "rotating" and "in turn, each for a period of" in words:
                start = "Operative Date" if "conditions-precedent" in document.targets \
                    else "Commencement Date"
                assert f"the first period starting on the {start}" in words, (name, kind)
            assert "Where the Board cannot take the decision itself" not in words, (name, kind)
        if "finance.contract-values" in document.targets and a.lead is not None and \
                a.governance.voting == "weighted" and "conflicts-of-interest" in document.targets:
            assert "(as the Lead Provider does not vote on re-basing the contract values)" in text
        if "risk-gain-share" in document.targets and a.lead is not None and \
                "price of the Lead Provider's own provision" in text:
            assert "is set in each Annual Budget" not in text, name
            # round 23: on different bases, agreed by every Voting Member, not set by the lead
            assert ("is fixed by this clause, not by a decision of the Board" in text
                    or "is never set by the Lead Provider alone" in text), name
        if "commissioning-separation" in document.targets and \
                "conditions-precedent.sub-contracts" in document.targets:
            signing = " ".join(clause_text(document, "conditions-precedent").split())
            assert "so far as it governs the award of the sub-contracts that clause" in signing
        if "exit-consequences.exit-plan" in document.targets:
            assert "Until an Exit Plan is agreed or settled, the standing Exit Plan" in text, name

    @pytest.mark.parametrize("name,loaded", MOUS, ids=ids_of)
    def test_a_host_that_leaves_is_replaced(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "mou")
        if "mou-governance.secretariat" not in document.targets:
            return
        assert ("If that Member gives notice to withdraw from this memorandum, the other Members "
                "appoint, before its withdrawal takes effect, another Member") in \
            words_of(document), name

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in AGREEMENTS
                                             if "data_sharing" in la.answers.documents],
                             ids=ids_of)
    def test_no_legal_duty_to_share_an_incident(self, name: str, loaded: LoadedAnswers) -> None:
        text = words_of(doc(name, "data_sharing"))
        assert "a legal duty to share" not in text, name
        assert "the reporting of an incident" not in text, name


class TestThirdReads:
    """LP SC M1, M2 and LP ToR, LP CA third reads: the flow-down takes only the head contract's
    performance obligations; a part year is priced and measured as a part year; the terms'
    list of reserved matters keeps the successor exception; a member without weight is not
    one of the two supporters a weighted decision needs; a lead that hands over is re-valued."""

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in AGREEMENTS
                                             if "sub_contracts" in la.answers.documents],
                             ids=ids_of)
    def test_sub_contract(self, name: str, loaded: LoadedAnswers) -> None:
        text = words_of(doc(name, "sub_contract"))
        assert ("but not its provisions on payment, contract management and withholding, "
                "variation, dispute resolution, suspension, termination and its consequences, "
                "liability and indemnity, force majeure, assignment and sub-contracting, "
                "confidentiality, data protection and the processing of Personal Data, or "
                "complaints, which this Sub-Contract deals with itself") in text, name  # round 23
        assert "(suspension, and the parties' rights to end this Sub-Contract)" in text, name
        if "Timing and amounts of payments in the first and final" in text:
            assert "the annual prices" in text and "reduced in proportion to the number of " \
                "days in that period" in text, name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_agreement_and_terms(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        document = doc(name, "collaboration_agreement")
        text = words_of(document)
        if a.governance.voting == "weighted" and a.governance.weight_basis == "contract_value" \
                and "voting.rule" in document.targets:
            assert "at least two Voting Members that hold some voting weight support it" in text
        if "successor-lead-provider" in document.targets and "finance.contract-values" in \
                document.targets:
            # round 20: every figure is recalculated at the handover
            assert "a Member that ceases to be the Lead Provider and remains a Member" in text
        if "committee_terms" in a.documents and "successor-lead-provider" in document.targets \
                and "admit_member" in (a.governance.reserved_matters or []):
            terms = words_of(doc(name, "committee_terms"))
            if "For ease of reference, the Reserved Matters" in terms:
                assert "(other than admitting the body that the Commissioner chooses as the new " \
                    "Lead Provider" in terms, name


def test_a_vetoed_decision_stays_vetoed_unless_withdrawn_or_found_invalid() -> None:
    """LP CA and LP ToR third reads: reconsidering a vetoed decision does not revive it."""
    seen = 0
    for name, loaded in AGREEMENTS:
        document = doc(name, "collaboration_agreement")
        if "lead-provider-veto.effect" not in document.targets:
            continue
        seen += 1
        text = words_of(document)
        assert "No Member may act on it until the Board has reconsidered it" not in text, name
        assert ("does not take effect, and no Member acts on it, unless the Lead Provider "
                "withdraws the Veto Notice or the veto is found under clause") in text, name
    assert seen


def test_the_agreement_ends_with_a_head_contract_no_successor_holds() -> None:
    """LP CA fourth read: with a lead provider, the head contract ending with no successor ends
    the agreement (unless every member agrees to go on under another model); the veto never
    reaches a decision the lead does not vote on."""
    seen = 0
    for name, loaded in AGREEMENTS:
        document = doc(name, "collaboration_agreement")
        text = words_of(document)
        if "successor-lead-provider" not in document.targets or \
                loaded.answers.head_contract is None:
            continue
        seen += 1
        assert "this Agreement ends on the date the Head Contract ends, unless before that date " \
            "all the Members agree in writing that it continues under another model" in text
        if "lead-provider-veto.limits" in document.targets:
            assert "to any decision on which this Agreement says it does not vote" in text, name
    assert seen


def test_one_body_takes_in_clinical_protocols() -> None:
    """LP ToR fourth read: where the lead keeps the clinical governance framework, the terms
    say the lead takes recommended protocols into it; the Board does not adopt them as well."""
    seen = 0
    for name, loaded in AGREEMENTS:
        document = doc(name, "collaboration_agreement")
        if "committee_terms" not in loaded.answers.documents or \
                "clinical-model.framework" not in document.targets:
            continue
        terms = words_of(doc(name, "committee_terms"))
        if "A clinical group recommends" in terms:
            seen += 1
            framework = document.targets["clinical-model.framework"].number
            assert ("the Lead Provider takes them into the framework for clinical governance that "
                    f"clause {framework} of the Agreement provides") in terms, name
    assert seen
