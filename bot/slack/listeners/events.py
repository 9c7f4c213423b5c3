"""Mentions in channels (answered in a thread) and direct messages (answered in the DM)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.slack import blocks as bk
from bot.slack import replies, texts
from bot.slack.listeners import guard, send_file, services_of
from bot.slack.parse import parse_command, slack_to_plain, strip_mention
from bot.slack.services import owner_of

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_bolt.context.async_context import AsyncBoltContext
    from slack_bolt.context.respond.async_respond import AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient

#: message subtypes that are not someone writing to the bot
_IGNORED_SUBTYPES = {"message_changed", "message_deleted", "bot_message", "channel_join",
                     "channel_leave", "message_replied", "thread_broadcast"}


async def ack_event(ack: AsyncAck) -> None:
    await ack()


async def _reply(svc: Any, body: dict[str, Any], text: str) -> replies.Reply:
    event = body.get("event") or {}
    cmd = parse_command(slack_to_plain(text), svc.audience_id)
    owner = owner_of(body.get("team_id"), event.get("user"))
    if cmd.name == "draft":
        return replies.templates_list(svc)
    return await replies.for_command(svc, cmd, owner=owner, ephemeral=False)


@guard
async def answer_mention(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                         context: AsyncBoltContext) -> None:
    svc = services_of(context)
    event = body.get("event") or {}
    text = strip_mention(event.get("text") or "", context.get("bot_user_id"))
    reply = await _reply(svc, body, text)
    await client.chat_postMessage(channel=event["channel"],
                                  thread_ts=event.get("thread_ts") or event.get("ts"),
                                  **reply.message())
    await send_file(client, event.get("user"), reply)


@guard
async def answer_dm(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                    context: AsyncBoltContext) -> None:
    svc = services_of(context)
    event = body.get("event") or {}
    if event.get("subtype") in _IGNORED_SUBTYPES or event.get("bot_id"):
        return
    text = strip_mention(event.get("text") or "", context.get("bot_user_id"))
    if event.get("files") and not text.strip():
        # a file that is not a Word document (those go to the files listener): say what
        # can be checked, not the general help
        reply = replies.Reply(texts.WORD_FILES_ONLY, bk.sections(texts.WORD_FILES_ONLY))
    else:
        reply = await _reply(svc, body, text)
    kwargs: dict[str, Any] = {"channel": event["channel"], **reply.message()}
    if event.get("thread_ts"):
        kwargs["thread_ts"] = event["thread_ts"]
    await client.chat_postMessage(**kwargs)
    await send_file(client, event.get("user"), reply)


async def is_direct_message(body: dict[str, Any]) -> bool:
    return (body.get("event") or {}).get("channel_type") == "im"


async def ignore(ack: AsyncAck) -> None:
    """Other messages (channels the bot is in, edits…) are acknowledged and left alone."""
    await ack()


def register(app: AsyncApp) -> None:
    app.event("app_mention")(ack=ack_event, lazy=[answer_mention])
    app.event("message", matchers=[is_direct_message])(ack=ack_event, lazy=[answer_dm])
    app.event("message")(ignore)
