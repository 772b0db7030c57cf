"""Round 17: the joint-committee terms of reference review (F1, a MUST): every power that the
agreement gives "the Board" is in exactly one category.

Under a joint committee or committees in common the Board decides only within a delegated
matter and its limit, or as an administrative act that commits no member's money, property or
functions; on anything else it recommends and each member's own board decides. So every item in
the Board's list of other decisions that commits money or functions is stated as a
recommendation to the Member Boards, the list says who decides each kind, and no item claims a
power the authority clause takes away (the year-end reconciliation is certified by the finance
team, not voted on). A fallback that must bind an unwilling member (the exit plan of a leaving
member) goes to the other members' boards, with the member concerned left out; only a
partnership board, whose decisions bind by contract, settles it itself. Each test drafts the
scenario sets, changed and generated sets.
"""

from __future__ import annotations

import re

import pytest

from drafting.build.pack import build_document, plan
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text, flat, library
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import council_sets, ids_of, sets_of
from tests.test_review_round12_board import planned, words
from tests.test_review_round12c_board import list_sets, listed

# The kinds of item that commit a member's money, property or functions.
COMMITS = re.compile(r"annual budget|recovery plan|surplus kept for reinvestment|single exit plan"
                     r"|part of the budget allocated|date or dates on which staff transfer"
                     r"|costs of its role|arrangements for shared capacity|Managing Director",
                     re.I)
COMMITTEES = ("committees_in_common", "joint_committee")


def committee_sets() -> list[tuple[str, LoadedAnswers, str]]:
    return [(n, la, kind) for n, la, kind in list_sets()
            if la.answers.governance.vehicle in COMMITTEES]


class TestEveryPowerInOneCategory:
    def test_the_case_is_reached(self) -> None:
        sets = committee_sets()
        assert {la.answers.governance.vehicle for _n, la, _k in sets} == set(COMMITTEES)
        assert {kind for _n, _la, kind in sets} == {"collaboration_agreement", "committee_terms"}
        assert any(la.answers.governance.vehicle == "partnership_board"
                   for _n, la, _k in list_sets())

    @pytest.mark.parametrize("name,loaded,kind", committee_sets(), ids=ids_of)
    def test_a_committee_recommends_what_commits_a_member(self, name: str,
                                                          loaded: LoadedAnswers,
                                                          kind: str) -> None:
        document = built(loaded, kind)
        items = listed(document)
        assert items, (name, kind)
        recommended = 0
        for item, _number in items:
            for found in COMMITS.finditer(item):
                if found.group(0) == "arrangements for shared capacity" and \
                        "capacity_and_mutual_aid" in loaded.answers.delegated_matters:
                    # a delegated matter: the committee decides it, within its limit
                    assert "recommendation" not in item, (name, kind, item)
                    continue
                # the recommendation governs the phrase: it comes before it in the same item
                assert "a recommendation to the Member Boards on" in item[:found.start()], \
                    (name, kind, item, found.group(0))
                recommended += 1
        assert recommended, (name, kind)
        board = words(clause_text(document, "governance-board"))
        if loaded.answers.delegated_matters:
            assert "On each recommendation in that list, the Member Board of each Voting " \
                "Member decides for its own Member" in board, (name, kind)
            assert "The Board takes each other decision in that list itself, within a " \
                "delegated matter and its limit or as an administrative act" in board, (name, kind)
        else:
            assert "On each of those decisions the Board recommends, and the Member Boards " \
                "decide" in board, (name, kind)

    @pytest.mark.parametrize("name,loaded,kind", list_sets(), ids=ids_of)
    def test_no_item_is_a_power_the_board_lacks(self, name: str, loaded: LoadedAnswers,
                                                kind: str) -> None:
        items = " ".join(item for item, _n in listed(built(loaded, kind)))
        assert "reconciliation" not in items, (name, kind)
        vehicle = loaded.answers.governance.vehicle
        if vehicle == "partnership_board":
            # the Board decides by contract: nothing of its own is a recommendation
            assert "recommendation" not in items, (name, kind)
            if "exit plan for a leaving Member" in items.replace("Exit Plan", "exit plan"):
                assert "takes no part" in items, (name, kind)
        else:
            assert "for a leaving Member" not in items, (name, kind)


# ---------------------------------------------------------- F2, F6, F7, F8 and the LP terms' SHOULD


def words_of(document) -> str:
    return words(flat(document))


def terms_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of("committee_terms", 20)
            if planned(la, "collaboration_agreement")]


class TestTheTermsStateTheDutiesTheCommitteeApplies:
    """F6: the terms the committee works from state the duties of the bodies it acts for and the
    equality and inequalities analysis the agreement requires before a change to services."""

    @pytest.mark.parametrize("name,loaded", terms_sets(), ids=ids_of)
    def test_duties_and_the_analysis(self, name: str, loaded: LoadedAnswers) -> None:
        terms = words_of(built(loaded, "committee_terms"))
        agreement = built(loaded, "collaboration_agreement")
        equality = next(c for c in agreement.clauses if c.id == "equality-health-inequalities")
        kinds = {m.kind for m in loaded.answers.members if m.member_class != "observer"}
        # round 18: whose duties, by vehicle (a board that exercises no function acts for no one)
        vehicle = loaded.answers.governance.vehicle
        assert {"joint_committee": "the Board applies the duties of the Members whose functions "
                                   "it exercises jointly",
                "committees_in_common": "each committee applies the duties of its own Member",
                "individual_decision_makers": "applies the duties of the Members for which it acts",
                }.get(vehicle, "each Representative has regard, for its own Member, to the duties "
                               "of that Member") in terms, name
        assert "section 149 of the Equality Act 2010 to have due regard to the need to eliminate " \
            "discrimination, harassment and victimisation, to advance equality of opportunity and " \
            "to foster good relations between people who share a protected characteristic and " \
            "those who do not" in terms, name
        assert f"regard to the need to reduce inequalities between patients in their access to " \
            f"the Services and in their outcomes, as clause {equality.number} of the Agreement " \
            f"provides" in terms, name
        assert re.search(rf"that clause {equality.number}\.\d+ of the Agreement requires, and the "
                         r"minutes record how that analysis was taken into account", terms), name
        assert ("section 26A" in terms) == ("nhs_trust" in kinds), name
        assert ("63A" in terms) == ("nhs_foundation_trust" in kinds), name

    def test_the_case_is_reached(self) -> None:
        sets = terms_sets()
        assert len(sets) >= 8
        assert any(la.answers.governance.vehicle == "joint_committee" for _n, la in sets)


def board_sets() -> list[tuple[str, LoadedAnswers, str]]:
    out = []
    for n, la in sets_of("collaboration_agreement", 40):
        out += [(n, la, kind) for kind in planned(la, "collaboration_agreement", "committee_terms")]
    return out


class TestPrivateItemsByResolution:
    """F7: the meeting, not the chair alone, takes an item in private, by a resolution that
    states the reason."""

    @pytest.mark.parametrize("name,loaded,kind", board_sets(), ids=ids_of)
    def test_by_resolution(self, name: str, loaded: LoadedAnswers, kind: str) -> None:
        text = words_of(built(loaded, kind))
        assert "decides to take in private" not in text, (name, kind)
        if "are held in public" in text:
            assert "resolves, on the proposal of the Chair or of any Representative, to take in " \
                "private" in text, (name, kind)
            assert "The resolution states the reason, and it is recorded in the minutes" in text
            # JC ToR S2: a majority never forces a member's sensitive item into public
            assert "is taken in private whenever that Member asks, without a resolution" in text

    def test_the_case_is_reached(self) -> None:
        assert sum("are held in public" in words_of(built(la, kind))
                   for _n, la, kind in board_sets()) >= 3


class TestAMembersOwnProposalIsSeenInFull:
    """F8: where no member competes, redacting costs never hides from the Board what a member
    itself puts forward for its decision; where one competes, the redaction rules stand."""

    @pytest.mark.parametrize("name,loaded,kind", board_sets(), ids=ids_of)
    def test_own_business_case(self, name: str, loaded: LoadedAnswers, kind: str) -> None:
        document = built(loaded, kind)
        if not any(c.id == "reporting" for c in document.clauses):
            return
        text = words(clause_text(document, "reporting"))
        answers = loaded.answers
        lead = answers.governance.model == "lead_provider"
        hub = lead and answers.commissioning.lead_commissions \
            and "commissioning_hub" in answers.commissioning.separation
        compete = bool(answers.is_members) or hub
        own = "Nor is anything that a Member itself puts forward for a decision that the Board " \
            "is to take or recommend, such as its own business case"
        assert (own in text) == (not compete and "only aggregated or redacted" in text), \
            (name, kind)


    def test_the_case_is_reached(self) -> None:
        seen = {"Nor is anything that a Member itself puts forward" in words(
                    clause_text(built(la, kind), "reporting"))
                for _n, la, kind in board_sets()
                if any(c.id == "reporting" for c in built(la, kind).clauses)}
        assert seen == {True, False}


class TestACouncilThatBlocksButIsNotBound:
    """F2: next to the rule on what binds a local authority on a joint committee, the agreement
    and the terms say that it can block any decision that does not bind it."""

    @pytest.mark.parametrize("name,loaded", council_sets(), ids=ids_of)
    def test_stated(self, name: str, loaded: LoadedAnswers) -> None:
        council = next(m.name for m in loaded.answers.members
                       if m.kind == "local_authority" and m.member_class == "voting")
        for kind in planned(loaded, "collaboration_agreement", "committee_terms"):
            text = words_of(built(loaded, kind))
            assert re.search(rf"{re.escape(council)}[^.]* nevertheless votes? on every decision of "
                             r"the (Board|joint committee), and so can block any decision, even one "
                             r"that does not bind (it|them)\.", text), (name, kind)


def test_a_council_set_is_reached() -> None:
    assert council_sets()


def successor_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(n, la) for n, la in sets_of("collaboration_agreement", 60)
            if la.answers.governance.model == "lead_provider"]
    return [(n, la) for n, la in sets
            if any(c.id == "successor-lead-provider"
                   for c in built(la, "collaboration_agreement").clauses)]


class TestEveryDocumentFollowsANewLeadProvider:
    """LP terms (SHOULD): "Lead Provider" in the sub-contracts, terms of reference and data
    sharing agreement includes the body that takes the head contract over under the agreement's
    successor clause, as it does in the agreement."""

    @pytest.mark.parametrize("name,loaded", successor_sets(), ids=ids_of)
    def test_the_definition_has_the_successor_limb(self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        number = next(c.number for c in agreement.clauses if c.id == "successor-lead-provider")
        checked = 0
        for part in plan(loaded.answers):
            if part.kind not in ("sub_contract", "committee_terms", "data_sharing"):
                continue
            text = words(flat(build_document(library(), loaded, part.kind, part.partner_id)))
            found = re.search(r"“Lead Provider” means ([^“]*)", text)
            if not found:
                continue
            checked += 1
            name_of = "Agreement" if part.kind == "committee_terms" else "Collaboration Agreement"
            assert f"from the date on which another body takes over the Head Contract under " \
                f"clause {number} of the {name_of}, that body in that role" in found.group(1), \
                (name, part.kind)
        assert checked, name

    def test_the_case_is_reached(self) -> None:
        assert len(successor_sets()) >= 3


class TestEveryShorterNoticeRouteHasItsExitDate:
    """Shared CA S3: each route to withdraw on shorter notice says when the Exit Date falls."""

    @pytest.mark.parametrize("name,loaded", sets_of("collaboration_agreement", 30), ids=ids_of)
    def test_stated(self, name: str, loaded: LoadedAnswers) -> None:
        text = words(clause_text(built(loaded, "collaboration_agreement"), "withdrawal"))
        assert "may withdraw on shorter notice" in text, name
        voters = any(m.member_class in ("associate", "observer") for m in loaded.answers.members)
        assert "In each case the Member gives a Withdrawal Notice that states its Exit Date" in text
        assert f"Where the other {'Voting Members' if voters else 'Members'} agree in writing, the " \
            "Exit Date is the date they agree. Where the Law, a direction, the dissolution or the " \
            "transfer requires the Member to stop taking part by a date, the Exit Date is that " \
            "date. In any other case it is the date stated in the notice, which is at least 3 " \
            "months after the notice is given." in text, name
        if loaded.answers.governance.model == "lead_provider":
            assert "(for a Partner ending its sub-contract, the date the sub-contract ends)" in text


def every_document() -> list[tuple[str, object]]:
    out = []
    for n, la in sets_of("collaboration_agreement", 12) + sets_of("mou", 6):
        for part in plan(la.answers):
            out.append((f"{n}/{part.kind}/{part.partner_id or ''}",
                        build_document(library(), la, part.kind, part.partner_id)))
    return out


class TestDraftingNotesSpeakToTheLawyer:
    """Readers S10/S5: a drafting note (a Word comment) never shows an internal rule code, an
    answers-file field name or value, or talk of the library; it says "this draft"."""

    def test_no_rule_codes_field_names_or_library(self) -> None:
        seen = 0
        for label, document in every_document():
            for part in list(document.clauses) + list(document.schedules):
                note = " ".join((part.note or "").split())
                if not note:
                    continue
                seen += 1
                assert not re.search(r"\bR\d{1,2}\b", note), (label, part.id, note)
                assert not re.search(r"\b[a-z]+_[a-z_]+\b", note), (label, part.id, note)
                assert "library" not in note.lower(), (label, part.id, note)
        assert seen > 100


class TestTheAgreementListsEveryGatewayThePackUses:
    """JC CA M1: the collaboration agreement, which prevails, lists the gateways for incident
    reviews and complaints whenever it has those clauses (not only the data sharing agreement),
    and its data sharing schedule cites that list instead of stating a narrower one."""

    @pytest.mark.parametrize("name,loaded", sets_of("collaboration_agreement", 40), ids=ids_of)
    def test_gateways(self, name: str, loaded: LoadedAnswers) -> None:
        if loaded.answers.data.legal_gateway != "direct_care":
            return
        document = built(loaded, "collaboration_agreement")
        ids = {c.id for c in document.clauses}
        text = words(clause_text(document, "data-protection"))
        if "is shared only through these gateways" not in text:
            return
        # round 21: the consent of the person the complaint concerns, or of a complainant
        # entitled to act for them
        assert ("For a complaint, it is the consent of the " in text) == \
            ("complaints" in ids), name
        if "clinical-model" in ids:
            assert "For a review of an incident, it is that implied consent" in text, name
        row = re.search(r"Legal basis for sharing confidential patient information \| ([^|]*)",
                        words(flat(document)))
        if row and "As the proposed data flows below show" not in row.group(1):
            assert row.group(1).startswith("The gateways listed in clause "), (name, row.group(1))

    def test_the_case_is_reached(self) -> None:
        assert any(la.answers.data.legal_gateway == "direct_care" and "For a complaint, it is the "
                   "consent of the " in words(clause_text(
                       built(la, "collaboration_agreement"), "data-protection"))
                   for _n, la in sets_of("collaboration_agreement", 40))


class TestAReferralNeverReachesWhatTheMeetingCouldNot:
    """JC CA b F1 (MUST): an item referred to the Member Boards from an inquorate meeting is
    carried by the count that would carry it with every Voting Member present, and needs the
    board of each Member it would commit to spend."""

    @pytest.mark.parametrize("name,loaded,kind", board_sets(), ids=ids_of)
    def test_the_count(self, name: str, loaded: LoadedAnswers, kind: str) -> None:
        text = words_of(built(loaded, kind))
        assert "enough Voting Members to carry it at a meeting approve" not in text, (name, kind)
        if "enough Voting Members to carry it at a meeting" in text:
            assert "to carry it at a meeting at which every Voting Member is present approve it " \
                "in writing, including the Member Board of each Voting Member that the item would " \
                "commit to spend, or to give up income of, any sum" in text, (name, kind)


class TestRepresentativeCitesWhereEachIsAppointed:
    """Readers F9/S8: where a non-voting member's nominee is appointed in another sub-clause
    than the committee members, "Representative" cites the Board's clause as a whole."""

    @pytest.mark.parametrize("name,loaded,kind", board_sets(), ids=ids_of)
    def test_the_reference(self, name: str, loaded: LoadedAnswers, kind: str) -> None:
        document = built(loaded, kind)
        found = re.search(r"“Representative” means .*? under clause ([\d.]+),", words_of(document))
        if not found:
            return
        board = next(c for c in document.clauses if c.id in ("governance-board",))
        answers = loaded.answers
        whole = any(m.member_class == "associate" for m in answers.members) and \
            answers.governance.vehicle in COMMITTEES
        if whole:
            assert found.group(1) == str(board.number), (name, kind, found.group(1))
        else:
            assert found.group(1).startswith(f"{board.number}."), (name, kind, found.group(1))


class TestALackOfAuthorityIsNoBackDoor:
    """MOU-then ToR S1: a Representative's lack of authority never lets its Member's own board
    decide a Board matter for that Member alone."""

    @pytest.mark.parametrize("name,loaded", terms_sets(), ids=ids_of)
    def test_terms(self, name: str, loaded: LoadedAnswers) -> None:
        text = words_of(built(loaded, "committee_terms"))
        assert "which decides for its own Member." not in text or \
            loaded.answers.governance.vehicle != "partnership_board", name
        if "acts for its Member within the authority" in text:
            assert "a Representative's lack of authority never stops the Board deciding a matter " \
                "within the Board's own authority" in text, name
