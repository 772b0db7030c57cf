"""Benchmark `drafting update` cold: the largest example's agreement, each run a fresh process.

Run on demand (never in the test suite): `python bench/bench_update.py [-n 9]`.

The agreement of `answers/north-east-mental-health.yaml` is drafted, then edited as a
lawyer returns it (words typed into three clauses, a sub-clause deleted, a paragraph
added, a comment; python-docx saves it). Each kind of run is a new
`python -m drafting ...` process, and the kinds take turns (one of each, repeated `-n`
times), so a busy machine slows them alike; medians of wall and CPU time are compared
with the baseline, `drafting assemble` of the same answers (the whole pack: six files).

- assemble (baseline): `drafting assemble answers/north-east-mental-health.yaml -o OUT`.
- update, new answers: `drafting update returned.docx --answers new.yaml -o OUT`, the notice
  period and the deadlock answer changed (one change kept as a comment, the others
  applied as tracked changes). Target: < 2 s wall.
- update, new answers, --check: the same, proved by the independent reader.
- update, new clause version: `--library` a copy of the library with a new version of the
  withdrawal clause.
- update, nothing new: no new answers or library (the draft comes back as it was).
- inspect: `drafting inspect returned.docx`.

Every process shares one compiled-template cache in a temporary folder, filled by an
unmeasured run of each kind first (what a user sees from the second run on), as Python's
bytecode of drafting's modules is.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from fresh import alternated_medians, run_fresh

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "answers" / "north-east-mental-health.yaml"
LIBRARY = ROOT / "clauses"


def _paragraph(doc, bookmark: str):
    for p in doc.paragraphs:
        if any(m.get(qn("w:name")) == bookmark for m in p._p.iter(qn("w:bookmarkStart"))):
            return p
    raise SystemExit(f"the agreement has no paragraph with bookmark {bookmark}")


def _type(p, after: str, words: str) -> None:
    for run in p.runs:
        if after in run.text:
            at = run.text.index(after) + len(after)
            run.text = run.text[:at] + words + run.text[at:]
            return
    raise SystemExit(f"no run holds {after!r}")


def returned(agreement: bytes) -> bytes:
    """The agreement as a lawyer returns it."""
    doc = docx.Document(io.BytesIO(agreement))
    _type(_paragraph(doc, "_Ref_principles_good_faith"), "Each Member", " always")
    _type(_paragraph(doc, "_Ref_withdrawal_right"), "may", " only")
    _type(_paragraph(doc, "_Ref_reporting_annual"), " ", "also ")
    gone = _paragraph(doc, "_Ref_dispute_resolution_confidential")._p
    gone.getparent().remove(gone)
    record = _paragraph(doc, "_Ref_voting_written")
    added = record.insert_paragraph_before("The Board keeps its minutes for ten years.",
                                           style=record.style)
    if record._p.pPr is not None and record._p.pPr.numPr is not None:
        added._p.get_or_add_pPr().append(copy.deepcopy(record._p.pPr.numPr))
    record._p.addnext(added._p)
    staffing = _paragraph(doc, "_Ref_staffing_model")
    doc.add_comment(staffing.runs[0], text="Check this with each trust's HR director.",
                    author="A Lawyer")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def new_answers(text: str) -> str:
    changed = text.replace("withdrawal_notice_months: 12", "withdrawal_notice_months: 6", 1)
    changed = changed.replace("deadlock: lead_provider_casting_vote",
                              "deadlock: chair_casting_vote", 1)
    if changed.count("\n") != text.count("\n") or changed == text:
        raise SystemExit(f"{EXAMPLE.name} no longer has the answers this benchmark changes")
    return changed


def newer_library(folder: Path) -> Path:
    """A copy of the library with a new current version of the withdrawal clause."""
    root = folder / "clauses"
    shutil.copytree(LIBRARY, root)
    versions = sorted((root / "withdrawal").glob("v*.md"), key=lambda p: int(p.stem[1:]))
    current = next(p for p in reversed(versions)
                   if re.search(r"^status:\s*current\s*$", p.read_text("utf-8"), re.MULTILINE))
    text = current.read_text(encoding="utf-8")
    number = int(current.stem[1:]) + 1
    new = re.sub(r"^version:\s*\d+\s*$", f"version: {number}", text, count=1, flags=re.MULTILINE)
    # a folded change note runs on over indented lines: replace them all
    new = re.sub(r"^change:.*(?:\n[ \t]+.*)*$",
                 "change: A member reviews its notice with the Board first.",
                 new, count=1, flags=re.MULTILINE) if re.search(r"^change:", new, re.MULTILINE) \
        else new.replace("\nstatus:", "\nchange: A member reviews its notice with the Board "
                         "first.\nstatus:", 1)
    new = re.sub(r"^date:.*$", "date: 2026-11-29", new, count=1, flags=re.MULTILINE)
    new = new.rstrip("\n") + ("\n\n- A [[Member]] reviews its [[Withdrawal Notice]] with the "
                              "[[Board]] before giving it.\n")
    (current.parent / f"v{number}.md").write_text(new, encoding="utf-8")
    current.write_text(re.sub(r"^status:\s*current\s*$", "status: superseded", text, count=1,
                              flags=re.MULTILINE), encoding="utf-8")
    return root




def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=9)
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",
                                                            "DRAFTING_NO_CACHE")}
    env.setdefault("SOURCE_DATE_EPOCH", "1798761600")
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env["DRAFTING_CACHE_DIR"] = str(tmp / "cache")
        # run in the temporary folder: `python -m` puts the working folder first on the
        # import path, and the drafting under test is the one installed
        run_fresh([python, "-m", "drafting", "assemble", str(EXAMPLE), "-o", str(tmp / "first")],
             env, tmp)
        draft = tmp / "returned.docx"
        draft.write_bytes(returned((tmp / "first" / "collaboration-agreement.docx").read_bytes()))
        answers = tmp / "new.yaml"
        answers.write_text(new_answers(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
        library = newer_library(tmp / "library")
        counter = iter(range(10**6))

        def out(suffix: str = "") -> str:
            return str(tmp / f"out{next(counter)}{suffix}")

        def drafting(*arguments: str) -> tuple[float, float]:
            return run_fresh([python, "-m", "drafting", *arguments], env, tmp)

        kinds = {
            "assemble (baseline)": lambda: drafting("assemble", str(EXAMPLE), "-o", out()),
            "update, new answers": lambda: drafting(
                "update", str(draft), "--answers", str(answers), "-o", out(".docx")),
            "update, new answers, --check": lambda: drafting(
                "update", str(draft), "--answers", str(answers), "-o", out(".docx"), "--check"),
            "update, new clause version": lambda: drafting(
                "update", str(draft), "--library", str(library), "-o", out(".docx")),
            "update, nothing new": lambda: drafting("update", str(draft), "-o", out(".docx")),
            "inspect": lambda: drafting("inspect", str(draft)),
        }
        medians = alternated_medians(kinds, args.runs)

    base_wall, base_cpu = medians["assemble (baseline)"]
    print(f"cold runs, each a fresh process; medians of {args.runs} alternated runs of each "
          f"(the agreement of {EXAMPLE.name}; baseline: `drafting assemble`, six documents)")
    print(f"{'':30} {'wall ms':>8} {'ratio':>6} {'CPU ms':>8} {'ratio':>6}")
    for name, (wall, cpu) in medians.items():
        print(f"{name:30} {wall * 1000:8.0f} {wall / base_wall:6.2f} "
              f"{cpu * 1000:8.0f} {cpu / base_cpu:6.2f}")
    wall, _cpu = medians["update, new answers"]
    print(f"cold `drafting update` with new answers: {wall:.2f} s wall "
          f"({'within' if wall < 2 else 'over'} the 2 s target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
