"""Serving the bolt app over HTTP inside the FastAPI app (``POST /slack/events``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.api.services import Services as ApiServices
    from bot.settings import Settings

log = logging.getLogger("bot.slack")

EVENTS_PATH = "/slack/events"


def slack_router(slack_app: AsyncApp, signing_secret: str | None = None) -> APIRouter:
    """Routes for Slack's request URL (events, commands, interactivity, shortcuts).

    Mount with ``app.include_router(slack_router(build_app(...), secret))``. Requests are
    verified (signature, and a timestamp at most five minutes old: else 401) before their
    body is read as JSON or a form, so a malformed unsigned body gets 401, not a 500; bolt
    verifies them again and dispatches them on the event loop; listeners never block it.
    A signed body that cannot be read gets 400.
    """
    from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
    from slack_sdk.signature import SignatureVerifier

    handler = AsyncSlackRequestHandler(slack_app)
    verifier = SignatureVerifier(signing_secret) if signing_secret else None
    router = APIRouter(tags=["slack"])

    @router.post(EVENTS_PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        if verifier is not None:
            body = await request.body()
            try:
                valid = verifier.is_valid(
                    body=body, timestamp=request.headers.get("x-slack-request-timestamp"),
                    signature=request.headers.get("x-slack-signature"))
            except (ValueError, TypeError, OverflowError):  # "abc" as a timestamp
                valid = False
            if not valid:
                return JSONResponse({"error": "invalid request"}, status_code=401)
        try:
            return await handler.handle(request)
        except (ValueError, UnicodeDecodeError, TypeError, AttributeError):
            # signed, but not a body Slack sends (not JSON or a form, or JSON that is not
            # an object)
            log.warning("Slack: a signed request whose body could not be read")
            return JSONResponse({"error": "the request body could not be read"},
                                status_code=400)

    return router


def status_line(settings: Settings) -> str:
    """One line for ``mastery serve``: where Slack's requests go, or how to enable Slack."""
    from bot.slack.app import missing_settings

    missing = missing_settings(settings, socket_mode=False)
    if not missing:
        from bot.api.auth import base_url

        return f"Slack: events are received at {base_url(settings)}{EVENTS_PATH}"
    return ("Slack: off (to answer in Slack set " + " and ".join(missing)
            + ", or run `mastery slack` with SLACK_APP_TOKEN for Socket Mode)")


def register(app: FastAPI, services: ApiServices) -> None:
    """Extension hook of :func:`bot.api.app.create_app`: mount ``POST /slack/events`` when
    ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET`` are set; otherwise leave the web
    workspace alone and log how to enable Slack."""
    from bot.slack.app import build_app, missing_settings
    from bot.slack.services import Services

    settings = services.settings
    if missing_settings(settings, socket_mode=False):
        log.info(status_line(settings))
        return
    try:
        slack_services = Services.build(settings, services.toolkit, services.store,
                                        core=services.core)
        slack_app = build_app(settings, services.toolkit, services.store,
                              services=slack_services)
    except Exception:  # the web workspace keeps running without Slack
        log.exception("Slack: could not start the bot; /slack/events is not served")
        return
    app.state.slack_app = slack_app
    app.include_router(slack_router(slack_app, settings.slack_signing_secret))
