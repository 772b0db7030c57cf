"""Prove a redline hides no edit: accept all must give the new draft, reject all the old one.

Texts are compared paragraph by paragraph, table cells included (`document_texts`). The
drafts' own tracked changes count as accepted, as in the comparison.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from drafting.review.package import read_package
from drafting.review.revisions import accept_all, document_texts, has_revisions, reject_all

__all__ = ["check_redline", "texts_of"]


def texts_of(source: str | Path | bytes, mode: str = "plain") -> list[str]:
    """Paragraph texts of a .docx: as it is ("plain", own changes accepted), or with every
    tracked change accepted ("accept") or rejected ("reject")."""
    root = read_package(source).document()
    if mode == "reject":
        reject_all(root)
    elif mode == "accept" or has_revisions(root):
        accept_all(root)
    return document_texts(root)


def _first_difference(label: str, want: list[str], got: list[str]) -> str:
    lines = list(difflib.unified_diff(want, got, "expected", "got", n=0, lineterm=""))
    shown = "; ".join(line for line in lines[2:6])
    return f"{label}: {len(lines) - 2} differing lines: {shown}"


def check_redline(redline: bytes, old: str | Path | bytes, new: str | Path | bytes) -> list[str]:
    """Problems found (empty when the redline reproduces both drafts exactly)."""
    problems: list[str] = []
    want_new, want_old = texts_of(new), texts_of(old)
    accepted, rejected = texts_of(redline, "accept"), texts_of(redline, "reject")
    if accepted != want_new:
        problems.append(_first_difference("accept all != NEW", want_new, accepted))
    if rejected != want_old:
        problems.append(_first_difference("reject all != OLD", want_old, rejected))
    return problems
