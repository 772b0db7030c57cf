"""A healthcare partner's seventh review of the money: the banking-covenant carve-out, the
cost of the lead provider's role, contract values and shares, the host member and the clauses
that follow a narrowed reserved matter, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
bundled examples, the scenario answer sets, variations of them and generated answer sets (as
`drafting lint` draws them) and reads the text a lawyer would read. The names (A1.1, C1.3...)
are the review's: report, document, finding.
"""

from __future__ import annotations

import re

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, JOINT, SHARED, changed, clause_text
from tests.test_review_round6_fin import agreements
from tests.test_review_round6_sc import note, schedule_text


def with_covenants(sets=None) -> list[tuple[LoadedAnswers, str, Document]]:
    return [(loaded, label, doc) for loaded, label, doc in (sets or agreements())
            if loaded.answers and any(m.banking_covenants for m in loaded.answers.members)]


# --------------------------------------------------------------------------- A1.1 covenant


class TestA11CovenantCarveOutRemovesOnlyRiskSharing:
    """The banking-covenant clause takes away the exposures that share risk (a loss share, a
    guarantee, joint liability, an indemnity for others, security) and nothing else: a
    Covenant Member stays bound by the agreement and liable for its own breaches, capped at a
    figure its lenders can accept."""

    def test_over_every_agreement_with_a_covenant_member(self) -> None:
        checked = 0
        for loaded, label, doc in with_covenants():
            checked += 1
            text = clause_text(doc, "banking-covenants")
            assert "exposure under this Agreement and in connection with" not in text, label
            assert "This clause removes only the exposures that share risk" in text, label
            own = text[text.index("is liable, under clause"):]
            own = own[:own.index(". ", own.index("as any other Member is")) + 200]
            assert "for its own breach of this Agreement" in own, label
            if loaded.answers.finance.liability == "several_with_cap":
                assert f"the limit in clause {doc.targets['liability-insurance.cap'].number}" in own, label
            else:
                assert "limited to one sum, its covenant cap, which is shown in its row of" in text[text.index("is liable, under clause"):], \
                    label
            liability = clause_text(doc, "liability-insurance")
            assert not re.search(r"indemnity is limited as clause \d+ provides", liability), label
            assert "indemnity covers only its own breach" in liability, label
        assert checked >= 5

    def test_a_capped_and_an_uncapped_agreement(self) -> None:
        for liability in ("several_with_cap", "several"):
            loaded = changed(DOMINANT, finance={"liability": liability,
                                                "liability_cap_multiple": 2 if liability == "several_with_cap" else None})
            (_, _, doc), = with_covenants(_agreements_of([loaded]))
            text = clause_text(doc, "banking-covenants")
            assert ("limited to one sum, its covenant cap, which is shown in its row of" in text) == (liability == "several"), liability


def _agreements_of(sets: list[LoadedAnswers]) -> list[tuple[LoadedAnswers, str, Document]]:
    from tests.test_review_round6_fin import _agreements
    return _agreements(sets)


# --------------------------------------------------------------------------- A1.3 one owner


def lead_commissions(loaded: LoadedAnswers) -> bool:
    answers = loaded.answers
    return answers.governance.model == "lead_provider" and answers.commissioning.lead_commissions


class TestA13ANarrowedReservedMatterHasOneOwner:
    """Where the lead provider commissions, moving a service between providers is its
    Allocation Decision: the exit plan and the equality analysis say so, and the checklist
    tells the lawyer that a reserved `service_reconfiguration` was narrowed."""

    def test_over_every_agreement(self) -> None:
        lead, other = 0, 0
        for loaded, label, doc in agreements():
            exit_plan = schedule_text(doc, "exit-plan")
            equality = clause_text(doc, "equality-health-inequalities")
            checklist = " ".join((doc.clauses[0].note or "").split())
            narrowed = "the answers reserve reconfiguring services" in checklist
            if "commissioning-separation" in {c.id for c in doc.clauses}:
                lead += 1
                assert "the Members agree who takes over each service" not in exit_plan, label
                assert "the Lead Provider decides who takes over each service" in exit_plan, label
                assert "or the Lead Provider takes an Allocation Decision" in equality, label
                reserved = "service_reconfiguration" in (loaded.answers.governance.reserved_matters or [])
                assert narrowed == reserved, label
            else:
                other += 1
                assert "Allocation Decision" not in exit_plan + equality, label
                assert not narrowed, label
        assert lead >= 5 and other >= 5

    def test_the_dominant_scenario_lists_the_narrowing(self) -> None:
        loaded = changed(DOMINANT)
        assert "service_reconfiguration" in (loaded.answers.governance.reserved_matters or [])
        (_, _, doc), = _agreements_of([loaded])
        assert "the answers reserve reconfiguring services" in (doc.clauses[0].note or "")


# --------------------------------------------------------------------------- C1.6 model words

MONEY_CLAUSES = ("banking-covenants", "liability-insurance", "finance", "risk-gain-share", "staffing",
                 "equality-health-inequalities", "withdrawal", "exit-consequences", "ip-ownership",
                 "ip-on-exit", "successor-lead-provider", "host-member")


class TestC16NoWordsOfAnotherModel:
    """Without a risk share the money clauses speak of no surplus or deficit, and the Running
    Costs name an independent chair only where the chair is independent."""

    def test_over_every_agreement(self) -> None:
        checked = 0
        for loaded, label, doc in agreements():
            answers = loaded.answers
            running = clause_text(doc, "definitions")
            start = running.find("“Running Costs” means")
            if start >= 0:
                meaning = running[start:running.find("“", start + 25)]
                assert ("independent chair" in meaning) == (answers.governance.chair == "independent"), label
            if answers.finance.model in ("running_costs", "no_pooling") and not clause_text(doc, "risk-gain-share"):
                checked += 1
                for clause in MONEY_CLAUSES:
                    words = clause_text(doc, clause).lower()
                    assert "surplus" not in words and "deficit" not in words, (label, clause)
        assert checked >= 5


# --------------------------------------------------------------------------- A1.6 lead costs


class TestA16EachLeadCostRecoveredOnce:
    """The Management Fee never covers a Running Cost, and a Covenant Member's fixed
    running-cost sum has a floor, with the shortfall borne by the others."""

    def test_over_every_agreement(self) -> None:
        fee, floor = 0, 0
        for loaded, label, doc in agreements():
            answers = loaded.answers
            finance = clause_text(doc, "finance")
            if (answers.governance.model == "lead_provider" and answers.finance.model != "no_pooling"
                    and answers.commissioning.management_fee.kind != "none"):
                fee += 1
                assert "The Lead Provider recovers each cost of its role once." in finance, label
                assert "is never also recovered through the Management Fee" in finance, label
            covenant = clause_text(doc, "banking-covenants")
            if covenant and answers.finance.model != "no_pooling":
                floor += 1
                assert "approved by it in advance for each Contract Year, which is not less than the floor shown in its row of" in covenant, label
                # round 18: the fixed sum is settled before the budget, which sets the others'
                # contributions to meet the rest; no one bears a shortfall it has not agreed
                assert "the budget sets the other Members' shares to meet the rest of the " \
                    "budgeted Running Costs, as clause" in covenant, label
                assert "so that with that sum they meet the whole of the budgeted Running Costs" \
                    in finance, label
                assert "the shortfall is borne by the other Members" not in finance, label
        assert fee >= 5 and floor >= 3


# --------------------------------------------------------------------------- C1.3, D1.4 values


class TestC13D14AnnualContractValueDefinedAndRebasedOnce:
    """A share worked out from contract values uses the defined Annual Contract Value (what it
    measures, from where, at what date), the financial schedule shows the figures and the
    shares, and one sub-clause says when they are re-based."""

    def test_over_every_agreement(self) -> None:
        checked = rebased = 0
        for loaded, label, doc in agreements():
            answers = loaded.answers
            text = " ".join(clause_text(doc, c) for c in MONEY_CLAUSES)
            assert "annual contract values for the Services" not in text, label
            assert "recalculated from the annual contract values" not in text, label
            if "Annual Contract Value" not in text:
                continue
            checked += 1
            meaning = clause_text(doc, "definitions")
            assert "“Annual Contract Value” means" in meaning, label
            number = doc.targets["finance.contract-values"].number
            assert f"re-based under clause {number}" in meaning, label
            rebase = clause_text(doc, "finance")
            lead_sets = answers.governance.model == "lead_provider" and answers.commissioning.lead_commissions
            assert ("They are re-based for each later Contract Year" in rebase) == (
                answers.finance.model != "no_pooling" and not lead_sets), label
            assert rebase.count("re-based for each later Contract Year") <= 1, label
            schedule = schedule_text(doc, "financial-framework")
            assert f"it is re-based as clause {number} provides" in schedule, label
            shares = [t for t in doc.schedules if t.id == "financial-framework"]
            assert shares, label
            risk = clause_text(doc, "risk-gain-share")
            # round 24: the lead's own price also names its Annual Contract Value; only shares
            # worked out from the values must be re-based
            if risk and "in proportion to their Annual Contract Values" in risk:
                rebased += 1
                assert "re-based as clause" in risk and "recalculated on the same basis when a Member joins" not in risk, label
        assert checked >= 10 and rebased >= 3

    def test_the_schedule_shows_running_cost_shares(self) -> None:
        (_, _, doc), = _agreements_of([changed(SHARED)])
        tables = [b for t in doc.schedules if t.id == "financial-framework" for b in t.blocks
                  if not hasattr(b, "inlines")]
        assert tables, "no table in the financial schedule"
        schedule = schedule_text(doc, "financial-framework")
        assert "The Members bear the Running Costs in the shares set out in clause" in schedule

    def test_a_quarterly_reconciliation_is_an_answer_not_followed(self) -> None:
        # round 14: the quarterly reconciliation is now followed (balances paid on account each
        # quarter), so the checklist no longer lists it as an answer not followed
        for reconciliation in ("quarterly", "year_end"):
            (_, _, doc), = _agreements_of([changed(JOINT, finance={"reconciliation": reconciliation})])
            checklist = " ".join((doc.clauses[0].note or "").split())
            listed = "the answers ask for a quarterly reconciliation" in checklist
            assert not listed, reconciliation
            if listed:
                overrides = checklist.split("Answers this draft does not follow", 1)[1]
                assert "the answers ask for a quarterly reconciliation" in overrides


# --------------------------------------------------------------------------- D1.3 host member


def hosted(answers) -> bool:
    return (answers.governance.model != "lead_provider"
            and answers.governance.vehicle in ("partnership_board", "committees_in_common", "joint_committee"))


class TestD13AHostMemberDoesWhatTheCollaborativeCannot:
    """Without a lead provider, a board, committees in common or a joint committee have a Host
    Member (a blank on the checklist) that runs the secretariat, holds the contracts and the
    Running Costs and keeps the records; secondments run to it, never to the Collaborative."""

    def test_over_every_agreement(self) -> None:
        hosts, others = 0, 0
        for loaded, label, doc in agreements():
            answers = loaded.answers
            host = clause_text(doc, "host-member")
            staffing = clause_text(doc, "staffing")
            assert "seconded to the Collaborative" not in staffing, label
            if not hosted(answers):
                others += 1
                assert not host, label
                continue
            hosts += 1
            assert host.startswith("[●] is the Host Member."), label
            assert "“Host Member” means" in clause_text(doc, "definitions"), label
            for duty in ("provides the secretariat of the Board", "keeps the records of the Collaborative"):
                assert duty in host, (label, duty)
            if answers.governance.chair == "independent":
                assert "contract with the independent chair" in host, label
            if answers.finance.model != "no_pooling":
                assert "invoices each Member for its share of the Running Costs" in host, label
                assert "are Running Costs, shared under clause" in host, label
            md = answers.governance.managing_director
            if md == "seconded":
                # round 14: the parties of the secondment are defined terms; the Receiving
                # Member is the Host Member
                assert "seconded by the Seconding Member to the Receiving Member to work for the Collaborative" in staffing, label
                assert "which is the Host Member" in clause_text(doc, "definitions"), label
            if md == "employed_by_lead":
                assert "who is employed by the Host Member" in staffing, label
            checklist = " ".join((doc.clauses[0].note or "").split())
            number = next(c.number for c in doc.clauses if c.id == "host-member")
            assert f"clause {number}.1 (Host Member): 1 blank" in checklist, (label, checklist[:400])
        assert hosts >= 5 and others >= 5

    def test_the_joint_committee_scenario(self) -> None:
        (_, _, doc), = _agreements_of([changed(JOINT)])
        ids = [c.id for c in doc.clauses]
        assert ids.index("host-member") == ids.index("governance-board") + 1
