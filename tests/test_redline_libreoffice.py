"""The redline opens in LibreOffice, which sees the same insertions and deletions we wrote.

LibreOffice groups adjacent tracked changes of one kind into a changed region
(``text:changed-region`` in its flat ODF); `count_regions` groups ours the same way, so
the two counts must agree. A second round trip through LibreOffice's own .docx writer must
keep every change: accepting/rejecting its output still gives the two drafts.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import docx
import pytest
from lxml import etree

from drafting.review import accept_all, compare_packages, document_texts, reject_all
from drafting.review.package import read_package
from drafting.review.revisions import count_regions
from drafting.write.convert import convert
from tests.fixtures.redline import drafts as D

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DATE = "2026-11-23T09:00:00Z"


def libreoffice_regions(path: Path, outdir: Path) -> Counter[str]:
    flat = convert(path, "fodt", outdir)
    counts: Counter[str] = Counter()
    for region in etree.parse(str(flat)).iter(f"{{{TEXT_NS}}}changed-region"):
        for change in region:
            counts[etree.QName(change).localname] += 1
    return counts


def lawyer_edits(base: bytes) -> bytes:
    """Every kind of edit at once: reword, insert, delete, move, format, cells and rows."""
    new = D.edit_reword(base, 2, "dispute risk", "disputed risks")
    extra = D.Clause("Exit Plan", ((("Each Member keeps an exit plan. ", False, False),),))
    new = D.edit_insert_clause(new, 9, extra)
    new = D.edit_delete_clause(new, 4)
    new = D.edit_move_clause(new, 5, 1)
    new = D.edit_format(new, 8)  # a numbered paragraph (bold on a heading would show nothing)
    new = D.edit_paragraph_format(new, 7)
    new = D.edit_cell(new, 0, 1, 2, "30%")
    new = D.edit_add_row(new, 0, ["West Trust", "NHS", "10%"])
    return D.edit_delete_row(new, 0, 3)


@pytest.fixture(scope="module")
def drafts() -> tuple[bytes, bytes]:
    members = D.Clause("Members", ((("The Members are listed below. ", False, False),),),
                       table=(("Name", "Kind", "Weight"), ("North Trust", "NHS", "40%"),
                              ("South Trust", "NHS", "35%"), ("Care Ltd", "IS", "25%")))
    base = D.build_draft([*D.random_clauses(random.Random(3), 3), members,
                          *D.random_clauses(random.Random(4), 4)])
    return base, lawyer_edits(base)


@pytest.fixture(scope="module")
def redline_file(drafts: tuple[bytes, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    old, new = drafts
    path = tmp_path_factory.mktemp("lo") / "redline.docx"
    path.write_bytes(compare_packages(read_package(old), read_package(new), date=DATE).data)
    return path


def test_libreoffice_sees_every_change(redline_file: Path, tmp_path: Path) -> None:
    ours = count_regions(read_package(redline_file.read_bytes()).document())
    theirs = libreoffice_regions(redline_file, tmp_path)
    assert ours["insertion"] >= 4 and ours["deletion"] >= 4
    assert theirs["insertion"] == ours["insertion"]
    assert theirs["deletion"] == ours["deletion"]
    assert theirs["format-change"] == ours["format-change"] == 1
    # LibreOffice calls a paragraph-property change "ParagraphFormat" and writes it to ODF
    # as an unknown change.
    assert theirs["UnknownChange"] == ours["paragraph-change"] >= 1


def test_libreoffice_docx_round_trip_keeps_changes(
    drafts: tuple[bytes, bytes], redline_file: Path, tmp_path: Path
) -> None:
    old, new = drafts
    saved = convert(redline_file, "docx", tmp_path)
    data = saved.read_bytes()
    assert docx.Document(str(saved)).paragraphs  # python-docx reads LibreOffice's file
    # LibreOffice writes moves back as plain insertions and deletions; the texts survive.
    assert document_texts(accept_all(read_package(data).document())) == document_texts(
        read_package(new).document())
    assert document_texts(reject_all(read_package(data).document())) == document_texts(
        read_package(old).document())
    regions = count_regions(read_package(data).document())
    ours = count_regions(read_package(redline_file.read_bytes()).document())
    assert regions["insertion"] == ours["insertion"]
    assert regions["deletion"] == ours["deletion"]


def test_libreoffice_renders_pdf(redline_file: Path, tmp_path: Path) -> None:
    pdf = convert(redline_file, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _body(paragraph_xml: str) -> etree._Element:
    return etree.fromstring(
        f'<w:document xmlns:w="{W_NS}"><w:body>{paragraph_xml}</w:body></w:document>')


REF_RENUMBERED = (
    '<w:p><w:r><w:t xml:space="preserve">as clause </w:t><w:fldChar w:fldCharType="begin"/>'
    '<w:instrText> REF _Ref_vote \\r \\h </w:instrText><w:fldChar w:fldCharType="separate"/>'
    '<w:t>11.</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>4</w:delText></w:r></w:del>'
    '<w:ins w:id="2" w:author="a"><w:r><w:t>2</w:t></w:r></w:ins>'
    '<w:r><w:fldChar w:fldCharType="end"/><w:t xml:space="preserve"> provides</w:t></w:r>'
    '<w:ins w:id="3" w:author="a"><w:r><w:t xml:space="preserve"> in full</w:t></w:r></w:ins></w:p>')

REF_INSERTED = (
    '<w:p><w:r><w:t xml:space="preserve">as </w:t></w:r><w:ins w:id="1" w:author="a">'
    '<w:r><w:t xml:space="preserve">clause </w:t><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText> REF _Ref_vote \\r \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>11.2</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:ins></w:p>')


def test_regions_leave_out_a_renumbered_cross_reference_as_libreoffice_does() -> None:
    """LibreOffice holds a field as one object and shows the number it computes, so a
    changed clause number inside a cross-reference whose code is unchanged is no region of
    its; an inserted cross-reference (its code tracked too) is, as is the change beside it."""
    assert count_regions(_body(REF_RENUMBERED)) == Counter({"insertion": 1})
    assert count_regions(_body(REF_INSERTED)) == Counter({"insertion": 1})


def _with_reference(data: bytes, bookmark: str, number: str) -> bytes:
    """`data` with a cross-reference to `bookmark` (showing `number`) closing its first
    numbered paragraph, as drafts write one: one run for the field's start and code."""
    document = D.load(data)
    paragraph = next(p for p in document.paragraphs if p.style.name == "List Number")
    paragraph._p.append(etree.fromstring(
        f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve"> (see clause </w:t>'
        f'<w:fldChar w:fldCharType="begin"/><w:instrText xml:space="preserve"> REF {bookmark}'
        f' \\r \\h </w:instrText><w:fldChar w:fldCharType="separate"/><w:t>{number}</w:t>'
        '<w:fldChar w:fldCharType="end"/><w:t>)</w:t></w:r>'))
    return D.save(document)


def test_retargeted_cross_reference_is_one_object_deleted_and_inserted(tmp_path: Path) -> None:
    """A cross-reference that now points elsewhere (its code changed, its number with it)
    is shown as the old reference deleted and the new one inserted whole: LibreOffice holds
    a field as one object, so it sees exactly the changes we wrote, and each side keeps a
    field that works."""
    base = D.build_draft(D.random_clauses(random.Random(7), 3))
    old = _with_reference(base, "_Ref_voting_power", "11.2")
    new = _with_reference(base, "_Ref_voting_rule", "11.1")
    path = tmp_path / "redline.docx"
    path.write_bytes(compare_packages(read_package(old), read_package(new), date=DATE).data)
    root = read_package(path.read_bytes()).document()
    ns = {"w": W_NS}
    assert root.xpath("//w:del//w:delInstrText/text()", namespaces=ns) == \
        [" REF _Ref_voting_power \\r \\h "]
    assert root.xpath("//w:ins//w:instrText/text()", namespaces=ns) == \
        [" REF _Ref_voting_rule \\r \\h "]
    assert "".join(root.xpath("//w:del//w:delText/text()", namespaces=ns)) == "11.2"
    assert "".join(root.xpath("//w:ins//w:t/text()", namespaces=ns)) == "11.1"
    for deleted in root.xpath("//w:del", namespaces=ns):
        kinds = deleted.xpath(".//w:fldChar/@w:fldCharType", namespaces=ns)
        assert kinds in ([], ["begin", "separate", "end"])
    assert document_texts(accept_all(read_package(path.read_bytes()).document())) == \
        document_texts(read_package(new).document())
    assert document_texts(reject_all(read_package(path.read_bytes()).document())) == \
        document_texts(read_package(old).document())
    assert libreoffice_regions(path, tmp_path) == count_regions(root) == \
        Counter({"insertion": 1, "deletion": 1})
