"""`drafting serve`: the questionnaire in a browser, on this computer by default."""

from __future__ import annotations

import ipaddress

import click

__all__ = ["COMMANDS", "serve"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this computer can reach 127.0.0.1.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the questionnaire in a browser: fill it in, then download the answers and documents.

    Answers are kept in memory for the session only; no answers or documents are written
    to disk. By default
    only this computer can connect. Another --host makes the questionnaire reachable by
    anyone who can reach that address: there is no login, so do that only on a trusted network.
    """
    try:
        import uvicorn

        from drafting.web import create_app
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise click.ClickException(
            f"the web questionnaire needs the 'web' extra ({exc.name} is missing): "
            "pip install 'drafting[web]'"
        ) from None
    loopback = _is_loopback(host)
    app = create_app(allowed_hosts=("127.0.0.1", "localhost", "::1", "[::1]") if loopback else ("*",))
    if not loopback:
        click.echo(f"Warning: listening on {host}: anyone who can reach it can use the "
                   "questionnaire; there is no login.", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Questionnaire at http://{shown}:{port}/  (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


COMMANDS = (serve,)
