"""Word documents shared with the bot: a short summary and the copy with comments, back.

* A .docx sent to the bot in a direct message is checked; the bot answers in the DM.
* "Check wording" run on a message that carries a .docx checks the document; the summary
  is shown to the person who asked (ephemeral) and the annotated copy sent to them in a DM
  (a file cannot be ephemeral, and the channel should not get everyone's drafts).

The file is downloaded from Slack's ``url_private_download`` with the bot token (scope
``files:read``) — and only from Slack's own hosts or the Web API host the client talks to;
the annotated copy is uploaded with ``files:write``. Bad files (an old .doc, a password,
macros, a damaged or huge file) get a reply that says what is wrong.

These listeners are registered before the general message and shortcut listeners: bolt
runs the first listener whose matchers accept an event, and these accept only messages
with a Word file.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from bot.slack import blocks as bk
from bot.slack.listeners import guard, services_of

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_bolt.context.async_context import AsyncBoltContext
    from slack_bolt.context.respond.async_respond import AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient

    from messaging.docx_reader import DocxReport

log = logging.getLogger("bot.slack")

CHECK_WORDING = "check_wording"  # the message shortcut's callback id (app_manifest.yaml)
#: Slack's filetype ids for Word files (the .doc/.docm ones get a reply saying why not)
WORD_FILETYPES = {"docx", "docm", "doc", "dotx", "dotm"}
WORD_SUFFIXES = (".docx", ".docm", ".doc", ".dotx", ".dotm")
MAX_FILES = 3  # per message
MAX_LISTED = 5  # findings named in the summary
DOWNLOAD_SECONDS = 30

SUMMARY = ("*{name}*: {counts} in {paragraphs} paragraphs. The copy below has a comment on "
           "each one, with the reason, the source and better wording.")
CLEAN = "*{name}*: nothing to flag in {paragraphs} paragraphs. {readability}"
FINDING_LINE = "\u2022 {where}: \u201c{text}\u201d \u2014 {why}"
MORE = "\u2026 and {n} more in the document."
REFUSED = "I couldn't check *{name}*: {reason}."
NOT_DOWNLOADED = "I couldn't get *{name}* from Slack ({why}). Try sharing it again."
SENT_TO_DM = "I sent the checked copy of *{name}* to you in a direct message."
FILE_TITLE = "{stem} (checked)"


def word_files(files: Any) -> list[dict[str, Any]]:
    """The Word files among a message's ``files``."""
    found = []
    for f in files or []:
        if not isinstance(f, dict):
            continue
        name = str(f.get("name") or "").lower()
        if f.get("filetype") in WORD_FILETYPES or name.endswith(WORD_SUFFIXES):
            found.append(f)
    return found


async def dm_with_word_file(body: dict[str, Any]) -> bool:
    event = body.get("event") or {}
    return (event.get("channel_type") == "im" and not event.get("bot_id")
            and bool(word_files(event.get("files"))))


async def mention_with_word_file(body: dict[str, Any]) -> bool:
    """"@Mastery check this file" with a Word file attached, in a channel."""
    event = body.get("event") or {}
    return not event.get("bot_id") and bool(word_files(event.get("files")))


async def message_with_word_file(body: dict[str, Any]) -> bool:
    return bool(word_files((body.get("message") or {}).get("files")))


async def ack_it(ack: AsyncAck) -> None:
    await ack()


class _Unavailable(Exception):
    """The file could not be downloaded from Slack (the reason in plain words)."""


def _trusted(url: str, api_url: str) -> bool:
    """Whether the bot token may be sent to ``url``: Slack's hosts, or the API host in use."""
    host = (urlparse(url).hostname or "").lower()
    if urlparse(url).scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return True
    return bool(host) and host == (urlparse(api_url).hostname or "").lower()


DOWNLOAD_CHUNK = 64 * 1024


async def download(client: AsyncWebClient, file: dict[str, Any], limit: int) -> bytes:
    """The file's bytes from ``url_private_download`` with the bot token (at most ``limit``)."""
    import aiohttp

    if not (file.get("url_private_download") or file.get("url_private")) and file.get("id"):
        info = await client.files_info(file=file["id"])
        file = {**file, **(info.get("file") or {})}
    url = str(file.get("url_private_download") or file.get("url_private") or "")
    if not url or not _trusted(url, client.base_url):
        raise _Unavailable("no download address from Slack")
    timeout = aiohttp.ClientTimeout(total=DOWNLOAD_SECONDS)
    headers = {"Authorization": f"Bearer {client.token}"}
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session, \
                session.get(url, headers=headers) as response:
            if response.status != 200:
                raise _Unavailable(f"Slack answered {response.status}")
            if response.content_type == "text/html":
                raise _Unavailable("Slack sent a sign-in page instead of the file; the app "
                                   "needs the files:read permission")
            # read to the end: StreamReader.read(n) returns what has arrived so far (up to
            # n bytes), so one read can cut a file short on a busy machine or network
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.content.iter_chunked(DOWNLOAD_CHUNK):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    break  # past the limit: the caller refuses it as too large
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise _Unavailable(f"the download failed: {type(exc).__name__}") from None
    return b"".join(chunks)


def _counts(counts: dict[str, int]) -> str:
    parts = [f"{counts[k]} {k}{'' if counts[k] == 1 else 's'}"
             for k in ("error", "warning", "suggestion") if counts.get(k)]
    if counts.get("quoted"):
        parts.append(f"{counts['quoted']} quoted")
    return ", ".join(parts)


def summary_text(name: str, report: DocxReport, audience_name: str | None = None) -> str:
    """A short mrkdwn summary of a document's report (user text escaped); with the
    audience it was checked for, when the message named one."""
    if audience_name:
        name = f"{name} (for {audience_name})"
    paragraphs = len([u for u in report.document.units if u.where == "body"])
    if not report.findings:
        from bot.slack.blocks import readability_text

        readability = readability_text(report.readability) if report.readability else ""
        return CLEAN.format(name=bk.escape(name), paragraphs=paragraphs, readability=readability)
    lines = [SUMMARY.format(name=bk.escape(name), counts=_counts(report.counts()),
                            paragraphs=paragraphs)]
    for found in report.findings[:MAX_LISTED]:
        # the finding behind the flag, in words ("The word "rigorous" confuses…"), not the
        # rule's id
        finding = found.flag.finding or {}
        why = str(finding.get("title") or found.flag.message)
        lines.append(FINDING_LINE.format(where=found.unit.describe(),
                                         text=bk.escape(bk.truncate(found.flag.text, 80)),
                                         why=bk.escape(bk.truncate(why, 120))))
    if len(report.findings) > MAX_LISTED:
        lines.append(MORE.format(n=len(report.findings) - MAX_LISTED))
    return "\n".join(lines)


def audience_in(svc: Any, text: str | None) -> str | None:
    """The audience a message names for its file ("please check this for parents", "check
    for school leaders"): the id of the first "for NAME" that is an audience, else None."""
    from bot.slack.parse import slack_to_plain

    plain = slack_to_plain(text or "").lower()
    for match in _FOR_NAME.finditer(plain):
        words = match.group(1).split()
        for size in range(min(4, len(words)), 0, -1):  # "for school leaders please"
            found = svc.toolkit.audience(" ".join(words[:size]))
            if found is not None:
                return str(found.id)
    return None


_FOR_NAME = re.compile(r"\bfor ((?:[a-z][\w'-]*[ ]?){1,4})")


async def check_file(svc: Any, client: AsyncWebClient, file: dict[str, Any],
                     audience: str | None = None) -> tuple[str, bytes | None, str]:
    """(summary mrkdwn, annotated bytes or None, file name) for one shared Word file, checked
    for ``audience`` (an id; None: the toolkit's default); no copy when nothing is flagged."""
    from messaging.docx_annotate import annotate
    from messaging.docx_reader import MAX_DOCX_BYTES, DocxProblem, check_docx

    name = str(file.get("name") or file.get("title") or "document.docx")
    size = file.get("size")
    if isinstance(size, int) and size > MAX_DOCX_BYTES:
        reason = (f"the file is too large ({size / 1_000_000:.1f} MB); documents up to "
                  f"{MAX_DOCX_BYTES // 1_000_000} MB can be checked")
        return REFUSED.format(name=bk.escape(name), reason=reason), None, name
    try:
        data = await download(client, file, MAX_DOCX_BYTES)
    except _Unavailable as exc:
        return NOT_DOWNLOADED.format(name=bk.escape(name), why=bk.escape(str(exc))), None, name

    def work() -> tuple[Any, bytes | None]:
        report = check_docx(svc.checker, data, audience=audience or svc.audience_id(None))
        return report, annotate(report) if report.findings else None

    try:
        report, annotated = await svc.run(work)
    except DocxProblem as exc:
        return REFUSED.format(name=bk.escape(name), reason=bk.escape(str(exc))), None, name
    found = svc.toolkit.audiences.get(audience) if audience else None
    return summary_text(name, report, found.name if found else None), annotated, name


async def _deliver(client: AsyncWebClient, channel: str, summary: str,
                   annotated: bytes | None, name: str, thread_ts: str | None = None) -> None:
    await client.chat_postMessage(channel=channel, text=bk.fallback_text(bk.unescape(summary)),
                                  blocks=bk.fit(bk.sections(summary)), thread_ts=thread_ts)
    if annotated is None:
        return
    stem = name.rsplit(".", 1)[0] or "document"
    try:
        await client.files_upload_v2(channel=channel, content=annotated,
                                     filename=bk.safe_filename(f"{stem}-checked.docx"),
                                     title=bk.truncate(bk.escape(FILE_TITLE.format(stem=stem)),
                                                       250),
                                     thread_ts=thread_ts)
    except Exception:
        from bot.slack import texts

        log.exception("slack: upload of the checked %s failed", name)
        await client.chat_postMessage(channel=channel, text=texts.UPLOAD_FAILED,
                                      thread_ts=thread_ts)


async def _check_event_files(svc: Any, client: AsyncWebClient, event: dict[str, Any],
                             thread_ts: str | None) -> None:
    """Each Word file of a message, checked for the audience its text names, the report
    posted in its channel (in ``thread_ts``)."""
    audience = audience_in(svc, event.get("text"))
    for file in word_files(event.get("files"))[:MAX_FILES]:
        summary, annotated, name = await check_file(svc, client, file, audience)
        await _deliver(client, event["channel"], summary, annotated, name, thread_ts=thread_ts)


@guard
async def check_shared_file(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                            context: AsyncBoltContext) -> None:
    event = body.get("event") or {}
    await _check_event_files(services_of(context), client, event, event.get("thread_ts"))


@guard
async def check_mentioned_file(body: dict[str, Any], client: AsyncWebClient,
                               respond: AsyncRespond, context: AsyncBoltContext) -> None:
    """A Word file attached to a mention is checked, the report in the mention's thread
    (before, the words "check this file" were checked and the file ignored)."""
    event = body.get("event") or {}
    await _check_event_files(services_of(context), client, event,
                             event.get("thread_ts") or event.get("ts"))


@guard
async def check_file_shortcut(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                              context: AsyncBoltContext) -> None:
    svc = services_of(context)
    user = (body.get("user") or {}).get("id")
    opened = await client.conversations_open(users=user)
    dm = opened["channel"]["id"]
    for file in word_files((body.get("message") or {}).get("files"))[:MAX_FILES]:
        summary, annotated, name = await check_file(svc, client, file)
        await _deliver(client, dm, summary, annotated, name)
        note = SENT_TO_DM.format(name=bk.escape(name)) if annotated else summary
        await respond(response_type="ephemeral", replace_original=False,
                      text=bk.fallback_text(bk.unescape(note)), blocks=bk.sections(note))


def register(app: AsyncApp) -> None:
    app.event("message", matchers=[dm_with_word_file])(ack=ack_it, lazy=[check_shared_file])
    app.event("app_mention", matchers=[mention_with_word_file])(
        ack=ack_it, lazy=[check_mentioned_file])
    app.message_shortcut(CHECK_WORDING, matchers=[message_with_word_file])(
        ack=ack_it, lazy=[check_file_shortcut])
