"""Plain-text writer: the document as a reader sees it, numbers and all.

Used by tests (what does clause 7.3 say?) and by the redline tool (a word diff of two
drafts). Cross-references show their target's number, exactly as Word's cached field does.
"""

from __future__ import annotations

from drafting.model import Document, Paragraph, Table, plain

__all__ = ["write_text"]


def write_text(document: Document) -> str:
    """Render `document` as plain text: one line per paragraph, numbers first."""
    targets = document.targets
    schedules = {k[len("sched:"):]: v.number for k, v in targets.items() if k.startswith("sched:")}
    lines = [document.title.upper(), document.fields.get("collaborative_name", ""), ""]
    for party in document.parties:
        lines.append(plain(party.inlines, targets, schedules).replace("\t", " "))
    if document.parties:
        lines.append("")
    if document.recitals:
        lines.append("BACKGROUND")
        for recital in document.recitals:
            lines.append(f"{recital.number} {plain(recital.inlines, targets, schedules)}")
        lines.append("")

    def block_lines(block: Paragraph | Table, indent: str = "") -> list[str]:
        if isinstance(block, Table):
            out = [" | ".join(block.header)]
            out += [" | ".join(plain(c, targets, schedules) for c in row) for row in block.rows]
            return out
        text = plain(block.inlines, targets, schedules)
        if block.number:
            shown = block.number
            if block.level >= 2:  # Word shows `(a)`, not `7.1(a)`
                shown = "(" + block.number.rsplit("(", 1)[-1]
            return [f"{'  ' * (block.level - 1)}{shown} {text}"]
        return [("- " if block.style == "list" else "") + text]

    for clause in document.clauses:
        lines.append(f"{clause.number} {clause.title.upper()}")
        for block in clause.blocks:
            lines.extend(block_lines(block))
        lines.append("")
    for signature in document.signatures:
        lines += [f"Signed for and on behalf of {signature.party}",
                  f"{signature.name}, {signature.role}", ""]
    for schedule in document.schedules:
        lines.append(f"{schedule.number.upper()} {schedule.title.upper()}")
        for block in schedule.blocks:
            lines.extend(block_lines(block))
        lines.append("")
    return "\n".join(lines)
