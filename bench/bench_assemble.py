"""Benchmark drafting: warm assembly vs a bare docxtpl render, cold end to end, peak memory.

Run on demand (never in the test suite): `python bench/bench_assemble.py [-n 20]`.

- warm: in one process, with the library loaded and templates compiled, assemble and write
  the largest example's collaboration agreement (the example whose agreement has the most
  paragraphs), against docxtpl loading, rendering and saving a template with the same
  number of paragraphs, each a `{{ pN }}` placeholder. Targets: >= 10x faster. The two are
  timed in turn (one run of each, repeated), so a busy machine slows both alike; wall and
  CPU time medians are shown. Then the same without drafting's caches (the parsed-markup
  cache of `markup.CACHE_SIZE`) and without the frame preparation of `writers.docx`.
- cold: `drafting assemble` end to end in a fresh process (import, read the library, check
  the answers, draft and write every document the example asks for). Target: < 1 s. Shown
  with the compiled-template cache (in a temporary `DRAFTING_CACHE_DIR`, filled by the first
  run) and without it (`DRAFTING_NO_CACHE=1`: every run compiles every template it uses).
  `bench/bench_cold.py` compares a cold first draft with a cold bare docxtpl render.
- memory: peak Python allocation (tracemalloc) of a warm assembly and the peak resident
  size of the cold process. Target: < 150 MB.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from docxtpl import DocxTemplate

from drafting.build.assemble import assemble
from drafting.read import bytecode, markup
from drafting.read.library import load_library
from drafting.read.load import load_answers
from drafting.write import docx as writers_docx
from drafting.write.docx import write_docx

ROOT = Path(__file__).resolve().parent.parent
KIND = "collaboration_agreement"


def _medians(funcs: tuple[Callable[[], object], ...], runs: int) -> list[tuple[float, float]]:
    """(wall, CPU) median seconds of each function, run in turn `runs` times."""
    walls: list[list[float]] = [[] for _ in funcs]
    cpus: list[list[float]] = [[] for _ in funcs]
    for _ in range(runs):
        for index, func in enumerate(funcs):
            gc.collect()  # neither pays for the other's garbage
            started, cpu = time.perf_counter(), time.process_time()
            func()
            walls[index].append(time.perf_counter() - started)
            cpus[index].append(time.process_time() - cpu)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus)]


def _paragraphs(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").count(b"<w:p>") + \
            package.read("word/document.xml").count(b"<w:p ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1798761600")
    with tempfile.TemporaryDirectory(prefix="drafting-bench-cache-") as cache:
        os.environ[bytecode.CACHE_DIR_ENV] = cache  # never the user's cache folder
        return _bench(args.runs)


def _bench(runs: int) -> int:
    """Run every measurement and print the report."""
    library = load_library()
    cache_size = markup.CACHE_SIZE
    candidates = []
    for path in sorted((ROOT / "answers").glob("*.yaml")):
        loaded = load_answers(path)
        if KIND in loaded.answers.documents:
            data = write_docx(assemble(library, loaded, KIND))
            candidates.append((_paragraphs(data), path, loaded))
    paragraphs, example, loaded = max(candidates, key=lambda c: c[0])

    def ours() -> bytes:
        return write_docx(assemble(library, loaded, KIND))

    ours()  # warm: templates compiled, frame read

    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "bare.docx"
        bare = docx.Document()
        for index in range(paragraphs):
            bare.add_paragraph(f"{{{{ p{index} }}}}")
        bare.save(template)
        context = {f"p{i}": "The Members work together in good faith for the benefit of "
                   "patients, sharing information openly." for i in range(paragraphs)}

        def docxtpl_render() -> bytes:
            document = DocxTemplate(str(template))
            document.render(context)
            out = io.BytesIO()
            document.save(out)
            return out.getvalue()

        docxtpl_render()
        (warm, warm_cpu), (baseline, baseline_cpu) = _medians((ours, docxtpl_render), runs)

        markup.CACHE_SIZE = 0  # the same, with no cache of parsed markup
        markup.clear_caches()
        ours()
        (nocache, nocache_cpu), (base2, base2_cpu) = _medians((ours, docxtpl_render), runs)
        writers_docx.PREPARED_FRAMES = False  # ... nor any frame preparation
        ours()
        (plain, plain_cpu), (base3, base3_cpu) = _medians((ours, docxtpl_render), runs)
        writers_docx.PREPARED_FRAMES = True
        markup.CACHE_SIZE = cache_size

        tracemalloc.start()
        ours()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        cold_runs = max(3, runs // 4)
        command = [sys.executable, "-m", "drafting", "assemble", str(example), "-o"]
        colds: dict[str, list[float]] = {"on": [], "off": []}
        for run in range(cold_runs + 1):  # the first run may fill the template cache
            for setting in ("on", "off"):
                env = dict(os.environ)
                if setting == "off":
                    env[bytecode.NO_CACHE_ENV] = "1"
                out = Path(tmp) / f"out-{setting}{run}"
                started = time.perf_counter()
                subprocess.run([*command, str(out)], check=True, capture_output=True, env=env)
                if run:
                    colds[setting].append(time.perf_counter() - started)
        cold = statistics.median(colds["on"])
        cold_off = statistics.median(colds["off"])
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        files = len(list((Path(tmp) / "out-on0").iterdir()))

    print(f"example: {example.name} ({paragraphs} paragraphs in its agreement)")
    print(f"warm assemble + write (median of {runs}): {warm * 1000:8.1f} ms"
          f"  (CPU {warm_cpu * 1000:.1f} ms)")
    print(f"bare docxtpl render, same paragraphs:        {baseline * 1000:8.1f} ms"
          f"  (CPU {baseline_cpu * 1000:.1f} ms)")
    print(f"ratio docxtpl / drafting:                    {baseline / warm:8.1f}x  (target >= 10x;"
          f" CPU {baseline_cpu / warm_cpu:.1f}x)")
    print(f"  without the markup cache:                  {nocache * 1000:8.1f} ms"
          f"  ({base2 / nocache:.1f}x; CPU {base2_cpu / nocache_cpu:.1f}x)")
    print(f"  nor the frame preparation:                 {plain * 1000:8.1f} ms"
          f"  ({base3 / plain:.1f}x; CPU {base3_cpu / plain_cpu:.1f}x)")
    print(f"cold `drafting assemble` ({files} files, median of {cold_runs}): "
          f"{cold * 1000:6.0f} ms  (target < 1000 ms)")
    print(f"  without the compiled-template cache:       {cold_off * 1000:8.0f} ms")
    print(f"peak traced memory, warm assembly:           {peak / 2**20:8.1f} MB")
    print(f"peak resident size, cold process:            {rss_mb:8.1f} MB  (target < 150 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
