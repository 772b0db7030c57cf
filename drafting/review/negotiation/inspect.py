"""`drafting inspect`: what a returned draft is, and what was done to it, clause by clause.

The draft is weighed against its base (rebuilt from the answers it carries and the clause
versions it records): each clause and schedule is `unchanged`, `edited` (with the word
diff of each paragraph that differs) or `deleted`; paragraphs added outside any library
clause (in the front matter, or in a clause the lawyer added) are listed apart. Tracked
changes still pending in the draft are counted and shown as if accepted, and the clauses
that hold them are named: nothing is accepted silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from drafting.review.engine import align_blocks
from drafting.review.negotiation.draft import Draft, read_draft
from drafting.review.negotiation.looks import block_text
from drafting.review.negotiation.rounds import Side, heading_names, prepare
from drafting.review.negotiation.sections import FRONT, Item
from drafting.review.negotiation.update import describe_pending
from drafting.review.revisions import count_revisions
from drafting.review.words import diff_words

__all__ = ["ClauseReport", "Report", "format_text", "inspect_draft", "to_json"]

Status = Literal["unchanged", "edited", "deleted"]
Op = Literal["equal", "delete", "insert", "format"]


@dataclass(frozen=True)
class Piece:
    """A stretch of a changed paragraph: kept, deleted, inserted, or kept with another look
    (`format`)."""

    op: Op
    text: str


@dataclass
class ClauseReport:
    """One clause or schedule of the draft's provenance (`schedule:members` for a schedule)."""

    id: str
    version: int | None
    title: str
    status: Status
    diff: list[list[Piece]] = field(default_factory=list)
    """One list of pieces per paragraph that differs from the base."""
    pending: int = 0
    """Tracked changes still pending inside it."""


@dataclass
class Report:
    source: str
    document: str
    partner: str | None
    answers_sha256: str
    library_version: str
    clauses: list[ClauseReport]
    added: list[dict[str, str]]
    """Paragraphs added outside any clause: {"after": section key, "text": ...}."""
    front: list[list[Piece]]
    """Paragraphs of the front matter (cover, parties) edited or deleted."""
    pending: Counter[str]

    def totals(self) -> Counter[str]:
        return Counter(c.status for c in self.clauses)


def _diff(base: list[Item], mine: list[Item], before: Side, after: Side,
          ) -> tuple[list[list[Piece]], list[Item]]:
    """The paragraphs of `mine` that differ from `base` as pieces, and the blocks `mine`
    inserted (also shown as pieces)."""
    steps, _, _ = align_blocks([i.el for i in base], [i.el for i in mine])
    out: list[list[Piece]] = []
    inserted: list[Item] = []
    for a, b in steps:
        if a is not None and b is not None:
            if before.keys[id(base[a].el)] == after.keys[id(mine[b].el)]:
                continue
            old, new = block_text(base[a].el), block_text(mine[b].el)
            if old == new:
                out.append([Piece("format", new)])
                continue
            out.append([Piece(s.op, old[s.a0:s.a1] if s.op == "delete" else new[s.b0:s.b1])
                        for s in diff_words(old, new)])
        elif a is not None:
            out.append([Piece("delete", block_text(base[a].el))])
        elif b is not None:
            out.append([Piece("insert", block_text(mine[b].el))])
            inserted.append(mine[b])
    return out, inserted


def inspect_draft(draft: Draft | str, library: Any) -> Report:
    """Weigh a returned draft (or its path) against its base; see the module docstring."""
    if not isinstance(draft, Draft):
        draft = read_draft(draft)
    rnd = prepare(draft, library, new=False)
    base, mine = rnd.before, rnd.mine
    base_by, mine_by = base.by_key(), mine.by_key()
    pending_by = _pending_by_section(rnd) if draft.pending else {}
    versions = {c["id"]: c.get("version") for c in draft.provenance.get("clauses") or []
                if isinstance(c, dict)}
    versions.update({f"schedule:{s['id']}": s.get("version")
                     for s in draft.provenance.get("schedules") or [] if isinstance(s, dict)})
    clauses: list[ClauseReport] = []
    added: list[dict[str, str]] = []
    front: list[list[Piece]] = []
    for section in base.sections:
        key = section.key
        if key == FRONT:
            if key in mine_by:
                pieces, inserted = _diff(section.items, mine_by[key].items, base, mine)
                front = [p for p in pieces if not (len(p) == 1 and p[0].op == "insert")]
                added += [{"after": FRONT, "text": block_text(i.el)} for i in inserted]
            continue
        theirs = mine_by.get(key)
        version = versions.get(key)
        if theirs is None:
            clauses.append(ClauseReport(key, version, section.title, "deleted"))
            continue
        pieces, _ = _diff(section.items, theirs.items, base, mine)
        clauses.append(ClauseReport(key, version, section.title,
                                    "edited" if pieces else "unchanged", pieces,
                                    pending_by.get(key, 0)))
    previous = FRONT
    for section in mine.sections:
        if section.key not in base_by:
            added += [{"after": previous, "text": block_text(i.el)} for i in section.items]
        else:
            previous = section.key
    prov = draft.provenance
    return Report(draft.source, str(prov.get("document", "")), draft.partner,
                  str(prov.get("answers_sha256", "")), str(prov.get("library_version", "")),
                  clauses, added, front, draft.pending)


def _pending_by_section(rnd: Any) -> dict[str, int]:
    """Tracked changes still pending in each section of the draft as it is."""
    raw = rnd.draft.package.document()
    from drafting.review._oxml import qn
    from drafting.review.negotiation.sections import body_items, split

    body = raw.find(qn("w:body"))
    if body is None:
        return {}
    sections = split(body_items(body), rnd.draft.provenance, rnd.mine.looks,
                     heading_names=heading_names(rnd.before.looks), known=rnd.before.sections)
    out: dict[str, int] = {}
    for section in sections:
        counts: Counter[str] = Counter()
        for item in section.items:
            counts.update(count_revisions(item.el))
        total = sum(n for k, n in counts.items() if k not in ("moved_from",
                                                                 "moved_from_paragraphs"))
        if total:
            out[section.key] = total
    return out


# --- output ------------------------------------------------------------------------------


def _marked(pieces: list[Piece]) -> str:
    out = []
    for piece in pieces:
        if piece.op == "equal":
            out.append(piece.text)
            continue
        lead = " " if piece.text[:1].isspace() else ""
        trail = " " if piece.text[-1:].isspace() else ""
        core = " ".join(piece.text.split())
        mark = {"delete": "[-{}-]", "insert": "{{+{}+}}",
                "format": "[formatting changed: {}]"}[piece.op].format(core)
        out.append(f"{lead}{mark}{trail}")
    return " ".join("".join(out).split())


def format_text(report: Report) -> str:
    """The report as lines for a terminal: each clause's status, and the diff of each
    edited one (``[-deleted-]{+inserted+}``)."""
    who = f", sub-contract of {report.partner}" if report.partner else ""
    lines = [(f"{report.source}: {report.document}{who}; answers "
              f"{report.answers_sha256[:12]}, library {report.library_version}")]
    if report.pending:
        lines.append(f"pending tracked changes: {describe_pending(report.pending)} (shown "
                     "here as if accepted; accept or reject them in Word)")
    if report.front:
        lines.append("front matter: edited")
        lines += [f"    {_marked(p)}" for p in report.front]
    for clause in report.clauses:
        version = f" v{clause.version}" if clause.version is not None else ""
        pending = f" ({clause.pending} pending tracked changes)" if clause.pending else ""
        lines.append(f"  {clause.status:<10} {clause.id}{version}  {clause.title!r}{pending}")
        lines += [f"    {_marked(p)}" for p in clause.diff]
    if report.added:
        lines.append("added outside any clause:")
        lines += [f"  after {a['after']}: {a['text']!r}" for a in report.added]
    totals = report.totals()
    lines.append(f"{totals['edited']} edited, {totals['deleted']} deleted, "
                 f"{totals['unchanged']} unchanged, {len(report.added)} paragraphs added "
                 "outside any clause")
    return "\n".join(lines)


def to_json(report: Report) -> dict[str, Any]:
    """The report as plain data (``--format json``)."""
    return {
        "file": report.source,
        "document": report.document,
        "partner": report.partner,
        "answers_sha256": report.answers_sha256,
        "library_version": report.library_version,
        "pending": dict(sorted(report.pending.items())),
        "clauses": [{
            "id": c.id, "version": c.version, "title": c.title, "status": c.status,
            "diff": [[{"op": p.op, "text": p.text} for p in para] for para in c.diff],
            "pending": c.pending,
        } for c in report.clauses],
        "front_matter": [[{"op": p.op, "text": p.text} for p in para] for para in report.front],
        "added": report.added,
    }
