"""A healthcare partner's ninth review of the lead provider's sub-contracts, as rules over many
answer sets.

Each finding came from one sub-contract of the lead-provider pack but is a rule of the clause
library, so each test drafts every sub-contract of the bundled examples, the scenario answer
sets, the two lead-provider sets under each payment basis and generated answer sets (as
`drafting lint` draws them), and reads the text a lawyer would read. The names (B1.2 ...) are
the review's: report B, document 1, finding 2.
"""

from __future__ import annotations

import re

import pytest

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, NORTH_EAST, changed, clause_text, flat, library
from tests.test_review_round6_sc import every_sub_contract, note, number_of, schedule_text

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")
STANDSTILL_ROUTES = ("direct_award_c", "most_suitable_provider", "competitive")


def sub_contracts(loaded: LoadedAnswers) -> list[tuple[str, str, Document]]:
    return [(f"{loaded.file}/{p.filename}", p.partner_id or "",
             build_document(library(), loaded, p.kind, p.partner_id))
            for p in plan(loaded.answers) if p.kind == "sub_contract"]


def route_sets() -> list[tuple[str, LoadedAnswers]]:
    """The two lead-provider sets under every award route of the Provider Selection Regime."""
    routes = STANDSTILL_ROUTES + ("direct_award_a", "direct_award_b")
    return [(f"{path.stem}-{route}", changed(path, head_contract={
        "provider_selection_route": route, "considerable_change": False}))
            for path in (DOMINANT, NORTH_EAST) for route in routes]


def partner_kind(loaded: LoadedAnswers, partner: str) -> str:
    return next(m.kind for m in loaded.answers.members if m.id == partner)


# --------------------------------------------------------------------------- B1.2 standstill


class TestB12SignedOnlyAfterTheStandstill:
    """A sub-contract that needs a standstill is signed only after it ends and representations
    are closed; no operative text lets it be signed earlier with deferred effect, and the
    fallback is a drafting note only."""

    @pytest.mark.parametrize("name,loaded", route_sets(), **IDS)
    def test_over_every_route(self, name: str, loaded: LoadedAnswers) -> None:
        route = loaded.answers.head_contract.provider_selection_route
        for label, _, doc in sub_contracts(loaded):
            text = clause_text(doc, "provider-selection")
            whole = flat(doc)
            assert "If, when this Sub-Contract is signed, the Standstill Period has not ended" \
                not in whole, label
            assert "takes effect only when the Lead Provider confirms" not in whole, label
            if route in STANDSTILL_ROUTES:
                assert ("The parties signed this Sub-Contract only after the Standstill Period "
                        "had ended and every representation made during it had been finally "
                        "considered") in text, label
                assert "observed the Standstill Period" in text, label
                assert "Do not sign before the standstill period has ended" in \
                    " ".join(note(doc, "provider-selection").split()), label
            else:
                assert "Standstill Period" not in text, label
                assert "No standstill period applies to this route" in text, label

    def test_every_sub_contract_says_so(self) -> None:
        found = 0
        for label, loaded, _, doc in every_sub_contract():
            if loaded.answers.head_contract.provider_selection_route in STANDSTILL_ROUTES:
                found += 1
                assert "only after the Standstill Period had ended" in \
                    clause_text(doc, "provider-selection"), label
        assert found >= 5
