"""What the round-10 money areas handed to each other, as rules over many answer sets.

Each rule is drafted over the bundled examples, the scenario answer sets, variations of them and
generated collaboratives as `drafting lint` drafts them, and read as a lawyer reads the text.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers, load_answers
from tests.review_sets import ALL
from tests.test_partner_review import DOMINANT, JOINT, SHARED, changed, clause_text
from tests.test_review_round5_mou import built, generated_of
from tests.test_review_round9_board import checklist
from tests.test_review_round9_money import agreements

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")
POOLED = ("shared_control_total", "lead_holds_budget")


def councils(loaded: LoadedAnswers) -> list[str]:
    """The local authorities inside the shared finances (not observers)."""
    a = loaded.answers
    if a.finance.model not in POOLED:
        return []
    return [m.name for m in a.members
            if m.kind == "local_authority" and m.member_class != "observer"]


# --------------------------------------------------------------------------- 1 s.75 and the share


def council_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [
        ("joint-pro-rata", changed(JOINT, finance={"deficit": "pro_rata", "loss_cap_percent": None})),
        ("joint-reinvest", changed(JOINT, finance={"surplus": "reinvest", "surplus_reinvest_percent": None})),
    ]
    return [(n, la) for n, la in agreements(extra, 120) if councils(la)]


class TestTheSection75AgreementConditionsOnlyTheCouncilsShare:
    @pytest.mark.parametrize("name,loaded", council_sets(), **IDS)
    def test_the_share_runs_from_the_date_of_the_section_75_agreement(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        cp = doc.targets["conditions-precedent.section-75"].number
        wording = ("is paid or received only from the date, and to the extent, of the agreement "
                   "under section 75 of the NHS Act")
        # round 12 (r12-money 1): the section 75 condition on the council's share is stated
        # once, in the conditions precedent (with its heads of terms, a condition of that share
        # only), and the finance and risk-share clauses cite it instead of restating it
        precedent = clause_text(doc, "conditions-precedent")
        assert "That agreement is a condition of that part and share only, not of this Agreement" \
            in precedent, name
        assert "make it on at least these heads of terms" in precedent, name
        cited = {"risk-gain-share": f"referred to in clause {cp}.",
                 "finance": f"is paid or received only as clause {cp} provides"}
        for clause_id in ("risk-gain-share", "finance"):
            text = clause_text(doc, clause_id)
            assert "takes effect" not in " ".join(
                s for s in re.split(r"(?<=[.;]) ", text) if "section 75" in s), (name, clause_id)
            if clause_id == "risk-gain-share" and "local-authority" not in {
                    k.split(".", 1)[1] for k in doc.targets if k.startswith("risk-gain-share.")}:
                continue
            if clause_id == "risk-gain-share":
                assert wording in text, (name, clause_id)
            assert cited[clause_id] in text, (name, clause_id)

    def test_the_checklist_lists_the_councils_share_rule(self) -> None:
        doc = built(load_answers(JOINT), "collaboration_agreement")
        assert ("the share of Lincolnshire County Council paid or received only from the date, "
                "and to the extent, of its section 75 agreement, a condition of that share only"
                ) in checklist(doc)


# --------------------------------------------------------------------------- 2 open book


def open_book_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [(f"{p.stem}-full-open-book", changed(p, finance={"open_book": "full"}))
             for p in (JOINT, SHARED)]
    return [(n, la) for n, la in agreements(extra, 120) if la.answers.finance.open_book == "full"]


class TestFullOpenBookShowsTheRedactionRule:
    @pytest.mark.parametrize("name,loaded", open_book_sets(), **IDS)
    def test_the_open_book_clause_is_subject_to_the_sensitive_information_rule(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        finance = clause_text(doc, "finance")
        sensitive = doc.targets["reporting.sensitive"].number
        # round 10c (C1.1): the open-book sub-clause cites the reporting rule for what the Board,
        # an Observer or a commissioner sees, rather than restating its level and form
        # round 11: the finance clause names who sees raw figures and cites the form
        assert re.search(r"The Members operate open-book accounting.*only in the form clause "
                         + re.escape(str(sensitive)) + r" sets", finance), name


# --------------------------------------------------------------------------- 3 accession figures


def accession_sets() -> list[tuple[str, LoadedAnswers]]:
    docs = ["collaboration_agreement", "committee_terms", "accession_deed"]
    extra = [("shared-accession", changed(SHARED, documents=docs)),
             ("joint-accession", changed(JOINT, documents=docs)),
             ("dominant-pro-rata", changed(DOMINANT, finance={"deficit": "pro_rata", "loss_cap_percent": None}))]
    sets = [(p.stem, load_answers(p)) for p in ALL] + extra + generated_of("accession_deed", 40)
    return [(n, la) for n, la in sets if "accession_deed" in la.answers.documents]


class TestAJoinersFiguresFollowTheAgreementsBasis:
    @pytest.mark.parametrize("name,loaded", accession_sets(), **IDS)
    def test_one_value_basis_and_the_covenant_row_in_the_schedule(
            self, name: str, loaded: LoadedAnswers) -> None:
        deed = built(loaded, "accession_deed")
        text = clause_text(deed, "ad-accession")
        assert "contracts with its commissioners" not in text, name
        if "New Member gives these figures" not in text:
            return
        if "the New Member gives these figures, which are entered in the schedules of the Agreement: the annual" in text:
            # round 13: the deed states the one basis the Agreement uses, not a paraphrase;
            # where the lead commissions, the value is that of the sub-contract it has awarded
            assert "the annual value of its sub-contract as the Lead Provider has awarded it" \
                in text or ("the annual value of the services it provides or arranges within the Services, "
                    "on the one basis the Agreement uses for every Member") in text, name
        assert "[[" not in text, name
        if "Covenant Member" in text and "collaboration_agreement" in loaded.answers.documents:
            agreement = built(loaded, "collaboration_agreement")
            ff = re.escape(agreement.targets["sched:financial-framework"].number)
            assert re.search(rf"cap \([^)]*\), entered as its row in {ff} \(Financial framework\) "
                             r"of the Agreement: \[£●\]", text), name


# --------------------------------------------------------------------------- 4 surplus and money on ending


def finance_variations() -> list[tuple[str, LoadedAnswers]]:
    extra = [
        ("joint-reinvest", changed(JOINT, finance={"surplus": "reinvest", "surplus_reinvest_percent": None})),
        ("shared-no-pooling", changed(SHARED, finance={"model": "no_pooling"})),
        ("dominant-lead-bears", changed(DOMINANT, finance={"deficit": "lead_bears", "loss_cap_percent": None})),
    ]
    return agreements(extra, 80)


def distributed(loaded: LoadedAnswers) -> bool:
    return loaded.answers.finance.surplus in ("distribute_pro_rata", "split")


class TestSurplusAndTheLeadsMoneyOnlyWhereTheModelMakesThem:
    @pytest.mark.parametrize("name,loaded", finance_variations(), **IDS)
    def test_leaving_names_a_surplus_only_where_one_is_distributed(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = clause_text(doc, "exit-consequences")
        if not distributed(loaded):
            assert "Surplus" not in text.split("When this Agreement ends")[0], name

    @pytest.mark.parametrize("name,loaded", finance_variations(), **IDS)
    def test_on_ending_the_unspent_money_held_for_the_collaboration_is_repaid(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = clause_text(doc, "exit-consequences")
        ids = {c.id for c in doc.clauses}
        lead = context_of(loaded)["derived"]["has_lead_provider"]
        holder = "Lead Provider" if lead else "Host Member" if "host-member" in ids else None
        if loaded.answers.finance.model == "no_pooling" or holder is None:
            assert "holds for the Collaborative and not as its own when this Agreement ends" not in text, name  # round 12
            assert "unspent contributions to the Running Costs" not in text, name  # round 12
            return
        running = doc.targets["finance.running-costs"].number
        # round 12 (r12-money 5): the holder holds the unspent contributions for the Members
        assert (f"The {holder} holds the unspent contributions to the Running Costs, and any other "
                "sum it holds for the Collaborative and not as its own when this Agreement ends, "
                "for the Members") in text, name
        # round 11: only unspent running-cost contributions go back to the Members
        # round 13 (exit-consequences v11): the shares are those for the final Contract Year
        # round 20: in proportion to what each actually paid (a covenant member's fixed sum)
        assert ("repays the rest of those contributions to the Members in proportion to the "
                "contributions that each of them actually paid towards the Running Costs for the "
                f"final Contract Year under clause {running}") in text, name
        if "successor-lead-provider" in ids:
            assert f"clause {doc.targets['successor-lead-provider.funds'].number} provides on a change" in text, name
        assert "on the agreement ending, the unspent running-cost contributions the" in checklist(doc), name  # round 11

    @pytest.mark.parametrize("name,loaded", finance_variations(), **IDS)
    def test_joining_apportions_only_what_the_finance_model_creates(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = clause_text(doc, "joining")
        f = loaded.answers.finance
        risk = context_of(loaded)["derived"]["risk_share"]
        first = next((s for s in re.split(r"(?<=\.) ", text)
                      if s.startswith("For the Contract Year in which its admission")), "")
        if f.model == "no_pooling" and not risk:
            assert first == "", name
            return
        assert first, name
        assert ("Surplus" in first) == (risk and distributed(loaded)), name
        assert ("Deficit" in first) == (risk and f.deficit != "lead_bears"), name
        assert ("Running Costs" in first) == (f.model != "no_pooling"), name
        assert "surplus or deficit" not in first, name


def context_of(loaded: LoadedAnswers) -> dict:
    return loaded.answers.context()


# --------------------------------------------------------------------------- 5 budget and the limit


class TestEachMembersShareOfTheBudgetMeetsTheLimit:
    @pytest.mark.parametrize("name,loaded", finance_variations(), **IDS)
    def test_the_boards_budget_approval_is_tested_per_member(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = clause_text(doc, "governance-board")
        a = loaded.answers
        if "governance-board.limit" not in doc.targets:
            return
        budget_to_board = (a.finance.model != "no_pooling"
                           and "annual_budget" not in context_of(loaded)["governance"]["reserved_matters"])
        # round 13 (r13-board C2): where the Board is a committee (joint committee or committees
        # in common), the Annual Budget is a recommendation to the Member Boards, which approve
        # it themselves; only a Board that approves the budget needs the per-Member test
        committees = a.governance.vehicle in ("committees_in_common", "joint_committee")
        board_approves = budget_to_board and not committees
        if budget_to_board and committees:
            assert "a recommendation to the Member Boards on the Annual Budget" in text, name
        rule = ("The Board's approval of an Annual Budget is tested against the limit in clause "
                f"{doc.targets['governance-board.limit'].number} for each Member separately")  # round 13
        assert (rule in text) == board_approves, name
        if board_approves:
            assert ("where it is more, the Annual Budget binds that Member only once its Member "
                    "Board") in text, name
