"""The parsed library kept between runs: the same library from it, never stale, never in the
library folder, never broken by a damaged file, off when asked.

`load_library` also remembers libraries within one process, so each check forgets them
first (`fresh`): what is measured is what a new process would read.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from drafting.errors import LibraryError
from drafting.read import bytecode, library, snapshot
from drafting.read.library import Library, load_library
from tests.conftest import ANSWERS_DIR, ROOT

MERSEY = ANSWERS_DIR / "mersey-elective-hub.yaml"


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty cache folder of this test's own, and the cache on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(bytecode.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(bytecode.NO_CACHE_ENV, raising=False)
    return folder


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the bundled library, free to edit."""
    folder = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", folder)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The library folders read from their files (not from a snapshot), in order."""
    seen: list[Path] = []
    real = library._read_all

    def counted(root: Path, *args: object) -> object:
        seen.append(root)
        return real(root, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "_read_all", counted)
    return seen


def fresh(path: Path | None = None) -> Library:
    """`load_library` as a new process runs it: nothing remembered in this one."""
    library._CACHE.clear()
    return load_library(path)


def snapshots(cache: Path) -> list[Path]:
    folder = cache / snapshot.FOLDER
    return sorted(folder.iterdir()) if folder.is_dir() else []


def fields(lib: Library) -> list[dict[str, object]]:
    """Everything read about every clause and schedule version (not where code is kept)."""
    return [{f.name: getattr(c, f.name) for f in dataclasses.fields(c) if f.name != "cache"}
            for items in (lib.clauses, lib.schedules) for versions in items.values()
            for c in versions]


def test_a_snapshot_gives_the_library_its_files_give(cache: Path, copy: Path,
                                                     reads: list[Path]) -> None:
    first = fresh(copy)
    assert reads == [copy] and len(snapshots(cache)) == 1
    second = fresh(copy)
    assert reads == [copy]  # read from the snapshot, no file parsed
    assert second is not first
    assert fields(second) == fields(first)
    assert second.glossary == first.glossary and second.checklist == first.checklist
    assert second.version == first.version
    assert all(c.cache is not None and c.cache.path == second.cache.path  # type: ignore[union-attr]
               for items in (second.clauses, second.schedules)
               for versions in items.values() for c in versions)


def test_an_edited_clause_is_read_afresh(cache: Path, copy: Path, reads: list[Path]) -> None:
    before = fresh(copy).get("mou-review")
    path = before.path
    path.write_text(path.read_text(encoding="utf-8").replace(
        f"title: {before.title}", "title: Reviewing the Memorandum"), encoding="utf-8")
    after = fresh(copy).get("mou-review")
    assert reads == [copy, copy] and len(snapshots(cache)) == 2
    assert after.title == "Reviewing the Memorandum" != before.title


def test_an_edited_front_matter_changes_the_draft(copy: Path, tmp_path: Path) -> None:
    """In real processes sharing one cache: the draft follows the library's files."""
    cache = tmp_path / "shared-cache"
    env = {k: v for k, v in os.environ.items() if k != bytecode.NO_CACHE_ENV}
    env[bytecode.CACHE_DIR_ENV] = str(cache)

    def mou(out: str) -> str:
        subprocess.run([sys.executable, "-m", "drafting", "assemble", str(MERSEY), "-o",
                        str(tmp_path / out), "--library", str(copy)], env=env, cwd=ROOT,
                       check=True, capture_output=True, timeout=300)
        return "\n".join(p.text for p in docx.Document(str(tmp_path / out / "mou.docx")).paragraphs)

    mou("before")
    clause = max((copy / "mou-review").glob("v*.md"), key=lambda p: int(p.stem[1:]))
    title = next(line for line in clause.read_text(encoding="utf-8").split("\n")
                 if line.startswith("title: "))[len("title: "):]
    assert title in mou("again")  # drafted from the snapshot
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        f"title: {title}", "title: Looking Again at the Memorandum"), encoding="utf-8")
    text = mou("after")
    assert "Looking Again at the Memorandum" in text and title not in text
    assert len(snapshots(cache)) == 2


def test_another_drafting_version_reads_afresh(cache: Path, copy: Path, reads: list[Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    fresh(copy)
    kept = snapshot.path_for(copy, "same content")
    monkeypatch.setattr(snapshot, "__version__", "99.0")
    assert snapshot.path_for(copy, "same content") != kept
    fresh(copy)
    assert reads == [copy, copy] and len(snapshots(cache)) == 2


def test_a_moved_library_names_its_own_files(cache: Path, copy: Path, tmp_path: Path,
                                             reads: list[Path]) -> None:
    fresh(copy)
    moved = tmp_path / "moved"
    shutil.copytree(copy, moved)
    lib = fresh(moved)
    assert reads == [copy, moved]
    assert all(c.path.is_relative_to(moved) for versions in lib.clauses.values()
               for c in versions)


@pytest.mark.parametrize("damage", [b"", b"\x80", b"not a snapshot", "half", "other"])
def test_a_damaged_snapshot_is_ignored_and_written_again(cache: Path, copy: Path,
                                                         reads: list[Path],
                                                         damage: bytes | str) -> None:
    expected = fields(fresh(copy))
    [kept] = snapshots(cache)
    whole = kept.read_bytes()
    if damage == "half":
        kept.write_bytes(whole[: len(whole) // 2])
    elif damage == "other":  # a readable snapshot of something else
        snapshot.save(kept, {"clauses": "not these"})
    else:
        kept.write_bytes(damage)  # type: ignore[arg-type]
    assert fields(fresh(copy)) == expected
    assert reads == [copy, copy]
    assert kept.read_bytes() == whole  # written again
    fresh(copy)
    assert reads == [copy, copy]


def test_no_cache_reads_the_files_and_writes_nothing(cache: Path, copy: Path,
                                                     reads: list[Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bytecode.NO_CACHE_ENV, "1")
    fresh(copy)
    fresh(copy)
    assert reads == [copy, copy]
    assert not cache.exists()


def test_never_written_into_the_library_folder(monkeypatch: pytest.MonkeyPatch, copy: Path,
                                               tmp_path: Path) -> None:
    """The default cache folder is the user's, wherever the library is."""
    monkeypatch.delenv(bytecode.CACHE_DIR_ENV)
    monkeypatch.delenv(bytecode.NO_CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    before = sorted(p.relative_to(copy) for p in copy.rglob("*"))
    fresh(copy)
    assert sorted(p.relative_to(copy) for p in copy.rglob("*")) == before
    kept = [p for p in (tmp_path / "user-cache").rglob("*.pickle")]
    assert len(kept) == 1 and kept[0].parent.name == snapshot.FOLDER


def test_a_broken_library_is_refused_and_never_kept(cache: Path, copy: Path) -> None:
    clause = max((copy / "mou-review").glob("v*.md"), key=lambda p: int(p.stem[1:]))
    clause.write_text(clause.read_text(encoding="utf-8").replace("status: current",
                                                                 "status: finished"),
                      encoding="utf-8")
    for _ in range(2):  # and again: the error is not remembered away
        with pytest.raises(LibraryError, match="status"):
            fresh(copy)
    assert snapshots(cache) == []


def test_a_folder_that_cannot_be_written_just_means_reading(monkeypatch: pytest.MonkeyPatch,
                                                            copy: Path, tmp_path: Path,
                                                            reads: list[Path]) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(bytecode.CACHE_DIR_ENV, str(blocked))
    monkeypatch.delenv(bytecode.NO_CACHE_ENV, raising=False)
    assert fields(fresh(copy)) == fields(fresh(copy))
    assert reads == [copy, copy] and blocked.read_text() == "not a folder"


def test_old_snapshots_are_removed(cache: Path, copy: Path) -> None:
    folder = cache / snapshot.FOLDER
    folder.mkdir(parents=True)
    for age in range(bytecode.KEEP + 3):
        old = folder / f"old-{age:02d}.pickle"
        old.write_bytes(b"")
        os.utime(old, (1_000_000 + age, 1_000_000 + age))
    fresh(copy)
    left = sorted(p.name for p in folder.iterdir())
    newest = [f"old-{age:02d}.pickle" for age in range(4, bytecode.KEEP + 3)]
    assert len(left) == bytecode.KEEP and set(newest) < set(left)
