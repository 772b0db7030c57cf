"""A healthcare partner's third reading of the packs: the money clauses, as rules.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
collaboration agreements of the bundled examples, the scenario answer sets, variations of them
and generated collaboratives, and reads the text a lawyer would read. The ids are the review's
(report, document, finding).
"""

from __future__ import annotations

import re

import pytest

from drafting.read.conditions import date as long_date
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, JOINT, MOU_THEN, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round9_money import agreements

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def pooling_agreements() -> list[tuple[str, LoadedAnswers]]:
    extra = [
        ("joint", changed(JOINT)),
        ("dominant", changed(DOMINANT)),
        ("shared-control-total", changed(SHARED, finance={"model": "shared_control_total"})),
        ("mou-then", changed(MOU_THEN)),
    ]
    return [(n, la) for n, la in agreements(extra, 60) if la.answers.finance.model != "no_pooling"]


# --------------------------------------------------------------------------- 1 (C2.7, D2.7)


class TestC27NoOnlyRuleAndOneGrossUp:
    @pytest.mark.parametrize("name,loaded", pooling_agreements(), **IDS)
    def test_gross_up_is_in_the_part_year_rule_and_no_clause_claims_to_be_the_only_rule(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        ids = {c.id for c in doc.clauses}
        text = flat(doc)
        assert "multiplied by 365" not in text, name
        for clause in ("finance", "risk-gain-share", "conditions-precedent", "joining",
                       "exit-consequences", "commencement-term", "withdrawal"):
            if clause in ids:
                body = clause_text(doc, clause)
                assert not re.search(r"\b(the only rule|the one rule)\b", body), (name, clause)
        finance = clause_text(doc, "finance")
        part = doc.targets["finance.part-year"].number
        assert "grossed up by the same rule in reverse" in finance, name
        if loaded.answers.collaborative.commencement_date.strftime("%m-%d") != "04-01":
            # round 13: "clause N" not "sub-clause N"; the gross-up still cites the part-year rule
            assert f"grossed up as clause {part} provides" in finance, name
        # The s.75 condition on a council's share is stated once, in the conditions precedent.
        assert text.count("made on the heads of terms set out there") <= 1, name

    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in pooling_agreements()
        if any(m.member_class == "associate" for m in la.answers.members)], **IDS)
    def test_associate_opt_in_is_stated_once(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = flat(doc)
        assert text.count("in writing before the Contract Year starts") == 1, name
        assert "has not approved the Annual Budget, it pays no share" not in text, name


# --------------------------------------------------------------------------- 2 (D2.5, EF2.7)


class TestD25FirstBudgetHasAFallbackAndVotersMeetIt:
    @pytest.mark.parametrize("name,loaded", pooling_agreements(), **IDS)
    def test_waived_budget_condition_falls_back_to_an_interim_budget(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        finance = clause_text(doc, "finance")
        budget = doc.targets["finance.budget"].number
        assert "If that condition is waived, the draft of that budget last given to the Members" in finance, name
        assert "the previous year's (or the interim one) continues" in finance, name
        if "conditions-precedent" in {c.id for c in doc.clauses}:
            cps = clause_text(doc, "conditions-precedent")
            assert (f"if this condition is waived, the interim Annual Budget of clause {budget} "
                    "applies") in cps, name
            if any(m.member_class in ("associate", "observer") for m in loaded.answers.members):
                assert "the Voting Members have all agreed in writing the Annual Budget" in cps, name
        if loaded.answers.mou_replaced:
            assert ("the unspent balance of the contributions made under the memorandum of "
                    "understanding that this Agreement replaces") in finance, name


# --------------------------------------------------------------------------- 3 (C2.2)

TERM = re.compile(r"\b([A-Z][a-z]+ (?:Notice|Plan|Date))\b")


class TestC22NoticePlanAndDateTermsAreDefined:
    @pytest.mark.parametrize("name,loaded", agreements(None, 40), **IDS)
    def test_every_capitalised_notice_plan_or_date_term_is_defined(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = flat(doc)
        used = {t for t in TERM.findall(text) if not text.startswith(t)}
        # A term in a heading or starting a sentence is capitalised anyway; count a term used
        # only where it is capitalised mid-sentence.
        used = {t for t in used if re.search(r"[a-z,] " + re.escape(t), text)}
        undefined = {t for t in used if f"“{t}” means" not in text and f"\"{t}\" means" not in text}
        assert not undefined, (name, sorted(undefined))


# --------------------------------------------------------------------------- 4 (C2.10)


class TestC210AnnualReviewHasOneReferencePoint:
    @pytest.mark.parametrize("name,loaded", agreements(None, 40), **IDS)
    def test_review_is_tied_to_the_contract_year_only(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        body = clause_text(doc, "commencement-term")
        assert "anniversary of the Commencement Date" not in body, name
        if "reviews this Agreement once in each Contract Year" in body:
            # round 13: numbers are figures; the review is still tied to the Contract Year
            assert "no later than 3 months before that Contract Year ends" in body, name


# --------------------------------------------------------------------------- 5 (D2.9, EF2.6)


class TestD29NoCircularWording:
    @pytest.mark.parametrize("name,loaded", agreements(None, 40), **IDS)
    def test_end_date_and_held_sums_are_stated_plainly(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = flat(doc)
        assert "unless the agreement gives a shorter period" not in text, name
        assert "is not its own to keep" not in text, name
        exit_body = clause_text(doc, "exit-consequences")
        if loaded.answers.finance.model != "no_pooling" and (
                "holds the unspent contributions to the Running Costs" not in exit_body):
            assert "Host Member" not in exit_body and "Lead Provider" not in exit_body, name


# --------------------------------------------------------------------------- 6 (D2.8)


class TestD28WithdrawalNoteIsBuiltFromThisPack:
    @pytest.mark.parametrize("name,loaded", agreements(None, 40), **IDS)
    def test_worked_example_uses_this_packs_dates(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        note = next(c.note for c in doc.clauses if c.id == "withdrawal") or ""
        a = loaded.answers
        assert long_date(a.collaborative.commencement_date) in note, name
        assert long_date(a.earliest_exit_date) in note, name
        if a.collaborative.commencement_date.isoformat() != "2027-04-01":
            assert "1 April 2027" not in note, name
        if not a.membership.withdrawal_at_year_end:
            assert "31 March on or after" not in note, name


# --------------------------------------------------------------------------- 7 (D2.6)


class TestD26VotingMembersDecideEveryPartySignsVariations:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in agreements([("joint", changed(JOINT)), ("shared", changed(SHARED))], 40)
        if any(m.member_class != "voting" for m in la.answers.members)], **IDS)
    def test_a_member_without_a_vote_has_no_veto_on_ending_or_leaving(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        term = clause_text(doc, "commencement-term")
        withdrawal = clause_text(doc, "withdrawal")
        assert "recorded in writing signed by every Member" not in term, name
        assert "only by the agreement of all the Voting Members" in term, name
        assert "all the other Members agree in writing" not in withdrawal, name
        assert "each other Member." not in withdrawal, name
