"""Saving and reopening a questionnaire's answers file.

Why atomic: the terminal questionnaire saves after every answer, so that a session that
stops (end of input, Ctrl-C, a closed laptop) loses nothing. Writing to a temporary file
beside the target and renaming it means the file on disk is always either the previous
complete save or the new one, never half of each.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from drafting.errors import AnswersError, OutputError, Problem
from drafting.questionnaire.questions import to_yaml
from drafting.read.yamlsource import read_yaml

__all__ = ["reopen", "save", "write_atomic"]


def write_atomic(path: str | Path, content: bytes) -> None:
    """Replace `path` with `content` in one step; raise `OutputError` naming the file."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.",
            suffix=".tmp",
            dir=target.parent if str(target.parent) else ".",
        )
    except OSError as exc:
        raise OutputError(
            f"cannot write in {str(target.parent)!r}: {exc.strerror}", file=target
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot save {str(target)!r}: {exc.strerror}", file=target) from None


def save(path: str | Path, data: dict[str, Any]) -> None:
    """Save answers so far, questions as comments."""
    write_atomic(path, to_yaml(data).encode("utf-8"))


def reopen(path: str | Path) -> dict[str, Any]:
    """The answers so far in a partly filled file, as plain data.

    Raises `AnswersError` naming the file and line when it is not YAML or not a set of keys.
    """
    source = read_yaml(path)
    if source.data is None:
        return {}
    if not isinstance(source.data, dict):
        raise AnswersError(
            [
                Problem(
                    "syntax",
                    "",
                    "the file is not a set of answers (keys and values); "
                    "start again with `drafting questionnaire -o FILE`",
                    line=source.line_of(()),
                    file=source.file,
                )
            ],
            file=source.file,
        )
    members = source.data.get("members")
    if members is not None and not (
        isinstance(members, list) and all(isinstance(m, dict) for m in members)
    ):
        raise AnswersError(
            [
                Problem(
                    "type",
                    "members",
                    "members must be a list of entries, one per member",
                    line=source.line_of(("members",)),
                    file=source.file,
                )
            ],
            file=source.file,
        )
    return source.data


# --------------------------------------------------------------------------- round trip


class HandWritten:
    """An answers file as its author wrote it: comments, order and layout kept on save.

    Why: `--resume` on a file written or annotated by hand must not throw away its comments
    (the reasons for each choice) the first time an answer is saved. The file is read once
    with a round-trip YAML reader; each save changes only the answers that changed, inserts
    new ones where the questionnaire would put them, and leaves every other line alone.
    """

    def __init__(self, path: str | Path) -> None:
        from ruamel.yaml import YAML

        self.path = Path(path)
        self._yaml = YAML(typ="rt")
        self._yaml.preserve_quotes = True
        self._yaml.width = 4096  # a line is never re-wrapped
        self._yaml.indent(mapping=2, sequence=4, offset=2)
        self.document = self._yaml.load(self.path.read_text(encoding="utf-8-sig"))

    def save(self, data: dict[str, Any]) -> None:
        """Write `data` into the file, keeping what the author wrote around it."""
        import io

        from ruamel.yaml.comments import CommentedMap

        if not isinstance(self.document, CommentedMap):
            self.document = CommentedMap()
        _merge(self.document, data, "")
        buffer = io.StringIO()
        self._yaml.dump(self.document, buffer)
        write_atomic(self.path, buffer.getvalue().encode("utf-8"))


def _plain(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _fresh(value: Any, key: str) -> Any:
    """A new value for the round-trip document: dates of date questions as dates."""
    import datetime as dt

    from drafting.questionnaire.questions import QUESTIONS

    kinds = {q.key: q.kind for q in QUESTIONS}
    if isinstance(value, str) and kinds.get(key) == "date":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _merge(node: Any, data: dict[str, Any], prefix: str) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from drafting.questionnaire.questions import MEMBER_MAPS, order_of

    for key in [k for k in node if k not in data]:
        del node[key]
    order = list(order_of(prefix))
    for key, value in data.items():
        tkey = f"{prefix}.{key}" if prefix else str(key)
        if prefix in MEMBER_MAPS:
            tkey = f"{prefix}.*"
        if key in node:
            old = node[key]
            if isinstance(old, CommentedMap) and isinstance(value, dict):
                _merge(old, value, tkey)
            elif (isinstance(old, CommentedSeq) and isinstance(value, list)
                  and all(isinstance(v, dict) for v in value)
                  and all(isinstance(v, CommentedMap) for v in old)):
                while len(old) > len(value):
                    old.pop()
                for i, item in enumerate(value):
                    if i < len(old):
                        _merge(old[i], item, tkey + "[]")
                    else:
                        old.append(CommentedMap(item))
            elif _plain(old) != value:
                node[key] = _fresh(value, tkey)
            continue
        later = [k for k in order[order.index(key) + 1:]] if key in order else []
        position = next((i for i, k in enumerate(node) if k in later), len(node))
        node.insert(position, key, _fresh(value, tkey))
