"""Listeners: plain functions in one module per kind, each module with ``register(app)``.

:data:`MODULES` is the one place that lists them (a test checks every module is in it).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.slack import texts
from bot.slack.blocks import escape, notice, truncate

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.async_context import AsyncBoltContext
    from slack_bolt.context.respond.async_respond import AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.slack.replies import Reply
    from bot.slack.services import Services

log = logging.getLogger("bot.slack")


def services_of(context: AsyncBoltContext) -> Services:
    return context["services"]  # type: ignore[no-any-return]


def guard(fn: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Wrap a lazy function so a failure is told to the person, never silent.

    The function must take ``body``, ``client`` and ``respond`` (bolt passes them)."""

    @functools.wraps(fn)
    async def guarded(**kwargs: Any) -> None:
        try:
            await fn(**kwargs)
        except Exception:
            log.exception("slack: %s failed", fn.__name__)
            await tell_error(kwargs.get("body") or {}, kwargs.get("client"), kwargs.get("respond"))

    return guarded


async def tell_error(body: dict[str, Any], client: AsyncWebClient | None,
                     respond: AsyncRespond | None) -> None:
    try:
        if respond is not None and body.get("response_url"):
            await respond(text=texts.ERROR, blocks=notice(texts.ERROR),
                          response_type="ephemeral", replace_original=False)
            return
        event = body.get("event") or {}
        user = (body.get("user") or {}).get("id") or event.get("user")
        channel = event.get("channel")
        if client is not None and channel:
            await client.chat_postMessage(channel=channel, text=texts.ERROR,
                                          thread_ts=event.get("thread_ts") or event.get("ts"))
        elif client is not None and user:
            opened = await client.conversations_open(users=user)
            await client.chat_postMessage(channel=opened["channel"]["id"], text=texts.ERROR)
    except Exception:  # the error report itself failed: log, nothing more to do
        log.exception("slack: could not report an error to the user")


async def send_file(client: AsyncWebClient | None, user_id: str | None, reply: Reply) -> None:
    """The file that goes with a summary reply (a full report), sent to the person's
    direct messages with the bot — a reply may be ephemeral, and a file posted in the
    channel would show everyone what only they asked for. A failed upload is told."""
    attachment = reply.file
    if attachment is None or client is None or not user_id:
        return
    channel = None
    try:
        opened = await client.conversations_open(users=user_id)
        channel = opened["channel"]["id"]
        await client.files_upload_v2(
            channel=channel, content=attachment.content, filename=attachment.filename,
            title=truncate(escape(attachment.title), 250),
            initial_comment=escape(attachment.comment),
        )
    except Exception:
        log.exception("slack: could not send %s", attachment.filename)
        if channel is not None:
            try:
                await client.chat_postMessage(channel=channel, text=texts.REPORT_UPLOAD_FAILED,
                                              blocks=notice(texts.REPORT_UPLOAD_FAILED))
            except Exception:
                log.exception("slack: could not report a failed upload")


def register_all(app: AsyncApp) -> None:
    from bot.slack.listeners import actions, commands, events, files, home, shortcuts, views

    # files first: bolt runs the first matching listener, and files' match only Word files
    for module in (commands, files, events, actions, shortcuts, views, home):
        module.register(app)


#: every listener module, in registration order
MODULES = ("commands", "files", "events", "actions", "shortcuts", "views", "home")
