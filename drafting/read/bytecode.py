"""Jinja's bytecode cache for the clause library: each template compiled once per machine.

Compiling its templates is most of the first `drafting assemble` in a new process, and
loading their compiled code takes a few milliseconds. So the code Jinja makes of a clause
body, a variant, a definition or a condition is kept on disk and loaded by later runs.

Where: the folder named by `$DRAFTING_CACHE_DIR`, else the user cache folder
(`~/.cache/drafting` on Linux, `~/Library/Caches/drafting` on macOS,
`%LOCALAPPDATA%\\drafting\\Cache` on Windows), in `templates/`. Set `DRAFTING_NO_CACHE=1`
and nothing is read or written there.

Keyed: one folder per library version (drafting's version and the content hash of every
clause file, `Library.version`) and per compiling environment (Jinja, Python, the
environment's settings and `conditions.py`; see `conditions.environment_key`). An edited
library is a new folder, so it never runs old code; inside, Jinja also checks each
template's source checksum. Old folders beyond the newest `KEEP` are removed.

Safe: the cache is only ever a shortcut. Any folder or file may be deleted at any time; a
damaged or partial file is ignored and written again; a file is written to a temporary name
and renamed, so processes drafting in parallel (`drafting batch --jobs 2`) never read half
of one; a folder that cannot be written just means compiling as before.
"""

from __future__ import annotations

import contextlib
import io
import marshal
import os
import pickle
import shutil
from pathlib import Path
from types import CodeType

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket, bc_magic

from drafting.read.conditions import environment_key

__all__ = ["CACHE_DIR_ENV", "KEEP", "NO_CACHE_ENV", "LibraryCache", "cache_root", "for_library"]

CACHE_DIR_ENV = "DRAFTING_CACHE_DIR"
"""Environment variable: the folder to keep the cache in (default: the user cache folder)."""
NO_CACHE_ENV = "DRAFTING_NO_CACHE"
"""Environment variable: any value but empty or `0` turns the cache off."""
KEEP = 8
"""How many library versions keep their compiled templates; older ones are removed."""


def cache_root() -> Path | None:
    """The cache folder, or None when `DRAFTING_NO_CACHE` turns the cache off."""
    if os.environ.get(NO_CACHE_ENV, "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get(CACHE_DIR_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs  # only when no folder is chosen: tests and benchmarks choose one

    return Path(platformdirs.user_cache_dir("drafting", appauthor=False))


class LibraryCache(FileSystemBytecodeCache):
    """Jinja's file-system bytecode cache for one library version, never a source of errors.

    `FileSystemBytecodeCache` already writes each file whole (a temporary file, then a
    rename). This adds: a damaged file reads as a miss rather than an exception; the
    folder is made on the first write, and old library folders are removed then; a write
    that fails (read-only or full disk) is skipped.
    """

    def __init__(self, directory: Path):
        super().__init__(str(directory), "%s.code")
        self.path = directory

    def load_bytecode(self, bucket: Bucket) -> None:
        """Jinja's `Bucket.load_bytecode`, reading the file whole: `marshal.load` on an open
        file reads it in many small pieces, three times slower than `marshal.loads`."""
        try:
            with open(self._get_cache_filename(bucket), "rb") as file:
                data = file.read()
        except OSError:
            return  # not kept yet (or unreadable): compiled and written
        try:
            header = io.BytesIO(data)
            if header.read(len(bc_magic)) != bc_magic or pickle.load(header) != bucket.checksum:
                bucket.reset()  # another Jinja's file, or the source changed
                return
            bucket.code = marshal.loads(data[header.tell():])
        except Exception:  # noqa: BLE001  (a damaged file: bad pickle or marshal data)
            bucket.reset()  # compiled again, and the file written anew
        if bucket.code is not None and not isinstance(bucket.code, CodeType):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            if not self.path.is_dir():
                self.path.mkdir(parents=True, exist_ok=True)
                _prune(self.path.parent, keep=self.path)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the `KEEP` most recently used library folders (never `keep`)."""
    try:
        folders = sorted((f for f in folder.iterdir() if f.is_dir() and f != keep),
                         key=lambda f: f.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in folders[KEEP - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def for_library(version: str) -> LibraryCache | None:
    """The bytecode cache of library `version` (`Library.version`), or None when it is off."""
    root = cache_root()
    if root is None:
        return None
    folder = root / "templates" / f"{version}-{environment_key()[:16]}"
    with contextlib.suppress(OSError):
        os.utime(folder)  # in use: the last to be pruned
    return LibraryCache(folder)
