"""The clause library: reading versions, refusing bad files, and `drafting check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drafting.cli import main
from drafting.errors import LibraryError
from drafting.read.check import check
from drafting.read.library import load_library

FIXTURES = Path(__file__).parent / "fixtures"
CLAUSES = FIXTURES / "clauses"
TEMPLATES = FIXTURES / "templates"
REAL_CLAUSES = Path(__file__).resolve().parent.parent / "clauses"


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture library."""
    target = tmp_path / "clauses"
    shutil.copytree(CLAUSES, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


class TestLoading:
    def test_versions_current_and_pinned(self) -> None:
        library = load_library(CLAUSES)
        assert library.ids() == ["counterparts", "definitions", "expulsion", "lead-role", "purpose",
                                 "voting"]
        assert library.get("purpose").version == 2
        assert library.get("purpose", 1).title == "Purpose"
        assert [c.version for c in library.history("purpose")] == [1, 2]
        assert [v.id for v in library.get("voting").variants] == ["weighted", "majority", "all-agree"]

    def test_unknown_id_suggests(self) -> None:
        with pytest.raises(LibraryError, match="did you mean 'voting'"):
            load_library(CLAUSES).get("votng")

    def test_unknown_version(self) -> None:
        with pytest.raises(LibraryError, match="no version 7"):
            load_library(CLAUSES).get("purpose", 7)

    def test_version_follows_content(self, library_dir: Path) -> None:
        before = load_library(library_dir).version
        assert before == load_library(CLAUSES).version
        edit(library_dir / "counterparts/v1.md", "signed by", "executed by")
        after = load_library(library_dir).version
        assert after != before and after.startswith("0.1.0+")

    def test_variant_body_keeps_lines(self) -> None:
        clause = load_library(CLAUSES).get("voting")
        weighted = clause.variant_body("weighted")
        assert "casts the weight" in weighted and "majority" not in weighted
        assert weighted.count("\n") == clause.body.count("\n")


class TestBadFiles:
    @pytest.mark.parametrize(("old", "new", "message", "needle"), [
        ("title: Voting\n", "title: Voting\ncolour: red\n", "colour", "colour"),
        ("status: current", "status: live", "status", "status: live"),
        ("documents: [collaboration_agreement]", "documents: [contract]", "documents", "documents:"),
        ("title: Voting\n", "title: Voting\ntitle: Again\n", "given twice", "title: Again"),
        ("version: 1", "version: 2", "v<version>.md", "id: voting"),
        ("::: variant majority", "::: variant mystery", "mystery", "::: variant mystery"),
    ])
    def test_error_names_file_and_line(self, library_dir: Path, old: str, new: str,
                                       message: str, needle: str) -> None:
        path = library_dir / "voting/v1.md"
        edit(path, old, new)
        with pytest.raises(LibraryError) as err:
            load_library(library_dir)
        assert message in err.value.message
        assert err.value.file == str(path)
        assert err.value.line == line_of(path, needle)

    def test_unclosed_variant_block(self, library_dir: Path) -> None:
        path = library_dir / "voting/v1.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(":::\n\n::: variant majority", "\n::: variant majority", 1),
                        encoding="utf-8")
        with pytest.raises(LibraryError, match="opens inside another"):
            load_library(library_dir)

    def test_two_current_versions(self, library_dir: Path) -> None:
        edit(library_dir / "purpose/v1.md", "status: superseded", "status: current")
        with pytest.raises(LibraryError, match="2 current versions"):
            load_library(library_dir)

    def test_term_defined_twice(self, library_dir: Path) -> None:
        edit(library_dir / "counterparts/v1.md", "uses: [Agreement]",
             "uses: [Agreement]\ndefines:\n  Board: another board")
        with pytest.raises(LibraryError, match="'Board' is defined twice"):
            load_library(library_dir)

    def test_missing_front_matter(self, library_dir: Path) -> None:
        (library_dir / "counterparts/v1.md").write_text("no front matter\n", encoding="utf-8")
        with pytest.raises(LibraryError, match="starts with a line `---`"):
            load_library(library_dir)


def problems(library_dir: Path) -> list[tuple[str, str | None, int | None, str]]:
    report = check(library_dir, templates=TEMPLATES)
    return [(p.rule, p.file, p.line, p.message) for p in report.errors]


class TestCheck:
    def test_fixture_library_is_clean(self) -> None:
        report = check(CLAUSES, templates=TEMPLATES)
        assert report.errors == []
        assert report.examples == 4 and report.documents == 2

    def test_unknown_answer_name_in_when(self, library_dir: Path) -> None:
        path = library_dir / "lead-role/v1.md"
        edit(path, 'when: "derived.has_lead_provider"', 'when: "derived.has_lead_provdr"')
        found = problems(library_dir)
        assert ("name", str(path), line_of(path, "has_lead_provdr"),
                ("unknown answer name 'derived.has_lead_provdr'; did you mean "
                 "'has_lead_provider'?")) in found

    def test_unknown_answer_name_in_body_and_loop(self, library_dir: Path) -> None:
        path = library_dir / "purpose/v2.md"
        edit(path, "{{ objective }}", "{{ objective }} {{ collaborative.purpse }}")
        edit(path, "collaborative.objectives %}", "collaborative.objectives %}{{ members[0].nmae }}")
        found = {(rule, file, line) for rule, file, line, _ in problems(library_dir)}
        assert ("name", str(path), line_of(path, "purpse")) in found
        assert ("name", str(path), line_of(path, "nmae")) in found

    def test_unknown_clause_in_ref(self, library_dir: Path) -> None:
        path = library_dir / "counterparts/v1.md"
        edit(path, "first page.", "first page under {ref:votng}.")
        found = problems(library_dir)
        assert any(r == "reference" and f == str(path) and line == line_of(path, "{ref:votng}")
                   and "did you mean 'voting'" in m for r, f, line, m in found)

    def test_unknown_label_in_ref(self, library_dir: Path) -> None:
        path = library_dir / "counterparts/v1.md"
        edit(path, "first page.", "first page under {ref:voting.nothing}.")
        assert any("no sub-clause labelled {#nothing}" in m for *_, m in problems(library_dir))

    def test_superseded_version_may_cite_a_label_of_an_older_target_version(
            self, library_dir: Path) -> None:
        """A draft pinned to an old version may pin the old target too, so a superseded
        version's reference to a label that only an older version of the target has stays
        valid; a current version must cite the current target."""
        edit(library_dir / "purpose/v1.md", "- The [[Member]]s", "- {#together} The [[Member]]s")
        old = library_dir / "counterparts/v1.md"
        edit(old, "first page.", "first page, as clause {ref:purpose.together} records.")
        new = library_dir / "counterparts/v2.md"
        new.write_text(old.read_text(encoding="utf-8").replace("version: 1", "version: 2"),
                       encoding="utf-8")
        edit(old, "status: current", "status: superseded")
        citing = [f for r, f, _l, m in problems(library_dir)
                  if r == "reference" and "no sub-clause labelled {#together}" in m]
        assert citing == [str(new)]

    def test_term_used_but_undefined(self, library_dir: Path) -> None:
        path = library_dir / "counterparts/v1.md"
        edit(path, "uses: [Agreement]", "uses: [Agreement, Chair]")
        edit(path, "each party", "the [[Chair]] and each party")
        assert ("term", str(path), line_of(path, "[[Chair]]"),
                "[[Chair]] is used but no clause defines it") in problems(library_dir)

    def test_term_used_but_not_in_uses(self, library_dir: Path) -> None:
        path = library_dir / "counterparts/v1.md"
        edit(path, "each party", "each [[Member]]")
        assert ("term", str(path), line_of(path, "uses:"),
                "[[Member]] is used in the body but not listed in `uses`") in problems(library_dir)

    def test_term_defined_but_never_used(self, library_dir: Path) -> None:
        path = library_dir / "definitions/v1.md"
        edit(path, "note:", "  Spare: never used\nnote:")
        assert any(f == str(path) and line == line_of(path, "Spare:")
                   and "'Spare' is defined but no clause uses it" in m
                   for _, f, line, m in problems(library_dir))

    def test_unreachable_clause(self, library_dir: Path) -> None:
        path = library_dir / "lead-role/v1.md"
        edit(path, 'when: "derived.has_lead_provider"', 'when: "collaborative.kind == \'none\'"')
        assert any(r == "unreachable" and f == str(path) and "'lead-role'" in m
                   for r, f, _, m in problems(library_dir))

    def test_ref_to_clause_left_out_is_an_assembly_error(self, library_dir: Path) -> None:
        path = library_dir / "counterparts/v1.md"
        edit(path, "first page.", "first page; see {ref:lead-role}.")
        found = problems(library_dir)
        assert any(r == "assembly" and f == str(path) and line == line_of(path, "{ref:lead-role}")
                   for r, f, line, _ in found)

    def test_cli_exit_status_and_locations(self, runner, library_dir: Path) -> None:
        path = library_dir / "lead-role/v1.md"
        edit(path, 'when: "derived.has_lead_provider"', 'when: "derived.nope"')
        result = runner.invoke(main, ["check", "--library", str(library_dir),
                                      "--templates", str(TEMPLATES)])
        assert result.exit_code == 1
        assert f"{path}:{line_of(path, 'derived.nope')}: error [name]" in result.output

    def test_every_bad_file_is_reported(self, library_dir: Path) -> None:
        edit(library_dir / "voting/v1.md", "status: current", "status: live")
        edit(library_dir / "counterparts/v1.md", "title: Counterparts", "title:")
        found = {(file, line) for _, file, line, _ in problems(library_dir)}
        assert found == {(str(library_dir / "voting/v1.md"), 5),
                         (str(library_dir / "counterparts/v1.md"), 4)}

    def test_cli_clean(self, runner) -> None:
        result = runner.invoke(main, ["check", "--library", str(CLAUSES), "--templates",
                                      str(TEMPLATES)])
        assert result.exit_code == 0, result.output
        assert "0 errors" in result.output


class TestClausesCommands:
    def test_list(self, runner) -> None:
        result = runner.invoke(main, ["clauses", "list", "--library", str(CLAUSES)])
        assert result.exit_code == 0
        assert "purpose       v2  Purpose and objectives" in result.output
        assert "[weighted, majority, all-agree]" in result.output

    def test_show_version(self, runner) -> None:
        result = runner.invoke(main, ["clauses", "show", "purpose@1", "--library", str(CLAUSES)])
        assert result.exit_code == 0
        assert result.output == (CLAUSES / "purpose/v1.md").read_text(encoding="utf-8")

    def test_history(self, runner) -> None:
        result = runner.invoke(main, ["clauses", "history", "purpose", "--library", str(CLAUSES)])
        assert result.output.splitlines() == [
            "v1  2026-11-01  superseded  First version.",
            "v2  2026-11-23  current     Objectives listed one by one.",
        ]

    def test_unknown_clause(self, runner) -> None:
        result = runner.invoke(main, ["clauses", "show", "nope", "--library", str(CLAUSES)])
        assert result.exit_code == 1 and "no clause or schedule 'nope'" in result.output


class TestRealLibrary:
    def test_loads(self) -> None:
        library = load_library(REAL_CLAUSES)
        assert "definitions" in library.ids()

    def test_check_passes(self, runner) -> None:
        result = runner.invoke(main, ["check"])
        assert result.exit_code == 0, result.output
