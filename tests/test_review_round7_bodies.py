"""The partner's round-7 findings on the Board's bodies, as rules over many answer sets.

Committees in common and joint committees are bodies of their members' boards: who may sit on
them, what binds a member, what each board must resolve before they act, and how the terms of
reference tie to the agreement. Each test drafts the bundled examples, the scenario answer sets,
answer sets changed to reach the case and generated collaboratives, and reads the text.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document, Paragraph, plain
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, JOINT, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of

COMMITTEES = ("committees_in_common", "joint_committee")


def kinds_of(loaded: LoadedAnswers) -> list[str]:
    """The agreement and the terms of reference, where the pack has each."""
    return [k for k in ("collaboration_agreement", "committee_terms") if k in loaded.answers.documents]


def committee_sets() -> list[tuple[str, LoadedAnswers]]:
    """Packs with committees in common or a joint committee, including changed scenarios."""
    sets = [(n, la) for n, la in sets_of("collaboration_agreement", 60) + sets_of("committee_terms", 30)
            if la.answers.governance.vehicle in COMMITTEES]
    sets += [("shared-as-joint-committee", changed(SHARED, governance={"vehicle": "joint_committee"})),
             ("joint-as-committees", changed(JOINT, governance={"vehicle": "committees_in_common"})),
             ("dominant-as-committees", changed(DOMINANT, governance={"vehicle": "committees_in_common"}))]
    seen: set[str] = set()
    return [(n, la) for n, la in sets if not (n in seen or seen.add(n))]


def words_of(document: Document, blocks) -> str:
    """The words of paragraphs and table cells, references shown as numbers."""
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    words: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            words.append(plain(block.inlines, document.targets, schedules))
        else:
            words.append(" | ".join(block.header))
            words += [" | ".join(plain(cell, document.targets, schedules) for cell in row)
                      for row in block.rows]
    return "\n".join(words)


def schedule_text(document: Document, schedule_id: str) -> str:
    """The words of one schedule (paragraphs and table cells)."""
    return "\n".join(words_of(document, s.blocks) for s in document.schedules if s.id == schedule_id)


def clause_words(document: Document, clause_id: str) -> str:
    """The words of one clause, its tables included."""
    return "\n".join(words_of(document, c.blocks) for c in document.clauses if c.id == clause_id)


def note_of(document: Document, clause_id: str) -> str:
    return " ".join((next((c.note for c in document.clauses if c.id == clause_id), None) or "").split())


# --------------------------------------------------------------------------- 1 office and one source


class TestR1CommitteeMembersHoldTheOfficeAndAreNamedInSchedule1:
    @pytest.mark.parametrize("name,loaded", committee_sets(), ids=ids_of)
    def test_members_and_deputies_are_directors_and_blanks_in_schedule_1(
            self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        voters = [m for m in loaded.answers.members if m.member_class == "voting"]
        for kind in kinds_of(loaded):
            document = built(loaded, kind)
            board = clause_text(document, "governance-board")
            assert "with the same authority" not in board, (name, kind)
            assert "named by each Member in writing" not in board, (name, kind)
            assert re.search(r"The Representatives and their deputies are named in Schedule \d+", board), (name, kind)
            if g.non_executive_member:
                assert "a non-executive director in place of a non-executive director" in board, (name, kind)
            note = note_of(document, "governance-board")
            assert "need not be a director" not in note, (name, kind)
            members = schedule_text(document, "members")
            rows = re.findall(r"\| \[●\], (?:non-executive director|director|elected member or officer) \| \[●\], ", members)
            assert len(rows) == len(voters) * g.committee_members, (name, kind, members[-600:])
            assert "it names the other" not in members and "it names the others" not in members, (name, kind)

    def test_a_representative_need_not_be_a_director_only_without_committees(self) -> None:
        document = built(changed(DOMINANT), "collaboration_agreement")
        assert "need not be a director" in note_of(document, "governance-board")
        assert "[●], director" not in schedule_text(document, "members")

    def test_the_sets_cover_both_vehicles(self) -> None:
        assert {la.answers.governance.vehicle for _, la in committee_sets()} == set(COMMITTEES)


# --------------------------------------------------------------------------- 2 nothing done by the Board


class TestR2NothingIsDoneToOneMemberByTheBoard:
    @pytest.mark.parametrize("name,loaded", committee_sets(), ids=ids_of)
    def test_expulsion_and_suspension_are_the_other_members_boards(self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        if "collaboration_agreement" not in loaded.answers.documents:
            return
        agreement = built(loaded, "collaboration_agreement")
        text = clause_text(agreement, "expulsion")
        assert "the date the Board sets" not in text, name
        assert "The Board may suspend" not in text, name
        assert "Expulsion takes effect on the date set in the decision to expel" in text, name
        if g.vehicle == "committees_in_common" or "expel_member" in g.reserved_matters:
            assert "by the Member Boards of the other Voting Members" in text or (
                "taken by the Member Board of each other Voting Member" in text), name
            assert "in the reasonable opinion of the Board" not in text, name
            assert "the Board gives it notice" not in text, name

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in committee_sets()
                                             if la.answers.governance.vehicle == "committees_in_common"],
                             ids=ids_of)
    def test_an_abstaining_or_absent_member_is_bound_only_by_its_own_adoption(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in kinds_of(loaded):
            board = clause_text(built(loaded, kind), "governance-board")
            if kind == "collaboration_agreement":
                # round 13: whether an abstaining or absent committee is bound is the voting
                # clause's rule, cited here.
                assert re.search(r"binds a Member only because that Member's own committee has "
                                 r"taken it, and clause [\d.]+ says when a Member whose committee "
                                 r"abstains or is absent is bound", board), name
                assert "each committee's decision or recommendation for its own Member" in board, name
            if "If the adjourned meeting is not quorate" in board:
                # round 13: cited from the voting clause, not restated.
                assert re.search(r"Clause [\d.]+ applies to a decision of an adjourned meeting as to "
                                 r"any other", board), (name, kind)


# --------------------------------------------------------------------------- 3 legal basis of the terms

POWERS = {
    "nhs_foundation_trust": "paragraph 15(3) of Schedule 7 to the National Health Service Act 2006",
    "nhs_trust": "standing orders made under the NHS Trusts (Membership and Procedure) Regulations 1990",
    "local_authority": "executive arrangements and constitution",
}


def terms_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in committee_sets() if "committee_terms" in la.answers.documents]


class TestR3TheTermsGiveEachBodysPowerAndTheAgreementsClauseNumbers:
    @pytest.mark.parametrize("name,loaded", terms_sets(), ids=ids_of)
    def test_each_kind_of_member_has_its_power_and_its_own_rules(self, name: str, loaded: LoadedAnswers) -> None:
        terms = built(loaded, "committee_terms")
        own = clause_text(terms, "tor-constitution")
        voters = [m for m in loaded.answers.members if m.member_class == "voting"]
        joint = loaded.answers.governance.vehicle == "joint_committee"
        for member in voters:
            if member.kind in POWERS and not joint:
                assert POWERS[member.kind] in own, (name, member.kind)
        if joint:
            # round 10c: section 65Z5 is every relevant body's power; its own rules are its
            # internal authority only, and paragraph 15(3) is not cited.
            assert "is section 65Z5 of that Act and those Regulations" in own, name
            assert "paragraph 15(3)" not in own, name
            for member in voters:
                if member.kind == "local_authority":
                    assert POWERS["local_authority"] in own, name
        assert "standing orders" in own and "standing financial instructions" in own, name
        if loaded.answers.governance.vehicle == "joint_committee":
            # round 11: section 65Z6 (pooled funds) is cited only where the members pool money.
            pooled = loaded.answers.finance.model in ("shared_control_total", "lead_holds_budget")
            assert ("section 65Z6 of that Act" in own) == pooled, name
            table = clause_words(terms, "tor-constitution")
            table = table[table.index("The functions exercised jointly are"):]
            for member in voters:
                assert member.name in table, (name, member.name)
            # round 19: a council's funds are pooled under a section 75 agreement, which the
            # constitution names only where a council is a voting member and money is pooled
            councils = any(m.kind == "local_authority" for m in voters)
            assert ("under an agreement under section 75 of that Act for the functions of" in own) \
                == (councils and pooled), name

    @pytest.mark.parametrize("name,loaded", terms_sets(), ids=ids_of)
    def test_references_to_the_agreement_give_its_clause_numbers(self, name: str, loaded: LoadedAnswers) -> None:
        if "collaboration_agreement" not in loaded.answers.documents:
            return
        agreement = built(loaded, "collaboration_agreement")
        own = clause_text(built(loaded, "committee_terms"), "tor-constitution")
        numbers = {c.id: c.number for c in agreement.clauses}
        assert f"clause {numbers['conditions-precedent']} (Conditions precedent) of the Agreement" in own, name
        # round 11b: the terms-of-reference rule is cited by its sub-clause number
        assert f"clause {numbers['governance-board']}." in own, name
        assert "(The Board) of the Agreement" not in own, name
        assert "the condition on it in the Agreement" not in own, name
        assert "its own variation procedure" not in own, name


# --------------------------------------------------------------------------- 9 precedence and public business


class TestR9ThePrecedenceStatementQuotesTheAgreementsOrder:
    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in sets_of("committee_terms", 30)
                                             if "collaboration_agreement" in la.answers.documents], ids=ids_of)
    def test_schedules_that_rank_above_the_terms_say_so(self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        order = clause_text(agreement, "interpretation")
        own = clause_text(built(loaded, "committee_terms"), "tor-constitution")
        assert "below its clauses and above its schedule that summarises them" not in own, name
        # the agreement's order is cited by its clause, never copied into the terms (round 9)
        number = next(c.number for c in agreement.clauses if c.id == "interpretation")
        assert order, name
        # round 11b: cited by the sub-clause number of the agreement's precedence rule
        assert re.search(rf"The Agreement's order of precedence \(clause {number}\.\d+ of the "
                         r"Agreement\) applies; these terms of reference rank as stated there",
                         own), name
        assert "its schedule of" not in own and "its financial framework" not in own, name


# --------------------------------------------------------------------------- 7 conditions precedent


class TestR7EachParentBodysDelegationIsAlwaysACondition:
    @pytest.mark.parametrize("name,loaded", [
        *[(n, la) for n, la in committee_sets() if "collaboration_agreement" in la.answers.documents],
        ("shared-approved", changed(SHARED, governance={"delegations_approved": True})),
        ("joint-approved", changed(JOINT, governance={"delegations_approved": True})),
        ("shared-without-terms", changed(SHARED, documents=["collaboration_agreement"]))], ids=ids_of)
    def test_delegation_terms_and_scheme_are_unwaivable_conditions(self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        text = clause_text(agreement, "conditions-precedent")
        number = agreement.targets["conditions-precedent.delegation"].number
        # round 9 (D1.1): on a joint committee a local authority's part follows the relevant
        # bodies' in the same condition, up to the certified copies each gives
        start = re.search(r"the Member Board of each Voting Member( that is a relevant body)? has",
                          text)
        assert start, name
        condition = text[start.start():]
        condition = condition[:condition.index("certified copy")]
        assert "has adopted the terms of reference named in clause" in condition or (
            "has adopted the terms of reference that this Agreement sets out" in condition), name
        assert "has updated its scheme of delegation" in condition, name
        if any(m.kind == "local_authority" and m.member_class == "voting" for m in loaded.answers.members):
            assert "by an executive decision under" in condition, name
        waiver = text[text.index("cannot be waived"):]
        assert f"clause {number}" in waiver[:300], name
        board = agreement.targets["governance-board"].number if "governance-board" in agreement.targets else \
            next(c.number for c in agreement.clauses if c.id == "governance-board")
        signing = text[:text.index("The other provisions of this Agreement take effect")]
        with_mou = "mou" in loaded.answers.documents  # then the MOU's Steering Group prepares
        assert (f"clause {board} for the preparatory meetings" in signing) != with_mou, name

    def test_without_committees_no_delegation_condition(self) -> None:
        text = clause_text(built(changed(DOMINANT), "collaboration_agreement"), "conditions-precedent")
        assert "has adopted the Board's terms of reference" not in text
        # the Board clause binds on signing for the preparatory meetings in every model (round 9)
        assert "for the preparatory meetings" in text


# --------------------------------------------------------------------------- 5 and 6 a local authority


def council_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in committee_sets() if la.answers.governance.vehicle == "joint_committee"
            and any(m.kind == "local_authority" and m.member_class == "voting" for m in la.answers.members)]


class TestR5ALocalAuthorityIsBoundOnlyThroughSection75OrItsExecutive:
    @pytest.mark.parametrize("name,loaded", council_sets(), ids=ids_of)
    def test_binding_and_the_limit_go_through_its_own_decision_and_section_151(
            self, name: str, loaded: LoadedAnswers) -> None:
        councils = [m.name for m in loaded.answers.members
                    if m.kind == "local_authority" and m.member_class == "voting"]
        for kind in kinds_of(loaded):
            document = built(loaded, kind)
            board = clause_text(document, "governance-board")
            own = board if kind == "collaboration_agreement" else clause_text(document, "tor-constitution")
            assert "binds each Voting Member that is a relevant body" in own, (name, kind)
            assert "only through an agreement under section 75 of the" in own, (name, kind)
            assert "section 151 of the Local Government Act 1972" in own, (name, kind)
            limit = board[board.index("No single decision on those matters may commit"):][:600]
            assert councils[0] in limit and "section 151" in limit, (name, kind)
            if kind == "collaboration_agreement":
                assert "Voting Members that are relevant bodies arrange for their functions" in board, name
                assert "Only a Member that is a relevant body within section 65Z5" in board, name

    def test_a_council_set_is_covered(self) -> None:
        assert council_sets()


# --------------------------------------------------------------------------- 4 and 10 meetings


class TestR4SubGroupsAreAdvisoryUnderCommittees:
    @pytest.mark.parametrize("name,loaded", terms_sets(), ids=ids_of)
    def test_a_sub_group_decides_nothing_unless_each_board_delegates_to_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(built(loaded, "committee_terms"), "tor-membership-meetings")
        assert "may not delegate to a sub-group any decision it could not take itself" not in text, name
        assert "is advisory only" in text, name
        # round 23: a decision is delegated to a sub-group only by a variation that sets it out
        assert "takes no decision. A decision can be delegated to a sub-group only by " in text, name
        assert "delegates a decision to it directly" not in text, name


class TestR10OneCompetitionProtocolTriggeredByCompetitors:
    @pytest.mark.parametrize("name,loaded", sets_of("committee_terms", 30), ids=ids_of)
    def test_the_terms_use_the_agreements_protocol_and_name_no_member(self, name: str, loaded: LoadedAnswers) -> None:
        terms = built(loaded, "committee_terms")
        text = clause_text(terms, "tor-membership-meetings")
        assert "Because " not in text, name
        for member in loaded.answers.members:
            assert member.name not in text, (name, member.name)
        if "collaboration_agreement" not in loaded.answers.documents:
            return
        agreement = built(loaded, "collaboration_agreement")
        barrier = next((c for c in agreement.clauses if c.id == "competition-information-barrier"), None)
        if barrier is None:
            assert "meeting protocol" not in text, name
        else:
            # round 11b: the protocol's sub-clause number
            assert re.search(f"at which providers that compete with one another are present follows the meeting "
                             rf"protocol in clause {barrier.number}\.\d+ of the Agreement", text), name

    def test_a_competing_set_is_covered(self) -> None:
        assert any("meeting protocol in clause" in clause_text(built(la, "committee_terms"), "tor-membership-meetings")
                   for _, la in sets_of("committee_terms", 10))


# --------------------------------------------------------------------------- 8 MOU then agreement


class TestR8TheSteeringGroupPreparesUntilTheOperativeDate:
    @pytest.mark.parametrize("name,loaded", sets_of("collaboration_agreement", 60), ids=ids_of)
    def test_one_preparatory_body(self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(built(loaded, "collaboration_agreement"), "conditions-precedent")
        with_mou = "mou" in loaded.answers.documents
        # round 12: "the work of the collaboration" is now the defined "Collaborative", and the "one body"
        # self-claim is gone; that the steering group is the only preparatory body is still asserted by
        # the Board's not meeting or deciding before the Operative Date, below
        assert ("the steering group set up by the memorandum of understanding between the Members remains the "
                "body that prepares for the work of the Collaborative and makes recommendations to the "
                "Member Boards" in text) == with_mou, name
        # round 9 (F1.5): the Operative Date may float, so no meeting is fixed on it
        assert ("the Board does not meet or decide before the Operative Date" in text) \
            == with_mou, name
        assert "first meets on the Operative Date" not in text, name
        # round 15: without an MOU the future Representatives meet only as a shadow group, which is not the
        # Board and whose decisions bind no Member; the Board itself never meets before the Operative Date
        assert "the Board may meet" not in text, name
        assert ("may meet as a shadow group" in text and "The shadow group is not the Board" in text) \
            != with_mou, name

    def test_an_mou_pack_is_covered(self) -> None:
        assert any("mou" in la.answers.documents for _, la in sets_of("collaboration_agreement", 60))


# --------------------------------------------------------------------------- 11 schedule labels


class TestR11Schedule1UsesTheDefinedClasses:
    @pytest.mark.parametrize("name,loaded", sets_of("collaboration_agreement", 40)
                             + [("shared-majority", changed(SHARED, governance={"voting": "simple_majority"}))],
                             ids=ids_of)
    def test_labels_contacts_and_the_class_column(self, name: str, loaded: LoadedAnswers) -> None:
        members = loaded.answers.members
        classes = {m.member_class for m in members}
        for kind in kinds_of(loaded):
            table = schedule_text(built(loaded, kind), "members").split("\n")
            header = table[0]
            # round 12 (EF2.4): the Class column only where more than one class signs or joining can
            # admit another class; the agreement's "Voting Member" is "shown as such" in this schedule
            # exactly when the column is there, so the definition never points at a missing column
            vehicle = loaded.answers.governance.vehicle
            can_admit_other = vehicle in ("joint_committee", "committees_in_common") or any(
                m.member_class == "associate" for m in members)
            has_class = "Class" in header.split(" | ")
            assert has_class == (len(classes) > 1 or can_admit_other), (name, kind, header)
            if kind == "collaboration_agreement":
                definitions = clause_text(built(loaded, kind), "definitions")
                voting = re.search(r"Voting Member\u201d means [^\u201c]*", definitions)
                if voting:
                    assert ("shown as such in Schedule" in voting.group(0)) == has_class, (name, voting.group(0))
            assert "Representative" not in header or not any(m.member_class == "observer" for m in members) \
                or "named contact" in header, (name, kind, header)
            for m in members:
                row = next(r for r in table if r.startswith(m.name + " | "))
                if "Class" in header.split(" | ") and m.member_class == "voting" and \
                        loaded.answers.governance.vehicle != "advisory_group":  # nobody votes there
                    assert " | Voting Member | " in row, (name, kind, row)
                if m.member_class == "observer" and "| Representative or named contact" in header:
                    assert "(named contact)" in row, (name, kind, row)

    def test_an_observer_and_a_single_class_are_covered(self) -> None:
        sets = sets_of("collaboration_agreement", 40)
        assert any(any(m.member_class == "observer" for m in la.answers.members) for _, la in sets)
        assert any(len({m.member_class for m in la.answers.members}) == 1 for _, la in sets)
