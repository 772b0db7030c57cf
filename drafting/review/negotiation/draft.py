"""A returned draft: what made it, read back out of it, and the documents it is weighed against.

A draft written by `drafting` carries its provenance (document kind, partner, clause and
schedule versions and variants, answers SHA-256, library version) and the text of the
answers file that made it, in two custom XML parts that Word and LibreOffice keep when they
save. `read_draft` reads both back, and counts the tracked changes still pending in it.
`rebuild` drafts the document again, either as it was before anyone edited it (the
draft's own answers and the clause versions it records: the *base* of a negotiation round)
or as it should read now (new answers, the library's current versions).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafting.errors import DraftError, LibraryError
from drafting.review.package import Package, read_package, read_provenance, relationships
from drafting.review.revisions import count_revisions

__all__ = ["Built", "Draft", "read_draft", "rebuild", "recorded_versions"]

_STORIES = ("header", "footer", "footnotes", "endnotes")


@dataclass(frozen=True)
class Draft:
    """A .docx written by `drafting`, perhaps edited since, and what it says made it."""

    source: str
    data: bytes
    package: Package
    provenance: dict[str, Any]
    answers: str
    """The text of the answers file it was drafted from."""
    pending: Counter[str]
    """Tracked changes still in it (body, headers, footers, notes), by kind; empty when none."""

    @property
    def kind(self) -> str:
        return str(self.provenance.get("document", ""))

    @property
    def partner(self) -> str | None:
        partner = self.provenance.get("partner")
        return partner if isinstance(partner, str) and partner else None


@dataclass(frozen=True)
class Built:
    """A document drafted again: the model, its .docx bytes and the package read from them."""

    document: Any  # drafting.model.Document
    data: bytes
    package: Package
    loaded: Any  # drafting.read.load.LoadedAnswers

    @property
    def provenance(self) -> dict[str, Any]:
        return dict(self.document.provenance)


def read_draft(source: str | Path | bytes) -> Draft:
    """Read a returned draft; `DraftError` when it was not made by `drafting` or does not
    carry its answers (`CompareError` when it is not a .docx at all)."""
    from lxml import etree

    from drafting.write import oxml

    package = read_package(source)
    name = package.source
    provenance = read_provenance(package)
    if provenance is None:
        raise DraftError(
            "was not made by `drafting`: it carries no drafting provenance (what it was "
            "drafted from). `drafting inspect` and `drafting update` work on documents "
            "written by `drafting assemble`, as returned after editing in Word or LibreOffice",
            file=name)
    if not isinstance(provenance.get("document"), str) or \
            not isinstance(provenance.get("clauses"), list):
        raise DraftError("its drafting provenance is damaged (no document kind or clause "
                         "list); draft it again with `drafting assemble`", file=name)
    answers = None
    for part in sorted(package.names):
        if part.startswith("customXml/item") and not part.startswith("customXml/itemProps"):
            try:
                answers = oxml.read_answers_xml(package.parts[part])
            except etree.XMLSyntaxError:  # a part that is not XML is not ours
                continue
            except ValueError as exc:
                raise DraftError(str(exc), file=name) from None
            if answers is not None:
                break
    if answers is None:
        raise DraftError(
            "does not carry the answers it was drafted from (it was drafted before drafts "
            "carried them, or saved by a program that dropped them), so what was edited "
            "cannot be told apart from what the answers gave; draft it again with "
            "`drafting assemble` and carry the edits over by hand", file=name)
    text, recorded = answers
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != provenance.get("answers_sha256") or (recorded and recorded != digest):
        raise DraftError(
            "the answers it carries do not match the answers SHA-256 of its provenance: "
            "the custom XML parts were changed outside Word; draft it again with "
            "`drafting assemble`", file=name)
    return Draft(name, source if isinstance(source, bytes) else Path(source).read_bytes(),
                 package, provenance, text, _pending(package))


def _pending(package: Package) -> Counter[str]:
    from lxml import etree

    counts: Counter[str] = Counter()
    parts = [package.main] + [rel.target for rel in relationships(package, package.main).values()
                              if rel.type in _STORIES and not rel.external]
    for part in parts:
        blob = package.parts.get(part)
        if blob is None:
            continue
        try:
            root = etree.fromstring(blob, etree.XMLParser(huge_tree=True))
        except etree.XMLSyntaxError:
            raise DraftError(f"{part} is not well-formed XML", file=package.source) from None
        counts.update(count_revisions(root))
    return +counts


def recorded_versions(provenance: dict[str, Any]) -> dict[str, int]:
    """The clause and schedule versions a draft records, as `clause_versions` pins
    (`voting`, `schedule:members`)."""
    pins: dict[str, int] = {}
    for item in provenance.get("clauses") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and \
                isinstance(item.get("version"), int):
            pins[item["id"]] = item["version"]
    for item in provenance.get("schedules") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and \
                isinstance(item.get("version"), int):
            pins[f"schedule:{item['id']}"] = item["version"]
    return pins


def _check_recorded(draft: Draft, library: Any) -> None:
    """Every clause and schedule version the draft records must be in `library`."""
    for name, version in recorded_versions(draft.provenance).items():
        schedule = name.startswith("schedule:")
        ident = name.removeprefix("schedule:")
        versions = library.schedules.get(ident) if schedule else library.clauses.get(ident)
        what = f"schedule {ident!r}" if schedule else f"clause {ident!r}"
        if not versions:
            raise LibraryError(
                f"the draft {draft.source} uses {what} version {version}, and this library "
                "has no such " + ("schedule" if schedule else "clause") + "; give --library "
                "the library the draft was drafted from", file=library.root)
        if all(v.version != version for v in versions):
            have = ", ".join(str(v.version) for v in versions)
            raise LibraryError(
                f"the draft {draft.source} uses {what} version {version}, and this library "
                f"has only version {have}; give --library the library the draft was drafted "
                "from", file=versions[-1].path.parent)


def rebuild(draft: Draft, library: Any, answers: Any = None, *, as_recorded: bool = False,
            templates: Path | None = None) -> Built:
    """Draft `draft`'s document again with `library`.

    `as_recorded`: from the draft's own answers with every clause and schedule pinned to
    the version it records (the base: the draft as it left `drafting`). Otherwise from
    `answers` (a `LoadedAnswers`; the draft's own answers when None) with the versions
    those answers pin, else the library's current ones. `LibraryError` names a recorded
    version the library no longer has; `DraftError` a partner the answers no longer have.
    """
    from drafting.build import pack
    from drafting.read.load import parse_answers
    from drafting.write.docx import write_docx

    loaded = answers
    if loaded is None or as_recorded:
        loaded = parse_answers(draft.answers, f"{draft.source} (the answers it carries)")
    if as_recorded:
        _check_recorded(draft, library)
        pins = recorded_versions(draft.provenance)
        loaded = loaded.model_copy(update={
            "answers": loaded.answers.model_copy(update={"clause_versions": pins})})
    partner = draft.partner
    if partner is not None and partner not in loaded.answers.members_by_id:
        raise DraftError(f"is the sub-contract of member {partner!r}, and the answers "
                         f"{loaded.file} have no member {partner!r}", file=draft.source)
    document = pack.build_document(library, loaded, draft.kind, partner, templates=templates)
    data = write_docx(document)
    return Built(document, data, read_package(data), loaded)
