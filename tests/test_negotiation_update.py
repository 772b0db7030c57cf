"""`drafting update` and `drafting inspect` over drafts edited with python-docx.

A lawyer's edits (words typed, a word replaced or made bold, a sub-clause deleted, a
paragraph inserted, a comment, a whole clause deleted, a clause of their own added) are
made to the largest example's agreement. Then the answers change (a member added, the
notice period changed, another deadlock variant) or the library gets a new clause
version. Every edit must survive: rejecting every change of the update gives the returned
draft back exactly, and accepting every change gives the new document with the same
edits made to it, both read by the independent reader (`drafting.review.oracle`).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from drafting.cli import main
from drafting.errors import DraftError, LibraryError
from drafting.read.library import load_library
from drafting.read.load import parse_answers
from drafting.review import resolve_package
from drafting.review.negotiation.draft import read_draft
from drafting.review.negotiation.inspect import inspect_draft, to_json
from drafting.review.negotiation.update import update_draft
from drafting.review.package import read_package, read_provenance
from drafting.review.revisions import count_revisions
from drafting.write.docx import read_answers
from tests.fixtures.negotiation.drafts import build, comments_text, stories
from tests.fixtures.negotiation.edits import (
    ANSWERS,
    LAWYER,
    LAWYER_EDITED,
    by_bookmark,
    edit,
    member_added,
    notice_changed,
    retitle,
    type_after,
    variant_switched,
)
from tests.fixtures.negotiation.library import NewVersion, current_file, newer_library

EDITED = LAWYER_EDITED
CHANGES: dict[str, Callable[[str], str]] = {
    "member added": member_added, "notice changed": notice_changed,
    "variant switched": variant_switched,
}


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def original() -> bytes:
    return build()


@pytest.fixture(scope="module")
def returned(original: bytes) -> bytes:
    return edit(original, *LAWYER)


def _texts(data: bytes, bookmark: str) -> str:
    return by_bookmark(docx.Document(io.BytesIO(data)), bookmark).text


def _new_answers(change: Callable[[str], str]):
    return parse_answers(change(ANSWERS.read_text(encoding="utf-8")), "new.yaml")


def test_a_draft_carries_its_answers_and_the_same_inputs_give_the_same_bytes(original):
    text = ANSWERS.read_text(encoding="utf-8")
    assert read_answers(original) == (text, hashlib.sha256(text.encode()).hexdigest())
    assert read_provenance(read_package(original))["answers_sha256"] == \
        hashlib.sha256(text.encode()).hexdigest()
    assert build() == original


def test_answers_xml_cannot_hold_as_text_are_kept_exactly():
    from drafting.write import oxml

    tricky = "name: A & B <Trust> \"quoted\" ü\r\n# a carriage return, a tab\t\x85 end\n"
    item, _props = oxml.answers_xml_item(tricky, "x")
    assert b'encoding="base64"' in item
    assert oxml.read_answers_xml(item) == (tricky, "x")
    plain = "name: A & B <Trust> \"q\" 'single' ü\n  indented:   spaces   \n\n"
    item, _props = oxml.answers_xml_item(plain, "y")
    assert b"base64" not in item and b"&amp; B &lt;Trust&gt;" in item
    assert oxml.read_answers_xml(item) == (plain, "y")


def test_inspect_finds_exactly_the_edited_clauses(returned, library):
    report = inspect_draft(read_draft(returned), library)
    status = {c.id: c.status for c in report.clauses}
    assert {k for k, v in status.items() if v == "edited"} == EDITED
    assert {k for k, v in status.items() if v == "deleted"} == {"lead-provider-veto"}
    assert status["staffing"] == "unchanged"  # a comment is not an edit
    assert [a["text"] for a in report.added] == [
        "Publicity", ("No Member makes a public statement about this Agreement without the "
                      "Board's approval.")]
    assert {a["after"] for a in report.added} == {"variation"}
    voting = next(c for c in report.clauses if c.id == "voting")
    assert [[(p.op, p.text) for p in para] for para in voting.diff] == [
        [("insert", "The Board keeps its minutes for ten years.")]]
    principles = next(c for c in report.clauses if c.id == "principles")
    assert [p.op for p in principles.diff[0]] == ["equal", "insert", "equal"]
    assert principles.diff[0][1].text == " always"
    reporting = next(c for c in report.clauses if c.id == "reporting")
    assert [p.op for p in reporting.diff[0]] == ["format"]
    data = to_json(report)
    assert {"document", "answers_sha256", "clauses", "added"} <= set(data)
    assert set(data["clauses"][0]) >= {"id", "version", "status", "diff"}
    assert data["document"] == "collaboration_agreement"


def test_inspect_of_a_draft_as_written_finds_nothing(original, library):
    report = inspect_draft(read_draft(original), library)
    assert {c.status for c in report.clauses} == {"unchanged"}
    assert report.added == [] and report.front == [] and not report.pending
    provenance = read_provenance(read_package(original))
    names = [c["id"] for c in provenance["clauses"]]
    names += [f"schedule:{s['id']}" for s in provenance["schedules"]]
    assert [c.id for c in report.clauses] == names


def test_a_retitled_clause_is_still_that_clause(original, library):
    # Typing over a heading takes its bookmark with it; the heading's place says which it is.
    draft = edit(original, retitle("_Ref_staffing", "Staff and secondments"))
    report = inspect_draft(read_draft(draft), library)
    assert {c.id: c.status for c in report.clauses if c.status != "unchanged"} == \
        {"staffing": "edited"}
    assert report.added == []


def test_update_with_unchanged_inputs_changes_nothing(original, returned, library):
    for data in (original, returned):
        result = update_draft(read_draft(data), library)
        assert result.data == data
        assert not result.changed


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_update_keeps_every_edit_and_tracks_every_change(change, returned, library):
    new_text = CHANGES[change](ANSWERS.read_text(encoding="utf-8"))
    result = update_draft(read_draft(returned), library, parse_answers(new_text, "new.yaml"),
                          author="A Reviewer")
    assert result.applied and not result.conflicts
    new = build(new_text)
    assert stories(result.data, "reject") == stories(returned, "accept")
    assert stories(result.data, "accept") == stories(edit(new, *LAWYER), "accept")
    assert sum(count_revisions(read_package(result.data).document()).values()) > 0
    # The next round starts from the new answers and provenance.
    assert read_answers(result.data)[0] == new_text
    assert read_provenance(read_package(result.data)) == read_provenance(read_package(new))
    assert "Check this with each trust's HR director." in comments_text(result.data)
    assert b"<w:commentReference" in zipfile.ZipFile(io.BytesIO(result.data)).read(
        "word/document.xml")


def test_the_next_round_sees_only_the_negotiated_edits(returned, library):
    new_text = member_added(ANSWERS.read_text(encoding="utf-8"))
    result = update_draft(read_draft(returned), library, parse_answers(new_text, "new.yaml"))
    accepted = resolve_package(result.data, "accept")
    report = inspect_draft(read_draft(accepted), library)
    assert {c.id for c in report.clauses if c.status == "edited"} == EDITED
    assert {c.id for c in report.clauses if c.status == "deleted"} == {"lead-provider-veto"}
    again = update_draft(read_draft(accepted), library)  # the same answers again: no change
    assert again.data == accepted


def test_both_sides_changed_the_same_paragraph_the_draft_wins_with_a_comment(original,
                                                                              library):
    draft = edit(original, type_after("_Ref_withdrawal_right", None, " also"), *LAWYER)
    new_text = notice_changed(ANSWERS.read_text(encoding="utf-8"))
    result = update_draft(read_draft(draft), library, parse_answers(new_text, "new.yaml"))
    assert len(result.conflicts) == 1 and result.conflicts[0].startswith("withdrawal:")
    assert stories(result.data, "reject") == stories(draft, "accept")
    accepted = resolve_package(result.data, "accept")
    assert _texts(accepted, "_Ref_withdrawal_right") == _texts(draft, "_Ref_withdrawal_right")
    note = comments_text(result.data)
    assert "the notice period (12 → 6)" in note
    assert _texts(build(new_text), "_Ref_withdrawal_right") in note
    # Everything else is the new document with the lawyer's edits.
    expected = edit(build(new_text), *LAWYER)
    got, want = stories(accepted), stories(expected)
    kept = _texts(draft, "_Ref_withdrawal_right")
    assert [line for line in got["body"] if line not in want["body"]] == \
        [line for line in stories(draft)["body"] if line.endswith(kept)]


@pytest.fixture(scope="module")
def newer(tmp_path_factory) -> Path:
    """The bundled library with new versions of the withdrawal clause (new words at the
    start of its first sub-clause, a new sub-clause, a reworded definition) and of the
    members schedule (a new paragraph)."""
    folder = tmp_path_factory.mktemp("library")
    return newer_library(
        folder,
        NewVersion("withdrawal", "Notice must be in writing; a member reviews its notice.",
                   prefix=("right", "Subject to clause {ref:withdrawal.review},"),
                   append="- {#review} A [[Member]] reviews its [[Withdrawal Notice]] with "
                          "the [[Board]] before giving it.",
                   define=("Withdrawal Notice", ("a notice in writing given by a [[Member]] "
                                                 "under clause {ref:withdrawal} that it will "
                                                 "leave, stating the date"))),
        NewVersion("schedule:members", "Representatives' changes are notified.",
                   append="Each Member tells the Board in writing when its representative "
                          "changes."),
    )


def test_a_new_clause_version_is_applied_around_the_edits(returned, newer):
    library = load_library(newer)
    result = update_draft(read_draft(returned), library)
    assert result.applied and not result.conflicts
    new = build(library=newer)
    assert stories(result.data, "reject") == stories(returned, "accept")
    assert stories(result.data, "accept") == stories(edit(new, *LAWYER), "accept")
    versions = {c["id"]: c["version"] for c in read_provenance(read_package(result.data))
                ["clauses"]}
    assert versions["withdrawal"] == int(current_file(newer, "withdrawal").stem[1:])
    # The definition the new version rewords is changed too: the base read the draft's
    # pinned version's definition, not the library's current one.
    accepted = resolve_package(result.data, "accept")
    assert "a notice in writing given by a Member" in " ".join(
        p.text for p in docx.Document(io.BytesIO(accepted)).paragraphs)


def test_a_new_version_of_an_edited_paragraph_leaves_a_comment_with_its_change_note(
        original, newer):
    draft = edit(original, type_after("_Ref_withdrawal_right", None, " also"))
    result = update_draft(read_draft(draft), load_library(newer))
    assert [c.split(":")[0] for c in result.conflicts] == ["withdrawal"]
    note = comments_text(result.data)
    version = int(current_file(newer, "withdrawal").stem[1:])
    assert f"the library has version {version} of clause withdrawal" in note
    assert "Notice must be in writing; a member reviews its notice." in note
    assert stories(result.data, "reject") == stories(draft, "accept")


def test_a_draft_with_pending_changes_is_refused_unless_allowed(returned, library):
    pending = update_draft(read_draft(returned), library,
                           _new_answers(notice_changed)).data
    with pytest.raises(DraftError, match="accept or reject the pending changes first"):
        update_draft(read_draft(pending), library, _new_answers(member_added))
    result = update_draft(read_draft(pending), library, _new_answers(member_added),
                          allow_pending=True)
    assert result.notes and "count as accepted" in result.notes[0]
    assert stories(result.data, "reject") == stories(resolve_package(pending, "accept"))
    report = inspect_draft(read_draft(pending), library)
    assert sum(report.pending.values()) > 0
    assert any(c.pending for c in report.clauses)


def test_a_recorded_version_the_library_lacks_is_named(newer):
    draft = build(library=newer)
    version = int(current_file(newer, "withdrawal").stem[1:])
    with pytest.raises(LibraryError, match=f"clause 'withdrawal' version {version}"):
        inspect_draft(read_draft(draft), load_library())


def test_not_made_by_drafting_is_said_so(tmp_path, original):
    blank = io.BytesIO()
    docx.Document().save(blank)
    with pytest.raises(DraftError, match="was not made by `drafting`"):
        read_draft(blank.getvalue())
    source = zipfile.ZipFile(io.BytesIO(original))
    stripped = io.BytesIO()
    with zipfile.ZipFile(stripped, "w") as z:
        for name in source.namelist():
            data = source.read(name)
            if b"urn:drafting:answers" not in data or not name.startswith("customXml/item"):
                z.writestr(name, data)
    with pytest.raises(DraftError, match="does not carry the answers"):
        read_draft(stripped.getvalue())


# --- the command line --------------------------------------------------------------------


def _run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_update_command(runner, tmp_path, returned):
    draft = tmp_path / "agreement.docx"
    draft.write_bytes(returned)
    answers = tmp_path / "new.yaml"
    answers.write_text(member_added(ANSWERS.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "agreement-v2.docx"
    result = _run(runner, "update", draft, "--answers", answers, "-o", out, "--author",
                  "A Reviewer", "--check")
    assert result.exit_code == 0, result.output
    assert "changes applied as tracked changes" in result.stderr
    assert "check: rejecting all changes gives the returned draft" in result.stderr
    assert b'w:author="A Reviewer"' in zipfile.ZipFile(out).read("word/document.xml")
    again = _run(runner, "update", draft, "--answers", answers, "-o", out)
    assert again.exit_code == 1 and "already exists; use --force" in again.stderr
    written = out.read_bytes()
    forced = _run(runner, "update", draft, "--answers", answers, "-o", out, "--force",
                  "--author", "A Reviewer")
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes() == written  # same inputs, same bytes
    pending = _run(runner, "update", out, "-o", tmp_path / "v3.docx")
    assert pending.exit_code == 1
    assert "accept or reject the pending changes first" in pending.stderr
    assert not (tmp_path / "v3.docx").exists()
    same = _run(runner, "update", draft, "-o", tmp_path / "same.docx")
    assert same.exit_code == 0 and "no change" in same.stderr
    assert (tmp_path / "same.docx").read_bytes() == returned
    wrong = _run(runner, "update", draft, "-o", tmp_path / "same.pdf")
    assert wrong.exit_code == 1 and "give the output a .docx name" in wrong.stderr


def test_inspect_command(runner, tmp_path, returned):
    draft = tmp_path / "agreement.docx"
    draft.write_bytes(returned)
    result = _run(runner, "inspect", draft, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {c["id"] for c in data["clauses"] if c["status"] == "edited"} == EDITED
    text = _run(runner, "inspect", draft)
    assert "edited     principles" in text.stdout
    assert "{+always+}" in text.stdout
    assert "5 edited, 1 deleted" in text.stdout


def test_commands_refuse_what_is_not_a_draft(runner, tmp_path):
    notes = tmp_path / "notes.docx"
    notes.write_text("not a zip", encoding="utf-8")
    result = _run(runner, "inspect", notes)
    assert result.exit_code == 1 and "is not a Word document" in result.stderr
    blank = tmp_path / "blank.docx"
    docx.Document().save(str(blank))
    result = _run(runner, "update", blank, "-o", tmp_path / "out.docx")
    assert result.exit_code == 1 and "was not made by `drafting`" in result.stderr
    assert not (tmp_path / "out.docx").exists()
