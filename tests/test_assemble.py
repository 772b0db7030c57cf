"""Assembly on a small fixture library: selection, numbering, references, definitions, output."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from drafting.build import assemble as assemble_module
from drafting.build.assemble import assemble, load_outline
from drafting.errors import AssemblyError, LibraryError, OutputError
from drafting.model import Paragraph, plain
from drafting.read.library import load_library
from drafting.read.load import LoadedAnswers, parse_answers
from drafting.write.output import write_outputs
from drafting.write.text import write_text

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATES = FIXTURES / "templates"
ANSWERS = Path(__file__).resolve().parent.parent / "answers"


def answers(name: str = "north-east-mental-health", **changes: Any) -> LoadedAnswers:
    """An example's answers with dotted-path changes (`governance__voting="unanimity"`)."""
    data = yaml.safe_load((ANSWERS / f"{name}.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return parse_answers(yaml.safe_dump(data, allow_unicode=True), file=f"{name}.yaml")


def draft(loaded: LoadedAnswers | None = None, library: Path = FIXTURES / "clauses"):
    return assemble(load_library(library), loaded or answers(), "collaboration_agreement",
                    templates=TEMPLATES)


def text(loaded: LoadedAnswers | None = None) -> str:
    return write_text(draft(loaded))


class TestSelection:
    def test_clauses_and_variants_by_answers(self) -> None:
        weighted = draft(answers())
        assert [(c["id"], c["version"], c["variant"]) for c in weighted.provenance["clauses"]] == [
            ("definitions", 1, None), ("purpose", 2, None), ("lead-role", 1, None),
            ("voting", 1, "weighted"), ("expulsion", 1, None), ("counterparts", 1, None)]
        west = draft(answers("west-community-partnership"))
        ids = [c["id"] for c in west.provenance["clauses"]]
        assert "lead-role" not in ids
        assert west.provenance["clauses"][ids.index("voting")]["variant"] == "all-agree"

    def test_variant_text_follows_selection(self) -> None:
        weighted = text(answers())
        assert "casts the weight shown in Schedule 3" in weighted
        assert "needs every Member to agree" not in weighted
        majority = text(answers("west-community-partnership", governance__voting="simple_majority"))
        assert "4.2 A decision needs a majority." not in majority  # lead-role is out: voting is 3
        assert "3.2 A decision needs a majority." in majority

    def test_pinned_version(self) -> None:
        document = draft(answers(clause_versions={"purpose": 1}))
        assert {"id": "purpose", "version": 1, "variant": None} in document.provenance["clauses"]
        assert "2 PURPOSE\n2.1 The Members work together." in write_text(document)

    def test_pin_of_unknown_clause(self) -> None:
        with pytest.raises(AssemblyError, match="clause_versions pins 'votes'"):
            draft(answers(clause_versions={"votes": 1}))

    def test_schedule_when(self) -> None:
        assert [s.id for s in draft(answers()).schedules] == [
            "members", "reserved-matters", "financial-framework"]
        west = draft(answers("west-community-partnership"))
        assert [s.number for s in west.schedules] == ["Schedule 1", "Schedule 2"]


class TestNumbering:
    def test_numbers_restart_whatever_is_left_out(self) -> None:
        with_lead = draft(answers())
        without = draft(answers("west-community-partnership"))
        assert [c.number for c in with_lead.clauses] == ["1", "2", "3", "4", "5", "6"]
        assert [(c.id, c.number) for c in without.clauses][2:] == [
            ("voting", "3"), ("expulsion", "4"), ("counterparts", "5")]
        expulsion = without.clauses[3]
        numbers = [b.number for b in expulsion.blocks if isinstance(b, Paragraph) and b.number]
        assert numbers[0] == "4.1" and numbers[1] == "4.1(a)" and numbers[-1] == "4.2"

    def test_references_resolve_to_numbers(self) -> None:
        without = text(answers("west-community-partnership"))
        assert "own expulsion under 4.1." in without
        assert "A decision under 4.1 is taken as 3 provides" in without
        with_lead = text(answers())
        assert "A decision under 5.1 is taken as 4 provides" in with_lead

    def test_ref_to_left_out_clause_names_file_and_line(self, tmp_path: Path) -> None:
        import shutil

        library = tmp_path / "clauses"
        shutil.copytree(FIXTURES / "clauses", library)
        path = library / "counterparts/v1.md"
        path.write_text(path.read_text().replace("first page.", "first page; see {ref:lead-role}."))
        with pytest.raises(AssemblyError) as err:
            draft(answers("west-community-partnership"), library)
        assert err.value.file == str(path) and err.value.line == 11
        assert "{ref:lead-role}" in err.value.message
        draft(answers(), library)  # with a lead provider the reference resolves


class TestDefinitions:
    def test_only_used_terms_alphabetically(self) -> None:
        document = draft(answers("west-community-partnership"))
        definitions = document.clauses[0]
        terms = [plain(b.inlines).split("”")[0].lstrip("“") for b in definitions.blocks
                 if isinstance(b, Paragraph) and b.style == "definition"]
        assert terms == ["Agreement", "Board", "Member", "Reserved Matters"]  # no Lead Provider
        with_lead = draft(answers()).clauses[0]
        assert sum(b.style == "definition" for b in with_lead.blocks) == 5

    def test_definitions_render_answers_and_references(self) -> None:
        out = text(answers())
        assert ("“Board” means the board of the North East Specialised Mental Health Provider "
                "Collaborative, constituted under 4") in out
        assert "“Member” means each party to this Agreement, listed in Schedule 1" in out


class TestAnswersTextIsData:
    @pytest.mark.parametrize("value", ["*{{ 7*7 }}* [[Board]] {ref:voting} & <b>",
                                       "{% if true %}x{% endif %} \\* {#x}"])
    def test_literal(self, value: str) -> None:
        out = text(answers(collaborative={
            **yaml.safe_load((ANSWERS / "north-east-mental-health.yaml").read_text())[
                "collaborative"], "purpose": value}))
        assert f"The purpose of the Members is: {value}" in out


class TestDeterminism:
    def test_same_inputs_same_model(self) -> None:
        assert draft(answers()) == draft(answers())


class TestOutput:
    def test_writes_all_files(self, tmp_path: Path) -> None:
        written = write_outputs({"a.docx": b"A", "b.docx": b"B"}, tmp_path / "out")
        assert [p.read_bytes() for p in written] == [b"A", b"B"]
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.docx", "b.docx"]

    def test_files_are_as_readable_as_any_saved_file(self, tmp_path: Path) -> None:
        import os

        old = os.umask(0o022)
        try:
            (written,) = write_outputs({"a.docx": b"A"}, tmp_path)
        finally:
            os.umask(old)
        assert written.stat().st_mode & 0o777 == 0o644

    def test_refuses_overwrite_and_writes_nothing(self, tmp_path: Path) -> None:
        (tmp_path / "b.docx").write_bytes(b"lawyer's edits")
        with pytest.raises(OutputError) as err:
            write_outputs({"a.docx": b"A", "b.docx": b"B"}, tmp_path)
        assert "b.docx" in err.value.message and "--force" in err.value.message
        assert sorted(p.name for p in tmp_path.iterdir()) == ["b.docx"]
        assert (tmp_path / "b.docx").read_bytes() == b"lawyer's edits"

    def test_force_replaces(self, tmp_path: Path) -> None:
        (tmp_path / "b.docx").write_bytes(b"old")
        write_outputs({"b.docx": b"new"}, tmp_path, force=True)
        assert (tmp_path / "b.docx").read_bytes() == b"new"
        assert [p.name for p in tmp_path.iterdir()] == ["b.docx"]  # no temporary files left

    def test_refuses_paths(self, tmp_path: Path) -> None:
        with pytest.raises(OutputError):
            write_outputs({"../escape.docx": b"x"}, tmp_path)

    def test_failure_leaves_nothing(self, tmp_path: Path) -> None:
        target = tmp_path / "out"
        target.mkdir()
        (target / "b.docx").mkdir()  # cannot be replaced by a file
        with pytest.raises(OutputError):
            write_outputs({"a.docx": b"A", "b.docx": b"B"}, target, force=True)
        assert [p.name for p in target.iterdir()] == ["b.docx"]


def test_unknown_term_is_a_library_error(tmp_path: Path) -> None:
    import shutil

    library = tmp_path / "clauses"
    shutil.copytree(FIXTURES / "clauses", library)
    path = library / "counterparts/v1.md"
    path.write_text(path.read_text().replace("each party", "each [[Signatory]]"))
    with pytest.raises(LibraryError, match=r"\[\[Signatory\]\] is used but no clause defines it"):
        draft(answers(), library)


class TestOutlineReading:
    def test_each_bundled_outline_reads_as_yaml_reads_it(self) -> None:
        for path in sorted(assemble_module.TEMPLATES.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            outline = load_outline(path.stem)
            assert outline.title == str(data.get("title", path.stem))
            assert outline.clauses == tuple(str(c) for c in data["clauses"])

    def test_bad_yaml_names_the_line_as_yaml_does(self, tmp_path: Path) -> None:
        text = "title: Broken\nclauses:\n  - purpose\n  - [voting\n"
        (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(yaml.YAMLError) as expected:
            yaml.safe_load(text)
        with pytest.raises(LibraryError, match="outline is not valid YAML") as caught:
            load_outline("broken", tmp_path)
        assert str(expected.value) in caught.value.message
        assert caught.value.line == expected.value.problem_mark.line + 1  # type: ignore[attr-defined]
