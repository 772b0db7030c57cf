"""The partner's round-7 findings on voting, deadlock and conflicts, as rules over many answer sets.

Each test drafts the bundled examples, the scenario answer sets, answer sets changed to reach
the case in question and generated collaboratives, and reads the text of the clauses, the
schedules and the drafting notes, so a rule holds for every collaborative and not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import DOMINANT, JOINT, MOU_THEN, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import caster_holds_majority, ids_of, schedule_row, sets_of


def board_kinds(loaded: LoadedAnswers) -> list[str]:
    return ["collaboration_agreement"] + (
        ["committee_terms"] if "committee_terms" in loaded.answers.documents else [])


def note_of(document: Document, clause_id: str) -> str:
    return " ".join((next((c.note for c in document.clauses if c.id == clause_id), None)
                     or "").split())


def sentences_with(text: str, words: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+", text) if words in s]


# --------------------------------------------------------------------------- 1 inoperable casting vote


def weighted_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 40)
    sets += [("dominant-chair-is-lead", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "lead_provider"})),
             ("dominant-independent-chair", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "independent"})),
             ("dominant-to-boards", changed(DOMINANT, governance={"deadlock": "refer_to_boards"}))]
    return [(n, la) for n, la in sets if la.answers.governance.voting == "weighted"
            and la.answers.governance.vehicle != "advisory_group"]


class TestItem1AnInoperableCastingVoteIsOneSentence:
    @pytest.mark.parametrize("name,loaded", weighted_sets(), ids=ids_of)
    def test_one_sentence_in_the_voting_clause_and_a_note_to_the_client(
            self, name: str, loaded: LoadedAnswers) -> None:
        never = caster_holds_majority(loaded)
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            power = clause_text(document, "voting")
            deadlock = clause_text(document, "deadlock")
            # never the long explanation, in any copy
            for text in (power, deadlock):
                assert "can never operate" not in text, (name, kind)
                assert "nothing is left for a casting vote to decide" not in text, (name, kind)
                assert "the side on which it votes always holds" not in text, (name, kind)
            # round 9: the statement of power is a rule, so it says when a casting vote is
            # dormant for any member holding more than half of the weight, whoever it is
            said = sentences_with(power, "operates only on a proposal on which that Voting "
                                         "Member does not vote")
            if never:
                # round 10b: the deadlock clause says in one sentence that there is none
                assert not said, (name, kind, said)
                assert "has no casting vote while" in deadlock, (name, kind)
                assert "The casting vote you chose does nothing" in note_of(document, "voting"), \
                    (name, kind)
            else:
                assert "The casting vote you chose does nothing" not in note_of(document, "voting")
            if kind == "collaboration_agreement":
                row = schedule_row(document, "Deadlock")
                assert "can never operate" not in row, (name, row)
                # round 10c: the row uses the deadlock clause's one sentence
                assert ("has no casting vote while" in row) == never, (name, row)
                assert "falls to half or less" not in row, (name, row)

    def test_both_cases_are_covered(self) -> None:
        assert {caster_holds_majority(la) for _, la in weighted_sets()} == {True, False}


# --------------------------------------------------------------------------- 2 reserved matters block


def power_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 40)
    sets += [("mou-then-special", changed(MOU_THEN, governance={
        "voting": "special_majority", "special_majority_percent": 60}))]
    sets += [("dominant-none-reserved", changed(DOMINANT, governance={"reserved_matters": []}))]
    return [(n, la) for n, la in sets if la.answers.governance.vehicle != "advisory_group"]


class TestItem2ThePowerStatementCoversReservedMatters:
    @pytest.mark.parametrize("name,loaded", power_sets(), ids=ids_of)
    def test_any_one_voting_member_can_block_a_reserved_matter(
            self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        block = "any one Voting Member can block a decision on any of the Reserved Matters"
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            voting = clause_text(document, "voting")
            text = flat(document)
            for wrong in ("No Voting Member can block a decision on its own",
                          "no Voting Member can block a decision on its own",
                          "No Voting Member can carry or block a decision on its own"):
                assert wrong not in text, (name, kind, wrong)
            says = block.lower() in voting.lower()
            # round 13 (r13-voting item 1): the power statement is stated once, in the
            # agreement; committee terms in a pack with the agreement cross-refer to it
            # round 18: they state who can block in one sentence and cite the agreement for how
            refers = kind == "committee_terms" and bool(re.search(
                r"clause \d+ \(Decisions and voting\) of the Agreement says how\.", voting))
            if refers:
                assert "collaboration_agreement" in board_kinds(loaded), (name, kind)
                assert not says, (name, kind)
                assert ("any one of them can block a decision on any of the Reserved Matters"
                        in voting) == bool(loaded.answers.reserved_matters), (name, kind)
            if not loaded.answers.reserved_matters or g.voting in ("consensus", "unanimity"):
                assert not says, (name, kind)
            elif "every decision needs the votes of" not in voting or "of the voting weight" in voting:
                assert says or refers, (name, kind)
            if kind == "collaboration_agreement":
                # round 11: the row now also says where the weights are shown and that they
                # are updated, so the power statement runs past the first 400 characters
                row = schedule_row(document, "Power to carry or block alone", width=600)
                assert (block in row) == says, (name, kind, row)

    def test_the_reserved_matters_case_is_covered(self) -> None:
        assert any(la.answers.reserved_matters
                   and la.answers.governance.voting == "simple_majority" for _, la in power_sets())


# --------------------------------------------------------------------------- 3 conflicts never remove the veto


class TestItem3ConflictsNeverRemoveAReservedMatterVote:
    @pytest.mark.parametrize("name,loaded", power_sets(), ids=ids_of)
    def test_the_procedure_keeps_the_vote_and_sends_organisational_conflicts_to_the_boards(
            self, name: str, loaded: LoadedAnswers) -> None:
        reserved = bool(loaded.answers.reserved_matters)
        for kind in board_kinds(loaded):
            text = clause_text(built(loaded, kind), "conflicts-of-interest")
            keeps = "Nothing in this clause takes away a Voting Member's vote on any of the " \
                    "Reserved Matters, except on a decision about its own expulsion or breach"
            assert (keeps in text) == reserved, (name, kind)
            removal = [s for s in sentences_with(text, "does not vote on the item")]
            assert removal, (name, kind)
            if reserved:
                rule = text.split(keeps)[1][:900]
                assert "the Member keeps its vote" in rule, (name, kind)
                assert "deputy" in rule, (name, kind)
                assert "it is referred to the Member Boards" in rule, (name, kind)
                for sentence in removal:
                    assert "Except on one of the Reserved Matters" in sentence, (name, kind, sentence)


# --------------------------------------------------------------------------- 4 allocation items need the chair


def allocation_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(n, la) for n, la in sets_of("collaboration_agreement", 40)
            if la.answers.lead is not None and la.answers.commissioning.lead_commissions]
    sets += [("dominant-no-independent-chair", changed(DOMINANT, commissioning={
        "separation": ["commissioning_hub", "recusal"]}))]
    return sets


class TestItem4AnAllocationItemWaitsForTheIndependentChair:
    @pytest.mark.parametrize("name,loaded", allocation_sets(), ids=ids_of)
    def test_deferred_never_chaired_by_a_representative(self, name: str, loaded: LoadedAnswers) -> None:
        chaired = "independent_chair" in loaded.answers.commissioning.separation
        voters = len(loaded.answers.voting_members)
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            text = clause_text(document, "commissioning-separation")
            assert text, (name, kind)
            deferred = "If that person is absent, the item is deferred to the next meeting"
            assert (deferred in text) == chaired, (name, kind)
            if chaired:
                assert "No Representative chairs the item" in text, (name, kind)
            note = note_of(document, "commissioning-separation")
            alone = "is in practice the advice of"
            assert (alone in note) == (voters <= 3), (name, kind)
            if name == DOMINANT.stem:
                assert f"{alone} the independent chair alone" in note, (name, kind)

    def test_the_dominant_scenario_is_covered(self) -> None:
        assert DOMINANT.stem in {n for n, _ in allocation_sets()}


# --------------------------------------------------------------------------- 5 admission wording


def admission_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 40)
    sets += [("dominant-admission-reserved", changed(DOMINANT, governance={"reserved_matters": [
        "admit_member", "expel_member", "amend_agreement"]}, membership={"joining": "criteria"}))]
    return [(n, la) for n, la in sets if "admit_member" in la.answers.reserved_matters]


class TestItem5AdmissionIsWordedAsTheJoiningClauseWordsIt:
    @pytest.mark.parametrize("name,loaded", admission_sets(), ids=ids_of)
    def test_schedule_and_terms(self, name: str, loaded: LoadedAnswers) -> None:
        criteria = loaded.answers.membership.joining == "criteria"
        for kind in board_kinds(loaded):
            text = flat(built(loaded, kind))
            assert "refusing an applicant" not in text, (name, kind)
            assert "or admitting one that does not" not in text, (name, kind)
            if kind == "committee_terms" and "collaboration_agreement" in loaded.answers.documents:
                # round 9: the terms cite the agreement's Reserved Matters schedule, not a list
                assert "The Reserved Matters are the matters listed in Schedule" in text, name
                continue
            if criteria:
                assert "admitting an applicant as a Member (an applicant that does not meet the " \
                       "joining criteria" in text, (name, kind)
                # round 12 (EF2.4): the class change is named only where joining can admit a
                # member of another class
                assert "is never admitted)" in text, (name, kind)

    def test_the_criteria_case_is_covered(self) -> None:
        assert any(la.answers.membership.joining == "criteria" for _, la in admission_sets())


# --------------------------------------------------------------------------- 6 one information-barrier test


class TestItem6OneInformationBarrierTest:
    @pytest.mark.parametrize("name,loaded", allocation_sets(), ids=ids_of)
    def test_the_provider_arm_sees_only_aggregated_or_anonymised_figures(
            self, name: str, loaded: LoadedAnswers) -> None:
        hub = "commissioning_hub" in loaded.answers.commissioning.separation
        for kind in board_kinds(loaded):
            text = clause_text(built(loaded, kind), "commissioning-separation")
            assert "in a form that is also given to every Partner" not in text, (name, kind)
            if hub:
                # round 24: and every other part of the Lead Provider that prices or bids
                assert "reaches the Provider Arm, and any other part of the Lead Provider that " \
                       "sets prices, prepares bids or sets commercial strategy" in text, (name, kind)
                assert "only aggregated or anonymised so that no party's own figures can be " \
                       "identified" in text, (name, kind)


# --------------------------------------------------------------------------- 7 casting vote holder, capitals


class TestItem7TheScheduleNamesTheCastingVoteHolderAsTheClauseDoes:
    @pytest.mark.parametrize("name,loaded", weighted_sets() + [
        ("mou-then-chair", changed(MOU_THEN, governance={"deadlock": "chair_casting_vote"}))],
        ids=ids_of)
    def test_deadlock_row(self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        row = schedule_row(document, "Deadlock")
        assert "representative has a casting vote" not in row.lower(), (name, row)
        assert "The chair has a casting vote" not in row, (name, row)
        deadlock = loaded.answers.governance.deadlock
        # round 10c: where the holder has more than half of the weight, the row says it has none
        holder = "has no casting vote while" if caster_holds_majority(loaded) else \
            "has a casting vote"
        if loaded.answers.context()["derived"]["voting_power"]["casting_idle"]:
            # round 24: any two Voting Members carry a proposal, so the row says the casting
            # vote cannot operate
            holder = "'s casting vote (clause"
        if deadlock == "lead_provider_casting_vote" and loaded.answers.lead is not None:
            assert f"The Lead Provider{'' if holder.startswith(chr(39)) else ' '}{holder}" in row, \
                (name, row)
        if deadlock == "chair_casting_vote" and loaded.answers.governance.voting in (
                "simple_majority", "weighted"):
            assert f"The Chair{'' if holder.startswith(chr(39)) else ' '}{holder}" in row, \
                (name, row)

    @pytest.mark.parametrize("name,loaded", power_sets(), ids=ids_of)
    def test_defined_terms_are_capitalised_in_these_clauses(self, name: str, loaded: LoadedAnswers) -> None:
        lower = re.compile(r"\b(voting members?|lead provider|the collaborative|member boards?|"
                           r"reserved matters)\b")
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            for clause in ("voting", "deadlock", "conflicts-of-interest", "commissioning-separation",
                           "lead-provider-veto", "reporting", "provider-selection"):
                found = lower.findall(clause_text(document, clause))
                assert not found, (name, kind, clause, found)
            if kind == "collaboration_agreement":
                for row in ("Decisions", "Deadlock", "Power to carry or block alone"):
                    cells = schedule_row(document, row)[:200]
                    assert not lower.findall(cells.split(" Reports to ")[0]), (name, row, cells)


# --------------------------------------------------------------------------- 8 the register in the terms


def register_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(n, la) for n, la in sets_of("committee_terms", 40)]
    sets += [("joint-no-managing-director", changed(JOINT, governance={"managing_director": "none"}))]
    return sets


class TestItem8TheTermsRegisterCoversTheManagingDirector:
    @pytest.mark.parametrize("name,loaded", register_sets(), ids=ids_of)
    def test_same_people_as_the_agreement(self, name: str, loaded: LoadedAnswers) -> None:
        has = loaded.answers.governance.managing_director != "none"
        terms = clause_text(built(loaded, "committee_terms"), "conflicts-of-interest")
        texts = [terms]
        if "collaboration_agreement" in loaded.answers.documents:
            agreement = clause_text(built(loaded, "collaboration_agreement"), "conflicts-of-interest")
            assert ("by the Managing Director" in agreement) == has, name
            texts.append(agreement)
        # round 11b: the terms use the agreement's defined name
        assert ("by the Managing Director" in terms) == has, name
        # the rest of the register sentence is the same text
        head = "The secretariat of the Board keeps a Conflicts Register"
        tail = "and by anyone else who takes part in the business of the Board"
        for text in texts:
            assert head in text and tail in text, name

    def test_the_managing_director_case_is_covered(self) -> None:
        assert any(la.answers.governance.managing_director != "none" for _, la in register_sets())
        assert load_answers(JOINT).answers.governance.managing_director != "none"
