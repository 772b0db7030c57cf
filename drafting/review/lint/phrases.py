"""Find many phrases in a text at once, fast, and remember what was found in each text.

Why: lint looks for a few hundred phrases (the library's defined terms, proper names, the
vocabulary, answer values) in a million paragraphs, most of which are the same library
text drafted again for another collaborative. Two things keep that quick:

- the phrases become one regular expression shaped as a trie (`(?:Lead (?:Provider|...)|...)`),
  so at each position the engine follows one branch instead of trying every phrase;
- what was found in a text is remembered (`PhraseIndex.finditer` is a bounded cache keyed
  by the text), so a paragraph drafted two hundred times is searched once.

A phrase matches whole words, optionally in its plural or possessive form (`casting vote`
finds `casting votes`); the longest phrase at a position wins. A space in a phrase matches
any run of white space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Hit", "PhraseIndex", "phrase_index", "trie_pattern"]

_SUFFIX = "(?:e?s|'s|’s|s'|s’)?"
_SUFFIXES = ("'s", "’s", "s'", "s’", "es", "s")
_CACHE_SIZE = 1 << 16


@dataclass(frozen=True)
class Hit:
    """A phrase found: where (`start`, `end` in the text), and which phrase."""

    start: int
    end: int
    phrase: str


def trie_pattern(phrases: Iterable[str]) -> str:
    """A regular expression matching any of `phrases`, longest first, as a trie."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        branches = [(r"\s+" if char == " " else re.escape(char)) + emit(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


class PhraseIndex:
    """Phrases to look for in texts; `finditer(text)` gives the hits, left to right."""

    def __init__(self, phrases: Iterable[str], *, ignore_case: bool = True,
                 plurals: bool = True):
        self.ignore_case = ignore_case
        self.plurals = plurals
        self._names: dict[str, str] = {}
        for phrase in phrases:
            if phrase.strip():
                self._names.setdefault(self._fold(" ".join(phrase.split())), phrase)
        self._pattern = re.compile(
            r"(?<![\w-])(?:" + trie_pattern(self._names) + ")"
            + (_SUFFIX if plurals else "") + r"(?![\w-])",
            re.IGNORECASE if ignore_case else 0) if self._names else None
        self._cache: dict[str, tuple[Hit, ...]] = {}

    def _fold(self, text: str) -> str:
        return text.lower() if self.ignore_case else text

    def _phrase(self, found: str) -> str:
        key = self._fold(" ".join(found.split()))
        name = self._names.get(key)
        if name is None and self.plurals:
            for suffix in _SUFFIXES:
                if key.endswith(suffix) and key[: -len(suffix)] in self._names:
                    return self._names[key[: -len(suffix)]]
        return name if name is not None else found

    def finditer(self, text: str) -> tuple[Hit, ...]:
        """Every phrase in `text`, left to right, none overlapping."""
        found = self._cache.get(text)
        if found is None:
            found = () if self._pattern is None else tuple(
                Hit(m.start(), m.end(), self._phrase(m.group()))
                for m in self._pattern.finditer(text))
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[text] = found
        return found

    def search(self, text: str) -> Hit | None:
        """The first phrase in `text`, or None."""
        if self._pattern is None:
            return None
        match = self._pattern.search(text)
        return Hit(match.start(), match.end(), self._phrase(match.group())) if match else None


@lru_cache(maxsize=64)
def phrase_index(phrases: tuple[str, ...], ignore_case: bool = True,
                 plurals: bool = True) -> PhraseIndex:
    """A `PhraseIndex`, built once for the same phrases (and kept with what it found)."""
    return PhraseIndex(phrases, ignore_case=ignore_case, plurals=plurals)
