"""The `drafting` command line: a thin click group.

Each command lives in its own module here and only parses options, calls the library
and prints. This module is the one place that turns a `DraftingError` into a message on
stderr and exit status 1; click keeps exit status 2 for usage errors.
"""

from __future__ import annotations

from typing import Any

import click

from drafting import __version__
from drafting.errors import DraftingError

__all__ = ["main"]


class DraftingGroup(click.Group):
    """A click group that shows `DraftingError`s as click shows its own errors."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DraftingError as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=DraftingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drafting")
def main() -> None:
    """Draft the legal documents of an NHS provider collaborative from its answers."""


def _register() -> None:
    # Commands are listed here, in the order `drafting --help` shows them.
    from drafting.cli import assemble, batch, library, questionnaire, review, serve, validate

    for command in (*validate.COMMANDS, *assemble.COMMANDS, *library.COMMANDS,
                    *questionnaire.COMMANDS, *serve.COMMANDS, *batch.COMMANDS, *review.COMMANDS):
        main.add_command(command)


_register()
