"""Round-11b findings on the clauses the sub-contract shares with the agreement, as rules over
many answer sets.

Each rule is checked on every sub-contract of the bundled examples, the scenario answer sets,
the lead-provider sets under each payment basis and generated answer sets (and, for the
agreement's clauses, on every document of those packs). The names (B1.2 ...) are the review's:
report B, document 1, finding 2.
"""

from __future__ import annotations

from tests.test_partner_review import clause_text
from tests.test_review_round6_sc import every_sub_contract


def words(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- B1.2 head contract


class TestB12HeadContractDisputesTreatEveryPartnerAlike:
    """Every partner, NHS or not, has the right to take part in the head contract's dispute
    procedure and make representations, is liable only for its own breach and is bound by the
    outcome only where it took part; the Lead Provider never requires it to take part and the
    two are never "both bound"."""

    def test_every_sub_contract(self) -> None:
        cases = every_sub_contract()
        kinds = set()
        for label, loaded, partner, doc in cases:
            text = words(clause_text(doc, "dispute-resolution"))
            kinds.add(next(m.kind for m in loaded.answers.members if m.id == partner))
            assert "may require the Sub-Contractor to take part" not in text, label
            assert "both parties are bound" not in text, label
            assert ("the Sub-Contractor has the right to take part in the dispute resolution "
                    "procedure of the Head Contract") in text, label
            assert "and to make representations in it" in text, label
            assert "liable under this Sub-Contract only for its own breach" in text, label
            assert "binds the Sub-Contractor only where it took part in it" in text, label
        assert {"nhs_trust", "nhs_foundation_trust"} & kinds and kinds - {
            "nhs_trust", "nhs_foundation_trust"}


# --------------------------------------------------------------------------- B1.3 ending


class TestB13EthicsBreachDoesNotSayHowTheSubContractEnds:
    """Only the termination clause says how a sub-contract ends: the ethical-standards breach
    sub-clause says a serious breach may be a ground for expulsion under the agreement, if it
    is also a ground under that clause."""

    def test_every_sub_contract(self) -> None:
        cited = 0
        for label, _, _, doc in every_sub_contract():
            text = words(clause_text(doc, "ethical-standards"))
            assert "through which alone" not in text, label
            if "ground for its expulsion" in text:
                cited += 1
                assert "of the Collaboration Agreement, if it is also a ground under that clause." \
                    in text, label
        assert cited >= 3
