"""`drafting assemble` and `drafting provenance`: draft the documents, and say what made one."""

from __future__ import annotations

import json
from pathlib import Path

import click

from drafting.answers import LoadedAnswers, load_answers
from drafting.assemble import assemble as assemble_document
from drafting.library import Library, load_library
from drafting.model import Document
from drafting.output import write_outputs
from drafting.provenance import read_provenance
from drafting.writers.docx import write_docx

__all__ = ["COMMANDS", "assemble", "planned_documents", "provenance"]

try:  # the pack decides which files a collaborative gets, when it is installed
    from drafting import pack as _pack
except ImportError:  # pragma: no cover - the pack ships with drafting
    _pack = None  # type: ignore[assignment]


def planned_documents(loaded: LoadedAnswers) -> list[tuple[str, str | None, str]]:
    """(kind, partner id or None, file name) of every document the answers ask for."""
    if _pack is not None:
        return [(p.kind, p.partner_id, p.filename) for p in _pack.plan(loaded.answers)]
    if "collaboration_agreement" in loaded.answers.documents:
        return [("collaboration_agreement", None, "collaboration-agreement.docx")]
    return []


def _build(library: Library, loaded: LoadedAnswers, kind: str, partner: str | None) -> Document:
    build = getattr(_pack, "build_document", None)
    if build is not None:
        return build(library, loaded, kind, partner)  # type: ignore[no-any-return]
    return assemble_document(library, loaded, kind, partner=partner)


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
    loaded = load_answers(answers)
    for warning in loaded.warnings:
        click.echo("  " + warning.format(), err=True)
    library = load_library(library_path)
    files = {
        filename: write_docx(_build(library, loaded, kind, partner), notes=notes)
        for kind, partner, filename in planned_documents(loaded)
    }
    if not files:
        raise click.UsageError("the answers ask for no document this command drafts")
    written = write_outputs(files, outdir, force=force)
    if pdf and _pack is not None:
        written += _pack.to_pdf(written, outdir, force=force)
    for path in written:
        click.echo(str(path))


@click.command()
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
def provenance(document: Path) -> None:
    """Print, as JSON, what DOCUMENT was drafted from: answers hash, library and clause versions."""
    click.echo(json.dumps(read_provenance(document), indent=2, ensure_ascii=False))


COMMANDS = (assemble, provenance)
