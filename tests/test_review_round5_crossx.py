"""Consistency between the clause areas of the library, as rules over many answer sets.

Each item is a place where one clause said something another clause contradicted or left
out: the binding list of a non-binding memorandum, competition law's aggregation rule, the
quorum and a conflicted member, the sub-contract's incorporation list and general provisions,
and the words for a Member without a vote. Each test drafts the bundled examples, the scenario
answer sets and, where the rule is general, generated collaboratives, and reads the text.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import ALL, clause_text, flat
from tests.test_review_round5_mou import MOUS, built, drafted, generated, generated_of


def sets_of(kind: str, limit: int = 25) -> list[tuple[str, LoadedAnswers]]:
    """The examples and scenarios that draft `kind`, then generated collaboratives that do."""
    own = [(p.stem, load_answers(p)) for p in ALL]
    return [(n, la) for n, la in own if kind in la.answers.documents] + generated_of(kind, limit)


def sub_clause(text: str, start: str) -> str:
    """The sentence(s) of a clause's text from `start` to the next full stop."""
    at = text.index(start)
    return text[at:text.index(". ", at) + 1] if ". " in text[at:] else text[at:]


# --------------------------------------------------------------------------- X1, X2 MOU status


def non_binding_mous() -> list[tuple[str, Document]]:
    found = [(p.stem, drafted(p, "mou")) for p in MOUS]
    found += [(n, built(la, "mou")) for n, la in generated_of("mou", 30)]
    return [(n, d) for n, d in found if "This memorandum records the intentions"
            in clause_text(d, "status")]


class TestX1X2TheBindingListIsBuiltFromTheMemorandum:
    @pytest.mark.parametrize("name,doc", non_binding_mous(), ids=lambda v: v if isinstance(v, str) else "")
    def test_every_binding_provision_is_listed_in_document_order(self, name: str, doc: Document) -> None:
        text = clause_text(doc, "status")
        listed = text[text.index("The following provisions are legally binding"):]
        listed = listed[:listed.index("(governing law and jurisdiction).")]
        numbers = {c.id: str(n) for n, c in enumerate(doc.clauses, start=1)}
        expected = ["definitions", "mou-costs", "competition-information-barrier",
                    "confidentiality-foi", "mou-review", "status"]
        wanted = [numbers[c] for c in expected if c in numbers]
        found = re.findall(r"clause (\d+)", listed)
        # each clause appears in order; the status clause's own three sub-clauses end it
        assert [n for i, n in enumerate(found) if n not in found[:i]] == wanted, name
        assert f"clause {numbers['mou-review']}." in listed, name  # its withdrawal sub-clause
        for words in ("(each party's own costs)", "(no partnership or agency)"):
            assert words in listed, name
        assert ("(shared costs)" in listed) == ("mou-costs" in numbers), name

    @pytest.mark.parametrize("name,doc", non_binding_mous(), ids=lambda v: v if isinstance(v, str) else "")
    def test_own_costs_yield_to_the_costs_clause(self, name: str, doc: Document) -> None:
        text = clause_text(doc, "status")
        numbers = {c.id: n for n, c in enumerate(doc.clauses, start=1)}
        own = sub_clause(text, "Each party bears its own costs")
        if "mou-costs" in numbers:
            assert own.endswith(f"except as clause {numbers['mou-costs']} provides."), (name, own)
        else:
            assert "except" not in own, (name, own)


# --------------------------------------------------------------------------- X3 aggregation


def competition_documents() -> list[tuple[str, Document]]:
    from drafting.build.pack import plan
    from tests.test_review_round5_mou import library
    from drafting.build.pack import build_document
    found = []
    sets = [(p.stem, load_answers(p)) for p in ALL] + [(la.file, la) for la in generated()[:40]]
    for name, loaded in sets:
        for part in plan(loaded.answers):
            if part.kind not in ("collaboration_agreement", "mou", "sub_contract"):
                continue
            doc = build_document(library(), loaded, part.kind, part.partner_id)
            if any(c.id == "competition-information-barrier" for c in doc.clauses):
                found.append((f"{name}-{part.kind}-{part.partner_id or ''}", doc))
    return found


class TestX3AggregationWorksForAnyNumberOfMembers:
    @pytest.mark.parametrize("name,doc", competition_documents(), ids=lambda v: v if isinstance(v, str) else "")
    def test_no_party_s_own_figures_can_be_identified(self, name: str, doc: Document) -> None:
        text = clause_text(doc, "competition-information-barrier")
        assert "at least three providers" not in flat(doc), name
        if "may disclose its own Competitively Sensitive Information" in text:
            assert ("aggregated so that no party's own figures can be identified or deduced from it"
                    in text), name
        definitions = clause_text(doc, "definitions")
        if "Competitively Sensitive Information" in definitions:
            assert ("other than information that is aggregated so that no party's own figures can "
                    "be identified or deduced from it, or is at least twelve months old"
                    in definitions), name
