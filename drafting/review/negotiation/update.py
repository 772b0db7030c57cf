"""`drafting update`: carry new answers or clause versions into a draft without losing an edit.

Three documents meet (see `rounds`): the *base* (the draft as `drafting` wrote it), the
*draft* as it came back, and the *new* document (new answers, the current library). The
merged draft is the returned draft with every change from base to new applied where the
draft left the text alone, section by section and block by block (`merge`); where both
changed the same text, the draft's text stays and a Word comment carries the new text and
says why. New blocks are brought into the draft's own package (`transplant`), which keeps
its styles, headers, comments and everything else, with the new provenance and answers.

The result is `drafting.review.compare_packages(draft, merged)`: the returned draft with
every update as a tracked change. Rejecting them all gives the returned draft back;
accepting them all gives the new document with the negotiated edits. With nothing new,
the draft comes back as it was, byte for byte.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from drafting.errors import DraftError, LibraryError
from drafting.review._oxml import paragraph_text, qn
from drafting.review.docx import Comparison, compare_packages, revision_date
from drafting.review.negotiation.answers import answer_changes
from drafting.review.negotiation.comments import add_comments
from drafting.review.negotiation.draft import Draft
from drafting.review.negotiation.merge import Conflict, Merge, Placed, merge_blocks
from drafting.review.negotiation.rounds import Round, Side, prepare
from drafting.review.negotiation.sections import FRONT, Item, Section, body_items
from drafting.review.negotiation.transplant import (
    Importer,
    Likeness,
    carry_marks,
    drop_duplicate_bookmarks,
)
from drafting.review.package import (
    Package,
    PackageEditor,
    max_revision_id,
    read_package,
    relationships,
)

__all__ = ["Updated", "describe_pending", "update_draft"]

_PROVENANCE = "{urn:drafting:provenance}provenance"
_ANSWERS = "{urn:drafting:answers}answers"


@dataclass
class Updated:
    """An updated draft and what the update did."""

    data: bytes
    applied: int
    """Changes of the new document applied as tracked changes (a paragraph, a stretch of
    paragraphs, a clause added or left out)."""
    conflicts: list[str] = field(default_factory=list)
    """Where the draft's edited text was kept and a comment added, one line each."""
    comparison: Comparison | None = None
    notes: list[str] = field(default_factory=list)
    merged: bytes = b""
    """The merged draft before the compare: what accepting every change gives."""

    @property
    def changed(self) -> bool:
        return self.applied > 0 or bool(self.conflicts)


def describe_pending(pending: dict[str, int]) -> str:
    """"3 insertions, 1 deletion" for the counts of `count_revisions`."""
    words = {"insertions": "insertion", "deletions": "deletion",
             "inserted_paragraphs": "inserted paragraph", "deleted_paragraphs":
             "deleted paragraph", "inserted_rows": "inserted row", "deleted_rows": "deleted row",
             "moved_from": "move", "moved_to": "move", "moved_from_paragraphs": "moved paragraph",
             "moved_to_paragraphs": "moved paragraph", "formatting": "formatting change"}
    totals: dict[str, int] = defaultdict(int)
    for kind, count in pending.items():
        if kind in ("moved_from", "moved_from_paragraphs"):
            continue
        totals[words.get(kind, kind.replace("_", " "))] += count
    return ", ".join(f"{n} {w}{'s' if n != 1 else ''}" for w, n in sorted(totals.items()))


def update_draft(draft: Draft, library: Any, answers: Any = None, *, author: str = "drafting",
                 date: str | None = None, allow_pending: bool = False) -> Updated:
    """Update `draft` to `answers` (a `LoadedAnswers`; None: its own) and `library`.

    Raises `DraftError` when the draft holds tracked changes and `allow_pending` is False
    (with it, they count as accepted, as in `drafting compare`).
    """
    notes: list[str] = []
    if draft.pending:
        if not allow_pending:
            raise DraftError(
                f"holds tracked changes still pending ({describe_pending(draft.pending)}): "
                "accept or reject the pending changes first (in Word: Review > Accept or "
                "Reject; in LibreOffice: Edit > Track Changes > Manage), or give "
                "--allow-pending to count them as accepted", file=draft.source)
        notes.append(f"the pending tracked changes ({describe_pending(draft.pending)}) "
                     "count as accepted: the update shows only its own changes")
    stamp = revision_date(date)
    rnd = prepare(draft, library, answers)
    assert rnd.new is not None and rnd.after is not None
    first_id = max(max_revision_id(draft.package), max_revision_id(rnd.new.package)) + 1
    why = _Reasons(rnd, library)
    editor = PackageEditor(draft.package)

    body_merge, comments, applied = _merge_body(rnd, why)
    likeness = Likeness()
    for before, mine in body_merge.same:
        likeness.learn(before.el, mine.el)
    importer = Importer(draft.package, rnd.new.package, first_id, likeness)
    body = rnd.mine.root.find(qn("w:body"))
    assert body is not None
    final = _place(body_merge, importer, rnd.mine)
    headers_applied, header_notes = _merge_stories(rnd, importer, editor)
    applied += headers_applied
    conflicts = [line for line, _at, _text in comments] + [n for n, _ in header_notes]
    changed = applied > 0 or bool(conflicts)

    metadata = _metadata(draft.package, rnd.new.package)
    same_record = rnd.new.provenance == draft.provenance and \
        rnd.new.loaded.text == draft.answers
    if not changed and same_record:
        return Updated(draft.data, 0, [], None, notes, draft.data)
    for name, data in metadata.items():
        editor.set_part(name, data)
    zip_time = max(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"),
                   datetime(1980, 1, 1)).timetuple()[:6]
    if not changed:
        data = editor.to_bytes(zip_time)
        return Updated(data, 0, [], None, notes, data)

    _write_body(body, final, rnd.mine.root)
    notes_at = [(_paragraph_of(final, at), text) for _line, at, text in comments]
    notes_at += [(_paragraph_of(final, 0), text) for _line, text in header_notes]
    add_comments(editor, [(p, text) for p, text in notes_at if p is not None], author=author,
                 date=stamp, first_id=importer.next_id())
    editor.set_part(draft.package.main, etree.tostring(
        rnd.mine.root, xml_declaration=True, encoding="UTF-8", standalone=True))
    styles = importer.styles_xml()
    if styles is not None and importer.part:
        editor.set_part(importer.part, styles)
    merged_data = editor.to_bytes(zip_time)
    comparison = compare_packages(draft.package, read_package(merged_data), author=author,
                                  date=stamp)
    return Updated(comparison.data, applied, conflicts, comparison, notes, merged_data)


# --- why the new document differs --------------------------------------------------------


class _Reasons:
    """Why the new document reads differently in a section: a new clause version (with
    its change notes), another variant chosen by the answers, the answers themselves."""

    def __init__(self, rnd: Round, library: Any) -> None:
        assert rnd.new is not None
        self.library = library
        self.before = _items(rnd.base.provenance)
        self.after = _items(rnd.new.provenance)
        self.answers = ""
        if rnd.base.loaded.sha256 != rnd.new.loaded.sha256:
            changes = answer_changes(rnd.base.loaded.answers, rnd.new.loaded.answers)
            self.answers = "the answers changed" + (f": {'; '.join(changes)}" if changes
                                                     else "")

    def name(self, key: str) -> str:
        if key == FRONT:
            return "the front matter"
        if key.startswith("schedule:"):
            return f"schedule {key.removeprefix('schedule:')}"
        if key.startswith("added-"):
            return "a clause added in this draft"
        return f"clause {key}"

    def __call__(self, key: str) -> str:
        reasons: list[str] = []
        before, after = self.before.get(key), self.after.get(key)
        if before and after and before["version"] != after["version"]:
            try:
                history = self.library.item_history(key)
            except LibraryError:  # a library without the item: no notes to quote
                history = ()
            changes = [f"v{v.version}: {v.change}" for v in history
                       if before["version"] < v.version <= after["version"]]
            reasons.append(f"the library has version {after['version']} of {self.name(key)} "
                           f"(this draft has version {before['version']})"
                           + (f"; {'; '.join(changes)}" if changes else ""))
        if before and after and before.get("variant") != after.get("variant"):
            reasons.append(f"the new answers choose the {after.get('variant')} wording of "
                           f"{self.name(key)} (this draft has the {before.get('variant')} one)")
        elif self.answers:
            reasons.append(self.answers)
        return "; ".join(reasons) or "the new document reads differently here"


def _items(provenance: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {c["id"]: c for c in provenance.get("clauses") or [] if isinstance(c, dict)}
    out.update({f"schedule:{s['id']}": s for s in provenance.get("schedules") or []
                if isinstance(s, dict)})
    return out


def _quote(texts: list[str]) -> str:
    shown = [" ".join(t.split()) for t in texts if t.strip()]
    return "\n".join(f"“{t}”" for t in shown)


def _conflict_note(kind: str, name: str, reason: str, conflict: Conflict | None) -> str:
    head = f"drafting update: {name}: {reason}."
    if kind == "left-out":
        return (f"{head} The new document leaves this out. It was edited in this draft, so "
                "it is kept: delete it if it is no longer wanted.")
    assert conflict is not None
    if kind == "deleted":
        new = _quote(conflict.new)
        return (f"{head} This draft deleted the text, and the new document changes it"
                + (f"; the new text:\n{new}" if new else "."))
    new = _quote(conflict.new)
    if not new:
        return (f"{head} This text was edited in this draft, so the edited text is kept; the "
                "new document leaves it out.")
    return (f"{head} This text was edited in this draft, so the edited text is kept. The new "
            f"text:\n{new}")


# --- the body, section by section --------------------------------------------------------


_Comments = list[tuple[str, int, str]]  # (report line, index of the placed block, comment)


def _merge_body(rnd: Round, why: Callable[[str], str]) -> tuple[Merge, _Comments, int]:
    """Merge every section of the body; the placed blocks, the comments and the count of
    changes applied."""
    assert rnd.after is not None
    base, mine, new = rnd.before.by_key(), rnd.mine.by_key(), rnd.after.by_key()
    placed: list[Placed] = []
    dropped: list[tuple[int, Item]] = []
    same: list[tuple[Item, Item]] = []
    comments: _Comments = []
    applied = 0
    new_order = [s.key for s in rnd.after.sections]
    inserts: dict[str, list[Section]] = defaultdict(list)  # after which draft section
    for index, section in enumerate(rnd.after.sections):
        if section.key not in base:
            anchor = next((k for k in reversed(new_order[:index]) if k in mine), FRONT)
            inserts[anchor].append(section)
    base_order = [s.key for s in rnd.before.sections]
    gone: dict[str, list[str]] = defaultdict(list)  # base sections the draft deleted
    for index, key in enumerate(base_order):
        if key not in mine:
            anchor = next((k for k in reversed(base_order[:index]) if k in mine), FRONT)
            gone[anchor].append(key)

    def conflict(line: str, at: int, text: str) -> None:
        comments.append((line, at, text))

    for section in rnd.mine.sections:
        key = section.key
        before, after = base.get(key), new.get(key)
        if before is None:
            placed.extend(Placed(i) for i in section.items)
        elif after is None:
            if rnd.mine.keys_of(section.items) == rnd.before.keys_of(before.items):
                dropped.extend((len(placed), i) for i in section.items)
                same.extend(zip(before.items, section.items))
                applied += 1
            else:
                reason = why(key)
                conflict(f"{key}: the new document leaves it out; kept as edited in the draft",
                         len(placed), _conflict_note("left-out", why.name(key), reason, None))
                placed.extend(Placed(i) for i in section.items)
        else:
            merged = merge_blocks(before.items, section.items, after.items,
                                  rnd.before.keys_of(before.items),
                                  rnd.mine.keys_of(section.items),
                                  rnd.after.keys_of(after.items))
            offset = len(placed)
            placed.extend(merged.placed)
            dropped.extend((offset + i, item) for i, item in merged.dropped)
            same.extend(merged.same)
            applied += merged.applied
            for c in merged.conflicts:
                text = " ".join((c.draft or c.base or [""])[0].split())
                conflict(f"{key}: edited in the draft and changed in the new document: "
                         f"“{_short(text)}”; the draft's text kept",
                         offset + c.at, _conflict_note("changed", why.name(key), why(key), c))
        for added in inserts.get(key, []):
            placed.extend(Placed(i, new=True) for i in added.items)
            applied += 1
        for lost in gone.get(key, []):
            was, now = base[lost], new.get(lost)
            if now is None or rnd.after.keys_of(now.items) == rnd.before.keys_of(was.items):
                continue
            c = Conflict(len(placed), [], [paragraph_text(i.el) for i in now.items], [])
            conflict(f"{lost}: deleted in the draft and changed in the new document; left "
                     "deleted", len(placed), _conflict_note("deleted", why.name(lost), why(lost), c))
    return Merge(placed, [], applied, dropped, same), comments, applied


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass
class _Final:
    el: etree._Element
    owner: etree._Element | None
    new: bool


def _place(merge: Merge, importer: Importer, mine: Side) -> list[_Final]:
    """The merged blocks as elements of the draft's tree: new ones brought into its package
    (styles, lists, bookmark ids), each taking over the marks of the blocks it replaces;
    the marks of dropped blocks moved to their neighbours."""
    final: list[_Final] = []
    for placed in merge.placed:
        if not placed.new:
            final.append(_Final(placed.item.el, placed.item.owner, False))
            continue
        el = importer.block(placed.item.el)
        owners = {id(r.owner) for r in placed.replaces}
        owner = placed.replaces[0].owner if placed.replaces and len(owners) == 1 else None
        if placed.replaces:
            carry_marks([r.el for r in placed.replaces], el)
        final.append(_Final(el, owner, True))
    for index, item in merge.dropped:
        if not final:
            break
        if index > 0:
            carry_marks([item.el], final[min(index, len(final)) - 1].el, at="end")
        else:
            carry_marks([item.el], final[0].el, at="start")
    # A new block between two blocks of one content control (a new entry of a table of
    # contents) goes inside it.
    for index, block in enumerate(final):
        if not block.new or block.owner is not None or index == 0:
            continue
        before = final[index - 1].owner
        after = next((b.owner for b in final[index + 1:] if not b.new), None)
        if before is not None and (after is before or (
                mine.looks.is_toc(block.el) and mine.looks.is_toc(final[index - 1].el))):
            block.owner = before
    return final


def _write_body(body: etree._Element, final: list[_Final], root: etree._Element) -> None:
    """Replace the body's blocks by `final`, each inside its content control again."""
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        body.remove(child)
    used: set[int] = set()
    index = 0
    new_ids: set[int] = set()
    while index < len(final):
        owner = final[index].owner
        end = index
        while end < len(final) and final[end].owner is owner:
            end += 1
        blocks = final[index:end]
        new_ids.update(id(b.el) for b in blocks if b.new)
        if owner is None:
            for b in blocks:
                body.append(b.el)
        else:
            sdt = owner if id(owner) not in used else copy.deepcopy(owner)
            used.add(id(owner))
            content = sdt.find(qn("w:sdtContent"))
            assert content is not None
            for child in list(content):
                content.remove(child)
            for b in blocks:
                content.append(b.el)
            body.append(sdt)
            if any(b.new for b in blocks):
                new_ids.add(id(sdt))
        index = end
    if sect is not None:
        body.append(sect)
    drop_duplicate_bookmarks(body, {i for i in new_ids})
    del root


def _paragraph_of(final: list[_Final], at: int) -> etree._Element | None:
    """The paragraph a comment about block `at` goes on (the first of a table's)."""
    if not final:
        return None
    block = final[max(0, min(at, len(final) - 1))].el
    if block.tag == qn("w:p"):
        return block
    return next(block.iter(qn("w:p")), None)


# --- headers and footers -----------------------------------------------------------------


def _story_parts(package: Package, root: etree._Element) -> dict[tuple[str, str], str]:
    """(``header``/``footer``, type) -> part, from the last section's references."""
    body = root.find(qn("w:body"))
    sect = body.find(qn("w:sectPr")) if body is not None else None
    rels = relationships(package, package.main)
    out: dict[tuple[str, str], str] = {}
    if sect is None:
        return out
    for where in ("header", "footer"):
        for ref in sect.findall(qn(f"w:{where}Reference")):
            rel = rels.get(ref.get(qn("r:id")) or "")
            if rel is not None and not rel.external:
                out[(where, ref.get(qn("w:type")) or "default")] = rel.target
    return out


def _merge_stories(rnd: Round, importer: Importer,
                   editor: PackageEditor) -> tuple[int, list[tuple[str, str]]]:
    """Merge the headers and footers of the last section the same way as the body.

    Returns the changes applied and, for each conflict, its report line and comment (a
    comment cannot go in a header: it goes on the document's first paragraph).
    """
    assert rnd.new is not None and rnd.after is not None
    base = _story_parts(rnd.base.package, rnd.before.root)
    mine = _story_parts(rnd.draft.package, rnd.mine.root)
    new = _story_parts(rnd.new.package, rnd.after.root)
    applied = 0
    notes: list[tuple[str, str]] = []
    for slot, part in sorted(mine.items()):
        if slot not in base or slot not in new:
            continue
        roots = [etree.fromstring(p.parts[name]) for p, name in (
            (rnd.base.package, base[slot]), (rnd.draft.package, part),
            (rnd.new.package, new[slot]))]
        items = [body_items(r) for r in roots]
        sides = (rnd.before, rnd.mine, rnd.after)
        keys = [[side.looks.key(i.el) for i in its] for side, its in zip(sides, items)]
        merged = merge_blocks(items[0], items[1], items[2], keys[0], keys[1], keys[2])
        if not merged.applied and not merged.conflicts:
            continue
        applied += merged.applied
        where = f"{slot[0]} ({slot[1]})"
        for c in merged.conflicts:
            line = (f"{where}: edited in the draft and changed in the new document; the "
                    "draft's text kept")
            text = (f"drafting update: the {where}: this draft's text is kept, the new "
                    f"document has:\n{_quote(c.new)}")
            notes.append((line, text))
        if merged.applied:
            for before, mine_item in merged.same:
                importer.likeness.learn(before.el, mine_item.el)
            final = _place(merged, importer, rnd.mine)
            root = roots[1]
            for child in list(root):
                if isinstance(child.tag, str) and child.tag not in (qn("w:sectPr"),):
                    root.remove(child)
            _write_body(root, final, root)
            editor.set_part(part, etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                 standalone=True))
    return applied, notes


# --- provenance and answers --------------------------------------------------------------


def _metadata(draft: Package, new: Package) -> dict[str, bytes]:
    """The draft's provenance, answers and document properties parts with the new
    document's contents: what the next round reads."""
    wanted: dict[str, bytes] = {}
    for tag in (_PROVENANCE, _ANSWERS):
        source = _custom_part(new, tag)
        target = _custom_part(draft, tag)
        if source is not None and target is not None:
            wanted[target] = new.parts[source]
    if "docProps/custom.xml" in draft.parts and "docProps/custom.xml" in new.parts:
        wanted["docProps/custom.xml"] = _properties(draft.parts["docProps/custom.xml"],
                                                    new.parts["docProps/custom.xml"])
    return wanted


def _custom_part(package: Package, tag: str) -> str | None:
    for name in sorted(package.names):
        if name.startswith("customXml/item") and not name.startswith("customXml/itemProps"):
            try:
                if etree.fromstring(package.parts[name]).tag == tag:
                    return name
            except etree.XMLSyntaxError:
                continue
    return None


def _properties(mine: bytes, new: bytes) -> bytes:
    """The draft's custom document properties with the values of the new document's
    properties of the same names."""
    root = etree.fromstring(mine)
    values = {p.get("name"): p for p in etree.fromstring(new)}
    changed = False
    for prop in root:
        source = values.get(prop.get("name"))
        if source is None or not len(source) or not len(prop):
            continue
        if prop[0].text != source[0].text:
            prop[0].text = source[0].text
            changed = True
    if not changed:
        return mine
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
