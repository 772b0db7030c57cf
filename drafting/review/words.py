"""Word-level differences between two strings, the way a reviewer reads them.

Text is cut into words, runs of white space and single punctuation marks; difflib
aligns the two token lists. A lone space or punctuation mark left "unchanged" between two
changes is folded into them, so "the Board may" -> "a Committee must" reads as one
replacement rather than three.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "PAIR_THRESHOLD",
    "Segment",
    "align",
    "align_region",
    "diff_words",
    "matching_opcodes",
    "similarity",
    "tokenize",
]

PAIR_THRESHOLD = 0.5
"""Two paragraphs whose words are at least this alike are shown as one edited paragraph."""

MYERS_LIMIT = 400
"""The most inserted plus deleted blocks `matching_opcodes` looks for before it settles for
difflib's faster, greedier alignment (two drafts that share next to nothing)."""

ALIGN_LIMIT = 40_000
"""Above this many old x new pairs in one replaced stretch, blocks are not paired."""

_TOKEN = re.compile(r"\w+|\s+|.", re.UNICODE | re.DOTALL)

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class Segment:
    """One piece of a word diff: `op` over ``old[a0:a1]`` and/or ``new[b0:b1]`` (offsets)."""

    op: Op
    a0: int
    a1: int
    b0: int
    b1: int


def tokenize(text: str) -> list[str]:
    """Words, runs of white space and single other characters, in order; joined they give `text`."""
    return _TOKEN.findall(text)


def _offsets(tokens: list[str]) -> list[int]:
    offsets = [0]
    for tok in tokens:
        offsets.append(offsets[-1] + len(tok))
    return offsets


def _is_glue(tokens: list[str]) -> bool:
    return all(not tok.strip() or (len(tok) == 1 and not tok.isalnum()) for tok in tokens)


def diff_words(old: str, new: str) -> list[Segment]:
    """Segments that turn `old` into `new`: equal runs, deletions, insertions, in reading order.

    A replacement comes out as a deletion followed by an insertion. Offsets are character
    offsets into `old` (a0, a1) and `new` (b0, b1).
    """
    ta, tb = tokenize(old), tokenize(new)
    oa, ob = _offsets(ta), _offsets(tb)
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    ops = matcher.get_opcodes()
    # Fold glue (a space, a comma) sitting between two changes into a single replacement.
    merged: list[tuple[str, int, int, int, int]] = []
    for i, (opcode, i1, i2, j1, j2) in enumerate(ops):
        tag: str = opcode
        if (
            tag == "equal"
            and 0 < i < len(ops) - 1
            and merged
            and merged[-1][0] != "equal"
            and ops[i + 1][0] != "equal"
            and _is_glue(ta[i1:i2])
        ):
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            prev = merged[-1]
            merged[-1] = ("replace", prev[1], i2, prev[3], j2)
        else:
            merged.append((tag, i1, i2, j1, j2))
    segments: list[Segment] = []
    for kind, i1, i2, j1, j2 in merged:
        a0, a1, b0, b1 = oa[i1], oa[i2], ob[j1], ob[j2]
        if kind == "equal":
            segments.append(Segment("equal", a0, a1, b0, b1))
            continue
        if a1 > a0:
            segments.append(Segment("delete", a0, a1, b0, b0))
        if b1 > b0:
            segments.append(Segment("insert", a1, a1, b0, b1))
    return segments


def similarity(old: str, new: str) -> float:
    """How alike two texts are, 0.0 to 1.0, by their words (1.0 for two empty texts)."""
    if old == new:
        return 1.0
    ta, tb = tokenize(old), tokenize(new)
    if not ta or not tb:
        return 0.0
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    if matcher.real_quick_ratio() < 0.3 or matcher.quick_ratio() < 0.3:
        return matcher.quick_ratio()
    return matcher.ratio()


def align_region(
    okeys: Sequence[tuple[str, str]], nkeys: Sequence[tuple[str, str]]
) -> list[tuple[int | None, int | None]]:
    """Pair blocks of a replaced stretch by similarity (weighted LCS); the rest stand alone.

    Returns (old, new) index pairs in order, with None for an unpaired side; deletions
    come before insertions between two pairs.
    """
    n_old, n_new = len(okeys), len(nkeys)
    pairs: list[tuple[int, int]] = []
    if n_old and n_new and n_old * n_new <= ALIGN_LIMIT:
        score = [[0.0] * (n_new + 1) for _ in range(n_old + 1)]
        back: list[list[int]] = [[0] * (n_new + 1) for _ in range(n_old + 1)]
        for i in range(n_old - 1, -1, -1):
            for j in range(n_new - 1, -1, -1):
                best, move = score[i + 1][j], 1
                if score[i][j + 1] > best:
                    best, move = score[i][j + 1], 2
                ko, kn = okeys[i], nkeys[j]
                if ko[0] == kn[0] and ko[0] != "other":
                    sim = similarity(ko[1], kn[1])
                    threshold = PAIR_THRESHOLD if ko[0] == "p" else 0.3
                    if sim >= threshold and score[i + 1][j + 1] + sim > best:
                        best, move = score[i + 1][j + 1] + sim, 3
                score[i][j], back[i][j] = best, move
        i = j = 0
        while i < n_old and j < n_new:
            move = back[i][j]
            if move == 3:
                pairs.append((i, j))
                i, j = i + 1, j + 1
            elif move == 1:
                i += 1
            else:
                j += 1
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    for pi, pj in [*pairs, (n_old, n_new)]:
        out.extend((k, None) for k in range(i, pi))
        out.extend((None, k) for k in range(j, pj))
        if pi < n_old and pj < n_new:
            out.append((pi, pj))
        i, j = pi + 1, pj + 1
    return out


def align(old: Sequence[str], new: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """Align two lists of paragraph texts: equal ones by difflib, then similar ones pair up."""
    okeys = [("p", text) for text in old]
    nkeys = [("p", text) for text in new]
    matcher = difflib.SequenceMatcher(None, okeys, nkeys, autojunk=False)
    steps: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps.extend(zip(range(i1, i2), range(j1, j2)))
            continue
        for a, b in align_region(okeys[i1:i2], nkeys[j1:j2]):
            steps.append((None if a is None else a + i1, None if b is None else b + j1))
    return steps


def matching_opcodes(
    a: Sequence[object], b: Sequence[object]
) -> list[tuple[str, int, int, int, int]]:
    """Opcodes as difflib's ``get_opcodes`` gives them, from a longest common subsequence.

    difflib matches the longest block first, so one paragraph that happens to equal a
    paragraph far away (a repeated heading, an edited paragraph's old text) can pair the
    two across the whole document and leave everything between shown deleted and inserted.
    Myers' algorithm keeps the most blocks unchanged instead; it is fast when the drafts
    differ little, which is what a redline compares. Beyond MYERS_LIMIT differences it
    falls back to difflib.
    """
    n, m = len(a), len(b)
    pre = 0
    while pre < n and pre < m and a[pre] == b[pre]:
        pre += 1
    suf = 0
    while suf < n - pre and suf < m - pre and a[n - 1 - suf] == b[m - 1 - suf]:
        suf += 1
    core = _myers_pairs(a[pre:n - suf], b[pre:m - suf])
    if core is None:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        return matcher.get_opcodes()
    pairs = [(i, i) for i in range(pre)]
    pairs += [(i + pre, j + pre) for i, j in core]
    pairs += [(n - suf + t, m - suf + t) for t in range(suf)]
    opcodes: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for pi, pj in [*pairs, (n, m)]:
        if pi > i or pj > j:
            tag = "replace" if pi > i and pj > j else "delete" if pi > i else "insert"
            opcodes.append((tag, i, pi, j, pj))
        if pi < n and pj < m:
            if opcodes and opcodes[-1][0] == "equal" and opcodes[-1][2] == pi \
                    and opcodes[-1][4] == pj:
                last = opcodes[-1]
                opcodes[-1] = ("equal", last[1], pi + 1, last[3], pj + 1)
            else:
                opcodes.append(("equal", pi, pi + 1, pj, pj + 1))
        i, j = pi + 1, pj + 1
    return opcodes


def _myers_pairs(a: Sequence[object], b: Sequence[object]) -> list[tuple[int, int]] | None:
    """The matched (i, j) index pairs of a shortest edit script, or None past MYERS_LIMIT."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return []
    limit = min(n + m, MYERS_LIMIT)
    offset = limit + 1
    v = [0] * (2 * limit + 3)
    trace: list[list[int]] = []
    for d in range(limit + 1):
        trace.append(v[:])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            v[offset + k] = x
            if x >= n and y >= m:
                return _myers_backtrack(trace, offset, n, m, d)
    return None


def _myers_backtrack(trace: list[list[int]], offset: int, n: int, m: int,
                     d_end: int) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    x, y = n, m
    for d in range(d_end, -1, -1):
        v = trace[d]
        k = x - y
        if d == 0:
            prev_x = prev_y = 0
        else:
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                prev_k = k + 1
            else:
                prev_k = k - 1
            prev_x = v[offset + prev_k]
            prev_y = prev_x - prev_k
        while x > prev_x and y > prev_y:
            x, y = x - 1, y - 1
            pairs.append((x, y))
        if d > 0:
            x, y = prev_x, prev_y
    pairs.reverse()
    return pairs
