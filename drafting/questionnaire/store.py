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
