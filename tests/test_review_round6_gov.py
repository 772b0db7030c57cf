"""The partner's round-6 findings on governance, as rules over many answer sets.

Each test drafts the bundled examples, the scenario answer sets, answer sets changed to reach
the case in question and, where the rule is general, generated collaboratives, and reads the
text of the clauses, so a rule holds for every collaborative and not one document.
"""

from __future__ import annotations

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import ALL, DOMINANT, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built, generated_of


def sets_of(kind: str, limit: int = 25) -> list[tuple[str, LoadedAnswers]]:
    """The examples and scenarios that draft `kind`, then generated collaboratives that do."""
    own = [(p.stem, load_answers(p)) for p in ALL]
    return [(n, la) for n, la in own if kind in la.answers.documents] + generated_of(kind, limit)


def ids_of(value: object) -> str:
    return value if isinstance(value, str) else ""


def schedule_row(document: Document, first_cell: str, width: int = 400) -> str:
    """The words of the document from a schedule table's row `first_cell` on (`width` characters)."""
    text = flat(document)
    at = text.rfind(f" {first_cell} ")
    return text[at:at + width] if at >= 0 else ""


# --------------------------------------------------------------------------- A1 casting vote


def casting_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 40)
    sets += [("dominant-chair-is-lead", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "lead_provider"})),
             ("dominant-independent-chair", changed(DOMINANT, governance={
                 "deadlock": "chair_casting_vote", "chair": "independent"}))]
    return [(n, la) for n, la in sets if la.answers.governance.voting == "weighted"
            and la.answers.governance.vehicle != "advisory_group"]


def caster_holds_majority(loaded: LoadedAnswers) -> bool:
    """Worked out from the answers: the casting vote is cast only by a member that has voted
    (the lead provider, or the chair's member when the lead's representative chairs) and
    that member holds more than half of the weight."""
    a = loaded.answers
    g = a.governance
    lead = a.lead.id if a.lead is not None else None
    caster = lead if g.deadlock == "lead_provider_casting_vote" or (
        g.deadlock == "chair_casting_vote" and g.chair == "lead_provider") else None
    weights = a.effective_weights()
    total = sum(weights.values())
    return caster is not None and total > 0 and 100 * weights.get(caster, 0) / total > 50


class TestA1TheCastingVoteStatementFollowsTheClauses:
    @pytest.mark.parametrize("name,loaded", casting_sets(), ids=ids_of)
    def test_agreement_schedule_and_terms_say_the_same(self, name: str, loaded: LoadedAnswers) -> None:
        never = caster_holds_majority(loaded)
        agreement = built(loaded, "collaboration_agreement")
        power = clause_text(agreement, "voting")
        casting = clause_text(agreement, "deadlock")
        row = schedule_row(agreement, "Deadlock")
        # round 7 (A1.2) replaced the explanation by one sentence in the voting clause
        # round 9 (A1.2) made it a rule: the casting vote operates only where a member holding
        # more than half of the weight does not vote, and never while the caster is that member
        said = "never while the"
        if never:
            # round 10b: one sentence in the deadlock clause, none in the statement of power
            assert said not in power, name
            assert "has no casting vote while" in casting, name
            # round 10c: the row says so in the deadlock clause's one sentence
            assert "has no casting vote while" in row, (name, row)
            assert "more than half of the voting weight" in row, (name, row)
        else:
            for text in (casting, row):
                assert "has no casting vote while" not in text, name
        for text in (casting, row):
            assert "falls to half or less" not in text, name
        for text in (power, casting, row):
            assert "can never operate" not in text, name
        if "committee_terms" in loaded.answers.documents:
            terms = clause_text(built(loaded, "committee_terms"), "voting")
            assert said not in terms, name  # round 10b: the terms cite the agreement

    def test_the_dominant_lead_scenario_is_covered(self) -> None:
        assert caster_holds_majority(load_answers(DOMINANT))
        assert any(not caster_holds_majority(la) for _, la in casting_sets())


# --------------------------------------------------------------------------- C2, C3 committees in common


def agreement_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 40)
    sets += [(f"shared-{rule}", changed(SHARED, governance={"voting": rule}))
             for rule in ("consensus", "simple_majority")]
    return sets


def committee_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in agreement_sets()
            if la.answers.governance.vehicle == "committees_in_common"]


class TestC2ADividedCommitteeHasAPosition:
    @pytest.mark.parametrize("name,loaded", committee_sets(), ids=ids_of)
    def test_agreement_and_terms_say_what_a_divided_committee_does(self, name: str, loaded: LoadedAnswers) -> None:
        consensus = loaded.answers.governance.voting == "consensus"
        kinds = ["collaboration_agreement"] + (
            ["committee_terms"] if "committee_terms" in loaded.answers.documents else [])
        for kind in kinds:
            text = clause_text(built(loaded, kind), "voting")
            if consensus:
                # round 9 (C1.4): under consensus an equally divided committee abstains, so that
                # one director alone never blocks the collaborative
                assert "members present are equally divided on a proposal abstains on it" in text, (name, kind)
            else:
                assert "members present are equally divided on a proposal votes against it" in text, (name, kind)

    def test_both_rules_are_covered(self) -> None:
        assert {la.answers.governance.voting == "consensus" for _, la in committee_sets()} == {True, False}


class TestC3OnePersonsConflictIsNotTheMembers:
    @pytest.mark.parametrize("name,loaded", agreement_sets(), ids=ids_of)
    def test_a_deputy_acts_and_an_organisational_conflict_goes_to_the_members_board(
            self, name: str, loaded: LoadedAnswers) -> None:
        kinds = ["collaboration_agreement"] + (
            ["committee_terms"] if "committee_terms" in loaded.answers.documents else [])
        for kind in kinds:
            text = clause_text(built(loaded, kind), "conflicts-of-interest")
            assert "A conflict of interest of one individual is not a conflict of the Member" in text, (name, kind)
            assert "deputy" in text.split("A conflict of interest of one individual")[1][:400], (name, kind)
            own_board = "goes to that Member's own Member Board" in text
            assert own_board == (loaded.answers.governance.vehicle == "committees_in_common"), (name, kind)
            if own_board:
                assert "the other committees never decide it for that Member" in text, (name, kind)


# --------------------------------------------------------------------------- D5 notice periods


class TestD5SafetyAndBreachNoticesAreNotRolledForward:
    @pytest.mark.parametrize("kind", ["collaboration_agreement", "committee_terms"])
    def test_the_business_day_roll_forward_excepts_them(self, kind: str) -> None:
        checked = 0
        for name, loaded in sets_of(kind, 10):
            text = clause_text(built(loaded, kind), "interpretation")
            # round 9 (F2.2): the roll applies only to a period for doing an act
            if "the act may be done on the next Business Day" not in text:
                continue
            checked += 1
            rule = text[text.index("Where the last day of a period for doing an act"):]
            rule = rule[:rule.index(". ") + 1] if ". " in rule else rule
            # round 22: any other Notifiable Incident too
            assert ("except notifying or reporting a patient-safety incident or any other "
                    "Notifiable Incident or a personal data breach, which must be done within the "
                    "period whatever the day") in rule, (name, rule)
        assert checked or kind == "committee_terms", kind


# --------------------------------------------------------------------------- D1 local authorities


def council_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of("collaboration_agreement", 60)
            if la.answers.governance.vehicle == "joint_committee"
            and any(m.kind == "local_authority" and m.member_class == "voting" for m in la.answers.members)]


class TestD1ALocalAuthorityIsNotARelevantBody:
    @pytest.mark.parametrize("name,loaded", council_sets(), ids=ids_of)
    def test_the_board_clauses_never_call_a_council_a_relevant_body(self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        board = clause_text(agreement, "governance-board")
        assert "each of which is a relevant body within section 65Z5 of the NHS Act, establish" not in board, name
        assert "A local authority is not a relevant body" in board, name
        assert "exercised jointly under section 65Z5 of the National Health Service Act 2006 so far as" not in flat(agreement), name
        if "committee_terms" in loaded.answers.documents:
            terms = clause_text(built(loaded, "committee_terms"), "tor-constitution")
            assert "not a relevant body" in terms or "not relevant bodies" in terms, name

    def test_a_council_set_is_covered(self) -> None:
        assert council_sets()
