"""The round-9 requests between areas, as rules over many answer sets.

Each rule joins two clauses that different parts of the library own: the Board's clause and the
voting and deadlock clauses, Schedule 3 and Schedule 5, the committee terms and the agreement they
sit under, the survival list and the data protection clause, the sub-contract's counter-fraud
duty and the NHS Standard Contract it flows down.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import JOINT
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


def number_of(document: Document, target: str) -> str:
    return document.targets[target].number


def checklist(document: Document) -> str:
    return " ".join((document.clauses[0].note or "").split())


def schedule_text(document: Document, schedule_id: str) -> str:
    from drafting.model import Paragraph, Table, plain
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    schedule = next((s for s in document.schedules if s.id == schedule_id), None)
    if schedule is None:
        return ""
    words: list[str] = []
    for block in schedule.blocks:
        if isinstance(block, Paragraph):
            words.append(plain(block.inlines, document.targets, schedules))
        elif isinstance(block, Table):
            for row in block.rows:
                words.append(" | ".join(plain(c, document.targets, schedules) for c in row))
    return " ".join(" ".join(words).split())


def agreements() -> list[tuple[str, LoadedAnswers]]:
    extra = [("joint-with-deed", changed(JOINT, documents=[
        "collaboration_agreement", "committee_terms", "accession_deed"]))]
    return [(n, la) for n, la in sets_of("collaboration_agreement", 30) + extra
            if la.answers.governance.vehicle != "advisory_group"]


AGREEMENTS = agreements()


class TestTheBoardClauseFollowsVotingAndDeadlock:
    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_an_equally_divided_side_and_an_inquorate_adjourned_meeting(
            self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        document = built(loaded, "collaboration_agreement")
        text = clause_text(document, "governance-board")
        assert "does not vote in favour" not in text, name
        # round 13b: how a committee decides (an equally divided committee included) is cited
        # from the voting clause, not restated in the board clause
        cited = g.vehicle == "committees_in_common" and (
            f"The committee decides as clause {number_of(document, 'voting.committees')} "
            "provides") in " ".join(text.split())
        assert g.vehicle != "committees_in_common" or "equally divided" in text or cited or any(
            m.kind == "local_authority" for m in loaded.answers.voting_members), name
        if g.vehicle == "committees_in_common" and cited:
            assert "equally divided" in clause_text(document, "voting"), name
        assert "treated as the second of the inquorate meetings" not in text, name
        if g.vehicle == "committees_in_common" and "equally divided" in text:
            assert (f"if they are equally divided, it acts as clause "
                    f"{number_of(document, 'voting.committees')} provides") in text, name
        voters = sum(m.member_class == "voting" for m in loaded.answers.members)
        if g.quorum == "majority" and voters <= 3:
            # round 18: with three Voting Members or fewer no second adjournment is offered
            flat_text = " ".join(text.split())
            assert "is not adjourned again" in flat_text, name
            assert "No item is deferred beyond the adjourned meeting" in flat_text, name
        elif g.quorum == "majority":
            # round 13 (F6): an adjourned meeting again not quorate is adjourned once more, the
            # second is quorate with any two Voting Members, and nothing is deferred beyond it
            flat_text = " ".join(text.split())
            assert "is adjourned once more in the same way" in flat_text, name
            assert re.search(r"That second adjourned meeting is quorate if (the committees|"
                             r"Representatives) of any two Voting Members are present", flat_text), name
            assert "No item is deferred beyond the second adjourned meeting" in flat_text, name
            assert "defers its business to the next ordinary meeting" not in flat_text, name


class TestScheduleThreeCitesTheClausesAndScheduleFive:
    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_power_without_figures_and_the_limit_as_the_clause_states_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        document = built(loaded, "collaboration_agreement")
        rows = schedule_text(document, "board-terms")
        power = rows[rows.find("Power to carry or block alone"):]
        power = power[:power.find(" | ", len("Power to carry or block alone | ")) + 1]
        assert not re.search(r"\d+(\.\d+)?%", power), (name, power)
        if g.voting == "weighted":
            assert (f"the weights, and who holds them, are shown in "
                    f"{number_of(document, 'sched:financial-framework')}") in power, name
        if "Matters the Board decides" in rows:
            assert "a year for any one Member" not in rows, name
            # round 11: the row adds that the limit is never reduced in a short year.
            assert "(a limit for each decision, not a total for the year" in rows, name

    @pytest.mark.parametrize("name,loaded", [a for a in AGREEMENTS
                                             if a[1].answers.governance.vehicle == "joint_committee"],
                             ids=ids_of)
    def test_functions_by_statutory_source(self, name: str, loaded: LoadedAnswers) -> None:
        rows = schedule_text(built(loaded, "collaboration_agreement"), "board-terms")
        for m in loaded.answers.voting_members:
            row = rows[rows.find(f"Functions exercised jointly: {m.name} | "):]
            if m.kind == "local_authority":
                # round 22: none of its own functions (it takes part in the trusts')
                assert row.startswith(f"Functions exercised jointly: {m.name} | No function of "
                                      "its own is exercised jointly"), name
            else:
                source = {"nhs_foundation_trust": "section 43 ", "nhs_trust": "section 25 of, "
                          "and Schedule 4 to,", "icb": "section 3 ", "nhs_england": "section 3B"}
                assert f"Its functions under {source[m.kind]}" in row[:300], (name, m.name)
                assert "Its functions under the National Health Service Act 2006 so far" \
                    not in row[:300], name


class TestTheTermsCiteTheAgreement:
    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in sets_of("committee_terms", 20)
        if "collaboration_agreement" in la.answers.documents and la.answers.governance.reserved_matters
    ], ids=ids_of)
    def test_reserved_matters_by_schedule_and_the_veto_challenge_by_clause(
            self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        terms = built(loaded, "committee_terms")
        text = clause_text(terms, "voting")
        number = number_of(agreement, "sched:reserved-matters")
        assert f"The Reserved Matters are the matters listed in {number} (" in text, name
        assert "The following are Reserved Matters" not in text, name
        veto = clause_text(terms, "lead-provider-veto")
        if "believes the veto was not exercised" in veto:
            n = next(str(i) for i, c in enumerate(agreement.clauses, start=1)
                     if c.id == "dispute-resolution")
            assert f"under clause {n} (Dispute resolution) of the Agreement" in veto, name


class TestTheDeedDescribesTheJointCommitteeAsTheAgreementDoes:
    def test_with_a_council(self) -> None:
        loaded = dict(AGREEMENTS)["joint-with-deed"]
        text = clause_text(built(loaded, "accession_deed"), "ad-accession")
        # round 14: the statute is cited by the defined term the deed takes from the Agreement
        assert "which is a joint committee of the relevant bodies and a local authority under " \
            "section 65Z5 of the NHS Act" in text


class TestSurvivalAndCounterFraud:
    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_data_protection_survives_wherever_the_document_has_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        text = clause_text(document, "exit-consequences")
        if any(c.id == "data-protection" for c in document.clauses):
            n = next(str(i) for i, c in enumerate(document.clauses, start=1)
                     if c.id == "data-protection")
            survival = text[text.find("continue to apply") - 300:text.find("continue to apply")]
            assert re.search(rf"\b{n}\b", survival), (name, survival)
        ethics = clause_text(document, "ethical-standards")
        assert "proportionate to the NHS funds" not in ethics, name

    def test_a_sub_contract_partner_meets_the_standard_contract(self) -> None:
        from drafting.build.pack import build_document, plan
        from drafting.read.library import load_library
        from tests.review_sets import DOMINANT
        loaded = changed(DOMINANT)
        for part in plan(loaded.answers):
            if part.kind != "sub_contract":
                continue
            doc = build_document(load_library(), loaded, part.kind, part.partner_id)
            ethics = clause_text(doc, "ethical-standards")
            assert "proportionate to the NHS funds" not in ethics, part.partner_id
            exit_text = clause_text(doc, "exit-consequences")
            assert "including the settlement under sub-clause" not in exit_text


class TestTheReportingDefaults:
    @pytest.mark.parametrize("name,loaded", AGREEMENTS[:10], ids=ids_of)
    def test_on_the_checklist(self, name: str, loaded: LoadedAnswers) -> None:
        text = checklist(built(loaded, "collaboration_agreement"))
        # round 14: the checklist states periods in figures
        assert "the Board answers a Member Board's request for further information within " \
            "14 days" in text, name
        assert "annual report is prepared within 3 months" in text, name




class TestDefinitionsBelowTheAgreementFollowIt:
    """The deed and the terms define Member, Board, Observer and Reserved Matters as the
    agreement does, citing its clause and schedule by number (report A3.1, C2.4)."""

    @pytest.mark.parametrize("name,loaded", [
        (n, la) for n, la in sets_of("collaboration_agreement", 30)
        if {"accession_deed", "committee_terms"} & set(la.answers.documents)
    ], ids=ids_of)
    def test_over_the_deed_and_the_terms(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        agreement = built(loaded, "collaboration_agreement")
        status = next((str(i) for i, c in enumerate(agreement.clauses, start=1)
                       if c.id == "status"), None)
        for kind in ("accession_deed", "committee_terms"):
            if kind not in a.documents:
                continue
            document = built(loaded, kind)
            text = clause_text(document, "definitions")
            observers = any(m.member_class == "observer" for m in a.members)
            if "“Member” means" in text:
                member = text[text.find("“Member” means"):]
                member = member[:member.find("“", 5)]
                assert ("other than as an Observer" in member) == observers, (name, kind, member)
            else:
                # round 14: the deed takes "Member" from the Agreement, whose definitions it
                # incorporates (the Agreement's own definition is the one checked there)
                assert kind == "accession_deed" and "Member" in document.incorporated_terms, name
            assert "constituted under the collaboration agreement between" not in text, name
            if a.governance.reserved_matters and "“Reserved Matters” means" in text:
                number = number_of(agreement, "sched:reserved-matters")
                assert f"“Reserved Matters” means the matters listed in {number} (Reserved " \
                    "matters) of the Agreement" in text, (name, kind)
            if observers and status and "“Observer” means" in text:
                assert f"listed in clause {status} (Legal status) of the Agreement" in text, \
                    (name, kind)
            assert "voting members" not in text, (name, kind)

    def test_a_co_chair_is_defined(self) -> None:
        from tests.review_sets import MOU_THEN
        loaded = changed(MOU_THEN)
        assert loaded.answers.governance.chair == "co_chairs"
        text = clause_text(built(loaded, "collaboration_agreement"), "definitions")
        assert "with co-chairs, the co-chair presiding at the meeting, and between meetings " \
            "both co-chairs acting together" in text
