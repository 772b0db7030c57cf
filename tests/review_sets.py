"""The answer sets the partner-review tests draft, and one way to draft them.

Every review test reads generated documents from the same collaboratives: the bundled examples,
the five scenario sets a partner's review was written against, and those sets with a section
changed to reach another legal form. The paths, the change of an answers file and the drafting
with `drafting assemble` (once per distinct set, in one temporary folder) live here so that a
test module states only what it reads and asserts.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import yaml
from click.testing import CliRunner

from drafting.cli import main
from tests.conftest import ANSWERS_DIR, EXAMPLES

SCENARIOS_DIR = Path(__file__).parent / "answers" / "scenarios"
SCENARIOS = sorted(SCENARIOS_DIR.glob("*.yaml"))
ALL = EXAMPLES + SCENARIOS
DOMINANT = SCENARIOS_DIR / "lead-provider-dominant.yaml"
SHARED = SCENARIOS_DIR / "shared-leadership-committees-observer.yaml"
JOINT = SCENARIOS_DIR / "provider-board-joint-committee.yaml"
MOU_ONLY = SCENARIOS_DIR / "mou-only.yaml"
MOU_THEN = SCENARIOS_DIR / "mou-then-agreement.yaml"
NORTH_EAST = ANSWERS_DIR / "north-east-mental-health.yaml"
WEST = ANSWERS_DIR / "west-community-partnership.yaml"
SOUTH = ANSWERS_DIR / "south-acute-alliance.yaml"

T = TypeVar("T")


def changed_yaml(path: Path, changes: dict[str, Any], *, keep: frozenset[str] = frozenset()
                 ) -> str:
    """The answers file's YAML with top-level keys replaced.

    A dict merges into its section (a None value inside it removes that key), a None section is
    removed; a section named in `keep` is replaced whole, not merged.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict) and key not in keep:
            merged = {**data[key], **value}
            data[key] = {k: v for k, v in merged.items() if v is not None}
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return yaml.safe_dump(data, sort_keys=False)


@contextmanager
def drafting_sets(prefix: str, read: Callable[[Path], T], *, notes: bool = False
                  ) -> Iterator[Callable[..., dict[str, T]]]:
    """A function that drafts an answers file (optionally changed) once per distinct set.

    It runs `drafting assemble` as a user would and returns each .docx of the pack, by file
    name, as `read` makes of it; the files live in one temporary folder for the block.
    """
    runner = CliRunner()
    made: dict[tuple[str, str], dict[str, T]] = {}
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        root = Path(folder)

        def drafted(path: Path, **changes: Any) -> dict[str, T]:
            text = changed_yaml(path, changes) if changes else path.read_text(encoding="utf-8")
            key = (path.stem, text)
            if key not in made:
                out = root / f"set-{len(made):03d}"
                out.mkdir()
                source = out / f"{path.stem}.yaml"
                source.write_text(text, encoding="utf-8")
                args = ["assemble", str(source), "-o", str(out / "docs")]
                result = runner.invoke(main, args + (["--notes"] if notes else []))
                assert result.exit_code == 0, (path.stem, changes, result.output)
                made[key] = {f.name: read(f) for f in sorted((out / "docs").glob("*.docx"))}
            return made[key]

        yield drafted
