"""Table column widths in the .docx: fixed, in twips, and never narrower than a column's longest word.

`test_pdf.py` shows the result in LibreOffice's PDF; these tests check what Word reads: the
grid, each cell's width and the table's width agree, the layout is fixed (so Word does not
refit the columns), and each column holds its longest word at the table's font size.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from drafting.build.pack import draft_pack
from drafting.read.library import Library, load_library
from drafting.read.load import load_answers
from drafting.write import oxml
from drafting.write.widths import column_widths, word_width, words
from tests.conftest import EXAMPLES

W = oxml.NS["w"]


def qn(name: str) -> str:
    return f"{{{W}}}{name}"


@lru_cache(maxsize=1)
def library() -> Library:
    return load_library()


def _text(cell: etree._Element) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(qn("t"))) for p in cell.iter(qn("p")))


@pytest.mark.parametrize("answers", EXAMPLES, ids=lambda p: p.stem)
def test_every_table_has_a_fixed_grid_that_holds_its_longest_words(answers: Path) -> None:
    tables = 0
    for name, data in draft_pack(library(), load_answers(answers)).items():
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        text_width = oxml.text_width(root)
        for table in root.iter(qn("tbl")):
            tables += 1
            where = f"{name}, table {tables}"
            props = table.find(qn("tblPr"))
            assert props.find(qn("tblLayout")).get(qn("type")) == "fixed", where
            width = props.find(qn("tblW"))
            grid = [int(c.get(qn("w"))) for c in table.find(qn("tblGrid"))]
            assert (width.get(qn("type")), int(width.get(qn("w")))) == ("dxa", sum(grid)), where
            assert sum(grid) == text_width, where
            columns: list[list[str]] = [[] for _ in grid]
            for row in table.iter(qn("tr")):
                cells = row.findall(qn("tc"))
                assert len(cells) == len(grid), where
                for index, cell in enumerate(cells):
                    tcw = cell.find(qn("tcPr")).find(qn("tcW"))
                    assert (tcw.get(qn("type")), int(tcw.get(qn("w")))) == ("dxa", grid[index])
                    columns[index].append(_text(cell))
            for index, texts in enumerate(columns):
                longest = max((w for t in texts for w in words(t)),
                              key=lambda w: word_width(w, oxml.TABLE_FONT_HALF_POINTS))
                need = word_width(longest, oxml.TABLE_FONT_HALF_POINTS) \
                    + 2 * oxml.TABLE_CELL_MARGIN
                assert grid[index] >= need, f"{where}: column {index + 1} too narrow for {longest!r}"
    if "north-east" in str(answers):
        assert tables >= 5  # the agreement's schedules, at least


def test_the_page_width_comes_from_the_frame() -> None:
    root = etree.fromstring(
        f'<w:document xmlns:w="{W}"><w:body><w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:left="1417" w:right="1417" w:gutter="0"/></w:sectPr></w:body></w:document>')
    assert oxml.text_width(root) == 9072
    assert oxml.text_width(etree.fromstring(f'<w:document xmlns:w="{W}"/>')) == 9026
    assert oxml.A4_TEXT_WIDTH == 9026


class TestColumnWidths:
    def test_the_shares_hold_when_every_word_fits(self) -> None:
        widths = column_widths([["Item", "Voting"], ["Arrangement", "weighted"]], [35, 65],
                               9000, half_points=20, padding=256)
        assert widths == [3150, 5850]

    def test_a_column_too_narrow_for_its_longest_word_is_widened(self) -> None:
        columns = [["Member", "Priory Healthcare Limited"], ["Class", "Independent"],
                   ["Address", "Fifth Floor, 80 Hammersmith Road"]]
        need = word_width("Independent", 20) + 256
        widths = column_widths(columns, [50, 5, 45], 9000, half_points=20, padding=256)
        assert sum(widths) == 9000
        assert widths[1] == need
        # the others share what is left in their own proportions
        assert abs(widths[0] / widths[2] - 50 / 45) < 0.01

    def test_words_that_cannot_all_fit_share_the_width_in_proportion(self) -> None:
        columns = [["Northumberland"] for _ in range(8)]
        widths = column_widths(columns, [1] * 8, 4000, half_points=20, padding=256)
        assert sum(widths) == 4000 and max(widths) - min(widths) <= 8

    def test_without_shares_columns_are_equal(self) -> None:
        assert column_widths([["a"], ["b"], ["c"]], [], 9000, half_points=20,
                             padding=256) == [3000, 3000, 3000]

    def test_lines_break_at_spaces_and_after_a_hyphen_before_a_letter(self) -> None:
        assert words("Iwan Llewelyn-Jones, Wakefield WF1-3SP") == [
            "Iwan", "Llewelyn-", "Jones,", "Wakefield", "WF1-3SP"]

    def test_widths_grow_with_the_text_and_the_font_size(self) -> None:
        assert word_width("Independent", 20) > word_width("Independ", 20) > 0
        assert word_width("Independent", 24) > word_width("Independent", 20)
        # an accented letter is as wide as its base letter; an unknown character as wide as W
        assert word_width("é", 20) == word_width("e", 20)
        assert word_width("\u4e2d", 20) == word_width("W", 20)


def test_table_xml_is_well_formed_and_ordered() -> None:
    """`w:tblPr` children in the schema's order (Word refuses a part out of order)."""
    body = oxml.BodyXml()
    body.table_open(["A", "B"], [4000, 5072])
    body.table_close()
    root = etree.fromstring(f'<w:body xmlns:w="{W}">{body.text()}</w:body>')
    props = [etree.QName(e).localname for e in root.find(qn("tbl")).find(qn("tblPr"))]
    order = ["tblStyle", "tblW", "tblLayout", "tblCellMar", "tblLook"]
    assert props == order
    assert re.findall(r'w:gridCol w:w="(\d+)"', body.text()) == ["4000", "5072"]
