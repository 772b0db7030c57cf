"""`drafting questionnaire` in a real terminal (a pseudo-terminal driven by pexpect).

What a company secretary does at the keyboard: goes back, changes an earlier answer, gets
out of a set of weights that cannot add up, resumes a hand-written file without losing its
comments, and drafts the documents at the end.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from drafting.read.load import load_answers
from drafting.read.yamlsource import read_yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "questionnaire" / "lead-provider-with-independent.yaml"
NORTH_EAST = ROOT / "answers" / "north-east-mental-health.yaml"


def spawn(*args: str, cwd: Path) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable, ["-m", "drafting", "questionnaire", *args], cwd=str(cwd),
        env={**os.environ, "COLUMNS": "100", "TERM": "dumb"}, encoding="utf-8", timeout=60,
        dimensions=(40, 100),
    )
    return child


def answer(child: pexpect.spawn, question: str, typed: str) -> None:
    child.expect_exact(question)
    child.expect_exact(">")
    child.sendline(typed)


def finish(child: pexpect.spawn) -> None:
    child.expect(pexpect.EOF)
    child.close()


def test_back_and_change_return_to_earlier_answers(tmp_path: Path) -> None:
    out = tmp_path / "ours.yaml"
    child = spawn("-o", str(out), cwd=tmp_path)
    answer(child, "What is the collaborative's full name?", "Frist Collaborative")
    answer(child, "What is its short name, for page headers?", "FC")
    answer(child, "What kind of collaborative is it?", "back")
    # back: the short name again, with the answer given shown as the default
    child.expect_exact("What is its short name, for page headers?")
    child.expect_exact("Enter for FC")
    child.sendline("")
    answer(child, "What kind of collaborative is it?", "change 1")
    child.expect_exact("What is the collaborative's full name?")
    child.expect_exact("Enter for Frist Collaborative")
    child.sendline("First Collaborative")
    # after the change, on where it stopped
    answer(child, "What kind of collaborative is it?", "change")
    child.expect_exact("1. What is the collaborative's full name?: First Collaborative")
    child.expect_exact("2. What is its short name, for page headers?: FC")
    child.expect_exact("Type change N to change answer N.")
    child.sendcontrol("d")
    finish(child)
    data = read_yaml(out).data
    assert data["collaborative"] == {"name": "First Collaborative", "short_name": "FC"}
    assert child.exitstatus == 1


def test_weights_that_cannot_add_up_are_caught_at_once_with_a_way_back(tmp_path: Path) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    del data["governance"]["weights"]
    out = tmp_path / "ours.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    answer(child, "What is the voting weight of Humber Teaching NHS Foundation Trust (%)?", "60")
    answer(child, "What is the voting weight of Tees, Esk and Wear Valleys", "50")
    child.expect_exact(
        "The weights add up to 110. They must add up to 100: this one can be at most 40")
    child.expect_exact("Type back to change the weight before this one.")
    child.sendline("back")
    answer(child, "What is the voting weight of Humber Teaching NHS Foundation Trust (%)?", "45")
    answer(child, "What is the voting weight of Tees, Esk and Wear Valleys", "35")
    answer(child, "What is the voting weight of Cygnet Health Care Limited (%)?", "25")
    child.expect_exact(
        "The weights add up to 105. They must add up to 100: this one can be at most 20")
    child.sendline("20")
    child.expect_exact("Draft the documents now?")
    child.sendline("n")
    finish(child)
    assert child.exitstatus == 0
    weights = load_answers(out).answers.governance.weights
    assert weights == {"humber": 45, "tewv": 35, "cygnet": 20}


def test_a_rule_that_needs_an_answer_refuses_a_blank(tmp_path: Path) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    del data["competition"]
    out = tmp_path / "ours.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    answer(child, "How is competitively sensitive information kept apart?", "")
    child.expect_exact("! Select how competitively sensitive information is kept apart.")
    child.sendline("2")
    child.expect_exact("Draft the documents now?")
    child.sendline("n")
    finish(child)
    assert load_answers(out).answers.competition.information_barrier == "clean_team"


def test_resume_keeps_the_comments_and_does_not_ask_what_was_left_out(tmp_path: Path) -> None:
    text = NORTH_EAST.read_text(encoding="utf-8")
    # a hand-written file that has not yet said who mediates
    note = "  # Our own note on disputes, kept through every save.\n"
    text = text.replace("  tiers: [", note + "  tiers: [", 1)
    data = yaml.safe_load(text)
    assert data["disputes"]["mediator"] == "CEDR"
    lines = [line for line in text.splitlines() if "mediator:" not in line]
    out = tmp_path / "ours.yaml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    answer(child, "Who mediates, or appoints the mediator?", "CEDR")
    child.expect_exact("Draft the documents now?")
    child.sendline("n")
    finish(child)
    assert child.exitstatus == 0
    saved = out.read_text(encoding="utf-8")
    # every comment of the original is still there, and only the answer was added
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            assert line in saved, line
    assert "mediator: CEDR" in saved
    # and every answer line is as the author wrote it (a flow list wrapped over two lines is
    # joined onto one: the round-trip writer does not keep such a break)
    kept = [line for line in lines if line.strip() and not line.startswith(" " * 10)
            and not line.rstrip().endswith(",")]
    assert [line for line in kept if line not in saved.splitlines()] == []
    # optional questions the file leaves out (ODS codes, short references...) were not asked
    assert "ODS code" not in child.before


def test_draft_now_asks_for_a_folder_and_never_overwrites_unasked(tmp_path: Path) -> None:
    out = tmp_path / "ours.yaml"
    out.write_bytes(NORTH_EAST.read_bytes())
    child = spawn("--resume", str(out), cwd=tmp_path)
    child.expect_exact("Draft the documents now? [y/N]")
    child.sendline("y")
    child.expect_exact("Folder for the documents [drafts]")
    child.sendline("")
    child.expect_exact("Drafted 6 documents in drafts:")
    finish(child)
    assert child.exitstatus == 0
    drafted = tmp_path / "drafts" / "collaboration-agreement.docx"
    assert drafted.stat().st_size > 10_000
    before = drafted.read_bytes()
    drafted.write_bytes(b"edited by a lawyer")
    # again, into the same folder: asked first, and nothing is replaced on "no"
    child = spawn("--resume", str(out), cwd=tmp_path)
    child.expect_exact("Draft the documents now? [y/N]")
    child.sendline("y")
    child.expect_exact("Folder for the documents [drafts]")
    child.sendline("drafts")
    child.expect_exact("drafts already has 6 of these documents")
    child.expect_exact("Replace them? [y/N]")
    child.sendline("n")
    child.expect_exact("Choose another folder? [Y/n]")
    child.sendline("n")
    child.expect_exact("Nothing was drafted.")
    finish(child)
    assert drafted.read_bytes() == b"edited by a lawyer"
    assert "Traceback" not in (child.before or "")
    assert len(before) > 10_000


@pytest.mark.parametrize("folder", ["not-a-folder.txt"])
def test_draft_now_into_an_impossible_folder_says_so(tmp_path: Path, folder: str) -> None:
    out = tmp_path / "ours.yaml"
    out.write_bytes(NORTH_EAST.read_bytes())
    (tmp_path / folder).write_text("a file, not a folder", encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    child.expect_exact("Draft the documents now? [y/N]")
    child.sendline("y")
    child.expect_exact("Folder for the documents [drafts]")
    child.sendline(folder)
    child.expect_exact("! The documents could not be drafted:")
    child.expect_exact("Try another folder? [Y/n]")
    child.sendline("n")
    finish(child)
    assert "Traceback" not in (child.before or "")
