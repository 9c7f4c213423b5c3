"""``/mastery`` slash commands, sent as Slack sends them, answered through the mock."""

from __future__ import annotations

import re

from tests.mock_slack import TEAM_ID
from tests.slack_support import USER, action_values, mock, slack, texts_of  # noqa: F401

# Text a person could type to make the bot mention or link something. The bot must
# show it, escaped, never as live Slack syntax.
INJECTION = "<@U0EVIL001> <!channel> <!here> <http://evil.example|click here> & co"
LIVE_SYNTAX = re.compile(r"<@U0EVIL|<!channel>|<!here>|<http://evil")


def respond_of(mock, timeout=10.0):  # noqa: F811
    calls = mock.wait_for("respond", timeout=timeout)
    assert len(calls) == 1, [c.params for c in calls]
    assert calls[0].response["ok"], calls[0].response
    return calls[0]


def test_ask_answers_ephemerally_with_sources_and_buttons(slack, mock):  # noqa: F811
    response = slack.command("ask What is mastery-based learning?")
    assert response.status_code == 200
    assert response.text == ""  # acked at once, answered through the response URL
    call = respond_of(mock)
    assert call.params["response_type"] == "ephemeral"
    shown = texts_of(call)
    assert "What is mastery-based learning?" in shown
    assert "Sources:" in shown
    ids = [a["action_id"] for a in action_values(call)]
    assert {"faq_full", "faq_share", "faq_helpful", "faq_unhelpful"} <= set(ids)
    assert not mock.failed()


def test_a_bare_question_is_asked(slack, mock):  # noqa: F811
    slack.command("what is mastery-based learning")
    call = respond_of(mock)
    assert "*What is mastery-based learning?*" in texts_of(call)


def test_empty_command_and_help_show_usage(slack, mock):  # noqa: F811
    for text in ("", "   ", "help"):
        mock.reset()
        slack.command(text)
        call = respond_of(mock)
        assert "How to use `/mastery`" in texts_of(call)


def test_unknown_subcommand_shows_usage_help(slack, mock):  # noqa: F811
    for text, word in (("chek our rigorous plan", "chek"), ("xyzzy", "xyzzy")):
        mock.reset()
        slack.command(text)
        shown = texts_of(respond_of(mock))
        assert f"I don't know the command `{word}`" in shown
        assert "How to use `/mastery`" in shown


def test_unanswerable_question_is_logged_for_editors(slack, mock):  # noqa: F811
    question = "how do i knit a warm scarf for winter"
    slack.command(f"ask {question}")
    shown = texts_of(respond_of(mock))
    assert "I don't have an answer for that yet" in shown
    logged = [q for q in slack.store.unanswered(channel="slack") if q.question == question]
    assert logged and logged[0].owner == f"slack:{TEAM_ID}:{USER}"


def test_ask_for_an_audience(slack, mock):  # noqa: F811
    slack.command("ask for parents: what is mastery-based learning?")
    call = respond_of(mock)
    values = [a["value"] for a in action_values(call, "faq_full")]
    assert values and '"a":"parents"' in values[0]


def test_myth_gives_myth_fact_and_sources(slack, mock, toolkit):  # noqa: F811
    myth = next(iter(toolkit.myths.values()))
    slack.command(f"myth {myth.alternatives[0]}")
    shown = texts_of(respond_of(mock))
    assert "Myth:" in shown and "Fact:" in shown and "Sources:" in shown


def test_myth_without_words_and_unknown_myth(slack, mock):  # noqa: F811
    slack.command("myth")
    assert "Please add a few words about the myth" in texts_of(respond_of(mock))
    mock.reset()
    slack.command("myth zebra crossings quantum")
    assert "I don't know a myth about" in texts_of(respond_of(mock))


def test_messages_for_an_audience(slack, mock, toolkit):  # noqa: F811
    slack.command("messages parents")
    shown = texts_of(respond_of(mock))
    parents = toolkit.audiences["parents"]
    assert f"Key messages for {parents.name}" in shown
    assert "Talking points" in shown


def test_messages_without_or_with_unknown_audience_lists_them(slack, mock):  # noqa: F811
    slack.command("messages")
    shown = texts_of(respond_of(mock))
    assert "`parents`" in shown and "`reporters`" in shown
    mock.reset()
    slack.command("messages <!everyone> martians")
    shown = texts_of(respond_of(mock))
    assert "There is no audience '" in shown and "martians'" in shown and "`teachers`" in shown
    assert "<!everyone>" not in shown


def test_check_reports_phrase_why_suggestion_and_readability(slack, mock):  # noqa: F811
    slack.command("check Our rigorous new program will dramatically rethink how schools work.")
    call = respond_of(mock)
    assert call.params["response_type"] == "ephemeral"
    shown = texts_of(call)
    assert "Wording check" in shown
    assert "“rigorous" in shown.replace("“Rigorous", "“rigorous")
    assert "Why:" in shown and "Try:" in shown and "Sources:" in shown
    assert "Readability:" in shown
    menus = action_values(call, "check_audience")
    assert menus and menus[0]["block_id"].startswith("check:")


def test_check_for_an_audience_reads_against_its_target(slack, mock, toolkit):  # noqa: F811
    slack.command("check for parents: Our rigorous program is great.")
    shown = texts_of(respond_of(mock))
    assert f"Wording check — {toolkit.audiences['parents'].name}" in shown


def test_check_without_text(slack, mock):  # noqa: F811
    slack.command("check")
    assert "Please add the text to check" in texts_of(respond_of(mock))


def test_user_text_cannot_inject_mentions_or_links(slack, mock):  # noqa: F811
    for text in (f"ask {INJECTION}", f"check rigorous {INJECTION}", f"myth {INJECTION}"):
        mock.reset()
        slack.command(text)
        shown = texts_of(respond_of(mock))
        assert not LIVE_SYNTAX.search(shown), shown
    assert "&lt;" in shown or "@U0EVIL001" in shown


def test_forty_thousand_characters_stay_within_slack_limits(slack, mock):  # noqa: F811
    sentence = "Our rigorous program will dramatically rethink learning for every student. "
    text = (sentence * 600)[:40_000]
    slack.command(f"check {text}")
    call = respond_of(mock, timeout=30)
    assert len(call.params["blocks"]) <= 50
    assert "and" in texts_of(call) and "more" in texts_of(call)
    mock.reset()
    slack.command(f"ask {text}")
    respond_of(mock, timeout=30)


def test_draft_without_template_lists_templates(slack, mock, toolkit):  # noqa: F811
    slack.command("draft")
    shown = texts_of(respond_of(mock))
    for template_id in toolkit.templates:
        assert f"`{template_id}`" in shown
    mock.reset()
    slack.command("draft <http://x|ransom-note>")
    shown = texts_of(respond_of(mock))
    assert "I don't know the template" in shown and "<http://x" not in shown


def test_everyday_school_question_says_who_to_ask(slack, mock):  # noqa: F811
    slack.command("ask what time does the school bus leave on fridays")
    shown = texts_of(respond_of(mock))
    assert "outside this toolkit" in shown and "transportation" in shown
    assert "I don't have an answer for that yet" not in shown
