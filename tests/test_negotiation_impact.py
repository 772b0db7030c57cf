"""`drafting impact`: the drafts under a folder that a new clause or schedule version affects.

A pack is drafted with the bundled library into a folder tree (with a file that is not a
draft beside it); the library then gets a new version of a clause and of a schedule. The
rows must name exactly the drafts that use the superseded versions, with the change notes;
`--write-updates` writes each affected draft's update (tracked changes, the new versions
recorded) and never replaces a file without `--force`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from drafting.cli import main
from drafting.review import resolve_package
from drafting.review.package import read_package, read_provenance
from drafting.review.revisions import count_revisions
from tests.fixtures.negotiation.drafts import build, stories
from tests.fixtures.negotiation.edits import ANSWERS, edit, type_after
from tests.fixtures.negotiation.library import NewVersion, current_file, newer_library

WITHDRAWAL = "Notice must be in writing; a member reviews its notice."
MEMBERS = "Representatives' changes are notified."


@pytest.fixture(scope="module")
def newer(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("impact-library")
    return newer_library(
        folder,
        NewVersion("withdrawal", WITHDRAWAL,
                   append="- A [[Member]] reviews its [[Withdrawal Notice]] with the "
                          "[[Board]] before giving it."),
        NewVersion("schedule:members", MEMBERS,
                   append="Each Member tells the Board in writing when its representative "
                          "changes."),
    )


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> Path:
    """The example's pack under `round-1/`, one agreement edited by a lawyer under
    `returned/`, and a file that is not a draft."""
    folder = tmp_path_factory.mktemp("drafts")
    pack = folder / "round-1"
    result = _run("assemble", ANSWERS, "-o", pack)
    assert result.exit_code == 0, result.output
    (folder / "returned").mkdir()
    agreement = (pack / "collaboration-agreement.docx").read_bytes()
    (folder / "returned" / "agreement.docx").write_bytes(
        edit(agreement, type_after("_Ref_withdrawal_right", None, " also")))
    (folder / "returned" / "notes.docx").write_text("not a Word file", encoding="utf-8")
    return folder


def _run(*args: object):
    from click.testing import CliRunner

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _version(root: Path, name: str) -> int:
    return int(current_file(root, name).stem[1:])


def _uses(path: Path, name: str) -> bool:
    provenance = read_provenance(read_package(path))
    ids = [c["id"] for c in provenance["clauses"]]
    ids += [f"schedule:{s['id']}" for s in provenance["schedules"]]
    return name in ids


def test_impact_lists_exactly_the_drafts_using_superseded_versions(drafts, newer):
    result = _run("impact", drafts, "--library", newer, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    files = sorted(p.relative_to(drafts).as_posix() for p in drafts.rglob("*.docx")
                   if p.name != "notes.docx")
    expected = sorted(
        (f, name) for f in files for name in ("withdrawal", "schedule:members")
        if _uses(drafts / f, name))
    assert sorted((r["file"], r["clause"]) for r in rows) == expected
    assert {"returned/agreement.docx", "round-1/collaboration-agreement.docx"} <= \
        {r["file"] for r in rows}
    for row in rows:
        assert set(row) == {"file", "document", "clause", "version", "current", "change"}
        name = row["clause"]
        assert row["current"] == _version(newer, name) == row["version"] + 1
        assert row["change"] == f"v{row['current']}: " + (
            WITHDRAWAL if name == "withdrawal" else MEMBERS)
    assert "skipped: returned/notes.docx: is not a Word document" in result.stderr


def test_impact_with_the_library_the_drafts_were_made_with_finds_nothing(drafts):
    result = _run("impact", drafts, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    text = _run("impact", drafts)
    assert text.stdout.strip().endswith("0 of 7 drafts use superseded versions "
                                        "(0 clauses or schedules)")


def test_impact_text_names_each_draft_and_clause(drafts, newer):
    result = _run("impact", drafts, "--library", newer)
    assert result.exit_code == 0, result.output
    version = _version(newer, "withdrawal")
    assert (f"returned/agreement.docx (collaboration_agreement): withdrawal "
            f"v{version - 1} -> v{version}: v{version}: {WITHDRAWAL}") in result.stdout


def test_write_updates_writes_each_affected_draft_once_and_never_overwrites(drafts, newer,
                                                                            tmp_path):
    out = tmp_path / "round-2"
    result = _run("impact", drafts, "--library", newer, "--write-updates", out)
    assert result.exit_code == 0, result.output
    rows = json.loads(_run("impact", drafts, "--library", newer, "--format", "json").stdout)
    affected = sorted({r["file"] for r in rows})
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx")) == affected
    # Each is the draft with the new versions as tracked changes, recorded for the next round.
    for name in affected:
        data = (out / name).read_bytes()
        assert sum(count_revisions(read_package(data).document()).values()) > 0
        assert stories(data, "reject") == stories((drafts / name).read_bytes(), "accept")
        versions = {c["id"]: c["version"] for c in read_provenance(read_package(data))["clauses"]}
        if "withdrawal" in versions:
            assert versions["withdrawal"] == _version(newer, "withdrawal")
    # The lawyer's edit is kept; the unedited agreement becomes the new one exactly.
    accepted = resolve_package((out / "returned/agreement.docx").read_bytes(), "accept")
    assert any("also" in line.split() for line in stories(accepted)["body"])
    fresh = resolve_package((out / "round-1/collaboration-agreement.docx").read_bytes(),
                            "accept")
    assert stories(fresh) == stories(build(library=newer))
    before = {p: p.read_bytes() for p in out.rglob("*.docx")}
    again = _run("impact", drafts, "--library", newer, "--write-updates", out)
    assert again.exit_code == 1 and "use --force" in again.stderr
    assert {p: p.read_bytes() for p in out.rglob("*.docx")} == before
    forced = _run("impact", drafts, "--library", newer, "--write-updates", out, "--force")
    assert forced.exit_code == 0, forced.output


def test_a_version_the_library_does_not_have_is_named(drafts, newer, tmp_path):
    # Drafted with the newer library, scanned against the bundled one.
    folder = tmp_path / "newer-drafts"
    folder.mkdir()
    (folder / "agreement.docx").write_bytes(build(library=newer))
    result = _run("impact", folder)
    assert result.exit_code == 1
    version = _version(newer, "withdrawal")
    assert f"agreement.docx: uses clause 'withdrawal' version {version}; the library has " \
        "version" in result.stderr
    assert "give --library the library they were drafted from" in result.stderr


def test_impact_of_a_missing_folder_is_an_error(tmp_path):
    result = _run("impact", tmp_path / "nowhere")
    assert result.exit_code == 1 and "is not a folder" in result.stderr


def test_update_command_names_a_recorded_version_the_library_lacks(newer, tmp_path):
    draft = tmp_path / "agreement.docx"
    draft.write_bytes(build(library=newer))
    version = _version(newer, "withdrawal")
    result = _run("update", draft, "-o", tmp_path / "out.docx")
    assert result.exit_code == 1
    assert f"uses clause 'withdrawal' version {version}" in result.stderr
    assert not (tmp_path / "out.docx").exists()
    shutil.copy(draft, tmp_path / "copy.docx")
    fine = _run("update", tmp_path / "copy.docx", "--library", newer, "-o", tmp_path / "out.docx")
    assert fine.exit_code == 0 and "no change" in fine.stderr
