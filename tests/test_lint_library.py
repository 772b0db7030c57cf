"""The bundled library is clean: `drafting lint`, as CI runs it (the default sample of
generated answer sets besides the examples), finds no problem in any document they draft.

A partner's finding fixed in the library stays fixed only if every later change is linted
over hundreds of collaboratives, not only the examples: this test is that check, so a clause
or schedule that brings back a doubled word, a period in another unit or a leftover of
another model fails the suite with lint's own line for it.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT

SUMMARY = re.compile(r"^(\d+) answers, (\d+) documents, (\d+) problems(?:, \d+ warnings)?$")


def test_lint_finds_no_problem_in_the_bundled_library() -> None:
    result = subprocess.run([sys.executable, "-m", "drafting", "lint"], capture_output=True,
                            text=True, cwd=ROOT, check=False)
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    found = SUMMARY.match(lines[-1])
    assert found, result.stdout + result.stderr
    answers, documents, problems = map(int, found.groups())
    # checks landed as warnings are printed after the problems and do not fail lint
    report = "\n".join(line for line in lines[:-1] if not line.startswith("warning: "))
    assert (problems, report) == (0, ""), f"drafting lint found problems:\n{report}"
    assert result.returncode == 0, result.stderr
    # The default sample is at least 200 generated sets, besides the bundled examples, and
    # every set drafts at least one document.
    examples = len(list((ROOT / "answers").glob("*.yaml")))
    assert answers >= 200 + examples
    assert documents >= answers
