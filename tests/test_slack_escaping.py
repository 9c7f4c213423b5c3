"""Nothing a person types reaches Slack as live syntax.

Every entry point (slash commands, mentions, DMs, the shortcuts, buttons, the drafting
modal, App Home, Check wording) is fed every kind of Slack markup a person can type —
user, channel and user-group mentions, @everyone/@channel/@here, disguised links,
mailto links and raw ``&``/``<``/``>`` — and every payload the app then sends (the
top-level ``text``, blocks, views, modal titles, file titles and comments, the ack of a
form) is searched: no user-typed entity may survive, an echoed "@here" or URL must sit
in a ``verbatim`` mrkdwn object, and a user group must not come out as "@@team".

Only an input's ``initial_value`` is exempt: it is the person's own text put back in
their own form field, which Slack does not parse (escaping it would change their text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.mock_slack import BOT_USER_ID, TEAM_ID, Call, MockSlack
from tests.slack_support import CHANNEL, USER, SlackHarness, action_values

#: the markup as Slack delivers it in a message's or a command's text
HOSTILE = (
    "rigorous R&amp;D <@U0EVIL001> <@U0EVIL002|boss> <#C0SECRET1|secret> "
    "<!subteam^S0123TEAM|@team> <!everyone> <!channel> <!here> "
    "<https://evil.example/x|click me> <mailto:x@evil.example|mail me> "
    "&lt;b&gt;bold&lt;/b&gt; &lt;!everyone&gt; @channel https://evil.example/bare"
)
#: what a person types into a form field (Slack sends input values as typed)
TYPED = ("R&D <!everyone> <@U0EVIL001> <#C0SECRET1> <!subteam^S0123TEAM|@team> "
         "<https://evil.example/x|click me> <b>bold</b> @here https://evil.example/bare")

#: live Slack syntax or unescaped text that must never come out
FORBIDDEN = ("<@U0EVIL", "<#C0SECRET", "<!subteam", "<!everyone", "<!channel", "<!here",
             "<https://evil", "<mailto:", "<b>", "</b>", "@@team", "R&D")
#: echoed words Slack would turn into a mention or a link in non-verbatim mrkdwn
AUTOLINKED = re.compile(r"@everyone|@channel|@here|@team|#secret|evil\.example")
#: keys whose strings Slack does not parse as text (see the module docstring)
EXEMPT_KEYS = {"initial_value", "_raw"}


def leaks(call: Call) -> list[str]:
    found: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if (node.get("type") == "mrkdwn" and isinstance(node.get("text"), str)
                    and AUTOLINKED.search(node["text"]) and node.get("verbatim") is not True):
                found.append(f"{path}: mrkdwn echoing user words without verbatim")
            for key, value in node.items():
                if key not in EXEMPT_KEYS:
                    walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}/{i}")
        elif isinstance(node, str):
            for bad in FORBIDDEN:
                if bad in node:
                    found.append(f"{path}: {bad!r} in {node[:160]!r}")

    walk(call.params, call.method)
    return found


# ------------------------------------------------------------- entry points
def mention_event(text: str) -> dict[str, Any]:
    return {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER_ID}> {text}",
            "ts": "1700000100.000200", "channel": CHANNEL, "event_ts": "1700000100.000200"}


def dm_event(text: str) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "user": USER, "text": text,
            "ts": "1700000200.000300", "channel": "D0ALICE001",
            "event_ts": "1700000200.000300"}


def check_wording(slack: SlackHarness, text: str) -> None:
    slack.interactive({
        "type": "message_action", "callback_id": "check_wording",
        "user": {"id": USER, "name": "alice", "team_id": TEAM_ID},
        "channel": {"id": CHANNEL, "name": "general"},
        "message": {"type": "message", "user": "U0COLLEAGUE", "ts": "1700000000.000500",
                    "text": text},
        "message_ts": "1700000000.000500", "trigger_id": slack.mock.trigger(),
        "response_url": slack.mock.response_url("shortcut"),
    })


def entry_button(slack: SlackHarness, mock: MockSlack, action_id: str) -> None:
    from bot.slack import blocks as bk
    from bot.slack.parse import slack_to_plain

    entry = slack.services.faq.answer("what is mastery-based learning?").id
    value = bk.pack({"id": entry, "q": slack_to_plain(HOSTILE), "a": "", "f": 0})
    slack.block_action({"action_id": action_id, "value": value})
    mock.wait_for("respond")


def recheck(slack: SlackHarness, mock: MockSlack) -> None:
    check_wording(slack, HOSTILE)
    menu = action_values(mock.wait_for("respond")[0], "check_audience")[0]
    slack.block_action({"action_id": "check_audience", "block_id": menu["block_id"],
                        "type": "static_select", "selected_option": {"value": "parents"}})
    mock.wait_for("respond", count=2)


PRESS_RELEASE_TYPED = {
    "f:district_name": "Riverside Unified", "f:headline": TYPED[:120], "f:city": "Riverside",
    "f:release_date": "2026-09-01", "f:lead": TYPED, "f:quote": TYPED,
    "f:quote_by": "Dr. Ana Ruiz", "f:contact_name": "Sam Lee",
    "f:contact_email": "sam@riverside.example",
}


def fill_a_form(slack: SlackHarness, mock: MockSlack) -> None:
    """A form filled with markup: the saved draft's DM, Word file title, Home, and the
    form opened again."""
    slack.command("draft press-release")
    view = mock.wait_for("views.open")[0].params["view"]
    values = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        kind = block["element"]["type"]
        typed = PRESS_RELEASE_TYPED.get(block["block_id"])
        if kind == "datepicker":
            values[block["block_id"]] = {"v": {"type": kind, "selected_date": typed}}
        elif kind in ("static_select", "multi_static_select"):
            values[block["block_id"]] = {"v": {"type": kind, "selected_option": None,
                                               "selected_options": []}}
        else:
            values[block["block_id"]] = {"v": {"type": kind, "value": typed}}
    answer = slack.view_submission(view, values).json()
    assert answer == {"response_action": "clear"}, answer
    mock.wait_for("files.completeUploadExternal")
    mock.wait_for("views.publish")
    draft = slack.store.list_drafts(f"slack:{TEAM_ID}:{USER}", template="press-release")[0]
    slack.block_action({"action_id": "draft_open", "value": draft.id}, view={"id": "VHOME"})
    reopened = mock.wait_for("views.open", count=2)[1]
    assert reopened.response["ok"], reopened.response
    slack.event({"type": "app_home_opened", "user": USER, "tab": "home",
                 "channel": "D0ALICE001", "event_ts": "1700000300.000100"})
    mock.wait_for("views.publish", count=2)


def pick_a_template(slack: SlackHarness, mock: MockSlack) -> None:
    from bot.slack.listeners.shortcuts import template_picker

    view = template_picker(slack.services)
    slack.view_submission(view, {"template": {"v": {
        "type": "static_select", "selected_option": {"value": TYPED}}}})


def share_word_file(slack: SlackHarness, mock: MockSlack, *, shortcut: bool) -> None:
    """A Word file whose name carries markup, sent in a DM or run through Check wording."""
    from tests import docx_corpus

    shared = mock.share_file(TYPED.replace("/", " ") + ".docx", docx_corpus.rich_document())
    if shortcut:
        slack.interactive({
            "type": "message_action", "callback_id": "check_wording",
            "user": {"id": USER, "name": "alice", "team_id": TEAM_ID},
            "channel": {"id": CHANNEL, "name": "general"},
            "message": {"type": "message", "user": "U0COLLEAGUE", "ts": "1700000000.000700",
                        "text": HOSTILE, "files": [shared]},
            "message_ts": "1700000000.000700", "trigger_id": mock.trigger(),
            "response_url": mock.response_url("shortcut")})
    else:
        slack.event({**dm_event(HOSTILE), "subtype": "file_share", "files": [shared]})
    mock.wait_for("files.completeUploadExternal", timeout=30)


LONG = " ".join(["Our rigorous program will dramatically leverage relationships."] * 400)

ENTRY_POINTS: dict[str, Callable[[SlackHarness, MockSlack], Any]] = {
    "/mastery ask": lambda s, m: (s.command("ask " + HOSTILE), m.wait_for("respond")),
    "/mastery <question>": lambda s, m: (s.command(HOSTILE), m.wait_for("respond")),
    "/mastery myth": lambda s, m: (s.command("myth " + HOSTILE), m.wait_for("respond")),
    "/mastery check": lambda s, m: (s.command("check " + HOSTILE), m.wait_for("respond")),
    "/mastery check (long: summary and file)": lambda s, m: (
        s.command(f"check {HOSTILE} {LONG} {HOSTILE}"),
        m.wait_for("files.completeUploadExternal", timeout=30)),
    "/mastery check for <audience>": lambda s, m: (
        s.command("check for " + HOSTILE[:30] + ": " + HOSTILE), m.wait_for("respond")),
    "/mastery messages": lambda s, m: (s.command("messages " + HOSTILE),
                                       m.wait_for("respond")),
    "/mastery draft": lambda s, m: (s.command("draft " + HOSTILE), m.wait_for("respond")),
    "/mastery <mistyped command>": lambda s, m: (s.command("chek " + HOSTILE),
                                                 m.wait_for("respond")),
    "mention": lambda s, m: (s.event(mention_event(HOSTILE)), m.wait_for("chat.postMessage")),
    "mention: myth": lambda s, m: (s.event(mention_event("myth " + HOSTILE)),
                                   m.wait_for("chat.postMessage")),
    "DM": lambda s, m: (s.event(dm_event(HOSTILE)), m.wait_for("chat.postMessage")),
    "DM: check": lambda s, m: (s.event(dm_event("check " + HOSTILE)),
                               m.wait_for("chat.postMessage")),
    "DM: draft": lambda s, m: (s.event(dm_event("draft " + HOSTILE)),
                               m.wait_for("chat.postMessage")),
    "Check wording shortcut": lambda s, m: (check_wording(s, HOSTILE), m.wait_for("respond")),
    "Check wording (long: summary and file)": lambda s, m: (
        check_wording(s, f"{HOSTILE} {LONG} {HOSTILE}"),
        m.wait_for("files.completeUploadExternal", timeout=30)),
    "re-check for an audience": recheck,
    "Share button": lambda s, m: entry_button(s, m, "faq_share"),
    "Show full answer button": lambda s, m: entry_button(s, m, "faq_full"),
    "Did-you-mean button": lambda s, m: entry_button(s, m, "faq_pick:0"),
    "Not helpful button": lambda s, m: entry_button(s, m, "faq_unhelpful"),
    "drafting modal, DM, Word file, Home, reopened form": fill_a_form,
    "a Word file shared in a DM": lambda s, m: share_word_file(s, m, shortcut=False),
    "Check wording on a message with a Word file": lambda s, m: share_word_file(
        s, m, shortcut=True),
    "Start a draft: picking a template": pick_a_template,
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_no_user_typed_entity_survives(entry: str, slack: SlackHarness,
                                       mock: MockSlack) -> None:
    ENTRY_POINTS[entry](slack, mock)
    mock.settle(quiet=0.4)
    calls = [c for c in mock.calls if c.method not in ("auth.test", "conversations.open")]
    assert calls, "the entry point sent nothing"
    found = [leak for call in calls for leak in leaks(call)]
    assert not found, "\n".join(found)


def test_the_check_finds_each_leak() -> None:
    """The search above can fail: each kind of leak is caught."""
    for params in (
        {"text": "hi <!everyone>"},
        {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "@here"}}]},
        {"view": {"title": {"type": "plain_text", "text": "<b>x</b>"}}},
        {"files": [{"id": "F1", "title": "R&D"}]},
        {"answer": {"errors": {"f:x": "<@U0EVIL001>"}}},
        {"blocks": [{"type": "context", "elements": [
            {"type": "mrkdwn", "text": "ask @@team", "verbatim": True}]}]},
    ):
        assert leaks(Call("x", params, {}, "")), params
    clean = {"text": "R&amp;D &lt;!everyone&gt;", "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "@here", "verbatim": True}}],
        "view": {"blocks": [{"element": {"initial_value": "<!everyone>"}}]}}
    assert leaks(Call("x", clean, {}, "")) == []


def test_markup_is_read_as_the_person_sees_it() -> None:
    from bot.slack.parse import slack_to_plain

    assert slack_to_plain("<!subteam^S0123TEAM|@team>") == "@team"
    assert slack_to_plain("<!subteam^S0123TEAM>") == "@team"
    assert slack_to_plain("<@U0EVIL002|boss> <#C0SECRET1|secret> <#C0SECRET1>") \
        == "@boss #secret #C0SECRET1"
    assert slack_to_plain("<!here> <!channel|@channel>") == "@here @channel"
    assert slack_to_plain("<!date^1392734382^{date_pretty}|Feb 18, 2014>") == "Feb 18, 2014"
    assert slack_to_plain("&lt;b&gt; R&amp;D") == "<b> R&D"


def _mrkdwn_texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["text"]] if value.get("type") == "mrkdwn" else []
        return found + [t for v in value.values() for t in _mrkdwn_texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _mrkdwn_texts(v)]
    return []


def test_the_bots_own_help_writes_placeholders_escaped() -> None:
    """A review (session 21): the help's "`/mastery ask <question>`" went out with a raw
    "<question>", which Slack reads as link syntax; Slack's rule is to escape <, > and &."""
    from bot.slack import blocks as bk
    from bot.slack import texts

    every = [*_mrkdwn_texts(bk.usage_blocks("hello")),
             *_mrkdwn_texts(bk.section(texts.HOME_HOWTO)),
             *_mrkdwn_texts(bk.section(texts.MESSAGES_WHICH)),
             *_mrkdwn_texts(bk.section(texts.DRAFT_WHICH))]
    assert any("&lt;question&gt;" in t for t in every)
    for text in every:
        # the only "<" Slack should see is its own syntax: <@U…>, <#C…>, <!here>, <https://…>
        assert not re.search(r"<(?![@#!]|https?://|mailto:)", text), text
    assert bk.unescape(texts.DRAFT_WHICH).count("<template>") == 1  # the notification's own
