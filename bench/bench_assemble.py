"""Benchmark drafting: warm assembly vs a bare docxtpl render, cold end to end, peak memory.

Run on demand (never in the test suite): `python bench/bench_assemble.py [-n 20]`.

- warm: in one process, with the library loaded and templates compiled, assemble and write
  the largest example's collaboration agreement (the example whose agreement has the most
  paragraphs), against docxtpl loading, rendering and saving a template with the same
  number of paragraphs, each a `{{ pN }}` placeholder. Targets: >= 10x faster.
- cold: `drafting assemble` end to end in a fresh process (import, read the library, check
  the answers, draft and write every document the example asks for). Target: < 1 s.
- memory: peak Python allocation (tracemalloc) of a warm assembly and the peak resident
  size of the cold process. Target: < 150 MB.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

import docx
from docxtpl import DocxTemplate

from drafting.answers import load_answers
from drafting.assemble import assemble
from drafting.library import load_library
from drafting.writers.docx import write_docx

ROOT = Path(__file__).resolve().parent.parent
KIND = "collaboration_agreement"


def _median(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _paragraphs(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").count(b"<w:p>") + \
            package.read("word/document.xml").count(b"<w:p ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1798761600")

    library = load_library()
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
    warm = _median(ours, args.runs)

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
        baseline = _median(docxtpl_render, args.runs)

        tracemalloc.start()
        ours()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        cold_runs = max(3, args.runs // 4)
        colds = []
        for run in range(cold_runs):
            out = Path(tmp) / f"out{run}"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "drafting", "assemble", str(example), "-o",
                            str(out)], check=True, capture_output=True)
            colds.append(time.perf_counter() - started)
        cold = statistics.median(colds)
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        files = len(list((Path(tmp) / "out0").iterdir()))

    print(f"example: {example.name} ({paragraphs} paragraphs in its agreement)")
    print(f"warm assemble + write (median of {args.runs}): {warm * 1000:8.1f} ms")
    print(f"bare docxtpl render, same paragraphs:        {baseline * 1000:8.1f} ms")
    print(f"ratio docxtpl / drafting:                    {baseline / warm:8.1f}x  (target >= 10x)")
    print(f"cold `drafting assemble` ({files} files, median of {cold_runs}): "
          f"{cold * 1000:6.0f} ms  (target < 1000 ms)")
    print(f"peak traced memory, warm assembly:           {peak / 2**20:8.1f} MB")
    print(f"peak resident size, cold process:            {rss_mb:8.1f} MB  (target < 150 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
