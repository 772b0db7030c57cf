"""`drafting validate` and `drafting schema`: check answers files, print the answers schema."""

from __future__ import annotations

import json

import click

from drafting.errors import AnswersError

__all__ = ["COMMANDS", "validate", "schema"]


def summary(loaded_answers: object) -> str:
    """One line about a valid answers file: who, how governed, what is drafted."""
    from drafting.read.load import LoadedAnswers

    assert isinstance(loaded_answers, LoadedAnswers)
    a = loaded_answers.answers
    name = a.collaborative.short_name or a.collaborative.name
    lead = f" (lead: {a.lead_provider})" if a.lead_provider else ""
    docs = ", ".join(a.documents)
    return (
        f"{loaded_answers.file}: ok: {name}: {len(a.members)} members, "
        f"{a.governance.model.replace('_', ' ')} model{lead}; documents: {docs}"
    )


@click.command()
@click.argument("answers", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(answers: tuple[str, ...]) -> None:
    """Check answers files against the rules; list every problem with its line.

    Exit status 0 when every file is valid, 1 when any is not. Warnings are shown but do
    not make a file invalid.
    """
    from drafting.read.load import load_answers

    failed = False
    for path in answers:
        try:
            loaded = load_answers(path)
        except AnswersError as exc:
            failed = True
            click.echo(exc.format_message(), err=True)
            continue
        click.echo(summary(loaded))
        for warning in loaded.warnings:
            click.echo("  " + warning.format(), err=True)
    if failed:
        raise SystemExit(1)


@click.command()
def schema() -> None:
    """Print the JSON Schema of the answers file, for editors and other tools."""
    from drafting.read.answers import Answers

    click.echo(json.dumps(Answers.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


COMMANDS = (validate, schema)
