"""`drafting lint`: draft hundreds of collaboratives and check every word the library gives them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from drafting.cli.progress import progress

if TYPE_CHECKING:
    from drafting.review.lint import LintReport

__all__ = ["COMMANDS", "lint"]


def _kept(report: LintReport, seed: int) -> dict[str, bytes]:
    """The answers files of the sets named in the report, each with its problems as comments."""
    lines: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.sample in report.sets:
            lines.setdefault(finding.sample, []).append(finding.line())
    files = {}
    for name, found in lines.items():
        answer_set = report.sets[name]
        head = [f"# {name}: an answers file that `drafting lint --seed {seed}` found problems in;",
                f"# draft it with `drafting assemble {name}.yaml -o {name}`.", "#"]
        head += [f"# {line}" for line in found]
        text = answer_set.text if not name.startswith("sample-") else \
            "\n".join(head) + "\n" + answer_set.text
        files[f"{name}.yaml"] = text.encode("utf-8")
    return files


@click.command()
@click.option("--samples", type=click.IntRange(min=0), default=200, show_default=True,
              help="Answer sets to generate, besides the bundled examples.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the generated answer sets: the same seed gives the same sets.")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the answers files that show a problem, as <sample>.yaml.")
@click.option("--force", is_flag=True, help="Replace answers files already in the --keep folder.")
@click.option("--library", "library_path", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Clause library folder (default: the bundled clauses/).")
@click.option("--examples", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of example answers files (default: the bundled answers/).")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of document outlines (default: the bundled templates/).")
def lint(samples: int, seed: int, keep: Path | None, force: bool, library_path: Path | None,
         examples: Path | None, templates: Path | None) -> None:
    """Draft every document of the example answers and of generated answer sets, and check
    their text: defined terms, raw values, leftover markup, doubled words, words of another
    model, two-party wording, periods and what schedules are said to show.

    The generated sets are chosen so that, with the examples, they reach every clause,
    variant and schedule; anything no set reaches is a problem too. One line per problem,
    KIND[answer set] clause-id: what: "quoted text", then the checks landed as warnings
    (`warning: KIND[...]...`), then a count. Exit status 0 when there is no problem (warnings
    alone leave it 0), 1 when there is any, 2 for a usage error.
    """
    from drafting.review.lint import lint as run_lint
    from drafting.review.lint import steps
    from drafting.write.output import write_outputs

    with progress(steps(samples, examples), "Linting") as advance:
        report = run_lint(library_path, samples=samples, seed=seed, examples=examples,
                          templates=templates, progress=advance)
    for finding in report.problems:
        click.echo(finding.line())
    for finding in report.warnings:
        click.echo(f"warning: {finding.line()}")
    click.echo(report.summary())
    if keep is not None:
        files = _kept(report, seed)
        if files:
            write_outputs(files, keep, force=force)
            click.echo(f"Kept {len(files)} answers files in {keep}", err=True)
    if report.problems:
        raise SystemExit(1)


COMMANDS = (lint,)
