"""Where each clause and schedule of a draft is, after any editing.

A clause of a drafted document starts at its heading, which carries the clause's bookmark
(``_Ref_voting``; a schedule's is ``_Ref_sched_members``), and runs to the next clause or
schedule heading. Bookmarks survive what lawyers do in Word and LibreOffice (typing,
deleting or adding paragraphs, accepting changes, commenting, saving), and a heading marks
the start of a clause wherever the clause's paragraphs went. So a draft is cut into
sections at its headings: before the first, the front matter (cover, contents, parties);
then one section per clause and schedule, keyed by id (``voting``, ``schedule:members``).

A heading whose bookmark went with its text (the title retyped) is still a clause or
schedule heading by its style: it is matched to a missing clause by title, else by place
(the one clause missing between the two around it). A heading that matches nothing is a
clause the lawyer added (``added-1``); its paragraphs are added outside any library
clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from drafting.review._oxml import paragraph_text, qn
from drafting.review.negotiation.looks import Looks

__all__ = ["FRONT", "HEADING_STYLES", "Item", "Section", "body_items", "split"]

FRONT = "front"
HEADING_STYLES = ("ClauseHeading", "ScheduleHeading")
"""Style ids of clause and schedule headings in the documents `drafting` writes."""

_BLOCKS = (qn("w:p"), qn("w:tbl"))
_SKIP = (qn("w:sectPr"), qn("w:sdtPr"), qn("w:sdtEndPr"))


@dataclass
class Item:
    """A block of a story and the block-level content control it sits in (None: none)."""

    el: etree._Element
    owner: etree._Element | None = None


@dataclass
class Section:
    """A clause, a schedule, the front matter or a clause the lawyer added, with its blocks."""

    key: str
    title: str
    items: list[Item] = field(default_factory=list)


def body_items(container: etree._Element) -> list[Item]:
    """The blocks of a body (or header), with each block-level content control (a table
    of contents, say) replaced by the blocks inside it."""
    items: list[Item] = []
    for child in container:
        if not isinstance(child.tag, str) or child.tag in _SKIP:
            continue
        content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else None
        if content is None:
            items.append(Item(child))
            continue
        items.extend(Item(inner, child) for inner in content
                     if isinstance(inner.tag, str) and inner.tag not in _SKIP)
    return items


def _bookmark(target: str) -> str:
    from drafting.build.assemble import bookmark_name

    return bookmark_name(target)


def anchors(provenance: dict[str, Any]) -> dict[str, str]:
    """Bookmark name -> section key of every clause and schedule a provenance records."""
    out: dict[str, str] = {}
    for item in provenance.get("clauses") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out[_bookmark(item["id"])] = item["id"]
    for item in provenance.get("schedules") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out[_bookmark(f"sched-{item['id']}")] = f"schedule:{item['id']}"
    return out


_NUMBER = re.compile(r"^\s*(?:schedule\s+)?[\d.()a-z]*\d[\d.()]*\s*[.):-]?\s+", re.IGNORECASE)


def _title(text: str) -> str:
    return " ".join(_NUMBER.sub("", text).split()).casefold()


def split(items: Iterable[Item], provenance: dict[str, Any], looks: Looks, *,
          heading_names: Iterable[str] = ("clause heading", "schedule heading"),
          known: list[Section] | None = None) -> list[Section]:
    """Cut a body into sections at its clause and schedule headings.

    `provenance` names the clauses and schedules whose bookmarks are looked for;
    `heading_names` are the (lower-case) style names of headings; `known` is the base's
    sections in order, whose titles and places identify a heading that lost its bookmark.
    """
    marks = anchors(provenance)
    names = set(heading_names)
    sections = [Section(FRONT, "")]
    used: set[str] = set()
    unknown: list[int] = []  # indexes into sections of headings matched by nothing yet
    for item in items:
        el = item.el
        key = None
        if el.tag == qn("w:p"):
            for mark in el.iter(qn("w:bookmarkStart")):
                found = marks.get(mark.get(qn("w:name")) or "")
                if found is not None and found not in used:
                    key = found
                    break
            if key is None and looks.style_name(el) in names and paragraph_text(el).strip():
                key = ""
        if key is None:
            sections[-1].items.append(item)
            continue
        if key:
            used.add(key)
        else:
            unknown.append(len(sections))
        sections.append(Section(key, paragraph_text(el).strip(), [item]))
    if unknown:
        _match_unknown(sections, unknown, used, known or [])
    return sections


def _match_unknown(sections: list[Section], unknown: list[int], used: set[str],
                   known: list[Section]) -> None:
    """Give each heading without a bookmark the key of a missing base section: the one of
    the same title, else the one missing between the matched sections around it; else a
    key of its own (``added-N``)."""
    missing = [s for s in known if s.key != FRONT and s.key not in used]
    by_title: dict[str, list[str]] = {}
    for s in missing:
        by_title.setdefault(_title(s.title), []).append(s.key)
    for index in unknown:
        keys = by_title.get(_title(sections[index].title))
        if keys:
            sections[index].key = keys.pop(0)
            used.add(sections[index].key)
    order = [s.key for s in known]
    added = 0
    for index in unknown:
        section = sections[index]
        if section.key:
            continue
        before = next((s.key for s in reversed(sections[:index]) if s.key in order), FRONT)
        after = next((s.key for s in sections[index + 1:] if s.key in order), None)
        start = order.index(before) + 1 if before in order else 0
        end = order.index(after) if after is not None else len(order)
        between = [k for k in order[start:end] if k not in used]
        if len(between) == 1:
            section.key = between[0]
            used.add(section.key)
        else:
            added += 1
            section.key = f"added-{added}"
