"""Benchmark: how fast `drafting batch` drafts, and how drafting time grows with clause count.

Run on demand (never from the tests)::

    python bench/bench_batch.py [--collaboratives 100] [--repeat 3] [--jobs 2]

1. Throughput: 100 collaboratives, generated as variations of the bundled examples (names,
   dates, contract values, meeting rhythm, MOU status), drafted in parallel processes
   exactly as `drafting batch` does. Reports documents per second (median of the repeats).
   Also the CPU time per document, which other programs on the machine do not inflate.
2. Scaling: the collaboration agreement of the largest example drafted with the library's
   clauses at 1x, 2x and 4x (each extra copy a renamed clause), reporting the median CPU
   time per document and its ratio to 1x. Linear growth is a fixed cost per document plus
   a constant cost per clause: the extra time per added clause stays the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafting.build.assemble import assemble  # noqa: E402
from drafting.cli.batch import _run  # noqa: E402
from drafting.read.load import load_answers  # noqa: E402
from drafting.read.library import load_library  # noqa: E402
from drafting.write.docx import write_docx  # noqa: E402

EXAMPLES = sorted((ROOT / "answers").glob("*.yaml"))


def generate(count: int, folder: Path, seed: int = 2027) -> list[Path]:
    """Write `count` valid answers files, variations of the examples, into `folder`."""
    rng = random.Random(seed)
    bases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    written = []
    for n in range(count):
        data = yaml.safe_load(yaml.safe_dump(bases[n % len(bases)]))
        c = data["collaborative"]
        c["name"] = f"{c['name']} {n + 1}"
        c["commencement_date"] = c["commencement_date"] + dt.timedelta(days=rng.randrange(0, 60))
        for member in data["members"]:
            member["name"] = f"{member['name']} ({n + 1})"
            if member.get("annual_contract_value"):
                member["annual_contract_value"] = int(
                    member["annual_contract_value"] * rng.uniform(0.8, 1.2))
        data["governance"]["meeting_frequency"] = rng.choice(["monthly", "bimonthly", "quarterly"])
        data["governance"]["board_reporting"] = rng.choice(
            ["after_each_meeting", "quarterly", "annual"])
        if "mou" in data["documents"]:
            data["mou_binding"] = rng.random() < 0.3
        path = folder / f"collaborative-{n + 1:03d}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        load_answers(path)  # every generated file must be valid
        written.append(path)
    return written


def throughput(sources: list[Path], jobs: int, repeat: int) -> tuple[int, list[float]]:
    """Draft every source `repeat` times in fresh folders; return documents and seconds."""
    times, documents = [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-out-") as out:
            started = time.perf_counter()
            outcomes = list(_run(sources, Path(out), False, False, jobs, load_library()))
            times.append(time.perf_counter() - started)
            failed = [o for o in outcomes if o.error]
            if failed:
                raise SystemExit(f"drafting failed: {failed[0].error}")
            documents = sum(len(o.files) for o in outcomes)
    return documents, times


def cpu_per_document(sources: list[Path]) -> tuple[int, float]:
    """CPU seconds per document, drafting in this process (insensitive to other load)."""
    library = load_library()
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as out:
        started = time.process_time()
        outcomes = list(_run(sources, Path(out), False, False, 1, library))
        spent = time.process_time() - started
    documents = sum(len(o.files) for o in outcomes)
    return documents, spent / documents


def scaled_library(factor: int, folder: Path) -> tuple[Path, Path]:
    """A copy of the library with each clause `factor` times, and an outline using them all."""
    clauses, templates = folder / "clauses", folder / "templates"
    shutil.copytree(ROOT / "clauses", clauses)
    shutil.copytree(ROOT / "templates", templates)
    outline = yaml.safe_load((templates / "collaboration_agreement.yaml").read_text())
    order = []
    for clause_id in outline["clauses"]:
        order.append(clause_id)
        source = clauses / clause_id / "v1.md"
        if clause_id == "definitions" or not source.exists():
            continue
        head, _, body = source.read_text(encoding="utf-8").partition("\n---\n")
        meta = yaml.safe_load(head.removeprefix("---\n"))
        meta.pop("defines", None)  # each term is defined once: copies only use terms
        for k in range(2, factor + 1):
            copy_id = f"{clause_id}-copy-{k}"
            meta["id"] = copy_id
            (clauses / copy_id).mkdir()
            (clauses / copy_id / "v1.md").write_text(
                "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"
                + body, encoding="utf-8")
            order.append(copy_id)
    outline["clauses"] = order
    (templates / "collaboration_agreement.yaml").write_text(yaml.safe_dump(outline))
    return clauses, templates


def scaling(repeat: int) -> list[tuple[int, int, float]]:
    """Median seconds per collaboration agreement at 1x, 2x and 4x clauses."""
    loaded = load_answers(ROOT / "answers" / "north-east-mental-health.yaml")
    rows = []
    for factor in (1, 2, 4):
        with tempfile.TemporaryDirectory(prefix="bench-lib-") as tmp:
            clauses, templates = scaled_library(factor, Path(tmp))
            library = load_library(clauses)
            times = []
            for _ in range(max(repeat, 5)):
                started = time.process_time()
                document = assemble(library, loaded, "collaboration_agreement",
                                    templates=templates)
                write_docx(document)
                times.append(time.process_time() - started)
            rows.append((factor, len(document.clauses), statistics.median(times)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--collaboratives", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1798761600")

    # compiled templates (of the scaled libraries too) in a folder of this run, never the
    # user's cache folder; the worker processes inherit the setting
    with tempfile.TemporaryDirectory(prefix="drafting-bench-cache-") as cache:
        os.environ["DRAFTING_CACHE_DIR"] = cache
        return _bench(args)


def _bench(args: argparse.Namespace) -> int:
    """Run every measurement and print the report."""
    with tempfile.TemporaryDirectory(prefix="bench-answers-") as tmp:
        sources = generate(args.collaboratives, Path(tmp))
        print(f"{len(sources)} collaboratives, {args.jobs} processes, {os.cpu_count()} cores")
        for jobs in sorted({1, args.jobs}):
            documents, times = throughput(sources, jobs, args.repeat)
            median = statistics.median(times)
            print(f"  jobs={jobs}: {documents} documents in {median:.2f}s (median of "
                  f"{len(times)}): {documents / median:.1f} documents/s")

        documents, cpu = cpu_per_document(sources)
        print(f"  CPU time: {cpu * 1000:.1f} ms per document over {documents} documents, so "
              f"{args.jobs} idle cores could draft about {args.jobs / cpu:.0f} documents/s")

    print("Scaling with the number of clauses (collaboration agreement, north-east example):")
    rows = scaling(args.repeat)
    base_clauses, base = rows[0][1], rows[0][2]
    for factor, clauses, seconds in rows:
        per_clause = ((seconds - base) / (clauses - base_clauses) * 1000
                      if clauses != base_clauses else float("nan"))
        print(f"  {factor}x: {clauses} clauses, {seconds * 1000:.1f} ms CPU per document "
              f"(median), {seconds / base:.2f}x the 1x time; {per_clause:.2f} ms per added clause")
    return 0


if __name__ == "__main__":
    sys.exit(main())
