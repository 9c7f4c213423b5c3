"""Every template's form opens and completes against the strict Slack stand-in.

For each template in ``toolkit/content/templates``: ``/mastery draft <id>`` opens the
modal (``views.open``, with a fresh trigger, checked against Slack's Block Kit rules),
"Add another" grows each repeating group to the size of the template's own example,
each step is filled with the template's example values and submitted (the ack's
``response_action`` is checked like Slack checks it), and the finished draft is
delivered: the DM, the Word file through Slack's upload flow, and the Home tab.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest

from tests.mock_slack import TEAM_ID, MockSlack
from tests.slack_support import USER, SlackHarness, texts_of

TEMPLATE_FILES = sorted(p.name.removesuffix(".yaml")
                        for p in files("toolkit").joinpath("content", "templates").iterdir()
                        if p.name.endswith(".yaml"))


def test_every_template_file_is_covered(toolkit: Any) -> None:
    assert set(TEMPLATE_FILES) == set(toolkit.templates)


def field_at(described: dict[str, Any], block_id: str) -> tuple[dict[str, Any], Any] | None:
    """The field a block shows and the template's example value for it."""
    parts = block_id.split(":")
    fields = {f["name"]: f for f in described["fields"]}
    if parts[0] != "f" or parts[1] not in fields:
        return None
    field = fields[parts[1]]
    if len(parts) == 2:
        return field, field.get("example")
    index, sub_name = int(parts[2]), parts[3]
    sub = {s["name"]: s for s in field["fields"]}[sub_name]
    items = field.get("example") or []
    item = items[index] if index < len(items) else {}
    return sub, item.get(sub_name)


def state_for(element: dict[str, Any], example: Any) -> dict[str, Any]:
    """What Slack sends back for ``element`` when the person entered ``example``."""
    kind = element["type"]
    if kind == "datepicker":
        return {"type": kind, "selected_date": str(example) if example else None}
    if kind == "static_select":
        chosen = [o for o in element["options"] if o["value"] == example]
        return {"type": kind, "selected_option": chosen[0] if chosen else None}
    if kind == "multi_static_select":
        wanted = example if isinstance(example, list) else []
        return {"type": kind,
                "selected_options": [o for o in element["options"] if o["value"] in wanted]}
    if isinstance(example, list):
        example = "\n".join(str(x) for x in example)
    return {"type": kind, "value": None if example is None else str(example)}


def grow_groups(slack: SlackHarness, mock: MockSlack, described: dict[str, Any],
                view: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Press "Add another" until each group shows as many items as the example has."""
    presses = 0
    while True:
        adds = [b for b in view["blocks"] if str(b.get("block_id", "")).startswith("add:")]
        wanted = None
        for block in adds:
            name = block["block_id"].removeprefix("add:")
            field = next(f for f in described["fields"] if f["name"] == name)
            shown = {b["block_id"].split(":")[2] for b in view["blocks"]
                     if str(b.get("block_id", "")).startswith(f"f:{name}:")}
            if len(shown) < len(field.get("example") or []):
                wanted = block
                break
        if wanted is None:
            return view, presses
        before = len(mock.of("views.update"))
        live = {**view, "id": "V0FORM0001", "hash": f"h-{presses}", "state": {"values": {}}}
        slack.block_action({"action_id": "draft_add", "block_id": wanted["block_id"],
                            "value": wanted["elements"][0]["value"]}, view=live)
        update = mock.wait_for("views.update", count=before + 1)[before]
        assert update.response["ok"], update.response
        view = update.params["view"]
        presses += 1


@pytest.mark.parametrize("template_id", TEMPLATE_FILES)
def test_the_form_opens_and_completes(template_id: str, slack: SlackHarness,
                                      mock: MockSlack) -> None:
    from bot.slack.drafts import describe

    described = describe(slack.services, template_id)
    slack.command(f"draft {template_id}")
    opened = mock.wait_for("views.open")[0]
    assert opened.response["ok"], opened.response
    view = opened.params["view"]
    steps = presses = 0
    for _ in range(30):
        steps += 1
        view, pressed = grow_groups(slack, mock, described, view)
        presses += pressed
        values: dict[str, Any] = {}
        for block in view["blocks"]:
            if block["type"] != "input":
                continue
            found = field_at(described, block["block_id"])
            example = found[1] if found else None
            if block["block_id"] == "meta:profile":
                example = block["element"]["options"][0]["value"]
            values[block["block_id"]] = {"v": state_for(block["element"], example)}
        response = slack.view_submission(view, values)
        assert response.status_code == 200
        answer = response.json()
        assert answer.get("response_action") != "errors", answer
        if answer == {"response_action": "clear"}:
            break
        assert answer["response_action"] == "update", answer
        view = answer["view"]
    else:
        pytest.fail("the form never finished")
    posted = mock.wait_for("chat.postMessage", timeout=20)[0]
    assert posted.response["ok"], posted.response
    shown = texts_of(posted)
    assert "is saved as a draft (100% complete)" in shown, shown
    assert "Still to do" not in shown, shown
    upload = mock.wait_for("files.completeUploadExternal", timeout=20)[0]
    assert upload.response["ok"], upload.response
    home = mock.wait_for("views.publish", timeout=20)[0]
    assert home.response["ok"], home.response
    draft = slack.store.list_drafts(f"slack:{TEAM_ID}:{USER}", template=template_id)[0]
    for field in described["fields"]:
        if field.get("required"):
            assert draft.data.get(field["name"]), field["name"]
    if len(described.get("sections") or []) > 1:
        assert steps > 1
    if any(f.get("fields") and len(f.get("example") or []) > 1 for f in described["fields"]):
        assert presses, "a repeating group was grown with 'Add another'"
