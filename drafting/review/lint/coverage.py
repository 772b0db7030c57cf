"""What the library holds to be reached, what one answer set reaches, and choosing sets.

Why: a clause, a variant or a schedule that no answer set draws has never been read in a
document; lint must see every one. Drafting hundreds of candidate sets only to count what
they reach would take minutes, so `predict` answers the same question cheaply, by
evaluating only the conditions (each clause's `when`, the first variant whose `when` holds,
each schedule's `when`) that assembly itself evaluates; `select` then chooses, greedily,
the candidates that reach what the others do not, and after that the ones that reach the
rarest parts again. What is finally reported as reached is read from the drafted
documents' provenance, never from the prediction.

Items are tuples: `("clause", id, variant)` (variant None for a clause without variants)
and `("schedule", id)`. `predict` returns them per document kind as well
(`(kind, "clause", id, variant)`), so the choice also spreads each clause over the
documents it appears in.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from drafting.build.assemble import load_outline
from drafting.build.pack import plan
from drafting.build.schedules import PACK_SCHEDULES
from drafting.errors import DraftingError
from drafting.model import Document
from drafting.read.answers import Answers
from drafting.read.conditions import evaluate
from drafting.read.library import ClauseVersion, Library

__all__ = ["Item", "predict", "reached", "select", "targets"]

Item = tuple[Any, ...]


def targets(library: Library, templates: Path | None = None) -> list[Item]:
    """Everything that should be reached: each current clause (each of its variants) and
    each schedule a document can have, in library order."""
    items: list[Item] = []
    for clause in library.current():
        if clause.variants:
            items.extend(("clause", clause.id, v.id) for v in clause.variants)
        else:
            items.append(("clause", clause.id, None))
    items.extend(("schedule", s) for s in _schedule_ids(library, templates))
    return items


def _schedule_ids(library: Library, templates: Path | None) -> list[str]:
    """Schedule ids: the library's own when it holds schedules, else the outlines' and the
    pack's."""
    own = getattr(library, "schedules", None)
    if own:
        return sorted(own)
    ids: list[str] = []
    kinds = sorted({k for c in library.current() for k in c.documents})
    for kind in kinds:
        try:
            outline = load_outline(kind, templates)
        except DraftingError:
            continue
        ids.extend(s.id for s in outline.schedules)
        ids.extend(s.id for s in PACK_SCHEDULES.get(kind, ()))
    return list(dict.fromkeys(ids))


def reached(document: Document) -> set[Item]:
    """What a drafted document reached, read from its provenance."""
    provenance = document.provenance
    items: set[Item] = {("clause", c["id"], c.get("variant")) for c in provenance["clauses"]}
    schedules = provenance.get("schedules")
    if schedules is not None:
        items |= {("schedule", s["id"]) for s in schedules}
    else:
        items |= {("schedule", s.id) for s in document.schedules}
    return items


def _variant(clause: ClauseVersion, context: dict[str, Any]) -> str | None:
    for variant in clause.variants:
        if evaluate(variant.when, context, file=str(clause.path), line=variant.line):
            return variant.id
    return None


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
    base = answers.context()
    pins = answers.clause_versions
    for document in planned:
        member = answers.members_by_id.get(document.partner_id or "")
        context = dict(base, document=document.kind,
                       partner=member.model_dump(mode="json", by_alias=True) if member else None)
        try:
            outline = load_outline(document.kind, templates)
            found: set[Item] = set()
            for clause_id in outline.clauses:
                clause = library.get(clause_id, pins.get(clause_id))
                if evaluate(clause.when, context, file=str(clause.path)):
                    found.add(("clause", clause.id, _variant(clause, context)))
            for spec in outline.schedules:
                if evaluate(spec.when, context, file=str(outline.path)):
                    found.add(("schedule", spec.id))
            found.update(("schedule", s.id) for s in PACK_SCHEDULES.get(document.kind, ()))
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
