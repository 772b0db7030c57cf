"""The questionnaire in a terminal: one question at a time, saved after every answer.

Why it works this way: the people answering are company secretaries, not programmers.
They see one plain question, its choices numbered, `?` for help; a wrong answer is
explained and asked again at once, never discovered later as a YAML error. The answers
file is saved (atomically) after each answer, so stopping half-way loses nothing and
`--resume` continues from the first question not yet answered. At the end the whole file
is checked against every rule, and each problem offers a way back to the answer behind it.

All questions, conditions and checks come from `drafting.questionnaire.questions`; this module only
talks to the person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from drafting.errors import AnswersError, Problem
from drafting.questionnaire.questions import (
    NO_DEFAULT,
    SECTION_BY_LETTER,
    SECTIONS,
    Question,
    add_member,
    delete_answer,
    get_answer,
    has_answer,
    pending,
    position,
    prune,
    questions_at,
    set_answer,
    to_yaml,
)
from drafting.questionnaire.store import save
from drafting.read.load import LoadedAnswers, parse_answers

__all__ = ["Session", "Stopped", "run"]


class Stopped(Exception):
    """The person stopped (end of input or Ctrl-C); everything answered is saved."""


@dataclass
class Session:
    """One questionnaire being filled: where it is saved and what is answered so far."""

    path: Path
    data: dict[str, Any]
    closed_groups: list[str] = field(default_factory=list)
    last_section: str = ""
    last_member: int | None = None


Reader = Callable[[str], str]


def _read(prompt: str) -> str:
    try:
        return click.prompt(prompt, default="", show_default=False, prompt_suffix=" ")
    except (click.Abort, EOFError, KeyboardInterrupt):
        raise Stopped() from None


def _show_value(q: Question, value: Any) -> str:
    if value is None or value is NO_DEFAULT:
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "none"
    return str(value)


def _print_help(q: Question, session: Session) -> None:
    click.echo("")
    click.echo(
        click.wrap_text(
            q.help or "No further help for this question.",
            initial_indent="  ",
            subsequent_indent="  ",
        )
    )
    if q.condition:
        click.echo(f"  (Asked only {q.condition}.)")
    closed = [v for v, _ in q.choices if v not in {o for o, _ in q.choices_for(session.data)}]
    for value in closed:
        click.echo(
            f"  '{value}' is not offered here: it is only possible {q.choice_condition(value)}."
        )
    if q.minimum is not None or q.maximum is not None:
        low = "" if q.minimum is None else f"at least {q.minimum:g}"
        high = "" if q.maximum is None else f"at most {q.maximum:g}"
        click.echo(f"  The answer must be {' and '.join(t for t in (low, high) if t)}.")
    click.echo(f"  (This answer is stored as {q.path} in the answers file.)")
    click.echo("")


def _header(q: Question, session: Session) -> None:
    """Section and member headings, and the progress line."""
    if q.section != session.last_section:
        s = SECTION_BY_LETTER[q.section]
        click.echo("")
        click.echo(click.style(f"Section {s.letter}: {s.name}", bold=True))
        click.echo(click.wrap_text(s.intro, initial_indent="  ", subsequent_indent="  "))
        session.last_section = q.section
    if q.member_index is not None and q.member_index != session.last_member:
        click.echo("")
        click.echo(click.style(f"Member {q.member_index + 1}", bold=True))
        session.last_member = q.member_index
    _, _, n, total = position(q, session.data)
    s = SECTION_BY_LETTER[q.section]
    last = SECTIONS[-1].letter
    click.echo("")
    click.echo(f"Section {s.letter} of {last}: {s.name}, question {n} of {total}")


def _ask_one(q: Question, session: Session, current: Any = NO_DEFAULT) -> Any:
    """Ask `q` until it gets a valid answer; return the answer (already validated)."""
    data = session.data
    _header(q, session)
    default = current if current is not NO_DEFAULT else q.default_for(data)
    options = q.choices_for(data) if q.kind in ("choice", "multi") else []
    click.echo(click.style(q.title, bold=True) + click.style(f"  [{q.path}]", dim=True))
    for i, (value, label) in enumerate(options, 1):
        mark = ""
        if default is not NO_DEFAULT and (
            value == default or (isinstance(default, list) and value in default)
        ):
            mark = " *"
        click.echo(f"  {i:>2}) {label}  ({value}){mark}")
    hints = []
    if q.kind == "multi":
        hints.append("numbers or names, separated by commas")
    elif q.kind == "choice":
        hints.append("a number or a name")
    elif q.kind in ("bool", "group"):
        hints.append("y or n")
    elif q.kind == "date":
        hints.append("YYYY-MM-DD")
    elif q.kind == "list":
        hints.append("one per line, an empty line to finish")
    if default is not NO_DEFAULT:
        hints.append(f"Enter for {_show_value(q, default)}")
    elif not q.required:
        hints.append("Enter to leave blank")
    hints.append("? for help")
    click.echo(click.style("  (" + "; ".join(hints) + ")", dim=True))
    while True:
        if q.kind == "list":
            text = _read_lines(q, session)
            if text is None:
                continue
        else:
            text = _read(">")
            if text.strip() == "?":
                _print_help(q, session)
                continue
        try:
            if not text.strip() and current is not NO_DEFAULT:
                return q.validate(current, data)
            return q.parse(text, data)
        except AnswersError as exc:
            click.echo(f"  ! {exc.problems[0].message}")


def _read_lines(q: Question, session: Session) -> str | None:
    """Items of a list, one per line; None after showing help."""
    lines: list[str] = []
    while True:
        line = _read(f"{len(lines) + 1}>")
        if line.strip() == "?" and not lines:
            _print_help(q, session)
            return None
        if not line.strip():
            return "\n".join(lines)
        lines.append(line)


def _answer(q: Question, session: Session, current: Any = NO_DEFAULT) -> None:
    """Ask one question, store the answer, forget what no longer applies, save."""
    data = session.data
    if q.kind == "group":
        need = None
        try:
            q.validate(False, data)
        except AnswersError as exc:
            need = exc.problems[0].message
        if need:
            click.echo("")
            click.echo(f"  {need[0].upper()}{need[1:]}.")
            add_member(data)
        elif _ask_one(q, session):
            add_member(data)
        else:
            session.closed_groups.append(q.path)
        save(session.path, data)
        return
    value = _ask_one(q, session, current)
    set_answer(data, q.path, value)
    removed = prune(data)
    if removed:
        click.echo("  (That answer means these are no longer asked: " + ", ".join(removed) + ")")
    save(session.path, data)


def _fill(session: Session) -> None:
    """Ask every applicable question not yet answered, in order."""
    while True:
        todo = pending(session.data, session.closed_groups)
        if not todo:
            return
        _answer(todo[0], session)


def _check(session: Session) -> tuple[LoadedAnswers | None, list[Problem]]:
    try:
        return parse_answers(to_yaml(session.data), file=str(session.path)), []
    except AnswersError as exc:
        return None, [p for p in exc.problems if p.severity == "error"]


def _confirm(prompt: str, default: bool) -> bool:
    suffix = "[Y/n]" if default else "[y/N]"
    while True:
        text = _read(f"{prompt} {suffix}").strip().lower()
        if not text:
            return default
        if text in ("y", "yes"):
            return True
        if text in ("n", "no"):
            return False
        click.echo("  ! answer y (yes) or n (no)")


def _revisit(session: Session, problems: list[Problem]) -> bool:
    """Offer to go back to the answer behind each problem; True if any was asked again."""
    click.echo("")
    click.echo(
        click.style(
            f"The answers are complete but {len(problems)} "
            f"problem{'s' if len(problems) != 1 else ''} "
            "must be put right before drafting:",
            bold=True,
        )
    )
    for p in problems:
        click.echo(f"  - [{p.rule}] {p.path or 'the file'}: {p.message}")
    asked = False
    for p in problems:
        targets = questions_at(session.data, p.path)
        if not targets:
            if p.path and has_answer(session.data, p.path):
                # an answer (often typed by hand) to a question that does not apply here
                click.echo("")
                click.echo(f"[{p.rule}] {p.path}: {p.message}")
                if _confirm(f"Remove the answer at {p.path}?", True):
                    delete_answer(session.data, p.path)
                    save(session.path, session.data)
                    _fill(session)
                    return True
            continue
        click.echo("")
        click.echo(f"[{p.rule}] {p.path}: {p.message}")
        if not _confirm(f"Go back to {targets[0].title!r} ({targets[0].path})?", True):
            continue
        for q in targets:
            if q.kind == "group":
                add_member(session.data)
                save(session.path, session.data)
                _fill(session)
            elif q.applies(session.data):
                current = (
                    get_answer(session.data, q.path)
                    if has_answer(session.data, q.path)
                    else NO_DEFAULT
                )
                _answer(q, session, current)
        asked = True
        _fill(session)
        break  # answers changed: check the whole file again
    return asked


def run(
    session: Session, *, offer_draft: Callable[[Path], None] | None = None
) -> LoadedAnswers | None:
    """Fill, check and save the answers; return them when valid, None when problems remain.

    Raises `Stopped` when the person stops; the answers so far are saved.
    """
    save(session.path, session.data)
    _fill(session)
    while True:
        loaded, problems = _check(session)
        if loaded is not None:
            break
        if not _revisit(session, problems):
            click.echo("")
            click.echo(
                f"Saved {session.path}, with the problems above. Put them right with "
                f"`drafting questionnaire --resume {session.path}`."
            )
            return None
    click.echo("")
    click.echo(click.style(f"All questions answered; saved {session.path}.", bold=True))
    for w in loaded.warnings:
        click.echo(f"  Note [{w.rule}] {w.path}: {w.message}")
    if offer_draft is not None and _confirm("Draft the documents now?", False):
        offer_draft(session.path)
    return loaded
