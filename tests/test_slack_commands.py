"""``/mastery`` slash commands, sent as Slack sends them, answered through the mock."""

from __future__ import annotations

import re

from tests.mock_slack import TEAM_ID
from tests.slack_support import USER, action_values, texts_of

# Text a person could type to make the bot mention or link something. The bot must
# show it, escaped, never as live Slack syntax.
INJECTION = "<@U0EVIL001> <!channel> <!here> <http://evil.example|click here> & co"
LIVE_SYNTAX = re.compile(r"<@U0EVIL|<!channel>|<!here>|<http://evil")


def respond_of(mock, timeout=10.0):
    calls = mock.wait_for("respond", timeout=timeout)
    assert len(calls) == 1, [c.params for c in calls]
    assert calls[0].response["ok"], calls[0].response
    return calls[0]


def test_ask_answers_ephemerally_with_sources_and_buttons(slack, mock):
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


def test_a_bare_question_is_asked(slack, mock):
    slack.command("what is mastery-based learning")
    call = respond_of(mock)
    assert "*What is mastery-based learning?*" in texts_of(call)


def test_empty_command_and_help_show_usage(slack, mock):
    for text in ("", "   ", "help"):
        mock.reset()
        slack.command(text)
        call = respond_of(mock)
        assert "How to use `/mastery`" in texts_of(call)


def test_unknown_subcommand_shows_usage_help(slack, mock):
    for text, word in (("chek our rigorous plan", "chek"), ("xyzzy", "xyzzy")):
        mock.reset()
        slack.command(text)
        shown = texts_of(respond_of(mock))
        assert f"I don't know the command `{word}`" in shown
        assert "How to use `/mastery`" in shown


def test_unanswerable_question_is_logged_for_editors(slack, mock):
    question = "how do i knit a warm scarf for winter"
    slack.command(f"ask {question}")
    shown = texts_of(respond_of(mock))
    assert "The toolkit has no answer for that yet" in shown
    logged = [q for q in slack.store.unanswered(channel="slack") if q.question == question]
    assert logged and logged[0].owner == f"slack:{TEAM_ID}:{USER}"


def test_ask_for_an_audience(slack, mock):
    slack.command("ask for parents: what is mastery-based learning?")
    call = respond_of(mock)
    values = [a["value"] for a in action_values(call, "faq_full")]
    assert values and '"a":"parents"' in values[0]


def test_myth_gives_myth_fact_and_sources(slack, mock, toolkit):
    myth = next(iter(toolkit.myths.values()))
    slack.command(f"myth {myth.alternatives[0]}")
    shown = texts_of(respond_of(mock))
    assert "Myth:" in shown and "Fact:" in shown and "Sources:" in shown


def test_myth_without_words_and_unknown_myth(slack, mock):
    slack.command("myth")
    assert "Please add a few words about the myth" in texts_of(respond_of(mock))
    mock.reset()
    slack.command("myth zebra crossings quantum")
    assert "I don't know a myth about" in texts_of(respond_of(mock))


def test_messages_for_an_audience(slack, mock, toolkit):
    slack.command("messages parents")
    shown = texts_of(respond_of(mock))
    parents = toolkit.audiences["parents"]
    assert f"Key messages for {parents.name}" in shown
    assert "Talking points" in shown


def test_messages_without_or_with_unknown_audience_lists_them(slack, mock):
    slack.command("messages")
    shown = texts_of(respond_of(mock))
    assert "`parents`" in shown and "`reporters`" in shown
    mock.reset()
    slack.command("messages <!everyone> martians")
    shown = texts_of(respond_of(mock))
    assert "There is no audience '" in shown and "martians'" in shown and "`teachers`" in shown
    assert "<!everyone>" not in shown


def test_check_reports_phrase_why_suggestion_and_readability(slack, mock):
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


def test_check_for_an_audience_reads_against_its_target(slack, mock, toolkit):
    slack.command("check for parents: Our rigorous program is great.")
    shown = texts_of(respond_of(mock))
    assert f"Wording check — {toolkit.audiences['parents'].name}" in shown


def test_quotes_and_code_in_a_slack_message_are_not_the_writers_wording(slack, mock):
    """A review (session 21): a "> " quote and a code block in a message were flagged as the
    writer's own wording, and a phrase in "double quotes" was counted with a warning icon.
    Slack escapes ">" as "&gt;" in the text it sends."""
    slack.command("check for parents: &gt; A parent said it is too rigorous.\n"
                  "```rigorous_mode = true```\n"
                  'The survey asked whether the model "reorganizes time".\n'
                  "Our new program helps every student.")
    shown = texts_of(respond_of(mock))
    assert "No weak phrases found" in shown, shown
    assert "inside quotations" in shown and "not counted" in shown
    assert ":speech_balloon:" in shown
    mock.reset()
    slack.command("check for parents: Our rigorous program helps. The poster said \"rigorous\".")
    shown = texts_of(respond_of(mock))
    assert "I found *1* phrase worth another look." in shown, shown


def test_a_greeting_or_thanks_gets_a_pointer_not_a_command_error_or_a_false_note(slack, mock):
    """A review (session 21): "hello" got "I don't know the command `hello`" and the whole
    help; "thanks!" got "It has been noted for the content editors" though nothing was."""
    before = len(slack.store.unanswered(channel="slack"))
    for text in ("hello", "thanks!", "thank you so much", "\U0001F600\U0001F600"):
        mock.reset()
        slack.command(text)
        shown = texts_of(respond_of(mock))
        assert "Ask me a question about mastery-based learning" in shown, (text, shown)
        assert "don't know the command" not in shown and "noted" not in shown, text
    assert len(slack.store.unanswered(channel="slack")) == before
    mock.reset()
    slack.command("zzqx")  # a mistyped command still gets the help
    assert "don't know the command" in texts_of(respond_of(mock))


def test_check_without_text(slack, mock):
    slack.command("check")
    assert "Please add the text to check" in texts_of(respond_of(mock))


def test_user_text_cannot_inject_mentions_or_links(slack, mock):
    for text in (f"ask {INJECTION}", f"check rigorous {INJECTION}", f"myth {INJECTION}"):
        mock.reset()
        slack.command(text)
        shown = texts_of(respond_of(mock))
        assert not LIVE_SYNTAX.search(shown), shown
    assert "&lt;" in shown or "@U0EVIL001" in shown


def test_forty_thousand_characters_stay_within_slack_limits(slack, mock):
    """A long report: a summary within Slack's budget, the full report as a file in the
    person's DM (Slack's upload flow), every flag in it."""
    from bot.slack import blocks as bk
    from tests.mock_slack import MESSAGE_BLOCK_TEXT_BUDGET, block_text_length

    sentence = "Our rigorous program will dramatically rethink learning for every student. "
    text = (sentence * 600)[:40_000]
    slack.command(f"check {text}")
    call = respond_of(mock, timeout=30)
    blocks = call.params["blocks"]
    assert len(blocks) <= 50
    assert block_text_length(blocks) <= bk.MESSAGE_TEXT_BUDGET < MESSAGE_BLOCK_TEXT_BUDGET
    shown = texts_of(call)
    assert "more in the full report" in shown and "direct messages" in shown
    complete = mock.wait_for("files.completeUploadExternal", timeout=30)[0]
    assert complete.response["ok"], complete.response
    assert complete.params["channel_id"] == "D" + USER[1:]
    asked = mock.of("files.getUploadURLExternal")[0]
    assert asked.params["filename"] == "wording-check.txt"
    report = mock.uploads[asked.response["file_id"]].decode()
    checked = slack.services.checker.check(text, None, "text").flags
    flags = len(checked)
    assert f"I found {flags} phrases" in report
    assert report.count("“rigorous”") == sum(f.text.lower() == "rigorous" for f in checked) > 20
    assert f"({flags} phrases)" in complete.params["files"][0]["title"]
    mock.reset()
    slack.command(f"ask {text}")
    respond_of(mock, timeout=30)


def test_a_short_check_sends_no_file(slack, mock):
    slack.command("check Our rigorous program will leverage relationships.")
    respond_of(mock)
    mock.settle(quiet=0.3)
    assert not mock.of("files.getUploadURLExternal")


def test_a_failed_report_upload_is_told(slack, mock):
    mock.fail_methods["files.getUploadURLExternal"] = "not_allowed_token_type"
    sentence = "Our rigorous program will dramatically rethink learning for every student. "
    slack.command(f"check {sentence * 300}")
    respond_of(mock, timeout=30)
    told = mock.wait_for("chat.postMessage", timeout=30)[0]
    assert "couldn't send the full report" in texts_of(told)


def test_draft_without_template_lists_templates(slack, mock, toolkit):
    slack.command("draft")
    shown = texts_of(respond_of(mock))
    for template_id in toolkit.templates:
        assert f"`{template_id}`" in shown
    mock.reset()
    slack.command("draft <http://x|ransom-note>")
    shown = texts_of(respond_of(mock))
    assert "I don't know the template" in shown and "<http://x" not in shown


def test_everyday_school_question_says_who_to_ask(slack, mock):
    slack.command("ask what time does the school bus leave on fridays")
    shown = texts_of(respond_of(mock))
    assert "outside this toolkit" in shown and "transportation" in shown
    assert "The toolkit has no answer for that yet" not in shown


def test_for_a_word_that_is_no_audience_keeps_it_in_the_question(slack, mock):
    # "for example:" is not an audience: the question is asked as written, not an error
    for text in ("ask for example: how do grades work?", "check for martians: our rigorous plan",
                 "myth for example: it lowers the bar"):
        mock.reset()
        slack.command(text)
        shown = texts_of(respond_of(mock))
        assert "something went wrong" not in shown.lower(), (text, shown)
    mock.reset()
    slack.command("check for parents: our rigorous plan")
    assert "rigorous" in texts_of(respond_of(mock)).lower()
    assert not mock.failed()


def test_the_preview_text_says_what_the_reply_says(slack, mock):
    # the notification text under choices or the English-only reply is not "no answer"
    for question, said in (("report cards and testing", "Which one did you mean?"),
                           ("¿Qué es el aprendizaje basado en el dominio?",
                            "I can answer in English only")):
        mock.reset()
        slack.command(f"ask {question}")
        call = respond_of(mock)
        assert said in call.params["text"], call.params["text"]
        assert "no answer" not in call.params["text"]


def test_a_one_word_topic_gets_its_choices_not_the_usage_help(slack, mock):
    slack.command("grades")
    shown = texts_of(respond_of(mock))
    assert "I don't know the command" not in shown
    assert "Which one did you mean?" in shown
    mock.reset()
    slack.command("xyzzy")  # no topic at all: the usage help still
    assert "I don't know the command `xyzzy`" in texts_of(respond_of(mock))
