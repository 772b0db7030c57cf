"""What a drafted document was made from, read back out of the .docx itself.

Every document `drafting` writes carries its provenance in a custom XML part: the answers
file's SHA-256, the clause library version, each clause id and version (and variant), each
schedule id and version (and variant), the generator and the document kind. A reviewer holding only the .docx can tell exactly which
answers and which clause texts produced it (`drafting provenance FILE.docx`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from drafting.errors import CompareError
from drafting.write.docx import read_provenance as _read

__all__ = ["KEYS", "read_provenance"]

KEYS = ("document", "answers_sha256", "library_version", "clauses", "schedules", "generator")
"""What a document's provenance holds. `schedules` is absent from documents drafted before
schedules were library items."""


def read_provenance(source: str | Path | bytes) -> dict[str, Any]:
    """The provenance of a .docx (path or bytes); `CompareError` when there is none."""
    name = "<document>" if isinstance(source, bytes) else str(source)
    try:
        data = _read(source if isinstance(source, bytes) else Path(source))
    except FileNotFoundError:
        raise CompareError("no such file", file=name) from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CompareError(f"not a readable .docx ({exc})", file=name) from None
    if data is None:
        raise CompareError("this .docx has no drafting provenance: it was not written by "
                           "`drafting assemble`, or it was saved by a program that dropped it",
                           file=name)
    return data
