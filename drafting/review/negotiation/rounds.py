"""One negotiation round's three documents, cut into sections and keyed by look.

`prepare` reads what `inspect` and `update` both need: the returned draft (its tracked
changes counted as accepted, the way a reader of the final text sees them), the *base*
(the draft rebuilt as it left `drafting`) and, for an update, the *new* document (new
answers, the library as it is now). Each body is cut into sections (front matter, one per
clause and schedule, clauses the lawyer added) and every block gets its key by look, so
the three can be compared section by section.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from drafting.errors import CompareError
from drafting.review._oxml import qn
from drafting.review.negotiation.draft import Built, Draft, rebuild
from drafting.review.negotiation.looks import Looks
from drafting.review.negotiation.sections import (
    HEADING_STYLES,
    Item,
    Section,
    body_items,
    split,
)
from drafting.review.package import Package
from drafting.review.revisions import accept_all, has_revisions

__all__ = ["Round", "Side", "heading_names", "prepare", "side_of"]


@dataclass
class Side:
    """One of the three documents: its package, its main part's tree (tracked changes
    accepted), its sections and each block's key."""

    package: Package
    root: etree._Element
    looks: Looks
    sections: list[Section]
    keys: dict[int, str]  # id(block element) -> key

    def by_key(self) -> dict[str, Section]:
        return {s.key: s for s in self.sections}

    def keys_of(self, items: Iterable[Item]) -> list[str]:
        return [self.keys[id(i.el)] for i in items]


@dataclass
class Round:
    draft: Draft
    base: Built
    new: Built | None
    mine: Side  # the returned draft
    before: Side  # the base
    after: Side | None  # the new document


def _key_all(looks: Looks, items: list[Item]) -> dict[int, str]:
    return {id(i.el): looks.key(i.el) for i in items}


def side_of(package: Package, provenance: dict[str, Any], names: set[str],
            known: list[Section] | None = None) -> Side:
    """Read one document's main story into a `Side` (its tracked changes accepted)."""
    root = package.document()
    if has_revisions(root):
        accept_all(root)
    body = root.find(qn("w:body"))
    if body is None:
        raise CompareError("the main document part has no body", file=package.source)
    looks = Looks(package)
    items = body_items(body)
    sections = split(items, provenance, looks, heading_names=names, known=known)
    return Side(package, root, looks, sections, _key_all(looks, items))


def heading_names(looks: Looks) -> set[str]:
    """The (lower-case) style names of clause and schedule headings in `drafting`'s frames."""
    return {looks.names.get(sid, sid.lower()) for sid in HEADING_STYLES}


def prepare(draft: Draft, library: Any, answers: Any = None, *, new: bool = True) -> Round:
    """The round's documents: the draft, its base and (with `new`) the new document."""
    base = rebuild(draft, library, as_recorded=True)
    after_built = rebuild(draft, library, answers) if new else None
    before_looks = Looks(base.package)
    names = heading_names(before_looks)
    before = side_of(base.package, base.provenance, names)
    mine = side_of(draft.package, draft.provenance, names, known=before.sections)
    after = side_of(after_built.package, after_built.provenance, names) \
        if after_built is not None else None
    return Round(draft, base, after_built, mine, before, after)
