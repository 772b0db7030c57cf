"""Shared fixtures: a click runner, the example answers, and LibreOffice round trips."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
ANSWERS_DIR = ROOT / "answers"
EXAMPLES = sorted(ANSWERS_DIR.glob("*.yaml"))

# Same inputs, same bytes: documents take their timestamps from here.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1798761600")

# Never the real user data folder: `drafting serve` keeps answers there by default, and so
# would every server a test starts (in this process or in a subprocess).
_DATA_HOME = tempfile.TemporaryDirectory(prefix="drafting-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME.name

# Compiled templates are kept in a folder of this test run (and of the processes it starts),
# never in the user's cache folder; `tests/test_bytecode.py` points single tests elsewhere.
_TEMPLATE_CACHE = tempfile.TemporaryDirectory(prefix="drafting-test-cache-")
os.environ["DRAFTING_CACHE_DIR"] = _TEMPLATE_CACHE.name
os.environ.pop("DRAFTING_NO_CACHE", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    _TEMPLATE_CACHE.cleanup()
    _DATA_HOME.cleanup()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(params=EXAMPLES, ids=lambda p: p.stem)
def example(request: pytest.FixtureRequest) -> Path:
    """Each bundled example answers file in turn."""
    return request.param


def pytest_report_header(config: pytest.Config) -> str:
    from drafting.write.convert import soffice_path

    return f"LibreOffice: {soffice_path() or 'not installed'}"
