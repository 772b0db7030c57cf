"""Redlines for reviewers: word-level diffs of clause versions and Word compare of drafts.

`compare_packages`/`compare_files` write the new draft with every change tracked in every
story (body, tables, headers and footers, notes, text boxes; equations and pictures as
whole units); `resolve_package` (and `accept_all`/`reject_all` on one story's XML) resolve
a redline's changes; `check_redline` proves, with a reader that shares no code with the
compare (`drafting.review.oracle`), that accepting all gives NEW and rejecting all gives
OLD in every story; `drafting.review.clauses.diff_clauses` is the word diff of two
clause versions. Lower down, `drafting.review.engine` diffs two stories (lists of blocks)
into tracked changes, for callers that build their own redline.
"""

from drafting.review.check import check_redline
from drafting.review.docx import Comparison, compare_files, compare_packages
from drafting.review.oracle import read_stories
from drafting.review.revisions import (
    accept_all,
    count_revisions,
    document_texts,
    reject_all,
    resolve_package,
)

__all__ = [
    "Comparison",
    "accept_all",
    "check_redline",
    "compare_files",
    "compare_packages",
    "count_revisions",
    "document_texts",
    "read_stories",
    "reject_all",
    "resolve_package",
]
