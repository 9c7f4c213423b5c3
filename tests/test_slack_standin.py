"""The Slack stand-in is as strict as Slack: payloads built the way Slack's Block Kit
reference documents them pass, and each documented limit is enforced exactly (at the
limit: taken; one past it: refused, with Slack's error).

The examples are written here in a minimal form of our own, following the structure
the reference pages document for each block, element and view (not copied from them).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests import mock_slack as ms


# ------------------------------------------------------------------ builders
def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def md(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def option(text: str = "One", value: str = "one") -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def button(text: str = "Go", action_id: str = "go", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": plain(text), "action_id": action_id, **extra}


def section(text: str = "Hello", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": md(text), **extra}


def text_input(block_id: str = "name", **element: Any) -> dict[str, Any]:
    return {"type": "input", "block_id": block_id, "label": plain("Name"),
            "element": {"type": "plain_text_input", "action_id": "v", **element}}


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": plain("A form"), "submit": plain("Save"),
            "close": plain("Cancel"), "blocks": blocks, **extra}


def message_error(blocks: list[dict[str, Any]], text: str = "fallback") -> str | None:
    return ms.message_problems({"text": text, "blocks": blocks})[0]


def view_error(view: dict[str, Any]) -> str | None:
    return ms.view_problems(view)[0]


# ------------------------------------------------- documented shapes are taken
DOCUMENTED_MESSAGES: dict[str, list[dict[str, Any]]] = {
    "section, divider, section with fields": [
        section("A message *with some bold text* and _some italicized text_."),
        {"type": "divider"},
        {"type": "section", "fields": [md("*Type:*\nPaid time off"), md("*When:*\nMay 1-4")]},
    ],
    "header and context": [
        {"type": "header", "text": plain("Budget performance"), "block_id": "head"},
        {"type": "context", "elements": [
            {"type": "image", "image_url": "https://example.org/icon.png", "alt_text": "icon"},
            md("Last updated *today*"), plain("by the team")]},
    ],
    "section with a button accessory": [
        section("Make a choice", accessory=button("Click me", "click", value="v1",
                                                   style="primary")),
    ],
    "section with a select accessory and a chosen option": [
        section("Pick one", accessory={
            "type": "static_select", "action_id": "pick", "placeholder": plain("Choose"),
            "options": [option("One", "1"), option("Two", "2")],
            "initial_option": option("Two", "2")}),
    ],
    "actions: buttons, a link button, an overflow menu, a date picker": [
        {"type": "actions", "block_id": "acts", "elements": [
            button("Approve", "approve", style="primary", value="yes"),
            button("Docs", "docs", url="https://example.org/docs"),
            {"type": "overflow", "action_id": "more", "options": [
                option("Edit", "edit"), {**option("Help", "help"),
                                         "url": "https://example.org/help"}]},
            {"type": "datepicker", "action_id": "day", "initial_date": "2026-09-01",
             "placeholder": plain("Pick a day")},
        ]},
    ],
    "a select with option groups": [
        {"type": "actions", "elements": [{
            "type": "static_select", "action_id": "grouped", "placeholder": plain("Pick"),
            "option_groups": [{"label": plain("Group A"), "options": [option("A1", "a1")]},
                              {"label": plain("Group B"), "options": [option("B1", "b1")]}],
        }]},
    ],
    "image block": [
        {"type": "image", "image_url": "https://example.org/cat.png", "alt_text": "a cat",
         "title": plain("A cat")},
    ],
    "verbatim mrkdwn and emoji plain text": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "@here is literal",
                                     "verbatim": True}},
        {"type": "header", "text": {"type": "plain_text", "text": "Hi :wave:", "emoji": True}},
    ],
}


@pytest.mark.parametrize("name", sorted(DOCUMENTED_MESSAGES))
def test_documented_message_shapes_are_taken(name: str) -> None:
    assert ms.message_problems({"text": "fallback", "blocks": DOCUMENTED_MESSAGES[name]}) \
        == (None, [])


def test_a_documented_modal_with_every_input_element_is_taken() -> None:
    inputs = [
        text_input("short", placeholder=plain("Your name"), max_length=40, min_length=2,
                   initial_value="Ana"),
        text_input("long", multiline=True),
        {"type": "input", "block_id": "mail", "label": plain("Email"),
         "element": {"type": "email_text_input", "action_id": "v",
                     "initial_value": "ana@example.org"}},
        {"type": "input", "block_id": "site", "label": plain("Site"), "optional": True,
         "element": {"type": "url_text_input", "action_id": "v"}},
        {"type": "input", "block_id": "count", "label": plain("Students"),
         "hint": plain("Whole students only"),
         "element": {"type": "number_input", "action_id": "v", "is_decimal_allowed": False,
                     "min_value": "0", "max_value": "5000", "initial_value": "410"}},
        {"type": "input", "block_id": "ratio", "label": plain("Ratio"),
         "element": {"type": "number_input", "action_id": "v", "is_decimal_allowed": True,
                     "initial_value": "0.25"}},
        {"type": "input", "block_id": "day", "label": plain("Day"),
         "element": {"type": "datepicker", "action_id": "v", "initial_date": "2026-02-28"}},
        {"type": "input", "block_id": "time", "label": plain("Time"),
         "element": {"type": "timepicker", "action_id": "v", "initial_time": "13:30"}},
        {"type": "input", "block_id": "one", "label": plain("One"),
         "element": {"type": "static_select", "action_id": "v",
                     "options": [option("A", "a"), option("B", "b")]}},
        {"type": "input", "block_id": "many", "label": plain("Many"),
         "element": {"type": "multi_static_select", "action_id": "v",
                     "options": [option("A", "a"), option("B", "b")],
                     "initial_options": [option("B", "b")], "max_selected_items": 2}},
        {"type": "input", "block_id": "boxes", "label": plain("Boxes"),
         "element": {"type": "checkboxes", "action_id": "v",
                     "options": [{"text": md("*A*"), "value": "a"}]}},
        {"type": "input", "block_id": "radio", "label": plain("Radio"),
         "element": {"type": "radio_buttons", "action_id": "v",
                     "options": [option("A", "a"), option("B", "b")],
                     "initial_option": option("A", "a")}},
    ]
    view = modal([section("Fill this in"), *inputs], callback_id="form",
                 private_metadata=json.dumps({"step": 1}), notify_on_close=True)
    assert ms.view_problems(view) == (None, [])


def test_a_documented_home_view_is_taken() -> None:
    home = {"type": "home", "callback_id": "home", "blocks": [
        {"type": "header", "text": plain("Welcome")},
        section("Your things", accessory=button("Open", "open")),
        {"type": "actions", "elements": [button("A", "a"), button("B", "b")]},
    ]}
    assert ms.view_problems(home) == (None, [])


SUBMITTED = modal([section("Intro", block_id="intro"), text_input("name"),
                   text_input("email")])


@pytest.mark.parametrize("answer", [
    None,
    {"response_action": "errors", "errors": {"name": "Required", "email": "Not an email"}},
    {"response_action": "update", "view": modal([text_input("next")])},
    {"response_action": "push", "view": modal([section("More")])},
    {"response_action": "clear"},
])
def test_documented_view_submission_answers_are_taken(answer: Any) -> None:
    assert ms.view_response_problems(answer, SUBMITTED) == []


@pytest.mark.parametrize("answer", [
    {"response_action": "errors", "errors": {"intro": "x"}},  # not an input block
    {"response_action": "errors", "errors": {"nowhere": "x"}},  # no such block
    {"response_action": "errors", "errors": {}},
    {"response_action": "update", "view": {"type": "home", "blocks": []}},
    {"response_action": "update", "view": modal([{"type": "nonsense"}])},
    {"response_action": "close"},
    {"response_action": "clear", "view": modal([])},
])
def test_wrong_view_submission_answers_are_refused(answer: Any) -> None:
    assert ms.view_response_problems(answer, SUBMITTED)


# -------------------------------------------- each limit: at it ok, past it no
def n_blocks(n: int) -> list[dict[str, Any]]:
    return [{"type": "divider"} for _ in range(n)]


def budget_blocks(n: int) -> list[dict[str, Any]]:
    """Blocks that count exactly ``n`` against the message budget."""
    blocks = [section("x" * 3000) for _ in range(3)]
    used = ms.block_text_length(blocks) + ms.BLOCK_CONTAINER_COST
    return [*blocks, section("y" * (n - used))]


def in_actions(element: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "actions", "elements": [element]}]


def select(options: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "static_select", "action_id": "s", "options": options, **extra}


def one_input(**element: Any) -> dict[str, Any]:
    return modal([text_input(**element)])


Case = tuple[str, Callable[[int], Any], int, str]
#: (what, build(n) -> ("message", blocks) | ("view", view), the limit, Slack's error)
LIMITS: list[Case] = [
    ("blocks per message", lambda n: ("message", n_blocks(n)), 50, "invalid_blocks"),
    ("blocks per modal", lambda n: ("view", modal(n_blocks(n))), 100, "invalid_arguments"),
    ("blocks per Home", lambda n: ("view", {"type": "home", "blocks": n_blocks(n)}), 100,
     "invalid_arguments"),
    ("section text", lambda n: ("message", [section("s" * n)]), 3000, "invalid_blocks"),
    ("section fields", lambda n: ("message", [{"type": "section",
                                                "fields": [md("f")] * n}]), 10,
     "invalid_blocks"),
    ("section field text", lambda n: ("message", [{"type": "section",
                                                    "fields": [md("f" * n)]}]), 2000,
     "invalid_blocks"),
    ("header text", lambda n: ("message", [{"type": "header", "text": plain("h" * n)}]), 150,
     "invalid_blocks"),
    ("button text", lambda n: ("message", in_actions(button("b" * n))), 75, "invalid_blocks"),
    ("button value", lambda n: ("message", in_actions(button(value="v" * n))), 2000,
     "invalid_blocks"),
    ("button url", lambda n: ("message", in_actions(button(url="https://x.org/" + "u" * (
        n - 14)))), 3000, "invalid_blocks"),
    ("option text", lambda n: ("message", in_actions(select([option("o" * n)]))), 75,
     "invalid_blocks"),
    ("option value", lambda n: ("message", in_actions(select([option(value="v" * n)]))), 150,
     "invalid_blocks"),
    ("options in a select", lambda n: ("message", in_actions(select(
        [option(str(i), str(i)) for i in range(n)]))), 100, "invalid_blocks"),
    ("placeholder", lambda n: ("message", in_actions(select(
        [option()], placeholder=plain("p" * n)))), 150, "invalid_blocks"),
    ("context elements", lambda n: ("message", [{"type": "context",
                                                  "elements": [md("c")] * n}]), 10,
     "invalid_blocks"),
    ("actions elements", lambda n: ("message", [{"type": "actions", "elements": [
        button(action_id=f"a{i}") for i in range(n)]}]), 25, "invalid_blocks"),
    ("block_id", lambda n: ("message", [section(block_id="b" * n)]), 255, "invalid_blocks"),
    ("action_id", lambda n: ("message", in_actions(button(action_id="a" * n))), 255,
     "invalid_blocks"),
    ("modal title", lambda n: ("view", modal([], title=plain("t" * n))), 24,
     "invalid_arguments"),
    ("modal submit", lambda n: ("view", modal([], submit=plain("s" * n))), 24,
     "invalid_arguments"),
    ("modal close", lambda n: ("view", modal([], close=plain("c" * n))), 24,
     "invalid_arguments"),
    ("private_metadata", lambda n: ("view", modal([], private_metadata="m" * n)), 3000,
     "invalid_arguments"),
    ("callback_id", lambda n: ("view", modal([], callback_id="c" * n)), 255,
     "invalid_arguments"),
    ("input label", lambda n: ("view", modal([{**text_input(), "label": plain("l" * n)}])),
     2000, "invalid_arguments"),
    ("input hint", lambda n: ("view", modal([{**text_input(), "hint": plain("h" * n)}])),
     2000, "invalid_arguments"),
    ("plain_text_input max_length", lambda n: ("view", one_input(max_length=n)), 3000,
     "invalid_arguments"),
    ("budget of block text per message", lambda n: ("message", budget_blocks(n)),
     ms.MESSAGE_BLOCK_TEXT_BUDGET, "msg_blocks_too_long"),
]


def answer_for(kind: str, payload: Any) -> str | None:
    return message_error(payload) if kind == "message" else view_error(payload)


@pytest.mark.parametrize(("what", "build", "limit", "error"), LIMITS,
                         ids=[case[0] for case in LIMITS])
def test_each_limit_is_enforced_exactly(what: str, build: Callable[[int], Any], limit: int,
                                        error: str) -> None:
    assert answer_for(*build(limit)) is None, f"{what}: {limit} must be taken"
    assert answer_for(*build(limit + 1)) == error, f"{what}: {limit + 1} must be refused"


REFUSED: dict[str, tuple[str, Any]] = {
    "an element type that does not exist (number_text_input)": ("view", modal([{
        "type": "input", "block_id": "n", "label": plain("N"),
        "element": {"type": "number_text_input", "action_id": "v"}}])),
    "number_input without is_decimal_allowed": ("view", modal([{
        "type": "input", "block_id": "n", "label": plain("N"),
        "element": {"type": "number_input", "action_id": "v"}}])),
    "number_input with a number, not a string": ("view", modal([{
        "type": "input", "block_id": "n", "label": plain("N"),
        "element": {"type": "number_input", "action_id": "v", "is_decimal_allowed": False,
                    "min_value": 1}}])),
    "a decimal in a whole-number input": ("view", modal([{
        "type": "input", "block_id": "n", "label": plain("N"),
        "element": {"type": "number_input", "action_id": "v", "is_decimal_allowed": False,
                    "initial_value": "2.5"}}])),
    "an initial value below min_value": ("view", modal([{
        "type": "input", "block_id": "n", "label": plain("N"),
        "element": {"type": "number_input", "action_id": "v", "is_decimal_allowed": True,
                    "min_value": "1", "initial_value": "0"}}])),
    "a block type that does not exist": ("message", [{"type": "paragraph", "text": md("x")}]),
    "a file block in a modal": ("view", modal([{"type": "file", "external_id": "x",
                                                "source": "remote"}])),
    "a mrkdwn header": ("message", [{"type": "header", "text": md("*h*")}]),
    "a mrkdwn button label": ("message", in_actions({**button(), "text": md("b")})),
    "emoji on mrkdwn": ("message", [section() | {"text": {**md("x"), "emoji": True}}]),
    "verbatim on plain_text": ("message", [{"type": "header",
                                            "text": {**plain("x"), "verbatim": True}}]),
    "an empty text": ("message", [section("")]),
    "an unknown property on a block": ("message", [section(colour="red")]),
    "a section without text or fields": ("message", [{"type": "section"}]),
    "a plain-text input in an actions block": ("message", in_actions(
        {"type": "plain_text_input", "action_id": "v"})),
    "a button as an input element": ("view", modal([{
        "type": "input", "block_id": "b", "label": plain("B"), "element": button()}])),
    "the same block_id twice": ("message", [section(block_id="x"), section(block_id="x")]),
    "the same action_id twice in a block": ("message", [{"type": "actions", "elements": [
        button(action_id="x"), button(action_id="x")]}]),
    "an initial option that is not an option": ("message", in_actions(select(
        [option("A", "a")], initial_option=option("B", "b")))),
    "an impossible initial date": ("message", in_actions(
        {"type": "datepicker", "action_id": "d", "initial_date": "2026-02-30"})),
    "a modal with inputs and no submit": ("view", {
        "type": "modal", "title": plain("T"), "blocks": [text_input()]}),
    "a modal without a title": ("view", {"type": "modal", "blocks": []}),
    "a view of an unknown type": ("view", {"type": "page", "blocks": []}),
    "an initial value longer than max_length": ("view", one_input(max_length=5,
                                                                  initial_value="toolong")),
    "a button style that does not exist": ("message", in_actions(button(style="green"))),
}


@pytest.mark.parametrize("what", sorted(REFUSED))
def test_what_slack_refuses_is_refused(what: str) -> None:
    assert answer_for(*REFUSED[what]) in ("invalid_blocks", "invalid_arguments"), what


def test_a_message_needs_text_or_blocks_and_text_has_a_limit() -> None:
    assert ms.message_problems({"blocks": []})[0] == "no_text"
    assert ms.message_problems({"text": "t" * ms.MAX_MESSAGE_TEXT})[0] is None
    assert ms.message_problems({"text": "t" * (ms.MAX_MESSAGE_TEXT + 1)})[0] == "msg_too_long"


# ------------------------------------------------------ over HTTP, like Slack
@pytest.fixture()
def standin() -> Iterator[ms.MockSlack]:
    mock = ms.MockSlack().start()
    try:
        yield mock
    finally:
        mock.stop()


def api(mock: ms.MockSlack, method: str, **params: Any) -> dict[str, Any]:
    response = httpx.post(mock.api_url + method, json=params,
                          headers={"Authorization": "Bearer xoxb-test"})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_web_api_answers_like_slack(standin: ms.MockSlack) -> None:
    ok = api(standin, "chat.postMessage", channel="C1", text="hi", blocks=[section()])
    assert ok["ok"] and ok["ts"]
    bad = api(standin, "chat.postMessage", channel="C1", text="hi",
              blocks=[section("s" * 3001)])
    assert bad["error"] == "invalid_blocks"
    assert bad["errors"] == ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]
    long = api(standin, "chat.postMessage", channel="C1", text="hi", blocks=budget_blocks(12_001))
    assert long["error"] == "msg_blocks_too_long"
    view = api(standin, "views.open", trigger_id=standin.trigger(), view=modal([{
        "type": "input", "block_id": "n", "label": plain("N"),
        "element": {"type": "number_text_input", "action_id": "v"}}]))
    assert view["error"] == "invalid_arguments"
    assert any("number_text_input" in m for m in view["response_metadata"]["messages"])
    assert [c.method for c in standin.refused()] == ["chat.postMessage", "chat.postMessage",
                                                     "views.open"]


def test_a_trigger_opens_one_view_within_three_seconds(standin: ms.MockSlack) -> None:
    view = modal([section()])
    trigger = standin.trigger()
    assert api(standin, "views.open", trigger_id=trigger, view=view)["ok"]
    assert api(standin, "views.open", trigger_id=trigger, view=view)["error"] \
        == "exchanged_trigger_id"
    assert api(standin, "views.open", trigger_id="12345.98765.made-up", view=view)["error"] \
        == "invalid_trigger_id"
    standin.trigger_seconds = 0.2
    late = standin.trigger()
    time.sleep(0.3)
    assert api(standin, "views.open", trigger_id=late, view=view)["error"] \
        == "expired_trigger_id"
    assert ms.TRIGGER_SECONDS == 3.0


def test_a_response_url_takes_five_posts(standin: ms.MockSlack) -> None:
    url = standin.response_url()
    answers = [httpx.post(url, json={"text": f"reply {i}"}) for i in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [404]
    assert answers[-1].text == "used_url"
    refused = httpx.post(standin.response_url(), json={"text": "x", "blocks": n_blocks(51)})
    assert refused.status_code == 400 and refused.text == "invalid_blocks"


def test_the_file_upload_flow_is_checked(standin: ms.MockSlack) -> None:
    got = api(standin, "files.getUploadURLExternal", filename="report.txt", length=5)
    assert httpx.post(got["upload_url"], content=b"hello").status_code == 200
    done = api(standin, "files.completeUploadExternal",
               files=[{"id": got["file_id"], "title": "Report"}], channel_id="D1")
    assert done["ok"] and done["files"][0]["title"] == "Report"
    short = api(standin, "files.getUploadURLExternal", filename="report.txt", length=50)
    httpx.post(short["upload_url"], content=b"hello")
    assert api(standin, "files.completeUploadExternal",
               files=[{"id": short["file_id"]}])["error"] == "file_upload_size_mismatch"
    never = api(standin, "files.getUploadURLExternal", filename="x.txt", length=3)
    assert api(standin, "files.completeUploadExternal",
               files=[{"id": never["file_id"]}])["error"] == "file_not_found"
    assert api(standin, "files.getUploadURLExternal", filename="x.txt")["error"] \
        == "invalid_arguments"
