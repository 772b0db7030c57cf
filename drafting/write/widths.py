"""Table column widths: the model's preferred shares, each column wide enough for its longest word.

A word wider than its column is broken inside it ("Independen t") by Word and LibreOffice
alike, and a client reading the PDF sees a broken word. So the writer gives each table fixed
column widths in twips, computed here from the text: a column whose share of the page is too
narrow for its longest word gets the width that word needs, and the others share the rest in
their proportions.

Words are measured with `_ADVANCE`, the widest advance of each character among the fonts a
reader may see the document in: the frames' body font is Cambria, which Word uses;
LibreOffice uses its metric twin Caladea when installed and DejaVu Serif when not; Liberation
Serif is the other usual stand-in. Each is taken regular and bold (headers are bold). A
column wide enough by this measure is wide enough in any of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["column_widths", "word_width", "words"]

# Advance widths in thousandths of an em of the printable ASCII characters, from " " to
# "~": the widest of Cambria's twin Caladea, DejaVu Serif and Liberation Serif, regular and
# bold (DejaVu Serif Bold, nearly always).
_ASCII = (
    348, 439, 555, 838, 696, 1000, 903, 306, 473, 473, 523, 838, 348, 415, 348, 505,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 369, 369, 838, 838, 838, 586,
    1000, 776, 845, 796, 867, 762, 710, 854, 945, 468, 500, 869, 703, 1107, 914, 871,
    752, 871, 831, 722, 744, 872, 776, 1123, 776, 722, 730, 473, 505, 473, 838, 500,
    500, 648, 699, 609, 699, 636, 430, 699, 727, 380, 362, 693, 380, 1058, 727, 667,
    699, 699, 527, 563, 462, 727, 581, 861, 596, 581, 568, 643, 364, 643, 838,
)
_ADVANCE = {chr(32 + i): width for i, width in enumerate(_ASCII)}
_ADVANCE.update({"£": 696, "€": 696, "–": 500, "—": 1000, "‘": 348, "’": 348, "“": 575,
                 "”": 575, "\u00a0": 348})
_WIDEST = 1123
"""For a character of none of the above and no ASCII base letter: as wide as "W"."""


def _advance(char: str) -> int:
    found = _ADVANCE.get(char)
    if found is None:  # an accented letter is as wide as its base letter
        base = unicodedata.normalize("NFKD", char)[:1]
        found = _ADVANCE.get(base, _WIDEST) if base != char else _WIDEST
        _ADVANCE[char] = found
    return found


_BREAK = re.compile(r"\s+|(?<=-)(?=[^\W\d_])")
"""Where a line may break: at spaces, and after a hyphen followed by a letter
("Llewelyn-|Jones", as Word and LibreOffice break it; never "SR5-|3XB")."""


def words(text: str) -> list[str]:
    """The pieces of `text` that a line never breaks: words, and parts of hyphenated words."""
    return [w for w in _BREAK.split(text) if w]


def word_width(word: str, half_points: int) -> int:
    """The width of `word` in twips at a font size of `half_points` (Word's `w:sz`).

    A twip is 1/20 point, so an em of `half_points` is `half_points * 10` twips.
    """
    return -(-sum(_advance(c) for c in word) * half_points * 10 // 1000)


def column_widths(columns: Sequence[Sequence[str]], shares: Sequence[int], total: int, *,
                  half_points: int, padding: int) -> list[int]:
    """Widths in twips, adding up to `total`, for columns holding the texts `columns`.

    Each column gets at least its longest word (see `words`) plus `padding`
    (its cell margins), and otherwise its part of `total` by `shares` (equal shares when
    `shares` does not give one per column). When even the longest words do not fit in
    `total`, every column gets the same fraction of what it needs.
    """
    count = len(columns)
    if count == 0:
        return []
    if len(shares) != count or any(s <= 0 for s in shares):
        shares = [1] * count
    need = [padding + max((word_width(w, half_points) for text in texts for w in words(text)),
                          default=0) for texts in columns]
    if sum(need) >= total:
        exact = [n * total / sum(need) for n in need]
    else:
        fixed: dict[int, float] = {}
        while True:
            free = total - sum(fixed.values())
            rest = [i for i in range(count) if i not in fixed]
            weight = sum(shares[i] for i in rest)
            short = [i for i in rest if free * shares[i] / weight < need[i]]
            if not short:
                break
            fixed.update((i, need[i]) for i in short)
        exact = [fixed[i] if i in fixed else free * shares[i] / weight for i in range(count)]
    widths = [int(w) for w in exact]
    widest = max(range(count), key=lambda i: widths[i])
    widths[widest] += total - sum(widths)
    return widths
