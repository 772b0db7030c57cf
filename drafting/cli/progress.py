"""A progress bar for long commands, on a terminal only.

Why: `drafting lint` and `drafting batch` run for a minute; on a terminal a bar shows they
are working, but in a CI log or a pipe it would only add noise, so there it says nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

__all__ = ["progress"]


@contextmanager
def progress(length: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yield `advance(steps)`: a click progress bar on stderr when stderr is a terminal,
    and nothing at all otherwise."""
    stream = sys.stderr
    if length <= 0 or not stream.isatty():
        yield lambda steps: None
        return
    with click.progressbar(length=length, label=label, file=stream, show_pos=True) as bar:
        yield bar.update
