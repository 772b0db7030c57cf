"""Word comments added to a draft: the notes an update leaves where it could not apply a change.

A comment is a ``w:comment`` in the comments part (created, with its relationship and
content type, when the draft has none yet) and its anchor in a paragraph: a range start at
the paragraph's start, a range end and a reference run at its end, as Word writes them.
The draft's own comments are kept; new ones take ids above every id the package uses.
"""

from __future__ import annotations

from lxml import etree

from drafting.review._oxml import W, qn
from drafting.review.package import PackageEditor

__all__ = ["add_comments"]

_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def _initials(author: str) -> str:
    return "".join(word[0] for word in author.split() if word[:1].isalnum()).upper()[:8] or "D"


def add_comments(editor: PackageEditor, notes: list[tuple[etree._Element, str]], *,
                 author: str, date: str, first_id: int) -> int:
    """Add one comment per (paragraph, text) of `notes` to the draft being edited: the
    comment in the comments part, its anchor around the paragraph (in place, in the tree
    the caller writes back). Returns the next free id."""
    if not notes:
        return first_id
    main = editor.base.main
    rels = editor.relationships(main)
    part = next((r.target for r in rels.values() if r.type == "comments" and not r.external),
                None)
    if part is not None and part in editor.parts:
        root = etree.fromstring(editor.parts[part])
        used = [int(c.get(qn("w:id")) or 0) for c in root.iter(qn("w:comment"))
                if (c.get(qn("w:id")) or "").lstrip("-").isdigit()]
        first_id = max([first_id, *(u + 1 for u in used)])
    else:
        part = "word/comments.xml"
        root = etree.Element(qn("w:comments"), nsmap={"w": W})
        editor.add_relationship(main, _COMMENTS, part, False)
    ident = first_id
    for paragraph, text in notes:
        comment = etree.SubElement(root, qn("w:comment"))
        comment.set(qn("w:id"), str(ident))
        comment.set(qn("w:author"), author)
        comment.set(qn("w:date"), date)
        comment.set(qn("w:initials"), _initials(author))
        for line in text.split("\n"):
            p = etree.SubElement(comment, qn("w:p"))
            run = etree.SubElement(p, qn("w:r"))
            t = etree.SubElement(run, qn("w:t"))
            t.text = line
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        _anchor(paragraph, ident)
        ident += 1
    editor.set_part(part, etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True), _COMMENTS_TYPE)
    return ident


def _anchor(p: etree._Element, ident: int) -> None:
    start = etree.Element(qn("w:commentRangeStart"))
    start.set(qn("w:id"), str(ident))
    end = etree.Element(qn("w:commentRangeEnd"))
    end.set(qn("w:id"), str(ident))
    run = etree.Element(qn("w:r"))
    reference = etree.SubElement(run, qn("w:commentReference"))
    reference.set(qn("w:id"), str(ident))
    at = 1 if len(p) and p[0].tag == qn("w:pPr") else 0
    p.insert(at, start)
    p.append(end)
    p.append(run)
