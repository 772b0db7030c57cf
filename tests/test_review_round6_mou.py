"""A healthcare partner's sixth review of the MOU and the accession deed, as rules over many
answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
MOUs (and deeds) of the bundled examples, the scenario answer sets, variations of them and,
where the rule is general, generated collaboratives as `drafting lint` drafts them, and reads
the text a lawyer would read. The ids are the review's.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from drafting.cli import main
from drafting.read.conditions import without_deadline
from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_money_review import schedule
from tests.test_partner_review import ALL, MOU_ONLY, MOU_THEN, changed, clause_text, flat
from tests.test_review_round5_mou import MOUS, built, generated_of, mou_variations

SCENARIO_LEAD = MOU_ONLY.parent / "lead-provider-dominant.yaml"


def mou_sets() -> list[tuple[str, LoadedAnswers]]:
    """The MOU answer sets, their variations and generated collaboratives with an MOU."""
    return mou_variations() + generated_of("mou", 15)


def number_of(document: Document, clause_id: str) -> str:
    return next(c.number for c in document.clauses if c.id == clause_id)


def sub_clause(text: str, start: str) -> str:
    """The sentence(s) of `text` from `start` to the next full stop followed by a capital."""
    at = text.index(start)
    end = re.search(r"\.\s+(?=[A-Z])", text[at:])
    return text[at: at + end.end() if end else len(text)]


IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


# --------------------------------------------------------------------------- F2 / E6 workplan


class TestF2TheWorkplanFollowsTheObjectivesAndTheConditions:
    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_a_step_per_objective_and_per_condition_of_the_agreement(
            self, name: str, loaded: LoadedAnswers) -> None:
        answers = loaded.answers
        doc = built(loaded, "mou")
        plan = " ".join(schedule(doc, "mou-workplan").split())
        prepare = plan.index("Prepare the Collaboration Agreement")
        for objective in answers.collaborative.objectives:
            objective = without_deadline(objective)  # round 9 (E2.6): the step's date governs
            step = f'Towards the objective "{" ".join(objective.split()).rstrip(".")}"'
            if step not in plan:  # round 7 (E2.6): one delivered under the MOU is its own step
                step = " ".join(objective.split()).rstrip(".")
                step = step[0].upper() + step[1:] + ", and report it to each Member Board"
            assert step in plan, (name, objective)
            # the agreement is prepared only after the steps towards the objectives
            assert plan.index(step) < prepare, (name, objective)
        follows = answers.mou_replaced
        # round 14 (mou-workplan schedule v12): the row follows the agreement's condition, a
        # certified copy of each Member Board's resolution approving entry
        assert ("a certified copy of the resolution of its Member Board approving its entry "
                "into it") in plan or not follows, name
        assert ("Give the other Members the evidence the Collaboration Agreement asks for"
                in plan) == follows, name
        # round 11 (mou-workplan v9): the step is for identifiable data used for purposes other
        # than individual care only (pseudonymised data, or care itself, needs no such support)
        s251 = follows and answers.data.kinds == "identifiable_commissioning" \
            and answers.data.legal_gateway == "s251"
        # round 10c (F1.1): the section 251 application follows the data flows, the legal
        # gateway and the impact assessment, for purposes other than individual care only
        # round 11: the step is now its own row, opening with a capital
        assert ("Apply for support under section 251" in plan) == s251, name
        if s251:
            assert plan.index("data flows and the legal gateway") < \
                plan.index("Apply for support under section 251"), name
        # round 14: the Members agree the first year's budget in writing (a condition)
        assert ("the annual budget for the first contract year of the Collaboration Agreement"
                in plan) == (
            follows and answers.finance.model != "no_pooling"), name
        delegates = (answers.governance.vehicle in ("committees_in_common", "joint_committee")
                     and not answers.governance.delegations_approved)
        assert ("delegations each Member Board is asked to approve" in plan) == delegates, name
        text = clause_text(doc, "mou-workplan")
        assert "the steps towards each of the Objectives" in text, name
        assert ("delegations each Member Board is asked to approve" in text) == delegates, name

    def test_every_target_date_falls_before_the_agreement_starts(self) -> None:
        answers = load_answers(MOU_THEN).answers
        assert answers.mou_replaced
        assert all(day < answers.collaborative.commencement_date
                   for day in answers.mou_workplan_dates)


# --------------------------------------------------------------------------- F3 escalation


class TestF3DisagreementsEscalateOnlyUnderTheDisputeClause:
    @pytest.mark.parametrize("path", sorted(set(ALL + MOUS)), ids=lambda p: p.stem)
    def test_the_principles_point_to_the_dispute_clause(self, path: Path) -> None:
        loaded = load_answers(path)
        for kind in ("mou", "collaboration_agreement"):
            if kind not in loaded.answers.documents:
                continue
            doc = built(loaded, kind)
            text = clause_text(doc, "principles")
            escalate = text[text.index("Resolving disagreement."):]  # the last sub-clause
            assert escalate.rstrip().endswith(
                f"using clause {number_of(doc, 'dispute-resolution')}."), (path.stem, kind)
            assert "chief executives" not in text, (path.stem, kind)


# --------------------------------------------------------------------------- F4 / E3 chair, quorum, observer


class TestF4ChairQuorumAndObserverEachInOneClause:
    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_the_chair_has_an_operative_clause_and_the_schedule_refers_to_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        answers = loaded.answers
        doc = built(loaded, "mou")
        text = clause_text(doc, "mou-governance")
        own = not {"collaboration_agreement", "committee_terms"} & set(answers.documents)
        # round 10c (F1.3): where an agreement follows, co-chairs if its board will have them
        chair = answers.governance.chair if own else (
            "co_chairs" if answers.governance.chair == "co_chairs" else "rotating")
        expected = {
            "rotating": "chair the Steering Group in turn, ",
            "co_chairs": "The Steering Group has two co-chairs",
            "independent": "chaired by an independent chair",
        }.get(chair, "chairs the Steering Group")
        assert expected in text, name
        if chair == "rotating":
            assert "in the order in which the Members are listed in Schedule 1, starting with " \
                   "the first" in text, name
        if not own and chair == "rotating":  # round 10c: co-chairs where the later body has them
            # (round 7, F1.1: by meeting when a turn of six months would miss a Member)
            # (round 9, E1.8: the nearest workable turn, the term over the number of Members)
            # (round 13, D5: the turn is a figure, "3 months each")
            assert re.search(r"for \d+ months? each|one meeting each", text), name
        # round 7 (E1.4): the item passes to the next Member in the order of Schedule 1
        assert "the Representative of the next Member in the order" in text, name
        terms = " ".join(schedule(doc, "mou-steering-group").split())
        assert re.search(r"Chair \| As clause \d+\.\d+ provides", terms), name

    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_the_quorum_for_a_withdrawn_representative_is_said_once(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(built(loaded, "mou"), "mou-governance")
        # round 7 (F1.2): only a Member with an organisational conflict withdraws
        withdrawn = sub_clause(text, "An item from which a Member withdraws")
        assert "is quorate when the Representatives of every other Member are " \
               "present" in withdrawn, name
        assert "counts towards" not in text and "entitled to take part" not in text, name
        # an organisational interest is declared and recorded, not a ground to withdraw
        assert "records each declaration in a register of interests" in text, name
        assert "is declared and recorded but is not a reason for it to " \
               "withdraw" in text, name

    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_the_observer_is_dealt_with_in_one_sub_clause(
            self, name: str, loaded: LoadedAnswers) -> None:
        answers = loaded.answers
        doc = built(loaded, "mou")
        text = clause_text(doc, "mou-governance")
        terms = " ".join(schedule(doc, "mou-steering-group").split())
        observers = [m.name for m in answers.members if m.member_class == "observer"]
        assert "other than an Observer" not in text and "other than an Observer" not in terms
        if observers:
            # round 11 (E1.1): what the observer may do, then its own list of exclusions
            start = text.index(observers[0])
            # round 14 (mou-governance v12): the chair's discretion follows the list as its own
            # sub-clause; the Observer provisions still run together, from its attendance to it
            end = text.index("between it and a Member;", start)
            if "negotiating position with a commissioner." in text[end:]:
                end = text.index("negotiating position with a commissioner.", end)
            own = text[start:end]
            assert text.count("Observer") == own.count("Observer"), name
            assert re.search(r"Observers \| As clause \d+\.\d+ provides", terms), name
        else:
            assert "Observer" not in text and "Observers |" not in terms, name


# --------------------------------------------------------------------------- E5 fractions


FRACTIONS = {2: "one half", 3: "one third", 4: "one quarter", 5: "one fifth", 6: "one sixth"}


class TestE5EqualSharesAreFractions:
    @pytest.mark.parametrize("name,loaded", mou_sets() + [
        ("mersey-equal-running-costs", changed(MOUS[-1], finance={
            "model": "running_costs", "running_cost_split": "equal"})),
    ], **IDS)
    def test_equal_shares_add_up_to_the_whole(self, name: str, loaded: LoadedAnswers) -> None:
        answers = loaded.answers
        text = clause_text(built(loaded, "mou"), "mou-costs")
        assert "33.33%" not in text and "16.67%" not in text and "14.29%" not in text, name
        if answers.finance.model == "no_pooling" or answers.finance.running_cost_split != "equal":
            return
        payers = [m for m in answers.members if m.member_class != "observer"]
        fraction = FRACTIONS.get(len(payers), "an equal share")
        for member in payers:
            assert f"{member.name}: {fraction}" in text, (name, member.name)
        assert not re.search(r"\d+(\.\d+)?%", text), name
        # round 11c: approval before signing is a confirmation, not a promise
        assert "Each Member confirms that it has approved its share of the budget under its own " \
               "governance" in text, name


# --------------------------------------------------------------------------- A deed


def deeds() -> list[Path]:
    return [p for p in ALL if "accession_deed" in load_answers(p).answers.documents]


class TestADeedTheDeedIdentifiesTheAgreementItJoins:
    @pytest.mark.parametrize("path", deeds(), ids=lambda p: p.stem)
    def test_the_recitals_name_the_agreement_and_its_original_parties(self, path: Path) -> None:
        loaded = load_answers(path)
        doc = built(loaded, "accession_deed")
        text = clause_text(doc, "ad-accession")
        members = [m.name for m in loaded.answers.members if m.member_class != "observer"]
        names = members[0] if len(members) == 1 else \
            ", ".join(members[:-1]) + " and " + members[-1]
        # round 13 (AE1.3): the deed opens by incorporating the Agreement's definitions, then
        # its first recital names the Agreement and its original parties.
        # round 13c (A3.1): the incorporation of the Agreement's definitions moved to the
        # deed's definitions clause; the recitals still open with the supplemental statement
        assert text.startswith("This deed is supplemental to the Agreement."), path.stem
        made = text.index(f"The Agreement was made on [●] between {names}")
        assert made < text.index("The New Member applied to join"), path.stem
        for observer in (m.name for m in loaded.answers.members if m.member_class == "observer"):
            assert f"with {observer} as an Observer" in text, path.stem
        # round 12: "and its class" only where the agreement provides more than one class
        recital = text.index("were approved under the Agreement") if "and its class" in text \
            else text.index("its admission was approved under the Agreement")
        assert recital < text.index("With effect from the Accession Date"), path.stem

    def test_the_cover_blank_is_a_marked_blank(self, tmp_path: Path) -> None:
        assert main(["assemble", str(SCENARIO_LEAD), "-o", str(tmp_path)],
                    standalone_mode=False) in (0, None)
        cover = [p.text for p in docx.Document(str(tmp_path / "accession-deed.docx")).paragraphs
                 if p.style.name.startswith("Cover")]
        at = cover.index("by")
        assert cover[at + 1] == "[●]", cover
        assert not any("NAME OF" in line for line in cover), cover
        assert "[●]" in flat(built(load_answers(SCENARIO_LEAD), "accession_deed"))
