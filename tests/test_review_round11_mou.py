"""A healthcare partner's eleventh review of the MOU (round 11), as rules over many answer sets.

Each finding came from one MOU (the review's E1, E2 and F1) but is a rule of the clause library,
so each test drafts the MOUs of the bundled examples, the scenario answer sets, variations of
them and generated collaboratives, and reads the text a lawyer would read.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from drafting.read.answers import add_months
from drafting.read.load import LoadedAnswers
from tests.test_money_review import schedule
from tests.test_partner_review import clause_text
from tests.test_review_round10c_mou import mou, observer_sets
from tests.test_review_round7_mou import mou_sets

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


# --------------------------------------------------------------------------- 1 (E1.1)


class TestTheObserverIsNotAMember:
    @pytest.mark.parametrize("name,loaded", observer_sets(), **IDS)
    def test_the_exclusion_speaks_of_any_members_information(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(mou(loaded), "mou-governance")
        assert "other Member's Competitively Sensitive Information" not in text, name
        assert "any Member's Competitively Sensitive Information" in text, name
        assert "without any decision of the chair, it does not attend an item" in text, name


# --------------------------------------------------------------------------- 4 (E1.6)


class TestThePersonalDataBarBindsObservers:
    @pytest.mark.parametrize("name,loaded", observer_sets(), **IDS)
    def test_the_bar_is_among_the_observers_binding_provisions(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        text = clause_text(doc, "status")
        start = text.find("only as an Observer") if "only as an Observer" in text else \
            text.find("only as Observers")
        observer = text[start:text.find("Every other provision that speaks of a party", start)]
        number = doc.targets["status.personal-data"].number
        assert f"clause {number} (no personal data of patients" in observer, name


# --------------------------------------------------------------------------- 3 (E2.4)


def no_pooling_hub_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in mou_sets()
            if la.answers.finance.model == "no_pooling" and la.answers.is_members
            and la.answers.competition.information_barrier in ("hub", "clean_team")]


class TestNoCostShareTheAnswersDidNotChoose:
    @pytest.mark.parametrize("name,loaded", no_pooling_hub_sets(), **IDS)
    def test_the_hub_cost_is_agreed_on_appointment_with_a_bracketed_proposal(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        costs = clause_text(doc, "mou-costs")
        assert "is shared between the Members in equal shares" not in costs, name
        assert re.search(r"The Members agree in writing how the cost of .* is shared when they "
                         r"(appoint it|set it up)\[, and propose", costs), name
        assert "No Member is committed to any of that cost before then" in costs, name
        assert "proposal in square brackets" in (doc.clauses[0].note or ""), name


# --------------------------------------------------------------------------- 5 (E1.7)


def pooled_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in mou_sets() if la.answers.finance.model != "no_pooling"]


class TestJoiningRecomputesTheShares:
    @pytest.mark.parametrize("name,loaded", pooled_sets(), **IDS)
    def test_a_joiner_takes_a_share_and_no_existing_share_grows(
            self, name: str, loaded: LoadedAnswers) -> None:
        costs = clause_text(mou(loaded), "mou-costs")
        assert "A provider that joins this memorandum contributes to the budget from the date " \
            "it joins." in costs, name
        assert "No existing Member's share increases because a provider joins." in costs, name
        if loaded.answers.finance.running_cost_split == "equal":
            assert "recomputed over all the Members" in costs, name


# --------------------------------------------------------------------------- 9 (F1.4)


class TestAnAbsentMemberCannotStallARecommendation:
    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_an_objection_goes_to_the_no_consensus_route(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        text = clause_text(doc, "mou-governance")
        assert "goes back to the next meeting" not in text, name
        number = doc.targets["mou-governance.no-consensus"].number
        # round 13 (D5): numbers are figures, "7 days" not "seven days".
        assert re.search(r"objects to it within 7 days, the recommendation is treated as one "
                         rf"on which the Steering Group cannot reach consensus, and clause "
                         rf"{re.escape(number)} applies to it at once", text), name


# --------------------------------------------------------------------------- 6 (F1.1, E2.8)


def rows(plan: str) -> list[tuple[str, str]]:
    """(step, target date) of each row of the workplan schedule."""
    found = []
    for line in plan.splitlines():
        cells = [c.strip() for c in line.split(" | ")]
        if len(cells) == 3 and re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", cells[2]):
            found.append((cells[0], cells[2]))
    return found


def day(text: str):
    return datetime.strptime(text, "%d %B %Y").date()


class TestTheDataGatewayIsScheduledBackwards:
    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in mou_sets()
                                             if la.answers.mou_replaced], **IDS)
    def test_the_data_steps_come_before_the_agreement_in_time_and_order(
            self, name: str, loaded: LoadedAnswers) -> None:
        answers = loaded.answers
        table = rows(schedule(mou(loaded), "mou-workplan"))
        steps = [step for step, _ in table]
        dates = dict(table)
        prepare = next(i for i, s in enumerate(steps) if s.startswith("Prepare the Collaboration"))
        flows = next(i for i, s in enumerate(steps) if "data flows and the legal gateway" in s)
        assert flows < prepare, name
        s251 = [i for i, s in enumerate(steps) if "apply for support under section 251" in s]
        if s251:
            assert s251[0] < prepare, name
            applied = day(dates[steps[s251[0]]])
            assert day(dates[steps[flows]]) < applied, name
            go_live = answers.collaborative.commencement_date
            if applied > add_months(go_live, -6):
                assert "so the sharing that relies on it starts after the Operative Date" in \
                    steps[s251[0]], name
            else:
                assert "starts after the Operative Date" not in steps[s251[0]], name
        dpia = [i for i, s in enumerate(steps) if s.startswith("Complete the data protection")]
        if dpia and s251:
            assert dpia[0] < s251[0], name
            assert day(dates[steps[dpia[0]]]) < day(dates[steps[s251[0]]]), name

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in mou_sets()
                                             if la.answers.is_members and
                                             la.answers.competition.information_barrier
                                             in ("hub", "clean_team")], **IDS)
    def test_the_rows_follow_the_workplan_clause(self, name: str,
                                                 loaded: LoadedAnswers) -> None:
        steps = [step for step, _ in rows(schedule(mou(loaded), "mou-workplan"))]
        assert steps[0].startswith("Appoint the"), name
        assert steps[1].startswith("Agree the scope and clinical model"), name


# --------------------------------------------------------------------------- 2 (E1.3)


def with_collective_names(loaded: LoadedAnswers) -> LoadedAnswers:
    """The same answers, the purpose and first objective naming the parties in the answers'
    own collective words."""
    answers = loaded.answers
    collaborative = answers.collaborative.model_copy(update={
        "purpose": f"{answers.collaborative.purpose.rstrip('.')} across the three trusts",
        "objectives": [f"work with our partners to {answers.collaborative.objectives[0]}"]
        + list(answers.collaborative.objectives[1:])})
    return loaded.model_copy(update={"answers": answers.model_copy(
        update={"collaborative": collaborative})})


class TestAnswerTextUsesTheDefinedTerm:
    @pytest.mark.parametrize("name,loaded", mou_sets()[:8], **IDS)
    def test_collective_names_become_the_members(self, name: str,
                                                 loaded: LoadedAnswers) -> None:
        doc = mou(with_collective_names(loaded))
        text = clause_text(doc, "purpose-objectives")
        assert "three trusts" not in text and "our partners" not in text, name
        assert "across the Members" in text, name
        assert "work with the Members to" in text, name
        note = " ".join((next(c.note for c in doc.clauses if c.id == "purpose-objectives")
                         or "").split())
        assert 'the text uses the defined term "the Members" instead' in note, name


# --------------------------------------------------------------------------- 11 (E2.5)


class TestTheCommissionerIsCalledByItsDefinedTerm:
    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in mou_sets()
                                             if len(la.answers.collaborative.ics) == 1
                                             and not la.answers.head_contract
                                             and not la.answers.nhs_england_commissions], **IDS)
    def test_the_footprint_names_the_commissioner(self, name: str,
                                                  loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        text = clause_text(doc, "purpose-objectives")
        definitions = clause_text(doc, "definitions")
        assert "The Members work with the Commissioner and align" in text, name
        assert "“Commissioner” means" in definitions, name


# --------------------------------------------------------------------------- 11 (E2.7)


class TestEthicalStandardsWhereAnIndependentProviderSigns:
    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_a_non_nhs_provider_brings_a_statement_of_standards(
            self, name: str, loaded: LoadedAnswers) -> None:
        answers = loaded.answers
        doc = mou(loaded)
        # an independent or voluntary-sector party, an observer included
        commercial = any(m.kind in ("independent_sector", "vcse") for m in answers.members)
        assert ("ethical-standards" in doc.targets) == commercial, name
        if commercial:
            text = clause_text(doc, "ethical-standards")
            for standard in ("Bribery Act 2010", "NHS Counter Fraud Authority",
                             "section 54 of the Modern Slavery Act 2015", "Freedom to Speak Up"):
                assert standard in text, (name, standard)
            # round 11c: the anti-bribery, counter-fraud and speaking-up duties bind
            assert "each party must comply with the Bribery Act 2010" in text, name
            if not answers.mou_binding:
                number = doc.targets["ethical-standards"].number
                status = clause_text(doc, "status")
                binding = status[status.find("legally binding on the parties:"):]
                assert f"clause {number} " not in binding[:binding.find("Each party bears")], name
