"""Write drafted files to a folder: all of them whole, or none, and nothing overwritten unasked.

A company secretary who re-runs `drafting assemble` must never lose a document a lawyer has
since edited, and must never find half a pack. So every file is first written to a hidden
temporary file in the same folder, and only when all are written are they renamed into
place (a rename within a folder is atomic).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from drafting.errors import OutputError

__all__ = ["write_outputs"]


def _file_mode() -> int:
    """The mode a plainly created file gets here (0o644 under the usual umask).

    Temporary files are created private (0o600); the finished documents should be as
    readable as any file the user saves, so they get the umask's mode before the rename.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_outputs(files: Mapping[str, bytes], outdir: str | Path, force: bool = False) -> list[Path]:
    """Write each `{filename: bytes}` into `outdir`; return the paths written.

    Without `force`, an existing file is never replaced: `OutputError` names every file
    that would be, and nothing at all is written. `outdir` is created when missing.
    """
    folder = Path(outdir)
    for name in files:
        if not name or Path(name).name != name or name in (".", ".."):
            raise OutputError(f"{name!r} is not a plain file name", file=folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError("the output path exists and is not a folder", file=folder)
    existing = [folder / n for n in files if (folder / n).exists()]
    for path in existing:
        if not path.is_file():
            raise OutputError("is in the way and is not a file; move it", file=path)
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise OutputError(f"would overwrite {names}; use --force to replace, or choose "
                          "another folder with -o", file=existing[0])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder ({exc.strerror})", file=folder) from None
    staged: list[tuple[Path, Path]] = []
    mode = _file_mode()
    try:
        for name, data in files.items():
            handle, temp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            staged.append((Path(temp_name), folder / name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp_name, mode)
        for temp, final in staged:
            os.replace(temp, final)
    except OSError as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise OutputError(f"could not write the files ({exc.strerror}); nothing was written",
                          file=folder) from None
    return [final for _, final in staged]
