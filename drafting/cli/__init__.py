"""The `drafting` command line: a thin click group.

Each command lives in its own module here and only parses options, calls the library
and prints. This module is the one place that turns a `DraftingError` into a message on
stderr and exit status 1; click keeps exit status 2 for usage errors.

A command module imports only click (and the error tree) at its top; what a command works
with (the answers models, Jinja, python-docx, lxml) is imported inside the command's
function. So `drafting --help` and `drafting <command> --help` answer at once, and a
command loads only what it uses (`tests/test_cli_imports.py` holds this).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from drafting import __version__
from drafting.errors import DraftingError

__all__ = ["main"]


# Command modules (`drafting --help` lists their commands alphabetically). Registering a command
# module is adding its name here; `_NAMES` only lets a command start without importing the others.
_MODULES = ("validate", "assemble", "library", "questionnaire", "serve", "batch", "review",
            "lint", "negotiate")
_NAMES = {
    "validate": "validate", "schema": "validate", "assemble": "assemble",
    "provenance": "assemble", "clauses": "library", "check": "library",
    "questionnaire": "questionnaire", "serve": "serve", "batch": "batch",
    "compare": "review", "diff": "review", "lint": "lint",
    "inspect": "negotiate", "update": "negotiate", "impact": "negotiate",
}


class DraftingGroup(click.Group):
    """A click group that shows `DraftingError`s as click shows its own errors.

    Command modules are imported when their command runs (or `--help` lists them all,
    which is cheap: see the module docstring): a company secretary's `drafting validate`
    never loads Word, XML or Jinja, and `drafting assemble` only what drafting needs.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DraftingError as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            ctx.exit(exc.exit_code)

    def _load(self, module: str) -> None:
        if module in self._loaded:
            return
        self._loaded.add(module)
        for command in importlib.import_module(f"drafting.cli.{module}").COMMANDS:
            self.commands.setdefault(command.name or "", command)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            module = _NAMES.get(cmd_name)
            for name in (module,) if module in _MODULES else _MODULES:
                self._load(name)
        return self.commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in _MODULES:
            self._load(module)
        return sorted(self.commands)  # as click lists them

    _loaded: set[str]


@click.group(cls=DraftingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drafting")
def main() -> None:
    """Draft the legal documents of an NHS provider collaborative from its answers."""


main._loaded = set()  # type: ignore[attr-defined]
