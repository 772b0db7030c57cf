"""Fail loudly when an installed package's version is not the one .ci/requirements.lock pins.

CI installs the lock with --require-hashes, so a mismatch means something else (a constraint
file, an older release already on the machine, a cache) won: the tests would then not run on
the versions they were last run with.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

LOCK = Path(__file__).with_name("requirements.lock")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)\s*(?:;\s*(.+?))?\s*\\?$")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, tuple[str, str | None]]:
    """Package name -> (version, environment marker or None), from the lock."""
    found: dict[str, tuple[str, str | None]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            found[_normal(match[1])] = (match[2], match[3])
    return found


def _applies(marker: str | None) -> bool:
    if not marker:
        return True
    from packaging.markers import Marker

    return Marker(marker).evaluate()


def main() -> int:
    wrong = []
    for name, (version, marker) in sorted(pins().items()):
        if not _applies(marker):
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"  {name}: not installed, the lock pins {version}")
            continue
        if installed != version:
            wrong.append(f"  {name}: {installed} installed, the lock pins {version}")
    if wrong:
        print("error: installed packages differ from .ci/requirements.lock:", file=sys.stderr)
        print("\n".join(wrong), file=sys.stderr)
        print("Install the lock (python3 -m pip install --require-hashes --no-deps -r "
              ".ci/requirements.lock) or refresh it (bash .ci/lock --upgrade).", file=sys.stderr)
        return 1
    print(f"installed packages match .ci/requirements.lock ({len(pins())} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
