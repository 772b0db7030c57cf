"""The questionnaire in a terminal: one question at a time, saved after every answer.

Why it works this way: the people answering are company secretaries, not programmers.
They see one plain question, its choices numbered, `?` for help, `back` to return to the
question before and `change N` to change answer N; a wrong answer is explained and asked
again at once, never discovered later as a YAML error. The answers file is saved
(atomically) after each answer, so stopping half-way loses nothing and `--resume`
continues from the first question not yet answered, keeping a hand-written file's comments.
At the end the whole file is checked against every rule, each problem offers a way back to
the answer behind it, and the documents can be drafted at once.

All questions, conditions, checks and words come from `drafting.questionnaire.questions`;
this module only talks to the person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from drafting.errors import AnswersError, DraftingError, Problem
from drafting.questionnaire.questions import (
    NO_DEFAULT,
    QUESTIONS,
    SECTION_BY_LETTER,
    SECTIONS,
    Question,
    add_entry,
    block_of,
    delete_answer,
    entry_label,
    get_answer,
    has_answer,
    pending,
    position,
    prune,
    put_answer,
    questions_at,
    questions_for,
    title_of,
    to_yaml,
)
from drafting.questionnaire.store import HandWritten, save
from drafting.read.load import LoadedAnswers, parse_answers

__all__ = ["Session", "Stopped", "run"]


class Stopped(Exception):
    """The person stopped (end of input or Ctrl-C); everything answered is saved."""


class _Back(Exception):
    """The person typed `back`."""


class _Change(Exception):
    """The person typed `change N` (or `change` alone, to see the numbers)."""

    def __init__(self, number: int | None) -> None:
        self.number = number


@dataclass
class Session:
    """One questionnaire being filled: where it is saved and what is answered so far.

    `closed` holds the questions not to ask again: groups answered "no more", and optional
    questions a resumed file deliberately left out. `source` keeps a resumed file's own
    comments and layout.
    """

    path: Path
    data: dict[str, Any]
    closed: list[str] = field(default_factory=list)
    source: HandWritten | None = None
    last_section: str = ""
    last_heading: str = ""
    last_entry: str | None = None

    def save(self) -> None:
        if self.source is not None:
            self.source.save(self.data)
        else:
            save(self.path, self.data)


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
    labels = dict(q.choices)
    if isinstance(value, list):
        return "; ".join(labels.get(str(v), str(v)) for v in value) if value else "none"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return labels.get(str(value), str(value))


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
    open_values = {o for o, _ in q.choices_for(session.data)}
    for value, label in q.choices:
        if value not in open_values and q.key != "lead_provider":
            click.echo(f"  “{label}” is not offered here: it is only possible "
                       f"{q.choice_condition(value)}.")
    if q.minimum is not None or q.maximum is not None:
        low = "" if q.minimum is None else f"at least {q.minimum:g}"
        high = "" if q.maximum is None else f"at most {q.maximum:g}"
        click.echo(f"  The answer must be {' and '.join(t for t in (low, high) if t)}.")
    click.echo("  Type back to go to the question before, or change N to change answer N "
               "(change alone lists them).")
    click.echo("")


def _heading(q: Question, session: Session) -> str:
    """The heading of the block `q` belongs to: a member, or a partner's sub-contract."""
    if q.entry and q.entry.startswith("members[") and q.member_index is not None:
        member = q.member(session.data)
        name = member.get("name") if isinstance(member, dict) else None
        return f"Member {q.member_index + 1}" + (f": {name}" if name else "")
    return q.heading


def _header(q: Question, session: Session) -> None:
    """Section, member and entry headings, and the progress line."""
    if q.section != session.last_section:
        s = SECTION_BY_LETTER[q.section]
        click.echo("")
        click.echo(click.style(f"Section {s.letter}: {s.name}", bold=True))
        click.echo(click.wrap_text(s.intro, initial_indent="  ", subsequent_indent="  "))
        session.last_section = q.section
        session.last_heading, session.last_entry = "", None
    heading = _heading(q, session)
    if heading and heading != session.last_heading:
        click.echo("")
        click.echo(click.style(heading, bold=True))
        session.last_entry = None
    session.last_heading = heading
    inner = q.entry if q.entry and not q.entry.startswith("members[") else None
    if inner and inner != session.last_entry:
        label = entry_label(q, session.data).rsplit(", ", 1)[-1]
        click.echo(click.style(label[:1].upper() + label[1:], underline=True))
    session.last_entry = inner
    section, sections, n, total = position(q, session.data)
    s = SECTION_BY_LETTER[q.section]
    click.echo("")
    if q.kind == "group":
        click.echo(f"Section {s.letter} of {SECTIONS[-1].letter}: {s.name}")
    else:
        click.echo(f"Question {n} of {total} so far · Section {s.letter} of "
                   f"{SECTIONS[-1].letter}: {s.name}")


def _command(text: str) -> None:
    """Raise for `back` and `change N`; anything else is an answer."""
    words = text.strip().lower().split()
    if words == ["back"]:
        raise _Back()
    if words and words[0] == "change" and len(words) <= 2:
        if len(words) == 1:
            raise _Change(None)
        if words[1].isdigit():
            raise _Change(int(words[1]))


def _ask_one(q: Question, session: Session, current: Any = NO_DEFAULT) -> Any:
    """Ask `q` until it gets a valid answer; return the answer (already validated).

    Raises `_Back` or `_Change` when the person asks to go elsewhere.
    """
    data = session.data
    _header(q, session)
    default = current if current is not NO_DEFAULT else q.default_for(data)
    options = q.choices_for(data) if q.kind in ("choice", "multi") else []
    click.echo(click.style(q.title, bold=True))
    if q.hint:
        click.echo(click.wrap_text(q.hint, initial_indent="  ", subsequent_indent="  "))
    for i, (value, label) in enumerate(options, 1):
        mark = ""
        if default is not NO_DEFAULT and (
            value == default or (isinstance(default, list) and value in default)
        ):
            mark = "  (current)" if current is not NO_DEFAULT else "  (usual)"
        click.echo(f"  {i:>2}) {label}{mark}")
    hints = []
    if q.kind == "multi":
        hints.append("numbers separated by commas" + ("" if q.required else ", or none"))
    elif q.kind == "choice":
        hints.append("a number")
    elif q.kind in ("bool", "group"):
        hints.append("y or n")
    elif q.kind == "date":
        hints.append("day/month/year, for example 1/4/2027")
    elif q.kind == "list":
        hints.append("one per line, an empty line to finish")
    if default is not NO_DEFAULT and options:
        several = isinstance(default, list) and len(default) != 1
        hints.append(f"Enter for the {'ones' if several else 'one'} marked")
    elif default is not NO_DEFAULT:
        hints.append(f"Enter for {_show_value(q, default)}")
    elif not q.required and q.nullable and _blank_allowed(q, data):
        hints.append("Enter to leave blank")
    hints.append("? for help, back, change N")
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
        _command(text)
        try:
            if not text.strip() and current is not NO_DEFAULT:
                return q.validate(current, data)
            return q.parse(text, data)
        except AnswersError as exc:
            message = exc.problems[0].message
            click.echo(f"  ! {message}.")
            if q.key == "governance.weights.*" and "add up to" in message:
                click.echo("    (Type back to change the weight before this one.)")


def _blank_allowed(q: Question, data: dict[str, Any]) -> bool:
    """Whether Enter may leave `q` blank here (not a head contract's date once the head
    contract is started), so the hint never offers what would be refused."""
    try:
        q.validate(None, data)
    except AnswersError:
        return False
    return True


def _read_lines(q: Question, session: Session) -> str | None:
    """Items of a list, one per line; None after showing help."""
    lines: list[str] = []
    while True:
        line = _read(f"{len(lines) + 1}>")
        if not lines:
            if line.strip() == "?":
                _print_help(q, session)
                return None
            _command(line)
        if not line.strip():
            return "\n".join(lines)
        lines.append(line)


def _answer(q: Question, session: Session, current: Any = NO_DEFAULT) -> None:
    """Ask one question, store the answer, forget what no longer applies, save."""
    data = session.data
    if q.kind == "group":
        need = q.entries_needed(data)
        if need:
            click.echo("")
            click.echo(f"  {need}.")
            add_entry(data, q.path)
        elif _ask_one(q, session):
            add_entry(data, q.path)
        else:
            session.closed.append(q.path)
        session.save()
        return
    value = _ask_one(q, session, current)
    put_answer(data, q, value)
    removed = prune(data)
    if removed:
        titles = [_title_of(path, data) for path in removed]
        click.echo("  (That answer means these are no longer asked: " + "; ".join(titles) + ")")
    session.save()


def _title_of(path: str, data: dict[str, Any]) -> str:
    return title_of(path, data)


def _numbered(data: dict[str, Any]) -> list[Question]:
    """The questions asked so far, numbered as the progress line numbers them."""
    return [q for q in questions_for(data) if q.kind != "group"]


def _before(q: Question, data: dict[str, Any]) -> Question | None:
    """The question asked before `q` (None at the first)."""
    if q.kind == "group":
        # the last question before "Add another?": of the last entry, or before the list
        walk = list(questions_for(data))
        paths = [x.path for x in walk]
        index = paths.index(q.path) if q.path in paths else len(walk)
        earlier = [x for x in walk[:index] if x.kind != "group"]
        return earlier[-1] if earlier else None
    asked = _numbered(data)
    paths = [x.path for x in asked]
    if q.path in paths:
        index = paths.index(q.path)
        return asked[index - 1] if index else None
    return None


def _list_answers(session: Session) -> None:
    click.echo("")
    for n, q in enumerate(_numbered(session.data), 1):
        value = get_answer(session.data, q.path) if has_answer(session.data, q.path) else None
        title = q.title
        owner = entry_label(q, session.data) if q.entry else ""
        if owner:
            title = f"{owner}: {title}"
        shown = _show_value(q, value) if has_answer(session.data, q.path) else "not answered"
        click.echo(f"  {n:>3}. {title}: {shown}")
    click.echo("  Type change N to change answer N.")


def _fill(session: Session) -> None:
    """Ask every applicable question not yet answered, in order, with back and change."""
    forced: Question | None = None
    walking = False  # after `back`: step forward through the answers already given
    while True:
        data = session.data
        if forced is None:
            todo = pending(data, session.closed)
            if not todo:
                return
            q = todo[0]
        else:
            q = forced
        current = get_answer(data, q.path) if has_answer(data, q.path) else NO_DEFAULT
        try:
            _answer(q, session, current if q.kind != "group" else NO_DEFAULT)
        except _Back:
            target = _before(q, data)
            if q.kind != "group" and q.entry and not any(
                has_answer(data, x.path) for x in questions_for(data) if x.entry == q.entry
            ) and get_answer(data, q.entry) == {}:
                # the member just added is empty: going back takes the addition back
                delete_answer(data, q.entry)
                session.save()
            if target is None:
                click.echo("  (This is the first question.)")
                forced = q if q.kind != "group" else None
                continue
            forced, walking = target, True
            continue
        except _Change as change:
            numbered = _numbered(data)
            if change.number is None or not 1 <= change.number <= len(numbered):
                _list_answers(session)
                forced = q if q.kind != "group" else None
                continue
            forced, walking = numbered[change.number - 1], False
            continue
        if forced is not None and walking:
            following = [x for x in _numbered(session.data)]
            paths = [x.path for x in following]
            index = paths.index(forced.path) if forced.path in paths else -1
            nxt = following[index + 1] if 0 <= index < len(following) - 1 else None
            forced = nxt if nxt is not None and has_answer(session.data, nxt.path) else None
        else:
            forced = None


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
        click.echo("  ! Answer y (yes) or n (no).")


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
        click.echo(f"  - {p.message}")
    asked = False
    for p in problems:
        targets = questions_at(session.data, p.path)
        if not targets:
            if p.path and has_answer(session.data, p.path):
                # an answer (often typed by hand) to a question that does not apply here
                click.echo("")
                click.echo(p.message)
                if _confirm(f"Remove the answer to “{_title_of(p.path, session.data)}”?", True):
                    delete_answer(session.data, p.path)
                    session.save()
                    _fill(session)
                    return True
            continue
        click.echo("")
        click.echo(p.message)
        if not _confirm(f"Go back to “{targets[0].title}”?", True):
            continue
        for q in targets:
            if q.kind == "group":
                add_entry(session.data, q.path)
                session.save()
                _fill(session)
            elif q.applies(session.data):
                current = (
                    get_answer(session.data, q.path)
                    if has_answer(session.data, q.path)
                    else NO_DEFAULT
                )
                try:
                    _answer(q, session, current)
                except (_Back, _Change):
                    pass  # the full questionnaire below offers back and change again
        asked = True
        _fill(session)
        break  # answers changed: check the whole file again
    return asked


def _draft_now(session: Session, loaded: LoadedAnswers) -> None:
    """Ask for a folder (drafts/ by default) and draft the documents into it."""
    from drafting.build.pack import draft_pack, plan
    from drafting.read.library import load_library
    from drafting.write.output import write_outputs

    names = [p.filename for p in plan(loaded.answers)]
    if not names:
        click.echo("  The answers ask for no document that can be drafted here.")
        return
    while True:
        folder = Path(_read("Folder for the documents [drafts]").strip() or "drafts")
        existing = [n for n in names if (folder / n).exists()]
        force = False
        if existing:
            click.echo(f"  {folder} already has {len(existing)} of these documents: "
                       f"{', '.join(existing)}.")
            if not _confirm("Replace them?", False):
                if _confirm("Choose another folder?", True):
                    continue
                click.echo("  Nothing was drafted. Draft later with "
                           f"`drafting assemble {session.path} -o FOLDER`.")
                return
            force = True
        try:
            click.echo("  Drafting...")
            files = draft_pack(load_library(), loaded)
            written = write_outputs(files, folder, force=force)
        except DraftingError as exc:
            click.echo(f"  ! The documents could not be drafted: {exc.format_message()}")
            if _confirm("Try another folder?", True):
                continue
            return
        click.echo(f"  Drafted {len(written)} document{'s' if len(written) != 1 else ''} "
                   f"in {folder}:")
        for path in written:
            click.echo(f"    {path}")
        return


def left_blank(data: dict[str, Any]) -> list[str]:
    """Optional questions and lists a file deliberately leaves out: unanswered, with a
    later answer.

    A resumed file written by hand often omits what does not apply or keeps its usual
    value (no ODS code, monthly meetings, no more key performance indicators); asking for
    those again would be asking twice. The validator reads them as their defaults, as it
    always does. A partner's block the file does not have at all was never answered, so
    nothing in it was left out: its questions are all asked.
    """
    walk = list(questions_for(data))
    answered = [q.kind != "group" and has_answer(data, q.path) for q in walk]
    started = {block_of(q) for q, given in zip(walk, answered, strict=True) if given}
    out = []
    for i, q in enumerate(walk):
        block = block_of(q)
        if answered[i] or (block and block not in started) or not any(answered[i + 1:]):
            continue
        if q.kind == "group":  # a partner's list the file has finished with
            if block and not q.entries_needed(data):
                out.append(q.path)
            continue
        if q.required:
            continue
        try:
            q.validate(None, data)  # a blank is fine here: no rule needs an answer
        except AnswersError:
            continue
        out.append(q.path)
    return out


def run(
    session: Session, *, offer_draft: bool = True, resumed: bool = False
) -> LoadedAnswers | None:
    """Fill, check and save the answers; return them when valid, None when problems remain.

    A new file is written at once; a resumed one only when an answer changes. Raises
    `Stopped` when the person stops; the answers so far are saved.
    """
    if resumed:
        session.closed.extend(left_blank(session.data))
    else:
        session.save()
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
        click.echo(f"  Note: {w.message}")
    if offer_draft and _confirm("Draft the documents now?", False):
        _draft_now(session, loaded)
    return loaded
