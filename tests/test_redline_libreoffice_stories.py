"""Drafts written by LibreOffice, and LibreOffice's own accept-all and reject-all.

The pairs are the rich draft of `corpus` and its edited copy, each saved by python-docx or
passed through LibreOffice's .docx writer. The redline is then resolved by LibreOffice
itself through its UNO API (`.uno:AcceptAllTrackedChanges` / `.uno:RejectAllTrackedChanges`,
in `fixtures/redline/lo_resolve.py`), saved, and read back by the independent reader:
every story must equal LibreOffice's own save of NEW (accept) and of OLD (reject).

Two things LibreOffice 7.4 cannot do are left out of the edits it resolves, and said
here rather than hidden: it does not apply a tracked change around an equation (it keeps
both the deleted and the inserted formula), and it keeps a change only in the first of the
sections that share one header or footer part.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.review import check_redline, compare_packages, read_stories
from drafting.review.package import read_package
from tests.fixtures.redline import corpus as C
from tests.fixtures.redline import libreoffice as L

DATE = "2026-11-23T09:00:00Z"

missing = L.uno_available()
needs_uno = pytest.mark.skipif(missing is not None, reason=missing or "")


def every_story_edited(spec: C.Spec) -> C.Spec:
    """One edit in each story LibreOffice resolves: body, footnotes, endnotes, picture, text
    box, merged cell, first-page header, even-page footer, a header that gains a paragraph,
    a deleted passage holding a footnote, a paragraph inserted before a table."""
    n = C.edit_item(spec, 0, 2, 2, C.Text(" to run shared clinical services. "))
    n = C.edit_item(n, 0, 2, 1, C.Note("The Members are listed in Schedule 2."))
    n = C.edit_item(n, 1, 4, 3, C.Note("Counted at the end of the meeting.", endnote=True))
    n = C.edit_item(n, 0, 4, 1, C.Picture(0xA02020))
    n = C.edit_item(n, 1, 2, 1, C.TextBox("Key point: the Board decides.|Reserved matters "
                                          "need a special majority."))
    n = C.edit_cell(n, 0, 6, 1, 1, "NHS foundation trust")
    n = C.edit_story(n, 1, "headers", "first", "Governance - cover")
    n = C.edit_story(n, 1, "footers", "even", "Even footer, amended")
    n = C.edit_story(n, 2, "headers", "default", "Schedules|Part A")
    n = C.edit_block(n, 1, 1, None)
    return C.insert_block(n, 0, 6, C.Para((C.Text("The Members are:"),)))


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes]]:
    folder = tmp_path_factory.mktemp("lo-pairs")
    old, new = C.build(C.rich()), C.build(every_story_edited(C.rich()))
    return {
        "python-docx": (old, new),
        "libreoffice": (C.resave(old, folder, "old"), C.resave(new, folder, "new")),
    }


@pytest.mark.parametrize("writer", ["python-docx", "libreoffice"])
def test_every_story_round_trips(pairs: dict[str, tuple[bytes, bytes]], writer: str) -> None:
    old, new = pairs[writer]
    result = compare_packages(read_package(old), read_package(new), date=DATE)
    assert check_redline(result.data, old, new) == []
    assert {"body", "footnotes", "endnotes"} <= set(result.stories)
    # LibreOffice writes each section's headers its own way (page styles), so the names
    # differ by writer; three headers or footers were edited either way.
    assert len([s for s in result.stories if s.startswith(("header", "footer"))]) >= 3


@needs_uno
@pytest.mark.parametrize("writer", ["python-docx", "libreoffice"])
def test_libreoffice_accept_and_reject_agree(pairs: dict[str, tuple[bytes, bytes]], writer: str,
                                             tmp_path: Path) -> None:
    old, new = pairs[writer]
    red = compare_packages(read_package(old), read_package(new), date=DATE).data
    lo = L.resolve({"redline": red, "old": old, "new": new}, tmp_path)
    accepted = read_stories(lo["redline.accept"], None)
    rejected = read_stories(lo["redline.reject"], None)
    assert accepted == read_stories(lo["new.plain"], None)
    assert rejected == read_stories(lo["old.plain"], None)
    # The proof has teeth: LibreOffice's NEW and OLD differ in the stories edited.
    differ = {k for k, v in read_stories(lo["new.plain"], None).items()
              if v != read_stories(lo["old.plain"], None).get(k)}
    assert {"body", "footnotes", "endnotes"} <= differ


def test_resaved_draft_shows_no_formatting_change(tmp_path: Path) -> None:
    """A draft saved again by LibreOffice: same look written another way (explicit table
    style spacing, theme fonts named, properties reordered, rsids, languages)."""
    import random

    from tests.fixtures.redline import drafts as D

    old = D.build_draft(D.random_clauses(random.Random(7), 4))
    new = C.resave(old, tmp_path, "resaved")
    result = compare_packages(read_package(old), read_package(new), date=DATE)
    # Numbering written on each paragraph instead of by the style, table-style spacing and
    # document defaults made explicit, theme fonts and colours named, styles renamed: none
    # of it is a formatting change.
    assert result.counts["formatting"] == 0
    assert result.counts["insertions"] == result.counts["deletions"] == 0
    assert check_redline(result.data, old, new) == []
