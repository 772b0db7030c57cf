"""`drafting batch`: draft the packs of many collaboratives at once, in parallel processes.

One answers file in, one sub-folder of documents out (named after the file). A file that
fails is reported with its own errors and the others carry on; the exit status is 1 if any
failed. Work is spread over processes, not threads, because drafting is CPU-bound Python;
each process loads the clause library once and keeps it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from drafting.cli.progress import progress
from drafting.errors import DraftingError, OutputError

if TYPE_CHECKING:
    from drafting.read.library import Library

__all__ = ["COMMANDS", "batch", "Outcome", "draft_one", "answers_files"]

_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Outcome:
    """What happened to one answers file: the files written, or the error, and the time taken."""

    source: str
    folder: str
    files: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()


_library: Library | None = None
"""The library of this worker process, loaded by `_init_worker` when its pool starts."""


def _init_worker() -> None:
    """Load the library once per worker process (it is reused for every answers file)."""
    from drafting.read.library import load_library

    global _library
    _library = load_library()


def answers_files(folder: Path) -> list[Path]:
    """The answers files directly in `folder`, sorted; `OutputError` when two share a name.

    Two files such as `a.yaml` and `a.yml` would draft into the same sub-folder, so they
    are refused before anything is drafted.
    """
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in _SUFFIXES)
    seen: dict[str, Path] = {}
    for path in found:
        if path.stem in seen:
            raise OutputError(f"{seen[path.stem].name} and {path.name} would both be drafted into "
                              f"{path.stem}/; rename one of them", file=folder)
        seen[path.stem] = path
    return found


def draft_one(source: Path, out_dir: Path, force: bool = False, pdf: bool = False,
              library: Library | None = None) -> Outcome:
    """Draft the whole pack of one answers file into `out_dir/<file stem>/`.

    `library` None means the worker's own (see `_init_worker`). Never raises a
    `DraftingError`: it is returned in the outcome, so one bad file cannot stop a batch.
    Anything else is a bug and propagates.
    """
    from drafting.build.pack import draft_pack, to_pdf
    from drafting.read.library import load_library
    from drafting.read.load import load_answers
    from drafting.write.output import write_outputs

    folder = out_dir / source.stem
    started = time.perf_counter()
    try:
        loaded = load_answers(source)
        if library is None:
            library = _library if _library is not None else load_library()
        files = draft_pack(library, loaded)
        written = write_outputs(files, folder, force=force)
        if pdf:
            written += to_pdf(written, folder, force=force)
    except DraftingError as exc:
        return Outcome(str(source), str(folder), error=exc.format_message(),
                       seconds=time.perf_counter() - started)
    return Outcome(str(source), str(folder), tuple(p.name for p in written),
                   seconds=time.perf_counter() - started,
                   warnings=tuple(w.format() for w in loaded.warnings))


def _run(sources: list[Path], out_dir: Path, force: bool, pdf: bool, jobs: int,
         library: Library) -> Iterator[Outcome]:
    """Yield each file's outcome as it finishes: in this process for one job, else in a pool.

    One job drafts with `library`; a pool's workers each load the library afresh, so a
    run never drafts with clauses older than the ones on disk when it started.
    """
    if jobs == 1:
        for source in sources:
            yield draft_one(source, out_dir, force, pdf, library)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
        futures: list[Future[Outcome]] = [
            pool.submit(draft_one, source, out_dir, force, pdf) for source in sources
        ]
        for future in as_completed(futures):
            yield future.result()


@click.command()
@click.argument("answers_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to draft into: one sub-folder per answers file.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to draft in (default: one per CPU core).")
@click.option("--force", is_flag=True, help="Overwrite documents already in the output folder.")
@click.option("--pdf", is_flag=True, help="Also convert every document to PDF (needs LibreOffice).")
def batch(answers_dir: Path, out_dir: Path, jobs: int | None, force: bool, pdf: bool) -> None:
    """Draft every answers file in ANSWERS_DIR, each into its own sub-folder of -o.

    A file that fails is reported with its problems and the rest carry on. Exit status 0
    when every file was drafted, 1 when any failed.
    """
    from drafting.read.library import load_library

    sources = answers_files(answers_dir)
    if not sources:
        raise click.UsageError(f"no answers files (*.yaml) in {str(answers_dir)!r}")
    library = load_library()  # a broken library fails once, here, not once per file
    workers = min(jobs or os.cpu_count() or 1, len(sources))
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    with progress(len(sources), "Drafting") as advance:
        for outcome in _run(sources, out_dir, force, pdf, workers, library):
            outcomes.append(outcome)
            advance(1)
    outcomes.sort(key=lambda o: o.source)
    failed = [o for o in outcomes if o.error]
    for outcome in outcomes:
        for warning in outcome.warnings:
            click.echo("  " + warning, err=True)
    for outcome in failed:
        message = outcome.error or ""
        click.echo(f"Failed: {outcome.source}\n  " + message.replace("\n", "\n  "), err=True)
    documents = sum(len(o.files) for o in outcomes)
    elapsed = time.perf_counter() - started
    click.echo(f"Drafted {documents} files for {len(outcomes) - len(failed)} of {len(outcomes)} "
               f"answers files into {out_dir} in {elapsed:.1f}s"
               + (f"; {len(failed)} failed" if failed else ""))
    if failed:
        raise SystemExit(1)


COMMANDS = (batch,)
