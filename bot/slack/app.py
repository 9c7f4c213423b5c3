"""The one bolt app of mastery-comms, and how it is served.

Choice: an :class:`~slack_bolt.async_app.AsyncApp`. In HTTP mode it is mounted into
the FastAPI app with bolt's ``AsyncSlackRequestHandler``, so a request is handled on
the server's event loop and nothing blocks it: the engines and the drafts store are
synchronous and run in worker threads (``Services.run`` / ``run_quick``). The same app
runs in Socket Mode with ``AsyncSocketModeHandler`` (``mastery slack``).

``process_before_response=True``: the answer to Slack's request is sent when the *ack
function* of a listener has finished, and every ack function only parses and acks —
except a drafting form's submission, whose ack must carry the field errors or the next
step, so it validates and saves the step (milliseconds; see benchmarks/RESULTS.md). The
behaviour is the same in HTTP and Socket Mode. Everything slow (answering,
checking, rendering a document, posting, uploading) is in *lazy* functions, which bolt
starts as asyncio tasks right after the ack; they see what the ack function left in
``context``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.listeners import register_all
from bot.slack.services import Services

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store import DraftStore
    from toolkit import Toolkit

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"


class SlackNotConfigured(Exception):
    """The Slack tokens needed for the chosen mode are missing (the message says which)."""


def missing_settings(settings: Settings, *, socket_mode: bool) -> list[str]:
    """The environment variables still needed to run the bot in the given mode."""
    missing = []
    if not settings.slack_bot_token:
        missing.append("SLACK_BOT_TOKEN")
    if socket_mode and not settings.slack_app_token:
        missing.append("SLACK_APP_TOKEN")
    if not socket_mode and not settings.slack_signing_secret:
        missing.append("SLACK_SIGNING_SECRET")
    return missing


def build_app(
    settings: Settings,
    toolkit: Toolkit,
    store: DraftStore | None,
    *,
    socket_mode: bool = False,
    services: Services | None = None,
    client: AsyncWebClient | None = None,
) -> AsyncApp:
    """The bolt app with every listener registered.

    HTTP mode needs ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET``; Socket Mode needs
    ``SLACK_BOT_TOKEN`` and ``SLACK_APP_TOKEN``. ``Settings.slack_api_url`` points the
    Web API client elsewhere (tests use a local stand-in for Slack).
    """
    missing = missing_settings(settings, socket_mode=socket_mode)
    if missing:
        raise SlackNotConfigured(
            "Slack is not set up: set " + " and ".join(missing) + " (see the README, "
            "'Installing the Slack app')."
        )
    if client is None:
        kwargs: dict[str, Any] = {"token": settings.slack_bot_token}
        if settings.slack_api_url:
            kwargs["base_url"] = settings.slack_api_url.rstrip("/") + "/"
        client = AsyncWebClient(**kwargs)
    services = services or Services.build(settings, toolkit, store)
    app = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret or "socket-mode-unused",
        # HTTP requests are verified (signature and a timestamp at most 5 minutes old);
        # Socket Mode requests come over the authenticated websocket instead.
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        # a request no listener matches (``view_closed``, a button on a message sent by
        # an older version, an event we do not subscribe to) reaches _on_error, which
        # answers 200 and no body: Slack shows the person no error and does not retry
        raise_error_for_unhandled_request=True,
    )
    app.middleware(_with_services(services))
    app.middleware(_skip_retries(services))
    register_all(app)
    app.error(_on_error)
    app.services = services  # type: ignore[attr-defined]
    return app


def _with_services(services: Services) -> Any:
    async def attach_services(context: Any, resp: Any, next: Any) -> Any:  # noqa: A002
        context["services"] = services
        await next()
        return resp

    return attach_services


def _skip_retries(services: Services) -> Any:
    """Answer Slack's retries of an event we already have (same ``event_id``) once only.

    Slack retries an event up to three times (``X-Slack-Retry-Num``) when it did not see
    a quick 200; the first delivery is being handled, so a retry gets a bare 200. The
    claim is recorded in the shared database, so a retry that reaches another app
    instance (or this one after a restart) is recognised too.
    """

    async def skip_retried_events(
        body: dict[str, Any], request: Any, resp: Any, next: Any  # noqa: A002
    ) -> Any:
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not await services.claim_event(str(event_id)):
            retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
            log.info("slack: ignoring retry %s of event %s", retry, event_id)
            return BoltResponse(status=200, body="")
        await next()
        return resp

    return skip_retried_events


async def _on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> BoltResponse:
    if isinstance(error, BoltUnhandledRequestError):
        kind = body.get("type") if isinstance(body, dict) else None
        log.info("slack: no listener for a %s request; acknowledged", kind or "Slack")
        return BoltResponse(status=200, body="")
    logger.exception("slack listener failed: %s", error)
    # an ack function failed: tell Slack it was received (no retry storm); lazy
    # functions report their own failures to the person (see listeners.guard)
    return BoltResponse(status=200, body="")
