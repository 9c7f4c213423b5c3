"""Block Kit building blocks that keep Slack's limits and escape user text.

Everything the bot shows in Slack is built from these helpers, so no listener can
send a section over 3,000 characters, a message over 50 blocks or over Slack's
budget of block text, a view over 100 blocks or a button label over 75 characters,
and no user text can smuggle a mention (``<@U123>``, ``<!channel>``) or a disguised
link (``<http://x|y>``) into a reply:

* every ``plain_text`` object and every message's top-level ``text`` is escaped here
  (:func:`plain`, :meth:`bot.slack.replies.Reply.message`);
* ``mrkdwn`` text objects take already-escaped text (:func:`escape`) and are always
  ``verbatim``, so Slack does not turn an echoed "@channel", "#general" or URL into a
  mention or a link — only the explicit ``<url|label>`` links the bot writes are links;
* button values and ``private_metadata`` are JSON with ``<``, ``>`` and ``&`` written
  as ``\\u`` escapes (:func:`pack`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from toolkit import words
from toolkit.words import SEVERITY_NAMES

if TYPE_CHECKING:
    from faq.engine import Answer
    from faq.engine import Suggestion as FaqSuggestion
    from messaging.checker import Flag, Report
    from messaging.readability import Readability
    from toolkit import Toolkit
    from toolkit.models import Audience, Myth, Source

Block = dict[str, Any]

# Slack's published limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_SELECT_OPTIONS = 100
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_MESSAGE_TEXT = 40000
#: Slack refuses a message whose blocks carry more than about 12,000 characters of
#: text (``msg_blocks_too_long``; slackapi/bolt-js#2509 and #2867 — not on a
#: reference page); the bot keeps well under it, counting like :func:`block_text_length`.
MESSAGE_TEXT_BUDGET = 10_000
#: what each block costs besides its text, in :func:`block_text_length`
BLOCK_COST = 40
MAX_INPUT_CHARS = 3000
MAX_LABEL = 2000
MAX_PLACEHOLDER = 150
MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000
#: the fallback ``text`` of a message (notifications, screen readers) — kept short
FALLBACK_TEXT = 300

_ELLIPSIS = "…"


# ------------------------------------------------------------------ text
def escape(text: str) -> str:
    """Escape user or content text for Slack: ``&``, ``<`` and ``>`` only (Slack's rule)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bold(text: str) -> str:
    """User text (a draft's title) set in bold: escaped, with each ``*`` shown as "∗" and
    each backtick as "ʹ", since mrkdwn has no escape for them and one of them inside the
    bold would end it early or open a code span ("Q3 *final* plan")."""
    return "*" + escape(text).replace("*", "\u2217").replace("`", "\u02b9") + "*"


def unescape(text: str) -> str:
    """The text :func:`escape` was given."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def safe_filename(name: str, limit: int = 200) -> str:
    """A file name for an upload: Slack's control characters (``& < > |``) and path
    separators replaced, so a name someone chose cannot carry markup."""
    cleaned = re.sub(r"[&<>|/\\\x00-\x1f]", "_", name).strip() or "file"
    return cleaned[-limit:]


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut (never mid-entity)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:  # don't leave half of "&amp;"
        cut = cut[:amp]
    return cut.rstrip() + _ELLIPSIS


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BARE_URL = re.compile(r"(?<![<|\w/])https?://[^\s<>|]*[^\s<>|.,;:!?)\]'\"]")


def content_mrkdwn(text: str) -> str:
    """Toolkit content (Markdown-ish, trusted) as mrkdwn: escaped, bold and links kept
    (text objects are verbatim, so a bare URL is made a link here)."""
    out = escape(text)
    out = _BOLD.sub(r"*\1*", out)
    out = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", out)
    return _BARE_URL.sub(lambda m: f"<{m.group(0)}>", out)


def split_text(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` characters, at paragraph, line,
    sentence or word boundaries where possible (never inside an ``&amp;`` entity)."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " "):
            at = window.rfind(sep)
            if at > limit // 3:
                cut = at + len(sep.rstrip()) if sep.strip() else at
                break
        if cut <= 0:
            cut = limit
            amp = window.rfind("&")
            if amp > 0 and ";" not in window[amp:]:
                cut = amp
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def plain(text: str, limit: int = MAX_SECTION_TEXT, emoji: bool = True) -> dict[str, Any]:
    """A ``plain_text`` object of raw (unescaped) text: escaped here, cut to ``limit``."""
    return {"type": "plain_text", "text": truncate(escape(text or "") or " ", limit),
            "emoji": emoji}


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    """A ``mrkdwn`` object of already-escaped text; verbatim, so Slack links and
    mentions only what the bot wrote as ``<…>``."""
    return {"type": "mrkdwn", "text": truncate(text or " ", limit), "verbatim": True}


# ---------------------------------------------------------------- blocks
def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, MAX_HEADER_TEXT)}


def section(text: str, accessory: dict[str, Any] | None = None, block_id: str | None = None
            ) -> Block:
    """One section of already-formatted mrkdwn (at most 3,000 characters)."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id[:255]
    return block


def sections(text: str) -> list[Block]:
    """As many sections as needed for long mrkdwn text (split, never cut)."""
    return [section(piece) for piece in split_text(text) if piece]


def context(*texts: str) -> Block:
    elements = [mrkdwn(t) for t in texts if t][:MAX_CONTEXT_ELEMENTS]
    return {"type": "context", "elements": elements or [mrkdwn(" ")]}


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    value: str | dict[str, Any] | None = None,
    *,
    style: str | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, MAX_BUTTON_TEXT),
        "action_id": action_id[:255],
    }
    if value is not None:
        element["value"] = pack(value) if isinstance(value, dict) else value[:MAX_BUTTON_VALUE]
    if style in ("primary", "danger"):
        element["style"] = style
    if url:
        element["url"] = url[:3000]
    return element


def actions(elements: Iterable[dict[str, Any]], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[:MAX_ACTIONS_ELEMENTS]}
    if block_id:
        block["block_id"] = block_id[:255]
    return block


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, MAX_OPTION_TEXT), "value": value[:MAX_OPTION_VALUE]}


def _json(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Slack's control characters never appear raw, even in values nobody sees
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def pack(value: dict[str, Any], limit: int = MAX_BUTTON_VALUE) -> str:
    """JSON for a button value or private_metadata, shrinking its longest text to fit."""
    data = dict(value)
    text = _json(data)
    while len(text) > limit:
        key = max((k for k, v in data.items() if isinstance(v, str)),
                  key=lambda k: len(data[k]), default=None)
        if key is None or not data[key]:
            raise ValueError("value too large for Slack")
        over = len(text) - limit
        data[key] = data[key][: max(0, len(data[key]) - over - 8)]
        text = _json(data)
    return text


def unpack(value: str | None) -> dict[str, Any]:
    """The dict packed by :func:`pack`, or ``{}`` for anything else."""
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def block_text_length(blocks: list[Block]) -> int:
    """What ``blocks`` count against a message's budget of block text: every text
    in them, plus :data:`BLOCK_COST` per block for its container."""
    total = 0
    stack: list[Any] = [blocks]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    total += len(value)
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return total + BLOCK_COST * len(blocks)


def fits(blocks: list[Block], budget: int = MESSAGE_TEXT_BUDGET) -> bool:
    """Whether ``blocks`` make one message Slack takes (block count and text budget)."""
    return len(blocks) <= MAX_MESSAGE_BLOCKS and block_text_length(blocks) <= budget


def fit(blocks: list[Block], limit: int = MAX_MESSAGE_BLOCKS, more: str | None = None,
        budget: int | None = MESSAGE_TEXT_BUDGET, tail: list[Block] | None = None
        ) -> list[Block]:
    """``blocks`` (then ``tail``, always kept whole) cut to ``limit`` blocks and, for a
    message, to the ``budget`` of block text; when cut, a note says so (``more``) before
    the tail. Views pass ``budget=None``."""
    tail = tail or []
    whole = [*blocks, *tail]
    if len(whole) <= limit and (budget is None or block_text_length(whole) <= budget):
        return whole
    note = context(more or "_…cut to fit Slack. Open the web workspace for the rest._")
    kept: list[Block] = []
    used = block_text_length([note, *tail])
    for block in blocks[: max(0, limit - 1 - len(tail))]:
        cost = block_text_length([block])
        if budget is not None and used + cost > budget:
            break
        kept.append(block)
        used += cost
    # a dangling divider says nothing on its own
    while kept and kept[-1].get("type") == "divider":
        kept.pop()
    return [*kept, note, *tail]


def fallback_text(text: str) -> str:
    """The top-level ``text`` of a message (notifications, screen readers) from raw
    text: on one line, kept short and escaped — Slack parses this field as mrkdwn, so
    an echoed ``<!everyone>`` would ping and ``<https://x|y>`` would be a link."""
    return truncate(escape(" ".join(text.split())), FALLBACK_TEXT)


# ============================================================== presenters
# What the bot shows, for each kind of result. Listeners call these; nothing else
# formats Block Kit.

SEVERITY_ICON = {"error": ":red_circle:", "warning": ":large_orange_circle:",
                 "suggestion": ":large_blue_circle:"}
MAX_FLAGS_SHOWN = 20
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


def cite(sources: Iterable[Source | Mapping[str, Any]], limit: int = 6) -> str:
    """``Author, “Title” (Year); …`` (toolkit.words.cite) for a list of sources, escaped."""
    from toolkit.words import cite as citation

    return "; ".join(escape(citation(src)) for src in list(sources)[:limit])


def mention(user_id: str | None) -> str:
    """``<@U123>`` for a real Slack user id taken from a payload (never from text)."""
    return f"<@{user_id}>" if user_id and _USER_ID.match(user_id) else "someone"


def answer_blocks(
    answer: Answer,
    *,
    question: str,
    audience: str | None = None,
    ephemeral: bool = True,
    full: bool = False,
    shared_by: str | None = None,
) -> list[Block]:
    """An FAQ or myth answer: the answer, its sources, and the buttons around it."""
    from bot.slack import texts

    q = escape(truncate(" ".join(question.split()), 300))
    blocks: list[Block] = []
    if shared_by:
        blocks.append(context(f"{mention(shared_by)} shared an answer to: _{q}_"))
    elif q:
        blocks.append(context(f"You asked: _{q}_"))
    entry_id = answer.id
    ref = {"q": question[:800], "a": audience or ""}
    suggestions = list(answer.suggestions)[:3]
    if not entry_id:
        redirect = answer.redirect
        reason = answer.reason
        if redirect:  # an everyday school matter: say who can answer it
            blocks.append(section(f"{texts.OUTSIDE_TOOLKIT} {escape(str(redirect))}"))
        elif reason == "choices":  # several entries are close: the user picks one
            blocks.append(section(texts.CHOICES if len(suggestions) != 1 else texts.ONE_CHOICE))
        elif reason == "other-language":
            blocks.append(section(escape(words.english_only(answer.question or question))))
        elif reason == "empty":  # "thanks!", "hello", emoji: no question to log
            blocks.append(section(texts.NOTHING_TO_ANSWER))
        elif reason == "no-list":
            blocks.append(section(texts.NO_LIST))
        else:
            blocks.append(section(texts.NO_ANSWER))
        if suggestions and reason != "choices":
            blocks.append(section(
                f"*{escape(words.closest_in_english(answer.question or question))}*"
                if reason == "other-language" else texts.DID_YOU_MEAN))
        if suggestions:
            blocks.append(_suggestion_buttons(suggestions, ref))
        return fit(blocks)
    kind = answer.kind
    title = answer.title or ""
    if kind == "myth":
        blocks.append(section(f"*{texts.MYTH_LABEL}* {content_mrkdwn(title)}"))
        body = f"*{texts.FACT_LABEL}* {content_mrkdwn(answer.answer or '')}"
    else:
        blocks.append(section(f"*{content_mrkdwn(title)}*"))
        body = content_mrkdwn(answer.answer or "")
    blocks += sections(body)
    if answer.local:
        blocks.append(context(texts.LOCAL_ANSWER))
    sources = answer.sources
    if sources:
        blocks.append(context(f"*{texts.SOURCES_LABEL}* {cite(sources)}"))
    value = {"id": entry_id, **ref}
    if shared_by:
        return fit(blocks, more=texts.CUT_TO_FIT)
    buttons = []
    if not full:
        buttons.append(button(texts.SHOW_FULL, "faq_full", value))
    if ephemeral:
        buttons.append(button(texts.SHARE, "faq_share", {**value, "f": int(full)},
                              style="primary"))
    buttons.append(button(texts.HELPFUL, "faq_helpful", value))
    buttons.append(button(texts.NOT_HELPFUL, "faq_unhelpful", value))
    tail = [actions(buttons, block_id="faq_buttons")]
    if suggestions:
        tail.append(context(texts.OTHER_TOPICS))
        tail.append(_suggestion_buttons(suggestions, ref))
    return fit(blocks, more=texts.CUT_TO_FIT, tail=tail)


def _suggestion_buttons(suggestions: list[FaqSuggestion], ref: dict[str, Any]) -> Block:
    return actions(
        [button(s.title or s.id, f"faq_pick:{i}", {"id": s.id, **ref})
         for i, s in enumerate(suggestions)],
        block_id="faq_suggestions",
    )


def myth_blocks(myth: Myth, toolkit: Toolkit | None = None, *, full: bool = True
                ) -> list[Block]:
    """A myth from the toolkit: the myth, the fact and (full) the evidence and sources."""
    from bot.slack import texts

    blocks = [section(f"*{texts.MYTH_LABEL}* {content_mrkdwn(myth.myth)}")]
    blocks += sections(f"*{texts.FACT_LABEL}* {content_mrkdwn(myth.fact)}")
    if full and myth.evidence:
        blocks += sections(f"*{texts.EVIDENCE_LABEL}* {content_mrkdwn(myth.evidence)}")
    if toolkit is not None:
        blocks.append(context(f"*{texts.SOURCES_LABEL}* {cite(toolkit.cite(myth.sources))}"))
    return blocks


def messages_blocks(audience: Audience, toolkit: Toolkit, *, limit: int = MAX_MESSAGE_BLOCKS,
                    budget: int | None = MESSAGE_TEXT_BUDGET) -> list[Block]:
    """Key messages and talking points for one audience, each with its sources (cut to a
    message's limits; a view passes its own ``limit`` and ``budget=None``)."""
    from bot.slack import texts

    blocks: list[Block] = [header(texts.MESSAGES_HEADER.format(name=audience.name))]
    blocks.append(context(content_mrkdwn(audience.description)))
    for label, items in ((texts.KEY_MESSAGES, audience.key_messages),
                         (texts.TALKING_POINTS, audience.talking_points)):
        blocks.append(section(f"*{label}*"))
        for item in items:
            blocks += sections(f"• {content_mrkdwn(item.text)}")
            blocks.append(context(f"{texts.SOURCES_LABEL} {cite(toolkit.cite(item.sources))}"))
    return fit(blocks, limit, more=texts.CUT_TO_FIT, budget=budget)


def audience_list_blocks(toolkit: Toolkit, intro: str) -> list[Block]:
    names = ", ".join(f"`{escape(a.id)}`" for a in toolkit.audiences.values())
    return [section(intro), context(names or "—")]


def audience_options(toolkit: Toolkit) -> list[dict[str, Any]]:
    return [option(a.name, a.id) for a in list(toolkit.audiences.values())[:MAX_SELECT_OPTIONS]]


_EMOJI_CODE = re.compile(r":[a-z0-9_+-]+:\s?")


def _readability_lines(readability: Readability | None) -> list[str]:
    """Readability for the audience as raw lines: grade and reading ease against the
    audience's targets, then the checker's advice."""
    from bot.slack import texts

    if readability is None:
        return []
    if not readability.english:
        return [texts.NOT_ENGLISH, *readability.advice]
    target = readability.target
    parts = [
        texts.GRADE.format(grade=f"{readability.flesch_kincaid_grade:.1f}") + " "
        + texts.TARGET_MAX.format(value=f"{target.max_grade:g}"),
        texts.EASE.format(ease=f"{readability.flesch_reading_ease:.0f}") + " "
        + texts.TARGET_MIN.format(value=f"{target.min_reading_ease:g}"),
    ]
    who = target.name
    verdict = texts.MEETS if readability.meets_target else texts.MISSES
    advice = list(readability.advice)[:3]
    # the readability advice may already say the text is too short to score well
    if not readability.reliable and not any("short" in a.lower() for a in advice):
        advice.append(texts.UNRELIABLE)
    line = verdict.format(who=who or texts.GENERAL_AUDIENCE) + " " + " · ".join(parts)
    return [line, *advice]


def readability_text(readability: Readability | None) -> str:
    """Readability for the audience, in a line or two (mrkdwn)."""
    lines = [escape(x) for x in _readability_lines(readability)]
    return "\n".join(lines[:1] + [f"• {a}" for a in lines[1:]])


def _flag_blocks(flag: Flag) -> list[Block]:
    from bot.slack import texts

    # a match inside a quotation is someone else's words: not counted, so no severity
    icon = ":speech_balloon:" if flag.quoted else SEVERITY_ICON.get(flag.severity,
                                                                   ":white_circle:")
    phrase = escape(truncate(flag.text, 200))
    lines = [f"{icon} *“{phrase}”*  _({texts.LINE} {flag.line})_"]
    lines.append(escape(flag.message))
    # words to paste in quotes; advice as the sentence it is (not quoted as if to paste)
    replacements = [escape(s) for s in flag.suggestions[:4]
                    if getattr(s, "kind", "") == "replacement"]
    advice = [escape(s) for s in flag.suggestions[:4] if getattr(s, "kind", "") != "replacement"]
    if replacements:
        lines.append(f"*{texts.TRY}* " + " · ".join(f"“{s}”" for s in replacements))
    lines += advice[:2]
    if flag.quoted:
        lines.append(f"_{texts.QUOTED}_")
    blocks = sections("\n".join(lines))
    why = []
    finding = flag.finding or {}
    if finding.get("title"):
        why.append(f"*{texts.WHY}* {escape(finding['title'])}"
                   + (f": {escape(truncate(finding['summary'], 600))}"
                      if finding.get("summary") else ""))
    if flag.sources:
        why.append(f"*{texts.SOURCES_LABEL}* {cite(flag.sources, 3)}")
    if why:
        blocks.append(context(*why))
    return blocks


def check_blocks(
    report: Report, *, audience_name: str | None = None, recheck_key: str | None = None,
    audience_choices: list[dict[str, Any]] | None = None, selected: str | None = None,
    notes: Iterable[str] = (), more: str | None = None,
) -> tuple[list[Block], bool]:
    """The phrase checker's report: each flagged phrase, why, what to say instead, and
    the readability for the audience; optionally a menu to re-check for an audience.

    As many flags as fit in one message (Slack's block count and budget of block text,
    and at most :data:`MAX_FLAGS_SHOWN`); then "…and N more" (``more``, with ``{n}``).
    ``notes`` (mrkdwn) come after the readability. Returns the blocks and whether
    every flag is in them."""
    from bot.slack import texts

    # the writer's own wording first; matches inside quotations after it, not counted
    counted = [f for f in report.flags if not f.quoted]
    flags = counted + [f for f in report.flags if f.quoted]
    title = texts.CHECK_HEADER + (f" — {audience_name}" if audience_name else "")
    head: list[Block] = [header(title)]
    if counted:
        head.append(section(texts.CHECK_FOUND.format(n=len(counted),
                                                     s="" if len(counted) == 1 else "s")))
    else:
        head.append(section(texts.CHECK_CLEAN))
    if len(flags) > len(counted):
        quoted = len(flags) - len(counted)
        head.append(context(texts.CHECK_QUOTED_APART.format(
            n=quoted, s="" if quoted == 1 else "es", verb="is" if quoted == 1 else "are")))
    tail: list[Block] = []
    read = readability_text(report.readability)
    if read:
        tail.append(section(f"*{texts.READABILITY}* {read}"))
    tail += [context(note) for note in notes if note]
    if recheck_key and audience_choices:
        select: dict[str, Any] = {
            "type": "static_select", "action_id": "check_audience",
            "placeholder": plain(texts.PICK_AUDIENCE, MAX_PLACEHOLDER),
            "options": audience_choices,
        }
        chosen = [o for o in audience_choices if o["value"] == selected]
        if chosen:
            select["initial_option"] = chosen[0]
        tail.append(actions([select], block_id=f"check:{recheck_key}"))
    more_note = context(escape((more or texts.CHECK_MORE).format(n=len(flags))))
    # room for the flags: the frame, and the "…and N more" line in case it is needed
    room_blocks = MAX_MESSAGE_BLOCKS - len(head) - len(tail) - 1
    room_text = MESSAGE_TEXT_BUDGET - block_text_length([*head, *tail, more_note])
    body: list[Block] = []
    shown = 0
    for flag in flags[:MAX_FLAGS_SHOWN]:
        part = _flag_blocks(flag)
        cost = block_text_length(part)
        if len(body) + len(part) > room_blocks or cost > room_text:
            break
        body += part
        room_text -= cost
        shown += 1
    if shown < len(flags):
        body.append(context(escape((more or texts.CHECK_MORE).format(n=len(flags) - shown))))
    return [*head, *body, *tail], shown == len(flags)


def check_report_text(report: Report, *, audience_name: str | None = None) -> str:
    """The whole report as plain text, for a file (nothing cut; not parsed by Slack):
    each flagged phrase with its line, message and better wording, then each
    message-testing finding behind them once, with its sources."""
    from bot.slack import texts

    flags = list(report.flags)
    out = [texts.CHECK_HEADER + (f" — {audience_name}" if audience_name else ""), ""]
    found = (texts.CHECK_FOUND.format(n=len(flags), s="" if len(flags) == 1 else "s")
             if flags else texts.CHECK_CLEAN)
    out += [_EMOJI_CODE.sub("", found).replace("*", ""), ""]
    findings: dict[str, tuple[Mapping[str, str], list[Mapping[str, Any]]]] = {}
    for i, flag in enumerate(flags, 1):
        severity = SEVERITY_NAMES.get(flag.severity, flag.severity).lower()
        out.append(f"{i}. “{flag.text}” ({texts.LINE} {flag.line}"
                   + (f", {severity}" if severity else "") + f") {flag.message}")
        suggestions = list(flag.suggestions)[:4]
        if suggestions:
            out.append(f"   {texts.TRY} " + " · ".join(f"“{s}”" for s in suggestions))
        if flag.quoted:
            out.append(f"   {texts.QUOTED}")
        finding = flag.finding or {}
        key = str(finding.get("id") or finding.get("title") or "")
        if key and key not in findings:
            findings[key] = (finding, list(flag.sources))
    if findings:
        out += ["", texts.CHECK_FILE_FINDINGS, ""]
        for finding, sources in findings.values():
            summary = finding.get("summary")
            out.append(f"- {finding.get('title')}" + (f": {summary}" if summary else ""))
            if sources:
                out.append(f"  {texts.SOURCES_LABEL} {unescape(cite(sources, 3))}")
    lines = _readability_lines(report.readability)
    if lines:
        out += ["", f"{texts.READABILITY} {_EMOJI_CODE.sub('', lines[0])}"]
        out += [f"  - {a}" for a in lines[1:]]
    return "\n".join(out).rstrip() + "\n"


def usage_blocks(unknown: str | None = None) -> list[Block]:
    from bot.slack import texts

    blocks: list[Block] = []
    if unknown:
        blocks.append(section(texts.UNKNOWN_COMMAND.format(word=escape(truncate(unknown, 60)))))
    blocks.append(section(texts.USAGE))
    return blocks


def notice(text: str) -> list[Block]:
    """A one-section message (the text is already mrkdwn-safe)."""
    return [section(text)]
