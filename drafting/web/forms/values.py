"""One answer between its form field and its answers value.

Widgets follow the question's kind (`drafting.questionnaire.questions.Question.kind`): a line of text,
a paragraph, one item per line, a whole number, a number, a date, radios for one choice,
checkboxes for several, yes/no radios. Reading a posted field goes through the question's
own `parse`/`validate`, so the browser and the terminal accept exactly the same answers.
"""

from __future__ import annotations

from typing import Any, Literal

from drafting.errors import AnswersError
from drafting.questionnaire.questions import Question

__all__ = ["Blank", "Refused", "Widget", "date_parts", "date_text", "read", "to_form", "widget_of"]

Widget = Literal["text", "textarea", "lines", "integer", "number", "date", "choice", "multi", "yesno"]

PARAGRAPHS = frozenset({"collaborative.purpose"})
"""Text questions whose answer is a paragraph rather than a line."""

_WIDGETS: dict[str, Widget] = {
    "text": "text", "list": "lines", "int": "integer", "number": "number", "date": "date",
    "choice": "choice", "multi": "multi", "bool": "yesno",
}


def widget_of(question: Question) -> Widget:
    if question.key in PARAGRAPHS:
        return "textarea"
    return _WIDGETS[question.kind]


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{int(value)}" if value.is_integer() else f"{value:.10g}"
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


def to_form(question: Question, value: Any) -> Any:
    """What the field shows for `value`: text, or the set of chosen values for checkboxes."""
    if question.kind == "multi":
        return {str(v) for v in value} if isinstance(value, list) else set()
    if question.kind == "list":
        return "\n".join(_plain(v) for v in value) if isinstance(value, list) else _plain(value)
    if question.kind == "date":
        return date_parts(_plain(value))
    return _plain(value)


def date_parts(text: str) -> tuple[str, str, str]:
    """(day, month, year) of ``YYYY-MM-DD`` for the three date fields; as typed otherwise."""
    parts = text.split("-") if text else []
    if len(parts) == 3:
        year, month, day = parts
        return (day.lstrip("0") if day.strip("0") else day,
                month.lstrip("0") if month.strip("0") else month, year)
    return ("", "", text)


def date_text(day: str, month: str, year: str) -> str:
    """The three date fields as ``YYYY-MM-DD`` (numbers padded), for the question to check."""
    def pad(text: str, width: int) -> str:
        text = text.strip()
        return text.zfill(width) if text.isdigit() else text

    return f"{pad(year, 4)}-{pad(month, 2)}-{pad(day, 2)}"


class Blank(Exception):
    """The field was left empty: the question is unanswered."""


class Refused(Exception):
    """The answer was typed but cannot be accepted; `text` is shown back with `message`."""

    def __init__(self, text: str, message: str) -> None:
        super().__init__(message)
        self.text = text
        self.message = message


MAX_TEXT = 20000


def read(question: Question, raw: list[str], data: Any) -> Any:
    """The answer `question` gets from the strings posted for it, checked against `data`.

    Raises `Blank` for an empty field and `Refused` for an answer the question refuses.
    """
    values = [v.replace("\r\n", "\n").replace("\r", "\n") for v in raw]
    if any(len(v) > MAX_TEXT for v in values):
        raise Refused(values[0][:MAX_TEXT], question.message("long"))
    try:
        if question.kind == "multi":
            chosen = [v for v in values if v]
            if not chosen and question.required:
                raise Blank  # nothing ticked yet: unanswered, not a wrong answer
            return question.validate(chosen, data)
        if question.kind == "date":
            day, month, year = (values + ["", "", ""])[:3]
            if not (day.strip() or month.strip() or year.strip()):
                raise Blank
            text = date_text(day, month, year)
            if not (day.strip() and month.strip() and year.strip()):
                missing = [n for n, v in (("day", day), ("month", month), ("year", year))
                           if not v.strip()]
                raise Refused(
                    text, f"{question.message('date')}: enter the {' and '.join(missing)}")
            return question.validate(text, data)
        text = values[0] if values else ""
        if not text.strip():
            raise Blank
        if question.kind == "choice":
            return question.validate(text, data)
        if question.key in PARAGRAPHS:
            return question.validate("\n".join(line.rstrip() for line in text.strip().split("\n")), data)
        return question.parse(text, data)
    except AnswersError as exc:
        message = exc.problems[0].message if exc.problems else exc.message
        shown = "" if not values or question.kind == "multi" else values[0]
        if question.kind == "date" and len(values) >= 3:
            shown = date_text(*values[:3])
        raise Refused(shown, message) from None
