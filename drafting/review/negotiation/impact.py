"""`drafting impact`: which drafts under a folder use a clause or schedule version the
library has since superseded.

Every draft records the version of each clause and schedule it was drafted with. A new
version in the library (`clauses/<id>/v<N+1>.md`, with its change note) affects every
draft that records an older one: those are listed, one row per draft and clause, with the
change notes of the versions since. Files that are not drafts of `drafting` are skipped
and named; a draft recording a version the library does not have is a problem, named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafting.errors import CompareError
from drafting.review.package import read_package, read_provenance

__all__ = ["Impact", "Row", "format_text", "scan", "to_json"]


@dataclass(frozen=True)
class Row:
    """A draft using a superseded version: the file (relative to the folder scanned), its
    document kind, the clause (``schedule:<id>`` for a schedule), the version it uses,
    the library's current one and the change notes of the versions between."""

    file: str
    document: str
    clause: str
    version: int
    current: int
    change: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "document": self.document, "clause": self.clause,
                "version": self.version, "current": self.current, "change": self.change}


@dataclass
class Impact:
    rows: list[Row] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    """Every draft read (relative paths)."""
    skipped: list[str] = field(default_factory=list)
    """Files skipped, each with the reason."""
    problems: list[str] = field(default_factory=list)
    """Drafts recording a clause or version the library does not have."""

    def affected(self) -> list[str]:
        """The drafts with at least one row, in order."""
        return list(dict.fromkeys(row.file for row in self.rows))


def _docx_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.docx")
                  if p.is_file() and not p.name.startswith(("~$", ".~lock")))


def scan(folder: str | Path, library: Any) -> Impact:
    """Read the provenance of every .docx under `folder` (recursively) against `library`."""
    root = Path(folder)
    if not root.is_dir():
        raise CompareError("is not a folder: give the folder holding the drafts", file=root)
    impact = Impact()
    for path in _docx_files(root):
        name = path.relative_to(root).as_posix()
        try:
            provenance = read_provenance(read_package(path))
        except CompareError as exc:
            impact.skipped.append(f"{name}: {exc.message}")
            continue
        if provenance is None:
            impact.skipped.append(f"{name}: not made by `drafting` (no drafting provenance)")
            continue
        impact.drafts.append(name)
        document = str(provenance.get("document", ""))
        items = [(c, "clause") for c in provenance.get("clauses") or []]
        items += [(s, "schedule") for s in provenance.get("schedules") or []]
        for item, part in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or \
                    not isinstance(item.get("version"), int):
                continue
            ident, version = item["id"], item["version"]
            label = f"schedule:{ident}" if part == "schedule" else ident
            history = (library.schedules if part == "schedule" else library.clauses).get(ident)
            if not history:
                impact.problems.append(f"{name}: uses {part} {ident!r} version {version}, which "
                                       "the library does not have")
                continue
            if all(v.version != version for v in history):
                have = ", ".join(str(v.version) for v in history)
                impact.problems.append(f"{name}: uses {part} {ident!r} version {version}; the "
                                       f"library has version {have}")
                continue
            current = next((v for v in history if v.status == "current"), None)
            if current is None or current.version <= version:
                continue
            notes = "; ".join(f"v{v.version}: {' '.join(v.change.split())}" for v in history
                              if version < v.version <= current.version)
            impact.rows.append(Row(name, document, label, version, current.version, notes))
    return impact


def format_text(impact: Impact) -> str:
    """One line per affected draft and clause, then a count."""
    lines = [f"{r.file} ({r.document}): {r.clause} v{r.version} -> v{r.current}: {r.change}"
             for r in impact.rows]
    affected = len(impact.affected())
    count = len(impact.rows)
    things = "clause or schedule" if count == 1 else "clauses or schedules"
    lines.append(f"{affected} of {len(impact.drafts)} drafts use superseded versions "
                 f"({count} {things})")
    return "\n".join(lines)


def to_json(impact: Impact) -> list[dict[str, Any]]:
    """The rows as plain data (``--format json``)."""
    return [row.as_dict() for row in impact.rows]
