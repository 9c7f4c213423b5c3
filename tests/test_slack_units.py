"""The Slack bot's pieces on their own: Block Kit limits and escaping, parsing what people
type, the manifest, listener registration, Socket Mode dispatch and the CLI commands."""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.slack import blocks as bk
from bot.slack.parse import parse_command, slack_to_plain, strip_mention
from tests.slack_support import make_settings

ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ blocks
def test_escape_only_the_three_characters_slack_asks_for():
    assert bk.escape("a & b < c > d *e* _f_") == "a &amp; b &lt; c &gt; d *e* _f_"
    assert bk.escape("<@U123> <!channel>") == "&lt;@U123&gt; &lt;!channel&gt;"


@pytest.mark.parametrize("length", [0, 10, 2999, 3000, 3001, 9000, 40_000])
def test_split_text_never_exceeds_the_section_limit_and_loses_nothing(length):
    text = ("Mastery means students move on when ready. " * 1000)[:length]
    pieces = bk.split_text(text)
    assert all(0 < len(p) <= bk.MAX_SECTION_TEXT for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.strip().replace(" ", "")


def test_split_text_does_not_cut_an_entity():
    text = bk.escape("&" * 5000)
    for piece in bk.split_text(text):
        assert piece.endswith(";")


def test_a_single_word_longer_than_the_limit_is_still_split():
    pieces = bk.split_text("x" * 7000)
    assert [len(p) for p in pieces] == [3000, 3000, 1000]


def test_truncate_and_button_text_limits():
    assert bk.truncate("abc", 3) == "abc"
    assert bk.truncate("abcdef", 4) == "abc…"
    assert bk.truncate("a &amp; b", 4) == "a…"
    button = bk.button("x" * 200, "id", {"q": "y" * 5000})
    assert len(button["text"]["text"]) <= bk.MAX_BUTTON_TEXT
    assert len(button["value"]) <= bk.MAX_BUTTON_VALUE
    assert bk.unpack(button["value"])["q"].startswith("yyy")


def test_fit_keeps_the_block_limit_and_says_so():
    blocks = [bk.section(str(i)) for i in range(120)]
    assert len(bk.fit(blocks)) == bk.MAX_MESSAGE_BLOCKS
    assert bk.fit(blocks)[-1]["type"] == "context"
    assert len(bk.fit(blocks, bk.MAX_VIEW_BLOCKS)) == bk.MAX_VIEW_BLOCKS
    assert bk.fit(blocks[:3]) == blocks[:3]


def test_content_keeps_its_links_but_user_text_cannot_add_any():
    assert bk.content_mrkdwn("See [the report](https://x.org) & **this**") == (
        "See <https://x.org|the report> &amp; *this*")
    assert "<" not in bk.escape("[x](https://evil) <http://evil|y>").replace("&lt;", "")


def test_mention_only_for_real_user_ids():
    assert bk.mention("U0ALICE001") == "<@U0ALICE001>"
    assert bk.mention("!channel") == "someone"
    assert bk.mention(None) == "someone"


# ------------------------------------------------------------------ parsing
def test_slack_markup_becomes_what_the_person_wrote():
    text = "Hi <@U123|sam> in <#C1|general> see <https://a.org|the site> &amp; <!here> &lt;3"
    assert slack_to_plain(text) == (
        "Hi @sam in #general see the site (https://a.org) & @here <3")
    assert slack_to_plain("<mailto:a@b.org|a@b.org>") == "a@b.org"
    assert slack_to_plain("<mailto:a@b.org|Ann>") == "Ann (a@b.org)"
    assert slack_to_plain("<https://a.org>") == "https://a.org"


def test_strip_mention():
    assert strip_mention("<@UBOT> what is mastery?", "UBOT") == "what is mastery?"
    assert strip_mention("hey <@UBOT|mastery> hi", "UBOT") == "hey   hi"


@pytest.mark.parametrize(("text", "name", "arg"), [
    ("", "usage", ""),
    ("help", "help", ""),
    ("--help", "help", ""),
    ("ask what is mastery?", "ask", "what is mastery?"),
    ("what is mastery?", "ask", "what is mastery?"),
    ("ASK   why now", "ask", "why now"),
    ("myth it is only for gifted kids", "myth", "it is only for gifted kids"),
    ("messages parents", "messages", "parents"),
    ("check Our rigorous plan", "check", "Our rigorous plan"),
    ("draft press-release", "draft", "press-release"),
    ("chek this", "usage", "chek this"),
])
def test_parse_command(text, name, arg):
    cmd = parse_command(text)
    assert (cmd.name, cmd.arg) == (name, arg)


def test_parse_audience_prefix_only_for_real_audiences():
    known = {"parents"}.__contains__
    cmd = parse_command("check for parents: Our rigorous plan", known)
    assert (cmd.audience, cmd.arg) == ("parents", "Our rigorous plan")
    cmd = parse_command("check for example: Our plan", known)
    assert cmd.audience is None and cmd.arg == "for example: Our plan"


# ------------------------------------------------------------ registration
def test_every_listener_module_is_registered_and_has_register():
    from bot.slack import listeners

    folder = Path(listeners.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    assert modules == set(listeners.MODULES)
    for name in listeners.MODULES:
        assert callable(import_module(f"bot.slack.listeners.{name}").register)


def test_the_manifest_declares_what_the_bot_uses():
    manifest = yaml.safe_load((ROOT / "app_manifest.yaml").read_text(encoding="utf-8"))
    features, settings = manifest["features"], manifest["settings"]
    assert [c["command"] for c in features["slash_commands"]] == ["/mastery"]
    shortcuts = {(s["type"], s["callback_id"]) for s in features["shortcuts"]}
    assert shortcuts == {("message", "check_wording"), ("global", "start_draft")}
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention", "message.im", "app_home_opened"}
    assert settings["interactivity"]["is_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "im:history", "im:write",
            "files:write"} <= scopes
    for url in (settings["event_subscriptions"]["request_url"],
                settings["interactivity"]["request_url"],
                features["slash_commands"][0]["url"]):
        assert url.endswith("/slack/events")
    from bot.slack.listeners.shortcuts import CHECK_WORDING, START_DRAFT

    assert {CHECK_WORDING, START_DRAFT} == {cb for _, cb in shortcuts}


# ------------------------------------------------------------- socket mode
def test_socket_mode_app_dispatches_without_signatures(toolkit, tmp_path):
    import asyncio

    from slack_bolt.request.async_request import AsyncBoltRequest

    from bot.slack import build_app
    from bot.store import DraftStore
    from tests.mock_slack import MockSlack

    mock = MockSlack().start()
    try:
        settings = make_settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1",
                                 slack_api_url=mock.api_url, data_dir=tmp_path, secret_key="k")
        store = DraftStore.open(f"sqlite:///{tmp_path / 'm.db'}")
        app = build_app(settings, toolkit, store, socket_mode=True)
        body = {"type": "event_callback", "team_id": "T1", "event_id": "Ev1",
                "event": {"type": "app_mention", "user": "U1", "text": "<@UBOT000001> help",
                          "ts": "1.1", "channel": "C1"}}

        async def send():
            response = await app.async_dispatch(AsyncBoltRequest(body=body, mode="socket_mode"))
            await asyncio.sleep(0)
            return response

        response = asyncio.run(_with_wait(send, mock))
        assert response.status == 200
        call = mock.wait_for("chat.postMessage")[0]
        assert "How to use `/mastery`" in json.dumps(call.params)
        store.close()
    finally:
        mock.stop()


async def _with_wait(send, mock):
    import asyncio

    response = await send()
    for _ in range(200):  # the lazy listener runs on this loop: let it finish
        if mock.of("chat.postMessage"):
            break
        await asyncio.sleep(0.02)
    return response


def test_build_app_without_tokens_says_what_to_set(toolkit):
    from bot.slack import SlackNotConfigured, build_app

    settings = make_settings(SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="")
    with pytest.raises(SlackNotConfigured, match="SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"):
        build_app(settings, toolkit, None)


# ------------------------------------------------------------------- CLI
def test_mastery_slack_without_tokens_explains(monkeypatch):
    from bot.cli import cli

    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "MASTERY_SLACK_BOT_TOKEN",
                 "MASTERY_SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["slack"])
    assert result.exit_code == 2
    assert "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set" in result.output
    assert "app_manifest.yaml" in result.output
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-user-token")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    result = CliRunner().invoke(cli, ["slack"])
    assert result.exit_code == 2 and "starting with 'xoxb-'" in result.output


def test_mastery_slack_reports_a_refused_connection(monkeypatch, tmp_path):
    from bot.cli import cli
    from tests.mock_slack import MockSlack

    mock = MockSlack().start()
    mock.fail_methods["apps.connections.open"] = "invalid_auth"
    try:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
        monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
        monkeypatch.setenv("MASTERY_SLACK_API_URL", mock.api_url)
        monkeypatch.setenv("MASTERY_DATA_DIR", str(tmp_path))
        monkeypatch.delenv("MASTERY_DATABASE_URL", raising=False)
        result = CliRunner().invoke(cli, ["slack"])
    finally:
        mock.stop()
    assert result.exit_code == 2, result.output
    assert "the Slack connection failed" in result.output and "invalid_auth" in result.output
    assert "Traceback" not in result.output


def test_report_unanswered_lists_questions(monkeypatch, tmp_path):
    from bot.cli import cli
    from bot.store import DraftStore

    url = f"sqlite:///{tmp_path / 'r.db'}"
    store = DraftStore.open(url)
    store.log_question("when is the bus?", channel="slack", owner="slack:T:U")
    store.log_question("is it rigorous?", channel="web", helpful=False,
                       answer_id="rigor", audience="parents")
    store.close()
    result = CliRunner().invoke(cli, ["report", "unanswered", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "no answer: when is the bus?" in result.output
    assert "not helpful (rigor) for parents: is it rigorous?" in result.output
    result = CliRunner().invoke(cli, ["report", "unanswered", "--database-url", url,
                                      "--channel", "slack", "--format", "json"])
    rows = json.loads(result.output)
    assert [r["question"] for r in rows] == ["when is the bus?"]
    result = CliRunner().invoke(cli, ["report", "unanswered", "--database-url", url,
                                      "--format", "csv"])
    assert result.output.splitlines()[0] == "asked_at,channel,audience,kind,answer_id,question"
    bad = CliRunner().invoke(cli, ["report", "unanswered", "--database-url", "nope://"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_report_unanswered_csv_cannot_run_as_a_formula(tmp_path):
    import csv
    import io

    from bot.cli import cli
    from bot.store import DraftStore

    url = f"sqlite:///{tmp_path / 'f.db'}"
    store = DraftStore.open(url)
    store.log_question('=HYPERLINK("http://evil.example","click")', channel="web")
    store.log_question("-2+3", channel="web")
    store.log_question("how are grades worked out?", channel="web")
    store.close()
    result = CliRunner().invoke(cli, ["report", "unanswered", "--database-url", url,
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    questions = sorted(row["question"] for row in csv.DictReader(io.StringIO(result.output)))
    assert questions == ["'-2+3", '\'=HYPERLINK("http://evil.example","click")',
                         "how are grades worked out?"]


@pytest.mark.parametrize(("text", "name"), [
    ("Help! parents are upset about grades", "ask"),  # a plea with a question
    ("checking in: how do grades work?", "ask"),       # an English word near "check"
    ("drafts of report cards: what are they?", "ask"),
    ("help", "help"),
    ("chek our rigorous plan", "usage"),               # a typo of a command still
    ("mesages parents", "usage"),
])
def test_a_question_that_starts_like_a_command_is_asked(text, name):
    assert parse_command(text).name == name


def test_a_template_is_found_by_a_short_or_underscored_name(toolkit: object) -> None:
    """A review (session 21): "/mastery draft pilot" and "press_release" were not known."""
    from types import SimpleNamespace

    from bot.slack.drafts import resolve_template

    svc = SimpleNamespace(toolkit=toolkit)
    assert resolve_template(svc, "pilot") == "pilot-application"  # type: ignore[arg-type]
    assert resolve_template(svc, "press_release") == "press-release"  # type: ignore[arg-type]
    assert resolve_template(svc, "Press release") == "press-release"  # type: ignore[arg-type]
    assert resolve_template(svc, "p") is None  # type: ignore[arg-type]  # several start so


def test_advice_is_not_quoted_as_words_to_paste_and_short_text_is_said_once() -> None:
    """A review (session 21): "Try:" put advice in quotes as if to paste it, and a short
    text's readability said twice that it was short."""
    from bot.slack import blocks as bk
    from messaging.checker import Checker
    from toolkit import load_toolkit

    checker = Checker.from_toolkit(load_toolkit())
    report = checker.check("Our rigorous work.", audience="parents")
    flag = next(f for f in report.flags if f.rule == "rigorous")
    shown = json.dumps(bk._flag_blocks(flag), ensure_ascii=False)
    assert "“challenging”" in shown
    assert "“Say what" not in shown and "Say what students will do" in shown
    lines = bk._readability_lines(report.readability)
    assert sum("short" in line.lower() for line in lines) == 1, lines


def test_bold_user_text_cannot_end_the_bold_early_or_open_code():
    shown = bk.bold("Q3 *final* plan `v2` <b> & co")
    assert shown.startswith("*") and shown.endswith("*")
    inner = shown[1:-1]
    assert "*" not in inner and "`" not in inner
    assert "&lt;b&gt; &amp; co" in inner and "final" in inner
