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
                assert "limited to [£●]" in own, label
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
            assert ("limited to [£●]" in text) == (liability == "several"), liability


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
