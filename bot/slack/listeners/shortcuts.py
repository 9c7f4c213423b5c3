"""The "Check wording" message shortcut and the "Start a draft" global shortcut."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.slack import blocks as bk
from bot.slack import replies, texts
from bot.slack.listeners import guard, send_file, services_of
from bot.slack.listeners.actions import owner_from
from bot.slack.parse import slack_to_plain

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_bolt.context.async_context import AsyncBoltContext
    from slack_bolt.context.respond.async_respond import AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient

CHECK_WORDING = "check_wording"
START_DRAFT = "start_draft"
PICK_TEMPLATE = "draft_pick"


async def ack_shortcut(ack: AsyncAck) -> None:
    await ack()


def message_text(message: dict[str, Any]) -> str:
    """The words of a message: its text, else the text of its rich-text/section blocks."""
    text = message.get("text") or ""
    if text.strip():
        return slack_to_plain(text)
    parts: list[str] = []
    for block in message.get("blocks") or []:
        if block.get("type") == "section":
            parts.append((block.get("text") or {}).get("text") or "")
    return slack_to_plain("\n".join(parts))


@guard
async def check_wording(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                        context: AsyncBoltContext) -> None:
    svc = services_of(context)
    text = message_text(body.get("message") or {})
    if not text.strip():
        reply = replies.say(texts.CHECK_NO_TEXT)
    else:
        reply = await replies.check(svc, text, None, owner=owner_from(body))
    await respond(response_type="ephemeral", replace_original=False, **reply.message())
    await send_file(client, (body.get("user") or {}).get("id"), reply)


def template_picker(svc: Any) -> dict[str, Any]:
    options = [bk.option(t.title, t.id) for t in svc.toolkit.templates.values()]
    return {
        "type": "modal",
        "callback_id": PICK_TEMPLATE,
        "title": bk.plain(texts.START_DRAFT_TITLE, bk.MAX_VIEW_TITLE),
        "submit": bk.plain(texts.NEXT, bk.MAX_VIEW_TITLE),
        "close": bk.plain(texts.CANCEL, bk.MAX_VIEW_TITLE),
        "blocks": [{
            "type": "input", "block_id": "template",
            "label": bk.plain(texts.PICK_TEMPLATE),
            "element": {"type": "static_select", "action_id": "v",
                        "options": options[: bk.MAX_SELECT_OPTIONS]},
        }],
    }


@guard
async def start_draft(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                      context: AsyncBoltContext) -> None:
    from bot.slack.drafts import message_view

    svc = services_of(context)
    if svc.store is None or not svc.toolkit.templates:
        view = message_view(texts.DRAFT_NO_STORE)
    else:
        view = template_picker(svc)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: AsyncApp) -> None:
    app.message_shortcut(CHECK_WORDING)(ack=ack_shortcut, lazy=[check_wording])
    app.global_shortcut(START_DRAFT)(ack=ack_shortcut, lazy=[start_draft])
