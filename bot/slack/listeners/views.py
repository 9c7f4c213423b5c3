"""Modal submissions: the drafting form (validated and saved step by step) and the
template picker of the "Start a draft" shortcut."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.slack import drafts, forms, texts
from bot.slack.listeners import guard, log, services_of
from bot.slack.listeners.actions import owner_from
from bot.slack.listeners.shortcuts import PICK_TEMPLATE

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_bolt.context.async_context import AsyncBoltContext
    from slack_bolt.context.respond.async_respond import AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient


async def submit_form(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
    """Validate and save the step in the ack (Slack shows field errors only from the
    ack); the document is delivered by :func:`deliver_document` afterwards."""
    svc = services_of(context)
    try:
        submitted = await drafts.submit_step_once(svc, owner_from(body), body.get("view") or {})
    except Exception:  # e.g. the database is down: say so in the modal, never close silently
        log.exception("slack: saving a form step failed")
        await ack(response_action="update", view=drafts.message_view(texts.ERROR))
        return
    if submitted.draft_id:
        context["deliver_draft"] = submitted.draft_id
    await ack(**submitted.ack)


@guard
async def deliver_document(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                           context: AsyncBoltContext) -> None:
    draft_id = context.get("deliver_draft")
    if not draft_id:
        return
    from bot.slack.listeners.home import home_view

    svc = services_of(context)
    owner, user = owner_from(body), body["user"]["id"]
    await drafts.deliver(svc, client, owner, user, draft_id)
    # the Home tab lists the user's drafts: show the new one there too
    await client.views_publish(user_id=user, view=await svc.run(home_view, svc, owner))


async def submit_pick(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
    svc = services_of(context)
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    template_id = forms.read_value((values.get("template") or {}).get("v")) or ""
    view = await drafts.form_view(svc, owner_from(body), template_id=str(template_id))
    if isinstance(view, str):
        await ack(response_action="errors", errors={"template": view[:150]})
        return
    await ack(response_action="update", view=view)


def register(app: AsyncApp) -> None:
    app.view_submission(forms.CALLBACK_ID)(ack=submit_form, lazy=[deliver_document])
    app.view_submission(PICK_TEMPLATE)(submit_pick)
