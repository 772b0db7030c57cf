"""The drafted pack as one zip, built in memory: the one code path of the pack download.

Same inputs, same bytes: entries are written in `plan()` order with a fixed timestamp
(from SOURCE_DATE_EPOCH when set) and fixed permissions, so downloading twice gives the
same file. The answers the pack was drafted from travel with it as `answers.yaml`.
"""

from __future__ import annotations

import io
import os
import time
import zipfile

from drafting.build.pack import draft_pack
from drafting.read.library import load_library
from drafting.read.load import LoadedAnswers

__all__ = ["build_pack_zip", "zip_timestamp"]


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """The date_time every zip entry carries: SOURCE_DATE_EPOCH, else 1 January 1980."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        t = time.gmtime(max(int(epoch), 315532800))
        return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)
    return (1980, 1, 1, 0, 0, 0)


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=zip_timestamp())
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def build_pack_zip(loaded: LoadedAnswers, answers_yaml: str) -> bytes:
    """Draft every document `loaded` asks for and return them, with the answers, as zip bytes.

    Raises the engine's `DraftingError`s (`LibraryError`, `AssemblyError`) unchanged; nothing
    is written anywhere, so a failure leaves nothing behind.
    """
    files = draft_pack(load_library(), loaded)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            _add(archive, name, data)
        _add(archive, "answers.yaml", answers_yaml.encode("utf-8"))
    return buffer.getvalue()
