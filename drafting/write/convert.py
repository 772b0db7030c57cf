"""Convert documents with LibreOffice (headless): .docx to .pdf, or a round trip through Writer.

LibreOffice is optional for drafting and required for `--pdf` and the tests, which use a
round trip to prove a document opens in a real word processor. Each conversion runs with
its own throw-away user profile, because two soffice processes sharing a profile block
each other.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from drafting.errors import ConversionError

__all__ = ["soffice_path", "convert"]

_CANDIDATES = ("soffice", "libreoffice")


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when LibreOffice is not installed."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert(source: str | Path, to: str, outdir: str | Path, *, timeout: float = 180) -> Path:
    """Convert `source` to format `to` ("pdf", "docx", "txt:Text") into `outdir`; return the new file.

    Raises `ConversionError` when LibreOffice is missing, fails, or writes nothing.
    """
    soffice = soffice_path()
    if soffice is None:
        raise ConversionError(
            "LibreOffice is not installed, so documents cannot be converted; install it "
            "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or leave out --pdf"
        )
    source = Path(source).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    ext = to.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="drafting-lo-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault",
            "--convert-to", to, "--outdir", str(outdir), str(source),
        ]
        env = {**os.environ, "HOME": profile}
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice took longer than {timeout:g}s", file=source) from None
    target = outdir / f"{source.stem}.{ext}"
    if result.returncode != 0 or not target.exists():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise ConversionError(
            "LibreOffice could not convert the document"
            + (f": {detail[-1]}" if detail else ""),
            file=source,
        )
    return target
