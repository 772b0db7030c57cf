"""Benchmark: how long `drafting lint` takes with its default sample, as CI runs it.

Run on demand (never from the tests)::

    python bench/bench_lint.py [--samples 200] [--repeat 3]

Each repeat runs `drafting lint --samples N --seed 0` in a fresh process over the bundled
library and reports its wall time and CPU time (user + system; other programs on the machine
inflate the wall time, not this), then the medians. The output of every repeat must be the
same: the same seed gives the same report.
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


def run(samples: int) -> tuple[float, float, str]:
    """One `drafting lint` in a new process: wall seconds, CPU seconds, its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "drafting", "lint", "--samples", str(samples),
                             "--seed", "0"], capture_output=True, text=True, cwd=ROOT,
                            check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode not in (0, 1):
        raise SystemExit(f"drafting lint failed ({result.returncode}):\n{result.stderr}")
    return wall, cpu, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    walls, cpus, outputs = [], [], set()
    for n in range(1, args.repeat + 1):
        wall, cpu, output = run(args.samples)
        walls.append(wall)
        cpus.append(cpu)
        outputs.add(output)
        print(f"run {n}: {wall:.1f}s wall, {cpu:.1f}s CPU; {output.splitlines()[-1]}")
    print(f"median: {statistics.median(walls):.1f}s wall, {statistics.median(cpus):.1f}s CPU "
          f"({args.samples} samples, {args.repeat} runs)")
    if len(outputs) != 1:
        raise SystemExit("the runs disagree: the same seed must give the same report")


if __name__ == "__main__":
    main()
