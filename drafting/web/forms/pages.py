"""The questionnaire's sections as web pages.

The sections and their order are `drafting.questionnaire.questions.SECTIONS` (A to J). One thing is the
web's own: lists of blocks get a page of their own. Section A's members have theirs, since
each member is a block of ten questions and a page with the collaborative's questions
above four such blocks would be too long to find one's way around; so do the partners'
sub-contracts in section B, one block per partner with its services and key performance
indicators.
"""

from __future__ import annotations

import re
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
    prefix: str = ""
    """The answers this page alone asks (``members``, ``sub_contract_terms``), or "" for the
    rest of its section."""

    @property
    def members(self) -> bool:
        """True for the page of member entries (add and remove buttons, one block per member)."""
        return self.prefix == "members"

    def owns(self, question: Question) -> bool:
        if question.section != self.letter:
            return False
        top = re.split(r"[.\[]", question.key, maxsplit=1)[0]
        return top == self.prefix if self.prefix else top not in OWN_PAGES

    def applies(self, data: Mapping[str, Any]) -> bool:
        """Whether any question of this page is asked, given the answers so far."""
        return self.members or any(self.owns(q) for q in questions_for(data))


OWN_PAGES = frozenset({"members", "sub_contract_terms"})
"""Answers with a page of their own."""

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
                            "observers.", prefix="members"))
        elif s.letter == "B":
            out.append(Page(_IDS["B"], "B", s.name, s.intro))
            out.append(Page("sub-contracts", "B", "The partners' sub-contracts",
                            "What each partner provides under its sub-contract with the lead "
                            "provider, how it is paid and the standards it must meet. Each "
                            "partner's sub-contract shows its own terms and nothing of another "
                            "partner's.", prefix="sub_contract_terms"))
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
