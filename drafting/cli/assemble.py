"""`drafting assemble` and `drafting provenance`: draft the documents, and say what made one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from drafting.read.load import LoadedAnswers

__all__ = ["COMMANDS", "assemble", "planned_documents", "provenance"]


def planned_documents(loaded: LoadedAnswers) -> list[tuple[str, str | None, str]]:
    """(kind, partner id or None, file name) of every document the answers ask for."""
    from drafting.build import pack

    return [(p.kind, p.partner_id, p.filename) for p in pack.plan(loaded.answers)]


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@click.option("--force", is_flag=True, help="Replace documents already in the folder.")
@click.option("--notes", is_flag=True, help="Add the drafting notes as Word comments.")
@click.option("--library", "library_path", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Clause library folder (default: the bundled clauses/).")
@click.option("--pdf", is_flag=True, help="Also save each document as PDF (needs LibreOffice).")
def assemble(answers: Path, outdir: Path, force: bool, notes: bool,
             library_path: Path | None, pdf: bool) -> None:
    """Draft every document ANSWERS asks for into the folder -o, as Word files.

    Invalid answers write nothing and list every problem with its line. Existing files are
    never replaced without --force; either every document is written or none is.
    """
    from drafting.build import pack
    from drafting.read.library import load_library
    from drafting.read.load import load_answers
    from drafting.write.docx import write_docx
    from drafting.write.output import write_outputs

    loaded = load_answers(answers)
    for warning in loaded.warnings:
        click.echo("  " + warning.format(), err=True)
    library = load_library(library_path)
    files = {
        filename: write_docx(pack.build_document(library, loaded, kind, partner), notes=notes)
        for kind, partner, filename in planned_documents(loaded)
    }
    if not files:
        raise click.UsageError("the answers ask for no document this command drafts")
    written = write_outputs(files, outdir, force=force)
    if pdf:
        written += pack.to_pdf(written, outdir, force=force)
    for path in written:
        click.echo(str(path))


@click.command()
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
def provenance(document: Path) -> None:
    """Print, as JSON, what DOCUMENT was drafted from: answers hash, library and clause versions."""
    from drafting.build.provenance import read_provenance

    click.echo(json.dumps(read_provenance(document), indent=2, ensure_ascii=False))


COMMANDS = (assemble, provenance)
