"""What changed between two versions of the answers, in words: for the page that refuses a
stale save ("changed in another tab or window") and for the undo notice.

Members are matched by their stable keys, never by position, so a member removed elsewhere
is reported as removed, not as every later member "changing".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from drafting.questionnaire.questions import QUESTIONS, Question

__all__ = ["Change", "changes", "show_value"]

_BY_KEY = {q.key: q for q in QUESTIONS}


@dataclass(frozen=True)
class Change:
    """One answer that differs: the question in words, what it was and what it is now."""

    question: str
    before: str
    after: str


def _leaves(node: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            _leaves(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(node, list) and any(isinstance(v, Mapping) for v in node):
        for i, value in enumerate(node):
            _leaves(value, f"{prefix}[{i}]", out)
    else:
        out[prefix] = node


def _by_member_key(answers: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    _leaves(answers, "", flat)
    out: dict[str, Any] = {}
    for path, value in flat.items():
        m = re.match(r"members\[(\d+)\]", path)
        if m and int(m.group(1)) < len(keys):
            path = f"members[{keys[int(m.group(1))]}]" + path[m.end():]
        out[path] = value
    return out


def show_value(question: Question | None, value: Any) -> str:
    """An answer as a person reads it: choice labels, yes/no, one line."""
    if value is None:
        return "not answered"
    labels = dict(question.choices) if question else {}
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(labels.get(str(v), str(v)) for v in value) or "none"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return labels.get(str(value), str(value))


def _member_names(answers: Mapping[str, Any], keys: Sequence[str]) -> dict[str, str]:
    members = answers.get("members") if isinstance(answers.get("members"), list) else []
    out = {}
    for i, key in enumerate(keys):
        m = members[i] if i < len(members) and isinstance(members[i], Mapping) else {}
        out[key] = str(m.get("name") or m.get("id") or f"member {i + 1}")
    return out


def changes(
    before: Mapping[str, Any], before_keys: Sequence[str],
    after: Mapping[str, Any], after_keys: Sequence[str],
) -> list[Change]:
    """The answers that differ between two versions, in the questionnaire's words."""
    old, new = _by_member_key(before, before_keys), _by_member_key(after, after_keys)
    names = {**_member_names(before, before_keys), **_member_names(after, after_keys)}
    out: list[Change] = []
    for key in before_keys:
        if key not in after_keys:
            out.append(Change("Member removed", names[key], "removed"))
    for key in after_keys:
        if key not in before_keys:
            out.append(Change("Member added", "", names[key]))
    for path in list(dict.fromkeys([*old, *new])):
        m = re.match(r"members\[([a-z0-9]+)\]", path)
        if m and (m.group(1) not in before_keys or m.group(1) not in after_keys):
            continue  # the whole member was added or removed: said once above
        if old.get(path) == new.get(path):
            continue
        template = re.sub(r"\[[a-z0-9]+\]", "[]", path)
        if template.startswith("governance.weights."):
            template = "governance.weights.*"
        question = _BY_KEY.get(template)
        title = question.title if question else path
        if "{member}" in title:
            title = title.replace("{member}", path.rsplit(".", 1)[1])
        if m:
            title = f"{names[m.group(1)]}: {title}"
        out.append(Change(title, show_value(question, old.get(path)),
                          show_value(question, new.get(path))))
    return out
