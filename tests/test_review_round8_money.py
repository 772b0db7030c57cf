"""A healthcare partner's eighth review of the money clauses, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
documents of the bundled examples, the scenario answer sets, variations of them and generated
collaboratives as `drafting lint` drafts them, and reads the text a lawyer would read. The ids
are the review's (report, document, finding).
"""

from __future__ import annotations

import re

import pytest

from drafting.build.pack import plan
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import ALL, JOINT, MOU_ONLY, changed, clause_text, flat
from tests.test_review_round5_mou import MERSEY, MOUS, built, generated_of

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def hub_mous() -> list[tuple[str, LoadedAnswers]]:
    """MOUs whose competition clause has an Information Hub or a Clean Team, pooled or not."""
    sets = [(MERSEY.stem, load_answers(MERSEY)),
            ("mersey-binding", changed(MERSEY, mou_binding=True)),
            ("mersey-clean-team", changed(MERSEY, competition={"information_barrier": "clean_team"})),
            ("mersey-running-costs", changed(MERSEY, finance={"model": "running_costs",
                                                               "running_cost_split": "equal"})),
            ("mersey-binding-running-costs", changed(MERSEY, mou_binding=True, finance={
                "model": "running_costs", "running_cost_split": "equal"}))]
    sets += [(name, la) for name, la in generated_of("mou", limit=200)
             if la.answers.competition.information_barrier in ("hub", "clean_team")
             and any(m.kind == "independent_sector" for m in la.answers.members)][:6]
    return sets


def hub_agreements() -> list[tuple[str, LoadedAnswers]]:
    """Agreements with an Information Hub of their own (not the Lead Provider's Commissioning Hub)."""
    sets = [(p.stem, load_answers(p)) for p in ALL]
    sets += generated_of("collaboration_agreement", 60)
    found = []
    for name, la in sets:
        if "collaboration_agreement" not in la.answers.documents:
            continue
        if "competition-information-barrier" not in {c.id for c in built(la, "collaboration_agreement").clauses}:
            continue
        if "Information Hub" in clause_text(built(la, "collaboration_agreement"),
                                            "competition-information-barrier"):
            found.append((name, la))
    return found


# --------------------------------------------------------------------------- 1 (E2.1, E2.2)


class TestE21NoPoolingMeansNoSharedBudget:
    @pytest.mark.parametrize("name,loaded", hub_mous(), **IDS)
    def test_no_pooling_creates_no_budget_and_the_hub_cost_is_agreed_on_appointment(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "mou")
        costs = clause_text(doc, "mou-costs")
        note = " ".join((doc.clauses[0].note or "").split())
        costs_note = " ".join((next(c.note for c in doc.clauses if c.id == "mou-costs") or "").split())
        if loaded.answers.finance.model == "no_pooling":
            assert "No budget is shared under this memorandum" in costs, name
            # round 10 (E2.3): the hub's cost has a default basis the Members may vary
            # round 11 (E2.4): that basis is only a bracketed proposal, agreed on appointment
            # round 11c (E2.1): the blank inside the bracketed proposal is a [£●] blank
            assert re.search(r"The Members agree in writing how the cost of the .* is shared "
                             r"when they (appoint it|set it up)\[, and propose to share it in "
                             r"equal shares up to a total of \[£●\]\]\.", costs), name
            assert "Each Member approves its share under its own governance" in costs, name
            assert "with a proposal in square brackets of equal shares up to a total of [£●]" \
                in note, name
            assert "creates no shared budget for running costs" in costs_note, name
            for sentence in re.split(r"(?<=\.) ", costs):
                if "bears its own costs" in sentence:
                    assert "except" not in sentence, (name, sentence)
        else:
            assert "are met from a budget of [£●] for the Term" in costs, name
        # the Member that holds the money or the secretariat never hosts the hub
        assert "hosts the Information Hub" not in costs, name

    @pytest.mark.parametrize("name,loaded", hub_mous() + hub_agreements(), **IDS)
    def test_the_hub_is_independent_and_its_appointer_is_named(
            self, name: str, loaded: LoadedAnswers) -> None:
        kind = "mou" if "collaboration_agreement" not in loaded.answers.documents or name in {
            n for n, _ in hub_mous()} else "collaboration_agreement"
        doc = built(loaded, kind)
        text = clause_text(doc, "competition-information-barrier")
        if "Information Hub" not in text:
            return
        # round 11 (E2.2, E2.3): the appointment power is stated once, in the hub sub-clause,
        # and the hub rules are numbered sub-paragraphs (tests/test_review_round11_info.py)
        appointer = ("The Members appoint the Information Hub jointly in writing" if kind == "mou"
                     else "The Board appoints the Information Hub and may replace it")
        assert appointer in text, name
        assert "a third party, such as a commissioning support unit or an external adviser;" in text
        assert "a team of a party that does not compete in the market concerned" in text, name
        assert re.search(r"a team of a party that competes in that market, but only behind a "
                         r"written information barrier that the (Members approve|Board approves)",
                         text), name
        assert "gives an individual written confidentiality undertaking" in text, name
        assert "No Competitively Sensitive Information is collected for the Collaborative before " \
               "the Information Hub is appointed" in text, name
        assert "hosted and paid for" not in text, name


# --------------------------------------------------------------------------- 2 (D1.1)


def council_sets() -> list[tuple[str, LoadedAnswers]]:
    """Agreements with a local authority that is not an observer, finances shared or not."""
    sets = [(p.stem, load_answers(p)) for p in ALL]
    sets += [("joint-running-costs", changed(JOINT, finance={"model": "running_costs"})),
             ("joint-no-pooling", changed(JOINT, finance={"model": "no_pooling"}))]
    sets += generated_of("collaboration_agreement", 120)
    return [(n, la) for n, la in sets if "collaboration_agreement" in la.answers.documents
            and any(m.kind == "local_authority" and m.member_class != "observer"
                    for m in la.answers.members)][:10]


class TestD11TheCouncilsSection75AgreementIsAConditionPrecedent:
    @pytest.mark.parametrize("name,loaded", council_sets(), **IDS)
    def test_section_75_is_a_condition_of_the_councils_share_and_is_on_the_checklist(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = clause_text(doc, "conditions-precedent")
        note = " ".join((doc.clauses[0].note or "").split())
        shared = loaded.answers.finance.model in ("shared_control_total", "lead_holds_budget")
        councils = [m.name for m in loaded.answers.members
                    if m.kind == "local_authority" and m.member_class != "observer"]
        if not shared:
            assert "section 75" not in text, name
            assert "section 75 agreement of" not in note, name
            return
        # round 12d: the condition names the agreement itself (the finance clause pointed back
        # to it, a loop), with the regulations it is made under
        assert ("and the other Members concerned have entered into an agreement under section 75 "
                "of the NHS Act and the NHS Bodies and Local Authorities Partnership Arrangements "
                "Regulations 2000") in text, name
        assert "referred to in clause" not in text.split("(dated")[0].split("section 75")[-1], name
        for council in councils:
            assert council in text.split("section 75")[0].rsplit(";", 1)[-1], (name, council)
        assert "(dated [●])" in text, name
        # round 10: a condition of the council's share only, never of the whole agreement, so it
        # is not among the conditions that hold up the agreement or cannot be waived
        number = doc.targets["conditions-precedent.section-75"].number
        waiver = text[text.index("cannot be waived: those in"):].split(". ")[0]
        assert f"clause {number}" not in waiver, (name, number, waiver)
        assert "That agreement is a condition of that part and share only, not of this Agreement" in text, name
        assert "section 75 agreement of" in note and "a condition of" in note, name


# --------------------------------------------------------------------------- 3 (D1.6)


def shared_control_total_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(p.stem, load_answers(p)) for p in ALL]
    sets += generated_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets if la.answers.finance.model == "shared_control_total"][:8]


class TestD16OneControlTotalIsNotOneBudget:
    @pytest.mark.parametrize("name,loaded", shared_control_total_sets(), **IDS)
    def test_no_document_says_the_members_share_one_budget(
            self, name: str, loaded: LoadedAnswers) -> None:
        seen = False
        for kind in sorted({p.kind for p in plan(loaded.answers)} - {"sub_contract"}):
            text = flat(built(loaded, kind))
            assert "share one budget" not in text, (name, kind)
            if "against one Shared Control Total" in text:
                seen = True
                assert ("the Members manage their spending on the Services against one Shared "
                        "Control Total, sharing the risk and any gain between them") in text, name
        if "collaboration_agreement" in loaded.answers.documents:
            assert seen, name

    def test_the_joint_committee_schedule_and_no_pooled_fund_agree(self) -> None:
        text = flat(built(load_answers(JOINT), "collaboration_agreement"))
        # a joint committee with a council may have a s.65Z6 pooled fund (round 9, D1.4)
        assert "Apart from any pooled fund under section 65Z6 of the NHS Act" in text
        assert "There is no pooled fund" not in text
        assert "against one Shared Control Total" in text
        assert "share one budget" not in text
