"""What the library holds to be reached, what one answer set reaches, and choosing sets.

Why: a clause, a variant or a schedule that no answer set draws has never been read in a
document; lint must see every one. Drafting hundreds of candidate sets only to count what
they reach would take minutes, so `predict` answers the same question cheaply, by
evaluating only the conditions (each clause's `when`, the first variant whose `when` holds,
each schedule's `when`) that assembly itself evaluates; `select` then chooses, greedily,
the candidates that reach what the others do not, and after that the ones that reach the
rarest parts again. What is finally reported as reached is read from the drafted
documents' provenance, never from the prediction.

Items are tuples: `("clause", id, variant)` and `("schedule", id, variant)` (variant None
for one without variants). `predict` returns them per document kind as well
(`(kind, "clause", id, variant)`), so the choice also spreads each clause over the
documents it appears in.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from drafting.build.assemble import (AGREEMENT_CITERS, agreement_parts, document_context,
                                     load_outline, split_pins)
from drafting.build.pack import plan
from drafting.build.schedules import choose_schedules
from drafting.errors import DraftingError
from drafting.model import Document
from drafting.read.answers import Answers
from drafting.read.conditions import evaluate
from drafting.read.library import Library

__all__ = ["Item", "predict", "reached", "select", "targets"]

Item = tuple[Any, ...]


def targets(library: Library) -> list[Item]:
    """Everything that should be reached: each current clause and schedule (each of its
    variants), in library order."""
    items: list[Item] = []
    for part, versions in (("clause", library.current()),
                           ("schedule", library.current_schedules())):
        for item in versions:
            if item.variants:
                items.extend((part, item.id, v.id) for v in item.variants)
            else:
                items.append((part, item.id, None))
    return items


def reached(document: Document) -> set[Item]:
    """What a drafted document reached, read from its provenance."""
    provenance = document.provenance
    return ({("clause", c["id"], c.get("variant")) for c in provenance["clauses"]}
            | {("schedule", s["id"], s.get("variant")) for s in provenance.get("schedules", ())}
            | {("clause", b["id"], b.get("variant"))
               for b in filter(None, [provenance.get("background")])})


def predict(library: Library, answers: Answers, templates: Path | None = None) -> set[Item]:
    """What drafting `answers` would reach, per document kind, without drafting anything.

    Returns both the plain items and the same items prefixed with the document kind. A
    condition that fails to evaluate reaches nothing here; drafting reports it.
    """
    items: set[Item] = set()
    try:
        planned = plan(answers)
    except DraftingError:
        return items
    try:
        pins, schedule_pins = split_pins(library, answers.clause_versions)
    except DraftingError:
        return items
    cited: tuple[dict[str, Any], dict[str, Any]] | None = None
    for document in planned:
        context = document_context(answers, document.kind, document.partner_id,
                                   library.glossary.entries)
        if document.kind in AGREEMENT_CITERS:
            # a sub-contract's conditions may ask which clauses the agreement has, as in drafting
            try:
                cited = cited or agreement_parts(library, answers, templates)
            except DraftingError:
                continue
            context["agreement_clauses"], context["agreement_schedules"] = cited
        try:
            outline = load_outline(document.kind, templates)
            found: set[Item] = set()
            included: dict[str, int] = {}
            for clause_id in outline.clauses:
                clause = library.get(clause_id, pins.get(clause_id))
                if evaluate(clause.when, context, file=str(clause.path)):
                    found.add(("clause", clause.id, clause.variant_for(context)))
                    included[clause.id] = clause.version
            # a schedule's `when` may ask which clauses the document has, as in drafting
            context = {**context, "included": included}
            if outline.background is not None:  # the recitals: a clause like any other
                clause = library.get(outline.background, pins.get(outline.background))
                if evaluate(clause.when, context, file=str(clause.path)):
                    found.add(("clause", clause.id, clause.variant_for(context)))
            for chosen in choose_schedules(library, outline.schedules, context, document.kind,
                                           schedule_pins, outline.path):
                found.add(("schedule", chosen.version.id, chosen.variant))
        except DraftingError:
            continue
        items |= found
        items |= {(document.kind, *item) for item in found}
    return items


def select(candidates: Sequence[set[Item]], count: int,
           covered: Iterable[set[Item]] = ()) -> list[int]:
    """Choose `count` of `candidates` (by index): first those that reach what nothing has
    reached yet, then those that reach the least-reached items again.

    `covered` is what is reached anyway (the bundled examples). A lazy greedy choice: a
    candidate's worth only falls as others are chosen, so a stale worth that still tops
    the heap once refreshed is the best. Ties go to the earlier candidate, so the choice is
    a pure function of its inputs.
    """
    counts: Counter[Item] = Counter()
    for items in covered:
        counts.update(items)

    def worth(items: set[Item]) -> tuple[int, float]:
        new = sum(1 for i in items if not counts[i])
        return new, sum(1.0 / (1 + counts[i]) for i in items)

    heap = [(-w[0], -w[1], index) for index, items in enumerate(candidates)
            for w in (worth(items),)]
    heapq.heapify(heap)
    chosen: list[int] = []
    while heap and len(chosen) < count:
        stale_new, stale_spread, index = heapq.heappop(heap)
        new, spread = worth(candidates[index])
        if heap and (-new, -spread, index) > heap[0]:
            heapq.heappush(heap, (-new, -spread, index))
            continue
        chosen.append(index)
        counts.update(candidates[index])
    return chosen
