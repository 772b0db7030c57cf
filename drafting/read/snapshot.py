"""The parsed clause library kept between runs: each library version read once per machine.

Reading the library parses the YAML front matter of every clause and schedule file and the
glossary, and checks them all; after Jinja's compiling (see `bytecode`), that is most of a
first draft in a new process. Reading the files and hashing them is cheap. So what reading
makes of them (every `ClauseVersion`, the glossary, the checklist's words) is kept in one
file and later runs load it instead of parsing again.

Where: beside the compiled templates (see `bytecode.cache_root`), in `library/`; never in
the library folder. `DRAFTING_NO_CACHE=1` turns it off with them.

Keyed: one file per library content (the hash of every clause and schedule file, the
glossary and the checklist, as in `Library.version`), library folder as given and as it
resolves (messages name its files), drafting version, Python version and source of the modules that read the library.
An edited or moved library, a new drafting or a changed reader is a new key, so the files
are read and checked afresh; a snapshot is only written once they have passed every check.

Safe: the snapshot is only ever a shortcut, like the compiled templates kept beside it (it
is trusted as they are: the user's own cache folder). A missing, damaged or half-written
file is read as a miss, then the library is read from its files and the snapshot written
again; it is written whole (a temporary file, then a rename), so parallel runs share it;
a folder that cannot be written only means reading the files as before. The snapshots of
the `bytecode.KEEP` most recently used library versions are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from drafting import __version__
from drafting.read import bytecode

__all__ = ["FOLDER", "load", "path_for", "save"]

FOLDER = "library"
"""The folder of snapshots in the cache folder."""
_FORMAT = "drafting-library-snapshot-1"
_READERS = ("library.py", "glossary.py", "yamlsource.py")
"""The modules whose code decides what a snapshot holds: a change to one is a new key."""


def path_for(root: Path, content: str) -> Path | None:
    """The snapshot file of the library in `root` with content hash `content` (hex), or
    None when the cache is off."""
    cache = bytecode.cache_root()
    if cache is None:
        return None
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for part in (_FORMAT, __version__, sys.version, str(pickle.HIGHEST_PROTOCOL),
                 str(root), str(root.resolve()), content):
        digest.update(part.encode() + b"\0")
    for module in _READERS:
        digest.update((here / module).read_bytes() + b"\0")
    return cache / FOLDER / f"{digest.hexdigest()[:40]}.pickle"


def load(path: Path | None) -> Any:
    """What `save` kept at `path`, or None: no file, a damaged one, or the cache is off."""
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        kept = pickle.loads(data)  # the user's own cache folder, trusted as `bytecode` is
    except Exception:  # noqa: BLE001  (damaged or half-written: any unpickling error)
        return None
    if not isinstance(kept, tuple) or len(kept) != 2 or kept[0] != _FORMAT:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # in use: the last to be pruned
    return kept[1]


def save(path: Path | None, value: Any) -> None:
    """Keep `value` at `path` (written whole); a folder that cannot be written is skipped."""
    if path is None:
        return
    try:
        folder = path.parent
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps((_FORMAT, value), protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(folder, keep=path)
    except OSError:
        pass


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the `bytecode.KEEP` most recently used snapshots (never `keep`)."""
    try:
        files = sorted((f for f in folder.glob("*.pickle") if f != keep),
                       key=lambda f: f.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in files[bytecode.KEEP - 1:]:
        with contextlib.suppress(OSError):
            old.unlink()
