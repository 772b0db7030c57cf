"""Answer paths in HTML: ``members[2].representative.name`` -> ``f-members-2-representative-name``.

Form fields are named by the path of the answer they hold, in the notation of the
validator's problems (`drafting.read.yamlsource.format_path`), so a problem finds its field by
plain comparison. Only the ids derived here, never a posted path, reach a redirect URL.
"""

from __future__ import annotations

import re

__all__ = ["MAX_MEMBERS", "html_id", "is_path"]

MAX_MEMBERS = 100
"""More members than any collaborative has; the add button stops here."""

_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,60}(\[\d{1,3}\])?(\.[A-Za-z_][A-Za-z0-9_-]{0,60}(\[\d{1,3}\])?){0,5}")


def html_id(path: str) -> str:
    """An id attribute for the field of `path`."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-")


def is_path(text: str) -> bool:
    """True when `text` looks like an answer path (a posted value is checked before use)."""
    return len(text) <= 200 and _PATH.fullmatch(text) is not None
