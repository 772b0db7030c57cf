"""The package-level safety net of a comparison: every part is accounted for.

The redline compares the stories (body, headers, footers, notes, text boxes); this module
looks at the rest of the two packages part by part, so that nothing that differs goes
unreported. Comments are listed as added or removed. A part that differs and that no
story compares (a chart's data, an embedded object, SmartArt, style definitions) is named
as "not compared"; parts that word processors rewrite on every save and that a reader
never sees (settings, font tables, document statistics) are left out.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from drafting.review._oxml import paragraph_text, qn
from drafting.review.package import Package, PackageEditor, relationships

__all__ = ["PackageReport", "comments", "package_report"]

_STORY_TYPES = {"header", "footer", "footnotes", "endnotes"}
_COMMENT_TYPES = {"comments", "commentsExtended", "commentsIds", "commentsExtensible", "people"}
# Rewritten on every save, never seen by a reader.
_IGNORED = re.compile(
    r"^(\[Content_Types\]\.xml|.*\.rels|docProps/.*|customXml/.*|word/settings\.xml|"
    r"word/webSettings\.xml|word/fontTable\.xml|word/stylesWithEffects\.xml|word/media/.*)$"
)
_LABELS = (
    ("word/styles.xml", "style definitions"),
    ("word/numbering.xml", "list numbering definitions"),
    ("word/theme/", "theme (fonts and colours)"),
    ("word/charts/", "chart"),
    ("word/embeddings/", "embedded object"),
    ("word/diagrams/", "SmartArt"),
    ("word/glossary/", "building blocks"),
    ("word/activeX/", "ActiveX control"),
)
_SESSION_ATTR = re.compile(rb'\s(?:w:rsid\w*|w14:paraId|w14:textId)="[^"]*"')


@dataclass
class PackageReport:
    """What the stories do not show: comments added or removed, parts not compared."""

    not_compared: list[str] = field(default_factory=list)
    comments_added: list[str] = field(default_factory=list)
    comments_removed: list[str] = field(default_factory=list)


def comments(package: Package) -> list[str]:
    """Every comment of a draft as ``author: text``, in the order of the comments part."""
    part = next((r.target for r in relationships(package, package.main).values()
                 if r.type == "comments" and not r.external), None)
    if part is None or part not in package.parts:
        return []
    try:
        root = etree.fromstring(package.parts[part])
    except etree.XMLSyntaxError:
        return []
    out = []
    for comment in root.iter(qn("w:comment")):
        text = " ".join(paragraph_text(p) for p in comment.iter(qn("w:p"))).strip()
        out.append(f"{comment.get(qn('w:author')) or 'unknown'}: {text}")
    return out


def _label(name: str) -> str:
    for prefix, label in _LABELS:
        if name.startswith(prefix):
            return label
    return "part"


def _same(a: bytes, b: bytes) -> bool:
    if a == b:
        return True
    return _SESSION_ATTR.sub(b"", a) == _SESSION_ATTR.sub(b"", b)


def package_report(old: Package, new: Package, editor: PackageEditor | None = None) -> PackageReport:
    """Compare the parts of OLD and NEW that no story covers (`editor`: the redline, whose
    parts copied from OLD count as carried over, not as differences)."""
    report = PackageReport()
    old_comments, new_comments = Counter(comments(old)), Counter(comments(new))
    report.comments_added = sorted((new_comments - old_comments).elements())
    report.comments_removed = sorted((old_comments - new_comments).elements())
    covered: set[str] = {old.main, new.main}
    for package in (old, new):
        for rel in relationships(package, package.main).values():
            if not rel.external and (rel.type in _STORY_TYPES or rel.type in _COMMENT_TYPES):
                covered.add(rel.target)
    for name in sorted(set(old.parts) | set(new.parts)):
        if name in covered or _IGNORED.match(name) or posixpath.basename(name) == "":
            continue
        a, b = old.parts.get(name), new.parts.get(name)
        if a is not None and b is not None and _same(a, b):
            continue
        where = "only in OLD" if b is None else "only in NEW" if a is None else "changed"
        report.not_compared.append(f"{_label(name)} ({name}, {where})")
    return report
