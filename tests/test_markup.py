"""Clause markup and the Jinja sandbox: levels, labels, inline markup, literal answers text."""

from __future__ import annotations

import pytest

from drafting.errors import LibraryError
from drafting.model import Emph, Paragraph, Ref, SchedRef, Strong, Term, Text
from drafting.read import conditions
from drafting.read.markup import parse_body, parse_inlines, split_paragraphs


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
