"""Writers: turn a `model.Document` into a file format.

`WRITERS` maps a format name to its function, like pandoc's writer table. Only
`write.oxml` knows Word's XML; `write.docx` drives it, `write.text` needs no XML;
`widths` sizes table columns; `output` writes files whole or not at all, `convert` runs
LibreOffice (PDF).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["WRITERS"]


def _docx(document: Any) -> bytes:
    from drafting.write.docx import write_docx

    return write_docx(document)


def _text(document: Any) -> bytes:
    from drafting.write.text import write_text

    return write_text(document).encode("utf-8")


WRITERS: dict[str, Callable[[Any], bytes]] = {"docx": _docx, "text": _text}
