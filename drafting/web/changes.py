"""What changed between two versions of the answers, in words: for the page that refuses a
stale save ("changed in another tab or window") and for the undo notice.

Entries of lists (members, a partner's services and key performance indicators) are
matched by their stable keys, never by position, so an entry removed elsewhere is reported
as removed, not as every later entry "changing".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drafting.questionnaire.questions import Question, question_of, title_of
from drafting.web.forms.paths import Keys, answer_path, field_name

__all__ = ["Change", "changes", "show_value"]

_KEY = re.compile(r"\[([a-z][0-9a-f]{4,32})\]")


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


def _by_key(answers: Mapping[str, Any], keys: Keys) -> dict[str, Any]:
    """Every answer by its field name: each entry of a list named by its stable key."""
    flat: dict[str, Any] = {}
    _leaves(answers, "", flat)
    return {field_name(path, keys): value for path, value in flat.items()}


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


def _entries(answers: Mapping[str, Any], keys: Keys) -> dict[str, str]:
    """Each entry's stable key -> the entry in words ("Beta NHS Trust", "service 2 of Gamma
    Healthcare Limited: Day care")."""
    out: dict[str, str] = {}
    for listed, entry_keys in keys.items():
        path = answer_path(listed, keys)
        group = question_of(path) if path else None
        for i, key in enumerate(entry_keys):
            entry = _get(answers, f"{path}[{i}]") if path else None
            entry = entry if isinstance(entry, Mapping) else {}
            name = entry.get("name") or entry.get("id")
            if listed == "members":
                out[key] = str(name or f"member {i + 1}")
                continue
            item = group.item if group else "entry"
            mid = path.split(".")[1] if path and "." in path else ""
            owner = _member_name(answers, mid)
            words = f"{_sentence(item)} {i + 1}" + (f" of {owner}" if owner else "")
            out[key] = words + (f": {name}" if name else "")
    return out


def _get(data: Any, path: str) -> Any:
    node = data
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if name:
            node = node.get(name) if isinstance(node, Mapping) else None
        else:
            node = node[int(index)] if isinstance(node, list) and int(index) < len(node) \
                else None
    return node


def _member_name(answers: Mapping[str, Any], member_id: str) -> str:
    members = answers.get("members") if isinstance(answers.get("members"), list) else []
    for m in members:
        if isinstance(m, Mapping) and m.get("id") == member_id:
            return str(m.get("name") or member_id)
    return member_id


def _item_of(listed: str, keys: Keys) -> str:
    path = answer_path(listed, keys)
    group = question_of(path) if path else None
    return group.item if group else "entry"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def changes(
    before: Mapping[str, Any], before_keys: Keys,
    after: Mapping[str, Any], after_keys: Keys,
) -> list[Change]:
    """The answers that differ between two versions, in the questionnaire's words."""
    old, new = _by_key(before, before_keys), _by_key(after, after_keys)
    names = {**_entries(before, before_keys), **_entries(after, after_keys)}
    was = {k for ks in before_keys.values() for k in ks}
    now = {k for ks in after_keys.values() for k in ks}
    out: list[Change] = []
    for listed, entry_keys in before_keys.items():
        if any(k not in now for k in _KEY.findall(listed)):
            continue  # inside an entry removed as a whole
        for key in entry_keys:
            if key not in now:
                out.append(Change(f"{_sentence(_item_of(listed, before_keys))} removed",
                                  names[key], "removed"))
    for listed, entry_keys in after_keys.items():
        if any(k not in was for k in _KEY.findall(listed)):
            continue  # inside an entry added as a whole
        for key in entry_keys:
            if key not in was:
                out.append(Change(f"{_sentence(_item_of(listed, after_keys))} added", "",
                                  names[key]))
    for path in list(dict.fromkeys([*old, *new])):
        if any(k not in was or k not in now for k in _KEY.findall(path)):
            continue  # the whole entry was added or removed: said once above
        if old.get(path) == new.get(path):
            continue
        data, keys = (after, after_keys) if path in new else (before, before_keys)
        answer = answer_path(path, keys) or path
        question = question_of(answer)
        title = title_of(answer, data) if question else path
        owner = _owner(path, names)
        if owner:
            title = f"{owner}: {title}"
        out.append(Change(title, show_value(question, old.get(path)),
                          show_value(question, new.get(path))))
    return out


def _owner(path: str, names: Mapping[str, str]) -> str:
    """The innermost entry a field name is in, in words: "Beta NHS Trust" for a member,
    "Service 2 of Gamma Healthcare Limited" for an entry of a partner's list."""
    found = _KEY.findall(path)
    if not found:
        return ""
    words = names.get(found[-1], "")
    if path.startswith("members["):
        return words
    return words.split(": ")[0]
