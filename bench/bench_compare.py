"""Benchmark `drafting compare` on two ~100-page agreements, beside python-redlines.

Generates an agreement of about 1,500 paragraphs (numbered clauses, bold/italic runs,
tables) and a copy with a few percent of lawyer's edits (reworded sentences, clauses
inserted, deleted and moved, formatting, table cells), then times:

- `drafting.review.compare_files` (in process; peak memory measured in a fresh process);
- python-redlines' engines (Open-XML-PowerTools WmlComparer and Docxodus, .NET binaries
  shipped in wheels: ``pip install "python-redlines[docxodus,ooxmlpowertools]"``), when
  installed.

Run: python bench/bench_compare.py [--runs 7] [--pages] [--no-reference]
Targets: < 1 s and < 150 MB for `drafting compare`. python-redlines is run in the same
process run, timed by wall clock (its work happens in a child .NET process).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.redline import drafts as D


def make_pair(seed: int = 2026) -> tuple[bytes, bytes, int]:
    """An agreement of ~1,500 paragraphs and an edited copy; returns (old, new, paragraphs)."""
    rng = random.Random(seed)
    clauses = D.random_clauses(rng, 100, paras=(10, 18))
    old = D.build_draft(clauses)
    document = D.load(old)
    paragraphs = document.paragraphs
    count = len(paragraphs)
    # ~3% of paragraphs reworded, a few runs made bold.
    body = [p for p in paragraphs if p.style.name == "List Number" and p.runs]
    for p in rng.sample(body, int(count * 0.03)):
        run = p.runs[rng.randrange(len(p.runs))]
        words = run.text.split(" ")
        words[rng.randrange(len(words))] = rng.choice(D.WORDS)
        run.text = " ".join(words)
    for p in rng.sample(body, 8):
        p.runs[0].bold = True
    for table in document.tables[:3]:
        table.cell(1, 1).text = "amended by agreement"
    new = D.save(document)
    extra = D.random_clauses(random.Random(seed + 1), 2, paras=(8, 12))
    new = D.edit_insert_clause(new, D.headings_paragraph_index(new, 40), extra[0])
    new = D.edit_insert_clause(new, D.headings_paragraph_index(new, 70), extra[1])
    new = D.edit_delete_clause(new, 20)
    new = D.edit_delete_clause(new, 55)
    new = D.edit_move_clause(new, 10, 30)
    return old, new, count


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc (VmHWM: peak resident set; VmRSS: now).

    Not `getrusage`: its peak survives exec, so a child would report its parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(old: str, new: str, out: str) -> None:
    """Run one comparison; print resident memory after imports and the peak after it (MB)."""
    from drafting.review.docx import compare_files

    before = _status_mb("VmRSS")
    compare_files(old, new, out, force=True, date="2026-11-23")
    print(f"{before:.1f} {_status_mb('VmHWM'):.1f}")


def time_ours(old: Path, new: Path, out: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (CPU time is steadier on a busy machine)."""
    from drafting.review.docx import compare_files

    compare_files(old, new, out, force=True, date="2026-11-23")  # warm-up (imports, caches)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        compare_files(old, new, out, force=True, date="2026-11-23")
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def time_redlines(old: bytes, new: bytes, runs: int) -> dict[str, list[float] | str]:
    results: dict[str, list[float] | str] = {}
    try:
        from python_redlines import engines
    except ImportError as exc:
        return {"python-redlines": f"not installed ({exc})"}
    for name in ("XmlPowerToolsEngine", "DocxodusEngine"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                engine = getattr(engines, name)()
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    engine.run_redline("bench", old, new)
                    times.append(time.perf_counter() - start)
            results[name] = times
        except Exception as exc:  # noqa: BLE001 (a missing .NET binary or runtime: report it)
            results[name] = f"unavailable: {type(exc).__name__}: {exc}"
    return results


def pages(path: Path, outdir: Path) -> str:
    from drafting.write.convert import convert

    pdf = convert(path, "pdf", outdir)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=False).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages", action="store_true", help="count pages with LibreOffice")
    parser.add_argument("--no-reference", action="store_true", help="skip python-redlines")
    parser.add_argument("--child", nargs=3, metavar=("OLD", "NEW", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old_b, new_b, count = make_pair()
        old, new, out = folder / "old.docx", folder / "new.docx", folder / "redline.docx"
        old.write_bytes(old_b)
        new.write_bytes(new_b)
        print(f"agreement: {count} paragraphs, {len(old_b) // 1024} KiB; edited copy "
              f"{len(new_b) // 1024} KiB")
        page_count = 0
        if args.pages:
            counted = pages(old, folder)
            page_count = int(counted) if counted.isdigit() else 0
            print(f"pages (LibreOffice PDF): old {counted}")
        ours, ours_cpu = time_ours(old, new, out, args.runs)
        mem = subprocess.run([sys.executable, __file__, "--child", str(old), str(new), str(out)],
                             capture_output=True, text=True, check=True).stdout.split()
        from drafting.review.package import read_package
        from drafting.review.revisions import count_revisions

        counts = count_revisions(read_package(out.read_bytes()).document())
        median = statistics.median(ours)
        print(f"drafting compare: median {median * 1000:.0f} ms over {args.runs} runs "
              f"(min {min(ours) * 1000:.0f}, max {max(ours) * 1000:.0f}; CPU median "
              f"{statistics.median(ours_cpu) * 1000:.0f} ms); peak RSS "
              f"{float(mem[1]):.0f} MB (after imports {float(mem[0]):.0f} MB)")
        print(f"  revisions: {dict(sorted(counts.items()))}")
        if page_count:
            cpu_median = statistics.median(ours_cpu)
            print(f"  per 100 pages: {median * 100 / page_count * 1000:.0f} ms wall, "
                  f"{cpu_median * 100 / page_count * 1000:.0f} ms CPU (target <= 1000 ms)")
        if args.no_reference:
            return
        others = time_redlines(old_b, new_b, max(3, args.runs // 2))
        for name, value in others.items():
            if isinstance(value, str):
                print(f"python-redlines {name}: {value}")
            else:
                m = statistics.median(value)
                print(f"python-redlines {name}: median {m * 1000:.0f} ms over {len(value)} runs "
                      f"({m / median:.1f}x drafting compare)")


if __name__ == "__main__":
    main()
