"""Clause markup and the Jinja sandbox: levels, labels, inline markup, tables, literal answers
text, and the glossary's words for answer values."""

from __future__ import annotations

import pytest

from drafting.errors import LibraryError
from drafting.model import Emph, Paragraph, Ref, SchedRef, Strong, Table, Term, Text
from drafting.read import conditions
from drafting.read.markup import (
    parse_blocks,
    parse_body,
    parse_clause,
    parse_inlines,
    split_paragraphs,
)


def body(source: str, context: dict | None = None) -> list[Paragraph]:
    template = conditions.compile_body(source, "clause.md")
    rendered = conditions.render(template, context or {}, file="clause.md")
    return parse_body(rendered.text, rendered.literals)


class TestParagraphs:
    def test_levels_labels_and_continuation_lines(self) -> None:
        paras = body(
            "Intro text\nstill intro.\n\n"
            "- {#first} A sub-clause\n  continued here.\n"
            "  - a paragraph\n"
            "    - a sub-paragraph\n"
            "- second\n"
        )
        assert [(p.level, p.label) for p in paras] == [
            (0, None), (1, "first"), (2, None), (3, None), (1, None)]
        assert paras[0].inlines == (Text("Intro text still intro."),)
        assert paras[1].inlines == (Text("A sub-clause continued here."),)

    def test_blank_line_separates_paragraphs(self) -> None:
        assert len(body("one\n\ntwo")) == 2

    def test_empty_numbered_paragraph_is_dropped(self) -> None:
        paras = body("- kept\n- {% if false %}gone{% endif %}\n- also kept\n")
        assert [p.inlines for p in paras] == [(Text("kept"),), (Text("also kept"),)]

    def test_too_deep_indent_is_an_error_with_line(self) -> None:
        with pytest.raises(LibraryError) as err:
            split_paragraphs("- a\n      - too deep", file="c.md", line_offset=10)
        assert err.value.line == 12

    def test_jinja_loop_makes_list_items(self) -> None:
        paras = body("- Objectives:\n{% for o in items %}\n  - {{ o }}\n{% endfor %}\n",
                     {"items": ["one", "two"]})
        assert [(p.level, p.inlines) for p in paras] == [
            (1, (Text("Objectives:"),)), (2, (Text("one"),)), (2, (Text("two"),))]


class TestInlines:
    def test_markup(self) -> None:
        assert parse_inlines("**bold** *it* [[Board]]s {ref:voting.majority} {sched:members}") == (
            Strong((Text("bold"),)), Text(" "), Emph((Text("it"),)), Text(" "), Term("Board"),
            Text("s "), Ref("voting.majority"), Text(" "), SchedRef("members"),
        )

    def test_escapes_keep_markup_characters(self) -> None:
        assert parse_inlines(r"\*not italic\* \[\[x]] \{ref:y}") == (
            Text("*not italic* [[x]] {ref:y}"),)

    def test_unclosed_star_is_an_asterisk(self) -> None:
        assert parse_inlines("5 * 3") == (Text("5 * 3"),)


NASTY = ["*", "**x**", "[[Board]]", "{ref:voting}", "{sched:members}", "{{ 7*7 }}",
         "{% if true %}x{% endif %}", "& < > \" '", "\\*", "{#label}", "- dash", "\ue0000\ue001"]


class TestLiteralAnswers:
    @pytest.mark.parametrize("value", NASTY)
    def test_expression_output_is_literal(self, value: str) -> None:
        (para,) = body("- Name: {{ name }}.", {"name": value})
        assert para.inlines == (Text(f"Name: {value}."),)

    def test_strict_undefined_names_the_line(self) -> None:
        with pytest.raises(LibraryError) as err:
            conditions.render(conditions.compile_body("ok\n\n{{ governance.votign }}", "c.md"),
                              {"governance": {"voting": "x"}}, file="c.md", line_offset=9)
        assert err.value.file == "c.md" and err.value.line == 12
        assert "votign" in err.value.message

    def test_sandbox_refuses_attribute_tricks(self) -> None:
        template = conditions.compile_body("{{ ''.__class__.__mro__ }}", "c.md")
        with pytest.raises(LibraryError):
            conditions.render(template, {}, file="c.md")

    def test_syntax_error_names_the_line(self) -> None:
        with pytest.raises(LibraryError) as err:
            conditions.compile_body("a\nb {% if %}", "c.md")
        assert err.value.line == 2

    def test_condition_with_unknown_name_fails(self) -> None:
        with pytest.raises(LibraryError) as err:
            conditions.evaluate("governance.votign == 'x'", {"governance": {}}, file="c.md", line=4)
        assert (err.value.file, err.value.line) == ("c.md", 4)


class TestFilters:
    @pytest.mark.parametrize(("expr", "expected"), [
        ("12000000 | money", "£12,000,000"),
        ("10.5 | money", "£10.50"),
        ("'2027-04-01' | date", "1 April 2027"),
        ("75 | percent", "75%"),
        ("2.5 | percent", "2.5%"),
        ("['a', 'b', 'c'] | join_words", "a, b and c"),
        ("['a', 'b'] | join_words('or')", "a or b"),
        ("['a'] | join_words", "a"),
        ("'tewv' | member_name", "Tees Trust"),
        ("12 | words", "twelve (12)"),
        ("45 | words", "forty-five (45)"),
        ("'chief_executives' | humanise", "chief executives"),
        ("75.0", "75"),
    ])
    def test_filter(self, expr: str, expected: str) -> None:
        (para,) = body("{{ " + expr + " }}", {"members": [{"id": "tewv", "name": "Tees Trust"}]})
        assert para.inlines == (Text(expected),)

    def test_member_name_of_unknown_id_fails(self) -> None:
        with pytest.raises(LibraryError):
            body("{{ 'nope' | member_name }}", {"members": []})


def blocks(source: str, context: dict | None = None) -> list[Paragraph | Table]:
    template = conditions.compile_body(source, "schedule.md")
    rendered = conditions.render(template, context or {}, file="schedule.md")
    return parse_blocks(rendered.text, rendered.literals, file="schedule.md", line_offset=10)


ROWS = ("| Member | Kind |\n"
        "|--- 70% ---|--- 30% ---|\n"
        "{% for m in members %}\n"
        "| {{ m.name }} | {{ m.kind }} |\n"
        "{% endfor %}\n")


class TestTables:
    def test_header_widths_and_rows_from_a_loop(self) -> None:
        (table,) = blocks(ROWS, {"members": [{"name": "Tees", "kind": "trust"},
                                             {"name": "Priory", "kind": "company"}]})
        assert table == Table(("Member", "Kind"),
                              (((Text("Tees"),), (Text("trust"),)),
                               ((Text("Priory"),), (Text("company"),))), (70, 30))

    def test_between_paragraphs(self) -> None:
        found = blocks("Before.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n- after")
        assert [type(b).__name__ for b in found] == ["Paragraph", "Table", "Paragraph"]
        assert found[1].widths == ()  # type: ignore[union-attr]

    def test_cells_hold_markup_and_header_terms(self) -> None:
        (table,) = blocks("| [[Member]] | Note |\n|---|---|\n"
                          "| **Tees** | see {ref:voting.rule} and {sched:members} \\| more |")
        assert table.header == ("Member", "Note")  # type: ignore[union-attr]
        assert table.rows[0] == (  # type: ignore[union-attr]
            (Strong((Text("Tees"),)),),
            (Text("see "), Ref("voting.rule"), Text(" and "), SchedRef("members"),
             Text(" | more")))
        parsed = parse_clause("| [[Member]] | B |\n|---|---|\n| [[Board]] | {ref:x} |")
        assert parsed.terms == {"Member", "Board"} and parsed.refs == (Ref("x"),)

    @pytest.mark.parametrize("value", [*NASTY, "& < {{ 7*7 }} *x* {ref:y}", "a | b", "| x |",
                                       "|---|", "line\nbreak"])
    def test_answer_text_in_a_cell_is_literal(self, value: str) -> None:
        (table,) = blocks(ROWS, {"members": [{"name": value, "kind": "trust"}]})
        assert table.rows == (((Text(value),), (Text("trust"),)),)  # type: ignore[union-attr]

    def test_widths_of_columns_left_out_are_shared(self) -> None:
        source = ("| A |{% if wide %} B |{% endif %} C |\n"
                  "|--- 50% ---|{% if wide %}--- 30% ---|{% endif %}--- 20% ---|\n"
                  "| 1 |{% if wide %} 2 |{% endif %} 3 |")
        assert blocks(source, {"wide": True})[0].widths == (50, 30, 20)  # type: ignore[union-attr]
        narrow = blocks(source, {"wide": False})[0]
        assert narrow.widths == (71, 29) and narrow.rows == (  # type: ignore[union-attr]
            ((Text("1"),), (Text("3"),)),)

    def test_a_row_empty_in_every_cell_is_left_out(self) -> None:
        (table,) = blocks("| A | B |\n|---|---|\n| {{ '' }} | |\n| 1 | 2 |")
        assert len(table.rows) == 1  # type: ignore[union-attr]

    @pytest.mark.parametrize(("source", "line", "message"), [
        ("| A | B |\n| 1 | 2 |", 12, "`|---|---|` row"),
        ("| A | B |", 11, "a header row and a `|---|---|` row"),
        ("| A | B |\n|---|---|\n| 1 | 2 | 3 |", 13, "3 cells and the header 2"),
        ("| A | B |\n|--- 50% ---|---|", 12, "every column a width, or none"),
        ("| A | B |\n|---|---|\n| 1 | 2 |\nafter", 14, "a table stands in a paragraph"),
        ("Before\n| A | B |", 12, "a table stands in a paragraph"),
        ("| A {ref:x} | B |\n|---|---|", 11, "header row holds words only"),
    ])
    def test_errors_name_the_line(self, source: str, line: int, message: str) -> None:
        with pytest.raises(LibraryError) as err:
            blocks(source)
        assert err.value.file == "schedule.md" and err.value.line == line
        assert message in err.value.message


GLOSSARY = {
    "governance.quorum": {"majority": ("more than half of the [[Voting Member]]s",
                                       "More than half of the voting members")},
    "governance.reserved_matters": {"admit_member": ("admitting a new [[Member]]",
                                                     "Admitting a new member"),
                                    "dissolution": ("ending the collaboration",
                                                    "Ending the collaboration")},
}


def words(source: str, **context: object) -> list[Paragraph | Table]:
    return blocks(source, {"glossary": GLOSSARY, **context})


class TestWordsFor:
    def test_running_text_and_table_words(self) -> None:
        (para,) = words("Quorum: {{ q | words_for('governance.quorum') }}.", q="majority")
        assert para.inlines == (Text("Quorum: more than half of the "), Term("Voting Member"),
                                Text("s."))
        (cell,) = words("{{ q | words_for('governance.quorum', 'table') }}", q="majority")
        assert cell.inlines == (Text("More than half of the voting members"),)

    def test_a_list_of_values_and_the_case_filters(self) -> None:
        (para,) = words("{{ rm | words_for('governance.reserved_matters') | join_words | "
                        "upper_first | full_stop }}", rm=["admit_member", "dissolution"])
        assert para.inlines == (Text("Admitting a new "), Term("Member"),
                                Text(" and ending the collaboration."))

    def test_answer_text_joined_with_words_stays_literal(self) -> None:
        (para,) = words("{{ [q | words_for('governance.quorum'), name] | join_words('or') "
                        "| upper_first }}", q="majority", name="*[[Board]]* {ref:x}")
        assert para.inlines == (Text("More than half of the "), Term("Voting Member"),
                                Text("s or *[[Board]]* {ref:x}"))

    def test_case_of_answer_text_at_the_edge_of_words(self) -> None:
        (para,) = words("{{ [name, q | words_for('governance.quorum')] | join_words "
                        "| upper_first }}", q="majority", name="[[x]] the board")
        assert para.inlines[0] == Text("[[x]] the board and more than half of the ")

    @pytest.mark.parametrize(("source", "message"), [
        ("{{ 'x' | words_for('governance.quorum') }}", "no words for governance.quorum = 'x'"),
        ("{{ 'majority' | words_for('governance.quorom') }}", "no entry 'governance.quorom'"),
        ("{{ none | words_for('governance.quorum') }}", "governance.quorum has no answer here"),
        ("{{ 'majority' | words_for('governance.quorum', 'cell') }}", "'text' or 'table'"),
    ])
    def test_a_raw_value_never_gets_through(self, source: str, message: str) -> None:
        with pytest.raises(LibraryError) as err:
            words(source)
        assert message in err.value.message and err.value.file == "schedule.md"


class TestListFilters:
    @pytest.mark.parametrize(("expr", "expected"), [
        ("'reduce waits' | upper_first", "Reduce waits"),
        ("'Reduce waits.' | lower_first | trim_end", "reduce waits"),
        ("'NHS trusts' | lower_first", "NHS trusts"),
        ("'Reduce waits;  ' | full_stop", "Reduce waits."),
        ("'Why not?' | full_stop", "Why not?"),
        ("'2027-01-31' | add_months(1)", "2027-02-28"),
        ("'2027-11-30' | add_months(3) | date", "29 February 2028"),
        ("'2027-04-01' | add_months(12)", "2028-04-01"),
    ])
    def test_filter(self, expr: str, expected: str) -> None:
        (para,) = body("{{ " + expr + " }}")
        assert para.inlines == (Text(expected),)

    def test_list_end_punctuates_sub_paragraphs(self) -> None:
        paras = body("{% for o in items %}\n- {{ o | lower_first | trim_end }}"
                     "{{ loop | list_end }}\n{% endfor %}", {"items": ["One.", "Two", "Three;"]})
        assert [p.inlines for p in paras] == [
            (Text("one;"),), (Text("two; and"),), (Text("three."),)]
