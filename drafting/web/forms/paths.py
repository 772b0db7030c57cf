"""Field paths: ``members[2].representative.name`` <-> ``("members", 2, "representative", "name")``.

Every form field is named by the path of the answer it holds, in the same notation the
validator uses for its problems (`drafting.yamlsource.format_path`), so a problem lands on
its field by plain string comparison. Paths come from the browser, so parsing is strict:
anything that is not a dotted name with list indexes is refused.
"""

from __future__ import annotations

import re
from typing import Any

from drafting.yamlsource import PathKey, format_path

__all__ = ["parse_path", "format_path", "get_in", "set_in", "delete_in", "html_id", "MAX_INDEX"]

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,60})((?:\[\d{1,3}\])*)")
MAX_INDEX = 200
"""No list in the answers is longer than this; a larger index in a form is refused."""


def parse_path(text: str) -> PathKey:
    """Parse a dotted path; raise ValueError on anything else (it came from a browser)."""
    if not text or len(text) > 200:
        raise ValueError(f"not a field path: {text[:40]!r}")
    parts: list[str | int] = []
    for chunk in text.split("."):
        match = _PART.fullmatch(chunk)
        if not match:
            raise ValueError(f"not a field path: {text[:40]!r}")
        parts.append(match.group(1))
        for index in re.findall(r"\[(\d+)\]", match.group(2)):
            value = int(index)
            if value >= MAX_INDEX:
                raise ValueError(f"list index too large in {text[:40]!r}")
            parts.append(value)
    return tuple(parts)


def get_in(data: Any, path: PathKey, default: Any = None) -> Any:
    """The value at `path`, or `default` when any step is missing."""
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return default
        elif not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def set_in(data: dict[str, Any], path: PathKey, value: Any) -> None:
    """Set the value at `path`, creating sections and list items on the way."""
    node: Any = data
    for here, nxt in zip(path, path[1:]):
        empty: Any = [] if isinstance(nxt, int) else {}
        if isinstance(here, int):
            while len(node) <= here:
                node.append({} if not isinstance(nxt, int) else [])
            if not isinstance(node[here], (dict, list)):
                node[here] = empty
            node = node[here]
        else:
            if not isinstance(node.get(here), (dict, list)):
                node[here] = empty
            node = node[here]
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def delete_in(data: dict[str, Any], path: PathKey) -> None:
    """Remove the value at `path` (a no-op when absent); drop sections left empty."""
    parents: list[tuple[Any, str | int]] = []
    node: Any = data
    for part in path[:-1]:
        parents.append((node, part))
        node = get_in(node, (part,))
        if node is None:
            return
    last = path[-1]
    if isinstance(node, dict) and not isinstance(last, int):
        node.pop(last, None)
    else:
        return
    for parent, key in reversed(parents):
        child = parent[key]
        if isinstance(child, dict) and not child and isinstance(parent, dict):
            del parent[key]
        else:
            break


def html_id(path: str) -> str:
    """An id attribute for the field of `path`: ``members[2].name`` -> ``f-members-2-name``."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-")
