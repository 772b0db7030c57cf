"""`drafting inspect`, `drafting update` and `drafting impact`: negotiation rounds."""

from __future__ import annotations

import json
from pathlib import Path

import click

from drafting.errors import DraftError, LibraryError, OutputError

__all__ = ["COMMANDS", "impact", "inspect_command", "update"]

_LIBRARY = click.option("--library", "library_path",
                        type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Clause library folder (default: the bundled clauses/).")
_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                       show_default=True)


@click.command("inspect")
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@_FORMAT
@_LIBRARY
def inspect_command(draft: Path, fmt: str, library_path: Path | None) -> None:
    """Say what DRAFT is and what was done to it since `drafting` wrote it.

    Each clause and schedule is unchanged, edited (with a word diff against what the
    library gives for the answers and clause versions the draft carries) or deleted;
    paragraphs added outside any clause are listed. Tracked changes still pending are
    counted and shown as if accepted.
    """
    from drafting.read.library import load_library
    from drafting.review.negotiation.inspect import format_text, inspect_draft, to_json

    report = inspect_draft(str(draft), load_library(library_path))
    if fmt == "json":
        click.echo(json.dumps(to_json(report), indent=2, ensure_ascii=False))
    else:
        click.echo(format_text(report))


def _check_output(output: Path, force: bool) -> None:
    if output.suffix.lower() != ".docx":
        raise OutputError("the updated draft is a Word document: give the output a .docx "
                          "name", file=output)
    if output.exists() and not force:
        raise OutputError("already exists; use --force to overwrite it", file=output)


@click.command()
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--answers", "answers_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The new answers (default: the answers the draft carries).")
@_LIBRARY
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Write the updated draft (.docx with tracked changes) here.")
@click.option("--author", default="drafting", show_default=True,
              help="Author of the tracked changes and comments.")
@click.option("--date", "date", metavar="ISO",
              help="Date of the tracked changes (default: SOURCE_DATE_EPOCH, else now).")
@click.option("--allow-pending", is_flag=True,
              help="Update a draft that holds tracked changes, counting them as accepted.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--check", is_flag=True,
              help="Prove the result: rejecting every change must give the returned draft.")
def update(draft: Path, answers_path: Path | None, library_path: Path | None, output: Path,
           author: str, date: str | None, allow_pending: bool, force: bool,
           check: bool) -> None:
    """Carry new answers and clause versions into DRAFT, keeping every negotiated edit.

    The base is DRAFT as `drafting` wrote it (rebuilt from the answers it carries and the
    clause versions it records); the new document is drafted from --answers and the
    library's current versions. OUTPUT is DRAFT with every change from base to new as a
    tracked change where DRAFT left the text alone; where both changed the same text, the
    negotiated text stays and a comment gives the new text and why. Rejecting every change
    gives DRAFT back. OUTPUT carries the new answers and provenance, for the next round.
    """
    from drafting.read.library import load_library
    from drafting.read.load import load_answers
    from drafting.review.negotiation.draft import read_draft
    from drafting.review.negotiation.update import update_draft
    from drafting.write.output import write_outputs

    _check_output(output, force)
    loaded = load_answers(answers_path) if answers_path is not None else None
    if loaded is not None:
        for warning in loaded.warnings:
            click.echo("  " + warning.format(), err=True)
    result = update_draft(read_draft(draft), load_library(library_path), loaded, author=author,
                          date=date, allow_pending=allow_pending)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if check and result.changed:
        from drafting.review.oracle import check_stories

        problems = check_stories(result.data, draft, result.merged)
        if problems:
            raise DraftError("the updated draft does not reproduce the drafts:\n  " +
                             "\n  ".join(problems), file=output)
        click.echo("check: rejecting all changes gives the returned draft, accepting all "
                   "gives the update, in every story", err=True)
    write_outputs({output.name: result.data}, output.parent, force=True)
    if not result.changed:
        click.echo(f"{draft}: no change: the draft already reads as its answers and the "
                   "library give it", err=True)
    else:
        click.echo(f"{draft}: {result.applied} changes applied as tracked changes, "
                   f"{len(result.conflicts)} left as comments where the draft's edits were "
                   "kept", err=True)
        for line in result.conflicts:
            click.echo(f"  kept: {line}", err=True)
    click.echo(str(output))


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_LIBRARY
@_FORMAT
@click.option("--write-updates", "outdir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Write the update of each affected draft into this folder.")
@click.option("--author", default="drafting", show_default=True,
              help="Author of the tracked changes (with --write-updates).")
@click.option("--date", "date", metavar="ISO", help="Date of the tracked changes.")
@click.option("--allow-pending", is_flag=True,
              help="Update drafts holding tracked changes, counting them as accepted.")
@click.option("--force", is_flag=True, help="Replace updates already in the folder.")
def impact(folder: Path, library_path: Path | None, fmt: str, outdir: Path | None, author: str,
           date: str | None, allow_pending: bool, force: bool) -> None:
    """List the drafts under FOLDER that use a clause or schedule version the library has
    superseded, with the change notes of the newer versions.

    FOLDER is searched recursively for .docx files; files not made by `drafting` are
    skipped (and named on stderr). --write-updates writes, for each affected draft, its
    update to the library's current versions (as `drafting update` does), at the same
    relative path.
    """
    from drafting.read.library import load_library
    from drafting.review.negotiation.impact import format_text, scan, to_json

    library = load_library(library_path)
    found = scan(folder, library)
    for line in found.skipped:
        click.echo(f"skipped: {line}", err=True)
    if fmt == "json":
        click.echo(json.dumps(to_json(found), indent=2, ensure_ascii=False))
    else:
        click.echo(format_text(found))
    if found.problems:
        raise LibraryError("drafts use versions the library does not have (give --library "
                           "the library they were drafted from):\n  " +
                           "\n  ".join(found.problems), file=library.root)
    if outdir is not None:
        for path in _write_updates(folder, found.affected(), library, outdir, author, date,
                                   allow_pending, force):
            click.echo(f"wrote {path}", err=True)


def _write_updates(folder: Path, names: list[str], library: object, outdir: Path, author: str,
                   date: str | None, allow_pending: bool, force: bool) -> list[Path]:
    """Update every affected draft in memory first, then write them all (none is
    overwritten without `force`)."""
    from drafting.review.negotiation.draft import read_draft
    from drafting.review.negotiation.update import update_draft
    from drafting.write.output import write_outputs

    targets = {name: outdir / name for name in names}
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        raise OutputError(f"would overwrite {', '.join(existing)}; use --force to replace them",
                          file=outdir)
    updates: dict[str, bytes] = {}
    for name in names:
        updates[name] = update_draft(read_draft(folder / name), library, None, author=author,
                                     date=date, allow_pending=allow_pending).data
    written: list[Path] = []
    by_folder: dict[Path, dict[str, bytes]] = {}
    for name, data in updates.items():
        by_folder.setdefault(targets[name].parent, {})[targets[name].name] = data
    for where, files in by_folder.items():
        written += write_outputs(files, where, force=force)
    return written


COMMANDS = (inspect_command, update, impact)
