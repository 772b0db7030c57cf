"""A clause-by-clause account of a comparison: what changed, was added, removed or moved.

Reviewers read a redline clause by clause. When both drafts were written by `drafting`,
their provenance names every clause by id and version, and each clause heading carries
the clause's bookmark (``_Ref_<id>``), so clauses are matched by id and a new library
version is reported as such. For any other draft, clauses are the stretches between
headings of the top outline level, matched by the alignment of their headings or by
heading text (numbering left out).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from drafting.review.docx import Block, Comparison

__all__ = ["ClauseChange", "Summary", "format_text", "summarise", "to_json"]

Status = Literal["unchanged", "changed", "added", "removed", "moved"]


@dataclass
class ClauseChange:
    """One clause of either draft and what happened to it.

    `clause_id` and the versions are None without provenance. `moved` is True when the
    clause changed place relative to the others (it may also be `changed`).
    """

    key: str
    title: str
    status: Status
    clause_id: str | None = None
    old_version: int | None = None
    new_version: int | None = None
    moved: bool = False
    paragraphs: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "id": self.clause_id, "title": self.title, "status": self.status,
            "moved": self.moved, "old_version": self.old_version, "new_version": self.new_version,
            "paragraphs": dict(sorted(self.paragraphs.items())),
        }


@dataclass
class Summary:
    """The clause changes in the new draft's order (removed ones where they were)."""

    old: str
    new: str
    by_provenance: bool
    clauses: list[ClauseChange]
    revisions: Counter[str]
    stories: dict[str, Counter[str]] = field(default_factory=dict)
    not_compared: list[str] = field(default_factory=list)
    comments_added: list[str] = field(default_factory=list)
    comments_removed: list[str] = field(default_factory=list)
    untracked: list[str] = field(default_factory=list)

    def totals(self) -> Counter[str]:
        counts: Counter[str] = Counter(c.status for c in self.clauses)
        counts["moved"] = sum(1 for c in self.clauses if c.moved)
        return counts


_NUMBER = re.compile(r"^\s*(?:clause\s+)?[\d.()a-z]*\d[\d.()]*\s*[.):-]?\s+", re.IGNORECASE)


def _norm_heading(text: str) -> str:
    return " ".join(_NUMBER.sub("", text).split()).casefold()


def _slug(clause_id: str) -> str:
    return "_Ref_" + re.sub(r"[^A-Za-z0-9]", "_", clause_id)


@dataclass
class _Section:
    key: str
    title: str
    start: int
    clause_id: str | None = None
    version: int | None = None


def _sections(blocks: list[Block], provenance: dict[str, Any] | None) -> list[_Section]:
    """Where each clause starts: its heading block (bookmark by id, or top-level heading)."""
    sections: list[_Section] = []
    if provenance is not None:
        versions: dict[str, int | None] = {}
        for c in provenance.get("clauses") or []:
            if isinstance(c, dict) and isinstance(c.get("id"), str):
                v = c.get("version")
                versions[c["id"]] = v if isinstance(v, int) else None
        by_slug = {_slug(cid): cid for cid in versions}
        for i, block in enumerate(blocks):
            for mark in block.bookmarks:
                cid = by_slug.get(mark)
                if cid is not None:
                    sections.append(_Section(cid, block.text.strip(), i, cid, versions[cid]))
                    break
        if sections:
            return sections
    levels = [b.outline_level for b in blocks if b.outline_level is not None and b.text.strip()]
    if not levels:
        return sections
    top = min(levels)
    for i, block in enumerate(blocks):
        if block.outline_level == top and block.text.strip():
            sections.append(_Section(_norm_heading(block.text), block.text.strip(), i))
    return sections


def _owner(sections: list[_Section], count: int) -> list[int | None]:
    """For each block index, the index of the section it belongs to (None before the first)."""
    owner: list[int | None] = [None] * count
    for s, section in enumerate(sections):
        end = sections[s + 1].start if s + 1 < len(sections) else count
        for i in range(section.start, end):
            owner[i] = s
    return owner


def summarise(result: Comparison) -> Summary:
    """Group the paragraph-level steps of `result` by clause."""
    use_ids = result.old_provenance is not None and result.new_provenance is not None
    old_secs = _sections(result.old_blocks, result.old_provenance if use_ids else None)
    new_secs = _sections(result.new_blocks, result.new_provenance if use_ids else None)
    if use_ids and not (old_secs and any(s.clause_id for s in old_secs)):
        use_ids = False
    old_owner = _owner(old_secs, len(result.old_blocks))
    new_owner = _owner(new_secs, len(result.new_blocks))

    # Pair clauses: same key first (clause id, or heading text), then aligned headings.
    pair_of_new: dict[int, int] = {}
    old_by_key: dict[str, list[int]] = {}
    for i, sec in enumerate(old_secs):
        old_by_key.setdefault(sec.key, []).append(i)
    for j, sec in enumerate(new_secs):
        if old_by_key.get(sec.key):
            pair_of_new[j] = old_by_key[sec.key].pop(0)
    paired_old = set(pair_of_new.values())
    old_start = {sec.start: i for i, sec in enumerate(old_secs)}
    new_start = {sec.start: j for j, sec in enumerate(new_secs)}
    for step in result.steps:
        if step.old is None or step.new is None:
            continue
        oi, nj = old_start.get(step.old), new_start.get(step.new)
        if oi is not None and nj is not None and nj not in pair_of_new and oi not in paired_old:
            pair_of_new[nj] = oi
            paired_old.add(oi)

    # Paragraph steps per clause (new side first, else old side).
    per_new: dict[int, Counter[str]] = {}
    per_old: dict[int, Counter[str]] = {}
    front: Counter[str] = Counter()
    for step in result.steps:
        if step.op == "same":
            continue
        op = "moved" if step.op in ("moved_from", "moved_to") else step.op
        if step.op == "moved_from":
            continue  # counted once, where it arrives
        if step.new is not None and new_owner[step.new] is not None:
            per_new.setdefault(new_owner[step.new], Counter())[op] += 1  # type: ignore[arg-type]
        elif step.old is not None and old_owner[step.old] is not None:
            per_old.setdefault(old_owner[step.old], Counter())[op] += 1  # type: ignore[arg-type]
        else:
            front[op] += 1

    # Clauses out of their old order, relative to the others (not in the longest common order).
    paired = sorted(pair_of_new.items())
    matcher = difflib.SequenceMatcher(
        None, sorted(i for _, i in paired), [i for _, i in paired], autojunk=False)
    in_order = {m for block in matcher.get_matching_blocks() for m in
                [i for _, i in paired][block.b:block.b + block.size]}

    clauses: list[ClauseChange] = []
    if front:
        clauses.append(ClauseChange("(front matter)", "Front matter", "changed", paragraphs=front))
    old_of = {i: j for j, i in pair_of_new.items()}
    emitted_old: set[int] = set()

    def emit_removed_before(limit: int) -> None:
        for i in range(limit):
            if i not in old_of and i not in emitted_old:
                emitted_old.add(i)
                sec = old_secs[i]
                counts = per_old.get(i, Counter())
                clauses.append(ClauseChange(sec.key, sec.title, "removed", sec.clause_id,
                                            sec.version, None, False, counts))

    for j, sec in enumerate(new_secs):
        found = pair_of_new.get(j)
        if found is None:
            clauses.append(ClauseChange(sec.key, sec.title, "added", sec.clause_id, None,
                                        sec.version, False, per_new.get(j, Counter())))
            continue
        i = found
        emit_removed_before(i)
        old = old_secs[i]
        counts = per_new.get(j, Counter()) + per_old.get(i, Counter())
        moved = i not in in_order
        version_changed = use_ids and old.version != sec.version
        text_changed = any(k != "moved" for k in counts) or version_changed
        status: Status = "changed" if text_changed else "moved" if moved else "unchanged"
        if status == "unchanged" and counts.get("moved"):
            status = "changed"  # some of its paragraphs moved within or out of it
        clauses.append(ClauseChange(sec.key, sec.title, status, sec.clause_id or old.clause_id,
                                    old.version, sec.version, moved, counts))
    emit_removed_before(len(old_secs))
    return Summary(result.old_source, result.new_source, use_ids, clauses, result.counts,
                   dict(result.stories), list(result.not_compared), list(result.comments_added),
                   list(result.comments_removed), list(result.untracked))


def _version(c: ClauseChange) -> str:
    if c.old_version is not None and c.new_version is not None and c.old_version != c.new_version:
        return f" v{c.old_version} -> v{c.new_version}"
    v = c.new_version if c.new_version is not None else c.old_version
    return f" v{v}" if v is not None else ""


def format_text(summary: Summary, *, all_clauses: bool = False) -> str:
    """The summary as lines for a terminal; unchanged clauses only with `all_clauses`."""
    totals = summary.totals()
    head = (
        f"{summary.old} -> {summary.new}: {totals['changed']} changed, {totals['added']} added, "
        f"{totals['removed']} removed, {totals['moved']} moved, {totals['unchanged']} unchanged"
        + (" (clauses by id)" if summary.by_provenance else " (clauses by heading)")
    )
    lines = [head]
    for c in summary.clauses:
        if c.status == "unchanged" and not all_clauses:
            continue
        label = c.status + (" and moved" if c.moved and c.status == "changed" else "")
        name = c.clause_id or c.title
        title = f"  {c.title!r}" if c.clause_id and c.title else ""
        detail = ", ".join(f"{n} {k}" for k, n in sorted(c.paragraphs.items()))
        lines.append(f"  {label:<18} {name}{_version(c)}{title}" + (f"  ({detail})" if detail else ""))
    r = summary.revisions
    lines.append(
        f"Revisions: {r['insertions']} insertions, {r['deletions']} deletions "
        f"(whole paragraphs: {r['inserted_paragraphs']} inserted, {r['deleted_paragraphs']} "
        f"deleted; table rows: {r['inserted_rows']} inserted, {r['deleted_rows']} deleted), "
        f"{r['moved_to_paragraphs']} paragraphs moved, {r['formatting']} formatting changes"
    )
    for story, counts in summary.stories.items():
        if story != "body":
            lines.append(f"  in {story}: {_counts(counts)}")
    if summary.comments_added or summary.comments_removed:
        lines.append(f"Comments: {len(summary.comments_added)} added, "
                     f"{len(summary.comments_removed)} removed")
        lines.extend(f"  added   {c}" for c in summary.comments_added)
        lines.extend(f"  removed {c}" for c in summary.comments_removed)
    if summary.not_compared:
        lines.append("Not compared: " + "; ".join(summary.not_compared))
    lines.extend(f"Cannot be tracked: {item}" for item in summary.untracked)
    if not summary.stories and not summary.not_compared and not summary.comments_added \
            and not summary.comments_removed:
        lines.append("No difference in any story or part.")
    return "\n".join(lines)


def _counts(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(counts.items()) if n)


def to_json(summary: Summary) -> dict[str, Any]:
    """The summary as plain data (for ``--json``)."""
    return {
        "old": summary.old,
        "new": summary.new,
        "clauses_by": "provenance" if summary.by_provenance else "headings",
        "totals": dict(sorted(summary.totals().items())),
        "clauses": [c.as_dict() for c in summary.clauses],
        "revisions": dict(sorted(summary.revisions.items())),
        "stories": {name: dict(sorted(c.items())) for name, c in summary.stories.items()},
        "comments": {"added": summary.comments_added, "removed": summary.comments_removed},
        "not_compared": summary.not_compared,
        "untracked": summary.untracked,
    }
