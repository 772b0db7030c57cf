"""Read and write .docx packages as plain zip parts, byte for byte.

The redline is the new draft's package with one part replaced (``word/document.xml``), so
the reader keeps every part and its order, and the writer stamps fixed zip timestamps:
the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from drafting.errors import CompareError

__all__ = ["Package", "max_revision_id", "read_package", "read_provenance", "write_package"]

PROVENANCE_NS = "urn:drafting:provenance"

_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


@dataclass(frozen=True)
class Package:
    """The parts of a .docx in zip order, and the name of its main document part."""

    source: str
    names: tuple[str, ...]
    parts: dict[str, bytes]
    main: str

    def document(self) -> etree._Element:
        """A fresh parse of the main document part (callers may change it freely)."""
        try:
            return etree.fromstring(self.parts[self.main], etree.XMLParser(huge_tree=True))
        except etree.XMLSyntaxError as exc:
            raise CompareError(f"{self.main} is not well-formed XML: {exc}", file=self.source) from None


def read_package(path: str | Path | bytes) -> Package:
    """Read a .docx from a path (or bytes); raise `CompareError` when it is not one."""
    source = "<bytes>" if isinstance(path, bytes) else str(path)
    if not isinstance(path, bytes):
        p = Path(path)
        if not p.exists():
            raise CompareError("no such file; check the path", file=source)
        if p.is_dir():
            raise CompareError("is a folder, not a .docx file", file=source)
        data = p.read_bytes()
    else:
        data = path
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = tuple(zf.namelist())
            parts = {name: zf.read(name) for name in names}
    except (zipfile.BadZipFile, OSError, EOFError):
        raise CompareError(
            "is not a Word document (.docx): it is not a zip package; save it from Word as "
            "'Word Document (*.docx)'",
            file=source,
        ) from None
    main = _main_part(parts)
    if main is None or main not in parts:
        raise CompareError(
            "is a zip file but not a Word document: it has no main document part "
            "(word/document.xml)",
            file=source,
        )
    return Package(source=source, names=names, parts=parts, main=main)


def _main_part(parts: dict[str, bytes]) -> str | None:
    rels = parts.get("_rels/.rels")
    if rels is None:
        return "word/document.xml" if "word/document.xml" in parts else None
    try:
        root = etree.fromstring(rels)
    except etree.XMLSyntaxError:
        return None
    for rel in root.iter(_PKG_RELS):
        if rel.get("Type") == _OFFICE_DOCUMENT:
            target = str(rel.get("Target", "")).lstrip("/")
            return posixpath.normpath(target)
    return None


_ID = re.compile(rb'\bw:id="(-?\d+)"')


def max_revision_id(package: Package) -> int:
    """The largest ``w:id`` used in any WordprocessingML part (comments, bookmarks, notes)."""
    highest = 0
    for name, blob in package.parts.items():
        if name.startswith("word/") and name.endswith(".xml"):
            for match in _ID.finditer(blob):
                highest = max(highest, int(match.group(1)))
    return highest


def write_package(package: Package, replace: dict[str, bytes], date_time: tuple[int, ...]) -> bytes:
    """The package with some parts replaced, zipped in the original order with fixed times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in package.names:
            info = zipfile.ZipInfo(name, date_time=date_time[:6])  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, replace.get(name, package.parts[name]))
    return buffer.getvalue()


def read_provenance(package: Package) -> dict[str, Any] | None:
    """What a draft written by `drafting` records about itself (clause ids and versions).

    It is the JSON text of a custom XML part (``customXml/item*.xml``) whose root is
    ``{urn:drafting:provenance}provenance``. None for a document from anywhere else, or
    when the part does not hold a JSON object.
    """
    for name in sorted(package.names):
        if not (name.startswith("customXml/item") and name.endswith(".xml")):
            continue
        if name.startswith("customXml/itemProps"):
            continue
        try:
            root = etree.fromstring(package.parts[name])
        except etree.XMLSyntaxError:
            continue
        if root.tag != f"{{{PROVENANCE_NS}}}provenance":
            continue
        try:
            value = json.loads(root.text or "")
        except ValueError:
            return None
        return value if isinstance(value, dict) else None
    return None
