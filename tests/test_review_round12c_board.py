"""Round-12c findings on the Board's list of decisions and the voting-power statement.

Each test drafts the scenario sets, sets changed to reach the case and generated collaboratives.
The ids are the review's (A1.1: report A, document 1, finding 1).
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import planned, power_sets, words

# ------------------------------------------------------------------ 1 (A1.1, C1.3, D1.2, F2.1, A2.1)

# Each kind of item the list may carry, and the words of the cited clause that give the Board
# that power: an item with no such words in its clause gives the Board nothing.
POWERS = [
    # round 13: where the Board is a committee the Member Boards approve it on its recommendation
    (r"annual budget", r"(the Board approves it|the Member Boards approve it on the Board's "
                       r"recommendation) before the Contract Year starts"),
    (r"reports its income and expenditure every month", r"every month, in the form the Board agrees"),
    # round 17: under committees the Member Boards agree it on the Board's recommendation
    (r"recovery plan", r"(the Board agrees|the Member Boards agree, on the recommendation of the "
                       r"Board,) a (financial )?recovery plan"),
    (r"re-basing", r"only by a decision of the Board on which the Lead Provider is not entitled"),
    (r"part of the budget allocated", r"may not change a Partner's allocation during a Contract Year "
     r"except as its sub-contract allows or the Board approves"),
    (r"surplus kept for reinvestment", r"((that|as) the Board approves|that the Member Boards "
                                       r"approve on the recommendation of the Board)"),
    (r"do not agree in time", r"the Board settles the Exit Plan"),
    (r"single exit plan", r"the (Board agrees|Voting Members agree, each by a decision of its "
                          r"Member Board \(or of the person to whom that board has delegated the "
                          r"matter\) on the recommendation of the Board,) a single Exit Plan"),
    (r"objectives of the managing director, whom the Board also appoints",
     r"The Board appoints the Managing Director, agrees their objectives"),
    (r"objectives of the managing director \(the Member Boards appoint",
     # round 13: the Member Boards agree the objectives too, on the Board's recommendation
     r"The Member Boards appoint the Managing Director and agree their objectives on the "
     r"recommendation of the Board"),
    # round 13 (C2): where the Board is a committee the list recommends the appointment and
    # objectives of the Managing Director to the Member Boards
    (r"appointment and objectives of the managing director",
     r"The Member Boards appoint the Managing Director and agree their objectives on the "
     r"recommendation of the Board"),
    # round 17: "a recommendation to the Member Boards on the appointment ... and on the form"
    (r"(recommendation to the Member Boards|Managing Director and) on the form of the secondment",
     r"secondment agreements in a form the Member Boards approve on the recommendation of the "
     r"Board"),
    (r"(?<! on )the form of the secondment",
     r"secondment agreements in a form the Board approves"),
    (r"staff transfer to the Lead Provider", r"on the date or dates the Board approves"),
    (r"contract with the independent Chair", r"on the terms the Board approves"),
    # round 15: between competing NHS trusts the Board appoints the open-book hub and approves
    # the form of its members' undertaking
    (r"individuals of the open-book hub", r"the individuals \(staff of a Member or independent "
     r"advisers\) whom the Board appoints"),
    (r"the form of the confidentiality undertaking",
     r"confidentiality undertaking in the form the Board approves"),
    (r"costs of its role", r"unless the Board agrees otherwise"),
    (r"arrangements for shared capacity", r"arrangements for shared capacity that the Board agrees"),
    (r"clean team", r"The Board appoints the Clean Team"),
    (r"information hub", r"The Board appoints the Information Hub"),
    (r"written information barrier", r"written information barrier that the Board approves"),
    (r"independent person whose advice", r"whom the Board has approved for the purpose"),
    (r"workplan", r"workplan the Board has approved"),
    (r"admission criteria", r"The Board decides, within 56 days"),  # round 13
    (r"admission of a new Member", r"The Board may admit a body as a Member"),
    # round 20: observers and the successor lead provider are in the list too
    (r"admitting or removing an Observer", r"The Board may admit another body as an Observer, and "
                                           r"may remove an Observer"),
    (r"successor to the Lead Provider", r"the Board may recommend to the Commissioner one of the "
                                        r"other NHS Members .*with the agreement of all the Voting "
                                        r"Members other than the Lead Provider"),
]
LIST = re.compile(r"also give the Board these decisions[^:]*:(.*?\(clause \d+(?: of the Agreement)?\))\.")
ITEM = re.compile(r"(.*?)\(clause (\d+)(?: of the Agreement)?\)(?:; (?:and )?|$)")


def listed(document) -> list[tuple[str, str]]:
    """(item, cited clause number) for each item of the Board's list of other decisions."""
    found = LIST.search(words(clause_text(document, "governance-board")))
    return [(m.group(1).strip(), m.group(2)) for m in ITEM.finditer(found.group(1))] \
        if found else []


def list_sets() -> list[tuple[str, LoadedAnswers, str]]:
    sets = [(n, la, "collaboration_agreement") for n, la in power_sets()]
    sets += [(n, la, "committee_terms") for n, la in sets_of("committee_terms", 20)
             if planned(la, "collaboration_agreement")
             and la.answers.governance.vehicle != "advisory_group"]
    return sets


class TestItem1EachListedDecisionIsInItsClause:
    def test_the_case_is_reached(self) -> None:
        sets = list_sets()
        assert len(sets) >= 12
        assert any(kind == "committee_terms" for _n, _la, kind in sets)

    @pytest.mark.parametrize("name,loaded,kind", list_sets(), ids=ids_of)
    def test_every_item_is_a_power_its_clause_gives(self, name: str, loaded: LoadedAnswers,
                                                     kind: str) -> None:
        agreement = built(loaded, "collaboration_agreement")
        items = listed(built(loaded, kind))
        assert items, (name, kind)
        by_number = {str(c.number): c.id for c in agreement.clauses}
        definitions = words(clause_text(agreement, "definitions"))
        for item, number in items:
            cited = words(clause_text(agreement, by_number[number]))
            if "form of the accession deed" in item.lower():
                assert "in the form the Board approves" in definitions, (name, kind, item)
                item = item.lower().replace("the form of the accession deed", "")
            matched = [need for pattern, need in POWERS if re.search(pattern, item, re.I)]
            assert matched or not item.strip(" ;and"), (name, kind, item)
            for need in matched:
                assert re.search(need, cited), (name, kind, number, item, need)

    @pytest.mark.parametrize("name,loaded,kind", list_sets(), ids=ids_of)
    def test_no_allocation_and_no_reserved_budget(self, name: str, loaded: LoadedAnswers,
                                                  kind: str) -> None:
        text = " ".join(item for item, _n in listed(built(loaded, kind))).lower()
        answers = loaded.answers
        if answers.commissioning.lead_commissions:
            assert "allocation" not in text.replace("allocation decision", ""), (name, kind)
        if "annual_budget" in (answers.governance.reserved_matters or []):
            assert "budget" not in text, (name, kind)


# ------------------------------------------------------------------ 2 (A1.3, D1.3) adjourned meeting


def board_kinds(loaded: LoadedAnswers) -> list[str]:
    return planned(loaded, "collaboration_agreement", "committee_terms")


def majority_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(n, la) for n, la in power_sets()]
    sets += [(n, la) for n, la in sets_of("committee_terms", 20)]
    return [(n, la) for n, la in sets
            if la.answers.governance.voting in ("simple_majority", "special_majority", "weighted")
            and la.answers.governance.vehicle != "advisory_group"]


def adjourning_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in majority_sets() if la.answers.governance.quorum != "majority"]


class TestItem2AbsenceBlocksOnlyAFinancialIncrease:
    def test_the_case_is_reached(self) -> None:
        assert len(adjourning_sets()) >= 6

    @pytest.mark.parametrize("name,loaded", adjourning_sets(), ids=ids_of)
    def test_the_carve_out_and_the_power_statement(self, name: str, loaded: LoadedAnswers
                                                   ) -> None:
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            board = words(clause_text(document, "governance-board"))
            voting = words(clause_text(document, "voting"))
            assert "services or financial commitments" not in board, (name, kind)
            # round 12d (D1.2 of the second reading): above the per-decision limit a decision is
            # never the Board's, so the carve-out names any commitment of the absent member's money
            assert "a decision that would commit an absent Member to spend, or to give up income " \
                "of, any sum" in board, (name, kind)
            assert "beyond the limit for each decision" not in board, (name, kind)
            assert "A Voting Member cannot block a decision by staying away" in voting, (name, kind)
            assert "a decision that would commit it to spend, or to give up income of, any sum" \
                in voting, (name, kind)
            assert "increase its financial commitment" not in voting, (name, kind)


# ------------------------------------------------------------------ 3 (F2.4, F3.1) opt-out


def every_one_blocks(loaded: LoadedAnswers) -> bool:
    """Every decision needs every Voting Member: the statement already says each can block."""
    kind = board_kinds(loaded)[0]
    return "so each of them can block any decision on its own" in words(
        clause_text(built(loaded, kind), "voting"))


def opt_out_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in majority_sets()
            if la.answers.governance.vehicle == "partnership_board"
            and planned(la, "collaboration_agreement") and not every_one_blocks(la)]


class TestItem3ThePowerStatementCountsTheOptOut:
    def test_the_case_is_reached(self) -> None:
        sets = opt_out_sets()
        assert len(sets) >= 4
        assert any("committee_terms" in board_kinds(la) for _n, la in sets)

    @pytest.mark.parametrize("name,loaded", opt_out_sets(), ids=ids_of)
    def test_the_opt_out_is_in_the_statement(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            voting = words(clause_text(document, "voting"))
            # round 13 (D1): the board-refusal opt-out is not drafted; the note offers it
            assert "has refused to approve it" not in voting, (name, kind)
            assert "its refusal works as a block" not in voting, (name, kind)
            assert "A decision of the Board taken by a majority binds" not in voting, (name, kind)


# ------------------------------------------------------------------ 4 (C1.10, C2.4) agreement


def written_sets() -> list[tuple[str, LoadedAnswers, str]]:
    sets = []
    for kind in ("collaboration_agreement", "committee_terms"):
        sets += [(n, la, kind) for n, la in sets_of(kind, 30)
                 if la.answers.governance.voting in ("consensus", "unanimity")
                 and la.answers.governance.vehicle in ("committees_in_common", "joint_committee")]
    return sets


class TestItem4EveryVotingMemberApproves:
    def test_the_case_is_reached(self) -> None:
        assert {kind for _n, _la, kind in written_sets()} == {"collaboration_agreement",
                                                               "committee_terms"}

    @pytest.mark.parametrize("name,loaded,kind", written_sets(), ids=ids_of)
    def test_the_verb_agrees(self, name: str, loaded: LoadedAnswers, kind: str) -> None:
        text = words(clause_text(built(loaded, kind), "voting"))
        assert "every Voting Member entitled to vote on it approves it in writing" in text, name
        assert not re.search(r"every Voting Member[^.;]{0,40} approve it", text), name
