"""The whole questionnaire as a form to answer on paper or by email: Markdown or Word.

Why: some boards answer by circulating a document, not by sitting at a terminal. The form
shows every question (not only those that apply to one collaborative), with its help,
its choices as tick boxes, and when it applies, so whoever types the answers in later
(`drafting questionnaire`) finds each one in the same order.

The form is built once as a flat list of `Block`s from `drafting.questionnaire.questions`; the Markdown
and Word writers only lay those blocks out. Questions asked once per member (a member's
details) or once per partner (each partner's sub-contract, a part of its own) say so, and
so do the lists inside them (a partner's services and key performance indicators).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from drafting.questionnaire.questions import BOOK, NO_DEFAULT, QUESTIONS, SECTIONS, Question

__all__ = ["Block", "form", "to_docx", "to_markdown"]

BlockKind = Literal[
    "title", "intro", "section", "part", "question", "help", "condition", "choice", "answer",
    "note",
]

BOX = "\u2610"  # ballot box


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    detail: str = ""
    only: str = ""  # when a choice is open, in plain words ("" when always)
    depth: int = 0  # 1 for a question inside a part (a partner's sub-contract)


def _default_text(q: Question) -> str:
    d = q.default
    if d is NO_DEFAULT or d is None:
        return ""
    if isinstance(d, bool):
        return "yes" if d else "no"
    if isinstance(d, list):
        labels = dict(q.choices)
        return ", ".join(labels.get(str(v), str(v)) for v in d) if d else "none"
    return dict(q.choices).get(d, str(d))


def _answer_hint(q: Question) -> str:
    return {
        "text": "Answer:",
        "date": "Date (YYYY-MM-DD):",
        "int": "Whole number:",
        "number": "Number:",
        "list": "One per line:",
        "bool": f"{BOX} Yes    {BOX} No",
        "group": "",
        "choice": "Tick one.",
        "multi": "Tick all that apply.",
    }[q.kind]


def _numbers() -> dict[str, str]:
    """Each question's number on the form, by template key: A.1, A.2, ... B.1, ..."""
    out: dict[str, str] = {}
    counts: dict[str, int] = {}
    for q in QUESTIONS:
        counts[q.section] = counts.get(q.section, 0) + 1
        out[q.key] = f"{q.section}.{counts[q.section]}"
    return out


def _block(key: str) -> str:
    head, star, _ = key.partition("*")
    return head + star if star else ""


def _each(name: str | None) -> str:
    """"each partner of the lead provider" for the condition `partner` ("" for none)."""
    return BOOK.conditions[name].text.removeprefix("for ") if name else ""


def _one(each: str) -> str:
    """"the partner" for "each partner of the lead provider": one of them, in a title."""
    words = each.removeprefix("each ").split()
    return f"the {words[0]}" if words else "the member"


def _when(names: tuple[str, ...]) -> str:
    return " and ".join(BOOK.conditions[n].text for n in names)


def form() -> Iterator[Block]:
    """The questionnaire as blocks, in asking order."""
    labels = _numbers()
    members = [labels[q.key] for q in QUESTIONS if q.key.startswith("members[]")]
    parts = sorted({_block(q.key) for q in QUESTIONS if _block(q.key)
                    and any(x.heading for x in QUESTIONS if _block(x.key) == _block(q.key))})
    yield Block("title", "Provider collaborative questionnaire")
    yield Block(
        "intro",
        "Answer each question that applies to your collaborative. A question marked "
        '"Asked only ..." can be left out when its condition does not hold. Where a '
        f"default is shown, leave the question blank to accept it. Questions {members[0]} to "
        f"{members[-1]} are answered once for each member: copy them for every member."
        + "".join(
            f" Questions {labels[_in(p)[0].key]} to {labels[_in(p)[-1].key]} are answered "
            f"once for {_each(_in(p)[0].each)}: copy them for every one." for p in parts
        ),
    )
    current = ""
    for q in QUESTIONS:
        if q.section != current:
            section = next(s for s in SECTIONS if s.letter == q.section)
            yield Block("section", f"Section {section.letter}: {section.name}", section.intro)
            current = q.section
        part = _block(q.key) if _block(q.key) in parts else ""
        first = _in(part)[0] if part else None
        depth = 1 if part else 0
        if first is q:
            each = _each(q.each)
            inside = _in(part)
            yield Block("part", q.heading.replace("{member}", each))
            yield Block("note", f"Answer {labels[inside[0].key]} to {labels[inside[-1].key]} "
                                f"once for {each}: every member other than the lead provider "
                                "that provides services and is not an observer.")
            if q.condition:
                yield Block("condition", f"Asked only {q.condition}.")
        who = _one(_each(first.each)) if first else ""
        label = labels[q.key]
        own = tuple(n for n in q.when if not first or n not in first.when)
        if q.kind == "group":
            inside = [labels[t.key] for t in QUESTIONS if t.key.startswith(q.key + "[]")]
            if q.key == "members":
                yield Block("question", f"{label} Members", q.path)
                yield Block("help", q.help)
                yield Block(
                    "note",
                    f"Answer {members[0]} to {members[-1]} once for each member. There must "
                    "be at least two members, at least two of them NHS trusts or "
                    "foundation trusts.",
                )
            else:
                yield Block("question", f"{label} {q.items}", q.path, depth=depth)
                if q.help:
                    yield Block("help", q.help)
                if inside:
                    need = {0: " (as many as needed, or none)", 1: " (at least one)"}.get(
                        q.minimum_entries, f" (at least {q.minimum_entries})")
                    yield Block("note", f"Answer {inside[0]} to {inside[-1]} once for each "
                                        f"{q.item}{need}.")
            continue
        title = q.title
        if "{member}" in title:
            title = title.replace("{member}", who or _each(q.each) or "each member")
        yield Block("question", f"{label} {title}", q.path, depth=depth)
        if q.help:
            yield Block("help", q.help.replace("{member}", who) if who else q.help)
        if own:
            yield Block("condition", f"Asked only {_when(own)}.")
        default = _default_text(q)
        if default:
            yield Block("note", f"Default: {default}.")
        if q.key == "lead_provider":
            yield Block("answer", "The name of one of the NHS trust or foundation trust members:")
            continue
        yield Block("answer", _answer_hint(q))
        for value, text in q.choices:
            yield Block("choice", text, value, q.choice_condition(value))


def _in(part: str) -> list[Question]:
    """The questions of a per-member part (``sub_contract_terms.*``), in order."""
    return [q for q in QUESTIONS if part and _block(q.key) == part]


# --------------------------------------------------------------------------- Markdown


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def to_markdown() -> str:
    """The form as Markdown."""
    out: list[str] = []
    for b in form():
        if b.kind == "title":
            out += [f"# {b.text}", ""]
        elif b.kind == "intro":
            out += [b.text, ""]
        elif b.kind == "section":
            out += [f"## {b.text}", "", b.detail, ""]
        elif b.kind == "part":
            out += [f"### {_md_escape(b.text)}", ""]
        elif b.kind == "question":
            out += [f"{'#' * (3 + b.depth)} {_md_escape(b.text)}", ""]
        elif b.kind == "help":
            out += [_md_escape(b.text), ""]
        elif b.kind == "condition":
            out += [f"*{_md_escape(b.text)}*", ""]
        elif b.kind == "note":
            out += [_md_escape(b.text), ""]
        elif b.kind == "answer":
            if b.text:
                line = b.text if BOX in b.text or b.text.startswith("Tick") else f"{b.text} ______"
                out += [line, ""]
        elif b.kind == "choice":
            if out and out[-1] == "" and len(out) > 1 and out[-2].startswith("- "):
                out.pop()
            only = f" *only {_md_escape(b.only)}*" if b.only else ""
            out += [f"- {BOX} {_md_escape(b.text)}{only}", ""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- Word


def to_docx() -> bytes:
    """The form as a Word document; same questions, same bytes (SOURCE_DATE_EPOCH)."""
    from docx import Document

    from drafting.write.docx import source_date
    from drafting.write.oxml import zip_package

    when = source_date()
    doc = Document()
    props = doc.core_properties
    props.author = "drafting"
    props.last_modified_by = "drafting"
    props.title = "Provider collaborative questionnaire"
    props.created = when.replace(tzinfo=None)
    props.modified = when.replace(tzinfo=None)
    props.revision = 1
    for b in form():
        if b.kind == "title":
            doc.add_heading(b.text, level=0)
        elif b.kind == "intro":
            doc.add_paragraph(b.text)
        elif b.kind == "section":
            doc.add_heading(b.text, level=1)
            doc.add_paragraph(b.detail)
        elif b.kind == "part":
            doc.add_heading(b.text, level=2)
        elif b.kind == "question":
            doc.add_heading(b.text, level=2 + b.depth)
        elif b.kind == "help":
            doc.add_paragraph(b.text)
        elif b.kind in ("condition", "note"):
            doc.add_paragraph().add_run(b.text).italic = True
        elif b.kind == "answer":
            if not b.text:
                continue
            if BOX in b.text or b.text.startswith("Tick"):
                doc.add_paragraph(b.text)
            else:
                doc.add_paragraph(f"{b.text} " + "_" * 50)
        elif b.kind == "choice":
            p = doc.add_paragraph(f"{BOX}  {b.text}  ")
            if b.only:
                p.add_run(f"  only {b.only}").italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    return zip_package(parts, when)
