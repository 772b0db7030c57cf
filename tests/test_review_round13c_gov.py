"""Round-13c requests to the Board's clauses: the decline right's cross-references and the
committee terms' citation of it.

Each test drafts the examples, the scenario sets and generated collaboratives, and asserts the
rule where it applies.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document, Paragraph
from drafting.read.load import LoadedAnswers
from drafting.write.text import plain
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of

CITED = re.compile(r"declin\w*[^.;]{0,80}?\bclauses? (\d+\.\d+)(?: to (\d+\.\d+))?", re.I)


def numbered(document: Document) -> dict[str, str]:
    """Sub-clause number ("10.4") -> its words, references shown as numbers."""
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    out: dict[str, str] = {}
    for clause in document.clauses:
        current = None
        for block in clause.blocks:
            if not isinstance(block, Paragraph):
                continue
            if block.level == 1 and block.number:
                current = block.number
            if current:
                out[current] = out.get(current, "") + " " + " ".join(
                    plain(block.inlines, document.targets, schedules).split())
    return out


def decline_sets(kind: str) -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of(kind, 12)
            if la.answers.governance.vehicle == "partnership_board"
            and la.answers.governance.voting in ("simple_majority", "special_majority", "weighted")]


def citing_sentences(parts: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    """(where, words, cited numbers) for each paragraph that cites a clause of the same document
    for declining ("Declining under clause N", "declines to act ... only as clause N provides")."""
    found = []
    for number, text in parts.items():
        for m in CITED.finditer(text):
            if text[m.end():m.end() + 20].startswith(" of the Agreement"):
                continue
            cited = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
            found.append((number, text, cited))
    return found


# ------------------------------------------------------------------ 1 the decline right's references


class TestItem1DeclineReferencesCiteTheRight:
    def test_the_case_is_reached(self) -> None:
        assert decline_sets("collaboration_agreement")

    @pytest.mark.parametrize("name,loaded", decline_sets("collaboration_agreement"), ids=ids_of)
    def test_every_reference_to_declining_cites_the_sub_clause_holding_the_right(
            self, name: str, loaded: LoadedAnswers) -> None:
        parts = numbered(built(loaded, "collaboration_agreement"))
        sentences = citing_sentences(parts)
        assert sentences, name
        for where, sentence, cited in sentences:
            text = " ".join(parts.get(n, "") for n in cited)
            assert "may decline to act" in text, (name, where, sentence, cited)
            if "period in that clause" in sentence:
                assert "grounds" in text and "days after" in text, (name, where, sentence)


# ------------------------------------------------------------------ 2 the terms cite the right


class TestItem2TermsCiteTheDeclineRight:
    def test_the_case_is_reached(self) -> None:
        assert [s for s in decline_sets("committee_terms")
                if "collaboration_agreement" in s[1].answers.documents]

    @pytest.mark.parametrize("name,loaded", [
        s for s in decline_sets("committee_terms")
        if "collaboration_agreement" in s[1].answers.documents], ids=ids_of)
    def test_the_terms_cite_the_agreement_clauses_that_hold_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        terms = built(loaded, "committee_terms")
        agreement = numbered(built(loaded, "collaboration_agreement"))
        text = " ".join(numbered(terms).values())
        m = re.search(r"decline to act on it on the grounds, within the periods and with the "
                      r"effect that clauses (\d+\.\d+) to (\d+\.\d+) of the Agreement provide",
                      text)
        assert m, name
        first, last = m.groups()
        assert "refer it to its own Member Board" in agreement[first], name
        between = [n for n in agreement
                   if n.split(".")[0] == first.split(".")[0]
                   and int(first.split(".")[1]) <= int(n.split(".")[1]) <= int(last.split(".")[1])]
        assert any("may decline to act" in agreement[n] for n in between), name
        assert "relieves only that Member" in agreement[last], name
