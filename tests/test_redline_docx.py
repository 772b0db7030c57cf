"""`compare_files`: Word redlines of two drafts, proved by accepting and rejecting every change."""

from __future__ import annotations

import io
import random
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from lxml import etree

from drafting.errors import CompareError, OutputError
from drafting.review import accept_all, compare_packages, document_texts, reject_all
from drafting.review._oxml import qn
from drafting.review.check import check_redline
from drafting.review.docx import compare_files, revision_date
from drafting.review.package import read_package
from tests.fixtures.redline import drafts as D

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DATE = "2026-11-23T09:00:00Z"


def texts(data: bytes) -> list[str]:
    return document_texts(read_package(data).document())


def redline(old: bytes, new: bytes, **kw: str) -> bytes:
    return compare_packages(read_package(old), read_package(new), date=DATE, **kw).data


def root_of(data: bytes) -> etree._Element:
    return read_package(data).document()


def assert_round_trip(old: bytes, new: bytes, red: bytes) -> None:
    """Accept all gives exactly NEW's paragraphs, reject all exactly OLD's (cells included)."""
    assert document_texts(accept_all(root_of(red))) == texts(new)
    assert document_texts(reject_all(root_of(red))) == texts(old)
    assert check_redline(red, old, new) == []


@pytest.fixture(scope="module")
def base() -> bytes:
    return D.build_draft(D.random_clauses(random.Random(3), 6))


def para_index(data: bytes, startswith: str) -> int:
    for i, p in enumerate(D.load(data).paragraphs):
        if p.text.startswith(startswith):
            return i
    raise AssertionError(startswith)


class TestLawyersEdits:
    def test_reworded_sentence_is_word_level(self, base: bytes) -> None:
        new = D.edit_reword(base, 2, "dispute risk", "disputed risks")
        red = redline(base, new)
        assert_round_trip(base, new, red)
        root = root_of(red)
        deleted = "".join(root.xpath("//w:del//w:delText/text()", namespaces=NS))
        inserted = "".join(root.xpath("//w:ins//w:t/text()", namespaces=NS))
        assert deleted == "dispute risk"
        assert inserted == "disputed risks"
        # The paragraph itself stays: no paragraph mark is marked.
        assert not root.xpath("//w:pPr/w:rPr/w:ins | //w:pPr/w:rPr/w:del", namespaces=NS)

    def test_runs_keep_their_formatting(self) -> None:
        clause = D.Clause("Payment", ((("The Member ", False, False), ("must pay", True, False),
                                       (" within 30 days.", False, True)),))
        old = D.build_draft([clause])
        new = D.edit_reword(old, 2, "must pay", "shall pay promptly")
        red = redline(old, new)
        assert_round_trip(old, new, red)
        root = root_of(red)
        for t in root.xpath("//w:ins//w:t | //w:del//w:delText", namespaces=NS):
            run = t.getparent()
            assert run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None, t.text
        italic = root.xpath("//w:r[w:rPr/w:i]/w:t/text()", namespaces=NS)
        assert italic == [" within 30 days."]

    def test_inserted_clause_marks_paragraphs(self, base: bytes) -> None:
        extra = D.Clause("Exit Plan", ((("Each Member keeps an exit plan up to date. ", False, False),),
                                       (("The Board reviews it every year. ", False, False),)))
        at = para_index(base, "Clause 4")
        new = D.edit_insert_clause(base, at, extra)
        red = redline(base, new)
        assert_round_trip(base, new, red)
        root = root_of(red)
        marked = root.xpath("//w:p[w:pPr/w:rPr/w:ins]", namespaces=NS)
        assert [D.paragraph_text(p) for p in marked] == [
            "Exit Plan", "Each Member keeps an exit plan up to date. ",
            "The Board reviews it every year. "]

    def test_deleted_clause_marks_paragraphs(self, base: bytes) -> None:
        new = D.edit_delete_clause(base, 2)
        red = redline(base, new)
        assert_round_trip(base, new, red)
        root = root_of(red)
        deleted = root.xpath("//w:p[w:pPr/w:rPr/w:del]", namespaces=NS)
        assert deleted and D.paragraph_text(deleted[0], deleted=True).startswith("Clause 3")
        assert not root.xpath("//w:moveFrom", namespaces=NS)

    def test_moved_clause_is_a_move(self, base: bytes) -> None:
        new = D.edit_move_clause(base, 0, 3)
        red = redline(base, new)
        assert_round_trip(base, new, red)
        root = root_of(red)
        assert not root.xpath("//w:ins | //w:del", namespaces=NS)
        froms = root.xpath("//w:moveFromRangeStart/@w:name", namespaces=NS)
        tos = root.xpath("//w:moveToRangeStart/@w:name", namespaces=NS)
        assert froms and sorted(froms) == sorted(tos)
        # Every range is closed with the id of its start.
        starts = root.xpath("//w:moveFromRangeStart/@w:id | //w:moveToRangeStart/@w:id",
                            namespaces=NS)
        ends = root.xpath("//w:moveFromRangeEnd/@w:id | //w:moveToRangeEnd/@w:id", namespaces=NS)
        assert sorted(starts) == sorted(ends)

    def test_moved_and_edited_paragraph_is_deletion_plus_insertion(self, base: bytes) -> None:
        moved = D.edit_move_clause(base, 0, 3)
        first = D.load(base).paragraphs[2].text
        word = first.split()[2]
        new = D.edit_reword(moved, para_index(moved, first[:30]), word, "Xylophone")
        red = redline(base, new)
        assert_round_trip(base, new, red)
        root = root_of(red)
        moved_text = "".join(root.xpath("//w:moveFrom//w:delText/text()", namespaces=NS))
        assert first not in moved_text  # the edited paragraph is not hidden in a move
        assert first in "".join(root.xpath("//w:del//w:delText/text()", namespaces=NS))
        assert "Xylophone" in "".join(root.xpath("//w:ins//w:t/text()", namespaces=NS))

    def test_formatting_change(self, base: bytes) -> None:
        new = D.edit_format(base, 3)
        red = redline(base, new)
        assert_round_trip(base, new, red)
        root = root_of(red)
        changes = root.xpath("//w:r/w:rPr/w:rPrChange", namespaces=NS)
        assert len(changes) == 1
        run_props = changes[0].getparent()
        assert run_props.find(qn("w:b")) is not None  # bold now
        assert changes[0].find(f"{qn('w:rPr')}/{qn('w:b')}") is None  # not bold before
        # Rejecting restores the old formatting.
        rejected = reject_all(root_of(red))
        p = list(rejected.iter(qn("w:p")))[3]
        assert not p.xpath(".//w:b", namespaces=NS)

    def test_paragraph_formatting_change(self, base: bytes) -> None:
        new = D.edit_paragraph_format(base, 5)
        red = redline(base, new)
        assert_round_trip(base, new, red)
        changes = root_of(red).xpath("//w:pPr/w:pPrChange", namespaces=NS)
        assert len(changes) == 1
        assert changes[0].getparent().find(qn("w:spacing")) is not None
        assert changes[0].find(f"{qn('w:pPr')}/{qn('w:spacing')}") is None

    def test_split_runs_are_no_change(self, base: bytes) -> None:
        new = D.edit_split_runs(base, 2)
        assert new != base
        red = redline(base, new)
        assert not root_of(red).xpath("//w:ins | //w:del | //w:rPrChange", namespaces=NS)


@pytest.fixture(scope="module")
def tabled() -> bytes:
    """A draft whose first clause holds a four-row members table."""
    clause = D.Clause("Members", ((("The Members are listed below. ", False, False),),),
                      table=(("Name", "Kind", "Weight"), ("North Trust", "NHS", "40%"),
                             ("South Trust", "NHS", "35%"), ("Care Ltd", "IS", "25%")))
    return D.build_draft([clause, *D.random_clauses(random.Random(5), 2)])


class TestTables:
    def test_cell_text_change_is_word_level_inside_the_cell(self, tabled: bytes) -> None:
        new = D.edit_cell(tabled, 0, 2, 2, "30%")
        red = redline(tabled, new)
        assert_round_trip(tabled, new, red)
        root = root_of(red)
        cell = root.xpath("//w:tbl/w:tr[3]/w:tc[3]", namespaces=NS)[0]
        assert cell.xpath(".//w:del//w:delText/text()", namespaces=NS) == ["35"]
        assert cell.xpath(".//w:ins//w:t/text()", namespaces=NS) == ["30"]
        assert not root.xpath("//w:trPr/w:ins | //w:trPr/w:del", namespaces=NS)

    def test_inserted_row(self, tabled: bytes) -> None:
        new = D.edit_add_row(tabled, 0, ["West Trust", "NHS", "10%"])
        red = redline(tabled, new)
        assert_round_trip(tabled, new, red)
        rows = root_of(red).xpath("//w:tr[w:trPr/w:ins]", namespaces=NS)
        assert len(rows) == 1
        assert "West Trust" in "".join(rows[0].xpath(".//w:ins//w:t/text()", namespaces=NS))

    def test_deleted_row(self, tabled: bytes) -> None:
        new = D.edit_delete_row(tabled, 0, 2)
        red = redline(tabled, new)
        assert_round_trip(tabled, new, red)
        rows = root_of(red).xpath("//w:tr[w:trPr/w:del]", namespaces=NS)
        assert len(rows) == 1
        assert "South Trust" in "".join(rows[0].xpath(".//w:delText/text()", namespaces=NS))

    def test_whole_table_deleted(self, tabled: bytes) -> None:
        document = D.load(tabled)
        tbl = document.tables[0]._tbl
        tbl.getparent().remove(tbl)
        new = D.save(document)
        red = redline(tabled, new)
        assert_round_trip(tabled, new, red)
        rows = root_of(red).xpath("(//w:tbl)[1]/w:tr", namespaces=NS)
        assert len(rows) == 4 and all(r.xpath("w:trPr/w:del", namespaces=NS) for r in rows)

    @pytest.mark.parametrize("delete_beside", ["after", "before"])
    def test_table_reshaped_next_to_a_deleted_paragraph(self, tabled: bytes,
                                                         delete_beside: str) -> None:
        """A column taken out and the paragraph beside the table deleted. Two tables shown
        whole (one deleted, one inserted) would need a paragraph between them, right before
        a table, whose mark no word processor can track: accepting every change would leave
        an empty paragraph. So the replaced table is one table, its old rows deleted and its
        new rows inserted, and every change round-trips."""
        document = D.load(tabled)
        tbl = document.tables[0]._tbl
        for grid_col in tbl.xpath("./w:tblGrid/w:gridCol")[2:]:
            grid_col.getparent().remove(grid_col)
        for tr in tbl.xpath("./w:tr"):
            tr.remove(tr.xpath("./w:tc")[2])
        beside = tbl.getnext() if delete_beside == "after" else tbl.getprevious()
        assert beside.tag == qn("w:p")
        beside.getparent().remove(beside)
        new = D.save(document)
        result = compare_packages(read_package(tabled), read_package(new), date=DATE)
        assert result.untracked == []
        red = result.data
        assert_round_trip(tabled, new, red)
        members = [t for t in root_of(red).iter(qn("w:tbl"))
                   if "North Trust" in "".join(t.itertext())]
        assert len(members) == 1
        rows = members[0].findall(qn("w:tr"))
        shown = [("del" if r.find(f"{qn('w:trPr')}/{qn('w:del')}") is not None else "ins"
                  if r.find(f"{qn('w:trPr')}/{qn('w:ins')}") is not None else "",
                  len(r.findall(qn("w:tc")))) for r in rows]
        assert shown == [("del", 3)] * 4 + [("ins", 2)] * 4


@pytest.fixture(scope="module")
def busy(base: bytes) -> tuple[bytes, bytes]:
    """The base draft and a copy with a reword, a deletion, a move and a formatting change."""
    new = D.edit_reword(base, 2, "dispute risk", "disputed risks")
    new = D.edit_delete_clause(new, 2)
    new = D.edit_move_clause(new, 0, 3)
    new = D.edit_format(new, para_index(new, "Clause 2") + 1)
    return base, new


class TestRevisionMarks:
    def test_author_and_date_on_every_revision(self, busy: tuple[bytes, bytes]) -> None:
        red = redline(*busy, author="Jane Lawyer")
        root = root_of(red)
        revisions = root.xpath(
            "//w:ins | //w:del | //w:moveFrom | //w:moveTo | //w:rPrChange | //w:pPrChange"
            " | //w:moveFromRangeStart | //w:moveToRangeStart", namespaces=NS)
        assert len(revisions) > 10
        for el in revisions:
            assert el.get(qn("w:author")) == "Jane Lawyer"
            assert el.get(qn("w:date")) == DATE

    def test_ids_unique_across_package(self, busy: tuple[bytes, bytes]) -> None:
        old, new = busy
        # A comment and a bookmark already in the new draft hold ids 0 and 7.
        document = D.load(new)
        document.add_comment(document.paragraphs[1].runs, text="Check", author="A")
        p = document.paragraphs[2]._p
        start = etree.SubElement(p, qn("w:bookmarkStart"), {qn("w:id"): "7", qn("w:name"): "b"})
        etree.SubElement(p, qn("w:bookmarkEnd"), {qn("w:id"): "7"})
        p.insert(1, start)
        new = D.save(document)
        red = redline(old, new)
        package = read_package(red)
        ids: list[str] = []
        for name in package.names:
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(package.parts[name])
                for el in root.iter():
                    if el.get(qn("w:id")) is not None and not el.tag.endswith("RangeEnd") \
                            and not el.tag.endswith("bookmarkEnd") \
                            and not el.tag.endswith("commentRangeEnd") \
                            and not el.tag.endswith("commentReference") \
                            and not el.tag.endswith("commentRangeStart"):
                        ids.append(el.get(qn("w:id")))
        duplicates = [i for i, n in Counter(ids).items() if n > 1]
        assert duplicates == []
        assert_round_trip(old, new, red)

    def test_same_inputs_same_bytes(self, busy: tuple[bytes, bytes], tmp_path: Path) -> None:
        old, new = busy
        (tmp_path / "old.docx").write_bytes(old)
        (tmp_path / "new.docx").write_bytes(new)
        a = compare_files(tmp_path / "old.docx", tmp_path / "new.docx", tmp_path / "a.docx").data
        b = compare_files(tmp_path / "old.docx", tmp_path / "new.docx", tmp_path / "b.docx").data
        assert a == b == (tmp_path / "a.docx").read_bytes()
        # The date comes from SOURCE_DATE_EPOCH (set in conftest) unless given.
        assert root_of(a).xpath("//w:ins/@w:date", namespaces=NS)[0] == revision_date()

    def test_built_on_new_package(self, busy: tuple[bytes, bytes]) -> None:
        old, new = busy
        red = redline(old, new)
        with zipfile.ZipFile(io.BytesIO(red)) as z, zipfile.ZipFile(io.BytesIO(new)) as n:
            assert z.namelist() == n.namelist()
            for name in n.namelist():
                if name != "word/document.xml":
                    assert z.read(name) == n.read(name), name

    def test_python_docx_reads_the_redline(self, busy: tuple[bytes, bytes]) -> None:
        red = redline(*busy)
        document = docx.Document(io.BytesIO(red))
        assert document.paragraphs[0].text == "Collaboration Agreement"

    def test_existing_tracked_changes_count_as_made(self, base: bytes) -> None:
        once = D.edit_reword(base, 2, "dispute risk", "disputed risks")
        red1 = redline(base, once)
        # Comparing the redline itself (changes pending) with `once` finds nothing new.
        red2 = redline(red1, once)
        assert not root_of(red2).xpath("//w:ins | //w:del", namespaces=NS)


class TestErrors:
    def test_missing_file(self, tmp_path: Path, base: bytes) -> None:
        (tmp_path / "new.docx").write_bytes(base)
        with pytest.raises(CompareError, match="no such file"):
            compare_files(tmp_path / "nope.docx", tmp_path / "new.docx")

    def test_not_a_docx(self, tmp_path: Path, base: bytes) -> None:
        (tmp_path / "old.docx").write_text("hello")
        (tmp_path / "new.docx").write_bytes(base)
        with pytest.raises(CompareError, match="not a Word document"):
            compare_files(tmp_path / "old.docx", tmp_path / "new.docx")

    def test_zip_without_document(self, tmp_path: Path, base: bytes) -> None:
        with zipfile.ZipFile(tmp_path / "old.docx", "w") as z:
            z.writestr("hello.txt", "hi")
        (tmp_path / "new.docx").write_bytes(base)
        with pytest.raises(CompareError, match="no main document part"):
            compare_files(tmp_path / "old.docx", tmp_path / "new.docx")

    def test_output_exists(self, tmp_path: Path, base: bytes) -> None:
        for name in ("old.docx", "new.docx"):
            (tmp_path / name).write_bytes(base)
        (tmp_path / "out.docx").write_bytes(b"keep me")
        with pytest.raises(OutputError, match="--force"):
            compare_files(tmp_path / "old.docx", tmp_path / "new.docx", tmp_path / "out.docx")
        assert (tmp_path / "out.docx").read_bytes() == b"keep me"
        compare_files(tmp_path / "old.docx", tmp_path / "new.docx", tmp_path / "out.docx",
                      force=True)
        assert zipfile.is_zipfile(tmp_path / "out.docx")

    def test_bad_date(self) -> None:
        with pytest.raises(CompareError, match="ISO 8601"):
            revision_date("23/11/2026")


class TestWordProcessorNoise:
    def test_rendered_page_breaks_and_session_ids_are_no_change(self, base: bytes) -> None:
        document = D.load(base)
        for p in document.paragraphs[1:6]:
            p._p.set(qn("w:rsidR"), "00AB12CD")
            if p.runs:
                etree.SubElement(p.runs[0]._r, qn("w:lastRenderedPageBreak"))
        new = D.save(document)
        red = redline(base, new)
        assert not root_of(red).xpath("//w:ins | //w:del | //w:rPrChange", namespaces=NS)

    def test_comment_anchor_kept_in_edited_paragraph(self, base: bytes) -> None:
        document = D.load(D.edit_reword(base, 2, "dispute risk", "disputed risks"))
        document.add_comment(document.paragraphs[2].runs[0], text="Why?", author="Counsel")
        new = D.save(document)
        red = redline(base, new)
        assert_round_trip(base, new, red)
        root = root_of(red)
        assert len(root.xpath("//w:commentReference", namespaces=NS)) == 1
        assert root.xpath("//w:commentRangeStart", namespaces=NS)
        # Comments are not text: no insertion holds the anchor.
        assert not root.xpath("//w:ins//w:commentReference", namespaces=NS)
