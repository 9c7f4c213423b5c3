"""The bot's replies, shared by slash commands, mentions, DMs and buttons.

Each function calls an engine (in a worker thread), records what needs recording
(unanswered questions) and returns a :class:`Reply` built by the presenter. No
Slack API calls here: the listeners decide where a reply goes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.slack import blocks as bk
from bot.slack import texts
from bot.slack.parse import MAX_TEXT, Command
from toolkit import words
from toolkit.names import UnknownName, require_audience

if TYPE_CHECKING:
    from bot.slack.services import Services
    from faq.engine import Answer

log = logging.getLogger("bot.slack")


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (a report too long for one message)."""

    filename: str
    title: str  # raw text; escaped when it is sent
    content: str
    comment: str  # raw text: the file's message


@dataclass
class Reply:
    """What the bot says: ``text`` is raw text for the message's notification (escaped
    by :meth:`message`), ``blocks`` the Block Kit, ``file`` the full report when the
    message only holds a summary."""

    text: str
    blocks: list[bk.Block]
    file: Attachment | None = None

    def message(self) -> dict[str, Any]:
        return {"text": bk.fallback_text(self.text), "blocks": self.blocks}


def usage(unknown: str | None = None) -> Reply:
    return Reply("How to use /mastery", bk.usage_blocks(unknown))


def unknown_name(svc: Services, exc: UnknownName) -> Reply:
    """An unknown audience (or other name): the same sentence as the CLI and the API,
    with the audiences to pick from."""
    sentence = str(exc)
    if exc.kind == "audience":
        return Reply(sentence, bk.audience_list_blocks(svc.toolkit, bk.escape(sentence)))
    return say(bk.escape(sentence))


def say(text: str) -> Reply:
    """A one-line reply; ``text`` must already be mrkdwn-safe (escape user parts)."""
    return Reply(bk.unescape(text), bk.notice(text))


async def for_command(svc: Services, cmd: Command, *, owner: str, ephemeral: bool) -> Reply:
    """The reply to a parsed ``/mastery`` line (or a mention or DM)."""
    if cmd.name in ("usage", "help"):
        return usage(cmd.unknown)
    if cmd.name == "ask":
        return await ask(svc, cmd.arg, cmd.audience, owner=owner, ephemeral=ephemeral,
                         unknown_word=cmd.unknown)
    if cmd.name == "myth":
        return await myth(svc, cmd.arg, cmd.audience)
    if cmd.name == "messages":
        return messages(svc, cmd.arg)
    if cmd.name == "check":
        return await check(svc, cmd.arg, cmd.audience, owner=owner)
    if cmd.name == "draft":
        return templates_list(svc)
    return usage()


async def ask(
    svc: Services,
    question: str,
    audience: str | None,
    *,
    owner: str | None,
    ephemeral: bool,
    unknown_word: str | None = None,
) -> Reply:
    if not question.strip():
        return say(texts.EMPTY_ARG.format(what="a question", name="ask"))
    question = question[:MAX_TEXT]
    try:
        audience_id = svc.audience_id(audience)
    except UnknownName as exc:
        return unknown_name(svc, exc)
    answer = await svc.run(svc.faq.answer, question, audience_id)
    if answer.id is None and unknown_word and answer.reason != "empty" and not (
            answer.reason == "choices" and answer.suggestions):
        # "/mastery foo": a mistyped command, not a question ("/mastery grades" is a topic:
        # its choices are shown; "hello" or "thanks" gets a greeting, not the command help)
        return usage(unknown_word)
    if answer.id is None and answer.reason != "empty":
        await record_question(svc, question, audience_id, owner=owner, answer=answer)
    blocks = bk.answer_blocks(answer, question=question, audience=audience_id,
                              ephemeral=ephemeral)
    return Reply(answer.answer or _fallback(answer), blocks)


def _fallback(answer: Answer) -> str:
    """The notification and preview text of a reply without an answer: what its blocks say
    (not "no answer, noted" above choices or the English-only reply)."""
    if answer.reason == "empty":
        return bk.unescape(texts.NOTHING_TO_ANSWER).replace("`", "")
    if answer.redirect:
        return f"{texts.OUTSIDE_TOOLKIT} {answer.redirect}"
    if answer.reason == "other-language":
        return words.english_only(answer.question)
    if answer.reason == "choices" and answer.suggestions:
        return texts.CHOICES.replace("*", "")
    if answer.reason == "no-list":
        return texts.NO_LIST
    return texts.NO_ANSWER


async def record_question(
    svc: Services, question: str, audience: str | None, *, owner: str | None,
    answer: Answer | None = None,
    helpful: bool | None = None,
) -> None:
    """Add a question to the unanswered log (never fails the reply)."""
    if svc.store is None:
        return
    try:
        await svc.run_quick(
            svc.store.log_question, question, channel="slack", audience=audience or None,
            helpful=helpful, answer_id=answer.id if answer else None,
            score=answer.score if answer else None, owner=owner,
        )
    except Exception:
        log.exception("slack: could not record an unanswered question")


async def lookup(svc: Services, entry_id: str, *, question: str, audience: str | None,
                 ephemeral: bool, full: bool, shared_by: str | None = None) -> Reply:
    answer = await svc.run(svc.faq.lookup, entry_id, audience or None, full)
    blocks = bk.answer_blocks(answer, question=question, audience=audience, ephemeral=ephemeral,
                              full=full, shared_by=shared_by)
    return Reply(answer.answer or texts.NO_ANSWER, blocks)


async def myth(svc: Services, words: str, audience: str | None = None) -> Reply:
    if not words.strip():
        return say(texts.EMPTY_ARG.format(what="a few words about the myth", name="myth"))
    try:
        audience_id = svc.audience_id(audience)
    except UnknownName as exc:
        return unknown_name(svc, exc)
    answer = await svc.run(svc.faq.answer, words[:MAX_TEXT], audience_id)
    myth_id = answer.id if answer.kind == "myth" else None
    if myth_id is None:
        myth_id = next((s.id for s in answer.suggestions if s.kind == "myth"),
                       None)
    entry = svc.toolkit.myths.get(myth_id) if myth_id else None
    if entry is None:
        blocks = bk.notice(texts.NO_MYTH.format(words=bk.escape(bk.truncate(words, 200))))
        if answer.id:  # not a myth, but the FAQ knows it
            blocks += bk.answer_blocks(answer, question=words, ephemeral=True)
        return Reply(texts.NO_MYTH.format(words=bk.truncate(words, 200)), bk.fit(blocks))
    blocks = bk.myth_blocks(entry, svc.toolkit)
    value = {"id": entry.id, "q": words[:800], "a": ""}
    blocks.append(bk.actions([bk.button(texts.SHARE, "faq_share", {**value, "f": 1},
                                        style="primary")], block_id="myth_buttons"))
    return Reply(f"{texts.MYTH_LABEL} {entry.myth}", bk.fit(blocks))


def messages(svc: Services, name: str) -> Reply:
    if not name.strip():
        return Reply(bk.unescape(texts.MESSAGES_WHICH),
                     bk.audience_list_blocks(svc.toolkit, texts.MESSAGES_WHICH))
    try:
        audience = require_audience(svc.toolkit, name.strip())
    except UnknownName as exc:
        return unknown_name(svc, exc)
    return Reply(texts.MESSAGES_HEADER.format(name=audience.name),
                 bk.messages_blocks(audience, svc.toolkit))


async def check(svc: Services, text: str, audience: str | None, *, owner: str,
                recheck: bool = True, key: str | None = None) -> Reply:
    """The checker's report on ``text`` (plain text, not Slack markup).

    With ``recheck`` the text is kept for ``owner`` (under ``key``, or a new key), so
    that picking an audience in the report checks it again."""
    if not text.strip():
        return say(texts.CHECK_EMPTY)
    note = None
    if len(text) > MAX_TEXT:
        note = texts.TOO_LONG.format(n=len(text), limit=MAX_TEXT)
        text = text[:MAX_TEXT]
    try:
        audience_id = svc.audience_id(audience)
    except UnknownName as exc:
        return unknown_name(svc, exc)
    # Slack's own markup as Markdown reads it: "> " quotes someone, ``` and ` are code
    report = await svc.run(svc.checker.check, text, audience_id, "markdown")
    if recheck and key is None:
        key = await svc.remember_text(owner, text)
    found = svc.toolkit.audiences.get(audience_id) if audience_id else None
    audience_name = found.name if found else None
    choices = bk.audience_options(svc.toolkit)

    def present(notes: list[str], more: str | None = None) -> tuple[list[bk.Block], bool]:
        return bk.check_blocks(report, audience_name=audience_name,
                               recheck_key=key if recheck else None, audience_choices=choices,
                               selected=audience_id, notes=notes, more=more)

    notes = [bk.escape(note)] if note else []
    blocks, complete = present(notes)
    flags = sum(1 for f in report.flags if not f.quoted)
    attachment = None
    if not complete:
        # too long for one message: a summary here, the whole report as a file
        blocks, _ = present([*notes, texts.CHECK_FILE_NOTE], texts.CHECK_MORE_IN_FILE)
        # every flag of a 40,000-character text: written in a worker thread, off the loop
        content = await svc.run(bk.check_report_text, report, audience_name=audience_name)
        attachment = Attachment(
            filename=texts.CHECK_FILE_NAME,
            title=texts.CHECK_FILE_TITLE.format(n=flags),
            content=content,
            comment=texts.CHECK_FILE_COMMENT.format(n=flags),
        )
    return Reply(f"{texts.CHECK_HEADER}: {flags} phrase(s) to look at", blocks, attachment)


def templates_list(svc: Services, intro: str = texts.DRAFT_WHICH) -> Reply:
    lines = [intro]
    for template in svc.toolkit.templates.values():
        lines.append(f"• `{bk.escape(template.id)}` — {bk.escape(template.title)}")
    return Reply(bk.unescape(intro), bk.sections("\n".join(lines)))
