"""`drafting compare` and `drafting diff`: redlines for reviewers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from drafting.errors import CompareError, OutputError

__all__ = ["COMMANDS", "compare", "diff"]


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the redline (.docx with tracked changes) here.")
@click.option("--author", default="drafting", show_default=True,
              help="Author written on every tracked change.")
@click.option("--date", "date", metavar="ISO",
              help="Date of every tracked change (default: SOURCE_DATE_EPOCH, else now).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print the clause summary as JSON.")
@click.option("--all", "all_clauses", is_flag=True, help="List unchanged clauses too.")
@click.option("--check", is_flag=True,
              help="Prove the redline: accepting every change must give NEW, rejecting OLD.")
def compare(
    old: str, new: str, output: str | None, author: str, date: str | None, force: bool,
    as_json: bool, all_clauses: bool, check: bool,
) -> None:
    """Compare two Word drafts: write a redline with tracked changes, summarise by clause.

    The redline is the NEW draft with every difference from OLD as a tracked change, in
    every story: body and tables, headers and footers (by section and kind), footnotes,
    endnotes and text boxes. Equations and pictures are compared whole. Comments added or
    removed, and parts that are not compared (charts, embedded objects, style
    definitions), are listed.
    """
    from drafting.review.check import check_redline
    from drafting.review.docx import compare_files
    from drafting.review.summary import format_text, summarise, to_json

    result = compare_files(old, new, output, author=author, date=date, force=force)
    summary = summarise(result)
    for item in result.not_compared:
        click.echo(f"not compared: {item}", err=True)
    for item in result.untracked:
        click.echo(f"cannot be tracked: {item}", err=True)
    report = to_json(summary) if as_json else None
    if check:
        problems = check_redline(result.data, old, new)
        if report is not None:
            report["check"] = {"ok": not problems, "problems": problems}
        elif not problems:
            click.echo("check: accepting all changes gives NEW, rejecting all gives OLD, in "
                       "every story", err=True)
        if problems:
            if report is not None:
                click.echo(json.dumps(report, indent=2, ensure_ascii=False))
            raise CompareError("the redline does not reproduce the drafts:\n  " +
                               "\n  ".join(problems))
    if report is not None:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(format_text(summary, all_clauses=all_clauses))
    if output is not None:
        click.echo(f"wrote {output}", err=True)


@click.command()
@click.argument("old_spec", metavar="ID@V1")
@click.argument("new_spec", metavar="ID@V2")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "docx"]), default="text",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write here instead of stdout (required for docx).")
@click.option("--library", type=click.Path(file_okay=False), help="Clause library folder.")
@click.option("--author", default="drafting", show_default=True)
@click.option("--date", "date", metavar="ISO", help="Date of the tracked changes (docx).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def diff(
    old_spec: str, new_spec: str, fmt: str, output: str | None, library: str | None,
    author: str, date: str | None, force: bool,
) -> None:
    """Show the word-level difference between two versions of a library clause.

    Example: drafting diff voting@1 voting@2 --format html -o voting.html
    """
    from drafting.review.clauses import (
        diff_clauses,
        load_clause,
        parse_spec,
        render_docx,
        render_html,
        render_text,
    )
    from drafting.review.docx import revision_date

    try:
        old_id, old_v = parse_spec(old_spec)
        new_id, new_v = parse_spec(new_spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if fmt == "docx" and output is None:
        raise click.UsageError("--format docx writes a Word file: give it with -o FILE.docx")
    if output is not None and Path(output).exists() and not force:
        raise OutputError("already exists; use --force to overwrite it", file=output)
    result = diff_clauses(load_clause(old_id, old_v, library), load_clause(new_id, new_v, library))
    data: bytes
    if fmt == "docx":
        data = render_docx(result, author=author, date=revision_date(date))
    elif fmt == "html":
        data = render_html(result).encode("utf-8")
    else:
        colour = output is None and sys.stdout.isatty()
        data = render_text(result, colour=colour).encode("utf-8")
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        raise OutputError(f"could not be written: {exc.strerror or exc}", file=output) from None
    click.echo(f"wrote {output}", err=True)


COMMANDS = (compare, diff)
