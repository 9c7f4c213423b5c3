"""A strict local stand-in for Slack's Web API, for tests.

It listens on a free loopback port, records every call (method, parameters,
headers) and answers the way Slack does: ``{"ok": true, ...}`` with plausible
fields. It also serves the two kinds of URL that Slack hands out:

* ``/upload/<file_id>`` — the upload URL returned by ``files.getUploadURLExternal``;
* ``/respond/<anything>`` — use it (from :meth:`MockSlack.response_url`) as a slash
  command's or action's ``response_url``.

**Strict like Slack.** Every payload the app sends is checked against Slack's
documented Block Kit rules (:func:`message_problems`, :func:`view_problems`,
:func:`view_response_problems` — the reference pages are named next to each rule):
block and element types that exist on the surface, the keys each of them takes,
text-object types, every documented length and count limit, unique block ids, and
the ~12,000-character budget of block text per message. A message that breaks a rule
is answered ``invalid_blocks`` (``msg_blocks_too_long`` for the budget) and a view
``invalid_arguments``, with Slack's ``[json-pointer:…]`` messages, as Slack does. A
``trigger_id`` (from :meth:`MockSlack.trigger`) opens one view, within 3 seconds; a
response URL takes at most 5 posts. A call refused by these rules is in
:meth:`MockSlack.failed`; the test fixtures fail any test that leaves one behind.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

BOT_USER_ID = "UBOT000001"
BOT_ID = "BBOT000001"
TEAM_ID = "T0MOCKTEAM"

# ====================================================================== rules
# Slack's published limits (docs.slack.dev/reference/block-kit/...; the surfaces'
# and methods' pages for the views and messages).
MAX_MESSAGE_BLOCKS = 50  # blocks: "maximum of 50 blocks in each message"
MAX_VIEW_BLOCKS = 100  # modal and Home views: up to 100 blocks
MAX_TEXT_OBJECT = 3000  # text object: 1-3000 characters
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_ACCESSIBILITY_LABEL = 75
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTION_DESCRIPTION = 75
MAX_SELECT_OPTIONS = 100
MAX_CHOICE_OPTIONS = 10  # checkboxes, radio buttons
MAX_OVERFLOW_OPTIONS = 5
MAX_PLACEHOLDER = 150
MAX_LABEL = 2000
MAX_HINT = 2000
MAX_INPUT_LENGTH = 3000  # plain_text_input max_length / min_length
MAX_ALT_TEXT = 2000
MAX_VIEW_TITLE = 24  # modal title, submit, close
MAX_PRIVATE_METADATA = 3000
MAX_ID = 255  # block_id, action_id, callback_id, external_id
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
MAX_MESSAGE_TEXT = 40000  # a message's top-level text
#: Slack refuses a message whose blocks carry more text than this
#: (``msg_blocks_too_long``): "12,000 text characters with a buffer for block
#: containers" (Slack's answer in slackapi/bolt-js#2509; not on a reference page).
MESSAGE_BLOCK_TEXT_BUDGET = 12_000
#: the "buffer for block containers": what each block costs besides its text
BLOCK_CONTAINER_COST = 20
MAX_VIEW_BYTES = 250_000  # views.*: view_too_large
TRIGGER_SECONDS = 3.0  # a trigger_id expires 3 seconds after it was issued
RESPONSE_URL_USES = 5  # a response_url takes up to 5 posts ...
RESPONSE_URL_SECONDS = 30 * 60  # ... within 30 minutes

MESSAGE, MODAL, HOME = "message", "modal", "home"
ALL_SURFACES = frozenset({MESSAGE, MODAL, HOME})

#: block types and where they may appear (reference/block-kit/blocks)
BLOCK_SURFACES: dict[str, frozenset[str]] = {
    "actions": ALL_SURFACES, "context": ALL_SURFACES, "divider": ALL_SURFACES,
    "header": ALL_SURFACES, "image": ALL_SURFACES, "input": ALL_SURFACES,
    "rich_text": ALL_SURFACES, "section": ALL_SURFACES, "video": ALL_SURFACES,
    "file": frozenset({MESSAGE}), "markdown": frozenset({MESSAGE}),
}
_SELECTS = {"static_select", "external_select", "users_select", "conversations_select",
            "channels_select"}
_MULTI_SELECTS = {"multi_" + s for s in _SELECTS}
#: the interactive elements each block takes (the "Compatible blocks" of each element)
SECTION_ACCESSORIES = frozenset({"button", "checkboxes", "datepicker", "image", "overflow",
                                 "radio_buttons", "timepicker", "workflow_button",
                                 *_SELECTS, *_MULTI_SELECTS})
ACTIONS_ELEMENTS = frozenset({"button", "checkboxes", "datepicker", "datetimepicker", "overflow",
                              "radio_buttons", "timepicker", "workflow_button", "rich_text_input",
                              *_SELECTS, *_MULTI_SELECTS})
INPUT_ELEMENTS = frozenset({"checkboxes", "datepicker", "datetimepicker", "email_text_input",
                            "file_input", "number_input", "plain_text_input", "radio_buttons",
                            "rich_text_input", "timepicker", "url_text_input",
                            *_SELECTS, *_MULTI_SELECTS})

_BLOCK_KEYS: dict[str, set[str]] = {
    "section": {"text", "fields", "accessory", "expand"},
    "divider": set(),
    "header": {"text"},
    "context": {"elements"},
    "actions": {"elements"},
    "input": {"label", "element", "dispatch_action", "hint", "optional"},
    "image": {"alt_text", "image_url", "slack_file", "title"},
    "rich_text": {"elements"},
    "markdown": {"text"},
    "file": {"external_id", "source"},
}
_COMMON_INPUT = {"action_id", "focus_on_load", "placeholder"}
_ELEMENT_KEYS: dict[str, set[str]] = {
    "button": {"text", "action_id", "url", "value", "style", "confirm", "accessibility_label"},
    "static_select": {*_COMMON_INPUT, "options", "option_groups", "initial_option", "confirm"},
    "multi_static_select": {*_COMMON_INPUT, "options", "option_groups", "initial_options",
                            "confirm", "max_selected_items"},
    "overflow": {"action_id", "options", "confirm"},
    "checkboxes": {"action_id", "options", "initial_options", "confirm", "focus_on_load"},
    "radio_buttons": {"action_id", "options", "initial_option", "confirm", "focus_on_load"},
    "datepicker": {*_COMMON_INPUT, "initial_date", "confirm"},
    "timepicker": {*_COMMON_INPUT, "initial_time", "confirm", "timezone"},
    "datetimepicker": {"action_id", "initial_date_time", "confirm", "focus_on_load"},
    "plain_text_input": {*_COMMON_INPUT, "initial_value", "multiline", "min_length",
                         "max_length", "dispatch_action_config"},
    "email_text_input": {*_COMMON_INPUT, "initial_value", "dispatch_action_config"},
    "url_text_input": {*_COMMON_INPUT, "initial_value", "dispatch_action_config"},
    "number_input": {*_COMMON_INPUT, "is_decimal_allowed", "initial_value", "min_value",
                     "max_value", "dispatch_action_config"},
    "image": {"alt_text", "image_url", "slack_file"},
}
_TEXT_KEYS = {"type", "text", "emoji", "verbatim"}
_MODAL_KEYS = {"type", "title", "blocks", "close", "submit", "private_metadata", "callback_id",
               "clear_on_close", "notify_on_close", "external_id", "submit_disabled"}
_HOME_KEYS = {"type", "blocks", "private_metadata", "callback_id", "external_id"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_INTEGER = re.compile(r"^-?\d+$")


class _Checker:
    """Collects Slack-style problems: ``message [json-pointer:/path]``."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, ptr: str, message: str) -> None:
        self.problems.append(f"{message} [json-pointer:{ptr}]")

    def keys(self, obj: dict[str, Any], allowed: Iterable[str], ptr: str) -> None:
        for key in sorted(set(obj) - set(allowed)):
            self.fail(f"{ptr}/{key}", "unexpected property")

    def string(self, value: Any, ptr: str, limit: int, *, minimum: int = 1) -> bool:
        if not isinstance(value, str):
            self.fail(ptr, "must be a string")
            return False
        if len(value) < minimum:
            self.fail(ptr, f"must be at least {minimum} character(s)")
            return False
        if len(value) > limit:
            self.fail(ptr, f"must be less than {limit + 1} characters")
            return False
        return True

    def boolean(self, obj: dict[str, Any], key: str, ptr: str) -> None:
        if key in obj and not isinstance(obj[key], bool):
            self.fail(f"{ptr}/{key}", "must be a boolean")

    # ------------------------------------------------------ composition objects
    def text(self, obj: Any, ptr: str, limit: int = MAX_TEXT_OBJECT, *,
             plain_only: bool = False) -> None:
        """Text object (reference/block-kit/composition-objects/text-object)."""
        if not isinstance(obj, dict):
            self.fail(ptr, "must provide an object")
            return
        self.keys(obj, _TEXT_KEYS, ptr)
        kind = obj.get("type")
        if kind not in ("plain_text", "mrkdwn"):
            self.fail(f"{ptr}/type", "must be one of plain_text, mrkdwn")
        elif plain_only and kind != "plain_text":
            self.fail(f"{ptr}/type", "must be plain_text")
        self.string(obj.get("text"), f"{ptr}/text", limit)
        if "emoji" in obj and kind != "plain_text":
            self.fail(f"{ptr}/emoji", "emoji is only usable when type is plain_text")
        if "verbatim" in obj and kind != "mrkdwn":
            self.fail(f"{ptr}/verbatim", "verbatim is only usable when type is mrkdwn")
        self.boolean(obj, "emoji", ptr)
        self.boolean(obj, "verbatim", ptr)

    def option(self, obj: Any, ptr: str, *, plain_only: bool = True, url: bool = False) -> None:
        """Option object: text 75, value 150, description 75, url 3000 (overflow only)."""
        if not isinstance(obj, dict):
            self.fail(ptr, "must provide an object")
            return
        self.keys(obj, {"text", "value", "description", *({"url"} if url else ())}, ptr)
        self.text(obj.get("text"), f"{ptr}/text", MAX_OPTION_TEXT, plain_only=plain_only)
        self.string(obj.get("value"), f"{ptr}/value", MAX_OPTION_VALUE)
        if "description" in obj:
            self.text(obj["description"], f"{ptr}/description", MAX_OPTION_DESCRIPTION,
                      plain_only=plain_only)
        if "url" in obj:
            self.string(obj["url"], f"{ptr}/url", MAX_URL)

    def options(self, el: dict[str, Any], ptr: str, *, most: int, least: int = 1,
                plain_only: bool = True, url: bool = False, groups: bool = False) -> list[Any]:
        """The options (or option groups) of an element; returns every option."""
        found: list[Any] = []
        if groups and "option_groups" in el:
            if "options" in el:
                self.fail(ptr, "give options or option_groups, not both")
            grouped = el["option_groups"]
            if not isinstance(grouped, list) or not 1 <= len(grouped) <= MAX_SELECT_OPTIONS:
                self.fail(f"{ptr}/option_groups", f"must hold 1 to {MAX_SELECT_OPTIONS} groups")
                return found
            for g, group in enumerate(grouped):
                gptr = f"{ptr}/option_groups/{g}"
                if not isinstance(group, dict):
                    self.fail(gptr, "must provide an object")
                    continue
                self.keys(group, {"label", "options"}, gptr)
                self.text(group.get("label"), f"{gptr}/label", MAX_OPTION_TEXT, plain_only=True)
                opts = group.get("options")
                if not isinstance(opts, list) or not 1 <= len(opts) <= MAX_SELECT_OPTIONS:
                    self.fail(f"{gptr}/options", f"must hold 1 to {MAX_SELECT_OPTIONS} items")
                    continue
                for o, opt in enumerate(opts):
                    self.option(opt, f"{gptr}/options/{o}")
                    found.append(opt)
            return found
        opts = el.get("options")
        if not isinstance(opts, list) or not least <= len(opts) <= most:
            count = len(opts) if isinstance(opts, list) else "no"
            self.fail(f"{ptr}/options", f"must hold {least} to {most} items; it has {count}")
            return found
        for o, opt in enumerate(opts):
            self.option(opt, f"{ptr}/options/{o}", plain_only=plain_only, url=url)
            found.append(opt)
        return found

    def confirm(self, obj: Any, ptr: str) -> None:
        if not isinstance(obj, dict):
            self.fail(ptr, "must provide an object")
            return
        self.keys(obj, {"title", "text", "confirm", "deny", "style"}, ptr)
        self.text(obj.get("title"), f"{ptr}/title", MAX_CONFIRM_TITLE, plain_only=True)
        self.text(obj.get("text"), f"{ptr}/text", MAX_CONFIRM_TEXT)
        self.text(obj.get("confirm"), f"{ptr}/confirm", MAX_CONFIRM_BUTTON, plain_only=True)
        self.text(obj.get("deny"), f"{ptr}/deny", MAX_CONFIRM_BUTTON, plain_only=True)

    # ----------------------------------------------------------------- elements
    def element(self, el: Any, ptr: str, allowed: frozenset[str]) -> str | None:
        """One block element; returns its action_id (for the uniqueness check)."""
        if not isinstance(el, dict):
            self.fail(ptr, "must provide an object")
            return None
        kind = el.get("type")
        if kind not in allowed:
            self.fail(f"{ptr}/type", f"'{kind}' is not a valid element type here")
            return None
        if kind in _ELEMENT_KEYS:
            self.keys(el, {"type", *_ELEMENT_KEYS[kind]}, ptr)
        action_id = el.get("action_id")
        if action_id is not None:
            self.string(action_id, f"{ptr}/action_id", MAX_ID)
        if "placeholder" in el:
            self.text(el["placeholder"], f"{ptr}/placeholder", MAX_PLACEHOLDER, plain_only=True)
        if "confirm" in el:
            self.confirm(el["confirm"], f"{ptr}/confirm")
        self.boolean(el, "focus_on_load", ptr)
        check: Callable[[dict[str, Any], str], None] | None = getattr(
            self, f"_el_{kind}", None)
        if check is not None:
            check(el, ptr)
        return action_id if isinstance(action_id, str) else None

    def _el_button(self, el: dict[str, Any], ptr: str) -> None:
        """Button element: text 75 (plain_text), value 2000, url 3000, style."""
        self.text(el.get("text"), f"{ptr}/text", MAX_BUTTON_TEXT, plain_only=True)
        if "value" in el:
            self.string(el["value"], f"{ptr}/value", MAX_BUTTON_VALUE)
        if "url" in el:
            self.string(el["url"], f"{ptr}/url", MAX_URL)
        if "style" in el and el["style"] not in ("primary", "danger"):
            self.fail(f"{ptr}/style", "must be primary or danger")
        if "accessibility_label" in el:
            self.string(el["accessibility_label"], f"{ptr}/accessibility_label",
                        MAX_ACCESSIBILITY_LABEL)

    def _initial_among(self, chosen: Any, options: list[Any], ptr: str) -> None:
        if chosen not in options:
            self.fail(ptr, "must exactly match one of the options")

    def _el_static_select(self, el: dict[str, Any], ptr: str) -> None:
        """Select menu of static options: 1-100 options or option groups."""
        options = self.options(el, ptr, most=MAX_SELECT_OPTIONS, groups=True)
        if "initial_option" in el:
            self._initial_among(el["initial_option"], options, f"{ptr}/initial_option")

    def _el_multi_static_select(self, el: dict[str, Any], ptr: str) -> None:
        options = self.options(el, ptr, most=MAX_SELECT_OPTIONS, groups=True)
        initial = el.get("initial_options")
        if initial is not None:
            if not isinstance(initial, list) or not initial:
                self.fail(f"{ptr}/initial_options", "must be a non-empty array")
            else:
                for i, chosen in enumerate(initial):
                    self._initial_among(chosen, options, f"{ptr}/initial_options/{i}")
        most = el.get("max_selected_items")
        if most is not None and (not isinstance(most, int) or most < 1):
            self.fail(f"{ptr}/max_selected_items", "must be at least 1")

    def _el_overflow(self, el: dict[str, Any], ptr: str) -> None:
        self.options(el, ptr, most=MAX_OVERFLOW_OPTIONS, least=1, url=True)

    def _el_checkboxes(self, el: dict[str, Any], ptr: str) -> None:
        options = self.options(el, ptr, most=MAX_CHOICE_OPTIONS, plain_only=False)
        for i, chosen in enumerate(el.get("initial_options") or []):
            self._initial_among(chosen, options, f"{ptr}/initial_options/{i}")

    def _el_radio_buttons(self, el: dict[str, Any], ptr: str) -> None:
        options = self.options(el, ptr, most=MAX_CHOICE_OPTIONS, plain_only=False)
        if "initial_option" in el:
            self._initial_among(el["initial_option"], options, f"{ptr}/initial_option")

    def _el_datepicker(self, el: dict[str, Any], ptr: str) -> None:
        """Date picker: initial_date as YYYY-MM-DD, a real date."""
        if "initial_date" in el:
            value = el["initial_date"]
            ok = isinstance(value, str) and bool(_DATE.match(value))
            if ok:
                import datetime as dt

                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    ok = False
            if not ok:
                self.fail(f"{ptr}/initial_date", "must be a date in the format YYYY-MM-DD")

    def _el_plain_text_input(self, el: dict[str, Any], ptr: str) -> None:
        """Plain-text input: min_length 0-3000, max_length 1-3000, initial_value fits."""
        self.boolean(el, "multiline", ptr)
        low, high = el.get("min_length"), el.get("max_length")
        if low is not None and (not isinstance(low, int) or not 0 <= low <= MAX_INPUT_LENGTH):
            self.fail(f"{ptr}/min_length", f"must be between 0 and {MAX_INPUT_LENGTH}")
        if high is not None and (not isinstance(high, int) or not 1 <= high <= MAX_INPUT_LENGTH):
            self.fail(f"{ptr}/max_length", f"must be between 1 and {MAX_INPUT_LENGTH}")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.fail(f"{ptr}/min_length", "must not be greater than max_length")
        if "initial_value" in el:
            limit = high if isinstance(high, int) else MAX_INPUT_LENGTH
            self.string(el["initial_value"], f"{ptr}/initial_value", limit, minimum=0)

    def _el_email_text_input(self, el: dict[str, Any], ptr: str) -> None:
        value = el.get("initial_value")
        if value is not None and (not isinstance(value, str)
                                  or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value)):
            self.fail(f"{ptr}/initial_value", "must be a valid email address")

    def _el_url_text_input(self, el: dict[str, Any], ptr: str) -> None:
        value = el.get("initial_value")
        if value is not None and not (isinstance(value, str) and value.startswith("http")):
            self.fail(f"{ptr}/initial_value", "must be a valid URL")

    def _el_number_input(self, el: dict[str, Any], ptr: str) -> None:
        """Number input: is_decimal_allowed (required boolean); initial/min/max are
        strings holding numbers (whole numbers unless decimals are allowed);
        min <= initial <= max."""
        decimal = el.get("is_decimal_allowed")
        if not isinstance(decimal, bool):
            self.fail(f"{ptr}/is_decimal_allowed", "is required and must be a boolean")
            decimal = True
        numbers: dict[str, float] = {}
        for key in ("initial_value", "min_value", "max_value"):
            if key not in el:
                continue
            value = el[key]
            pattern = _NUMBER if decimal else _INTEGER
            if not isinstance(value, str) or not pattern.match(value):
                self.fail(f"{ptr}/{key}", "must be a string holding a "
                          + ("number" if decimal else "whole number"))
                continue
            numbers[key] = float(value)
        low, high = numbers.get("min_value"), numbers.get("max_value")
        if low is not None and high is not None and low > high:
            self.fail(f"{ptr}/min_value", "cannot be greater than max_value")
        start = numbers.get("initial_value")
        if start is not None and ((low is not None and start < low)
                                  or (high is not None and start > high)):
            self.fail(f"{ptr}/initial_value", "must be between min_value and max_value")

    def _el_image(self, el: dict[str, Any], ptr: str) -> None:
        self.string(el.get("alt_text"), f"{ptr}/alt_text", MAX_ALT_TEXT)
        if "image_url" not in el and "slack_file" not in el:
            self.fail(ptr, "needs image_url or slack_file")

    # ------------------------------------------------------------------- blocks
    def blocks(self, blocks: Any, ptr: str, surface: str) -> None:
        limit = MAX_MESSAGE_BLOCKS if surface == MESSAGE else MAX_VIEW_BLOCKS
        if not isinstance(blocks, list):
            self.fail(ptr, "must be an array")
            return
        if len(blocks) > limit:
            self.fail(ptr, f"no more than {limit} items allowed")
        seen: set[str] = set()
        for i, block in enumerate(blocks):
            self.block(block, f"{ptr}/{i}", surface, seen)

    def block(self, block: Any, ptr: str, surface: str, seen: set[str]) -> None:
        if not isinstance(block, dict):
            self.fail(ptr, "must provide an object")
            return
        kind = block.get("type")
        if kind not in BLOCK_SURFACES:
            self.fail(f"{ptr}/type", f"'{kind}' is not a valid block type")
            return
        if surface not in BLOCK_SURFACES[kind]:
            self.fail(f"{ptr}/type", f"'{kind}' blocks are not allowed in a {surface}")
        if kind in _BLOCK_KEYS:
            self.keys(block, {"type", "block_id", *_BLOCK_KEYS[kind]}, ptr)
        block_id = block.get("block_id")
        if block_id is not None and self.string(block_id, f"{ptr}/block_id", MAX_ID):
            if block_id in seen:
                self.fail(f"{ptr}/block_id", f"duplicate block_id '{block_id}'")
            seen.add(block_id)
        check = getattr(self, f"_block_{kind}", None)
        if check is not None:
            check(block, ptr)

    def _unique_actions(self, action_ids: list[str | None], ptr: str) -> None:
        named = [a for a in action_ids if a]
        for dup in sorted({a for a in named if named.count(a) > 1}):
            self.fail(ptr, f"duplicate action_id '{dup}' in one block")

    def _block_section(self, block: dict[str, Any], ptr: str) -> None:
        """Section block: text 1-3000, or up to 10 fields of 2000; an accessory."""
        if "text" not in block and "fields" not in block:
            self.fail(ptr, "a section needs text or fields")
        if "text" in block:
            self.text(block["text"], f"{ptr}/text", MAX_SECTION_TEXT)
        if "fields" in block:
            fields = block["fields"]
            if not isinstance(fields, list) or not 1 <= len(fields) <= MAX_SECTION_FIELDS:
                self.fail(f"{ptr}/fields", f"must hold 1 to {MAX_SECTION_FIELDS} items")
            else:
                for f, obj in enumerate(fields):
                    self.text(obj, f"{ptr}/fields/{f}", MAX_FIELD_TEXT)
        if "accessory" in block:
            self.element(block["accessory"], f"{ptr}/accessory", SECTION_ACCESSORIES)
        self.boolean(block, "expand", ptr)

    def _block_header(self, block: dict[str, Any], ptr: str) -> None:
        """Header block: plain_text, at most 150 characters."""
        self.text(block.get("text"), f"{ptr}/text", MAX_HEADER_TEXT, plain_only=True)

    def _block_context(self, block: dict[str, Any], ptr: str) -> None:
        """Context block: 1-10 image elements or text objects."""
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= MAX_CONTEXT_ELEMENTS:
            self.fail(f"{ptr}/elements", f"must hold 1 to {MAX_CONTEXT_ELEMENTS} items")
            return
        for e, el in enumerate(elements):
            if isinstance(el, dict) and el.get("type") == "image":
                self.element(el, f"{ptr}/elements/{e}", frozenset({"image"}))
            else:
                self.text(el, f"{ptr}/elements/{e}")

    def _block_actions(self, block: dict[str, Any], ptr: str) -> None:
        """Actions block: 1-25 interactive elements."""
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= MAX_ACTIONS_ELEMENTS:
            self.fail(f"{ptr}/elements", f"must hold 1 to {MAX_ACTIONS_ELEMENTS} items")
            return
        ids = [self.element(el, f"{ptr}/elements/{e}", ACTIONS_ELEMENTS)
               for e, el in enumerate(elements)]
        self._unique_actions(ids, f"{ptr}/elements")

    def _block_input(self, block: dict[str, Any], ptr: str) -> None:
        """Input block: label 2000 (plain_text), one input element, hint 2000."""
        self.text(block.get("label"), f"{ptr}/label", MAX_LABEL, plain_only=True)
        if "element" not in block:
            self.fail(f"{ptr}/element", "is required")
        else:
            self.element(block["element"], f"{ptr}/element", INPUT_ELEMENTS)
        if "hint" in block:
            self.text(block["hint"], f"{ptr}/hint", MAX_HINT, plain_only=True)
        self.boolean(block, "optional", ptr)
        self.boolean(block, "dispatch_action", ptr)

    def _block_image(self, block: dict[str, Any], ptr: str) -> None:
        self._el_image(block, ptr)
        if "title" in block:
            self.text(block["title"], f"{ptr}/title", MAX_ALT_TEXT, plain_only=True)

    def _block_markdown(self, block: dict[str, Any], ptr: str) -> None:
        self.string(block.get("text"), f"{ptr}/text", MESSAGE_BLOCK_TEXT_BUDGET)

    # -------------------------------------------------------------------- views
    def view(self, view: Any, ptr: str = "/view") -> None:
        """View object (reference/views): modal or home."""
        if not isinstance(view, dict):
            self.fail(ptr, "must provide an object")
            return
        kind = view.get("type")
        if kind == MODAL:
            self.keys(view, _MODAL_KEYS, ptr)
            self.text(view.get("title"), f"{ptr}/title", MAX_VIEW_TITLE, plain_only=True)
            for key in ("submit", "close"):
                if key in view:
                    self.text(view[key], f"{ptr}/{key}", MAX_VIEW_TITLE, plain_only=True)
            blocks = view.get("blocks")
            has_input = isinstance(blocks, list) and any(
                isinstance(b, dict) and b.get("type") == "input" for b in blocks)
            if has_input and "submit" not in view:
                self.fail(f"{ptr}/submit", "is required when the view has input blocks")
            for key in ("clear_on_close", "notify_on_close", "submit_disabled"):
                self.boolean(view, key, ptr)
        elif kind == HOME:
            self.keys(view, _HOME_KEYS, ptr)
        else:
            self.fail(f"{ptr}/type", "must be modal or home")
            return
        if "blocks" not in view:
            self.fail(f"{ptr}/blocks", "is required")
        else:
            self.blocks(view["blocks"], f"{ptr}/blocks", kind)
        if "private_metadata" in view:
            self.string(view["private_metadata"], f"{ptr}/private_metadata",
                        MAX_PRIVATE_METADATA, minimum=0)
        for key in ("callback_id", "external_id"):
            if key in view:
                self.string(view[key], f"{ptr}/{key}", MAX_ID, minimum=0)


# ------------------------------------------------------------ entry points
def block_text_length(blocks: Any) -> int:
    """What a message's blocks count against Slack's budget: the characters of every
    text (text objects, markdown blocks, rich-text runs) plus a small allowance per
    block for its container (:data:`BLOCK_CONTAINER_COST`)."""
    total = 0

    def walk(node: Any) -> None:
        nonlocal total
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    total += len(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return total + BLOCK_CONTAINER_COST * (len(blocks) if isinstance(blocks, list) else 0)


def message_problems(params: dict[str, Any]) -> tuple[str | None, list[str]]:
    """Slack's answer to a message (chat.postMessage/postEphemeral/update or a
    response_url post): ``(error, problems)``; ``(None, [])`` when Slack takes it."""
    text, blocks = params.get("text"), params.get("blocks")
    if blocks in (None, "", []) and not (isinstance(text, str) and text.strip()):
        return "no_text", ["a message needs text or blocks"]
    if text is not None and not isinstance(text, str):
        return "invalid_arguments", ["text must be a string"]
    if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        return "msg_too_long", [f"text is {len(text)} characters; the limit is "
                                f"{MAX_MESSAGE_TEXT}"]
    if blocks in (None, ""):
        return None, []
    check = _Checker()
    check.blocks(blocks, "/blocks", MESSAGE)
    if check.problems:
        return "invalid_blocks", check.problems
    used = block_text_length(blocks)
    if used > MESSAGE_BLOCK_TEXT_BUDGET:
        return "msg_blocks_too_long", [f"blocks carry {used} characters; the budget is "
                                       f"{MESSAGE_BLOCK_TEXT_BUDGET}"]
    return None, []


def view_problems(view: Any) -> tuple[str | None, list[str]]:
    """Slack's answer to a view sent to views.open/update/push/publish."""
    if isinstance(view, str):
        try:
            view = json.loads(view)
        except ValueError:
            return "invalid_arguments", ["view is not JSON"]
    if len(json.dumps(view)) > MAX_VIEW_BYTES:
        return "view_too_large", [f"the view is larger than {MAX_VIEW_BYTES} bytes"]
    check = _Checker()
    check.view(view)
    return ("invalid_arguments", check.problems) if check.problems else (None, [])


def view_response_problems(answer: Any, submitted: dict[str, Any]) -> list[str]:
    """What Slack would refuse in the app's answer to a ``view_submission``
    (reference/interaction-payloads/view-interactions-payload, "Responding to view
    submissions"): an empty body closes the view; ``response_action`` is ``errors``
    (keyed by the block ids of *input* blocks in the submitted view), ``update`` or
    ``push`` (with a valid modal) or ``clear``."""
    if answer in (None, "", {}):
        return []
    if not isinstance(answer, dict):
        return ["the answer must be a JSON object"]
    check = _Checker()
    action = answer.get("response_action")
    if action == "errors":
        check.keys(answer, {"response_action", "errors"}, "")
        errors = answer.get("errors")
        inputs = {b.get("block_id") for b in submitted.get("blocks") or []
                  if isinstance(b, dict) and b.get("type") == "input"}
        if not isinstance(errors, dict) or not errors:
            check.fail("/errors", "must be a non-empty object")
        else:
            for block_id, message in errors.items():
                if block_id not in inputs:
                    check.fail(f"/errors/{block_id}", "is not an input block of the view")
                check.string(message, f"/errors/{block_id}", MAX_TEXT_OBJECT)
    elif action in ("update", "push"):
        check.keys(answer, {"response_action", "view"}, "")
        view = answer.get("view")
        if not isinstance(view, dict) or view.get("type") != MODAL:
            check.fail("/view", "must be a modal view")
        else:
            check.view(view)
    elif action == "clear":
        check.keys(answer, {"response_action"}, "")
    else:
        check.fail("/response_action", "must be errors, update, push or clear")
    return check.problems


# ================================================================ the server
@dataclass
class Call:
    method: str  # "chat.postMessage", "upload", "respond", "view_submission.ack"
    params: dict[str, Any]
    headers: dict[str, str]
    path: str
    at: float = field(default_factory=time.monotonic)
    response: dict[str, Any] | None = None
    forced: bool = False  # refused because a test asked for it (``fail_methods``)


class MockSlack:
    """Start with ``MockSlack().start()``; ``api_url`` is the Web API base URL."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self.uploads: dict[str, bytes] = {}
        self.shared_files: dict[str, dict[str, Any]] = {}  # file id -> file object (+ "_data")
        self._upload_lengths: dict[str, int] = {}
        self._triggers: dict[str, float] = {}  # trigger id -> issued at (monotonic)
        self._used_triggers: set[str] = set()
        self._responses: dict[str, list[float]] = {}  # response URL path -> [issued, uses...]
        self.fail_methods: dict[str, str] = {}  # method -> error to answer with
        self.socket_url: str | None = None  # answer of apps.connections.open (Socket Mode)
        self.trigger_seconds = TRIGGER_SECONDS
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> MockSlack:
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                mock._handle(self)

            def do_POST(self) -> None:
                mock._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    # ------------------------------------------- what Slack hands out in payloads
    def response_url(self, name: str = "r") -> str:
        """A new response URL (up to 5 posts within 30 minutes, like Slack's)."""
        path = f"/respond/{name}-{uuid.uuid4().hex[:10]}"
        with self._lock:
            self._responses[path] = [time.monotonic()]
        return f"{self.base_url}{path}"

    def trigger(self) -> str:
        """A new trigger_id, in Slack's format; it opens one view within 3 seconds."""
        trigger = f"{next(self._ids)}{int(time.time())}.{TEAM_ID[1:6]}.{uuid.uuid4().hex[:24]}"
        with self._lock:
            self._triggers[trigger] = time.monotonic()
        return trigger

    def share_file(self, name: str, data: bytes, filetype: str = "docx",
                   mimetype: str = "application/vnd.openxmlformats-officedocument."
                                   "wordprocessingml.document") -> dict[str, Any]:
        """A file someone shared, as Slack's file object in a ``file_share`` message. Its
        ``url_private(_download)`` serves ``data`` only with a bot token (Slack answers
        a sign-in page otherwise); ``files.info`` knows it."""
        file_id = f"F{next(self._ids):08d}"
        url = f"{self.base_url}/files-pri/{TEAM_ID}-{file_id}/{name}"
        info = {"id": file_id, "name": name, "title": name, "filetype": filetype,
                "mimetype": mimetype, "size": len(data), "url_private": url,
                "url_private_download": f"{self.base_url}/files-pri/{TEAM_ID}-{file_id}/"
                                        f"download/{name}"}
        with self._lock:
            self.shared_files[file_id] = {**info, "_data": data}
        return info

    # ------------------------------------------------------------ queries
    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.fail_methods.clear()

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times; return those calls."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(
                        f"expected {count} call(s) of {method} within {timeout}s; saw {seen}"
                    )
                self._changed.wait(left)

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no call has arrived for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                last = self.calls[-1].at if self.calls else 0.0
            if time.monotonic() - last >= quiet:
                return
            time.sleep(quiet / 3)

    def failed(self) -> list[Call]:
        """Calls Slack would have refused (bad blocks, unknown method…)."""
        with self._lock:
            return [c for c in self.calls if c.response and not c.response.get("ok")]

    def refused(self) -> list[Call]:
        """Calls refused by Slack's rules (not by a test's ``fail_methods``)."""
        return [c for c in self.failed() if not c.forced]

    def record(self, method: str, params: dict[str, Any], response: dict[str, Any]) -> Call:
        """Record something the test harness checked on Slack's behalf (an ack's body)."""
        call = Call(method=method, params=params, headers={}, path="", response=response)
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return call

    # ------------------------------------------------------------ serving
    def _read_params(self, req: BaseHTTPRequestHandler) -> dict[str, Any]:
        url = urlparse(req.path)
        params: dict[str, Any] = dict(parse_qsl(url.query))
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length) if length else b""
        ctype = req.headers.get("Content-Type", "")
        if raw:
            if "json" in ctype:
                params.update(json.loads(raw))
            elif "x-www-form-urlencoded" in ctype:
                params.update(dict(parse_qsl(raw.decode("utf-8"))))
            else:
                params["_raw"] = raw
        for key in ("blocks", "view", "files", "attachments"):
            if isinstance(params.get(key), str):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(params[key])
        return params

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        path = urlparse(req.path).path
        params = self._read_params(req)
        headers = {k.lower(): v for k, v in req.headers.items()}
        if path.startswith("/api/"):
            method = path[len("/api/") :]
        elif path.startswith("/upload/"):
            method = "upload"
        elif path.startswith("/respond/"):
            method = "respond"
        elif path.startswith("/files-pri/"):
            method = "files.download"
        else:
            method = "unknown"
        call = Call(method=method, params=params, headers=headers, path=path)
        if method == "upload":
            status, body, ctype = self._upload(path, params, call)
        elif method == "respond":
            status, body, ctype = self._respond(path, params, call)
        elif method == "files.download":
            status, body, ctype = self._download(path, headers, call)
        else:
            call.response = self._answer(method, params, headers, call)
            status, ctype = 200, "application/json; charset=utf-8"
            body = json.dumps(call.response).encode()
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        self._send(req, status, body, ctype)

    def _upload(self, path: str, params: dict[str, Any], call: Call) -> tuple[int, bytes, str]:
        file_id = path.rsplit("/", 1)[-1]
        data = params.get("_raw", b"")
        if file_id not in self._upload_lengths:
            call.response = {"ok": False, "error": "invalid_upload_url"}
            return 404, b"invalid upload url", "text/plain"
        self.uploads[file_id] = data
        call.response = {"ok": True}
        return 200, f"OK - {len(data)}".encode(), "text/plain"

    def _download(self, path: str, headers: dict[str, str], call: Call
                  ) -> tuple[int, bytes, str]:
        """GET of a private file URL: the bytes with ``Authorization: Bearer xoxb-…``;
        without a bot token Slack answers 200 with its sign-in page (HTML)."""
        file_id = path.split("/")[2].rsplit("-", 1)[-1]
        shared = self.shared_files.get(file_id)
        if not headers.get("authorization", "").startswith("Bearer xoxb-"):
            call.response = {"ok": False, "error": "not_authed"}
            return 200, b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>", \
                "text/html; charset=utf-8"
        if shared is None:
            call.response = {"ok": False, "error": "file_not_found"}
            return 404, b"file not found", "text/plain"
        call.response = {"ok": True}
        return 200, shared["_data"], str(shared["mimetype"])

    def _respond(self, path: str, params: dict[str, Any], call: Call) -> tuple[int, bytes, str]:
        """A post to a response URL (messaging/interactivity#responding)."""
        with self._lock:
            uses = self._responses.get(path)
            if uses is not None:
                uses.append(time.monotonic())
        if uses is None:
            call.response = {"ok": False, "error": "invalid_url"}
            return 404, b"invalid_url", "text/plain"
        if len(uses) - 1 > RESPONSE_URL_USES:
            call.response = {"ok": False, "error": "used_url"}
            return 404, b"used_url", "text/plain"
        if uses[-1] - uses[0] > RESPONSE_URL_SECONDS:
            call.response = {"ok": False, "error": "expired_url"}
            return 404, b"expired_url", "text/plain"
        if params.get("delete_original") in (True, "true"):
            call.response = {"ok": True}
            return 200, b"ok", "text/plain"
        if params.get("response_type") not in (None, "ephemeral", "in_channel"):
            call.response = {"ok": False, "error": "invalid_response_type"}
            return 400, b"invalid_response_type", "text/plain"
        error, problems = message_problems(params)
        call.response = {"ok": error is None, "error": error, "errors": problems}
        if error:
            return 400, error.encode(), "text/plain"
        return 200, b"ok", "text/plain"

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str) -> None:
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    def _use_trigger(self, trigger: Any) -> str | None:
        """The error for using ``trigger`` now, or None (and it is used up)."""
        if not trigger:
            return "invalid_arguments"
        with self._lock:
            issued = self._triggers.get(str(trigger))
            if issued is None:
                return "invalid_trigger_id"
            if trigger in self._used_triggers:
                return "exchanged_trigger_id"
            if time.monotonic() - issued > self.trigger_seconds:
                return "expired_trigger_id"
            self._used_triggers.add(str(trigger))
        return None

    def _answer(self, method: str, p: dict[str, Any], headers: dict[str, str], call: Call
                ) -> dict[str, Any]:
        if not headers.get("authorization", "").startswith("Bearer ") and "token" not in p:
            return {"ok": False, "error": "not_authed"}
        if method in self.fail_methods:
            call.forced = True
            return {"ok": False, "error": self.fail_methods[method]}
        ts = f"1700000000.{next(self._ts):06d}"
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://mock.slack.com/",
                "team": "Mock Team",
                "user": "mastery",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            if not p.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            if method == "chat.update" and not p.get("ts"):
                return {"ok": False, "error": "message_not_found"}
            if method == "chat.postEphemeral" and not p.get("user"):
                return {"ok": False, "error": "user_not_in_channel"}
            error, problems = message_problems(p)
            if error:
                return {"ok": False, "error": error, "errors": problems,
                        "response_metadata": {"messages": [f"[ERROR] {m}" for m in problems]}}
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            message = {"type": "message", "text": p.get("text", ""), "bot_id": BOT_ID, "ts": ts}
            return {"ok": True, "channel": p["channel"], "ts": p.get("ts", ts), "message": message}
        if method in ("views.open", "views.update", "views.publish", "views.push"):
            view = p.get("view")
            error, problems = view_problems(view)
            if error:
                return {"ok": False, "error": error, "errors": problems,
                        "response_metadata": {"messages": [f"[ERROR] {m}" for m in problems]}}
            if method == "views.publish" and (not isinstance(view, dict)
                                              or view.get("type") != HOME):
                return {"ok": False, "error": "invalid_arguments",
                        "response_metadata": {"messages": ["[ERROR] only a home view can be "
                                                           "published [json-pointer:/view/type]"]}}
            if method in ("views.open", "views.push"):
                if not isinstance(view, dict) or view.get("type") != MODAL:
                    return {"ok": False, "error": "invalid_arguments"}
                trigger_error = self._use_trigger(p.get("trigger_id"))
                if trigger_error:
                    return {"ok": False, "error": trigger_error}
            if method == "views.update" and not (p.get("view_id") or p.get("external_id")):
                return {"ok": False, "error": "not_found"}
            view = dict(view) if isinstance(view, dict) else {}
            view.update({"id": f"V{next(self._ids):08d}", "hash": f"h{ts}",
                         "state": {"values": {}}})
            return {"ok": True, "view": view}
        if method == "files.getUploadURLExternal":
            filename, length = p.get("filename"), p.get("length")
            try:
                size = int(length)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                size = -1
            if not filename or size <= 0:
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{next(self._ids):08d}"
            self._upload_lengths[file_id] = size
            url = f"{self.base_url}/upload/{file_id}"
            return {"ok": True, "upload_url": url, "file_id": file_id}
        if method == "files.completeUploadExternal":
            return self._complete_upload(p)
        if method == "files.info":
            shared = self.shared_files.get(str(p.get("file")))
            if shared is not None:
                return {"ok": True, "file": {k: v for k, v in shared.items() if k != "_data"}}
            return {"ok": True, "file": {"id": p.get("file"), "name": "file"}}
        if method == "users.info":
            user = p.get("user", "U0")
            return {
                "ok": True,
                "user": {"id": user, "name": f"user-{user.lower()}", "real_name": "Test User",
                         "tz": "America/New_York", "profile": {"display_name": "Test User"}},
            }
        if method == "apps.connections.open":
            if self.socket_url:
                return {"ok": True, "url": self.socket_url}
            return {"ok": False, "error": "invalid_auth"}
        if method == "conversations.open":
            users = str(p.get("users", "U0"))
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0][1:]}}
        return {"ok": False, "error": "unknown_method"}

    def _complete_upload(self, p: dict[str, Any]) -> dict[str, Any]:
        """files.completeUploadExternal: every file uploaded, with the length declared."""
        files = p.get("files")
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        out = []
        for f in files:
            file_id = f.get("id") if isinstance(f, dict) else None
            if file_id not in self.uploads:
                return {"ok": False, "error": "file_not_found"}
            if len(self.uploads[file_id]) != self._upload_lengths.get(file_id):
                return {"ok": False, "error": "file_upload_size_mismatch"}
            title = f.get("title")
            if title is not None and (not isinstance(title, str) or len(title) > MAX_ID):
                return {"ok": False, "error": "invalid_arguments"}
            out.append({"id": file_id, "title": title, "name": title})
        comment = p.get("initial_comment")
        if comment is not None and (not isinstance(comment, str)
                                    or len(comment) > MAX_MESSAGE_TEXT):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "files": out}
