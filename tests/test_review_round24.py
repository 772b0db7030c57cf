"""Round 24: the partner read of the lead-provider agreement.

An Observer is a party with rights it can enforce (confidentiality, data protection), so the limits
on liability that protect the Members must reach its claims too: the exclusion of indirect loss and
the rule on liabilities that cannot be limited bind it, a Covenant Member's one limit covers its
liability to an Observer, and where every Member's liability is capped the cap covers claims by an
Observer as well. A schedule that says who is a controller names the Members, not every party,
because an Observer receives no personal data.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import planned
from tests.test_review_round13b_vote import binding_list, observer_sets, observers


def words(text: str) -> str:
    return " ".join(text.split())


def number(document: Document, target: str) -> str:
    return document.targets[target].number


def capped(loaded: LoadedAnswers) -> bool:
    return loaded.answers.finance.liability == "several_with_cap"


OBSERVED = observer_sets() + [
    ("dominant", changed(DOMINANT)),
    ("dominant-capped", changed(DOMINANT, finance={"liability": "several_with_cap"})),
]
UNOBSERVED = [(n, la) for n, la in sets_of("collaboration_agreement", 30)
              if planned(la, "collaboration_agreement") and not observers(la)]


# --------------------------------------------------------------- an Observer's claims are limited


class TestAnObserversClaimsAreLimited:
    """LP CA M2: the Observer can sue a Member for breach of confidentiality or data protection,
    so the exclusion of indirect loss, and the caps, apply to that claim as to a Member's."""

    def test_the_cases_are_reached(self) -> None:
        assert len(UNOBSERVED) >= 5
        kinds = {(capped(la), bool(la.answers.covenant_members)) for _, la in OBSERVED}
        assert (False, True) in kinds and (True, True) in kinds and (False, False) in kinds

    @pytest.mark.parametrize("name,loaded", OBSERVED, ids=ids_of)
    def test_the_observer_is_bound_by_the_limits(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        listed = binding_list(doc)
        for part in ("indirect", "unlimited"):
            assert f"clause {number(doc, 'liability-insurance.' + part)}" in listed, (name, listed)
        assert "no liability for indirect loss" in listed, name
        # the indemnities and the several-liability rule stay between the Members
        for part in ("several", "indemnity", "claims-follow"):
            target = f"liability-insurance.{part}"
            if target in doc.targets:
                assert f"clause {number(doc, target)} " not in listed + " ", (name, part)
                assert f"clause {number(doc, target)}," not in listed, (name, part)
        if capped(loaded):
            cap = number(doc, "liability-insurance.cap")
            assert f"clause {cap}" in listed and "the limit of each Member's liability" in listed
            text = words(clause_text(doc, "liability-insurance"))
            assert ("the total liability of each Member to the other Members and to any "
                    "Observer under this Agreement in each Contract Year") in text, name
        if "banking-covenants.own-breach" in doc.targets:
            assert f"clause {number(doc, 'banking-covenants.own-breach')}" in listed, name
            if not capped(loaded):
                assert "(the one limit of a Covenant Member's liability)" in listed, name
                covenant = words(clause_text(doc, "banking-covenants"))
                assert ("Its total liability in each Contract Year to the other Members and to "
                        "any Observer, whether in contract") in covenant, name

    @pytest.mark.parametrize("name,loaded", UNOBSERVED, ids=ids_of)
    def test_no_observer_no_mention(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = words(flat(doc))
        assert "and to any Observer" not in text, name

    def test_the_list_stays_in_clause_order(self) -> None:
        for name, loaded in OBSERVED[-2:]:
            listed = binding_list(built(loaded, "collaboration_agreement"))
            refs = [tuple(int(p) for p in r.split("."))
                    for r in re.findall(r"clause (\d+(?:\.\d+)*)", listed)]
            assert refs == sorted(refs), (name, listed)


# ---------------------------------------------------------------------- who is a controller


class TestControllersAreMembers:
    """LP CA S9: where the lead provider is a processor only for services it performs for
    another member, the data schedule says each Member, not each party, is a controller."""

    @pytest.mark.parametrize("kind", ["collaboration_agreement", "data_sharing"])
    def test_the_dominant_pack(self, kind: str) -> None:
        loaded = changed(DOMINANT)
        assert loaded.answers.data.controller_model == "lead_processor"
        text = words(flat(built(loaded, kind)))
        assert ("Controllers | Each Member is a controller; the Lead Provider is a processor "
                "(Article 28 UK GDPR) only for services it performs for another Member") in text
        assert "Each party is a controller;" not in text
