"""Benchmark: how long `drafting lint` takes with its default sample, as CI runs it.

Run on demand (never from the tests)::

    python bench/bench_lint.py [--samples 200] [--repeat 3]

1. As CI runs it: `drafting lint --samples N --seed 0` in a fresh process over the bundled
   library, wall time and CPU time (user + system: other programs on the machine inflate the
   wall time, not this), median of the repeats. Every repeat must print the same report.
2. What the checks cost: in this process, `lint()` beside drafting the very same answer sets
   without checking them (the baseline), alternated; medians of CPU time and their ratio.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafting.build.pack import build_document, plan  # noqa: E402
from drafting.read.library import load_library  # noqa: E402
from drafting.read.load import parse_answers  # noqa: E402
from drafting.review.lint import LintReport, lint  # noqa: E402


def fresh(samples: int) -> tuple[float, float, str]:
    """One `drafting lint` in a new process: wall seconds, CPU seconds, its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "drafting", "lint", "--samples", str(samples),
                             "--seed", "0"], capture_output=True, text=True, cwd=ROOT,
                            check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"drafting lint failed ({result.returncode}):\n{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), \
        result.stdout


def draft_only(report: LintReport) -> int:
    """Draft every document of the report's answer sets, checking nothing (the baseline)."""
    library = load_library()
    count = 0
    for answer_set in report.sets.values():
        try:
            loaded = parse_answers(answer_set.text, f"{answer_set.name}.yaml")
        except Exception:  # noqa: BLE001 - lint reports these; the baseline skips them
            continue
        for item in plan(loaded.answers):
            try:
                build_document(library, loaded, item.kind, item.partner_id)
                count += 1
            except Exception:  # noqa: BLE001 - as above
                continue
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    walls, cpus, outputs = [], [], set()
    for n in range(1, args.repeat + 1):
        wall, cpu, output = fresh(args.samples)
        walls.append(wall)
        cpus.append(cpu)
        outputs.add(output)
        print(f"fresh run {n}: {wall:.1f}s wall, {cpu:.1f}s CPU; {output.splitlines()[-1]}")
    print(f"drafting lint, median of {args.repeat}: {statistics.median(walls):.1f}s wall, "
          f"{statistics.median(cpus):.1f}s CPU ({args.samples} samples)")
    if len(outputs) != 1:
        raise SystemExit("the runs disagree: the same seed must give the same report")

    linted, drafted = [], []
    report = lint(samples=args.samples)  # warms the library and the template cache
    for _ in range(args.repeat):
        started = time.process_time()
        lint(samples=args.samples)
        linted.append(time.process_time() - started)
        started = time.process_time()
        documents = draft_only(report)
        drafted.append(time.process_time() - started)
    print(f"in one process, median CPU: lint {statistics.median(linted):.1f}s, drafting the "
          f"same {documents} documents {statistics.median(drafted):.1f}s; ratio "
          f"{statistics.median(linted) / statistics.median(drafted):.2f}")


if __name__ == "__main__":
    main()
