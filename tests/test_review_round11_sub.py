"""A healthcare partner's eleventh review of the lead provider's sub-contracts, as rules over
many answer sets.

Each rule is checked on every sub-contract of the bundled examples, the scenario answer sets,
the lead-provider sets under each payment basis and generated answer sets. The names (B1.1 ...)
are the review's: report B, document 1, finding 1.
"""

from __future__ import annotations

from drafting.build.pack import build_document
from tests.test_partner_review import clause_text, flat, library
from tests.test_review_round6_sc import every_sub_contract


# --------------------------------------------------------------------------- B1.4 precedence


class TestB14PrecedenceIsOneList:
    """The sub-contract's order of precedence is one ordered list; no second sub-clause ranks
    the incorporated agreement provisions with a different carve-out, and a provision that
    ranks first (the covenant clause) is not also a protected provision."""

    def test_every_sub_contract(self) -> None:
        for label, _, _, doc in every_sub_contract():
            text = clause_text(doc, "interpretation")
            assert "rank as clause" not in text, label
            assert "this Sub-Contract prevails" not in text, label
            assert "interpretation.agreement-rank" not in doc.targets, label
            order = text[text.index("take precedence in this order"):]
            protected = doc.targets["interpretation.protected"].number
            first = order.index(f"the protected provisions listed in sub-clause {protected};")
            assert first < order.index("the Flow-Down Provisions;"), label
            if "interpretation.collaboration-agreement" in doc.targets:
                assert order.index("the Flow-Down Provisions;") < order.index(
                    "the provisions of the Collaboration Agreement incorporated"), label
            if "banking-covenants" in doc.targets:
                number = doc.targets["banking-covenants"].number
                listed = order[order.index("The protected provisions are:"):]
                assert f"clause {number} (" not in listed, label
                assert order.index(f"clause {number} (") < first, label


# --------------------------------------------------------------------------- B1.3 ending


OWN = ("interpretation", "definitions", "banking-covenants", "sc-particulars", "sc-services",
       "sc-payment", "sc-contract-management", "sc-status")


class TestB13OnlyTheTerminationClauseSaysHowItEnds:
    """No clause but the termination clause says how the sub-contract ends: "through which
    alone this Sub-Contract may end early" appears in none of the general clauses."""

    def test_every_sub_contract(self) -> None:
        cases = every_sub_contract()
        assert len(cases) >= 10
        for label, _, _, doc in cases:
            for clause_id in OWN:
                assert "through which alone" not in clause_text(doc, clause_id), (label, clause_id)
