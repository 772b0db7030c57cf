"""Schedules as library items: versions, provenance, pins, outline numbers, the glossary, and
`drafting check` over all of them; and the bundled schedules' words."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml

from drafting.build.assemble import assemble, load_outline
from drafting.build.pack import build_document, plan
from drafting.cli import main
from drafting.errors import AssemblyError, LibraryError
from drafting.model import Paragraph, Table, plain
from drafting.read.check import check
from drafting.read.library import load_library
from drafting.read.load import LoadedAnswers, load_answers, parse_answers
from drafting.write.convert import convert
from drafting.write.docx import write_docx
from drafting.write.text import write_text
from tests.conftest import ANSWERS_DIR, EXAMPLES
from tests.test_assemble import answers, draft

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATES = FIXTURES / "templates"
NORTH_EAST = ANSWERS_DIR / "north-east-mental-health.yaml"
SOUTH = ANSWERS_DIR / "south-acute-alliance.yaml"
WEST = ANSWERS_DIR / "west-community-partnership.yaml"


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture library, schedules and glossary included."""
    target = tmp_path / "clauses"
    shutil.copytree(FIXTURES / "clauses", target)
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


def new_members_version(library: Path) -> Path:
    """Release version 2 of the fixture members schedule: its first column is renamed."""
    old = library / "schedules/members/v1.md"
    new = old.with_name("v2.md")
    text = old.read_text(encoding="utf-8")
    new.write_text(text.replace("version: 1", "version: 2")
                   .replace("change: First version.", "change: The legal name, in words.")
                   .replace("| Member | Kind |", "| Legal name | Kind |"), encoding="utf-8")
    edit(old, "status: current", "status: superseded")
    return new


def variant(path: Path, **changes: object) -> LoadedAnswers:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return parse_answers(yaml.safe_dump(data, sort_keys=False), file=f"{path.stem}-variant.yaml")


def schedule_text(loaded: LoadedAnswers, kind: str, partner: str | None = None) -> str:
    document = build_document(load_library(), loaded, kind, partner)
    text = write_text(document)
    if not document.schedules:
        return ""
    first = document.schedules[0]
    return text[text.index(f"{first.number.upper()} {first.title.upper()}"):]


# --------------------------------------------------------------------------- the library


class TestScheduleFiles:
    def test_loaded_by_version_and_addressed(self) -> None:
        library = load_library(FIXTURES / "clauses")
        assert sorted(library.schedules) == ["financial-framework", "members", "reserved-matters"]
        members = library.get_schedule("members")
        assert members.ref == "schedule:members@1" and members.part == "schedule"
        assert library.resolve("members") == ("schedule", "members")
        assert library.resolve("schedule:members") == ("schedule", "members")
        assert library.resolve("voting") == ("clause", "voting")
        with pytest.raises(LibraryError, match="no clause or schedule 'membres'.*'members'"):
            library.resolve("membres")

    def test_a_plain_id_names_the_clause_when_both_have_it(self) -> None:
        library = load_library()
        assert library.item("sc-services").part == "clause"
        assert library.item("schedule:sc-services").part == "schedule"
        assert library.item("schedule:sc-services").title == "Services"

    def test_titles_by_document(self) -> None:
        members = load_library().get_schedule("members")
        assert members.title_in("collaboration_agreement") == "Members and representatives"
        assert members.title_in("committee_terms") == "Membership"

    def test_bad_front_matter_names_file_and_line(self, library_dir: Path) -> None:
        path = library_dir / "schedules/members/v1.md"
        edit(path, "status: current", "status: live")
        with pytest.raises(LibraryError) as err:
            load_library(library_dir)
        assert err.value.file == str(path) and err.value.line == line_of(path, "status:")

    def test_the_library_version_follows_schedules_and_glossary(self, library_dir: Path) -> None:
        before = load_library(library_dir).version
        edit(library_dir / "glossary.yaml", "text: an NHS trust", "text: an NHS Trust")
        after = load_library(library_dir).version
        edit(library_dir / "schedules/members/v1.md", "| Kind |", "| Kind of body |")
        assert len({before, after, load_library(library_dir).version}) == 3


class TestVersions:
    def test_a_new_version_is_in_the_history_and_the_documents(self, runner,
                                                              library_dir: Path) -> None:
        new_members_version(library_dir)
        result = runner.invoke(main, ["clauses", "history", "schedule:members",
                                      "--library", str(library_dir)])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == [
            "v1  2026-11-29  superseded  First version.",
            "v2  2026-11-29  current     The legal name, in words.",
        ]
        plain_id = runner.invoke(main, ["clauses", "history", "members",
                                        "--library", str(library_dir)])
        assert plain_id.output == result.output
        document = draft(answers(), library_dir)
        assert document.provenance["schedules"][0] == {"id": "members", "version": 2,
                                                       "variant": None}
        assert document.schedules[0].blocks[0].header[0] == "Legal name"  # type: ignore[union-attr]

    @pytest.mark.parametrize("name", ["schedule:members", "members"])
    def test_pinning_a_schedule_version(self, library_dir: Path, name: str) -> None:
        new_members_version(library_dir)
        document = draft(answers(clause_versions={name: 1, "purpose": 1}), library_dir)
        assert {"id": "members", "version": 1, "variant": None} in document.provenance["schedules"]
        assert {"id": "purpose", "version": 1, "variant": None} in document.provenance["clauses"]
        assert document.schedules[0].blocks[0].header[0] == "Member"  # type: ignore[union-attr]

    def test_pinning_a_schedule_version_that_does_not_exist(self, library_dir: Path) -> None:
        with pytest.raises(LibraryError, match=r"schedule 'members' has no version 7 \(it has 1\)"):
            draft(answers(clause_versions={"schedule:members": 7}), library_dir)
        with pytest.raises(AssemblyError, match="clause_versions pins 'schedule:membres'"):
            draft(answers(clause_versions={"schedule:membres": 1}), library_dir)

    def test_diff_show_and_list(self, runner, library_dir: Path) -> None:
        new = new_members_version(library_dir)
        diff = runner.invoke(main, ["clauses", "diff", "schedule:members@1", "schedule:members@2",
                                    "--library", str(library_dir)])
        assert diff.exit_code == 0, diff.output
        assert "[-Member-]{+Legal name+}" in diff.output
        show = runner.invoke(main, ["clauses", "show", "schedule:members@2",
                                    "--library", str(library_dir)])
        assert show.output == new.read_text(encoding="utf-8")
        listed = runner.invoke(main, ["clauses", "list", "--library", str(library_dir)])
        assert re.search(r"^schedule:members +v2  Members and representatives  "
                         r"\(collaboration_agreement\)$", listed.output, re.MULTILINE)


class TestProvenance:
    def test_the_document_names_each_schedule_version(self, runner, tmp_path: Path) -> None:
        document = build_document(load_library(), load_answers(WEST), "collaboration_agreement")
        path = tmp_path / "agreement.docx"
        path.write_bytes(write_docx(document))
        result = runner.invoke(main, ["provenance", str(path)])
        assert result.exit_code == 0, result.output
        schedules = json.loads(result.output)["schedules"]
        assert [s["id"] for s in schedules] == [
            "members", "services", "board-terms", "reserved-matters", "financial-framework",
            "data-sharing", "exit-plan"]
        library = load_library()
        assert all(s["version"] == library.get_schedule(s["id"]).version for s in schedules)


class TestOutline:
    def outline(self, tmp_path: Path, schedules: str) -> Path:
        folder = tmp_path / "templates"
        folder.mkdir()
        text = (TEMPLATES / "collaboration_agreement.yaml").read_text(encoding="utf-8")
        text = re.sub(r"schedules: .*", schedules, text).replace(
            "frame: ../../../templates/", f"frame: {Path(__file__).parent.parent}/templates/")
        (folder / "collaboration_agreement.yaml").write_text(text, encoding="utf-8")
        return folder

    def test_a_fixed_number_that_cannot_be_kept(self, tmp_path: Path) -> None:
        folder = self.outline(tmp_path, "schedules:\n  - members\n  - {id: financial-framework, "
                              "number: 2}\n  - {id: reserved-matters, number: 3}")
        library = load_library(FIXTURES / "clauses")
        weighted = assemble(library, answers(), "collaboration_agreement", templates=folder)
        assert [s.number for s in weighted.schedules] == ["Schedule 1", "Schedule 2", "Schedule 3"]
        outline = folder / "collaboration_agreement.yaml"
        with pytest.raises(LibraryError) as err:
            assemble(library, answers("west-community-partnership"), "collaboration_agreement",
                     templates=folder)
        assert err.value.file == str(outline)
        assert err.value.line == line_of(outline, "reserved-matters")
        assert "must be Schedule 3, but it comes out as Schedule 2" in err.value.message

    @pytest.mark.parametrize(("entry", "message"), [
        ("{id: members, title: Members}", "its title and `when` are in its library file"),
        ("{id: members, numbr: 1}", "unknown keys numbr"),
        ("{id: members, number: first}", "`number` is a whole number"),
        ("{id: Members!}", "a schedule id"),
    ])
    def test_outline_entries(self, tmp_path: Path, entry: str, message: str) -> None:
        folder = self.outline(tmp_path, f"schedules:\n  - {entry}")
        with pytest.raises(LibraryError, match=re.escape(message)) as err:
            load_outline("collaboration_agreement", folder)
        assert err.value.file == str(folder / "collaboration_agreement.yaml")

    def test_an_unknown_schedule_names_the_outline_line(self, tmp_path: Path) -> None:
        folder = self.outline(tmp_path, "schedules:\n  - members\n  - exit-plan")
        with pytest.raises(LibraryError, match="no schedule 'exit-plan'") as err:
            assemble(load_library(FIXTURES / "clauses"), answers(), "collaboration_agreement",
                     templates=folder)
        assert err.value.line == line_of(folder / "collaboration_agreement.yaml", "exit-plan")

    def test_the_sub_contract_keeps_the_head_contract_numbers(self) -> None:
        document = build_document(load_library(), load_answers(NORTH_EAST), "sub_contract",
                                  "priory")
        assert [(s.number, s.id) for s in document.schedules] == [
            ("Schedule 1", "sc-commencement"), ("Schedule 2", "sc-services"),
            ("Schedule 3", "sc-payment"), ("Schedule 4", "sc-quality"),
            ("Schedule 5", "sc-governance"), ("Schedule 6", "sc-reporting"),
            ("Schedule 7", "sc-pensions"), ("Schedule 8", "sc-staff-transfer")]
        governance = [plain(b.inlines) for b in document.schedules[4].blocks  # type: ignore[union-attr]
                      if not isinstance(b, Table)]
        assert governance[0] == "Part A: Documents relied on"
        assert any(p.startswith("Not used. The Lead Provider alone contracts with the")
                   for p in governance)


# --------------------------------------------------------------------------- check


def errors(library_dir: Path) -> list[tuple[str, str | None, int | None, str]]:
    report = check(library_dir, templates=TEMPLATES)
    return [(p.rule, p.file, p.line, p.message) for p in report.errors]


def warnings(library_dir: Path) -> list[tuple[str, str | None, int | None, str]]:
    report = check(library_dir, templates=TEMPLATES)
    return [(p.rule, p.file, p.line, p.message) for p in report.warnings]


class TestGlossaryCheck:
    def test_a_missing_value_fails(self, library_dir: Path) -> None:
        path = library_dir / "glossary.yaml"
        text = path.read_text(encoding="utf-8")
        entry = re.search(r"  majority_including_lead:\n(    .*\n)+", text)
        assert entry is not None
        path.write_text(text.replace(entry.group(0), ""), encoding="utf-8")
        found = errors(library_dir)
        assert ("glossary", str(path), line_of(path, "governance.quorum:"),
                ("no words for majority_including_lead: add it under governance.quorum "
                 "(text and table)")) in found

    def test_a_value_that_does_not_exist_fails(self, library_dir: Path) -> None:
        path = library_dir / "glossary.yaml"
        edit(path, "governance.quorum:\n", "governance.quorum:\n  majority_of_all: most of them\n")
        assert any(rule == "glossary" and file == str(path)
                   and line == line_of(path, "majority_of_all")
                   and message.startswith("'majority_of_all' is not a value of governance.quorum")
                   for rule, file, line, message in errors(library_dir))

    def test_an_answer_that_does_not_exist_fails(self, library_dir: Path) -> None:
        path = library_dir / "glossary.yaml"
        edit(path, "governance.quorum:\n", "governance.quorom:\n  majority: most\n"
                                           "governance.quorum:\n")
        assert ("glossary", str(path), line_of(path, "governance.quorom:"),
                ("'governance.quorom' is not an answer with a fixed set of values; did you "
                 "mean 'governance.quorum'?")) in errors(library_dir)

    def test_words_with_an_undefined_term_fail(self, library_dir: Path) -> None:
        path = library_dir / "glossary.yaml"
        edit(path, "text: an NHS trust", "text: an [[NHS Body]]")
        assert any(rule == "term" and file == str(path) and "[[NHS Body]]" in message
                   for rule, file, _line, message in errors(library_dir))

    def test_the_bundled_glossary_covers_every_value(self) -> None:
        report = check()
        assert not [p for p in report.problems if p.rule == "glossary"]


class TestScheduleCheck:
    schedule = "schedules/reserved-matters/v1.md"

    @pytest.mark.parametrize(("old", "new", "needle", "rule", "message"), [
        ("{% for matter", "{% for matter in %}{% for matter", "{% for matter in %}", "syntax",
         "Jinja"),
        ("governance.reserved_matters %}", "governance.reserved_mattrs %}", "reserved_mattrs",
         "name", "unknown answer name 'governance.reserved_mattrs'"),
        ("words_for('governance.reserved_matters')", "words_for('governance.reserved')",
         "governance.reserved')", "glossary", "the glossary has no entry 'governance.reserved'"),
        ("- {{ matter", "- {#item} {{ matter", "{#item}", "schedule", "a schedule has no numbered"),
        ("- {{ matter", "  - {{ matter", "  - {{ matter", "schedule", "lists have one level"),
        ("The [[Reserved Matters]] are:", "The [[Reserved Matters]] are:\n\n| A | B |\n| 1 | 2 |",
         "| 1 | 2 |", "table", "the second row of a table"),
        ("The [[Reserved Matters]] are:",
         "The [[Reserved Matters]] are:\n\n| A | B |\n|---|---|\n| 1 | 2 | 3 |",
         "| 1 | 2 | 3 |", "table", "3 cells and the header 2"),
        ("The [[Reserved Matters]] are:", "The [[Reserved Matters]] are {{ governance.quorum }}:",
         "{{ governance.quorum }}", "raw-value", "an answer value printed as it is"),
        ("The [[Reserved Matters]] are:", "{{ governance.meetings_in_public }}",
         "meetings_in_public", "raw-value", "a yes/no answer printed as True or False"),
        ("The [[Reserved Matters]] are:", "See {sched:reserved}.", "{sched:reserved}",
         "reference", "no schedule 'reserved' in the library; did you mean 'reserved-matters'?"),
    ])
    def test_a_broken_schedule_is_named_by_file_and_line(
            self, library_dir: Path, old: str, new: str, needle: str, rule: str,
            message: str) -> None:
        path = library_dir / self.schedule
        edit(path, old, new)
        found = errors(library_dir)
        assert any(r == rule and f == str(path) and line == line_of(path, needle)
                   and message in m for r, f, line, m in found), found

    def test_an_unreachable_schedule(self, library_dir: Path) -> None:
        path = library_dir / "schedules/financial-framework/v1.md"
        edit(path, "when: \"governance.voting == 'weighted'\"", "when: \"governance.voting == 'x'\"")
        assert ("unreachable", str(path), line_of(path, "when:"),
                ("no example answers reach schedule 'financial-framework' in "
                 "collaboration_agreement: add an example that needs it, or check its `when` "
                 "and the outlines")) in errors(library_dir)

    def test_a_raw_value_in_a_clause_is_a_warning(self, library_dir: Path) -> None:
        path = library_dir / "counterparts/v1.md"
        edit(path, "first page.", "first page, {{ governance.quorum | humanise }}.")
        assert any(r == "raw-value" and f == str(path) and "humanise" in m
                   for r, f, _line, m in warnings(library_dir))
        assert not any(r == "raw-value" for r, *_ in errors(library_dir))

    def test_cli_names_the_schedule_file_and_line(self, runner, library_dir: Path) -> None:
        path = library_dir / self.schedule
        edit(path, "The [[Reserved Matters]] are:", "The [[Reserved Matters]] are {{ nope }}:")
        result = runner.invoke(main, ["check", "--library", str(library_dir),
                                      "--templates", str(TEMPLATES)])
        assert result.exit_code == 1
        assert f"{path}:{line_of(path, '{{ nope }}')}: error [name]" in result.output
        assert "Checked 6 clauses and 3 schedules (11 versions)" not in result.output
        assert "Checked 6 clauses and 3 schedules (10 versions) and the glossary" in result.output


# --------------------------------------------------------------------------- bundled words


_RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|\bNone\b|\bTrue\b|\bFalse\b|\[\[|\{\{|\{%|\{ref:|\{sched:")


class TestBundledSchedules:
    def test_no_raw_value_or_markup_in_any_schedule(self) -> None:
        for path in EXAMPLES:
            loaded = load_answers(path)
            for planned in plan(loaded.answers):
                text = schedule_text(loaded, planned.kind, planned.partner_id)
                assert not _RAW.findall(text), (planned.filename, _RAW.findall(text))

    def test_board_terms_in_words(self) -> None:
        text = schedule_text(load_answers(NORTH_EAST), "collaboration_agreement")
        # the quorum is stated in the clause on the Board, which the row refers to; round 13
        # (F7): the row also gives it as a number, from the same answers
        assert re.search(r"Quorum \| 2 of 3 Voting Members, including the Lead Provider "
                         r"\(clause \d+\.\d+\)", text)
        # the Lead Provider holds the casting vote, as the deadlock clause gives it; round 24:
        # with three Voting Members any two carry a proposal, so the row says it cannot operate
        assert "Deadlock | The Lead Provider's casting vote (clause" in text
        assert "cannot change the outcome of any vote while any two Voting Members" in text
        assert "representative has a casting vote" not in text
        assert "Meetings | Every month, in private, with a summary of decisions published" in text
        assert "majority including lead" not in text
        assert "lead provider casting vote" not in text

    def test_a_rotating_chair_in_words(self) -> None:
        text = schedule_text(load_answers(SOUTH), "mou")
        # the chair is stated once, in the governance clause, which the row refers to
        assert re.search(r"Chair \| As clause \d+\.\d+ provides", text)
        assert "rotating" not in text

    def test_figures_only_where_a_clause_creates_them(self) -> None:
        north = schedule_text(load_answers(NORTH_EAST), "collaboration_agreement")
        # Values, running-cost shares and weights are one table, the risk share a second, so
        # that no column is too narrow for its figures.
        assert "Member | Annual Contract Value | Share of the running costs | Voting weight\n" in north
        assert "Member | Share of a deficit | Loss cap a year | Share of a surplus\n" in north
        # round 22: with a covenant member's fixed sum, the share of the rest it actually pays
        assert ("Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust | £38,000,000 | "
                "47.5% of what remains after the fixed sum (41.3% of the whole) | 41.3%\n") \
            in north
        assert ("Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust | 47.5% | £760,000 | "
                "41.3%\n") in north
        assert ("Priory Healthcare Limited is a Covenant Member and bears no Loss Share, "
                "because of its banking covenants") in north
        west = schedule_text(load_answers(WEST), "collaboration_agreement")
        assert "Member | Annual Contract Value | Share of the running costs\n" in west
        assert "Member | Share of a deficit\n" in west
        assert "Voting weight" not in west and "Share of a surplus" not in west
        assert "Covenant Member" not in west and "Lead Provider" not in west

    def test_running_costs_and_a_special_majority_in_words(self) -> None:
        loaded = variant(SOUTH, documents=["mou", "collaboration_agreement"])
        text = schedule_text(loaded, "collaboration_agreement")
        assert "The Members bear the Running Costs in the shares set out in clause" in text
        assert "shared equal" not in text
        assert ("Decisions | By a special majority, each Voting Member having one vote: at least "
                "75% of the Voting Members present") in text
        assert "Share of a deficit" not in text and "Voting weight" not in text

    def test_data_sharing_in_words_with_placeholders(self) -> None:
        north = schedule_text(load_answers(NORTH_EAST), "collaboration_agreement")
        assert "Data shared | Identifiable patient data, as that agreement describes it" in north
        assert "identifiable direct care" not in north
        # the data sharing agreement describes the data in its clause, adding no purpose
        assert "Data shared | As described in clause 2.2" in \
            schedule_text(load_answers(NORTH_EAST), "data_sharing")
        loaded = variant(NORTH_EAST, data={"kinds": "anonymised", "controller_model": None,
                                           "legal_gateway": None, "dpia": None})
        text = schedule_text(loaded, "data_sharing")
        assert "Data shared | As described in clause 2.2" in text
        # no personal data is shared: the row follows the data protection clause (round 9b, D3.2)
        assert ("Controllers | Each Member is a separate controller of any Personal Data it "
                "processes; the data shared identifies no one") in text
        assert ("Data protection impact assessment | [●] (to be completed before any data is "
                "shared)") in text

    def test_the_answers_lists_as_sentences(self) -> None:
        text = schedule_text(load_answers(NORTH_EAST), "collaboration_agreement")
        # round 11c: a service name from the answers gets its noun
        assert ("- CAMHS inpatient services;\n- adult low and medium secure services; and\n"
                "- adult eating disorder services.") in text
        assert "- Reinvest savings in community alternatives to admission.\n" in text


# --------------------------------------------------------------------------- Word and LibreOffice


HOSTILE = "& < {{ 7*7 }} *x* {ref:y} | [[Board]] \\"


def test_hostile_answer_text_in_a_table_cell_survives_word_and_libreoffice(tmp_path: Path) -> None:
    data = yaml.safe_load(NORTH_EAST.read_text(encoding="utf-8"))
    data["members"][0]["representative"]["name"] = HOSTILE
    data["members"][0]["address"] = "1 <Main> Street & Co | Unit 2"
    loaded = parse_answers(yaml.safe_dump(data, allow_unicode=True), file="hostile.yaml")
    document = build_document(load_library(), loaded, "collaboration_agreement")
    table = document.schedules[0].blocks[0]
    assert isinstance(table, Table) and len(table.rows) == 4
    source = tmp_path / "agreement.docx"
    source.write_bytes(write_docx(document))
    tables = docx.Document(io.BytesIO(source.read_bytes())).tables
    assert tables[0].rows[1].cells[3].text == "1 <Main> Street & Co | Unit 2"
    # round 11b (E1.2): with an observer the tables are headed "Party" and show the class
    assert tables[1].rows[1].cells[3].text == f"{HOSTILE}, Director of Strategy"
    again = docx.Document(str(convert(source, "docx", tmp_path / "lo"))).tables
    assert [c.text for c in again[0].rows[0].cells] == [
        "Party", "Kind of body", "Class", "Address"]
    assert [c.text for c in again[1].rows[0].cells] == [
        # round 13 (D4): Schedule 1 shows the person for notices
        "Party", "Class", "Email for notices",
        "Representative or named contact and person for notices", "Deputy"]
    assert again[1].rows[1].cells[3].text == f"{HOSTILE}, Director of Strategy"
    assert again[0].rows[1].cells[1].text == "NHS foundation trust"
    assert isinstance(document.schedules[1].blocks[0], Paragraph)
