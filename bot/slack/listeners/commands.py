"""``/mastery …``: ack at once, answer in a lazy function through the response URL
(ephemeral, so only the person who asked sees it until they share it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.slack import replies
from bot.slack.listeners import guard, send_file, services_of
from bot.slack.parse import parse_command, slack_to_plain
from bot.slack.services import owner_of

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_bolt.context.async_context import AsyncBoltContext
    from slack_bolt.context.respond.async_respond import AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient

COMMAND = "/mastery"


async def ack_command(ack: AsyncAck) -> None:
    await ack()


@guard
async def answer_command(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                         context: AsyncBoltContext) -> None:
    from bot.slack import drafts

    svc = services_of(context)
    text = slack_to_plain(body.get("text") or "")
    cmd = parse_command(text, svc.audience_id)
    owner = owner_of(body.get("team_id"), body.get("user_id"))
    if cmd.name == "draft" and cmd.arg:
        template_id = drafts.resolve_template(svc, cmd.arg)
        if template_id is None:
            from bot.slack import blocks as bk
            from bot.slack import texts

            intro = texts.DRAFT_UNKNOWN.format(name=bk.escape(bk.truncate(cmd.arg, 80)))
            reply = replies.templates_list(svc, intro + " " + texts.DRAFT_WHICH)
        else:
            view = await drafts.form_view(svc, owner, template_id=template_id)
            if isinstance(view, dict):
                await client.views_open(trigger_id=body["trigger_id"], view=view)
                return
            reply = replies.say(view)
    else:
        reply = await replies.for_command(svc, cmd, owner=owner, ephemeral=True)
    await respond(response_type="ephemeral", replace_original=False, **reply.message())
    await send_file(client, body.get("user_id"), reply)


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(ack=ack_command, lazy=[answer_command])
