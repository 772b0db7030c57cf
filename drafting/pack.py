"""The pack: which documents one answers file asks for, and drafting all of them at once.

A collaborative rarely needs one document. Its answers list the kinds it wants
(`documents`); this module turns that list into the exact set of files to draft, one
sub-contract per partner of the lead provider, and drafts every one from the same clause
library, so a clause shared by two documents reads the same in both.

`plan()` is the single answer to "which files does this collaborative get?": the command
line, the batch runner and the tests all ask it, never the answers directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from drafting import convert
from drafting.answers import DOCUMENT_KINDS, Answers, LoadedAnswers
from drafting.assemble import assemble
from drafting.errors import AssemblyError, ConversionError
from drafting.library import Library
from drafting.writers.docx import write_docx

__all__ = ["PlannedDocument", "PACK_KINDS", "plan", "draft_pack", "draft_document", "to_pdf"]

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


def draft_document(library: Library, loaded: LoadedAnswers, planned: PlannedDocument) -> bytes:
    """Assemble one planned document and write it as .docx bytes."""
    document = assemble(library, loaded, planned.kind, partner=planned.partner_id)
    return write_docx(document)


def draft_pack(library: Library, loaded: LoadedAnswers) -> dict[str, bytes]:
    """Draft every document `loaded` asks for: file name -> .docx bytes, in `plan()` order.

    Everything is drafted in memory first, so a failure in the last document leaves
    nothing written; the caller writes the files (see `drafting.output`).
    """
    return {p.filename: draft_document(library, loaded, p) for p in plan(loaded.answers)}


def to_pdf(paths: Iterable[str | Path], outdir: str | Path) -> list[Path]:
    """Convert each .docx in `paths` to PDF in `outdir` with LibreOffice; return the PDFs.

    Checks for LibreOffice before converting anything, so a machine without it fails at
    once with a `ConversionError` that says how to install it, and no PDF is half-made.
    """
    sources: Sequence[str | Path] = list(paths)
    if sources and convert.soffice_path() is None:
        raise ConversionError(
            "--pdf needs LibreOffice to turn the .docx files into PDF, and it is not "
            "installed; install it (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) "
            "or leave out --pdf (the .docx files are complete without it)"
        )
    return [convert.convert(path, "pdf", outdir) for path in sources]
