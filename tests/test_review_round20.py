"""Round 20: the last partner reads of the lead-provider agreement and its committee terms.

Each finding is a rule over many answer sets: a lead provider's exit to a successor never ends
a two-trust collaborative on the day of the handover (the two-NHS-member floor is tested after
it, with six months to admit a second); the minimum term gives way where the agreement itself
ends early; an observer is shut out only of a closed list of items the Chair marks, not of every
"confidential" item; someone has authority to countersign an observer's letter; the Voting
Members remove and appoint a Chair by number, not weight, and someone engages the Chair; the
covenant member's drafting note does not invent a cap the answers do not set.
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
TERMS = sets_of("committee_terms", 20)
BY_NAME = {n: la for n, la in AGREEMENTS + TERMS}
NHS = ("nhs_trust", "nhs_foundation_trust")


@lru_cache(maxsize=None)
def doc(name: str, kind: str) -> Document:
    return built(BY_NAME[name], kind)


def notes_of(document: Document) -> dict[str, str]:
    return {c.id: " ".join((c.note or "").split()) for c in document.clauses}


def nhs_members(loaded: LoadedAnswers) -> int:
    return sum(1 for m in loaded.answers.members
               if m.kind in NHS and m.member_class != "observer")


def observed(loaded: LoadedAnswers) -> bool:
    return any(m.member_class == "observer" for m in loaded.answers.members)


def succession(name: str) -> bool:
    return "successor-lead-provider.choice" in doc(name, "collaboration_agreement").targets


class TestTheFloorIsTestedAfterTheHandover:
    """LP CA M1: with two NHS members, a successor chosen from the other one (or from outside
    the NHS) used to leave one NHS member, so the agreement ended on the handover day."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_six_months_to_admit_a_second_nhs_member(self, name: str,
                                                     loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        floor = clause_text(document, "commencement-term")
        if not succession(name):
            assert "Successor Lead Provider" not in floor, name
            return
        successor = document.targets["successor-lead-provider"].number
        fewer = document.targets["commencement-term.fewer-members"].number
        assert (f"Where the Member leaving is the Lead Provider and a Successor Lead Provider "
                f"takes over its role under clause {successor}, the NHS Members are counted on "
                "the day after the Handover Date") in floor, name
        # round 23: the six months apply whoever leaves; for the Lead Provider they run from
        # the Handover Date
        assert "the six months run from the Handover Date" in floor, name
        assert "and ends at the end of those six months if none has been admitted by then" \
            in floor, name
        choice = clause_text(document, "successor-lead-provider")
        assert (f"clause {fewer} gives the Members six months to admit a second one before "
                "this Agreement ends") in choice, name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_note_warns_where_there_are_two_nhs_members(self, name: str,
                                                           loaded: LoadedAnswers) -> None:
        if not succession(name):
            return
        note = notes_of(doc(name, "collaboration_agreement"))["successor-lead-provider"]
        assert ("This collaborative has only two NHS members." in note) == \
            (nhs_members(loaded) == 2), name

    def test_the_cases_are_reached(self) -> None:
        lead = [(n, la) for n, la in AGREEMENTS if succession(n)]
        assert sum(nhs_members(la) == 2 for _n, la in lead) >= 1
        assert sum(nhs_members(la) > 2 for _n, la in lead) >= 1
        assert sum(not succession(n) for n, _la in AGREEMENTS) >= 3


class TestTheMinimumTermGivesWayToAnEarlyEnd:
    """LP CA S4: an end under the two-NHS-member floor or with the head contract contradicted the
    minimum term on its face."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_exceptions_list_the_ends_of_the_agreement(self, name: str,
                                                           loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        if "withdrawal.minimum-term" not in document.targets:
            return
        text = clause_text(document, "withdrawal")
        fewer = document.targets["commencement-term.fewer-members"].number
        assert ("where this Agreement ends because fewer than two NHS Members would remain, "
                f"under clause {fewer}") in text, name
        ends = document.targets.get("commencement-term.head-contract-ends")
        assert (ends is not None and "because the Head Contract ends with no successor to hold "
                f"it, under clause {ends.number}." in text) or \
            (ends is None and "because the Head Contract ends" not in text), name

    def test_the_cases_are_reached(self) -> None:
        targets = [doc(n, "collaboration_agreement").targets for n, _la in AGREEMENTS]
        with_term = [t for t in targets if "withdrawal.minimum-term" in t]
        assert sum("commencement-term.head-contract-ends" in t for t in with_term) >= 1
        assert sum("commencement-term.head-contract-ends" not in t for t in with_term) >= 1


class TestAnObserverIsShutOutOnlyOfAClosedList:
    """LP ToR M1: every Board paper is confidential and meetings are private, so an observer
    excluded from "any confidential item" could be excluded from everything."""

    @pytest.mark.parametrize("name,loaded,kind",
                             [(n, la, "collaboration_agreement") for n, la in AGREEMENTS]
                             + [(n, la, "committee_terms") for n, la in TERMS],
                             ids=lambda v: v if isinstance(v, str) else "")
    def test_the_items_closed_to_an_observer(self, name: str, loaded: LoadedAnswers,
                                             kind: str) -> None:
        document = doc(name, kind)
        text = words_of(document)
        assert "any confidential or commercially sensitive item" not in text, name
        assert "except for confidential and commercially sensitive content" not in text, name
        board = " ".join(clause_text(document, "governance-board").split())
        if not observed(loaded):
            assert "closed to Observers" not in text, name
            return
        classes = document.targets["governance-board.classes"].number
        assert "Each Observer is sent notice of every meeting" in board, name
        assert ("every item except one that the Chair marks on the agenda as closed to "
                "Observers because it concerns:") in board, name
        for item in ("an individual patient or member of staff",
                     "the Members' position in a negotiation or dispute with that Observer",
                     "or other Commercially Sensitive Information, of a Member or of another "
                     "provider"):
            assert item in board, (name, item)
        assert "No other item is closed to it" in board, name
        assert ("The Chair marks an item so whenever the Member whose information or conduct it "
                "concerns asks") in board, name
        assert ("is never closed to an Observer" in board) == \
            bool(loaded.answers.governance.meetings_in_public), name
        assert "a Member's own performance" not in board, name
        agreement = (document if kind == "collaboration_agreement"
                     else doc(name, "collaboration_agreement")
                     if "collaboration_agreement" in loaded.answers.documents else None)
        separation = agreement is not None and any(
            c.id == "commissioning-separation" for c in agreement.clauses)
        assert ("the Board's advice on an Allocation Decision" in board) == separation, name
        if "Each Observer receives the reports" in text:
            assert ("Each Observer receives the reports given to the Member Boards, except for "
                    f"content on an item closed to Observers under clause {classes}.") in text, name
        if kind == "committee_terms" and "Papers and discussions of the Board" in text:
            assert ("Papers and discussions of the Board are confidential to those entitled to "
                    f"receive them, an Observer among them for every item not closed to it under "
                    f"clause {classes}") in text, name

    def test_the_cases_are_reached(self) -> None:
        assert sum(observed(la) for _n, la in AGREEMENTS) >= 2
        assert sum(observed(la) for _n, la in TERMS) >= 1
        assert sum(not observed(la) for _n, la in AGREEMENTS) >= 3


class TestSomeoneCountersignsForTheMembers:
    """LP CA S2: an observer's letter was "countersigned for every Member" by nobody named."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_chair_countersigns_once_the_board_decides(self, name: str,
                                                          loaded: LoadedAnswers) -> None:
        text = " ".join(clause_text(doc(name, "collaboration_agreement"), "status").split())
        assert ("Once the Board has decided to admit it, the Chair, or another Representative "
                "whom the Board names in that decision, countersigns the Letter of Adherence for "
                "every Member, and each Member authorises that countersignature now."
                in text) == observed(loaded), name


class TestTheChairIsRemovedByNumber:
    """LP ToR S1: "more than half of them" could be read by weight, letting a dominant member
    remove the Chair alone; and nobody engaged the Chair."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_by_number_and_engaged_by_one_member(self, name: str,
                                                 loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        board = " ".join(clause_text(document, "governance-board").split())
        if loaded.answers.governance.chair != "independent":
            assert "engages the independent Chair" not in board, name
            return
        weighted = loaded.answers.governance.voting == "weighted"
        each = " (each counting once, whatever its voting weight)" if weighted else ""
        assert "may remove the Chair by notice given by more than half of them in number." \
            in board, name
        assert f"by a decision of more than half of them in number{each}, unless" in board, name
        # the weight is spoken of only where the voting is weighted (lint: OTHER-MODEL)
        assert ("voting weight" in board) == weighted or "weight" in board.replace(
            "voting weight", ""), name
        engager = ("The Lead Provider" if "Lead Provider" in board and re.search(
            r"The Lead Provider provides the secretariat of the Board", board)
            else "The Member that provides the secretariat of the Board")
        assert (f"{engager} engages the independent Chair for all the Members, on terms, "
                f"including the fee, that more than half of the Voting Members in number approve"
                f"{each} or, where no terms are approved within 28 days after an appointment, on "
                "the terms on which the previous Chair served") in board, name
        assert "It engages every Chair appointed under this clause" in board, name
        assert "The Chair stops being Chair on ceasing to meet the test of independence in " \
            "clause" in board, name
        # no single member can stall the appointment: anyone may ask for a nominee, and a
        # candidate CEDR nominates is appointed without a further vote
        assert "the secretariat of the Board, or any Voting Member, asks the Commissioner" \
            in board, name
        assert ("asks the chief executive of CEDR to nominate a candidate who meets that test, "
                "and that candidate is appointed as Chair for the same term when nominated, "
                "without any further decision.") in board, name
        assert "votes to appoint that candidate" not in board, name
        assert "approve unanimously" not in board.split("engages the independent Chair")[1][:200]

    def test_the_case_is_reached(self) -> None:
        chaired = [la for _n, la in AGREEMENTS if la.answers.governance.chair == "independent"]
        assert len(chaired) >= 2
        assert {la.answers.governance.voting == "weighted" for la in chaired} == {True, False}


class TestTheCovenantNoteStatesTheAnswers:
    """LP CA: the covenant note said the answers gave a multiple of contract value as a cap
    where they set several liability with no cap."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_no_invented_cap(self, name: str, loaded: LoadedAnswers) -> None:
        note = notes_of(doc(name, "collaboration_agreement")).get("banking-covenants", "")
        assert "the answers give only a multiple of annual contract value" not in note, name
        if "The answers fix no figure for it" in note:
            assert loaded.answers.finance.liability != "several_with_cap", name
            assert "they make every member liable severally with no cap" in note, name

    def test_the_case_is_reached(self) -> None:
        assert any("they make every member liable severally with no cap" in
                   notes_of(doc(n, "collaboration_agreement")).get("banking-covenants", "")
                   for n, _la in AGREEMENTS)


class TestTheHandoverCoversEveryProvider:
    """LP CA (second read): a Partner chosen as successor would take a novation of its own
    sub-contract, and nothing said who pays the outgoing lead for the services it provides."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_handover_moves_every_contract_and_settles_the_year(
            self, name: str, loaded: LoadedAnswers) -> None:
        if not succession(name):
            return
        document = doc(name, "collaboration_agreement")
        text = " ".join(clause_text(document, "successor-lead-provider").split())
        assert ("novates or assigns to the Successor Lead Provider, so far as their terms allow, "
                "every other contract it holds for the collaboration") in text, name
        assert ("including the engagement of the independent Chair" in text) == \
            (loaded.answers.governance.chair == "independent"), name
        own = document.targets["successor-lead-provider.own-services"].number
        assert ("Until they agree other terms, it does so on the terms of the Head Contract so far "
                "as they concern those services, with the Successor Lead Provider in the place of "
                "the Commissioner.") in text, name
        exit_text = " ".join(clause_text(document, "exit-consequences").split())
        assert (f"and so, for an outgoing Lead Provider, does clause "
                f"{document.targets['successor-lead-provider'].number} (including its duty to go "
                f"on providing its own services under clause {own})") in exit_text, name
        year = "successor-lead-provider.handover-year" in document.targets
        assert year == bool(loaded.answers.context()["derived"]["risk_share"]
                            and "risk-gain-share" in document.targets), name
        if year:
            assert ("is worked out for the whole year, counting the services the outgoing Lead "
                    f"Provider provides under clause {own} as its own provision") in text, name
        money = " ".join(clause_text(document, "finance").split())
        if "Handover Date" in money:
            assert ("On the Handover Date the figures are recalculated in the same way, whatever "
                    "the date") in money, name
            assert "a Partner that becomes the Successor Lead Provider keeps the annual value" \
                in money, name

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_own_services_and_a_partner_successor(self, name: str,
                                                  loaded: LoadedAnswers) -> None:
        if not succession(name):
            return
        document = doc(name, "collaboration_agreement")
        text = " ".join(clause_text(document, "successor-lead-provider").split())
        assert ("From the Handover Date the outgoing Lead Provider, whether or not it remains a "
                "Member, continues to provide the Services that it provided itself under the Head "
                "Contract, for the Successor Lead Provider, which pays it for them at the prices "
                "the Head Contract pays for them.") in text, name
        partners = loaded.answers.context()["derived"]["partners"]
        assert ("successor-lead-provider.partner-successor" in document.targets) == bool(partners)
        if not partners:
            return
        own = document.targets["successor-lead-provider.partner-successor"].number
        assert ("except the sub-contract of a Partner that is itself the Successor Lead "
                f"Provider, which ends under clause {own}") in text, name
        assert "Where the Successor Lead Provider is a Partner, its sub-contract ends on the " \
            "Handover Date, without either party being liable to the other for its ending" in text
        if "sub_contracts" not in loaded.answers.documents:
            return
        sub = " ".join(clause_text(built(loaded, "sub_contract"), "sc-term-termination").split())
        assert ("If the body chosen is the Sub-Contractor itself, this Sub-Contract is not "
                "novated: it ends on that date, without either party being liable to the other "
                f"for its ending, as clause {own} of that agreement provides.") in sub, name


class TestTheCovenantMembersRunningCostsAreOneRule:
    """LP CA (second read): a covenant member's share by value and its fixed sum read as two
    rules; the share is for reference only."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_share_is_for_reference(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        text = " ".join(clause_text(document, "finance").split())
        covenant = [m for m in loaded.answers.members if m.banking_covenants
                    and m.member_class != "observer"]
        assert "within the fixed sum it approves in advance" not in text, name
        if "running-costs" not in {k.split(".")[-1] for k in document.targets
                                   if k.startswith("finance.")}:
            return
        for m in covenant:
            assert re.search(rf"{re.escape(m.name)}: [\d.]+%, shown for reference only: it pays "
                             r"instead the fixed sum it approves in advance under clause \d+, and "
                             r"the other Members' contributions are worked out without it", text), name
        if not covenant:
            assert "shown for reference only" not in text, name

    def test_the_case_is_reached(self) -> None:
        assert any("shown for reference only" in clause_text(doc(n, "collaboration_agreement"),
                                                             "finance") for n, _la in AGREEMENTS)


class TestAnObserverIsKeptInformed:
    """LP CA/ToR (second reads): an observer was not told of an adjourned meeting, never saw the
    minutes, and could not report to its own public board."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_notice_minutes_and_reports(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        board = " ".join(clause_text(document, "governance-board").split())
        confidence = " ".join(clause_text(document, "confidentiality-foi").split())
        said = [
            "notifies to every Representative and to each Observer." in board,
            ("The minutes are circulated to every Member within 14 days of the meeting (and to "
             "each Observer, except for the minutes of an item closed to Observers)") in board,
            ("An Observer may report on the work of the Collaborative to its own board in the "
             "same way, including in a meeting held in public, subject to the same proviso.")
            in confidence,
        ]
        assert said == [observed(loaded)] * 3, (name, said)


class TestNoMemberBlocksItsOwnExpulsionByStayingAway:
    """Shared CA: with a quorum of every member, a member that stays away made every meeting
    inquorate, and an adjourned meeting decides no reserved matter, so its expulsion went round
    in a circle."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_an_expulsion_item_is_quorate_without_the_member(self, name: str,
                                                           loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        board = " ".join(clause_text(document, "governance-board").split())
        said = "An item on a Member's breach of this Agreement or its expulsion is quorate at " \
            "any meeting, adjourned or not, at which" in board
        assert said == ("expulsion" in {c.id for c in document.clauses}), name
        if said and "committee_terms" in loaded.answers.documents:
            terms = " ".join(clause_text(built(loaded, "committee_terms"),
                                         "governance-board").split())
            assert "An item on a Member's breach of the Agreement or its expulsion is quorate " \
                "at any meeting, adjourned or not, at which" in terms, name
        if said:
            second = document.targets["governance-board.second-adjourned"].number
            # round 22: where the Member Boards decide an expulsion, the meeting recommends
            g = loaded.answers.governance
            boards = g.vehicle == "committees_in_common" or (
                g.vehicle == "joint_committee" and "expel_member" in g.reserved_matters)
            vote = document.targets["expulsion.vote"].number
            ending = (f"recommends on it to the Member Boards, which take the decision as clause "
                      f"{vote} provides.") if boards else "decides on it."
            assert f"and clause {second} does not limit what such a meeting {ending}" \
                in board, name


class TestOneRuleForEveryBoardDecision:
    """LP ToR: a decision's own voting rule in the agreement applied only to the decisions the
    list named; it now applies to every decision, listed or not."""

    @pytest.mark.parametrize("name,loaded,kind",
                             [(n, la, "collaboration_agreement") for n, la in AGREEMENTS]
                             + [(n, la, "committee_terms") for n, la in TERMS],
                             ids=lambda v: v if isinstance(v, str) else "")
    def test_a_clauses_own_rule_prevails(self, name: str, loaded: LoadedAnswers,
                                         kind: str) -> None:
        document = doc(name, kind)
        board = " ".join(clause_text(document, "governance-board").split())
        if "also give the Board these decisions" not in board or "voting" not in document.targets:
            return
        assert ("sets its own rule for a decision of the Board, whether or not the decision is "
                "in that list (who votes on it, the majority it needs, or a Member whose consent "
                f"it needs), that rule applies instead of clause "
                f"{document.targets['voting'].number}.") in board, (name, kind)
        if observed(loaded) and "status" in {c.id for c in doc(name, "collaboration_agreement").clauses}:
            assert "admitting or removing an Observer (clause " in board, (name, kind)


class TestTheCommissionerSeesNoClosedItem:
    """Shared CA: a member could pass the Board's papers to the Commissioner, which is the
    Observer, including the items closed to it."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_reports_to_the_commissioner_exclude_closed_items(self, name: str,
                                                             loaded: LoadedAnswers) -> None:
        text = " ".join(clause_text(doc(name, "collaboration_agreement"),
                                    "confidentiality-foi").split())
        said = ("What a Member reports to the Commissioner under this sub-clause never includes "
                "an item closed to Observers under clause") in text
        assert said == observed(loaded), name
        if said:  # what another clause requires or allows the Commissioner to be told still goes
            assert ("except what another clause of this Agreement requires or allows a Member to "
                    "tell the Commissioner.") in text, name


class TestAnOutgoingLeadHasNoWiderLicence:
    """LP CA (fourth read): the outgoing lead kept a perpetual licence to all Foreground IP,
    an independent-sector member's included, wider than any other leaver's."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_leavers_rights_only(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        text = " ".join(clause_text(document, "ip-on-exit").split())
        assert "and it keeps a non-exclusive, royalty-free, perpetual licence" not in text, name
        if "ip-on-exit.lead" not in document.targets:
            return
        assert ("It then has the rights in Foreground IP that this clause gives any other "
                "Leaving Member") in text, name
        is_member = loaded.answers.context()["derived"]["has_is_member"]
        assert ("but none in Foreground IP that an Independent Sector Member created, unless "
                "that Member agrees in writing" in text) == bool(is_member), name

    def test_the_case_is_reached(self) -> None:
        assert any("ip-on-exit.lead" in doc(n, "collaboration_agreement").targets
                   for n, _la in AGREEMENTS)


class TestAnObserverIsOneFromItsLetter:
    """LP CA (fourth read): an observer was one only once Schedule 1 showed it, which only a
    variation could do."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_definition_and_record(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        text = words_of(document)
        if not observed(loaded):
            assert "or an Observer admitted, removed or leaving" not in text, name
            return
        join = document.targets["status.observer-join-leave"].number
        assert (f"admitted as an observer under clause {join}, from when it signs its Letter of "
                "Adherence") in text, name
        assert "admitted as an observer and shown as such in Schedule" not in text, name
        assert "or an Observer admitted, removed or leaving" in text, name


class TestAJointPostCannotSubtract:
    """Shared CA: two trusts sharing a chief executive could work out the third trust's costs
    from a three-member total by subtraction."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_members_sharing_a_post_count_as_one(self, name: str,
                                                 loaded: LoadedAnswers) -> None:
        text = " ".join(clause_text(doc(name, "collaboration_agreement"),
                                    "competition-information-barrier").split())
        if "is never given to either of them" not in text:
            return
        joint = bool(loaded.answers.context()["derived"]["joint_posts"])
        assert ("Members that share a joint post count as one Member for this purpose, so a "
                "total is never given to them that holds the figures of only one other Member"
                in text) == joint, name

    def test_the_case_is_reached(self) -> None:
        assert any("Members that share a joint post count as one Member" in clause_text(
            doc(n, "collaboration_agreement"), "competition-information-barrier")
            for n, _la in AGREEMENTS)


def sub_contracts(loaded: LoadedAnswers) -> list[tuple[str, Document]]:
    """Each partner's sub-contract, with that partner's id."""
    from drafting.build.pack import build_document, plan
    from tests.test_review_round5_mou import library
    return [(part.partner_id, build_document(library(), loaded, part.kind, part.partner_id))
            for part in plan(loaded.answers) if part.kind == "sub_contract"]


class TestTheSubContractSurvivesAReplacedHeadContract:
    """LP sub-contracts: a head contract replaced rather than novated on a change of lead ended
    every sub-contract; a covenant cap caught only contract claims; a block price spoke of a
    reconciliation against activity."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_replacement_refusal_cap_and_block(self, name: str, loaded: LoadedAnswers) -> None:
        for partner, document in sub_contracts(loaded):
            text = words_of(document)
            if "this Sub-Contract does not end: the Lead Provider novates it" in text:
                head = document.targets["sc-term-termination.head-contract"].number
                assert ("Where the Head Contract is replaced by a contract between the "
                        "Commissioner and that body instead of being novated, its ending on that "
                        "date does not end this Sub-Contract under sub-clause "
                        f"{head}") in text, name
                assert ("Only if the Commissioner refuses to agree to the novation does this "
                        "Sub-Contract end") in text, name
            if "the liability of the Sub-Contractor to the Lead Provider under" in text:
                assert ("the liability of the Sub-Contractor to the Lead Provider under or in "
                        "connection with this Sub-Contract, whether in contract, tort (including "
                        "negligence), for breach of statutory duty or otherwise") in text, name
            terms = loaded.answers.terms_for(partner)
            if terms is not None and terms.payment_basis == "block":
                assert "the year-end reconciliation measures the activity" not in text, name
        agreement = words_of(doc(name, "collaboration_agreement"))
        if "Its total liability in each Contract Year to the other Members" in agreement:
            # round 24: the cap also covers claims by an Observer, where there is one
            assert re.search(r"Its total liability in each Contract Year to the other Members"
                             r"(?: and to any Observer)?, whether in contract, tort \(including "
                             r"negligence\), for breach of statutory duty or otherwise, under or "
                             r"in connection with this Agreement", agreement), name

    def test_the_cases_are_reached(self) -> None:
        texts = [words_of(d) for _n, la in AGREEMENTS for _p, d in sub_contracts(la)]
        assert sum("refuses to agree to the novation" in t for t in texts) >= 2
        assert any("under or in connection with this Sub-Contract, whether in contract" in t
                   for t in texts)


class TestSecondmentIsTheCentralTeam:
    """JC CA: the secondment clause reached every community nurse working for the collaborative."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_only_the_central_team_is_seconded(self, name: str, loaded: LoadedAnswers) -> None:
        text = " ".join(clause_text(doc(name, "collaboration_agreement"), "staffing").split())
        if "as the Seconding Member, seconds them" not in text:
            return
        assert ("whose staff work in the central team of the Collaborative (the posts that "
                "support the Board and the work of the Collaborative as a whole, and never staff "
                "who provide the Services to patients)") in text, name


class TestTheLastReadsOfTheOtherDocuments:
    """Sub-contracts, deed, data sharing agreement and MOUs (fifth reads): the lead stays bound
    to keep a partner's information from its provider arm; it cannot drop a partner's services
    from the head contract at will; a covenant member's deed row keeps its fixed sum; the lead's
    hub learns which of its placed patients an incident concerns; an MOU's host duties bind."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_sub_contracts_and_deed(self, name: str, loaded: LoadedAnswers) -> None:
        for _partner, document in sub_contracts(loaded):
            text = words_of(document)
            assert "and does not agree with the Commissioner to end the Head Contract for any " \
                "of the Sub-Contracted Services without first consulting" not in text, name
            if "to end the Head Contract for any of the Sub-Contracted Services" in text:
                assert ("does not propose or agree with the Commissioner to end the Head Contract "
                        "for any of the Sub-Contracted Services unless the Commissioner requires "
                        "it, the Sub-Contractor agrees in writing") in text, name
            if "sc-contract-management.information-barrier" in document.targets:
                barrier = document.targets["sc-contract-management.information-barrier"].number
                assert (f"Clause {barrier} also continues to bind the Lead Provider as to the "
                        "information of the Sub-Contractor") in text, name
        if "accession_deed" in loaded.answers.documents:
            deed = words_of(built(loaded, "accession_deed"))
            for m in loaded.answers.members:
                if m.banking_covenants and m.member_class != "observer" and \
                        "Share of the Running Costs from the Accession Date" in deed:
                    assert re.search(rf"{re.escape(m.name)} \| the fixed sum it approves under "
                                     r"clause \d+ of the Agreement \(\[●\]% for reference only\)",
                                     deed), name

    def test_the_cases_are_reached(self) -> None:
        texts = [words_of(d) for _n, la in AGREEMENTS for _p, d in sub_contracts(la)]
        assert any("also continues to bind the Lead Provider as to the information" in t
                   for t in texts)
        assert any("for reference only)" in words_of(built(la, "accession_deed"))
                   for _n, la in AGREEMENTS if "accession_deed" in la.answers.documents
                   and any(m.banking_covenants for m in la.answers.members))

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_hub_learns_which_placed_patient(self, name: str, loaded: LoadedAnswers) -> None:
        if "data_sharing" not in loaded.answers.documents:
            return
        text = words_of(built(loaded, "data_sharing"))
        a = loaded.answers
        hub = (a.commissioning.lead_commissions and "commissioning_hub" in
               a.commissioning.separation and a.data.kinds != "anonymised"
               and loaded.answers.context()["derived"]["has_lead_provider"])
        if "the notice of the incident to the Lead Provider identifies no patient" in text:
            assert ("except to the Lead Provider's commissioning hub where it manages that "
                    "patient's care" in text) == bool(hub), name

    @pytest.mark.parametrize("name,loaded", sets_of("mou", 20), ids=ids_of)
    def test_an_mous_host_duties_bind(self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "mou")
        status = " ".join(clause_text(document, "status").split())
        if "mou-governance.secretariat" in document.targets and "mou-costs" in \
                {c.id for c in document.clauses} and "Except for the provisions listed in clause" in status:
            secretariat = document.targets["mou-governance.secretariat"].number
            assert (f"clause {secretariat}, so far as it names the Member that hosts the work, "
                    "who takes its place when it withdraws and what it hands over") in status, name
        confidence = " ".join(clause_text(document, "confidentiality-foi").split())
        if observed(loaded) and "mou-governance.observer-exclusions" in document.targets:
            assert "never includes what clause " \
                f"{document.targets['mou-governance.observer-exclusions'].number} withholds " \
                "from an Observer" in confidence, name


DSAS = sets_of("data_sharing", 20)


class TestTheDataSharingAgreementsLastReads:
    """LP and JC data sharing agreements: a placement waited for every condition precedent and
    could be suspended; the hub could reuse identifiable data for commissioning; run-off uses
    were not purposes; a shared care record patient had no single point of contact."""

    @pytest.mark.parametrize("name,loaded", DSAS, ids=ids_of)
    def test_placements_run_off_and_contact(self, name: str, loaded: LoadedAnswers) -> None:
        text = words_of(built(loaded, "data_sharing"))
        a = loaded.answers
        hub = (loaded.answers.context()["derived"]["has_lead_provider"]
               and a.commissioning.lead_commissions
               and "commissioning_hub" in a.commissioning.separation
               and loaded.answers.context()["derived"]["data_shared"]
               and "collaboration_agreement" in a.documents)
        said = ("That does not hold back the referral of an individual patient to, or a "
                "placement by, the Lead Provider's commissioning hub") in text
        assert said == bool(hub), name
        if said:
            assert ("nor to the referral of an individual patient to, or a placement by, the "
                    "Lead Provider's commissioning hub") in text, name
        assert "within the purposes, for:" not in text, name
        if "it is shared with or by any Member, only so far as it is needed" in text:
            assert ("only so far as it is needed for the following, which are purposes of this "
                    "Agreement in addition to those of clause") in text, name
        assert "holds the patient's record of care (or, if none" not in text, name

    def test_the_case_is_reached(self) -> None:
        assert any("That does not hold back the referral" in words_of(built(la, "data_sharing"))
                   for _n, la in DSAS)


class TestStaffDataIsNotPatientData:
    """MOU-then CA: the DPIA bar and the pseudonymised-form rule, written for patient data, also
    caught the names and contacts of the people who run the collaborative."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_the_bar_spares_the_people_who_run_it(self, name: str,
                                                  loaded: LoadedAnswers) -> None:
        text = " ".join(clause_text(doc(name, "collaboration_agreement"),
                                    "data-protection").split())
        if "no Personal Data may be shared under this Agreement except" not in text:
            return
        assert re.search(r"The bar on sharing in this sub-clause(, and the rule on pseudonymised "
                         r"form in clause \d+\.\d+,)? do(es)? not apply to the names, roles and "
                         r"contact details of the people who take part in the work of the "
                         r"Collaborative", text), name
