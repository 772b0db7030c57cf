"""Redlines for reviewers: word-level diffs of clause versions and Word compare of drafts.

`compare_files` writes the new draft with every change tracked (``w:ins``/``w:del``, moves,
formatting changes); `accept_all`/`reject_all` resolve a redline's changes so a test (or
`drafting compare --check`) can prove the redline hides no edit; `diff_text` is the word
diff of two clause versions.
"""

from drafting.review.docx import Comparison, compare_files, compare_packages
from drafting.review.revisions import accept_all, count_revisions, document_texts, reject_all

__all__ = [
    "Comparison",
    "accept_all",
    "compare_files",
    "compare_packages",
    "count_revisions",
    "document_texts",
    "reject_all",
]
