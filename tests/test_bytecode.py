"""The compiled-template cache: same bytes from it, never stale, never broken, off when asked.

Each claim is checked in real `drafting` processes, as users run it: a process keeps
compiled templates in memory, so only a new process shows what the folder gives back.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from jinja2.bccache import bc_magic

from drafting.read import bytecode
from drafting.read.conditions import compile_body, environment_key, render
from drafting.read.library import ClauseVersion, load_library
from tests.conftest import ANSWERS_DIR, ROOT

MERSEY = ANSWERS_DIR / "mersey-elective-hub.yaml"


def drafting(*args: str, cache: Path, off: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `drafting` in a new process with its cache in `cache` (turned off with `off`)."""
    env = {k: v for k, v in os.environ.items() if k != bytecode.NO_CACHE_ENV}
    env[bytecode.CACHE_DIR_ENV] = str(cache)
    if off:
        env[bytecode.NO_CACHE_ENV] = "1"
    result = subprocess.run([sys.executable, "-m", "drafting", *args], env=env, cwd=ROOT,
                            check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def cache_files(cache: Path) -> dict[Path, tuple[int, int]]:
    """Every kept file, with its inode and modification time (changed by any rewrite)."""
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in cache.rglob("*") if p.is_file()}


def compiled(files: dict[Path, tuple[int, int]]) -> dict[Path, tuple[int, int]]:
    """The compiled templates among kept files (the parsed library is kept beside them)."""
    return {p: v for p, v in files.items() if p.parent.parent.name == "templates"}


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The example drafted four times: filling the cache, from it, without it, from damaged
    files."""
    tmp = tmp_path_factory.mktemp("cache-runs")
    cache, unused = tmp / "cache", tmp / "unused-cache"
    unused.mkdir()
    drafting("assemble", str(MERSEY), "-o", str(tmp / "first"), cache=cache)
    filled = cache_files(cache)
    drafting("assemble", str(MERSEY), "-o", str(tmp / "second"), cache=cache)
    after_hit = cache_files(cache)
    drafting("assemble", str(MERSEY), "-o", str(tmp / "off"), cache=unused, off=True)
    damages = [b"", bc_magic[:3], bc_magic + b"\x80garbage", b"not a cache file at all"]
    for index, path in enumerate(sorted(filled)):
        data = path.read_bytes()
        path.write_bytes([data[: len(data) // 2], *damages][index % (len(damages) + 1)])
    drafting("assemble", str(MERSEY), "-o", str(tmp / "damaged"), cache=cache)
    return {"tmp": tmp, "cache": cache, "unused": unused, "filled": filled,
            "after_hit": after_hit, "repaired": cache_files(cache)}


class TestCacheAcrossProcesses:
    def test_first_run_keeps_the_templates_it_compiles(self, runs: dict) -> None:
        filled = compiled(runs["filled"])
        assert len(filled) > 10  # a document's clauses, variants, definitions and conditions
        assert all(p.suffix == ".code" and p.read_bytes() for p in filled)
        folders = {p.parent for p in filled}
        assert len(folders) == 1 and next(iter(folders)).parent == runs["cache"] / "templates"

    def test_only_the_templates_the_document_uses_are_compiled(self, runs: dict) -> None:
        folder = next(iter(compiled(runs["filled"]))).parent
        cache = bytecode.LibraryCache(folder)
        library = load_library()

        def kept(clause: ClauseVersion) -> bool:
            names = [f"{clause.path}#{v}" for v in ("", *(v.id for v in clause.variants))]
            return any((folder / f"{cache.get_cache_key(n, str(clause.path))}.code").exists()
                       for n in names)

        assert kept(library.get("mou-review"))  # in the MOU, the one document drafted
        elsewhere = [c for c in library.current() if "mou" not in c.documents]
        assert elsewhere and not any(kept(c) for c in elsewhere)

    def test_a_hit_gives_the_same_bytes_and_compiles_nothing(self, runs: dict) -> None:
        tmp = runs["tmp"]
        assert outputs(tmp / "second") == outputs(tmp / "first")
        after_hit, filled = runs["after_hit"], runs["filled"]
        assert compiled(after_hit) == compiled(filled)  # nothing compiled, so nothing rewritten
        # the parsed library is read, not written again (only its time of use is touched)
        assert {p: ino for p, (ino, _) in after_hit.items()} == \
            {p: ino for p, (ino, _) in filled.items()}

    def test_no_cache_gives_the_same_bytes_and_writes_nothing(self, runs: dict) -> None:
        tmp = runs["tmp"]
        assert outputs(tmp / "off") == outputs(tmp / "first")
        assert list(runs["unused"].iterdir()) == []

    def test_damaged_files_are_ignored_and_written_again(self, runs: dict) -> None:
        tmp = runs["tmp"]
        assert outputs(tmp / "damaged") == outputs(tmp / "first")
        repaired = runs["repaired"]
        assert set(repaired) == set(runs["filled"])
        assert all(repaired[p] != runs["filled"][p] for p in repaired)  # every one rewritten
        assert all(p.read_bytes().startswith(bc_magic) for p in compiled(repaired))


def test_an_edited_clause_is_compiled_afresh(tmp_path: Path) -> None:
    library = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", library)
    cache = tmp_path / "cache"
    drafting("assemble", str(MERSEY), "-o", str(tmp_path / "before"), "--library", str(library),
             cache=cache)
    current = max((library / "mou-review").glob("v*.md"), key=lambda p: int(p.stem[1:]))
    clause = current  # the version the draft uses
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        "every three months", "every two months"),
        encoding="utf-8")
    drafting("assemble", str(MERSEY), "-o", str(tmp_path / "after"), "--library", str(library),
             cache=cache)

    def text(folder: Path) -> str:
        return "\n".join(p.text for p in docx.Document(str(folder / "mou.docx")).paragraphs)

    once = "reviews the work under this memorandum every three months"
    twice = "reviews the work under this memorandum every two months"
    assert once in text(tmp_path / "before") and twice not in text(tmp_path / "before")
    assert twice in text(tmp_path / "after") and once not in text(tmp_path / "after")
    assert len(list((cache / "templates").iterdir())) == 2  # one folder per library version


def test_parallel_workers_share_one_cache(tmp_path: Path) -> None:
    """`drafting batch --jobs 2` fills one empty cache from two processes at once."""
    answers = tmp_path / "answers"
    answers.mkdir()
    for example in sorted(ANSWERS_DIR.glob("*.yaml")):
        for copy in range(2):
            shutil.copy(example, answers / f"{example.stem}-{copy}.yaml")
    cache = tmp_path / "cache"
    drafting("batch", str(answers), "-o", str(tmp_path / "cached"), "--jobs", "2", cache=cache)
    drafting("batch", str(answers), "-o", str(tmp_path / "plain"), "--jobs", "1",
             cache=tmp_path / "unused", off=True)
    for folder in sorted((tmp_path / "plain").iterdir()):
        assert outputs(tmp_path / "cached" / folder.name) == outputs(folder), folder.name
    kept = [p for p in cache.rglob("*") if p.is_file()]
    code = [p for p in kept if p.suffix == ".code"]
    snapshots = [p for p in kept if p.suffix == ".pickle"]
    assert code and len(snapshots) == 1  # the parsed library, kept once
    assert len(code) + len(snapshots) == len(kept)  # no temporary file left behind
    assert all(p.read_bytes().startswith(bc_magic) for p in code)


class TestCacheFolder:
    def test_the_folder_is_chosen_by_the_environment(self, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
        monkeypatch.setenv(bytecode.CACHE_DIR_ENV, str(tmp_path))
        monkeypatch.delenv(bytecode.NO_CACHE_ENV, raising=False)
        assert bytecode.cache_root() == tmp_path
        cache = bytecode.for_library("1.0+abc")
        assert cache is not None
        assert cache.path == tmp_path / "templates" / f"1.0+abc-{environment_key()[:16]}"
        monkeypatch.setenv(bytecode.NO_CACHE_ENV, "0")
        assert bytecode.cache_root() == tmp_path
        monkeypatch.setenv(bytecode.NO_CACHE_ENV, "1")
        assert bytecode.cache_root() is None and bytecode.for_library("1.0+abc") is None

    def test_default_is_the_user_cache_folder(self, monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
        monkeypatch.delenv(bytecode.CACHE_DIR_ENV)
        monkeypatch.delenv(bytecode.NO_CACHE_ENV, raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # where Linux keeps user caches
        if sys.platform.startswith("linux"):
            assert bytecode.cache_root() == tmp_path / "drafting"
        else:
            assert bytecode.cache_root() is not None

    def test_a_folder_that_cannot_be_made_just_means_compiling(self, tmp_path: Path) -> None:
        blocked = tmp_path / "a-file"
        blocked.write_text("not a folder")
        cache = bytecode.LibraryCache(blocked / "templates" / "lib")
        template = compile_body("Hello {{ name }}.", "c.md", cache=cache)
        assert render(template, {"name": "Ada"}, file="c.md").literals == ["Ada"]
        assert blocked.read_text() == "not a folder"

    def test_old_library_folders_are_removed(self, tmp_path: Path) -> None:
        templates = tmp_path / "templates"
        for age in range(bytecode.KEEP + 3):
            old = templates / f"old-{age:02d}"
            old.mkdir(parents=True)
            (old / "x.code").write_bytes(b"")
            os.utime(old, (1_000_000 + age, 1_000_000 + age))
        cache = bytecode.LibraryCache(templates / "new")
        compile_body("Hello.", "c.md", cache=cache)
        left = sorted(p.name for p in templates.iterdir())
        newest = [f"old-{age:02d}" for age in range(4, bytecode.KEEP + 3)]
        assert left == sorted([*newest, "new"]) and len(left) == bytecode.KEEP
