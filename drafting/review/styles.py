"""Styles the old draft's content needs in the redline.

The redline is the new draft's package, so its styles part is the new one. Old content
shown deleted, and the old properties recorded in ``w:pPrChange``/``w:rPrChange``, name
the old draft's styles; when the new draft has no style of that id (another word
processor saved it and renamed its styles, say), rejecting the changes would show the
old text in the wrong style. Such styles are copied over from the old styles part, with
the styles they are based on or linked to.
"""

from __future__ import annotations

import copy

from lxml import etree

from drafting.review._oxml import qn
from drafting.review.package import Package, PackageEditor, relationships

__all__ = ["carry_styles"]

_REFS = (qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))
_CHAIN = (qn("w:basedOn"), qn("w:link"), qn("w:next"))


def _styles_part(package: Package) -> str | None:
    return next((r.target for r in relationships(package, package.main).values()
                 if r.type == "styles" and not r.external), None)


def carry_styles(editor: PackageEditor, old: Package, parts: list[str]) -> list[str]:
    """Copy into the redline the old styles that `parts` (of the redline) name and its
    styles part lacks; the ids copied, in order."""
    new_name = _styles_part(editor.base)
    old_name = _styles_part(old)
    if new_name is None or old_name is None or new_name not in editor.parts:
        return []
    new_root = etree.fromstring(editor.parts[new_name])
    old_root = etree.fromstring(old.parts[old_name])
    have = {s.get(qn("w:styleId")) for s in new_root.iter(qn("w:style"))}
    old_styles = {s.get(qn("w:styleId")): s for s in old_root.iter(qn("w:style"))}
    wanted: list[str] = []
    for part in parts:
        blob = editor.parts.get(part)
        if blob is None:
            continue
        for el in etree.fromstring(blob).iter(*_REFS):
            sid = el.get(qn("w:val"))
            if sid and sid not in have and sid in old_styles and sid not in wanted:
                wanted.append(sid)
    carried: list[str] = []
    while wanted:
        sid = wanted.pop(0)
        if sid in have:
            continue
        style = copy.deepcopy(old_styles[sid])
        new_root.append(style)
        have.add(sid)
        carried.append(sid)
        for link in style.iter(*_CHAIN):
            target = link.get(qn("w:val"))
            if target and target not in have and target in old_styles:
                wanted.append(target)
    if carried:
        editor.set_part(new_name, etree.tostring(new_root, xml_declaration=True,
                                                 encoding="UTF-8", standalone=True))
    return carried
