"""The PDF a client sees: `drafting assemble --pdf` through real LibreOffice, read with poppler.

Every check reads the PDF's own text (`pdftotext -layout`), page by page: the table of
contents shows a page number for each clause and schedule, and each heading is on that
page; no word of a table cell is broken across lines; the same .docx gives the same PDF,
also when two conversions run at once; a conversion that takes too long stops cleanly.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafting.build.pack import build_document, plan
from drafting.cli import main
from drafting.errors import ConversionError
from drafting.read.library import Library, load_library
from drafting.read.load import load_answers
from drafting.write.convert import convert, convert_pdfs
from drafting.write.widths import words
from tests.conftest import ANSWERS_DIR

NORTH_EAST = ANSWERS_DIR / "north-east-mental-health.yaml"
WEST = ANSWERS_DIR / "west-community-partnership.yaml"
PACKS = (NORTH_EAST, WEST)


@lru_cache(maxsize=1)
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Each example pack assembled with `--pdf`, as a user runs it: answers -> its folder."""
    out = {}
    for answers in PACKS:
        folder = tmp_path_factory.mktemp(answers.stem)
        result = CliRunner().invoke(main, ["assemble", str(answers), "-o", str(folder),
                                           "--pdf", "--force"])
        assert result.exit_code == 0, result.output
        out[answers] = folder
    return out


def documents() -> Iterator[tuple[Path, str, str | None, str]]:
    """(answers, kind, partner, file stem) for every document of the packs."""
    for answers in PACKS:
        for planned in plan(load_answers(answers).answers):
            yield answers, planned.kind, planned.partner_id, Path(planned.filename).stem


DOCUMENTS = list(documents())
IDS = [f"{a.stem.split('-')[0]}-{stem}" for a, _, _, stem in DOCUMENTS]


def pdf_pages(pdf: Path) -> list[list[str]]:
    """The lines of each page of `pdf` as poppler lays them out."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [page.splitlines() for page in text.split("\f")[:-1]]


def squeeze(text: str) -> str:
    return " ".join(text.split())


_LEADER = re.compile(r"^\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$")


def contents(pages: list[list[str]]) -> list[tuple[str, int]]:
    """The entries of the table of contents: (text, page number), an entry that wraps
    joined to one line.

    The contents start on the page with the "Contents" heading and go on while a page
    holds entries; each page's first and last line are its header and footer.
    """
    start = next(i for i, page in enumerate(pages) if "Contents" in map(str.strip, page))
    entries: list[tuple[str, int]] = []
    for page in pages[start:]:
        body = [line for line in page if line.strip()][1:-1]
        if not any(_LEADER.match(line) for line in body):
            break
        pending = ""
        for line in body:
            match = _LEADER.match(line)
            if match:
                entries.append((squeeze(f"{pending} {match.group(1)}"), int(match.group(2))))
                pending = ""
            elif line.strip() != "Contents":
                pending += " " + line
        assert not pending.strip(), f"an entry without a page number: {pending.strip()!r}"
    return entries


@pytest.mark.parametrize(("answers", "kind", "partner", "stem"), DOCUMENTS, ids=IDS)
def test_contents_show_the_page_of_each_heading(packs: dict[Path, Path], answers: Path,
                                                kind: str, partner: str | None,
                                                stem: str) -> None:
    pages = pdf_pages(packs[answers] / f"{stem}.pdf")
    document = build_document(library(), load_answers(answers), kind, partner)
    expected = [f"{c.number} {c.title}" for c in document.clauses]
    expected += [f"{s.number} {s.title}" for s in document.schedules]

    entries = contents(pages)
    assert [squeeze(text) for text, _ in entries] == [squeeze(e) for e in expected]
    numbers = [number for _, number in entries]
    assert numbers == sorted(numbers), "the contents go back a page"
    for text, number in entries:
        assert 1 <= number <= len(pages), f"{text}: page {number} of {len(pages)}"
        lines = [squeeze(line) for line in pages[number - 1]]
        wrapped = [f"{a} {b}" for a, b in pairwise(lines)]
        assert text in lines or text in wrapped, f"{text!r} is not on page {number}"


def test_a_document_with_drafting_notes_has_its_contents_too(tmp_path: Path) -> None:
    """Word comments (`--notes`) made LibreOffice 7.4 crash when the document was loaded
    hidden; the conversion must hold for them as well."""
    result = CliRunner().invoke(main, ["assemble", str(NORTH_EAST), "-o", str(tmp_path),
                                       "--notes", "--pdf"])
    assert result.exit_code == 0, result.output
    document = build_document(library(), load_answers(NORTH_EAST), "collaboration_agreement",
                              None)
    entries = contents(pdf_pages(tmp_path / "collaboration-agreement.pdf"))
    assert len(entries) == len(document.clauses) + len(document.schedules)
    assert entries[0] == (f"{document.clauses[0].number} {document.clauses[0].title}",
                          entries[0][1])
    assert entries[0][1] > 1


# --------------------------------------------------------------------------- tables

_LABEL = re.compile(r"\d+(\.\d+)*|\([a-z]{1,2}\)|\([A-Z]\)|\([ivx]+\)|•")
"""Tokens Word numbering (clauses, sub-clauses, recitals) and bullets add to the text, which the
.docx does not hold."""


def docx_words(path: Path) -> set[str]:
    """Every word of the document as its .docx holds it: body, tables, headers, footers."""
    with zipfile.ZipFile(path) as package:
        xml = " ".join(package.read(n).decode("utf-8") for n in package.namelist()
                       if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n))
    xml = re.sub(r"<w:instrText[^>]*>.*?</w:instrText>", "", xml, flags=re.DOTALL)
    xml = re.sub(r"<w:(tab|br|cr)\b[^>]*/>|</w:p>|</w:tc>", " ", xml)
    found = set(words(html.unescape(re.sub(r"<[^>]+>", "", xml))))
    # Between a closing and an opening bracket ("Art 9(2)|(h)") a line may break in
    # LibreOffice as the Unicode line-breaking rules allow, even where the whole reference
    # fits (the column is sized for it whole): those two pieces are the reference, not a
    # broken word.
    return found | {piece for word in found for piece in _BETWEEN_BRACKETS.split(word)}


_BETWEEN_BRACKETS = re.compile(r"(?<=\))(?=\()")


def tables(path: Path) -> list[tuple[list[str], list[str]]]:
    """Each table of the .docx: its header cells' texts, and the texts of all its cells."""
    out = []
    for table in docx.Document(str(path)).tables:
        header = [cell.text for cell in table.rows[0].cells]
        out.append((header, [cell.text for row in table.rows for cell in row.cells]))
    return out


@pytest.mark.parametrize(("answers", "kind", "partner", "stem"), DOCUMENTS, ids=IDS)
def test_no_word_of_a_table_is_broken_across_lines(packs: dict[Path, Path], answers: Path,
                                                   kind: str, partner: str | None,
                                                   stem: str) -> None:
    """Each table is found by its header row, which repeats on every page it spans; there,
    every word of its cells is whole, and nothing is a piece of a word. A line may break
    after the hyphen of "Llewelyn-Jones", as in any word processor (`widths.words`)."""
    source = packs[answers] / f"{stem}.docx"
    pages = pdf_pages(packs[answers] / f"{stem}.pdf")
    known = docx_words(source)
    found = tables(source)
    if kind == "collaboration_agreement":
        assert found, "the agreement has its schedule tables"
    for header, cells in found:
        firsts = r"\s.*".join(re.escape(text.split()[0]) for text in header)
        heading = re.compile(rf"(^|\s){firsts}(\s|$)")
        where = [page for page in pages if any(heading.search(line) for line in page)]
        assert where, f"the table headed {header} is not in the PDF"
        # A glyph the text font lacks (the ● of a [£●] placeholder) is set in a fallback
        # font, and poppler puts a space where the font changes: "[£ ●]".
        tokens = [token for page in where for line in page
                  for token in words(line.replace(" ●", "●"))]
        cell_words = {piece for text in cells for word in words(text)
                      for piece in _BETWEEN_BRACKETS.split(word)}
        shown = {piece for token in tokens for piece in _BETWEEN_BRACKETS.split(token)}
        missing = sorted(cell_words - shown)
        assert not missing, f"table {header}: words broken or lost in the PDF: {missing}"
        pieces = sorted({t for t in tokens if t not in known and not _LABEL.fullmatch(t)})
        assert not pieces, f"table {header}: pieces of words in the PDF: {pieces}"


def test_the_member_table_keeps_its_long_words_whole(packs: dict[Path, Path]) -> None:
    """The words that broke before ("Independen t", "Obser ver") on the page of Schedule 1."""
    pages = pdf_pages(packs[NORTH_EAST] / "collaboration-agreement.pdf")
    page = next(p for p in pages if "Schedule 1 Members and representatives"
                in map(squeeze, p))
    tokens = {token for line in page for token in line.split()}
    assert {"Independent", "Observer", "Northumberland,", "Representative"} <= tokens
    assert not {"Independen", "Obser", "t", "ver"} & tokens


# --------------------------------------------------------------------------- the .docx in Word


def test_word_is_asked_to_update_the_contents_on_opening(packs: dict[Path, Path]) -> None:
    """The .docx carries the contents with entries but no page numbers (only a word processor
    can paginate), so it asks Word to update its fields when opened."""
    with zipfile.ZipFile(packs[NORTH_EAST] / "collaboration-agreement.docx") as package:
        settings = package.read("word/settings.xml").decode("utf-8")
        body = package.read("word/document.xml").decode("utf-8")
    assert '<w:updateFields w:val="true"/>' in settings
    assert 'TOC \\o "1-1" \\h \\z \\u' in html.unescape(body)


# --------------------------------------------------------------------------- conversion


def test_same_docx_same_pdf_also_when_converted_side_by_side(
        packs: dict[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two conversions at once (each with its own profile) give the same bytes, dated from
    SOURCE_DATE_EPOCH."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01 00:00:00 UTC
    source = packs[NORTH_EAST] / "accession-deed.docx"
    with ThreadPoolExecutor(2) as pool:
        made = list(pool.map(lambda n: convert(source, "pdf", tmp_path / n), ["a", "b"]))
    assert made[0].read_bytes() == made[1].read_bytes()
    info = subprocess.run(["pdfinfo", "-isodates", str(made[0])], capture_output=True,
                          text=True, check=True).stdout
    assert re.search(r"CreationDate:\s+2027-01-01T00:00:00Z", info), info
    assert contents(pdf_pages(made[0]))


def _soffice_processes_under(folder: Path) -> list[str]:
    """Command lines of running processes that name `folder` (their profile is in it)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if str(folder) in text:
            found.append(text)
    return found


def test_a_conversion_that_takes_too_long_stops_and_writes_nothing(
        packs: dict[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(profiles))
    sources = [packs[NORTH_EAST] / f"{name}.docx"
               for name in ("collaboration-agreement", "accession-deed")]
    out = tmp_path / "pdf"
    with pytest.raises(ConversionError, match=r"longer than .*s to convert "
                                              r"collaboration-agreement.docx.* was stopped"):
        convert_pdfs(sources, out, timeout=0.01)
    assert not out.exists() or not list(out.iterdir())
    assert _soffice_processes_under(profiles) == []
    assert list(profiles.iterdir()) == []


def test_a_document_libreoffice_cannot_open_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "mou.docx"
    broken.write_bytes(b"PK\x03\x04 not a complete Word document")
    out = tmp_path / "pdf"
    with pytest.raises(ConversionError, match="could not open the document") as caught:
        convert_pdfs([broken], out)
    assert Path(caught.value.file or "").name == "mou.docx"
    assert not out.exists() or not list(out.iterdir())


def test_one_failure_leaves_no_pdf_of_the_others(packs: dict[Path, Path],
                                                 tmp_path: Path) -> None:
    broken = tmp_path / "mou.docx"
    broken.write_bytes(b"PK\x03\x04 not a complete Word document")
    out = tmp_path / "pdf"
    with pytest.raises(ConversionError, match="mou.docx"):
        convert_pdfs([packs[NORTH_EAST] / "accession-deed.docx", broken], out)
    assert not out.exists() or not list(out.iterdir())


def test_the_pdf_is_replaced_whole(packs: dict[Path, Path], tmp_path: Path) -> None:
    """An existing PDF is replaced by rename, never written over in place."""
    out = tmp_path / "pdf"
    (first,) = convert_pdfs([packs[NORTH_EAST] / "accession-deed.docx"], out)
    inode = os.stat(first).st_ino
    (again,) = convert_pdfs([packs[NORTH_EAST] / "accession-deed.docx"], out)
    assert again == first and os.stat(again).st_ino != inode
    assert sorted(p.name for p in out.iterdir()) == ["accession-deed.pdf"]
