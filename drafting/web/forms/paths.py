"""Answer paths in HTML: ``members[2].representative.name`` -> field ``members[m3f9a1c2b0d].representative.name``.

Form fields are named by the path of the answer they hold, in the notation of the
validator's problems (`drafting.read.yamlsource.format_path`), except that every entry of a
list is named by its stable key (`drafting.web.store.new_key`), never by its position: a
page drawn before another tab removed or added a member, or one of a partner's services,
still names the right entry. Lists nest (a partner's services inside the sub-contract
terms, a list inside each service), so keys are kept per list: `Keys` maps each list's
path, its own parents named by their keys, to the keys of its entries in order:

    {"members": ["m0a1b2c3d4e", ...],
     "sub_contract_terms.cntw.services": ["e5f6a7b8c9d", ...]}

Only ids derived here, never a posted value, reach a redirect URL.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "MAX_ENTRIES",
    "MAX_MEMBERS",
    "Keys",
    "align",
    "answer_path",
    "field_name",
    "html_id",
    "is_html_id",
    "list_of",
    "new_key",
]

MAX_MEMBERS = 100
"""More members than any collaborative has; the add button stops here."""
MAX_ENTRIES = 100
"""More entries than any other list needs (a partner's services); the add button stops here."""

Keys = Mapping[str, Sequence[str]]
"""The stable keys of every list's entries, by the list's path (see the module's doc)."""

_INDEX = re.compile(r"\[(\d+)\]")
_KEY = re.compile(r"\[([a-z][0-9a-f]{4,32})\]")
_ID = re.compile(r"f-[A-Za-z0-9_-]{1,200}")


def new_key(taken: Keys | None = None) -> str:
    """A stable id for a list entry: what fields and buttons name it by, never its position.

    Keys are unique across all lists, so a remove button names its entry by key alone.
    """
    used = {k for keys in (taken or {}).values() for k in keys}
    while True:
        key = "m" + secrets.token_hex(5)
        if key not in used:
            return key


def field_name(path: str, keys: Keys) -> str:
    """The form field name of the answer at `path`: each list position as its entry's key."""
    out, at = "", 0
    for m in _INDEX.finditer(path):
        out += path[at:m.start()]
        listed = keys.get(out, ())
        index = int(m.group(1))
        out += f"[{listed[index]}]" if index < len(listed) else m.group(0)
        at = m.end()
    return out + path[at:]


def answer_path(name: str, keys: Keys) -> str | None:
    """The answer path a field name stands for; None for an entry that is no longer there."""
    keyed, out, at = "", "", 0
    for m in _KEY.finditer(name):
        between = name[at:m.start()]
        keyed += between
        out += between
        listed = list(keys.get(keyed, ()))
        if m.group(1) not in listed:
            return None
        out += f"[{listed.index(m.group(1))}]"
        keyed += m.group(0)
        at = m.end()
    return out + name[at:]


def list_of(key: str, keys: Keys) -> tuple[str, int] | None:
    """The list (its field name) holding the entry with stable key `key`, and its position."""
    for name, listed in keys.items():
        if key in listed:
            return name, list(listed).index(key)
    return None


def align(data: Mapping[str, Any], keys: Keys) -> dict[str, list[str]]:
    """One stable key per entry of every list of entries in `data`, in order.

    Entries keep their keys (a list only grows at its end, or loses an entry through its
    remove button, which removes its key too); new entries get new keys; lists that are no
    longer in the answers lose theirs.
    """
    out: dict[str, list[str]] = {}

    def visit(node: Any, keyed: str) -> None:
        if isinstance(node, Mapping):
            for name, value in node.items():
                visit(value, f"{keyed}.{name}" if keyed else str(name))
        elif isinstance(node, list) and node and all(isinstance(v, Mapping) for v in node):
            mine = list(keys.get(keyed, ()))[: len(node)]
            while len(mine) < len(node):
                mine.append(new_key({**keys, **out, keyed: mine}))
            out[keyed] = mine
            for key, entry in zip(mine, node, strict=True):
                visit(entry, f"{keyed}[{key}]")

    visit(data, "")
    return out


def html_id(path: str) -> str:
    """An id attribute for the field of `path` (a field name)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-")


def is_html_id(text: str) -> bool:
    """True when `text` could be an id made by `html_id` (a posted value is checked first)."""
    return _ID.fullmatch(text) is not None
