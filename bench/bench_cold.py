"""Benchmark cold starts: the first draft in a fresh process, against a cold bare docxtpl render.

Run on demand (never in the test suite): `python bench/bench_cold.py [-n 11]`.

Every measured run is a new Python process, and the kinds of run take turns (one of each,
repeated `-n` times), so a busy machine slows them alike; the medians of wall and CPU time
are compared. Each process is started as an installed program runs: Python keeps the
bytecode of drafting's own modules (`PYTHONDONTWRITEBYTECODE` is dropped, and one unmeasured
run of each kind comes first), as it does for docxtpl's.

- bare docxtpl: import docxtpl, load a 400-paragraph template (each paragraph a `{{ pN }}`
  placeholder), render it and save it. The baseline.
- agreement: import drafting, read the clause library, load and check the answers of the
  largest example (`answers/north-east-mental-health.yaml`), draft its collaboration
  agreement and write the file, as `drafting assemble` does for that document. With the
  compiled-template cache filled by an earlier run (what a user sees from the second run
  on). Target: ratio to bare <= 1.0.
- agreement, empty cache: the same with a new, empty cache folder each run (the first run
  after installing or editing the library: every template it uses is compiled and kept).
- agreement, no cache: the same with `DRAFTING_NO_CACHE=1`.
- pack: `drafting assemble` of the same example, every document it asks for (six files).
- help: `drafting --help`.

The cache of these runs lives in a temporary folder (`DRAFTING_CACHE_DIR`), never the user's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from fresh import alternated_medians, run_fresh

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "answers" / "north-east-mental-health.yaml"
PARAGRAPHS = 400

BARE = """
import sys
from docxtpl import DocxTemplate

template = DocxTemplate(sys.argv[1])
text = ("The Members work together in good faith for the benefit of patients, sharing "
        "information openly.")
template.render({f"p{i}": text for i in range(int(sys.argv[3]))})
template.save(sys.argv[2])
"""

AGREEMENT = """
import sys
from pathlib import Path

from drafting.build.pack import build_document
from drafting.read.library import load_library
from drafting.read.load import load_answers
from drafting.write.docx import write_docx
from drafting.write.output import write_outputs

loaded = load_answers(sys.argv[1])
document = build_document(load_library(), loaded, "collaboration_agreement")
write_outputs({"collaboration-agreement.docx": write_docx(document)}, Path(sys.argv[2]))
"""


def _template(path: Path) -> None:
    """A 400-paragraph docxtpl template, each paragraph one placeholder."""
    import docx  # only the benchmark makes templates

    document = docx.Document()
    for index in range(PARAGRAPHS):
        document.add_paragraph(f"{{{{ p{index} }}}}")
    document.save(str(path))




def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=11)
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",
                                                            "DRAFTING_NO_CACHE")}
    env.setdefault("SOURCE_DATE_EPOCH", "1798761600")
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "bare.docx"
        _template(template)
        cached = dict(env, DRAFTING_CACHE_DIR=str(tmp / "cache"))
        uncached = dict(env, DRAFTING_NO_CACHE="1")
        counter = iter(range(10**6))

        def out() -> str:
            return str(tmp / f"out{next(counter)}")

        def fresh(arguments: list[str], setting: dict[str, str]) -> tuple[float, float]:
            # run in the temporary folder: `python -c` and `-m` put the working folder first
            # on the import path, and the drafting under test is the one installed
            return run_fresh([python, *arguments], setting, tmp)

        kinds = {
            "bare docxtpl": lambda: fresh(
                ["-c", BARE, str(template), out() + ".docx", str(PARAGRAPHS)], env),
            "agreement": lambda: fresh(["-c", AGREEMENT, str(EXAMPLE), out()], cached),
            "agreement, empty cache": lambda: fresh(
                ["-c", AGREEMENT, str(EXAMPLE), out()], dict(env, DRAFTING_CACHE_DIR=out())),
            "agreement, no cache": lambda: fresh(
                ["-c", AGREEMENT, str(EXAMPLE), out()], uncached),
            "pack (drafting assemble)": lambda: fresh(
                ["-m", "drafting", "assemble", str(EXAMPLE), "-o", out()], cached),
            "drafting --help": lambda: fresh(["-m", "drafting", "--help"], env),
        }
        medians = alternated_medians(kinds, args.runs)

    bare_wall, bare_cpu = medians["bare docxtpl"]
    print(f"cold runs, each a fresh process; medians of {args.runs} alternated runs of each "
          f"(example: {EXAMPLE.name}, baseline: {PARAGRAPHS} paragraphs)")
    print(f"{'':28} {'wall ms':>8} {'ratio':>6} {'CPU ms':>8} {'ratio':>6}")
    for name, (wall, cpu) in medians.items():
        print(f"{name:28} {wall * 1000:8.0f} {wall / bare_wall:6.2f} "
              f"{cpu * 1000:8.0f} {cpu / bare_cpu:6.2f}")
    wall, cpu = medians["agreement"]
    print(f"cold ratio agreement / bare docxtpl: {wall / bare_wall:.2f} wall, "
          f"{cpu / bare_cpu:.2f} CPU (target <= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
