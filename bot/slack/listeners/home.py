"""App Home: the user's drafts with their completeness, starting a draft, browsing myths
vs facts by topic and key messages by audience, and how to use the bot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.slack import blocks as bk
from bot.slack import drafts, texts
from bot.slack.listeners import guard, services_of
from bot.slack.listeners.actions import owner_from
from bot.slack.services import owner_of

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_bolt.context.async_context import AsyncBoltContext
    from slack_bolt.context.respond.async_respond import AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.core.drafts import DraftLike
    from bot.slack.services import Services

MAX_HOME_DRAFTS = 15
OTHER_TOPIC = "other"


async def ack_home(ack: AsyncAck) -> None:
    await ack()


def _completeness(svc: Services, draft: DraftLike) -> int | None:
    from messaging.drafting import DraftingError, completeness

    try:
        return completeness(svc.toolkit, draft.template, draft.data, draft.profile).percent
    except DraftingError:
        return None


def _drafts_blocks(svc: Services, owner: str) -> list[bk.Block]:
    """Runs in a worker thread: reads the store and computes completeness."""
    blocks: list[bk.Block] = [bk.section(texts.HOME_DRAFTS)]
    if svc.store is None:
        return [*blocks, bk.context(texts.DRAFT_NO_STORE)]
    mine = svc.store.list_drafts(owner)
    if not mine:
        return [*blocks, bk.context(texts.HOME_NO_DRAFTS)]
    for draft in mine[:MAX_HOME_DRAFTS]:
        percent = _completeness(svc, draft)
        template = svc.toolkit.templates.get(draft.template)
        kind = template.title if template else draft.template
        status = f"{percent}% complete" if percent is not None else ""
        when = draft.updated_at.strftime("%Y-%m-%d %H:%M UTC")
        text = (f"{bk.bold(draft.title or kind)}\n"
                f"{bk.escape(kind)} · {status} · {texts.HOME_UPDATED.format(when=when)}")
        blocks.append(bk.section(text, accessory=bk.button(texts.HOME_CONTINUE, "draft_open",
                                                            draft.id)))
    if len(mine) > MAX_HOME_DRAFTS:
        blocks.append(bk.context(texts.HOME_MORE_DRAFTS.format(n=len(mine) - MAX_HOME_DRAFTS)))
    return blocks


def home_view(svc: Services, owner: str) -> dict[str, Any]:
    blocks: list[bk.Block] = [bk.header(texts.HOME_TITLE), bk.section(texts.HOME_INTRO)]
    link = svc.link(owner)
    blocks += _drafts_blocks(svc, owner)
    if link:
        blocks.append(bk.actions([bk.button(texts.DRAFT_FINISH_WEB, "open_web", url=link)]))
    blocks.append(bk.divider())
    templates = list(svc.toolkit.templates.values())
    if templates:
        blocks.append(bk.section(texts.HOME_START))
        for start in range(0, len(templates), 5):
            chunk = templates[start:start + 5]
            blocks.append(bk.actions(
                [bk.button(t.title, f"draft_start:{start + i}", t.id)
                 for i, t in enumerate(chunk)],
                block_id=f"start:{start}",
            ))
    blocks.append(bk.section(texts.HOME_BROWSE))
    blocks.append(bk.actions([bk.button(texts.HOME_MYTHS, "home_myths", "myths"),
                              bk.button(texts.HOME_MESSAGES, "home_messages", "messages")],
                             block_id="browse"))
    blocks += [bk.divider(), bk.section(texts.HOME_HOWTO)]
    return {"type": "home", "blocks": bk.fit(blocks, bk.MAX_VIEW_BLOCKS, budget=None)}


@guard
async def publish_home(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                       context: AsyncBoltContext) -> None:
    svc = services_of(context)
    event = body.get("event") or {}
    if event.get("tab") not in (None, "home"):
        return
    user = event.get("user")
    if not isinstance(user, str) or not user:
        return  # no one to show it to
    view = await svc.run(home_view, svc, owner_of(body.get("team_id"), user))
    await client.views_publish(user_id=user, view=view)


@guard
async def open_draft(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                     context: AsyncBoltContext) -> None:
    """'Continue' on a draft, or a 'start' button: the drafting form (the store refuses
    another user's draft, and the person is told so in a small modal)."""
    svc = services_of(context)
    action = (body.get("actions") or [{}])[0]
    owner = owner_from(body)
    if action.get("action_id") == "draft_open":
        view = await drafts.form_view(svc, owner, draft_id=str(action.get("value") or ""))
    else:
        view = await drafts.form_view(svc, owner, template_id=str(action.get("value") or ""))
    if isinstance(view, str):
        view = drafts.message_view(view)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


# ------------------------------------------------------------- browsing
def myth_topics(svc: Services) -> dict[str, tuple[str, list[Any]]]:
    """Myths grouped by the tested concern they answer (finding), in toolkit order."""
    topics: dict[str, tuple[str, list[Any]]] = {}
    for myth in svc.toolkit.myths.values():
        finding = svc.toolkit.findings.get(myth.concern) if myth.concern else None
        key = finding.id if finding else OTHER_TOPIC
        title = finding.title if finding else texts.OTHER_MYTHS
        topics.setdefault(key, (title, []))[1].append(myth)
    return topics


def browse_myths_view(svc: Services, topic: str | None = None) -> dict[str, Any]:
    topics = myth_topics(svc)
    options = [bk.option(title, key) for key, (title, _) in topics.items()]
    select: dict[str, Any] = {"type": "static_select", "action_id": "browse_topic",
                              "placeholder": bk.plain(texts.PICK_TOPIC, bk.MAX_PLACEHOLDER),
                              "options": options[: bk.MAX_SELECT_OPTIONS] or
                              [bk.option("—", OTHER_TOPIC)]}
    chosen = [o for o in options if o["value"] == topic]
    if chosen:
        select["initial_option"] = chosen[0]
    blocks: list[bk.Block] = [bk.actions([select], block_id="topic")]
    if topic in topics:
        for myth in topics[topic][1]:
            blocks += [bk.divider(), *bk.myth_blocks(myth, svc.toolkit, full=False)]
    return {"type": "modal", "callback_id": "browse_myths",
            "title": bk.plain(texts.BROWSE_MYTHS_TITLE, bk.MAX_VIEW_TITLE),
            "close": bk.plain(texts.CLOSE, bk.MAX_VIEW_TITLE),
            "blocks": bk.fit(blocks, bk.MAX_VIEW_BLOCKS, budget=None)}


def browse_messages_view(svc: Services, audience: str | None = None) -> dict[str, Any]:
    options = bk.audience_options(svc.toolkit)
    select: dict[str, Any] = {"type": "static_select", "action_id": "browse_audience",
                              "placeholder": bk.plain(texts.PICK_AUDIENCE, bk.MAX_PLACEHOLDER),
                              "options": options}
    chosen = [o for o in options if o["value"] == audience]
    if chosen:
        select["initial_option"] = chosen[0]
    blocks: list[bk.Block] = [bk.actions([select], block_id="audience")]
    found = svc.toolkit.audiences.get(audience) if audience else None
    if found is not None:
        blocks += bk.messages_blocks(found, svc.toolkit, limit=bk.MAX_VIEW_BLOCKS - len(blocks),
                                     budget=None)
    return {"type": "modal", "callback_id": "browse_messages",
            "title": bk.plain(texts.BROWSE_MESSAGES_TITLE, bk.MAX_VIEW_TITLE),
            "close": bk.plain(texts.CLOSE, bk.MAX_VIEW_TITLE),
            "blocks": bk.fit(blocks, bk.MAX_VIEW_BLOCKS, budget=None)}


@guard
async def open_browse(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                      context: AsyncBoltContext) -> None:
    svc = services_of(context)
    action = (body.get("actions") or [{}])[0]
    if action.get("action_id") == "home_myths":
        view = browse_myths_view(svc)
    else:
        view = browse_messages_view(svc)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


@guard
async def browse_pick(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                      context: AsyncBoltContext) -> None:
    svc = services_of(context)
    action = (body.get("actions") or [{}])[0]
    picked = (action.get("selected_option") or {}).get("value")
    if action.get("action_id") == "browse_topic":
        view = browse_myths_view(svc, picked)
    else:
        view = browse_messages_view(svc, picked)
    current = body.get("view") or {}
    await client.views_update(view_id=current.get("id"), hash=current.get("hash"), view=view)


def register(app: AsyncApp) -> None:
    import re

    app.event("app_home_opened")(ack=ack_home, lazy=[publish_home])
    app.action("draft_open")(ack=ack_home, lazy=[open_draft])
    app.action(re.compile(r"^draft_start:\d+$"))(ack=ack_home, lazy=[open_draft])
    app.action(re.compile(r"^home_(myths|messages)$"))(ack=ack_home, lazy=[open_browse])
    app.action(re.compile(r"^browse_(topic|audience)$"))(ack=ack_home, lazy=[browse_pick])
