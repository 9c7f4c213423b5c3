"""A local stand-in for Slack's Web API, for tests.

It listens on a free loopback port, records every call (method, parameters,
headers) and answers the way Slack does: ``{"ok": true, ...}`` with plausible
fields. It also serves the two kinds of URL that Slack hands out:

* ``/upload/<file_id>`` — the upload URL returned by ``files.getUploadURLExternal``;
* ``/respond/<anything>`` — use it as a slash command's or action's ``response_url``.

Like Slack, it refuses Block Kit that breaks Slack's limits (``invalid_blocks``),
so a test fails if the bot sends a message Slack would reject.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

BOT_USER_ID = "UBOT000001"
BOT_ID = "BBOT000001"
TEAM_ID = "T0MOCKTEAM"

# Slack's published Block Kit limits.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_BUTTON_TEXT = 75
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_VALUE = 2000
MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_MESSAGE_TEXT = 40000
MAX_BLOCK_ID = 255


@dataclass
class Call:
    method: str  # "chat.postMessage", "upload", "respond"
    params: dict[str, Any]
    headers: dict[str, str]
    path: str
    at: float = field(default_factory=time.monotonic)
    response: dict[str, Any] | None = None


def _block_problems(blocks: Any, limit: int) -> list[str]:
    """Return what Slack would complain about in ``blocks`` (empty list: fine)."""
    problems: list[str] = []
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    if len(blocks) > limit:
        problems.append(f"{len(blocks)} blocks > {limit}")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or "type" not in block:
            problems.append(f"block {i} has no type")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if len(block_id) > MAX_BLOCK_ID:
                problems.append(f"block {i}: block_id too long")
            if block_id in seen_ids:
                problems.append(f"block {i}: duplicate block_id {block_id}")
            seen_ids.add(block_id)
        kind = block["type"]
        if kind == "section":
            text = block.get("text", {}).get("text", "")
            if len(text) > MAX_SECTION_TEXT:
                problems.append(f"block {i}: section text {len(text)} > {MAX_SECTION_TEXT}")
            if not text and not block.get("fields"):
                problems.append(f"block {i}: empty section")
            for f in block.get("fields", []):
                if len(f.get("text", "")) > 2000:
                    problems.append(f"block {i}: field text too long")
            acc = block.get("accessory")
            if acc:
                problems += _element_problems(acc, i)
        elif kind == "header":
            text = block.get("text", {}).get("text", "")
            if len(text) > MAX_HEADER_TEXT or not text:
                problems.append(f"block {i}: header text length {len(text)}")
        elif kind == "context":
            elements = block.get("elements", [])
            if not elements or len(elements) > MAX_CONTEXT_ELEMENTS:
                problems.append(f"block {i}: context has {len(elements)} elements")
            for el in elements:
                if len(el.get("text", "")) > MAX_SECTION_TEXT:
                    problems.append(f"block {i}: context text too long")
        elif kind == "actions":
            elements = block.get("elements", [])
            if not elements or len(elements) > MAX_ACTIONS_ELEMENTS:
                problems.append(f"block {i}: actions has {len(elements)} elements")
            for el in elements:
                problems += _element_problems(el, i)
        elif kind == "input":
            label = block.get("label", {}).get("text", "")
            if not label or len(label) > 2000:
                problems.append(f"block {i}: input label length {len(label)}")
            el = block.get("element", {})
            max_length = el.get("max_length")
            if max_length is not None and max_length > 3000:
                problems.append(f"block {i}: input max_length {max_length} > 3000")
            initial = el.get("initial_value")
            if isinstance(initial, str) and len(initial) > 3000:
                problems.append(f"block {i}: initial_value too long")
            problems += _element_problems(el, i)
    return problems


def _element_problems(el: dict[str, Any], i: int) -> list[str]:
    problems: list[str] = []
    if el.get("type") == "button":
        text = el.get("text", {}).get("text", "")
        if not text or len(text) > MAX_BUTTON_TEXT:
            problems.append(f"block {i}: button text length {len(text)}")
        if len(el.get("value", "")) > MAX_BUTTON_VALUE:
            problems.append(f"block {i}: button value too long")
    if el.get("type") == "static_select":
        options = el.get("options", [])
        if not options or len(options) > 100:
            problems.append(f"block {i}: select has {len(options)} options")
        for o in options:
            if len(o.get("text", {}).get("text", "")) > 75 or len(o.get("value", "")) > 150:
                problems.append(f"block {i}: option too long")
    if len(el.get("action_id", "")) > 255:
        problems.append(f"block {i}: action_id too long")
    return problems


def _view_problems(view: Any) -> list[str]:
    if isinstance(view, str):
        view = json.loads(view)
    if not isinstance(view, dict):
        return ["view must be an object"]
    problems = _block_problems(view.get("blocks", []), MAX_VIEW_BLOCKS)
    if view.get("type") == "modal":
        for key in ("title", "submit", "close"):
            if key in view and len(view[key].get("text", "")) > MAX_VIEW_TITLE:
                problems.append(f"{key} longer than {MAX_VIEW_TITLE}")
    if len(view.get("private_metadata", "")) > MAX_PRIVATE_METADATA:
        problems.append("private_metadata too long")
    return problems


class MockSlack:
    """Start with ``MockSlack().start()``; ``api_url`` is the Web API base URL."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self.uploads: dict[str, bytes] = {}
        self.fail_methods: dict[str, str] = {}  # method -> error to answer with
        self.socket_url: str | None = None  # answer of apps.connections.open (Socket Mode)
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

    def response_url(self, name: str = "r") -> str:
        return f"{self.base_url}/respond/{name}"

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
        else:
            method = "unknown"
        call = Call(method=method, params=params, headers=headers, path=path)
        if method == "upload":
            data = params.get("_raw", b"")
            self.uploads[path.rsplit("/", 1)[-1]] = data
            status, body, ctype = 200, f"OK - {len(data)}".encode(), "text/plain"
            call.response = {"ok": True}
        elif method == "respond":
            problems = _block_problems(params.get("blocks", []), MAX_MESSAGE_BLOCKS)
            if len(params.get("text") or "") > MAX_MESSAGE_TEXT:
                problems.append("text too long")
            call.response = {"ok": not problems, "errors": problems}
            status, ctype = (400, "text/plain") if problems else (200, "text/plain")
            body = b"invalid_blocks" if problems else b"ok"
        else:
            call.response = self._answer(method, params, headers)
            status, ctype = 200, "application/json; charset=utf-8"
            body = json.dumps(call.response).encode()
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        self._send(req, status, body, ctype)

    def failed(self) -> list[Call]:
        """Calls Slack would have refused (bad blocks, unknown method…)."""
        with self._lock:
            return [c for c in self.calls if c.response and not c.response.get("ok")]

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str) -> None:
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    def _answer(self, method: str, p: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        if not headers.get("authorization", "").startswith("Bearer ") and "token" not in p:
            return {"ok": False, "error": "not_authed"}
        if method in self.fail_methods:
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
            problems = _block_problems(p.get("blocks", []), MAX_MESSAGE_BLOCKS)
            if len(p.get("text") or "") > MAX_MESSAGE_TEXT:
                problems.append("text too long")
            if not p.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            if problems:
                return {"ok": False, "error": "invalid_blocks", "errors": problems}
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            message = {"type": "message", "text": p.get("text", ""), "bot_id": BOT_ID, "ts": ts}
            return {"ok": True, "channel": p["channel"], "ts": p.get("ts", ts), "message": message}
        if method in ("views.open", "views.update", "views.publish", "views.push"):
            view = p.get("view")
            problems = _view_problems(view)
            if problems:
                return {"ok": False, "error": "invalid_arguments", "errors": problems}
            view = dict(view) if isinstance(view, dict) else {}
            view.update({"id": f"V{next(self._ids):08d}", "hash": f"h{ts}",
                         "state": {"values": {}}})
            return {"ok": True, "view": view}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):08d}"
            url = f"{self.base_url}/upload/{file_id}"
            return {"ok": True, "upload_url": url, "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = p.get("files") or []
            return {
                "ok": True,
                "files": [{"id": f.get("id"), "title": f.get("title"), "name": f.get("title")}
                          for f in files],
            }
        if method == "files.info":
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
