"""A healthcare partner's ninth review of the money clauses, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
collaboration agreements of the bundled examples, the scenario answer sets, variations of them
and generated collaboratives as `drafting lint` drafts them, and reads the text a lawyer would
read. The ids are the review's (report, document, finding).
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import ALL, JOINT, changed, clause_text
from tests.test_review_round5_mou import built, generated_of

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def agreements(extra: list[tuple[str, LoadedAnswers]] | None = None,
               generated: int = 40) -> list[tuple[str, LoadedAnswers]]:
    """Every answer set here that drafts a collaboration agreement."""
    sets = [(p.stem, load_answers(p)) for p in ALL] + (extra or [])
    sets += generated_of("collaboration_agreement", generated)
    return [(n, la) for n, la in sets if "collaboration_agreement" in la.answers.documents]


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;]) ", text)


# --------------------------------------------------------------------------- 1 (C1.7, D1.4, F2.3)


class TestC17OneInvoicingRouteForRunningCosts:
    @pytest.mark.parametrize("name,loaded", agreements([
        ("joint-running-costs", changed(JOINT, finance={"model": "running_costs"}))]), **IDS)
    def test_with_a_host_every_running_cost_goes_through_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        finance = clause_text(doc, "finance")
        ids = {c.id for c in doc.clauses}
        if loaded.answers.finance.model == "no_pooling":
            assert "incurs a cost on behalf of the others" not in finance, name
            return
        if "host-member" in ids:
            number = doc.targets["host-member.duties"].number
            assert "incurs a cost on behalf of the others" not in finance, name
            assert (f"The Running Costs are invoiced, held and paid only through the Host Member, "
                    f"as clause {number} provides") in finance, name
            assert "invoices each Member for its share of the Running Costs" in clause_text(
                doc, "host-member"), name
        elif "lead-provider-role" in ids:
            assert "The Lead Provider invoices each other Member" in finance, name
        else:
            assert "The Member that incurs a cost on behalf of the others invoices" in finance, name
