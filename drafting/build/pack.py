"""The pack: which documents one answers file asks for, and drafting all of them at once.

A collaborative rarely needs one document. Its answers list the kinds it wants
(`documents`); this module turns that list into the exact set of files to draft, one
sub-contract per partner of the lead provider, and drafts every one from the same clause
library, so a clause shared by two documents is one clause, at one version, in both.

`plan()` is the single answer to "which files does this collaborative get?": the command
line, the batch runner and the tests all ask it, never the answers directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from drafting.build.assemble import assemble
from drafting.errors import AssemblyError, ConversionError, OutputError
from drafting.model import Document, Paragraph, Strong, Text
from drafting.read.answers import DOCUMENT_KINDS, Answers
from drafting.read.library import Library
from drafting.read.load import LoadedAnswers
from drafting.write.docx import write_docx

__all__ = ["PlannedDocument", "PACK_KINDS", "plan", "build_document", "draft_document",
           "draft_pack", "to_pdf"]

PACK_KINDS: dict[str, str] = {
    "mou": "mou",
    "collaboration_agreement": "collaboration_agreement",
    "sub_contracts": "sub_contract",
    "committee_terms": "committee_terms",
    "data_sharing": "data_sharing",
    "accession_deed": "accession_deed",
}
"""Answers `documents` entry -> template kind (`templates/<kind>.yaml`)."""

_FILENAMES: dict[str, str] = {
    "mou": "mou.docx",
    "collaboration_agreement": "collaboration-agreement.docx",
    "committee_terms": "committee-terms.docx",
    "data_sharing": "data-sharing-agreement.docx",
    "accession_deed": "accession-deed.docx",
}


@dataclass(frozen=True)
class PlannedDocument:
    """One file of the pack: the template kind, the partner (sub-contracts only), the file name.

    `partner_id` is None for every document except a sub-contract, where it is the member
    id of the partner that signs it with the lead provider.
    """

    kind: str
    partner_id: str | None
    filename: str


def plan(answers: Answers) -> list[PlannedDocument]:
    """List the documents `answers` asks for, in a fixed order, one sub-contract per partner.

    The order is the order of `DOCUMENT_KINDS` (MOU first, accession deed last) whatever
    the order of `documents`, and a kind listed twice is drafted once. Partners are
    `answers.partners`: providers other than the lead that are not observers, so an ICB
    or an observer never gets a sub-contract.

    Raises `AssemblyError` when sub-contracts are asked for without a lead provider (the
    rules refuse such answers; this guards callers that skip them).
    """
    wanted = set(answers.documents)
    planned: list[PlannedDocument] = []
    for doc in DOCUMENT_KINDS:
        if doc not in wanted:
            continue
        kind = PACK_KINDS[doc]
        if doc != "sub_contracts":
            planned.append(PlannedDocument(kind, None, _FILENAMES[doc]))
            continue
        if answers.governance.model != "lead_provider" or answers.lead is None:
            raise AssemblyError(
                f"sub-contracts are let by a lead provider, and governance.model is "
                f"{answers.governance.model}; remove sub_contracts from documents or use "
                "the lead_provider model"
            )
        planned.extend(
            PlannedDocument(kind, m.id, f"sub-contract-{m.id}.docx") for m in answers.partners
        )
    return planned


def build_document(library: Library, loaded: LoadedAnswers, kind: str,
                   partner: str | None = None, *, templates: Path | None = None) -> Document:
    """Assemble document `kind` with the parts only the pack's documents have.

    That is `assemble()` (every schedule, the sub-contract's numbered as the head
    contract's, comes from the library through the outline) plus the accession deed's
    blank party for the member that joins. Use it, not `assemble()`, for any pack document.
    `templates` is the folder of outlines (the bundled `templates/` when None).
    """
    return assemble(library, loaded, kind, partner=partner, templates=templates,
                    last_party=_new_member if kind == "accession_deed" else None)


_BLANK_PARTY = "[●]"


def _new_member(n: int) -> Paragraph:
    """The new member, party `n` of an accession deed, with blanks to complete; its execution
    clause signs it. It carries no label: the deed's definitions define the New Member once.
    A party line is built like the members' own (`assemble._parties`)."""
    return Paragraph(level=0, style="party", inlines=(
        Text(f"({n})\t"), Strong((Text(_BLANK_PARTY),)),
        Text(" (company number or ODS code [●]) of [●]"),
    ))


def draft_document(library: Library, loaded: LoadedAnswers, planned: PlannedDocument) -> bytes:
    """Build one planned document and write it as .docx bytes."""
    return write_docx(build_document(library, loaded, planned.kind, planned.partner_id))


def draft_pack(library: Library, loaded: LoadedAnswers) -> dict[str, bytes]:
    """Draft every document `loaded` asks for: file name -> .docx bytes, in `plan()` order.

    Everything is drafted in memory first, so a failure in the last document leaves
    nothing written; the caller writes the files (see `drafting.write.output`).
    """
    return {p.filename: draft_document(library, loaded, p) for p in plan(loaded.answers)}


def to_pdf(paths: Iterable[str | Path], outdir: str | Path, *, force: bool = False) -> list[Path]:
    """Convert each .docx in `paths` to PDF in `outdir` with LibreOffice; return the PDFs.

    Checks, before converting anything, that LibreOffice is installed (`ConversionError`
    saying how to install it) and that no PDF would be overwritten without `force`
    (`OutputError` naming them). The PDFs show the table of contents with its page numbers,
    and appear all together once all are made: a failure or a timeout leaves none.
    """
    from drafting.write import convert  # only for --pdf: a draft alone never needs it

    sources = [Path(p) for p in paths]
    if not sources:
        return []
    if convert.soffice_path() is None:
        raise ConversionError(
            "--pdf needs LibreOffice to turn the .docx files into PDF, and it is not "
            "installed; install it (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) "
            "or leave out --pdf (the .docx files are complete without it)"
        )
    existing = [Path(outdir) / f"{s.stem}.pdf" for s in sources
                if (Path(outdir) / f"{s.stem}.pdf").exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise OutputError(f"would overwrite {names}; use --force to replace them",
                          file=existing[0])
    return convert.convert_pdfs(sources, outdir)
