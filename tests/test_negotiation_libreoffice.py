"""Negotiation rounds over drafts saved and edited by LibreOffice itself.

LibreOffice rewrites a whole .docx when it saves: styles renamed, properties spelled out,
the table of contents rebuilt inside a content control, bookmarks renumbered. A draft
saved by it must inspect as unchanged, carry its answers and provenance through, and
update without losing anything. The edits are made through LibreOffice's own API as a user
makes them (`tests/fixtures/negotiation/lo_edit.py`): typing words into a sentence,
deleting a sub-clause, pressing Enter and typing a paragraph, adding a comment, recording
tracked changes, accepting all of them.

The round trip is checked twice over: the independent reader rejects every change of the
update and must get the returned draft; LibreOffice accepts every change and must get the
text of the new document with the same edits made by LibreOffice in the same way. (LibreOffice
7.4 without its GUI packages aborts when it opens a document with comments in a window, as
accepting changes needs: those files go to it without their comments, which are checked
apart.)
"""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest

from drafting.read.library import load_library
from drafting.read.load import parse_answers
from drafting.review import resolve_package
from drafting.review.negotiation.draft import read_draft
from drafting.review.negotiation.inspect import inspect_draft
from drafting.review.negotiation.update import update_draft
from drafting.review.package import read_package, read_provenance
from drafting.write.docx import read_answers
from tests.fixtures.negotiation import libreoffice as LO
from tests.fixtures.negotiation.drafts import build, comments_text, stories
from tests.fixtures.negotiation.edits import (
    ANSWERS,
    LAWYER,
    LAWYER_EDITED,
    edit,
    member_added,
    notice_changed,
    variant_switched,
)
from tests.fixtures.negotiation.library import NewVersion, newer_library
from tests.fixtures.redline import libreoffice as resolve

missing = LO.uno_available()
pytestmark = pytest.mark.skipif(missing is not None, reason=missing or "")

OPS = [
    {"op": "type", "at": {"bookmark": "_Ref_principles_good_faith"}, "after": " ",
     "text": "always "},
    {"op": "delete", "at": {"bookmark": "_Ref_dispute_resolution_confidential"}},
    {"op": "insert", "at": {"bookmark": "_Ref_voting_written"},
     "text": "The Board keeps its minutes for ten years."},
    {"op": "comment", "at": {"bookmark": "_Ref_staffing_model"}, "find": " ",
     "text": "Check this with each trust's HR director.", "author": "A Lawyer"},
]
"""A lawyer's edits in clauses that none of the changes below touch."""
EDITED = {"principles", "dispute-resolution", "voting"}
CHANGES: dict[str, Callable[[str], str] | None] = {
    "member added": member_added, "notice changed": notice_changed,
    "variant switched": variant_switched, "new clause version": None,
}


def _texts(data: bytes) -> list[str]:
    """Every paragraph's text, body and table cells, in order, as python-docx reads them."""
    doc = docx.Document(io.BytesIO(data))
    out: list[str] = []
    body = doc.element.body
    for el in body.iter(docx.oxml.ns.qn("w:p")):
        out.append("".join(t.text or "" for t in el.iter(docx.oxml.ns.qn("w:t"))))
    return out


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory) -> dict[str, bytes]:
    """The drafts LibreOffice saved or edited, the updates of the edited one, and what
    LibreOffice makes of the updates when it accepts every change."""
    folder = tmp_path_factory.mktemp("libreoffice")
    newer = newer_library(folder, NewVersion(
        "withdrawal", "Notice must be reviewed first.",
        append="- A [[Member]] reviews its [[Withdrawal Notice]] with the [[Board]] first."))
    original = build()
    text = ANSWERS.read_text(encoding="utf-8")
    news = {name: build(change(text)) if change else build(library=newer)
            for name, change in CHANGES.items()}
    jobs = {
        "plain": (original, []),
        # Edited with python-docx, then opened and saved again in LibreOffice.
        "docx edited": (edit(original, *LAWYER), []),
        "new docx edited": (edit(news["member added"], *LAWYER), []),
        "edited": (original, OPS),
        "pending": (original, [{"op": "track", "on": True}, *OPS[:1]]),
        **{f"new {name}": (data, OPS) for name, data in news.items()},
    }
    saved = LO.edit(jobs, folder)
    library = load_library()
    out: dict[str, bytes] = {**saved, "original": original}
    for name, change in CHANGES.items():
        answers = parse_answers(change(text), "new.yaml") if change else None
        lib = library if change else load_library(newer)
        result = update_draft(read_draft(saved["edited"]), lib, answers, author="A Reviewer")
        out[f"update {name}"] = result.data
    answers = parse_answers(member_added(text), "new.yaml")
    out["update docx edited"] = update_draft(read_draft(saved["docx edited"]), library,
                                             answers).data
    accepted = resolve.resolve({name: out[f"update {name}"] for name in CHANGES}, folder)
    out.update({f"accepted {name}": accepted[f"{name}.accept"] for name in CHANGES})
    return out


def test_a_draft_saved_by_libreoffice_keeps_its_answers_and_reads_as_unchanged(round_trip):
    saved = round_trip["plain"]
    assert read_answers(saved)[0] == ANSWERS.read_text(encoding="utf-8")
    assert read_provenance(read_package(saved)) == \
        read_provenance(read_package(round_trip["original"]))
    report = inspect_draft(read_draft(saved), load_library())
    assert {c.status for c in report.clauses} == {"unchanged"}
    assert report.added == [] and report.front == []
    result = update_draft(read_draft(saved), load_library())
    assert result.data == saved  # nothing new: not a byte changed


def test_edits_made_with_python_docx_survive_a_libreoffice_save(round_trip):
    resaved = round_trip["docx edited"]
    report = inspect_draft(read_draft(resaved), load_library())
    status = {c.id: c.status for c in report.clauses}
    assert {k for k, v in status.items() if v == "edited"} == LAWYER_EDITED
    assert {k for k, v in status.items() if v == "deleted"} == {"lead-provider-veto"}
    assert [a["text"] for a in report.added] == [
        "Publicity", ("No Member makes a public statement about this Agreement without the "
                      "Board's approval.")]
    assert "Check this with each trust's HR director." in comments_text(resaved)
    assert update_draft(read_draft(resaved), load_library()).data == resaved
    update = round_trip["update docx edited"]
    assert stories(update, "reject") == stories(resaved, "accept")
    # Accepting every change reads as the new document with the same edits, saved alike.
    assert _texts(resolve_package(update, "accept")) == _texts(round_trip["new docx edited"])
    assert "Check this with each trust's HR director." in comments_text(update)


def test_edits_made_in_libreoffice_are_found_clause_by_clause(round_trip):
    report = inspect_draft(read_draft(round_trip["edited"]), load_library())
    assert {c.id for c in report.clauses if c.status != "unchanged"} == EDITED
    assert report.added == []
    principles = next(c for c in report.clauses if c.id == "principles")
    assert next(p for p in principles.diff[0] if p.op != "equal").text.strip() == "always"
    assert "Check this with each trust's HR director." in comments_text(round_trip["edited"])


@pytest.mark.parametrize("change", list(CHANGES))
def test_update_of_a_libreoffice_draft_round_trips(change, round_trip):
    update = round_trip[f"update {change}"]
    # Rejecting every change gives the returned draft, as the independent reader sees it.
    assert stories(update, "reject") == stories(round_trip["edited"], "accept")
    # LibreOffice accepting every change gives the new document with the lawyer's edits.
    assert _texts(round_trip[f"accepted {change}"]) == _texts(round_trip[f"new {change}"])
    assert "Check this with each trust's HR director." in comments_text(update)


def test_libreoffice_accepting_the_changes_keeps_the_clauses_and_the_next_round(round_trip):
    accepted = round_trip["accepted member added"]
    new_text = member_added(ANSWERS.read_text(encoding="utf-8"))
    assert read_answers(accepted)[0] == new_text
    report = inspect_draft(read_draft(accepted), load_library())
    assert {c.id for c in report.clauses if c.status != "unchanged"} == EDITED
    again = update_draft(read_draft(accepted), load_library())
    assert again.data == accepted


def test_changes_tracked_in_libreoffice_are_pending(round_trip):
    draft = read_draft(round_trip["pending"])
    assert sum(draft.pending.values()) > 0
    report = inspect_draft(draft, load_library())
    assert {c.id for c in report.clauses if c.pending} == {"principles"}
    from drafting.errors import DraftError

    with pytest.raises(DraftError, match="accept or reject the pending changes first"):
        update_draft(draft, load_library(),
                     parse_answers(notice_changed(ANSWERS.read_text(encoding="utf-8")), "n"))


def test_conflict_comments_are_made_without_libreoffice_and_survive_its_save(tmp_path,
                                                                             round_trip):
    # An update that keeps an edit adds a comment; LibreOffice opens such a file without a
    # window, and keeps the comment and the tracked changes when it saves.
    ops = [{"op": "type", "at": {"bookmark": "_Ref_withdrawal_right"}, "after": " ",
            "text": "also "}]
    edited = LO.edit({"conflict": (round_trip["original"], ops)}, tmp_path)["conflict"]
    new = parse_answers(notice_changed(ANSWERS.read_text(encoding="utf-8")), "new.yaml")
    result = update_draft(read_draft(edited), load_library(), new)
    assert result.conflicts
    saved = LO.edit({"saved": (result.data, [])}, tmp_path / "again")["saved"]
    assert "the notice period (12 → 6)" in comments_text(saved)
    assert stories(saved, "reject") == stories(edited, "accept")
