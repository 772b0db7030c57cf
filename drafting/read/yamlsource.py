"""Read a YAML answers file into plain data and a map from field paths to file lines.

Why not `yaml.safe_load` alone: every message about an answer must name the line it is on,
and PyYAML throws line numbers away when it builds Python objects. We compose the node tree
once and build both the data and the line map from it.

Two deliberate departures from YAML 1.1 defaults:
- dates stay strings (`2027-02-30` would otherwise crash the loader); the answers model
  parses them and reports an impossible date against its field;
- a key given twice in one mapping is an error, not "the last one wins".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from drafting.errors import AnswersError, Problem

__all__ = ["PathKey", "Source", "format_path", "parse_yaml", "read_yaml"]

PathKey = tuple[str | int, ...]


def format_path(path: PathKey) -> str:
    """Render ``("members", 2, "kind")`` as ``members[2].kind``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser (when PyYAML has it) with the same resolvers: twenty times faster."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_FAST = hasattr(yaml, "CSafeLoader")
# Text libyaml and PyYAML read alike: printable characters, `\n` line breaks and nothing
# they count differently (tabs, `\r`, NEL, the Unicode line separators, a BOM). Written as
# the characters that are not (the class of those that are takes milliseconds to compile).
_NOT_PLAIN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff"
                        "\ufffe\uffff]")


@dataclass
class Source:
    """Answers data as read from one file, with where each field stands in it."""

    data: Any
    file: str
    lines: dict[PathKey, int] = field(default_factory=dict)
    text: str = ""

    def line_of(self, path: PathKey) -> int | None:
        """The line of `path`, or of its nearest ancestor given in the file.

        None only when the file is empty. A field left to its default has no line of
        its own: pointing at the section that would hold it is the most useful answer.
        """
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)


def _problem(file: str, message: str, line: int | None) -> AnswersError:
    return AnswersError([Problem("syntax", "", message, line=line, file=file)], file=file)


def parse_yaml(text: str, file: str = "<answers>") -> Source:
    """Parse YAML text into a `Source`; raise `AnswersError` naming the line on bad syntax.

    Plain text is read with libyaml when PyYAML has it; anything else, and any text that
    does not read cleanly that way, goes through PyYAML's own reader, so every error (and
    its line) is PyYAML's, as it always was.
    """
    if len(text) > MAX_CHARS:
        raise _problem(
            file,
            f"the file is {len(text) // 1024:,} KB; an answers file is far smaller (at most "
            f"{MAX_CHARS // 1024:,} KB): check that this is the answers file",
            None,
        )
    if _FAST and not _NOT_PLAIN.search(text):
        try:
            node = yaml.compose(text, Loader=_FastLoader)  # libyaml stops at 1000 levels
        except Exception:  # noqa: BLE001, S110 - the pure-Python reader reports it exactly
            pass
        else:
            _check_node_depth(node, file)
            return _source(node, text, file)
    _check_depth(text, file)  # PyYAML's composer recurses: measure the nesting first
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}: {what}"
        raise _problem(file, f"this is not valid YAML ({what})", line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors in practice
        raise _problem(file, f"this is not valid YAML ({exc})", None) from None
    return _source(node, text, file)


MAX_CHARS = 1024 * 1024
"""Largest answers file read, in characters: the largest example is under 8 KB."""
MAX_DEPTH = 20
"""Deepest nesting of sections and lists read: an answers file nests at most five deep."""


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` before any tree is built.

    Building a YAML tree recurses once per level, so a file of ten thousand nested brackets
    would end in Python's recursion limit (a traceback, not a message). The event stream is
    read flat, level by level, and stops at the first level too deep.
    """
    try:
        _walk_events(text, file, _Loader)
    except yaml.YAMLError:
        return  # the composer below reports the syntax error, with its line


def _too_deep(file: str, line: int | None) -> AnswersError:
    return _problem(
        file,
        f"the answers are nested more than {MAX_DEPTH} levels deep here; an answers file has "
        "sections, lists and members only a few levels deep",
        line,
    )


def _check_node_depth(node: yaml.Node | None, file: str) -> None:
    """Refuse a composed tree deeper than `MAX_DEPTH` (walked without recursion).

    An alias makes the tree a graph that shares nodes: "a billion laughs" is nine levels of
    ten aliases each. Each node is walked again only when it is reached deeper than before,
    so the walk is linear in the nodes the file writes, and the expansion is left to
    `_source`, which refuses it with a message.
    """
    stack = [(node, 1)] if node is not None else []
    deepest: dict[int, int] = {}
    while stack:
        current, depth = stack.pop()
        if isinstance(current, (yaml.MappingNode, yaml.SequenceNode)):
            if depth > MAX_DEPTH:
                raise _too_deep(file, current.start_mark.line + 1)
            if deepest.get(id(current), 0) >= depth:
                continue
            deepest[id(current)] = depth
            children = (
                [v for pair in current.value for v in pair]
                if isinstance(current, yaml.MappingNode) else current.value
            )
            stack.extend((child, depth + 1) for child in children)


def _walk_events(text: str, file: str, loader: Any) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(file, event.start_mark.line + 1 if event.start_mark else None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _source(node: yaml.Node | None, text: str, file: str) -> Source:
    """The data and line map of a composed node tree."""
    source = Source(data=None, file=file, text=text)
    if node is None:
        return source
    source.lines[()] = node.start_mark.line + 1
    duplicates: list[Problem] = []
    try:
        source.data = _build(node, (), source, duplicates, [MAX_NODES], _Loader(_EMPTY))
    except _TooLarge as exc:
        raise _problem(
            file,
            f"the file expands to more than {MAX_NODES:,} values (through YAML aliases or sheer "
            "size); an answers file is far smaller",
            exc.line,
        ) from None
    if duplicates:
        raise AnswersError(duplicates, file=file)
    return source


def read_yaml(path: str | Path) -> Source:
    """Read an answers file from disk; errors name the file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise _problem(str(p), f"cannot read the file ({exc.strerror})", None) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _problem(str(p), "the file is not UTF-8 text; save it as UTF-8", line) from None
    return parse_yaml(text, str(p))


MAX_NODES = 50_000
"""More values than any real answers file holds: stops "billion laughs" alias bombs."""


class _TooLarge(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _build(
    node: yaml.Node,
    path: PathKey,
    source: Source,
    problems: list[Problem],
    budget: list[int],
    constructor: _Loader,
) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge(node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                key = str(key)
            child = (*path, key if isinstance(key, (str, int)) else str(key))
            line = key_node.start_mark.line + 1
            if key in result:
                problems.append(
                    Problem(
                        "syntax",
                        format_path(child),
                        f"'{key}' is given twice in this section (first on line "
                        f"{source.lines.get(child)}); keep one",
                        line=line,
                        file=source.file,
                    )
                )
                continue
            source.lines[child] = line
            result[key] = _build(value_node, child, source, problems, budget, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            source.lines[child] = item.start_mark.line + 1
            items.append(_build(item, child, source, problems, budget, constructor))
        return items
    return constructor.construct_object(node, deep=True)


_EMPTY = ""
