"""`drafting clauses list|show|history|diff` and `drafting check`: look into and check the library.

A clause is named by its id (`voting`, `voting@2`); a schedule as `schedule:<id>`
(`schedule:members@1`), or by its plain id when no clause has that id.
"""

from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.review import diff

__all__ = ["COMMANDS", "check", "clauses"]

_LIBRARY = click.option("--library", "library_path", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="Clause library folder (default: the bundled clauses/).")


@click.group()
def clauses() -> None:
    """List, show, trace and compare the versions of the clauses and schedules in the library.

    A schedule is named schedule:ID (schedule:members@1), or by its ID alone when no
    clause has that ID.
    """


@clauses.command("list")
@_LIBRARY
def list_clauses(library_path: Path | None) -> None:
    """One line per clause, then per schedule: name, current version, title, documents."""
    from drafting.read.library import load_library

    library = load_library(library_path)
    for items in (library.current(), library.current_schedules()):
        width = max((len(c.name) for c in items), default=2)
        for clause in items:
            variants = f" [{', '.join(v.id for v in clause.variants)}]" if clause.variants else ""
            click.echo(f"{clause.name:<{width}}  v{clause.version}  {clause.title}  "
                       f"({', '.join(clause.documents)}){variants}")


@clauses.command()
@click.argument("ref", metavar="ID[@VERSION]")
@_LIBRARY
def show(ref: str, library_path: Path | None) -> None:
    """Print a clause or schedule file as written: the current version, or ID@VERSION."""
    from drafting.read.library import SCHEDULE_PREFIX, load_library, parse_clause_ref

    try:
        name, version = parse_clause_ref(ref)
    except ValueError:
        raise click.BadParameter(f"{ref!r}: write ID or ID@VERSION, e.g. voting@1 or "
                                 f"{SCHEDULE_PREFIX}members@1") from None
    click.echo(load_library(library_path).item(name, version).text, nl=False)


@clauses.command()
@click.argument("clause_id", metavar="ID")
@_LIBRARY
def history(clause_id: str, library_path: Path | None) -> None:
    """Every version of a clause or schedule, oldest first, with its date, status and change."""
    from drafting.read.library import load_library

    for clause in load_library(library_path).item_history(clause_id):
        click.echo(f"v{clause.version}  {clause.date.isoformat()}  {clause.status:<10}  "
                   f"{clause.change.strip()}")


clauses.add_command(diff, "diff")


@click.command()
@_LIBRARY
@click.option("--examples", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of example answers files (default: the bundled answers/).")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of document outlines and frames (default: the bundled templates/).")
def check(library_path: Path | None, examples: Path | None, templates: Path | None) -> None:
    """Check the library: names, references, terms, tables, the glossary, and that every
    clause and schedule is reached.

    Every problem is shown with its file and line. Exit status 1 when there is any error;
    warnings alone leave it 0.
    """
    from drafting.read.check import check as check_library

    report = check_library(library_path, examples, templates)
    for problem in report.problems:
        click.echo(problem.format(), err=True)
    click.echo(f"Checked {report.clauses} clauses and {report.schedules} schedules "
               f"({report.versions} versions) and the glossary against "
               f"{report.examples} example answers ({report.documents} documents): "
               f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    if report.errors:
        raise SystemExit(1)


COMMANDS = (clauses, check)
