"""Prove a redline hides no edit: accept all must give the new draft, reject all the old one.

The proof is made by `drafting.review.oracle`, a reader of the package that shares no code
with the compare, story by story (body, headers and footers, notes, text boxes). The
drafts' own tracked changes count as accepted, as in the comparison.
"""

from __future__ import annotations

from pathlib import Path

from drafting.review.oracle import check_stories

__all__ = ["check_redline"]


def check_redline(redline: bytes, old: str | Path | bytes, new: str | Path | bytes) -> list[str]:
    """Problems found, each naming its story (empty when the redline reproduces both drafts
    exactly in every story)."""
    return check_stories(redline, old, new)
