"""Answer paths in HTML: ``members[2].representative.name`` -> field ``members[m3f9a1c2b0d].representative.name``.

Form fields are named by the path of the answer they hold, in the notation of the
validator's problems (`drafting.read.yamlsource.format_path`), except that a member is named
by its stable key (`drafting.web.store.new_key`), never by its position: a page drawn before
another tab removed or added a member still names the right member. Only ids derived here,
never a posted value, reach a redirect URL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["MAX_MEMBERS", "answer_path", "field_name", "html_id", "is_html_id"]

MAX_MEMBERS = 100
"""More members than any collaborative has; the add button stops here."""

_MEMBER_INDEX = re.compile(r"^members\[(\d+)\]")
_MEMBER_KEY = re.compile(r"^members\[(m[0-9a-f]{4,32})\]")
_ID = re.compile(r"f-[A-Za-z0-9_-]{1,200}")


def field_name(path: str, keys: Sequence[str]) -> str:
    """The form field name of the answer at `path` (a member by its key)."""
    m = _MEMBER_INDEX.match(path)
    if m and int(m.group(1)) < len(keys):
        return f"members[{keys[int(m.group(1))]}]" + path[m.end():]
    return path


def answer_path(name: str, keys: Sequence[str]) -> str | None:
    """The answer path a field name stands for; None for a member that is no longer there."""
    m = _MEMBER_KEY.match(name)
    if m:
        if m.group(1) not in keys:
            return None
        return f"members[{keys.index(m.group(1))}]" + name[m.end():]
    return name


def html_id(path: str) -> str:
    """An id attribute for the field of `path` (a field name)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-")


def is_html_id(text: str) -> bool:
    """True when `text` could be an id made by `html_id` (a posted value is checked first)."""
    return _ID.fullmatch(text) is not None
