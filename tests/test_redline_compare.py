"""`drafting compare`: the command, its clause summary, and agreements drafted by `drafting`."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.cli import main
from drafting.read.library import load_library
from drafting.review import accept_all, document_texts, reject_all
from drafting.review.check import check_redline
from drafting.review.docx import compare_files
from drafting.review.package import read_package
from drafting.review.revisions import count_regions
from drafting.review.summary import summarise
from drafting.write.convert import convert
from tests.fixtures.redline import drafts as D
from tests.test_redline_libreoffice import libreoffice_regions

ROOT = Path(__file__).resolve().parent.parent
NORTH_EAST = ROOT / "answers" / "north-east-mental-health.yaml"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A draft and the same draft after a lawyer's edits: one clause of each kind of change."""
    folder = tmp_path_factory.mktemp("pair")
    base = D.build_draft(D.random_clauses(random.Random(11), 6))
    new = D.edit_reword(base, 2, D.load(base).paragraphs[2].text.split()[1], "Quorate")
    new = D.edit_delete_clause(new, 3)  # "Clause 4 ..."
    new = D.edit_move_clause(new, 4, 1)  # "Clause 6 ..." now second
    extra = D.Clause("Exit Plan", ((("Each Member keeps an exit plan. ", False, False),),))
    new = D.edit_insert_clause(new, D.headings_paragraph_index(new, 3), extra)
    (folder / "old.docx").write_bytes(base)
    (folder / "new.docx").write_bytes(new)
    return folder / "old.docx", folder / "new.docx"


class TestCommand:
    def test_writes_redline_and_summary(self, runner: CliRunner, pair: tuple[Path, Path],
                                        tmp_path: Path) -> None:
        out = tmp_path / "redline.docx"
        result = runner.invoke(main, ["compare", str(pair[0]), str(pair[1]), "-o", str(out),
                                      "--author", "Reviewer", "--check"])
        assert result.exit_code == 0, result.output
        assert out.exists()
        lines = result.stdout.splitlines()
        assert "1 changed, 1 added, 1 removed, 1 moved" in lines[0]
        status = {line.split()[0]: line for line in lines[1:] if line.startswith("  ")}
        assert "Clause 1" in status["changed"]
        assert "Exit Plan" in status["added"]
        assert "Clause 4" in status["removed"]
        assert "Clause 6" in status["moved"]
        assert "accepting all changes gives NEW" in result.stderr

    def test_json(self, runner: CliRunner, pair: tuple[Path, Path]) -> None:
        result = runner.invoke(main, ["compare", str(pair[0]), str(pair[1]), "--json", "--check"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["clauses_by"] == "headings"
        assert report["totals"]["added"] == 1 and report["totals"]["removed"] == 1
        assert report["check"] == {"ok": True, "problems": []}
        moved = [c for c in report["clauses"] if c["moved"]]
        assert [c["title"][:8] for c in moved] == ["Clause 6"]

    def test_missing_file(self, runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path) -> None:
        result = runner.invoke(main, ["compare", str(tmp_path / "gone.docx"), str(pair[1])])
        assert result.exit_code == 1
        assert "gone.docx: no such file" in result.output

    def test_not_a_docx(self, runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path) -> None:
        bad = tmp_path / "notes.docx"
        bad.write_text("plain text")
        result = runner.invoke(main, ["compare", str(bad), str(pair[1])])
        assert result.exit_code == 1 and "not a Word document" in result.output

    def test_output_not_overwritten(self, runner: CliRunner, pair: tuple[Path, Path],
                                    tmp_path: Path) -> None:
        out = tmp_path / "redline.docx"
        out.write_bytes(b"precious")
        result = runner.invoke(main, ["compare", str(pair[0]), str(pair[1]), "-o", str(out)])
        assert result.exit_code == 1 and "--force" in result.output
        assert out.read_bytes() == b"precious"
        forced = runner.invoke(main, ["compare", str(pair[0]), str(pair[1]), "-o", str(out),
                                      "--force"])
        assert forced.exit_code == 0 and out.read_bytes() != b"precious"

    def test_same_bytes_from_same_inputs(self, runner: CliRunner, pair: tuple[Path, Path],
                                         tmp_path: Path) -> None:
        for name in ("a.docx", "b.docx"):
            args = ["compare", str(pair[0]), str(pair[1]), "-o", str(tmp_path / name),
                    "--date", "2026-11-23"]
            assert runner.invoke(main, args).exit_code == 0
        assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


@pytest.fixture(scope="module")
def agreements(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The north-east collaboration agreement drafted from its answers, and again with three
    answers changed (voting, withdrawal notice, a member's name)."""
    folder = tmp_path_factory.mktemp("assembled")
    text = NORTH_EAST.read_text()
    changed = (text.replace("  voting: weighted\n", "  voting: simple_majority\n")
               .replace("  weight_basis: contract_value\n", "")
               .replace("withdrawal_notice_months: 12", "withdrawal_notice_months: 6")
               .replace("name: Priory Healthcare Limited", "name: Priory Healthcare Group Limited"))
    assert changed.count("simple_majority") == 1 and "Group Limited" in changed
    (folder / "changed.yaml").write_text(changed)
    runner = CliRunner()
    for answers, out in ((NORTH_EAST, "old"), (folder / "changed.yaml", "new")):
        result = runner.invoke(main, ["assemble", str(answers), "-o", str(folder / out)])
        assert result.exit_code == 0, result.output
    return (folder / "old" / "collaboration-agreement.docx",
            folder / "new" / "collaboration-agreement.docx")


class TestAssembledAgreements:
    def test_round_trip(self, agreements: tuple[Path, Path], tmp_path: Path) -> None:
        old, new = agreements
        result = compare_files(old, new, tmp_path / "redline.docx", author="Reviewer")
        red = result.data
        want_new = document_texts(read_package(new).document())
        want_old = document_texts(read_package(old).document())
        assert want_new != want_old
        assert document_texts(accept_all(read_package(red).document())) == want_new
        assert document_texts(reject_all(read_package(red).document())) == want_old

    def test_summary_names_clauses_by_id(self, agreements: tuple[Path, Path]) -> None:
        summary = summarise(compare_files(*agreements))
        assert summary.by_provenance
        changed = {c.clause_id for c in summary.clauses if c.status == "changed"}
        assert {"voting", "withdrawal"} <= changed
        unchanged = {c.clause_id for c in summary.clauses if c.status == "unchanged"}
        assert "confidentiality-foi" in unchanged or len(unchanged) > 5
        voting = next(c for c in summary.clauses if c.clause_id == "voting")
        assert voting.old_version == voting.new_version == load_library().get("voting").version

    def test_withdrawal_notice_is_a_word_change(self, agreements: tuple[Path, Path]) -> None:
        root = read_package(compare_files(*agreements).data).document()
        ns = {"w": root.nsmap["w"]}
        deleted = root.xpath("//w:del//w:delText/text()", namespaces=ns)
        inserted = root.xpath("//w:ins//w:t/text()", namespaces=ns)
        assert any("12" in t or "twelve" in t for t in deleted)
        assert any("6" in t or "six" in t for t in inserted)
        assert any("Group" in t for t in inserted)

    def test_libreoffice_counts(self, agreements: tuple[Path, Path], tmp_path: Path) -> None:
        out = tmp_path / "redline.docx"
        result = compare_files(*agreements, out)
        ours = count_regions(read_package(result.data).document())
        theirs = libreoffice_regions(out, tmp_path)
        assert ours["insertion"] > 3
        assert (theirs["insertion"], theirs["deletion"]) == (ours["insertion"], ours["deletion"])
        assert convert(out, "pdf", tmp_path).stat().st_size > 0

    def test_draft_resaved_by_libreoffice(self, agreements: tuple[Path, Path],
                                          tmp_path: Path) -> None:
        """A draft saved again by another word processor: same text, rewritten XML (its table
        of contents is no longer a content control, page references are dropped)."""
        old = agreements[0]
        resaved = convert(old, "docx", tmp_path)
        result = compare_files(old, resaved)
        assert check_redline(result.data, old, resaved) == []
        assert result.counts["deleted_paragraphs"] == result.counts["inserted_paragraphs"] == 0
        # Same look written another way (styles renamed, defaults and table-style spacing
        # made explicit, theme colours named): no formatting change in the body. What
        # LibreOffice does change is shown: the page numbers it drops from the contents,
        # and the Header and Footer styles it gives the header and footer paragraphs.
        assert result.stories["body"]["formatting"] == 0
        assert result.stories["body"]["insertions"] <= 2
        # Against the changed draft too: the edits are still found word by word, the
        # paragraphs deleted and inserted whole being exactly those of the direct comparison
        # (the voting clause's sentences on weights, and a table, that the new answers leave
        # out or reshape).
        direct = compare_files(old, agreements[1]).counts
        result = compare_files(resaved, agreements[1])
        assert check_redline(result.data, resaved, agreements[1]) == []
        assert result.counts["deleted_paragraphs"] == direct["deleted_paragraphs"]
        assert result.counts["inserted_paragraphs"] == direct["inserted_paragraphs"]
        assert direct["deleted_paragraphs"] <= 3 + direct["deleted_rows"] * 6


def with_provenance(data: bytes, clauses: list[tuple[str, int]]) -> bytes:
    """`data` with a drafting provenance part and each Heading 1 bookmarked as its clause."""
    import io
    import zipfile

    from lxml import etree

    document = D.load(data)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    heads = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(heads) == len(clauses)
    for n, (p, (cid, _)) in enumerate(zip(heads, clauses)):
        start = etree.Element(f"{w}bookmarkStart", {f"{w}id": str(100 + n),
                                                    f"{w}name": f"_Ref_{cid.replace('-', '_')}"})
        end = etree.Element(f"{w}bookmarkEnd", {f"{w}id": str(100 + n)})
        p._p.insert(1, start)
        p._p.append(end)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(D.save(document))) as src, \
            zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        body = json.dumps({"document": "collaboration_agreement", "clauses": [
            {"id": cid, "version": v} for cid, v in clauses]})
        dst.writestr("customXml/item9.xml",
                     f'<provenance xmlns="urn:drafting:provenance">{body}</provenance>')
    return buffer.getvalue()


class TestProvenanceSummary:
    def test_clauses_by_id_and_version(self, tmp_path: Path) -> None:
        voting = D.Clause("Voting", ((("Each Member has one vote. ", False, False),),))
        voting2 = D.Clause("Voting", ((("Each Member has one vote. ", False, False),),
                                      (("The chair has no casting vote. ", False, False),)))
        expulsion = D.Clause("Expulsion", ((("A Member in breach may be expelled. ", False,
                                             False),),))
        joining = D.Clause("Joining", ((("A new Member signs an accession deed. ", False,
                                         False),),))
        term = D.Clause("Term", ((("This Agreement lasts five years. ", False, False),),))
        old = with_provenance(D.build_draft([voting, expulsion, term]),
                              [("voting", 1), ("expulsion", 1), ("commencement-term", 1)])
        new = with_provenance(D.build_draft([voting2, joining, term]),
                              [("voting", 2), ("joining", 1), ("commencement-term", 2)])
        (tmp_path / "old.docx").write_bytes(old)
        (tmp_path / "new.docx").write_bytes(new)
        summary = summarise(compare_files(tmp_path / "old.docx", tmp_path / "new.docx"))
        assert summary.by_provenance
        by_id = {c.clause_id: c for c in summary.clauses}
        assert by_id["voting"].status == "changed"
        assert (by_id["voting"].old_version, by_id["voting"].new_version) == (1, 2)
        assert by_id["joining"].status == "added"
        assert by_id["expulsion"].status == "removed"
        # A new library version with the same text is still reported.
        assert by_id["commencement-term"].status == "changed"
        runner = CliRunner()
        result = runner.invoke(main, ["compare", str(tmp_path / "old.docx"),
                                      str(tmp_path / "new.docx")])
        assert "voting v1 -> v2" in result.stdout and "(clauses by id)" in result.stdout
