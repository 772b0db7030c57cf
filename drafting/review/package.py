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

__all__ = [
    "Package",
    "PackageEditor",
    "Relationship",
    "content_type",
    "max_revision_id",
    "read_package",
    "read_provenance",
    "relationships",
    "rels_name",
    "write_package",
]

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


# --- relationships and a package being edited --------------------------------------------------

_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its type (last path segment, ``image``), its target part
    (or URL when external)."""

    type: str
    full_type: str
    target: str
    external: bool


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationships(package: Package, part: str) -> dict[str, Relationship]:
    """rId -> `Relationship` of one part of `package` (empty when it has none)."""
    blob = package.parts.get(rels_name(part))
    out: dict[str, Relationship] = {}
    if blob is None:
        return out
    try:
        root = etree.fromstring(blob)
    except etree.XMLSyntaxError:
        return out
    folder = posixpath.dirname(part)
    for rel in root.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        full = rel.get("Type", "")
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external:
            target = (target.lstrip("/") if target.startswith("/")
                      else posixpath.normpath(posixpath.join(folder, target)))
        out[rel.get("Id", "")] = Relationship(full.rsplit("/", 1)[-1], full, target, external)
    return out


def content_type(package: Package, part: str) -> str | None:
    """The content type [Content_Types].xml gives `part` (override, else by extension)."""
    blob = package.parts.get("[Content_Types].xml")
    if blob is None:
        return None
    root = etree.fromstring(blob)
    for el in root.iter(f"{{{_CT}}}Override"):
        if el.get("PartName", "").lstrip("/") == part:
            return el.get("ContentType")
    ext = part.rsplit(".", 1)[-1].lower()
    for el in root.iter(f"{{{_CT}}}Default"):
        if el.get("Extension", "").lower() == ext:
            return el.get("ContentType")
    return None


class PackageEditor:
    """The new draft's package while the redline is written into it: parts replaced or
    added, relationships added, parts of the old draft copied in (a deleted picture keeps
    its image, a deleted footnote its note)."""

    def __init__(self, package: Package) -> None:
        self.base = package
        self.names = list(package.names)
        self.parts = dict(package.parts)
        self._rels: dict[str, etree._Element] = {}
        self._imported: dict[tuple[str, str], str] = {}
        self._types = etree.fromstring(self.parts["[Content_Types].xml"]) \
            if "[Content_Types].xml" in self.parts else None

    def relationships(self, part: str) -> dict[str, Relationship]:
        self._flush_rels(part)
        return relationships(self._view(), part)

    def _view(self) -> Package:
        return Package(self.base.source, tuple(self.names), self.parts, self.base.main)

    def _rels_root(self, part: str) -> etree._Element:
        root = self._rels.get(part)
        if root is None:
            blob = self.parts.get(rels_name(part))
            root = etree.fromstring(blob) if blob is not None else etree.Element(
                f"{{{_PKG_REL_NS}}}Relationships", nsmap={None: _PKG_REL_NS})
            self._rels[part] = root
        return root

    def _flush_rels(self, part: str) -> None:
        root = self._rels.get(part)
        if root is not None:
            self.set_part(rels_name(part), etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True))

    def add_relationship(self, part: str, full_type: str, target: str, external: bool) -> str:
        """A new relationship of `part` (target: a part name, or a URL when external)."""
        root = self._rels_root(part)
        used = {rel.get("Id") for rel in root}
        n = len(used) + 1
        while f"rId{n}" in used or f"rIdR{n}" in used:
            n += 1
        rid = f"rIdR{n}"
        rel = etree.SubElement(root, f"{{{_PKG_REL_NS}}}Relationship")
        rel.set("Id", rid)
        rel.set("Type", full_type)
        if external:
            rel.set("Target", target)
            rel.set("TargetMode", "External")
        else:
            rel.set("Target", posixpath.relpath(target, posixpath.dirname(part) or "."))
        return rid

    def set_part(self, name: str, data: bytes, ctype: str | None = None) -> None:
        if name not in self.parts:
            self.names.append(name)
        self.parts[name] = data
        if ctype is not None and self._types is not None and \
                content_type(self._view(), name) != ctype:
            override = etree.SubElement(self._types, f"{{{_CT}}}Override")
            override.set("PartName", "/" + name)
            override.set("ContentType", ctype)
            self.parts["[Content_Types].xml"] = etree.tostring(
                self._types, xml_declaration=True, encoding="UTF-8", standalone=True)

    def import_part(self, old: Package, name: str) -> str:
        """Copy part `name` of `old` (and what it refers to) into this package; its new name.

        A medium with the same bytes already here is used as it is (an unchanged image).
        """
        done = self._imported.get((old.source, name))
        if done is not None:
            return done
        data = old.parts[name]
        # Only media are shared: an XML part (a header, a chart) may be changed later in
        # the redline, and the old content must stay as it was.
        same = None if name.endswith(".xml") else next(
            (n for n in self.names if self.parts.get(n) == data
             and posixpath.splitext(n)[1] == posixpath.splitext(name)[1]), None)
        if same is not None and not relationships(old, name):
            self._imported[(old.source, name)] = same
            return same
        target = name
        stem, ext = posixpath.splitext(name)
        n = 1
        while target in self.parts:
            target = f"{stem}_old{n}{ext}"
            n += 1
        self._imported[(old.source, name)] = target
        self.set_part(target, data, content_type(old, name))
        for rid, rel in relationships(old, name).items():
            dest = rel.target if rel.external else self.import_part(old, rel.target)
            root = self._rels_root(target)
            el = etree.SubElement(root, f"{{{_PKG_REL_NS}}}Relationship")
            el.set("Id", rid)
            el.set("Type", rel.full_type)
            if rel.external:
                el.set("Target", dest)
                el.set("TargetMode", "External")
            else:
                el.set("Target", posixpath.relpath(dest, posixpath.dirname(target) or "."))
            self._flush_rels(target)
        return target

    def to_bytes(self, date_time: tuple[int, ...]) -> bytes:
        for part in list(self._rels):
            self._flush_rels(part)
        return write_package(self._view(), {}, date_time)
