"""`drafting`: drafts the legal documents of NHS England provider collaboratives.

Read (answers, clause library) into a document model, then write (docx, html, text).
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
