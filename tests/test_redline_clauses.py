"""`drafting diff ID@V1 ID@V2`: word-level differences between clause versions."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from drafting.cli import main
from drafting.errors import LibraryError
from drafting.review import accept_all, document_texts, reject_all
from drafting.review.clauses import (
    clause_text,
    diff_clauses,
    load_clause,
    parse_spec,
    render_docx,
    render_html,
    render_text,
)
from drafting.review.package import read_package

LIBRARY = Path(__file__).parent / "fixtures" / "redline" / "clauses"
DATE = "2026-11-23T09:00:00Z"


@pytest.fixture(scope="module")
def voting() -> object:
    return diff_clauses(load_clause("voting", 1, LIBRARY), load_clause("voting", 2, LIBRARY))


class TestCore:
    def test_parse_spec(self) -> None:
        assert parse_spec("voting@2") == ("voting", 2)
        assert parse_spec("risk-gain-share@v3") == ("risk-gain-share", 3)
        with pytest.raises(ValueError, match="ID@VERSION"):
            parse_spec("voting:2")

    def test_paragraphs_split_on_blank_lines_and_items(self) -> None:
        text = clause_text("x", 1, "X", "- one\n  continued\n- two\n\nplain\ntext\n")
        assert text.paragraphs == ("- one continued", "- two", "plain text")

    def test_word_level_pieces(self, voting: object) -> None:
        d = voting
        assert [(p.op, p.text) for p in d.title] == [  # type: ignore[attr-defined]
            ("equal", "Voting"), ("insert", " and Decisions")]
        second = d.paragraphs[1]  # type: ignore[attr-defined]
        assert [(p.op, p.text) for p in second if p.op != "equal"] == [
            ("delete", "simple"), ("insert", "special"), ("insert", " & voting")]

    def test_removed_and_added_paragraphs(self, voting: object) -> None:
        ops = [tuple(p.op for p in para) for para in voting.paragraphs]  # type: ignore[attr-defined]
        assert ("delete",) in ops and ("insert",) in ops
        assert ops[0] == ("equal",) and ops[-1] == ("equal",)

    def test_different_clauses_refused(self) -> None:
        a = clause_text("voting", 1, "V", "x")
        b = clause_text("expulsion", 1, "E", "y")
        with pytest.raises(LibraryError, match="different clauses"):
            diff_clauses(a, b)

    def test_unknown_version(self) -> None:
        with pytest.raises(LibraryError, match="no version 9"):
            load_clause("voting", 9, LIBRARY)


class TestRenderers:
    def test_plain_text_markers(self, voting: object) -> None:
        out = render_text(voting)  # type: ignore[arg-type]
        assert "a [-simple-]{+special+} majority" in out
        assert "[-- The chair has no casting vote.-]" in out
        assert "\x1b[" not in out

    def test_colour_text(self, voting: object) -> None:
        out = render_text(voting, colour=True)  # type: ignore[arg-type]
        assert "\x1b[31;9msimple\x1b[0m" in out and "\x1b[32;4mspecial\x1b[0m" in out

    def test_html_escapes_and_marks(self, voting: object) -> None:
        page = render_html(voting)  # type: ignore[arg-type]
        tree = lxml_html.fromstring(page)
        assert tree.xpath("//del/text()")[0] == "simple"
        assert " & voting" in tree.xpath("//ins/text()")
        assert "&amp; voting" in page

    def test_docx_redline_round_trips(self, voting: object) -> None:
        data = render_docx(voting, author="Library", date=DATE)  # type: ignore[arg-type]
        v1 = load_clause("voting", 1, LIBRARY)
        v2 = load_clause("voting", 2, LIBRARY)
        accepted = document_texts(accept_all(read_package(data).document()))
        rejected = document_texts(reject_all(read_package(data).document()))
        assert accepted[1:] == [v2.title, *v2.paragraphs]
        assert rejected[1:] == [v1.title, *v1.paragraphs]
        assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "voting: v1 -> v2"
        assert render_docx(voting, author="Library", date=DATE) == data  # type: ignore[arg-type]


class TestCommand:
    def test_text(self, runner: CliRunner) -> None:
        result = runner.invoke(main, ["diff", "voting@1", "voting@2", "--library", str(LIBRARY)])
        assert result.exit_code == 0, result.output
        assert "[-simple-]{+special+}" in result.output

    def test_html_file(self, runner: CliRunner, tmp_path: Path) -> None:
        out = tmp_path / "voting.html"
        args = ["diff", "voting@1", "voting@2", "--library", str(LIBRARY), "--format", "html",
                "-o", str(out)]
        assert runner.invoke(main, args).exit_code == 0
        assert "<del>simple</del>" in out.read_text()
        again = runner.invoke(main, args)
        assert again.exit_code == 1 and "--force" in again.output
        assert runner.invoke(main, [*args, "--force"]).exit_code == 0

    def test_docx_needs_output(self, runner: CliRunner) -> None:
        result = runner.invoke(main, ["diff", "voting@1", "voting@2", "--library", str(LIBRARY),
                                      "--format", "docx"])
        assert result.exit_code == 2 and "-o FILE.docx" in result.output

    def test_docx_file(self, runner: CliRunner, tmp_path: Path) -> None:
        out = tmp_path / "voting.docx"
        result = runner.invoke(main, ["diff", "voting@1", "voting@2", "--library", str(LIBRARY),
                                      "--format", "docx", "-o", str(out), "--date", DATE])
        assert result.exit_code == 0, result.output
        root = read_package(out.read_bytes()).document()
        assert root.xpath("//w:ins", namespaces={"w": root.nsmap["w"]})

    def test_bad_spec_is_usage_error(self, runner: CliRunner) -> None:
        result = runner.invoke(main, ["diff", "voting", "voting@2", "--library", str(LIBRARY)])
        assert result.exit_code == 2 and "ID@VERSION" in result.output

    def test_unknown_clause(self, runner: CliRunner) -> None:
        result = runner.invoke(main, ["diff", "votes@1", "votes@2", "--library", str(LIBRARY)])
        assert result.exit_code == 1 and "votes" in result.output
