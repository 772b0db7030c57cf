"""The one Jinja environment: clause conditions and clause text, sandboxed and strict.

Clause files are data written by lawyers, and answers are data typed by company
secretaries; neither may run code. Everything Jinja evaluates goes through here:
`SandboxedEnvironment` (no attribute tricks), `StrictUndefined` (a misspelt answer name is an
error, never an empty string), and a `finalize` hook that turns the output of every
`{{ }}` into an opaque token, so answer text such as `*`, `[[x]]` or `{{ 7*7 }}` is printed
as typed and never read as markup or template code.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import importlib.util
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import (
    BytecodeCache,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    nodes,
    pass_context,
)
from jinja2.environment import TemplateExpression
from jinja2.parser import Parser
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from drafting.errors import LibraryError

__all__ = [
    "FILTERS",
    "LITERAL_CLOSE",
    "LITERAL_OPEN",
    "Rendered",
    "compile_body",
    "environment",
    "environment_key",
    "evaluate",
    "referenced_paths",
    "render",
]

LITERAL_OPEN = "\ue000"
LITERAL_CLOSE = "\ue001"
_LITERALS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "drafting_literals", default=None
)


# --------------------------------------------------------------------------- filters

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """`n` in words, as the documents write a period ("twenty-eight"); the checklist reads
    them back into figures with the same words."""
    if n < 20:
        return _SMALL[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + (f"-{_SMALL[unit]}" if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_SMALL[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    tail = "" if not rest else (" and " if rest < 100 else " ") + number_words(rest)
    return f"{number_words(thousands)} thousand{tail}"


def _num(value: Any) -> str:
    """A number without a needless `.0`, with up to two decimals."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")


def money(value: Any) -> str:
    """`12000000` -> `£12,000,000`; pence are kept when there are any (`£10.50`)."""
    number = float(value)
    if number.is_integer():
        return f"£{int(number):,}"
    return f"£{number:,.2f}"


def date(value: Any) -> str:
    """`2027-04-01` (text or date) -> `1 April 2027`."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{day.day} {day:%B %Y}"


def percent(value: Any) -> str:
    """`75` -> `75%`, `2.5` -> `2.5%`."""
    return f"{_num(value)}%"


def join_words(items: Any, conjunction: str = "and") -> str:
    """`[a, b, c]` -> `a, b and c`; `join_words('or')` -> `a, b or c`.

    Glossary words (`Wording`) stay library markup when joined; answer text joined with
    them stays literal (see `Wording`).
    """
    items = list(items)
    if any(type(i) is Wording for i in items):
        words = [str(i) if type(i) is Wording else _literal(str(i)) for i in items]
        return Wording(_joined(words, conjunction))
    return _joined([str(i) for i in items], conjunction)


def _joined(words: list[str], conjunction: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


@pass_context
def member_name(context: Context, member_id: Any) -> str:
    """A member id -> its legal name; an unknown id is an error, not a blank."""
    for member in context.get("members") or ():
        if member.get("id") == member_id:
            return str(member["name"])
    raise LibraryError(f"member_name: no member has the id {member_id!r}")


def words(value: Any) -> str:
    """`12` -> `twelve (12)`."""
    number = int(value)
    return f"{number_words(number)} ({number})"


def humanise(value: Any) -> str:
    """`chief_executives` -> `chief executives`.

    Kept so that released clause versions still build; new text uses `words_for`, because
    an answer value with its underscores taken out is still not English.
    """
    return str(value).replace("_", " ")


# --------------------------------------------------------------------------- words for values


class Wording(str):
    """Words from the library's glossary: library markup, read as markup when printed.

    Everything else `{{ }}` prints is answer data and becomes a literal token, but glossary
    words are library text and may hold `[[Defined Term]]`s and `{ref:...}`s. The filters
    below keep a `Wording` a `Wording`, and any answer text they combine with one is put in
    as a literal token first, so answer text is never read as markup whatever the mix.
    """

    __slots__ = ()


_TOKEN_AT_START = re.compile(f"^{LITERAL_OPEN}(\\d+){LITERAL_CLOSE}")
_TOKEN_AT_END = re.compile(f"{LITERAL_OPEN}(\\d+){LITERAL_CLOSE}$")


def _literal(text: str) -> str:
    """`text` as a literal token of the render in progress (plain text outside a render)."""
    store = _LITERALS.get()
    if store is None:
        return text
    store.append(text)
    return f"{LITERAL_OPEN}{len(store) - 1}{LITERAL_CLOSE}"


def _edit_edge(value: Any, first: bool, edit: Any) -> str:
    """Apply `edit` to the start (or end) of `value`, keeping a `Wording` a `Wording`.

    When the edge of a `Wording` is answer text (a literal token), the edited text becomes
    a new literal token, so the edit never turns answer text into markup.
    """
    if type(value) is not Wording:
        return edit(str(value))  # type: ignore[no-any-return]
    store = _LITERALS.get()
    found = (_TOKEN_AT_START if first else _TOKEN_AT_END).search(value)
    if found is None or store is None:
        return Wording(edit(str(value)))
    token = _literal(edit(store[int(found.group(1))]))
    return Wording(value[:found.start()] + token + value[found.end():])


def upper_first(value: Any) -> str:
    """`admitting a new member` -> `Admitting a new member`: the first letter only."""
    return _edit_edge(value, True, lambda t: t[:1].upper() + t[1:])


def _lower(text: str) -> str:
    if len(text) > 1 and (text[1].isupper() or text[1].isdigit()):
        return text  # an acronym (`NHS`, `ICS`) or a code keeps its case
    return text[:1].lower() + text[1:]


def lower_first(value: Any) -> str:
    """`Reduce waiting times` -> `reduce waiting times`, for an item inside a sentence.

    A first word in capitals (`NHS`, `CQC`) is left as it is.
    """
    return _edit_edge(value, True, _lower)


_COUNTS = r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)"
_PARTIES = re.compile(
    rf"\b(?:[Tt]he|[Oo]ur)\s+(?:{_COUNTS}\s+)?"
    r"(?:member\s+|partner\s+)?(?:trusts|partners|members|Members|organisations)\b")


def as_members(value: Any) -> str:
    """`shorten waits across the three trusts` -> `shorten waits across the Members`.

    The answers' own words name the parties collectively ("the three trusts", "our partners",
    "the members"); the document's defined term is "the Members", and a count typed in the
    answers may not match the parties who sign (an observer, a joiner), so the count goes too.
    """
    return _PARTIES.sub("the Members", str(value))


# A service name typed in the answers may end on a describing word ("Adult low and medium
# secure", "Adult eating disorders", "CAMHS inpatient"); in running text it needs a head noun.
# A plural noun used as a describing word becomes singular before "services".
_DESCRIBING = {"secure", "inpatient", "outpatient", "acute", "elective", "specialised",
               "community", "health", "autism", "disorder", "disability"}
_SINGULAR = {"disorders": "disorder", "disabilities": "disability"}


def service_name(value: Any) -> str:
    """`Adult eating disorders` -> `adult eating disorder services`, for a service inside a
    sentence: lower-case first letter (acronyms kept), no trailing stop, and the head noun
    "services" where the name ends on a describing word. Tables keep the name as entered."""
    text = lower_first(trim_end(value))
    head, _, last = text.rpartition(" ")
    word = _SINGULAR.get(last.lower(), last)
    if word.lower() in _DESCRIBING:
        return f"{head} {word} services".strip()
    return text


_END_PUNCTUATION = " \t.,;:"


def trim_end(value: Any) -> str:
    """`Reduce waiting times.` -> `Reduce waiting times`: no trailing full stop, comma,
    semicolon or colon, so the sentence that takes the text punctuates it."""
    return _edit_edge(value, False, lambda t: t.rstrip(_END_PUNCTUATION))


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November"
           "|December")
_DEADLINE = re.compile(
    r",?\s+(?:by|within|before)\s+(?:the\s+end\s+of\s+)?(?:the\s+|its\s+)?"
    r"(?:(?:first|second|third|fourth|fifth|next|\d+|[a-z]+(?:-[a-z]+)?)\s+)?(?:\(\d+\)\s+)?"
    r"(?:years?|months?|quarters?|weeks?|(?:\d{1,2}\s+)?(?:" + _MONTHS + r")\s+\d{4}"
    r"|\d{4}(?:/\d{2,4})?)[\s.,;:]*$", re.IGNORECASE)


def without_deadline(value: Any) -> str:
    """`Agree a business case by the end of the first year` -> `Agree a business case`.

    An answered objective's own time limit is dropped where the text stands beside a
    target date of the library's (a workplan step), so the two never disagree.
    """
    return _edit_edge(value, False, lambda t: _DEADLINE.sub("", t))


def full_stop(value: Any) -> str:
    """End the text with exactly one full stop (a `?` or `!` it ends with is kept)."""
    def edit(text: str) -> str:
        text = text.rstrip(_END_PUNCTUATION)
        return text if text.endswith(("?", "!")) else text + "."
    return _edit_edge(value, False, edit)


def list_end(loop: Any, conjunction: str = "and") -> str:
    """The punctuation after an item of a list of sub-paragraphs in a `{% for %}`:
    `;` after each item, `; and` after the last but one, `.` after the last."""
    if loop.last:
        return "."
    return f"; {conjunction}" if loop.revindex == 2 else ";"


def add_months(value: Any, months: int) -> str:
    """`2027-04-01 | add_months(3)` -> `2027-07-01` (ISO, for `| date`); the 31st of a
    month becomes the last day of a shorter month."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    year, month = divmod(day.month - 1 + int(months), 12)
    year, month = day.year + year, month + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last)).isoformat()


@pass_context
def words_for(context: Context, value: Any, field: str, form: str = "text") -> Any:
    """The glossary's words for an answer value: `governance.quorum | words_for('governance.quorum')`.

    `field` is the answer's dotted name in the answers file (`members.kind` for any
    member, the partner and the lead alike); `form` is `text` (running text, the default)
    or `table` (a table cell). A list of values gives a list of words, for `join_words`.
    An answer that is not given, or a value the glossary lacks, is an error: a raw value
    never reaches a document.
    """
    if form not in ("text", "table"):
        raise LibraryError(f"words_for: the form is 'text' or 'table', not {form!r}")
    glossary = context.get("glossary")
    entries = glossary.get(field) if isinstance(glossary, dict) else None
    if entries is None:
        raise LibraryError(f"words_for: the glossary has no entry {field!r}; add it to "
                           "glossary.yaml in the library")
    index = 0 if form == "text" else 1

    def one(item: Any) -> Wording:
        if item is None:
            raise LibraryError(f"words_for: {field} has no answer here; guard it with {{% if %}}")
        found = entries.get(item if isinstance(item, str) else str(item))
        if found is None:
            raise LibraryError(f"words_for: the glossary has no words for {field} = {item!r}; "
                               "add them to glossary.yaml in the library")
        return Wording(found[index])

    if isinstance(value, (list, tuple)):
        return [one(item) for item in value]
    return one(value)


FILTERS = {
    "money": money, "date": date, "percent": percent, "join_words": join_words,
    "member_name": member_name, "words": words, "humanise": humanise,
    "words_for": words_for, "upper_first": upper_first, "lower_first": lower_first,
    "trim_end": trim_end, "full_stop": full_stop, "list_end": list_end,
    "add_months": add_months, "without_deadline": without_deadline, "as_members": as_members,
    "service_name": service_name,
}


# --------------------------------------------------------------------------- environment


def _finalize(value: Any) -> str:
    """Turn one `{{ }}` result into a token that markup reads as literal text."""
    if type(value) is Wording:  # library words: markup, see `Wording`
        return str.__str__(value)
    text = _num(value) if isinstance(value, float) else str(value)
    store = _LITERALS.get()
    if store is None:  # outside render(): plain text
        return text
    store.append(text)
    return f"{LITERAL_OPEN}{len(store) - 1}{LITERAL_CLOSE}"


def _make_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=False,  # see _standalone_tags: only a tag alone on its line eats the newline
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
        # `{#label}` names a sub-clause in clause markup, so Jinja comments are `{## ##}`.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters.update(FILTERS)
    return env


_ENV = _make_environment()


def environment() -> SandboxedEnvironment:
    """The shared sandboxed, strict environment (for introspection and tests)."""
    return _ENV


def _jinja_line(exc: BaseException, filename: str) -> int | None:
    """The template line where a runtime error happened, from Jinja's rewritten traceback."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line


def _error(exc: BaseException, file: str, line_offset: int, what: str) -> LibraryError:
    line = _jinja_line(exc, file)
    message = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, LibraryError):
        message = exc.message
    message = message.replace("'dict object'", "the answers").replace("jinja2.exceptions.", "")
    return LibraryError(
        f"{what}: {message}; check the spelling against `drafting schema` and the context "
        "described in clauses/README.md",
        file=file,
        line=(line + line_offset) if line is not None else (line_offset + 1 if line_offset else None),
    )


_EXPR_CACHE: dict[str, Any] = {}


def _globals() -> dict[str, Any]:
    """The template globals (`range`, `namespace`, ...) as one plain dict.

    Jinja hands each template a `ChainMap` over the environment's globals, and copies it
    into a new dict at every render; a clause document renders a hundred templates and
    conditions, and iterating a `ChainMap` costs more than the rest of starting a render.
    The environment's globals never change after it is made, so a snapshot is the same.
    """
    return dict(_ENV.make_globals(None))


def evaluate(expression: str, context: dict[str, Any], *, file: str = "<clause>",
             line: int | None = None, cache: BytecodeCache | None = None) -> bool:
    """Evaluate a `when` expression over the answers context; raise `LibraryError` at `file:line`.

    With a `cache` (see `bytecode`), the expression's code is loaded from it, or compiled
    and kept there.
    """
    if expression == "true":  # the default `when` of most clauses: nothing to evaluate
        return True
    try:
        compiled = _EXPR_CACHE.get(expression)
        if compiled is None:
            code = _kept(cache, f"when: {expression}", None, expression,
                         lambda: _condition_code(expression))
            template = _ENV.template_class.from_code(_ENV, code, _globals())
            compiled = TemplateExpression(template, undefined_to_none=False)
            _EXPR_CACHE[expression] = compiled
        return bool(compiled(**context))
    except (TemplateError, LibraryError, TypeError, ValueError, KeyError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        raise LibraryError(
            f"condition {expression!r} cannot be evaluated: {message}", file=file, line=line
        ) from None


class Rendered:
    """The text a clause template produced, with the literal values its `{{ }}` printed."""

    __slots__ = ("literals", "text")

    def __init__(self, text: str, literals: list[str]):
        self.text = text
        self.literals = literals


_TAG_LINE = re.compile(r"^[ \t]*(?:(?:\{%.*?%\}|\{##.*?##\})[ \t]*)+$")
_EAT = "\x1d"


def _standalone_tags(source: str) -> str:
    """Mark lines holding only `{% %}` tags so that their newline disappears from the output.

    Jinja's `trim_blocks` drops the newline after *any* block tag, which would glue
    `- a{% endif %}` to the next `- b` line. Here only a line that is nothing but tags
    vanishes; a tag inside text keeps its line break. Line numbers are unchanged.
    """
    lines = source.split("\n")
    for index, line in enumerate(lines[:-1]):
        if _TAG_LINE.match(line):
            lines[index] = line + _EAT
    return "\n".join(lines)


# --------------------------------------------------------------------------- compiled code

_ENVIRONMENT_KEY: list[str] = []


def environment_key() -> str:
    """A hash of what, besides a template's text and name, decides the code Jinja makes of it.

    That is the versions of Jinja and Python, the environment's settings, and this module's
    source (which makes the environment). Compiled code kept between runs (see `bytecode`)
    is kept under this key, so a new Jinja or a changed environment never runs old code.
    """
    if not _ENVIRONMENT_KEY:
        env = _ENV
        parts = (
            "drafting-templates-2", jinja2.__version__, sys.version,
            importlib.util.MAGIC_NUMBER.hex(), type(env).__name__, env.block_start_string,
            env.block_end_string, env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
            env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
            env.keep_trailing_newline, env.autoescape, env.optimized, env.undefined.__name__,
            getattr(env.finalize, "__qualname__", None),
            getattr(env.finalize, "jinja_pass_arg", None), sorted(env.filters),
            sorted(env.tests), sorted(env.globals), sorted(map(str, env.extensions)),
            hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        )
        _ENVIRONMENT_KEY.append(hashlib.sha256(repr(parts).encode()).hexdigest())
    return _ENVIRONMENT_KEY[0]


def _kept(cache: BytecodeCache | None, name: str, file: str | None, source: str,
          compile_code: Callable[[], CodeType]) -> CodeType:
    """The code of template `name`: from `cache` when it holds code of this very `source`,
    else `compile_code()`, then kept in `cache`. A syntax error is raised and never kept."""
    if cache is None:
        return compile_code()
    bucket = cache.get_bucket(_ENV, name, file, source)
    if bucket.code is None:
        bucket.code = compile_code()
        cache.set_bucket(bucket)
    return bucket.code


def _condition_code(expression: str) -> CodeType:
    """The code `Environment.compile_expression` makes of `expression`, as code to keep."""
    parser = Parser(_ENV, expression, state="variable")
    tree = parser.parse_expression()
    if not parser.stream.eos:
        raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno)
    tree.set_environment(_ENV)
    body = [nodes.Assign(nodes.Name("result", "store"), tree, lineno=1)]
    return _ENV.compile(nodes.Template(body, lineno=1))  # type: ignore[return-value]


def compile_body(source: str, file: str, line_offset: int = 0, *,
                 cache: BytecodeCache | None = None, name: str | None = None) -> Any:
    """Compile a clause body; raise `LibraryError` naming the file line of a syntax error.

    `line_offset` is the number of file lines before the body's first line. With a `cache`
    (see `bytecode`), the code is loaded from it, or compiled and kept there, under `name`
    (default `file`): a clause file holds several templates (variants, definitions), and
    each needs its own name.
    """
    text = _standalone_tags(source)

    def compile_code() -> CodeType:
        return _ENV.compile(text, name=file, filename=file)  # type: ignore[return-value]

    try:
        code = _kept(cache, name or file, file, text, compile_code)
        return _ENV.template_class.from_code(_ENV, code, _globals())
    except TemplateSyntaxError as exc:
        raise LibraryError(f"template syntax: {exc.message}", file=file,
                           line=(exc.lineno or 1) + line_offset) from None


def render(template: Any, context: dict[str, Any], *, file: str, line_offset: int = 0,
           what: str = "clause text") -> Rendered:
    """Render a compiled clause template; `{{ }}` output becomes literal tokens."""
    store: list[str] = []
    token = _LITERALS.set(store)
    try:
        text = template.render(context).replace(_EAT + "\n", "").replace(_EAT, "")
    except (TemplateError, LibraryError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise _error(exc, file, line_offset, what) from None
    finally:
        _LITERALS.reset(token)
    return Rendered(text, store)


# --------------------------------------------------------------------------- introspection


def _chain(node: nodes.Node) -> tuple[str, ...] | None:
    """`governance.voting` or `governance['voting']` as a name path, else None."""
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) \
                and isinstance(node.arg.value, (str, int)):
            value = node.arg.value
            parts.append(value if isinstance(value, str) else "[]")
            node = node.node
        elif isinstance(node, nodes.Name):
            parts.append(node.name)
            return tuple(reversed(parts))
        else:
            return None


def referenced_paths(source: str, *, expression: bool = False) -> Iterator[tuple[tuple[str, ...], int]]:
    """Each dotted name path the template (or expression) reads, with its line.

    Loop variables are reported with `[]` standing for "an item of": in
    `{% for m in members %}{{ m.name }}` the path `members.[].name` is reported.
    """
    source_text = "{{ " + source + " }}" if expression else source
    tree = _ENV.parse(source_text)
    aliases: dict[str, tuple[str, ...]] = {}

    def visit(node: nodes.Node) -> Iterator[tuple[tuple[str, ...], int]]:
        if isinstance(node, nodes.For):
            yield from visit(node.iter)
            iter_path = _chain(node.iter)
            saved = dict(aliases)
            if iter_path is not None and isinstance(node.target, nodes.Name):
                root = aliases.get(iter_path[0], (iter_path[0],))
                aliases[node.target.name] = (*root, *iter_path[1:], "[]")
            elif isinstance(node.target, nodes.Name):
                aliases[node.target.name] = ("?",)
            elif isinstance(node.target, nodes.Tuple):
                for item in node.target.items:
                    if isinstance(item, nodes.Name):
                        aliases[item.name] = ("?",)
            for child in (*node.body, *node.else_):
                yield from visit(child)
            if node.test is not None:
                yield from visit(node.test)
            aliases.clear()
            aliases.update(saved)
            return
        if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            yield from visit(node.node)
            aliases[node.target.name] = ("?",)
            return
        path = _chain(node) if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)) else None
        if path is not None and (not isinstance(node, nodes.Name) or node.ctx == "load"):
            root = aliases.get(path[0], (path[0],))
            yield (*root, *path[1:]), node.lineno
            return
        for child in node.iter_child_nodes():
            yield from visit(child)

    yield from visit(tree)
