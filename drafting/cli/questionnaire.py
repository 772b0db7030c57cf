"""`drafting questionnaire`: fill an answers file by answering questions, or print the form."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.errors import OutputError

__all__ = ["COMMANDS", "questionnaire"]


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The answers file to write (or, with --print, the form).",
)
@click.option(
    "--resume",
    type=click.Path(dir_okay=False, exists=True),
    help="Continue a partly filled answers file from its first unanswered question.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option(
    "--print",
    "print_form",
    is_flag=True,
    help="Print the whole questionnaire as a form to answer on paper or by email.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "docx"]),
    default="md",
    show_default=True,
    help="Format of the printed form.",
)
@click.pass_context
def questionnaire(
    ctx: click.Context,
    output: str | None,
    resume: str | None,
    force: bool,
    print_form: bool,
    fmt: str,
) -> None:
    """Answer the questionnaire in the terminal, one question at a time.

    Every answer is saved at once to the answers file, with the questions as comments; if
    you stop, continue later with --resume FILE. Type ? at any question for help. At the
    end every rule is checked and you can go back to the answer behind each problem.
    """
    from drafting.questionnaire.store import HandWritten, reopen
    from drafting.questionnaire.terminal import Session, Stopped, run

    if print_form:
        if resume:
            raise click.UsageError("--print does not take --resume")
        _print(output, fmt, force)
        return
    if resume and output:
        raise click.UsageError("--resume saves back to the file it continues; leave out -o")
    if not resume and not output:
        raise click.UsageError(
            "give the answers file to write with -o FILE.yaml "
            "(or continue one with --resume FILE.yaml)"
        )
    source = None
    if resume:
        path = Path(resume)
        data = reopen(path)
        source = HandWritten(path)
        click.echo(f"Continuing {path}. Type ? at any question for help, back to go back.")
    else:
        path = Path(output or "")
        if path.exists() and not force:
            raise OutputError(
                f"{str(path)!r} already exists; continue it with "
                f"`drafting questionnaire --resume {path}`, or use --force to "
                "start again and overwrite it",
                file=path,
            )
        data = {"schema_version": 1}
        click.echo(
            f"Answers will be saved to {path} after every answer. Type ? at any question "
            "for help, back to go back."
        )
    session = Session(path=path, data=data, source=source)
    try:
        loaded = run(session, resumed=source is not None)
    except Stopped:
        click.echo("")
        click.echo(
            f"Stopped. Your answers so far are saved in {path}; continue with "
            f"`drafting questionnaire --resume {path}`.",
            err=True,
        )
        ctx.exit(1)
    if loaded is None:
        ctx.exit(1)


def _print(output: str | None, fmt: str, force: bool) -> None:
    from drafting.questionnaire import paper
    from drafting.questionnaire.store import write_atomic

    if fmt == "docx" and not output:
        raise click.UsageError("a Word form needs a file: add -o FORM.docx")
    if output and Path(output).exists() and not force:
        raise OutputError(f"{output!r} already exists; use --force to overwrite it", file=output)
    content = paper.to_docx() if fmt == "docx" else paper.to_markdown().encode("utf-8")
    if output:
        write_atomic(output, content)
        click.echo(f"Wrote {output}.", err=True)
    else:
        click.echo(content.decode("utf-8"), nl=False)


COMMANDS = (questionnaire,)
