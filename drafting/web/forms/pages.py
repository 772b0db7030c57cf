"""The questionnaire's sections as web pages.

The sections and their order are `drafting.questionnaire.questions.SECTIONS` (A to J). One thing is the
web's own: section A's members get a page of their own, since each member is a block of
ten questions and a page with the collaborative's questions above four such blocks would
be too long to find one's way around.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drafting.questionnaire.questions import SECTIONS, Question, questions_for

__all__ = ["PAGES", "Page", "applicable_pages", "page_by_id", "page_of"]


@dataclass(frozen=True)
class Page:
    """One page: the questions of one section (or of section A's members)."""

    id: str
    letter: str
    title: str
    intro: str
    members: bool = False
    """True for the page of member entries (add and remove buttons, one block per member)."""

    def owns(self, question: Question) -> bool:
        if question.section != self.letter:
            return False
        in_members = question.key == "members" or question.key.startswith("members[")
        return in_members == self.members

    def applies(self, data: Mapping[str, Any]) -> bool:
        """Whether any question of this page is asked, given the answers so far."""
        return self.members or any(self.owns(q) for q in questions_for(data))


_IDS = {
    "A": "collaborative", "B": "lead-provider", "C": "governance", "D": "finance", "E": "ip",
    "F": "membership", "G": "competition", "H": "data", "I": "disputes", "J": "clinical",
}


def _pages() -> tuple[Page, ...]:
    out: list[Page] = []
    for s in SECTIONS:
        if s.letter == "A":
            out.append(Page("collaborative", "A", "The collaborative and its documents",
                            "Who the collaborative is, what it is for, how it is run in outline "
                            "and which documents are needed."))
            out.append(Page("members", "A", "Members",
                            "Every member signs the documents. A provider collaborative needs at "
                            "least two NHS trusts or foundation trusts; independent-sector and "
                            "VCSE providers may join, and the ICB or NHS England may attend as "
                            "observers.", members=True))
        else:
            out.append(Page(_IDS[s.letter], s.letter, s.name, s.intro))
    return tuple(out)


PAGES: tuple[Page, ...] = _pages()


def page_by_id(page_id: str) -> Page | None:
    return next((p for p in PAGES if p.id == page_id), None)


def page_of(question: Question) -> Page:
    return next(p for p in PAGES if p.owns(question))


def applicable_pages(data: Mapping[str, Any], asked: list[Question] | None = None) -> list[Page]:
    """The pages asked for `data`, in order (the lead-provider page only with a lead provider)."""
    asked = list(questions_for(data)) if asked is None else asked
    return [p for p in PAGES if p.members or any(p.owns(q) for q in asked)]
