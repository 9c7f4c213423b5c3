"""Buttons, menus and shortcuts: block_actions and message_action payloads."""

from __future__ import annotations

import json

from tests.mock_slack import TEAM_ID
from tests.slack_support import CHANNEL, USER, action_values, texts_of


def ask(slack, mock, question="what is mastery-based learning?"):
    slack.command(f"ask {question}")
    call = mock.wait_for("respond")[0]
    mock.reset()
    return {a["action_id"]: a for a in action_values(call)}


def test_show_full_answer_replaces_the_ephemeral_reply(slack, mock, toolkit):
    buttons = ask(slack, mock)
    slack.block_action({"action_id": "faq_full", "value": buttons["faq_full"]["value"]})
    call = mock.wait_for("respond")[0]
    assert call.params["replace_original"] is True
    entry = toolkit.faq["what-is-mastery-based-learning"]
    assert entry.full.split("\n")[0][:60] in texts_of(call).replace("*", "")
    assert "Show full answer" not in texts_of(call)


def test_show_full_answer_on_a_thread_reply_updates_the_message(slack, mock):
    buttons = ask(slack, mock)
    slack.block_action({"action_id": "faq_full", "value": buttons["faq_full"]["value"]},
                       ephemeral=False)
    call = mock.wait_for("chat.update")[0]
    assert call.params["channel"] == CHANNEL and call.params["ts"] == "1700000000.000100"
    assert call.response["ok"]


def test_share_posts_in_channel_and_removes_the_private_copy(slack, mock):
    buttons = ask(slack, mock)
    slack.block_action({"action_id": "faq_share", "value": buttons["faq_share"]["value"]})
    calls = mock.wait_for("respond", count=2)
    posted, deleted = calls[0].params, calls[1].params
    assert posted["response_type"] == "in_channel"
    assert f"<@{USER}> shared an answer" in texts_of(calls[0])
    assert not action_values(calls[0], "faq_")  # no buttons on the shared copy
    assert deleted.get("delete_original") is True


def test_did_you_mean_buttons_open_that_answer(slack, mock):
    slack.command("ask what about grades")
    call = mock.wait_for("respond")[0]
    picks = action_values(call, "faq_pick:")
    assert picks, texts_of(call)
    mock.reset()
    slack.block_action({"action_id": picks[0]["action_id"], "value": picks[0]["value"]})
    reply = mock.wait_for("respond")[0]
    assert reply.params["replace_original"] is True
    assert picks[0]["text"]["text"].rstrip("…") in texts_of(reply)


def test_not_helpful_is_logged_and_thanked(slack, mock):
    buttons = ask(slack, mock, "what is mastery-based learning, really?")
    before = slack.store.count_unanswered()
    slack.block_action({"action_id": "faq_unhelpful", "value": buttons["faq_unhelpful"]["value"]})
    call = mock.wait_for("respond")[0]
    assert "Thanks for telling me" in texts_of(call)
    assert call.params["replace_original"] is False
    assert slack.store.count_unanswered() == before + 1
    latest = slack.store.unanswered(limit=1)[0]
    assert latest.helpful is False and latest.channel == "slack"
    assert latest.question == "what is mastery-based learning, really?"
    assert latest.owner == f"slack:{TEAM_ID}:{USER}"


def test_helpful_is_thanked_and_not_logged(slack, mock):
    buttons = ask(slack, mock)
    before = slack.store.count_unanswered()
    slack.block_action({"action_id": "faq_helpful", "value": buttons["faq_helpful"]["value"]})
    assert "glad it helped" in texts_of(mock.wait_for("respond")[0])
    assert slack.store.count_unanswered() == before


def message_action(slack, text, **message):
    payload = {
        "type": "message_action", "callback_id": "check_wording",
        "user": {"id": USER, "name": "alice", "team_id": TEAM_ID},
        "channel": {"id": CHANNEL, "name": "general"},
        "message": {"type": "message", "user": "U0COLLEAGUE", "ts": "1700000000.000500",
                    "text": text, **message},
        "message_ts": "1700000000.000500",
        "trigger_id": slack.mock.trigger(),
        "response_url": slack.mock.response_url("shortcut"),
    }
    return slack.interactive(payload)


def test_check_wording_shortcut_replies_privately(slack, mock):
    response = message_action(slack, "Our rigorous program will leverage relationships.")
    assert response.status_code == 200
    call = mock.wait_for("respond")[0]
    assert call.params["response_type"] == "ephemeral"
    shown = texts_of(call)
    assert "Wording check" in shown and "Why:" in shown and "Readability:" in shown
    assert call.response["ok"]


def test_check_wording_then_pick_an_audience(slack, mock, toolkit):
    message_action(slack, "Our rigorous program will leverage relationships.")
    call = mock.wait_for("respond")[0]
    menu = action_values(call, "check_audience")[0]
    mock.reset()
    slack.block_action({"action_id": "check_audience", "block_id": menu["block_id"],
                        "type": "static_select",
                        "selected_option": {"text": {"type": "plain_text", "text": "Parents"},
                                            "value": "parents"}})
    again = mock.wait_for("respond")[0]
    assert again.params["replace_original"] is True
    assert f"Wording check — {toolkit.audiences['parents'].name}" in texts_of(again)


def test_an_expired_check_says_so(slack, mock):
    slack.block_action({"action_id": "check_audience", "block_id": "check:0000000000000000",
                        "selected_option": {"value": "parents"}})
    assert "expired" in texts_of(mock.wait_for("respond")[0])


def test_check_wording_on_a_message_without_text(slack, mock):
    message_action(slack, "", files=[{"id": "F1"}])
    assert "no text I can check" in texts_of(mock.wait_for("respond")[0])


def test_check_wording_escapes_the_message(slack, mock):
    message_action(slack, "rigorous <!channel> <@U0EVIL001|boss> <https://evil.example|x>")
    shown = texts_of(mock.wait_for("respond")[0])
    assert "<!channel>" not in shown and "<@U0EVIL001" not in shown and "<https://evil" not in shown


def test_start_a_draft_shortcut_opens_the_template_picker(slack, mock, toolkit):
    slack.interactive({"type": "shortcut", "callback_id": "start_draft",
                       "trigger_id": slack.mock.trigger(),
                       "user": {"id": USER, "team_id": TEAM_ID}})
    call = mock.wait_for("views.open")[0]
    assert call.response["ok"], call.response
    options = call.params["view"]["blocks"][0]["element"]["options"]
    assert {o["value"] for o in options} == set(toolkit.templates)


def test_picking_a_template_opens_its_form(slack, mock):
    from bot.slack.listeners.shortcuts import template_picker

    view = template_picker(slack.services)
    response = slack.view_submission(view, {"template": {"v": {
        "type": "static_select", "selected_option": {"value": "email"}}}})
    assert response.status_code == 200
    answer = response.json()
    assert answer["response_action"] == "update"
    assert answer["view"]["callback_id"] == "draft_modal"
    assert json.loads(answer["view"]["private_metadata"])["t"] == "email"


def test_every_button_and_menu_the_bot_shows_has_a_listener(slack, mock, toolkit):
    """Collect the action ids of everything the bot draws; each must be taken by a
    listener (an action nobody takes is acknowledged, but does nothing)."""
    from bot.slack import blocks as bk
    from bot.slack import forms
    from bot.slack.drafts import describe
    from bot.slack.listeners.home import browse_messages_view, browse_myths_view, home_view

    svc = slack.services
    answer = svc.faq.answer("what is mastery-based learning?")
    drawn = [
        *bk.answer_blocks(answer, question="q"),
        *bk.check_blocks(svc.checker.check("rigorous"), recheck_key="k",
                         audience_choices=bk.audience_options(toolkit))[0],
        *home_view(svc, f"slack:{TEAM_ID}:{USER}")["blocks"],
        *browse_myths_view(svc)["blocks"],
        *browse_messages_view(svc)["blocks"],
    ]
    for template_id in toolkit.templates:
        drawn += forms.build_view(describe(svc, template_id), forms.Meta(t=template_id),
                                  {})["blocks"]
    action_ids = set()
    for block in drawn:
        elements = block.get("elements", []) if block["type"] == "actions" else []
        if "accessory" in block:
            elements = [block["accessory"]]
        action_ids |= {e["action_id"] for e in elements if "action_id" in e}
    assert {"faq_full", "faq_share", "draft_add", "check_audience", "home_myths"} <= action_ids
    import asyncio

    from slack_bolt.request.async_request import AsyncBoltRequest

    app = slack.bolt
    for action_id in sorted(action_ids):
        body = {"type": "block_actions", "actions": [{"action_id": action_id, "block_id": "b"}],
                "user": {"id": USER}, "team": {"id": TEAM_ID}}
        request = AsyncBoltRequest(body=body, mode="socket_mode")
        taken = [listener for listener in app._async_listeners
                 if asyncio.run(listener.async_matches(req=request, resp=None))]
        assert taken, f"no listener takes {action_id}"


def test_interactions_no_listener_takes_are_acknowledged(slack, mock):
    """Slack shows the person an error unless it gets a 200: a closed modal, a button
    on a message an older version sent."""
    closed = slack.interactive({
        "type": "view_closed", "user": {"id": USER, "team_id": TEAM_ID},
        "view": {"id": "V0CLOSED01", "type": "modal", "callback_id": "draft_modal",
                 "private_metadata": "{}", "state": {"values": {}}},
        "is_cleared": False})
    assert closed.status_code == 200 and closed.text == ""
    old = slack.block_action({"action_id": "retired_button_v1", "value": "x"})
    assert old.status_code == 200 and old.text == ""
    unknown_view = slack.interactive({
        "type": "view_submission", "user": {"id": USER, "team_id": TEAM_ID},
        "view": {"id": "V0OLD00001", "type": "modal", "callback_id": "retired_form",
                 "state": {"values": {}}}})
    assert unknown_view.status_code == 200
    mock.settle(quiet=0.3)
    assert mock.calls == []
