"""What changed between two answers files, in the questionnaire's words.

An update's comment says why the new document reads differently: "the answers changed:
the notice period (12 -> 6); Leeds and York Partnership NHS Foundation Trust joins". Each
answer is named as the questionnaire names it (`drafting/read/questions/*.yaml`), never by
its key in the answers file.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["answer_changes"]


@functools.cache
def _questions() -> dict[str, Any]:
    from drafting.read.question_data import load_book

    return {q.key: q for s in load_book().sections for q in s.questions}


def _names() -> dict[str, str]:
    return {key: q.name for key, q in _questions().items()}


def _value(key: str, value: Any) -> str:
    """A value as the questionnaire offers it (a choice's label), else as written."""
    question = _questions().get(key)
    choices = question.choices if question is not None else {}
    if isinstance(value, str) and value in choices:
        return choices[value]
    if isinstance(value, list) and choices:
        return ", ".join(choices.get(v, _shown(v)) if isinstance(v, str) else _shown(v)
                         for v in value) or "none"
    return _shown(value)


def _name(key: str) -> str:
    names = _names()
    found = names.get(key) or names.get(key.rsplit(".", 1)[0] + ".*")
    if found:
        return found.replace("{member}", "").strip()
    return "the " + key.rsplit(".", 1)[-1].replace("_", " ")


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _flat(data: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _flat(value, f"{prefix}.{key}" if prefix else str(key), out)
    else:
        out[prefix] = data


def answer_changes(old: Any, new: Any, limit: int = 5) -> list[str]:
    """The answers that differ between `old` and `new` (validated `Answers`), each named
    with its old and new value; members joining or leaving by name. At most `limit`
    entries, the last saying how many more there are."""
    a = old.model_dump(mode="json", by_alias=True, exclude={"clause_versions"})
    b = new.model_dump(mode="json", by_alias=True, exclude={"clause_versions"})
    changes: list[str] = []
    old_members = {m["id"]: m for m in a.pop("members", [])}
    new_members = {m["id"]: m for m in b.pop("members", [])}
    for ident, member in new_members.items():
        if ident not in old_members:
            changes.append(f"{member.get('name') or ident} joins")
    for ident, member in old_members.items():
        if ident not in new_members:
            changes.append(f"{member.get('name') or ident} leaves")
            continue
        before, after = {}, {}
        _flat(member, "", before)
        _flat(new_members[ident], "", after)
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                field = "members[]." + key
                changes.append(f"{member.get('name') or ident}: {_name(field)} "
                               f"({_value(field, before.get(key))} → "
                               f"{_value(field, after.get(key))})")
    before, after = {}, {}
    _flat(a, "", before)
    _flat(b, "", after)
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            changes.append(f"{_name(key)} ({_value(key, before.get(key))} → "
                           f"{_value(key, after.get(key))})")
    if len(changes) > limit:
        changes = changes[:limit - 1] + [f"{len(changes) - limit + 1} more answers"]
    return changes
