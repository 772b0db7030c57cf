"""`drafting lint`: every word of the library, checked over hundreds of generated collaboratives.

`lint()` drafts every document of the example answers and of generated answer sets chosen
to reach every clause, variant and schedule, and checks the text for defects a reader
would strike out (`checks`). The strategies that generate valid answers (`strategies`) and
the reach of an answer set (`coverage`) are usable on their own.
"""

from drafting.review.lint.checks import Finding
from drafting.review.lint.run import AnswerSet, LintReport, lint, sample_name, steps

__all__ = ["AnswerSet", "Finding", "LintReport", "lint", "sample_name", "steps"]
