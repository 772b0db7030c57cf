"""Convert documents with LibreOffice (headless): .docx to .pdf, or a round trip through Writer.

LibreOffice is optional for drafting and required for `--pdf` and the tests, which use a
round trip to prove a document opens in a real word processor.

Every run of LibreOffice gets its own throw-away user profile, because two soffice processes
sharing a profile block each other; so conversions may run side by side. A run that takes
too long is stopped with all its processes, and its output is published only when complete
(`output.write_outputs`), so a failure or a timeout never leaves half a file.

PDFs need more than `soffice --convert-to pdf`: LibreOffice does not update a Word table
of contents when it opens a .docx, so the client would see the contents without page
numbers. So a PDF is made by a small Basic macro (`_MACRO`) written into the run's fresh
profile: it opens each document, updates its indexes (the table of contents), and
exports it. Basic ships inside LibreOffice itself; the Python bridge is a separate package
(python3-uno) tied to the system's Python, and its LibreOffice 7.4 build crashed on
`getDocumentIndexes()` for the collaboration agreement. The PDF's creation date,
identifier and checksum, the only bytes that differ between two exports, are then fixed
(`_reproducible`), so the same .docx gives the same PDF.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from html import escape  # xml.sax.saxutils would import urllib.request, http and ssl

from drafting.errors import ConversionError
from drafting.write.docx import source_date
from drafting.write.output import write_outputs

__all__ = ["convert", "convert_pdfs", "soffice_path"]

_CANDIDATES = ("soffice", "libreoffice")
_MISSING = ("LibreOffice is not installed, so documents cannot be converted; install it "
            "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or leave out --pdf")


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when LibreOffice is not installed."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert(source: str | Path, to: str, outdir: str | Path, *, timeout: float = 180) -> Path:
    """Convert `source` to format `to` ("pdf", "docx", "txt:Text") into `outdir`; return the new file.

    A PDF has its table of contents updated (see `convert_pdfs`). An existing file of the
    same name in `outdir` is replaced. Raises `ConversionError` when LibreOffice is missing,
    fails, writes nothing or takes longer than `timeout` seconds.
    """
    if to.split(":", 1)[0] == "pdf":
        return convert_pdfs([source], outdir, timeout=timeout)[0]
    soffice = _soffice()
    source = Path(source).resolve()
    ext = to.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="drafting-lo-", ignore_cleanup_errors=True) as tmp:
        profile, staging = Path(tmp) / "profile", Path(tmp) / "out"
        result = _run([soffice, *_options(profile), "--convert-to", to, "--outdir", str(staging),
                       str(source)], profile, timeout, source)
        made = staging / f"{source.stem}.{ext}"
        if result.returncode != 0 or not made.is_file():
            raise ConversionError(_failed(result), file=source)
        return write_outputs({made.name: made.read_bytes()}, outdir, force=True)[0]


def convert_pdfs(sources: Iterable[str | Path], outdir: str | Path, *,
                 timeout: float = 180) -> list[Path]:
    """Convert each .docx of `sources` to `<outdir>/<stem>.pdf` with its indexes updated.

    One LibreOffice run converts them all (it starts once). The PDFs appear in `outdir`
    together once all are made, replacing files of the same name; on any failure none
    appears. `timeout` is in seconds per document. Raises `ConversionError` naming the
    document when LibreOffice is missing, fails, or runs out of time.
    """
    paths = [Path(s).resolve() for s in sources]
    if not paths:
        return []
    soffice = _soffice()
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        raise ConversionError("two documents to convert have the same name, so their PDFs "
                              "would overwrite each other", file=paths[0])
    with tempfile.TemporaryDirectory(prefix="drafting-lo-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        profile, staging = root / "profile", root / "out"
        staging.mkdir()
        targets = [staging / f"{stem}.pdf" for stem in stems]
        jobs, status = root / "jobs.txt", root / "status.txt"
        _install_macro(profile)
        jobs.write_text("".join(f"{s.as_uri()}\n{t.as_uri()}\n" for s, t in zip(paths, targets)),
                        encoding="ascii")
        env = {"DRAFTING_LO_JOBS": jobs.as_uri(), "DRAFTING_LO_STATUS": status.as_uri()}
        result = _run([soffice, *_options(profile), _MACRO_URL], profile,
                      timeout * len(paths), paths[0], env, paths)
        lines = status.read_text(encoding="utf-8", errors="replace").splitlines() \
            if status.is_file() else []
        for index, source in enumerate(paths):
            line = lines[index] if index < len(lines) else ""
            if line == "error: cannot open":
                raise ConversionError("LibreOffice could not open the document, so no PDF was "
                                      "made; check that it is a complete Word document",
                                      file=source)
            if line != "ok":
                detail = line.removeprefix("error: ").strip()
                raise ConversionError(
                    "LibreOffice could not convert the document to PDF"
                    + (f": {detail}" if detail else _detail(result)), file=source)
            if not targets[index].is_file():
                raise ConversionError("LibreOffice wrote no PDF for the document", file=source)
        when = source_date().strftime("%Y%m%d%H%M%S").encode("ascii")
        files = {t.name: _reproducible(t.read_bytes(), when) for t in targets}
        return write_outputs(files, outdir, force=True)


# --------------------------------------------------------------------------- running soffice


def _soffice() -> str:
    found = soffice_path()
    if found is None:
        raise ConversionError(_MISSING)
    return found


def _options(profile: Path) -> list[str]:
    """Headless, with its own profile, and nothing that waits for a person."""
    return [f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
            "--norestore", "--nologo", "--nodefault", "--nolockcheck"]


def _run(cmd: Sequence[str], profile: Path, timeout: float, source: Path,
         extra_env: dict[str, str] | None = None,
         documents: Sequence[Path] = ()) -> subprocess.CompletedProcess[str]:
    """Run soffice in a session of its own, so that a timeout stops every process it started.

    `soffice` is a script that starts `oosplash`, which starts `soffice.bin`: killing the
    first alone would leave the others running (and holding the profile).
    """
    env = {**os.environ, "HOME": str(profile.parent), "TZ": "UTC", **(extra_env or {})}
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        names = ", ".join(p.name for p in documents) or source.name
        raise ConversionError(
            f"LibreOffice took longer than {timeout:g}s to convert {names} and was stopped; "
            "nothing was written", file=source) from None
    except BaseException:
        _stop(process)
        raise
    return subprocess.CompletedProcess(cmd, process.returncode, stdout, stderr)


def _stop(process: subprocess.Popen[str]) -> None:
    """Kill the process and every process of its session; return once they are gone (or
    after five seconds), so that none of them still writes to the profile."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.communicate()
    for _ in range(100):
        try:
            os.killpg(process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.05)


def _detail(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (result.stderr or result.stdout or "").splitlines()
             if line.strip() and "javaldx" not in line]
    return f": {lines[-1].strip()}" if lines else ""


def _failed(result: subprocess.CompletedProcess[str]) -> str:
    return "LibreOffice could not convert the document" + _detail(result)


# --------------------------------------------------------------------------- the PDF macro

_MACRO = """\
REM Drafting: open each document, update its indexes, export it as PDF.
REM The jobs file holds a source URL and a target URL per document, one a line; the
REM status file gets "ok" or "error: <message>" per document, as each is done.

Sub ToPdf
    Dim source As String, target As String, jobs As Integer
    On Error GoTo Finish
    jobs = FreeFile
    Open Environ("DRAFTING_LO_JOBS") For Input As #jobs
    Do While Not EOF(jobs)
        Line Input #jobs, source
        Line Input #jobs, target
        Report(ExportPdf(source, target))
    Loop
    Close #jobs
Finish:
    StarDesktop.terminate()
End Sub

Sub Report(line As String)
    Dim status As Integer
    status = FreeFile
    Open Environ("DRAFTING_LO_STATUS") For Append As #status
    Print #status, line
    Close #status
End Sub

Function ExportPdf(source As String, target As String) As String
    Dim document As Object, indexes As Object, pass As Integer, i As Integer
    Dim load(0) As New com.sun.star.beans.PropertyValue
    Dim store(0) As New com.sun.star.beans.PropertyValue
    On Error GoTo Failed
    ExportPdf = "error: cannot open"
    REM Not "Hidden": LibreOffice 7.4 crashes exporting a hidden document with comments.
    load(0).Name = "ReadOnly" : load(0).Value = True
    document = StarDesktop.loadComponentFromURL(source, "_blank", 0, load())
    If IsNull(document) Then Exit Function
    If HasUnoInterfaces(document, "com.sun.star.text.XDocumentIndexesSupplier") Then
        REM Twice: the second pass sees the pages that the first pass's entries take.
        For pass = 1 To 2
            indexes = document.getDocumentIndexes()
            For i = 0 To indexes.getCount() - 1
                indexes.getByIndex(i).update()
            Next i
        Next pass
    End If
    store(0).Name = "FilterName" : store(0).Value = "writer_pdf_Export"
    document.storeToURL(target, store())
    ExportPdf = "ok"
Done:
    On Error Resume Next
    If Not IsNull(document) Then document.close(True)
    Exit Function
Failed:
    ExportPdf = "error: " & Join(Split(Join(Split(Error$, Chr(13)), " "), Chr(10)), " ")
    Resume Done
End Function
"""

_MACRO_URL = "macro:///Standard.Drafting.ToPdf"

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_DOCTYPE = '<!DOCTYPE library:{0} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{1}">\n'
_LIBRARY = 'xmlns:library="http://openoffice.org/2000/library"'


def _install_macro(profile: Path) -> None:
    """A fresh profile holding `_MACRO` as module `Drafting` of the Basic library `Standard`.

    LibreOffice fills a new profile from its presets, which would replace the library; the
    registry entry marks the profile as set up already, so it is used as written.
    """
    user = profile / "user"
    basic = user / "basic" / "Standard"
    basic.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        _XML_HEAD + '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" '
        'oor:op="fuse"><value>true</value></prop></item>\n</oor:items>\n', encoding="utf-8")
    for kind, elements in (("script", ' <library:element library:name="Drafting"/>\n'),
                           ("dialog", "")):
        (basic.parent / f"{kind}.xlc").write_text(
            _XML_HEAD + _DOCTYPE.format("libraries", "libraries.dtd")
            + f'<library:libraries {_LIBRARY} xmlns:xlink="http://www.w3.org/1999/xlink">\n'
            f' <library:library library:name="Standard" xlink:href="$(USER)/basic/Standard/'
            f'{kind}.xlb/" xlink:type="simple" library:link="false"/>\n'
            "</library:libraries>\n", encoding="utf-8")
        (basic / f"{kind}.xlb").write_text(
            _XML_HEAD + _DOCTYPE.format("library", "library.dtd")
            + f'<library:library {_LIBRARY} library:name="Standard" library:readonly="false" '
            f'library:passwordprotected="false">\n{elements}</library:library>\n',
            encoding="utf-8")
    (basic / "Drafting.xba").write_text(
        _XML_HEAD + '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument '
        '1.0//EN" "module.dtd">\n<script:module xmlns:script="http://openoffice.org/2000/script" '
        f'script:name="Drafting" script:language="StarBasic">{escape(_MACRO, quote=False)}</script:module>\n',
        encoding="utf-8")


# --------------------------------------------------------------------------- reproducible PDF

_CREATION = re.compile(rb"/CreationDate\(D:(\d{14})")
_DIGESTS = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]"
                      rb"|/DocChecksum\s*/([0-9A-Fa-f]{32})")


def _reproducible(pdf: bytes, when: bytes) -> bytes:
    """`pdf` with its creation date set to `when` (`YYYYmmddHHMMSS`, UTC) and its file
    identifier and checksum derived from the rest of it, so the same document gives the
    same bytes.

    These are the only bytes that differ between two exports of a document by
    LibreOffice. Each is replaced by a string of the same length, so the cross-reference
    offsets stay right; a PDF without them (another LibreOffice) is returned unchanged.
    """
    out = bytearray(pdf)
    for match in _CREATION.finditer(pdf):
        out[match.start(1):match.end(1)] = when
    spans = [m.span(g) for m in _DIGESTS.finditer(pdf) for g in (1, 2, 3) if m.start(g) >= 0]
    for start, end in spans:
        out[start:end] = b"0" * 32
    digest = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper().encode()
    for start, end in spans:
        out[start:end] = digest
    return bytes(out)
