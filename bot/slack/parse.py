"""Reading what people type in Slack: the ``/mastery`` grammar and Slack's markup."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

#: the subcommands of ``/mastery``; anything else is a question
SUBCOMMANDS = ("ask", "myth", "messages", "check", "draft", "help")

#: the longest text the bot reads (Slack's own message limit is 40,000)
MAX_TEXT = 40_000

_ENTITY = re.compile(r"<([^<>\n]*)>")


def slack_to_plain(text: str) -> str:
    """Slack's message markup as plain text: ``<@U1>`` → ``@U1``, ``<@U1|ana>`` →
    ``@ana``, ``<#C1|general>`` → ``#general``, ``<!subteam^S1|@team>`` → ``@team``,
    ``<!here>`` → ``@here``, ``<!date^…|Feb 18>`` → ``Feb 18``, ``<http://x|label>`` →
    ``label (http://x)``, and ``&amp;``/``&lt;``/``&gt;`` decoded. The result is what
    the person sees in Slack; it is plain text, to be escaped again wherever it is shown."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (label.removeprefix("@") or target[1:])
        if target.startswith("#"):
            return "#" + (label.removeprefix("#") or target[1:])
        if target.startswith("!"):
            command, _, arg = target[1:].partition("^")
            if command == "date":
                return label or arg.split("^")[0]
            if command == "subteam":
                return "@" + (label.removeprefix("@") or "team")
            return "@" + (label.removeprefix("@") or command)
        address = target.removeprefix("mailto:")
        if label and label not in (target, address):
            return f"{label} ({address})"
        return address

    text = _ENTITY.sub(replace, text or "")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text[:MAX_TEXT]


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """Remove the leading ``<@BOT>`` of an app mention (and any other mention of the bot)."""
    text = text or ""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    else:
        text = re.sub(r"^\s*<@[A-Z0-9]+(\|[^>]*)?>", " ", text)
    return text.strip()


@dataclass(frozen=True)
class Command:
    """A parsed ``/mastery`` line: the subcommand, its argument and an optional audience."""

    name: str  # one of SUBCOMMANDS, or "usage" for an empty line
    arg: str
    audience: str | None = None
    unknown: str | None = None  # a word that looked like a subcommand but is not one


_FOR = re.compile(r"^\s*(?:for|to)\s+([^:\n]{1,40}):\s*", re.IGNORECASE)


def _names_audience(audience_exists: Any, candidate: str) -> bool:
    """Whether ``candidate`` names an audience. A lookup that raises for an unknown name
    (``svc.audience_id``) means no: "for example: how do grades work?" is a question."""
    try:
        return bool(audience_exists(candidate))
    except Exception:  # noqa: BLE001 - any refusal means "not an audience"
        return False


def _english_word(word: str) -> bool:
    """Whether ``word`` is an English word (the FAQ engine's word list, loaded once)."""
    from faq.common_words import english_words

    return word in english_words()


def parse_command(text: str, audience_exists: object = None) -> Command:
    """Parse ``ask <q>``, ``<q>``, ``myth <words>``, ``messages <audience>``,
    ``check [for <audience>:] <text>``, ``draft <template>``, ``help``.

    ``audience_exists`` (a callable taking a name) decides whether ``for NAME:`` at the
    start names an audience; without it the prefix is left in the text.
    """
    text = (text or "").strip()
    if not text:
        return Command("usage", "")
    first, _, rest = text.partition(" ")
    word = first.lower().lstrip("-")
    if word.rstrip("!.,:") == "help" and len(rest.split()) >= 3:
        # "Help! parents are upset about grades": a plea with a question, not the help page
        return Command("ask", text)
    if word in SUBCOMMANDS:
        name, arg = word, rest.strip()
    else:
        name, arg = "ask", text
        close = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.75)
        if close and not _english_word(word.rstrip("!?.,:;")):
            # "/mastery chek our rigorous plan": probably a typo of a subcommand; an English
            # word near one ("checking in: …", "drafts of …") starts a question
            # "/mastery chek our rigorous plan": probably a typo of a subcommand
            return Command("usage", text, unknown=first)
        if re.fullmatch(r"[a-z]+", word) and not rest.strip():
            unknown = first  # a single word: answered if the FAQ knows it, else usage help
            return Command("ask", text, unknown=unknown)
    audience = None
    match = _FOR.match(arg)
    if match and name in ("ask", "check", "myth") and callable(audience_exists):
        candidate = match.group(1).strip()
        if _names_audience(audience_exists, candidate):
            audience, arg = candidate, arg[match.end():]
    return Command(name, arg.strip(), audience)

