"""Fresh-process timing shared by the cold benchmarks (`bench_cold.py`, `bench_update.py`).

Each measured run is a new process and the kinds of run take turns (one of each, repeated),
so a busy machine slows them alike; medians of wall and CPU time are compared.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

Timing = tuple[float, float]


def run_fresh(command: list[str], env: dict[str, str], cwd: Path) -> Timing:
    """Wall and CPU seconds (user + system) of one fresh process; a failure stops the bench."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, cwd=cwd, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def alternated_medians(kinds: dict[str, Callable[[], Timing]], runs: int) -> dict[str, Timing]:
    """One unmeasured run of each kind (bytecode written, caches filled), then `runs` rounds
    of one run of each; the median wall and CPU seconds of each kind."""
    for run in kinds.values():
        run()
    times: dict[str, list[Timing]] = {name: [] for name in kinds}
    for _ in range(runs):
        for name, run in kinds.items():
            times[name].append(run())
    return {name: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t))
            for name, t in times.items()}
