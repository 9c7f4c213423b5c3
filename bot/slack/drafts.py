"""Drafting from Slack: open a form, save each step, deliver the finished document.

The draft belongs to ``slack:TEAM:USER``; another user's draft id is treated exactly
like a missing one (the store guarantees it). The document goes to the user's direct
message with the bot — a draft is private until its author shares it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.slack import blocks as bk
from bot.slack import forms, texts

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.slack.services import Services
    from messaging.drafting import TemplateDescription

log = logging.getLogger("bot.slack")


def resolve_template(svc: Services, name: str) -> str | None:
    """The template ``name`` means: its id or title ("press_release", "Press release"), or
    the one template whose id or title starts with it ("pilot", "social")."""
    wanted = " ".join(name.replace("_", " ").replace("-", " ").split()).casefold()
    if not wanted:
        return None
    templates = list(svc.toolkit.templates.values())

    def plain(text: str) -> str:
        return " ".join(text.replace("-", " ").split()).casefold()

    for template in templates:
        if wanted in (plain(template.id), plain(template.title)):
            return str(template.id)
    starting = [t for t in templates
                if plain(t.id).startswith(wanted) or plain(t.title).startswith(wanted)]
    return str(starting[0].id) if len(starting) == 1 else None


def profiles_for(svc: Services, template_id: str) -> list[tuple[str, str]]:
    return [(p.id, p.name) for p in svc.toolkit.profiles.values() if p.template == template_id]


def describe(svc: Services, template_id: str) -> TemplateDescription:
    from messaging.drafting import describe_template

    return describe_template(svc.toolkit, template_id)


async def form_view(
    svc: Services, owner: str, *, template_id: str | None = None, draft_id: str | None = None
) -> dict[str, Any] | str:
    """The first view of the form for a new draft of ``template_id`` or for the saved draft
    ``draft_id``; a string (mrkdwn, safe) says why it cannot be opened."""
    from bot.store import StoreError
    from messaging.drafting import DraftingError

    if svc.store is None:
        return texts.DRAFT_NO_STORE
    data: dict[str, Any] = {}
    meta = forms.Meta(t=template_id or "")
    if draft_id:
        try:
            draft = await svc.run_quick(svc.store.get_draft, owner, draft_id)
        except StoreError:
            return texts.DRAFT_NOT_YOURS
        data, meta = dict(draft.data), forms.Meta(t=draft.template, d=draft.id, v=draft.version,
                                                  p=draft.profile)
    try:
        described = describe(svc, meta.t)
    except DraftingError:
        return texts.DRAFT_UNKNOWN.format(name=bk.escape(bk.truncate(meta.t, 80)))
    if draft_id:
        # a saved draft opens where work is left: the first step with a required field
        # still empty (a ten-step application no longer starts again at step 1)
        steps = forms.steps_of(described)
        meta.s = next((k for k, step in enumerate(steps)
                       if any(f.get("required") and data.get(f["name"]) in (None, "", [])
                              for f in step.fields)), 0)
    link = svc.link(owner, meta.d)
    return forms.build_view(described, meta, data, profiles=profiles_for(svc, meta.t), link=link)


@dataclass
class Submitted:
    """What the ack of a form step answers, and what to deliver afterwards."""

    ack: dict[str, Any]
    draft_id: str | None = None  # set on the last step: deliver this draft


#: how long the answer to a form step is kept for a repeated submission of the same view
SAME_STEP_S = 120.0
SAME_STEP_MAX = 1_000


async def submit_step_once(svc: Services, owner: str, view: dict[str, Any]) -> Submitted:
    """:func:`submit_step`, once per view: Slack sends the same view id and hash again when
    a step is submitted twice (a double click on "Next" while the first is saving), and a
    repeat with the same values gets the first submission's answer — no second draft from a
    first step, no "changed somewhere else" from a later one, and the document delivered
    once. In this process only: a repeat that reaches another app instance is saved as
    before."""
    view_id, view_hash = view.get("id"), view.get("hash")
    if not isinstance(view_id, str) or not isinstance(view_hash, str) or not view_hash:
        return await submit_step(svc, owner, view)
    # the values typed are part of the key: after field errors the view (and its hash)
    # stays the same while the user corrects a field and submits again
    typed = json.dumps([view.get("private_metadata"), view.get("state")], sort_keys=True,
                       default=str)
    key = "\n".join((owner, view_id, view_hash, hashlib.sha256(typed.encode()).hexdigest()))
    now = time.monotonic()
    steps = svc.form_steps
    for old in [k for k, (at, _) in steps.items() if now - at > SAME_STEP_S]:
        del steps[old]
    seen = steps.get(key)
    if seen is not None:
        first: Submitted | None = await asyncio.shield(seen[1])
        if first is not None:
            return Submitted(ack=first.ack)
        return await submit_step(svc, owner, view)  # the first failed: try again
    while len(steps) >= SAME_STEP_MAX:
        del steps[next(iter(steps))]
    pending: asyncio.Future[Submitted | None] = asyncio.get_running_loop().create_future()
    steps[key] = (now, pending)
    result: Submitted | None = None
    try:
        result = await submit_step(svc, owner, view)
        return result
    finally:
        if result is None:
            steps.pop(key, None)  # not kept: a repeat saves on its own
        pending.set_result(result)


async def submit_step(svc: Services, owner: str, view: dict[str, Any]) -> Submitted:
    """Save one step of the form through the core's :func:`bot.core.drafts.save_step`
    (draft mode part-way, final mode on the last step); the ack answer for Slack."""
    from bot.core.drafts import save_step
    from bot.core.errors import DraftConflict
    from bot.store import StoreError
    from messaging.drafting import DraftingError

    meta = forms.Meta.unpack(view.get("private_metadata"))
    if meta is None or svc.store is None:
        return Submitted(ack={"response_action": "update", "view": message_view(texts.ERROR)})
    try:
        described = describe(svc, meta.t)
    except DraftingError:
        return Submitted(ack={"response_action": "update", "view": message_view(
            texts.DRAFT_UNKNOWN.format(name=bk.escape(bk.truncate(meta.t, 80))))})
    values = (view.get("state") or {}).get("values") or {}
    block_ids = {b.get("block_id") for b in view.get("blocks", []) if b.get("block_id")}
    rows: dict[str, list[int]] = {}
    step_data, covered = forms.read_step(described, meta, values, block_ids, rows)
    if meta.s == 0 and forms.PROFILE_BLOCK in values:
        meta.p = forms.read_profile(values)
    # Slack's inputs stop at 3,000 characters; a longer value is refused with a pointer
    errors: dict[str, str] = {}
    for name, value in step_data.items():
        if isinstance(value, str) and len(value) > bk.MAX_INPUT_CHARS and f"f:{name}" in block_ids:
            errors[f"f:{name}"] = texts.DRAFT_VALUE_TOO_LONG.format(n=len(value))
    if errors:
        return Submitted(ack={"response_action": "errors", "errors": errors})
    steps = forms.steps_of(described)
    try:
        result = await svc.run_quick(
            save_step, svc.toolkit, svc.store, owner, meta.t, step_data,
            draft_id=meta.d if meta.v is not None else None, base_version=meta.v, covered=covered,
            step=meta.s, finish=meta.s >= len(steps) - 1, profile=meta.p, keep_profile=False,
            refuse_invalid=True, note="saved from Slack")
    except DraftConflict:
        return Submitted(ack={"response_action": "update",
                              "view": message_view(texts.DRAFT_STALE)})
    except StoreError:
        return Submitted(ack={"response_action": "update",
                              "view": message_view(texts.DRAFT_NOT_YOURS)})
    except DraftingError as exc:
        return Submitted(ack={"response_action": "update", "view": message_view(
            bk.escape(exc.message))})
    for problem in result.errors:
        block = forms.block_for(problem.path, covered, block_ids, described, rows)
        if block and block not in errors:
            errors[block] = bk.truncate(f"{problem.message[:1].upper()}{problem.message[1:]}",
                                        150)
    if result.draft is None:
        if not errors:  # an error no block of this view shows (cannot happen: be safe)
            first = result.errors[0]
            return Submitted(ack={"response_action": "update", "view": message_view(
                bk.escape(f"{first.label}: {first.message}"))})
        return Submitted(ack={"response_action": "errors", "errors": errors})
    saved = result.draft
    meta.d, meta.v = saved.id, saved.version
    if result.next_step is not None:
        meta.s = result.next_step
        meta.n = {}
        view = forms.build_view(described, meta, result.data,
                                profiles=profiles_for(svc, meta.t),
                                link=svc.link(owner, meta.d))
        return Submitted(ack={"response_action": "update", "view": view})
    return Submitted(ack={"response_action": "clear"}, draft_id=saved.id)


def message_view(text: str, title: str = texts.HOME_TITLE) -> dict[str, Any]:
    """A modal that only says something (mrkdwn-safe ``text``)."""
    return {
        "type": "modal",
        "title": bk.plain(title, bk.MAX_VIEW_TITLE),
        "close": bk.plain(texts.CLOSE, bk.MAX_VIEW_TITLE),
        "blocks": bk.sections(text),
    }


def _weak_wording(svc: Services, template_id: str, data: Any, report: Any) -> list[str]:
    """One line per flag of warning or error in the user's own text ("“rigorous” in
    Headline: …"), once per field and words; the template's own words are left out."""
    from messaging.drafting import field_of, user_texts

    if report is None:
        return []
    template = svc.toolkit.templates.get(template_id)
    labels = {f.name: f.label for f in template.fields} if template else {}
    texts_ = user_texts(data)
    out: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for flag in report.flags:
        if flag.quoted or flag.severity not in ("error", "warning"):
            continue
        path = field_of(texts_, flag.text)
        if path is None:
            continue
        key = (flag.rule, path, flag.text.lower())
        if key in seen:
            continue
        seen.add(key)
        top = path.split("[", 1)[0].split(".", 1)[0]
        where = labels.get(top, top) + (path[len(top):] if path != top else "")
        out.append(texts.DRAFT_WORDING_LINE.format(
            words=bk.escape(bk.truncate(flag.text, 60)), field=bk.escape(where),
            message=bk.escape(flag.message)))
    return out


async def deliver(svc: Services, client: AsyncWebClient, owner: str, user_id: str,
                  draft_id: str) -> None:
    """Post the saved draft to the user's DM: status, what is left, a link and the Word file."""
    from messaging.drafting import completeness, render, validate

    assert svc.store is not None
    draft = await svc.run_quick(svc.store.get_draft, owner, draft_id)
    problems = await svc.run_quick(validate, svc.toolkit, draft.template, draft.data, "final",
                             draft.profile)
    final = not any(p.level == "error" for p in problems)
    doc = await svc.run(render, svc.toolkit, draft.template, draft.data, "docx", draft.profile,
                        "final" if final else "draft")
    done = await svc.run(completeness, svc.toolkit, draft.template, draft.data, draft.profile)
    opened = await client.conversations_open(users=user_id)
    channel = opened["channel"]["id"]
    title = draft.title or doc.title
    lines = [texts.DRAFT_SAVED.format(title=bk.bold(title), percent=done.percent)]
    todo = [p for p in problems if p.level == "error"][:8]
    if todo:
        lines.append(texts.DRAFT_PROBLEMS)
        lines += [f"• {bk.escape(p.label)}: {bk.escape(p.message)}" for p in todo]
    # why it is not 100%: sections written too briefly for the state's profile
    thin = [sec for sec in done.required if sec.status == "thin"][:8]
    if thin:
        lines.append(texts.DRAFT_THIN)
        lines += [texts.DRAFT_THIN_LINE.format(title=bk.escape(sec.title), words=sec.words,
                                               asked=sec.min_words) for sec in thin]
    # the wording a check would flag in what the user wrote, before it goes out
    weak = _weak_wording(svc, draft.template, draft.data, doc.report)[:6]
    if weak:
        lines.append(texts.DRAFT_WORDING)
        lines += weak
    link = svc.link(owner, draft.id)
    if link:
        lines.append(texts.DRAFT_LINK.format(url=link,
                                             minutes=svc.settings.login_link_minutes))
    blocks = bk.sections("\n".join(lines))
    await client.chat_postMessage(channel=channel, text=bk.fallback_text(bk.unescape(lines[0])),
                                  blocks=bk.fit(blocks))
    try:
        await client.files_upload_v2(
            channel=channel, content=doc.content, filename=doc.filename,
            title=bk.truncate(bk.escape(texts.DRAFT_FILE_TITLE.format(title=title)), 250),
        )
    except Exception:
        log.exception("slack: upload of %s failed", doc.filename)
        await client.chat_postMessage(channel=channel, text=texts.UPLOAD_FAILED)
