"""``mastery serve``: the web workspace and HTTP API (and Slack's endpoint when configured)."""

from __future__ import annotations

import contextlib
import math
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli.common import fail, load_settings, state

if TYPE_CHECKING:
    from bot.settings import Settings


def _port_free(host: str, port: int) -> str | None:
    """None if we can listen on host:port, else the reason."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"the address {host!r} is not known ({exc.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (env: MASTERY_HOST; "
              "default 127.0.0.1). Any address other than loopback requires sign-in.")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port to listen on (env: MASTERY_PORT; default 8000).")
@click.option("--toolkit", "toolkit_path", type=click.Path(path_type=Path), default=None,
              help="Use this toolkit folder (env: MASTERY_TOOLKIT).")
@click.option("--database-url", default=None, help="SQLAlchemy database URL, e.g. "
              "postgresql+psycopg://user@host/db (env: MASTERY_DATABASE_URL; default: "
              "SQLite in the data folder).")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the SQLite database and the signing key "
                   "(env: MASTERY_DATA_DIR).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Server processes sharing the database (env: MASTERY_WORKERS; default: "
                   "the number of CPU cores).")
def serve(host: str | None, port: int | None, toolkit_path: Path | None,
          database_url: str | None, data_dir: Path | None, workers: int | None) -> None:
    """Start the web workspace and API; open the printed address in a browser.

    Stop it with Ctrl-C (or SIGTERM: requests in flight may finish first).
    """
    options = {"host": host, "port": port, "database_url": database_url, "data_dir": data_dir,
               "toolkit": toolkit_path or state().toolkit_path, "workers": workers}
    settings = load_settings(**options)
    if not 1 <= settings.port <= 65535:
        fail(f"MASTERY_PORT={settings.port} is not a port; use a number from 1 to 65535, "
             "e.g. 8000.")

    import uvicorn

    from bot.api.auth import auth_required, base_url, is_loopback, secret_key
    from bot.api.protocols import protocol_path
    from bot.db import DatabaseError
    from bot.store import DraftStore

    problem = _port_free(settings.host, settings.port)
    if problem:
        # suggest a port that is free now (the next few in turn), not one also in use
        free = next((p for p in (settings.port % 65535 + 1 + k for k in range(20))
                     if p <= 65535 and not _port_free(settings.host, p)), None)
        hint = ("Give an address of this computer, e.g. --host 127.0.0.1."
                if problem.startswith("the address") else
                f"Try another port, e.g. --port {free}." if free else "Try another port.")
        fail(f"cannot listen on {settings.host}:{settings.port}: {problem}. {hint}")
    state().toolkit_path = settings.toolkit
    toolkit = state().checked_toolkit()  # a broken toolkit stops here, with its problems
    try:
        # migrate once, here, before the workers start
        store = DraftStore.open(settings.resolved_database_url(), **settings.store_options())
    except DatabaseError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot use the data folder {settings.data_dir}: {exc.strerror or exc}. "
             "Choose another with --data-dir (or MASTERY_DATA_DIR).")
    del toolkit
    count = settings.workers or os.cpu_count() or 1
    url = base_url(settings) if is_loopback(settings.host) or settings.public_url else (
        f"http://{settings.host}:{settings.port}")
    click.echo(f"mastery-comms web workspace: {url}/  (API docs: {url}/docs)")
    if settings.host in ("0.0.0.0", "::", "[::]") and not settings.public_url:
        # every address of this machine: 0.0.0.0 is not one to open in a browser
        click.echo(f"Listening on every address of this machine: open "
                   f"http://127.0.0.1:{settings.port}/ here, or this machine's name or address "
                   "from elsewhere (set MASTERY_PUBLIC_URL to print it).")
    click.echo(f"Drafts are saved in {_describe_db(settings)}.")
    try:
        if auth_required(settings):
            users = store.list_users()
            click.echo("Sign-in is required (API token). " + (
                f"{len(users)} user(s)." if users else
                "There are no users yet: create one with `mastery users add NAME`."))
            if not is_loopback(settings.host) and not (settings.public_url or "").startswith(
                    "https"):
                click.echo("Note: serve it behind HTTPS (a reverse proxy) so tokens and "
                           "cookies are not sent in the clear; set MASTERY_PUBLIC_URL to its "
                           "address.")
        elif not is_loopback(settings.host):
            click.echo("WARNING: sign-in is switched off (MASTERY_REQUIRE_AUTH=false) on a "
                       "network address: anyone who can reach it can read every local draft.")
    finally:
        store.close()
    click.echo(_slack_status(settings, url))
    click.echo(f"{count} worker process{'es' if count > 1 else ''}. Press Ctrl-C to stop.")
    # every worker process builds the app from the environment: hand it the options
    for name, value in options.items():
        if value is not None:
            os.environ[f"MASTERY_{name.upper()}"] = str(value)
    os.environ["MASTERY_WORKERS"] = str(count)
    # the large-check pools' queues are freed by multiprocessing's resource tracker when
    # the workers stop; it says so with a warning that would only alarm the reader
    os.environ.setdefault("PYTHONWARNINGS", "ignore::UserWarning:multiprocessing.resource_tracker")
    secret_key(settings)  # create the signing key once, before the workers race for it
    # uvicorn stops gracefully on SIGTERM, then raises the signal again for the handler
    # found before it started: make that a clean exit ("Stopped.", status 0), like Ctrl-C
    signal.signal(signal.SIGTERM, _interrupt)
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(
            "bot.api.app:app_from_environment", factory=True, host=settings.host,
            port=settings.port, workers=count, http=protocol_path(),
            log_level="warning", access_log=False, server_header=False,
            proxy_headers=True, forwarded_allow_ips=settings.trusted_proxies,
            timeout_graceful_shutdown=math.ceil(settings.shutdown_seconds),
            timeout_keep_alive=5, limit_concurrency=2000,
        )
    click.echo("Stopped.")


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _slack_status(settings: Settings, url: str) -> str:
    """Where Slack's requests go, or how to switch Slack on."""
    try:
        from bot.slack import http as slack_http

        line: str = slack_http.status_line(settings)
        return line
    except Exception:  # the Slack transport is optional
        pass
    if settings.slack_bot_token and settings.slack_signing_secret:
        return f"Slack: events are received at {url}/slack/events"
    return ("Slack: off (to answer in Slack set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, "
            "or run `mastery slack` with SLACK_APP_TOKEN for Socket Mode)")


def _describe_db(settings: object) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(settings.resolved_database_url())  # type: ignore[attr-defined]
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


COMMANDS: list[click.Command] = [serve]
