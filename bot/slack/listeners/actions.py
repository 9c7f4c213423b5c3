"""Buttons and menus on the bot's messages: full answer, share, did-you-mean, feedback,
re-check for an audience, and the drafting form's "Add another"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.slack import blocks as bk
from bot.slack import forms, replies, texts
from bot.slack.listeners import guard, send_file, services_of
from bot.slack.services import owner_of

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_bolt.context.async_context import AsyncBoltContext
    from slack_bolt.context.respond.async_respond import AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient


def owner_from(body: dict[str, Any]) -> str:
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id")
    return owner_of(team, user.get("id"))


def _action(body: dict[str, Any]) -> dict[str, Any]:
    acts = body.get("actions") or [{}]
    return acts[0] or {}


async def ack_action(ack: AsyncAck) -> None:
    await ack()


async def _replace(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                   reply: replies.Reply) -> None:
    """Replace the message the button is on (ephemeral, or no channel to update it in:
    through the response URL)."""
    container = body.get("container") or {}
    channel = container.get("channel_id")
    if container.get("is_ephemeral") or not container.get("message_ts") or not channel:
        await respond(replace_original=True, **reply.message())
    else:
        await client.chat_update(channel=channel, ts=container["message_ts"],
                                 **reply.message())


def _ephemeral(body: dict[str, Any]) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


async def _show_entry(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                      context: AsyncBoltContext, *,
                      full: bool) -> None:
    """Replace the message with the entry the button names (short or full answer)."""
    svc = services_of(context)
    ref = bk.unpack(_action(body).get("value"))
    reply = await replies.lookup(svc, str(ref.get("id") or ""), question=str(ref.get("q") or ""),
                                 audience=ref.get("a") or None, ephemeral=_ephemeral(body),
                                 full=full)
    await _replace(body, client, respond, reply)


@guard
async def show_full(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                    context: AsyncBoltContext) -> None:
    await _show_entry(body, client, respond, context, full=True)


@guard
async def pick_suggestion(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                          context: AsyncBoltContext) -> None:
    await _show_entry(body, client, respond, context, full=False)


@guard
async def share(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                context: AsyncBoltContext) -> None:
    svc = services_of(context)
    ref = bk.unpack(_action(body).get("value"))
    user = (body.get("user") or {}).get("id")
    reply = await replies.lookup(svc, str(ref.get("id") or ""), question=str(ref.get("q") or ""),
                                 audience=ref.get("a") or None, ephemeral=False,
                                 full=bool(ref.get("f")), shared_by=user)
    if body.get("response_url"):
        # the response URL can post even where the bot is not a member
        await respond(response_type="in_channel", replace_original=False, **reply.message())
        await respond(delete_original=True)
    else:
        channel = str((body.get("channel") or {}).get("id") or "")  # none: Slack says so
        await client.chat_postMessage(channel=channel, **reply.message())


@guard
async def feedback(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                   context: AsyncBoltContext) -> None:
    svc = services_of(context)
    action = _action(body)
    ref = bk.unpack(action.get("value"))
    helpful = action.get("action_id") == "faq_helpful"
    if not helpful and ref.get("q"):
        answer = await svc.run(svc.faq.lookup, str(ref.get("id") or ""))
        await replies.record_question(svc, str(ref["q"]), ref.get("a") or None,
                                      owner=owner_from(body), answer=answer, helpful=False)
    thanks = texts.THANKS_HELPFUL if helpful else texts.THANKS_UNHELPFUL
    await respond(response_type="ephemeral", replace_original=False, text=thanks,
                  blocks=bk.notice(thanks))


@guard
async def recheck(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                  context: AsyncBoltContext) -> None:
    svc = services_of(context)
    action = _action(body)
    key = str(action.get("block_id") or "").removeprefix("check:")
    audience = (action.get("selected_option") or {}).get("value")
    owner = owner_from(body)
    text = await svc.recall_text(owner, key)
    if text is None:  # unknown, expired, or another person's check: the same answer
        await respond(replace_original=False, response_type="ephemeral",
                      text=texts.CHECK_EXPIRED, blocks=bk.notice(texts.CHECK_EXPIRED))
        return
    reply = await replies.check(svc, text, audience, owner=owner, key=key)
    await respond(replace_original=True, **reply.message())
    await send_file(client, (body.get("user") or {}).get("id"), reply)


@guard
async def add_item(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                   context: AsyncBoltContext) -> None:
    """'Add another' in a drafting form: the same step with one more item."""
    from bot.slack import drafts

    svc = services_of(context)
    view = body.get("view") or {}
    meta = forms.Meta.unpack(view.get("private_metadata"))
    if meta is None:
        return
    name = str(_action(body).get("value") or "")
    described = drafts.describe(svc, meta.t)
    values = (view.get("state") or {}).get("values") or {}
    block_ids = {b.get("block_id") for b in view.get("blocks", []) if b.get("block_id")}
    data, _ = forms.read_step(described, meta, values, block_ids or None)
    meta.n[name] = meta.n.get(name, 1) + 1
    new_view = forms.build_view(described, meta, data,
                                profiles=drafts.profiles_for(svc, meta.t),
                                link=svc.link(owner_from(body), meta.d))
    await client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=new_view)


def register(app: AsyncApp) -> None:
    app.action("faq_full")(ack=ack_action, lazy=[show_full])
    app.action(re.compile(r"^faq_pick:\d+$"))(ack=ack_action, lazy=[pick_suggestion])
    app.action("faq_share")(ack=ack_action, lazy=[share])
    app.action(re.compile(r"^faq_(un)?helpful$"))(ack=ack_action, lazy=[feedback])
    app.action("check_audience")(ack=ack_action, lazy=[recheck])
    app.action("draft_add")(ack=ack_action, lazy=[add_item])
    app.action(re.compile(r"^open_web"))(ack_action)
