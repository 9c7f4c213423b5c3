"""``mastery slack``: run the Slack bot over Socket Mode (no public URL needed)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli.common import fail, load_settings, state

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

HOW_TO = (
    "Create the Slack app from app_manifest.yaml (api.slack.com/apps → Create New App → "
    "From a manifest), install it to your workspace, then set SLACK_BOT_TOKEN (the Bot User "
    "OAuth Token, xoxb-…) and SLACK_APP_TOKEN (an app-level token with connections:write, "
    "xapp-…). See the README's Slack section."
)


@click.command("slack")
@click.option("--database-url", default=None,
              help="SQLAlchemy database URL for drafts (env: MASTERY_DATABASE_URL; default: "
                   "SQLite in the data folder — the same one `mastery serve` uses).")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the SQLite database and the signing key (env: MASTERY_DATA_DIR).")
def slack(database_url: str | None, data_dir: Path | None) -> None:
    """Answer in Slack over Socket Mode, with SLACK_BOT_TOKEN and SLACK_APP_TOKEN.

    For an SEA without a public web address. To receive Slack's requests over HTTP
    instead, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and run `mastery serve`.
    Stop it with Ctrl-C.
    """
    settings = load_settings(database_url=database_url, data_dir=data_dir)
    missing = [name for name, value in (("SLACK_BOT_TOKEN", settings.slack_bot_token),
                                        ("SLACK_APP_TOKEN", settings.slack_app_token))
               if not value]
    if missing:
        fail(f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set. {HOW_TO}")
    assert settings.slack_bot_token and settings.slack_app_token
    if not settings.slack_bot_token.startswith("xoxb-"):
        fail("SLACK_BOT_TOKEN should be the Bot User OAuth Token, starting with 'xoxb-'. "
             + HOW_TO)
    if not settings.slack_app_token.startswith("xapp-"):
        fail("SLACK_APP_TOKEN should be an app-level token starting with 'xapp-' (Basic "
             "Information → App-Level Tokens, scope connections:write).")

    from bot.db import DatabaseError
    from bot.slack import build_app
    from bot.store import DraftStore

    state().toolkit_path = state().toolkit_path or settings.toolkit
    toolkit = state().checked_toolkit()
    try:
        store = DraftStore.open(settings.resolved_database_url())
    except DatabaseError as exc:
        fail(str(exc))
    app = build_app(settings, toolkit, store, socket_mode=True)
    click.echo("mastery-comms Slack bot: connecting over Socket Mode… (Ctrl-C to stop)")
    try:
        _run(app, settings.slack_app_token)
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # e.g. invalid_auth from Slack, no network
        fail(f"the Slack connection failed: {exc}")
    finally:
        store.close()
    click.echo("Stopped.")


#: how long Ctrl-C waits for the Socket Mode connection to close
CLOSE_WAIT_S = 5.0


def _run(app: AsyncApp, app_token: str) -> None:
    import asyncio
    import contextlib

    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
    from slack_sdk.errors import SlackApiError

    async def main() -> None:
        # The Socket Mode client retries a refused connection forever; check both tokens
        # once first, so a wrong token is a clear message rather than an endless retry.
        client = app.client
        for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
            try:
                if name == "SLACK_BOT_TOKEN":
                    await client.auth_test()
                else:
                    await client.apps_connections_open(app_token=app_token)
            except SlackApiError as exc:
                error = exc.response.get("error") if exc.response is not None else exc
                raise RuntimeError(f"Slack refused {name} ({error})") from exc
        handler = AsyncSocketModeHandler(app, app_token)
        try:  # slack_bolt leaves these two untyped
            await handler.start_async()  # type: ignore[no-untyped-call]
        finally:
            # Ctrl-C must stop the bot promptly: a websocket whose other end does not answer
            # the close is left after a few seconds
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(handler.close_async(),  # type: ignore[no-untyped-call]
                                       timeout=CLOSE_WAIT_S)

    asyncio.run(main())


COMMANDS: list[click.Command] = [slack]
