"""The round-10 review of joint working: who a decision binds, conditions and exit, as rules.

Each test drafts the bundled examples, the scenario answer sets, sets changed to reach the case
and generated collaboratives, and reads the clauses' words, so a rule holds for every
collaborative a user can draft and not one document.
"""

from __future__ import annotations

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import JOINT, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, schedule_row, sets_of


def has_council(loaded: LoadedAnswers) -> bool:
    return loaded.answers.governance.vehicle == "joint_committee" and any(
        m.kind == "local_authority" and m.member_class == "voting" for m in loaded.answers.members)


# ------------------------------------------------------------ D1, D2 who a decision binds


def binding_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 60)
    sets += [("joint-simple-majority", changed(JOINT, governance={"voting": "simple_majority", "special_majority_percent": None})),
             ("joint-special-sixty", changed(JOINT, governance={"special_majority_percent": 60}))]
    return [(n, la) for n, la in sets
            if la.answers.governance.vehicle in ("joint_committee", "committees_in_common")
            and la.answers.governance.voting in ("simple_majority", "special_majority")]


@pytest.mark.parametrize("name,loaded", binding_sets(), ids=ids_of)
def test_a_decision_carries_only_for_the_members_it_binds(name: str, loaded: LoadedAnswers) -> None:
    council = has_council(loaded)
    for kind in ("collaboration_agreement", "committee_terms"):
        if kind not in loaded.answers.documents:
            continue
        document = built(loaded, kind)
        text = clause_text(document, "voting")
        common = loaded.answers.governance.vehicle == "committees_in_common"
        assert ("carry a decision for all" in text) <= (not council and not common), (name, kind)
        if council and "At a quorate meeting of" in text:
            assert "which binds the Voting Members that are relevant bodies and binds" in text, (name, kind)
        voting = next(c for c in document.clauses if c.id == "voting")
        note = " ".join((voting.note or "").split())
        # round 11: the note explains the bracketed sub-clause under which the council votes
        # only on decisions that bind it or its money.
        # round 12 (D2.3): the council's limited vote is no longer an operative bracket but an
        # option in the note, for every joint committee with a voting council, with what
        # adopting it would change (the power statement, who can block, the quorum rule).
        if council:
            assert "votes only on a decision that binds" in note, (name, kind)
            assert "statement of voting power" in note and "quorum rule" in note, (name, kind)
            assert "votes only on a decision that binds" not in text, (name, kind)
        else:
            assert "votes only on a decision that binds" not in note, (name, kind)


# ------------------------------------------------------------ D1 the section 75 agreement


def shared_council_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of("collaboration_agreement", 120)
            if la.answers.finance.model in ("shared_control_total", "lead_holds_budget")
            and any(m.kind == "local_authority" and m.member_class != "observer"
                    for m in la.answers.members)][:8]


@pytest.mark.parametrize("name,loaded", shared_council_sets(), ids=ids_of)
def test_the_section_75_agreement_holds_up_only_the_councils_share(name: str, loaded: LoadedAnswers) -> None:
    document = built(loaded, "collaboration_agreement")
    text = clause_text(document, "conditions-precedent")
    number = document.targets["conditions-precedent.section-75"].number
    conditions = document.targets["conditions-precedent.conditions"].number
    assert not number.startswith(conditions + "("), (name, number)
    waiver = text[text.index("cannot be waived: those in"):].split(". ")[0]
    assert f"clause {number}" not in waiver, (name, waiver)
    assert "That agreement is a condition of that part and share only, not of this Agreement" in text, name
    for head in ("whether a pooled fund is established", "the host of any pooled fund",
                 "each party's contributions", "its term and exit"):
        assert head in text, (name, head)


# ------------------------------------------------------------ A1 proceeding without a member


@pytest.mark.parametrize("name,loaded", sets_of("collaboration_agreement", 40), ids=ids_of)
def test_the_long_stop_fallback_keeps_the_lead_and_two_nhs_members(name: str, loaded: LoadedAnswers) -> None:
    document = built(loaded, "collaboration_agreement")
    text = clause_text(document, "conditions-precedent")
    lead = loaded.answers.governance.model == "lead_provider"
    needed = ("They may proceed only where the Members that remain include "
              + ("the Lead Provider and " if lead else "")
              + "at least two NHS Members; otherwise this Agreement ends on that 28th day.")
    # round 11b: defined term; round 23: the agreement ends on a stated day
    assert needed in text, name
    if lead and "Partner's sub-contract" in text:
        number = document.targets["conditions-precedent.sub-contracts"].number
        waiver = text[text.index("cannot be waived: those in"):].split(". ")[0]
        assert f"clause {number}" in waiver, (name, waiver)
        assert "the end of any standstill period" in text, name


# ------------------------------------------------------------ D1 leaving unwinds joint working


def vehicle_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = sets_of("collaboration_agreement", 80)
    seen: dict[str, int] = {}
    kept = []
    for name, loaded in sets:
        vehicle = loaded.answers.governance.vehicle
        if seen.get(vehicle, 0) < 5:
            seen[vehicle] = seen.get(vehicle, 0) + 1
            kept.append((name, loaded))
    return kept


@pytest.mark.parametrize("name,loaded", vehicle_sets(), ids=ids_of)
def test_leaving_unwinds_the_joint_exercise_of_functions(name: str, loaded: LoadedAnswers) -> None:
    document = built(loaded, "collaboration_agreement")
    text = clause_text(document, "exit-consequences")
    vehicle = loaded.answers.governance.vehicle
    statutory = vehicle in ("joint_committee", "committees_in_common")
    assert ("update their schemes of delegation" in text) == statutory, name
    if vehicle == "joint_committee":
        assert "arrangement for the joint exercise of its functions through the Board under section 65Z5 of the NHS Act ends" in text, name
    if vehicle == "committees_in_common":
        assert "committee stops meeting in common with the others" in text, name
    council_share = loaded.answers.finance.model in ("shared_control_total", "lead_holds_budget") and any(
        m.kind == "local_authority" and m.member_class != "observer" for m in loaded.answers.members)
    assert ("the balance of its contributions is returned to it" in text) == (statutory and council_share), name


# ------------------------------------------------------------ D1 who delivers which service


@pytest.mark.parametrize("name,loaded", sets_of("collaboration_agreement", 30), ids=ids_of)
def test_the_services_schedule_says_who_delivers_what(name: str, loaded: LoadedAnswers) -> None:
    document = built(loaded, "collaboration_agreement")
    text = flat(document)
    # round 11: the Role column appears only where the Members' roles differ (services v3).
    header = "Member | Role | Services it delivers" if "Member | Role | Services it delivers" in text else "Member | Services it delivers"
    assert header in text, name
    table = text.split(header, 1)[1].split("Objectives", 1)[0]
    has_role = "| Role |" in header
    terms = loaded.answers.sub_contract_terms or {}
    lead = loaded.answers.lead_provider if loaded.answers.governance.model == "lead_provider" else None
    for member in loaded.answers.members:
        if member.member_class == "observer":
            assert f"{member.name} |" not in table, (name, member.id)
            continue
        row = table.split(f"{member.name} | ", 1)[1]
        if lead is not None:
            assert has_role, name  # a lead provider and partners: the roles differ
        services = row.split(" | ")[1 if has_role else 0]
        if member.id == lead:
            assert row.startswith("Lead Provider | "), (name, row[:80])
            assert "no Partner delivers" in services or services.startswith("[●"), (name, row[:80])
        elif member.id in terms:
            assert row.startswith("Partner | "), (name, row[:80])
            for service in terms[member.id].services:
                assert service.name[1:] in services, (name, service.name)
        else:
            assert services.startswith("[●]"), (name, row[:80])


# ------------------------------------------------------------ C1 patients moving between members


def shares_capacity(loaded: LoadedAnswers) -> bool:
    answers = loaded.answers
    matters = answers.governance.delegated_matters
    capacity = matters is None or "capacity_and_mutual_aid" in matters
    return (answers.governance.model != "lead_provider" and answers.governance.vehicle != "advisory_group"
            and (answers.collaborative.kind == "horizontal" or capacity))


@pytest.mark.parametrize("name,loaded", sets_of("collaboration_agreement", 40), ids=ids_of)
def test_shared_capacity_has_an_inter_provider_activity_clause(name: str, loaded: LoadedAnswers) -> None:
    document = built(loaded, "collaboration_agreement")
    text = clause_text(document, "inter-provider-activity")
    assert bool(text) == shares_capacity(loaded), name
    if text:
        for words in ("only with the patient's informed consent", "a transfer of care",
                      "on the terms of the sub-contract form published with the NHS Standard Contract",
                      "only with any consent that its contract with its Commissioner requires",
                      "Health Care Services (Provider Selection Regime) Regulations 2023",
                      # round 21: the Board's capacity decision never chooses the provider
                      "which are the award of the originating Member alone"):
            assert words in text, (name, words)


# ------------------------------------------------------------ C1 a deadlock step the answers did not choose


@pytest.mark.parametrize("name,loaded", sets_of("collaboration_agreement", 40), ids=ids_of)
def test_the_chief_executives_step_before_the_boards_is_on_the_checklist(name: str, loaded: LoadedAnswers) -> None:
    document = built(loaded, "collaboration_agreement")
    checklist = " ".join((document.clauses[0].note or "").split())
    chosen = (loaded.answers.governance.deadlock == "refer_to_boards"
              and loaded.answers.governance.vehicle != "advisory_group"
              and "deadlock" in {c.id for c in document.clauses})
    assert ("a meeting of the chief executives of the voting members as the first step of the "
            "deadlock route" in checklist) == chosen, name
