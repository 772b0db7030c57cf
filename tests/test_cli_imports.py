"""`drafting --help` and each command's `--help` start at once: nothing heavy is imported.

Each check runs in a new interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from drafting.cli import main
from tests.conftest import ROOT

HEAVY = ("drafting.read.answers", "pydantic", "docx", "docxtpl", "lxml", "jinja2", "yaml")
"""The answers models, pydantic, python-docx, docxtpl, lxml, Jinja and YAML."""


def _commands() -> list[str]:
    """Every command and sub-command, as typed after `drafting`."""
    found = [""]

    def visit(group: click.Group, prefix: str) -> None:
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            found.append(f"{prefix}{name}")
            if isinstance(command, click.Group):
                visit(command, f"{prefix}{name} ")

    visit(main, "")
    return found


PROBE = """
import json, sys
from drafting.cli import main
try:
    main(sys.argv[1:], prog_name="drafting")
except SystemExit as exit:
    assert exit.code == 0, exit.code
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {roots} or m in {heavy})))
"""


@pytest.mark.parametrize("command", _commands(), ids=lambda c: c or "drafting")
def test_help_imports_nothing_heavy(command: str) -> None:
    roots = {m for m in HEAVY if "." not in m}
    probe = PROBE.format(roots=sorted(roots), heavy=list(HEAVY))
    result = subprocess.run([sys.executable, "-c", probe, *command.split(), "--help"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    usage, _, imported = result.stdout.rpartition("\n[")
    assert "Usage: drafting" in usage
    assert json.loads("[" + imported) == []


def test_the_probe_sees_heavy_imports() -> None:
    """The check above can fail: running a command that drafts imports the heavy modules."""
    probe = PROBE.format(roots=sorted(m for m in HEAVY if "." not in m), heavy=list(HEAVY))
    result = subprocess.run([sys.executable, "-c", probe, "schema"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout[result.stdout.rindex("\n[") + 1:])
    assert "drafting.read.answers" in imported and "pydantic" in imported
