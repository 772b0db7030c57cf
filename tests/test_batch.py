"""`drafting batch`: many collaboratives at once, failures reported per file, the rest drafted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drafting.build.pack import plan
from drafting.cli import main
from drafting.cli.batch import answers_files
from drafting.errors import OutputError
from drafting.read.load import load_answers
from tests.conftest import ANSWERS_DIR, EXAMPLES

BROKEN = """\
schema_version: 1
collaborative:
  name: Broken Collaborative
  kind: horizontal
  ics: [Somewhere]
  purpose: To fail.
  objectives: [Fail clearly]
  services: [Nothing]
  commencement_date: 2027-04-01
  term: {kind: rolling}
documents: [sub_contracts]
members:
  - id: only
    name: Only NHS Trust
    kind: nhs_trust
    address: 1 Road
    representative: {name: A, role: B}
    signatory: {name: C, role: D}
governance:
  model: shared_leadership
"""


@pytest.fixture
def answers_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "answers"
    folder.mkdir()
    for example in EXAMPLES:
        shutil.copy(example, folder / example.name)
    return folder


def expected_files(folder: Path) -> dict[str, set[str]]:
    return {p.stem: {d.filename for d in plan(load_answers(p).answers)}
            for p in sorted(folder.glob("*.yaml"))}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_drafts_every_file_into_its_own_folder(runner: CliRunner, answers_dir: Path,
                                               tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(answers_dir), "-o", str(out), "--jobs", jobs])
    assert result.exit_code == 0, result.output
    for stem, names in expected_files(answers_dir).items():
        assert {p.name for p in (out / stem).iterdir()} == names
    assert f"for {len(EXAMPLES)} of {len(EXAMPLES)} answers files" in result.stdout


def test_one_bad_file_is_reported_and_the_rest_are_drafted(runner: CliRunner, answers_dir: Path,
                                                           tmp_path: Path) -> None:
    (answers_dir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(answers_dir), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 1
    assert "Failed: " in result.stderr and "broken.yaml" in result.stderr
    assert "[R1]" in result.stderr  # one NHS trust is not a collaborative
    assert "[R14]" in result.stderr  # and shared leadership lets no sub-contracts
    assert not (out / "broken").exists()
    for example in EXAMPLES:
        assert any((out / example.stem).iterdir())
    assert "1 failed" in result.stdout


def test_existing_documents_are_kept_unless_forced(runner: CliRunner, answers_dir: Path,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = runner.invoke(main, ["batch", str(answers_dir), "-o", str(out), "-j", "1"])
    assert first.exit_code == 0, first.output
    mou = out / "mersey-elective-hub" / "mou.docx"
    mou.write_bytes(b"edited by hand")
    again = runner.invoke(main, ["batch", str(answers_dir), "-o", str(out), "-j", "1"])
    assert again.exit_code == 1
    assert "--force" in again.stderr
    assert mou.read_bytes() == b"edited by hand"
    forced = runner.invoke(main, ["batch", str(answers_dir), "-o", str(out), "-j", "1", "--force"])
    assert forced.exit_code == 0, forced.output
    assert mou.read_bytes().startswith(b"PK")


def test_parallel_and_serial_runs_give_the_same_bytes(runner: CliRunner, answers_dir: Path,
                                                      tmp_path: Path) -> None:
    for jobs in ("1", "2"):
        result = runner.invoke(main, ["batch", str(answers_dir), "-o", str(tmp_path / jobs),
                                      "-j", jobs])
        assert result.exit_code == 0, result.output
    serial = sorted(p.relative_to(tmp_path / "1") for p in (tmp_path / "1").rglob("*.docx"))
    parallel = sorted(p.relative_to(tmp_path / "2") for p in (tmp_path / "2").rglob("*.docx"))
    assert serial == parallel and serial
    for rel in serial:
        assert (tmp_path / "1" / rel).read_bytes() == (tmp_path / "2" / rel).read_bytes()


def test_empty_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["batch", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no answers files" in result.stderr


def test_two_files_drafting_into_one_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1")
    (tmp_path / "a.yml").write_text("x: 1")
    with pytest.raises(OutputError, match="rename one"):
        answers_files(tmp_path)


def test_pdf_for_every_document(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    shutil.copy(EXAMPLES[0], folder / EXAMPLES[0].name)
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(folder), "-o", str(out), "--pdf", "-j", "1"])
    assert result.exit_code == 0, result.output
    drafted = out / EXAMPLES[0].stem
    docs = {p.stem for p in drafted.glob("*.docx")}
    assert docs and docs == {p.stem for p in drafted.glob("*.pdf")}


def test_warnings_are_shown_and_do_not_fail(runner: CliRunner, tmp_path: Path) -> None:
    data = yaml.safe_load((ANSWERS_DIR / "north-east-mental-health.yaml").read_text())
    assert data["governance"]["voting"] == "weighted"
    data["governance"].update(weight_basis="fixed", weights={"tewv": 60, "cntw": 30,
                                                             "priory": 10})
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / "heavy.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = runner.invoke(main, ["batch", str(folder), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "warning [R5]" in result.stderr
