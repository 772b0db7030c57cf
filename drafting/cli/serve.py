"""`drafting serve`: the questionnaire in a browser, on this computer by default."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

__all__ = ["COMMANDS", "default_data_dir", "serve"]

DATABASE = "questionnaires.sqlite3"
"""The file in the data folder that holds the questionnaires in progress."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_data_dir() -> Path:
    """Where answers are kept by default: this user's data folder for `drafting`."""
    import platformdirs

    return Path(platformdirs.user_data_dir("drafting", appauthor=False))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this computer can reach 127.0.0.1.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder that keeps the answers in progress between runs "
                   "[default: this user's data folder for drafting].")
@click.option("--no-store", is_flag=True,
              help="Keep answers in memory only: they are lost when the server stops.")
@click.option("--expire-days", default=30, show_default=True, type=click.IntRange(1, 3650),
              help="Delete answers not changed or opened for this many days.")
def serve(host: str, port: int, data_dir: Path | None, no_store: bool, expire_days: int) -> None:
    """Serve the questionnaire in a browser: fill it in, then download the answers and documents.

    Answers are saved after every page in a SQLite file in the data folder, so they outlive
    the server; each page offers a private link back to them. By default only this computer
    can connect. Another --host makes the questionnaire reachable by anyone who can reach
    that address: there is no login, so do that only on a trusted network.
    """
    try:
        import uvicorn

        from drafting.web import create_app
        from drafting.web.store import SessionStore
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise click.ClickException(
            f"the web questionnaire needs the 'web' extra ({exc.name} is missing): "
            "pip install 'drafting[web]'"
        ) from None
    if no_store and data_dir is not None:
        raise click.UsageError("--no-store keeps nothing on disk: leave out --data")
    if no_store:
        store = SessionStore(None, expiry_days=expire_days)
        kept = "Answers are kept in memory only, until the server stops."
    else:
        folder = data_dir if data_dir is not None else default_data_dir()
        try:
            store = SessionStore(folder / DATABASE, expiry_days=expire_days)
        except OSError as exc:
            raise click.ClickException(
                f"cannot keep answers in {str(folder)!r}: {exc.strerror}; choose another "
                "folder with --data, or use --no-store"
            ) from None
        kept = f"Answers are kept in {folder / DATABASE} for {expire_days} days."
    loopback = _is_loopback(host)
    app = create_app(
        allowed_hosts=("127.0.0.1", "localhost", "::1", "[::1]") if loopback else ("*",),
        store=store,
    )
    if not loopback:
        click.echo(f"Warning: listening on {host}: anyone who can reach it can use the "
                   "questionnaire; there is no login.", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Questionnaire at http://{shown}:{port}/  (Ctrl+C to stop)")
    click.echo(kept)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        store.close()


COMMANDS = (serve,)
