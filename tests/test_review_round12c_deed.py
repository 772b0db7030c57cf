"""A healthcare partner's round-12 reading of the accession deed, the purpose clause and the
confidentiality clause (findings E2.1, A3.1 to A3.4, A1.5, E1.1, E2.2 and E2.4), as rules over
many answer sets: the examples, the scenario sets and generated collaboratives. Each test reads
the text a lawyer reads.
"""

from __future__ import annotations

from functools import lru_cache

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import MERSEY
from tests.test_review_round6_data import every_document, files, generated
from tests.test_review_round9_law import answer_sets
from tests.test_review_round11b_words import KINDS
from tests.test_review_round11c_mou import all_sets as mou_sets
from tests.test_review_round11c_mou import has_is
from tests.review_sets import ALL


@lru_cache(maxsize=None)
def drafted() -> tuple[tuple[str, LoadedAnswers, Document], ...]:
    """The examples and scenarios, generated agreements, MOUs and deeds, and MOU variations."""
    found = dict(files(ALL))
    found["mersey-clean-team"] = changed(MERSEY, competition={"information_barrier": "clean_team"})
    for name, loaded in [*generated(), *answer_sets("mou", "accession_deed", limit=20),
                         *mou_sets()]:
        found.setdefault(name, loaded)
    return tuple(every_document(list(found.items()), KINDS))


def of_kind(*kinds: str) -> list[tuple[str, LoadedAnswers, Document]]:
    return [(name, loaded, doc) for name, loaded, doc in drafted() if doc.kind in kinds]


# ------------------------------- 1. (E2.1) the competition caveat attaches to information


def test_purpose_plans_capacity_together_and_exchanges_only_its_information_as_allowed() -> None:
    seen = set()
    for name, loaded, doc in of_kind("collaboration_agreement", "mou"):
        text = " ".join(clause_text(doc, "purpose-objectives").split())
        assert "using their capacity together" not in text, name
        if not (has_is(loaded) and "at scale" in text):
            continue
        via = loaded.answers.competition.information_barrier == "hub"
        seen.add(via)
        expected = ("planning the use of their capacity together, with any capacity information "
                    "exchanged only " + ("through the Information Hub as clause" if via
                                         else "as clause"))
        assert expected in text, (name, text)
        assert (" provides" if via else " allows") in text.split(expected, 1)[1][:12], name
    assert seen == {True, False}
