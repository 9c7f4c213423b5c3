"""Shared pieces of the Slack tests: the real web app served by uvicorn on a free
loopback port with the Slack endpoint mounted, a mock Slack Web API, signed requests
in Slack's payload formats."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.mock_slack import BOT_USER_ID, TEAM_ID, MockSlack, view_response_problems

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
USER = "U0ALICE001"
OTHER_USER = "U0BOB00002"
CHANNEL = "C0GENERAL1"


def sign(body: bytes, timestamp: int | None = None, secret: str = SIGNING_SECRET
         ) -> dict[str, str]:
    """Slack's v0 request signature headers for ``body``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class SlackHarness:
    mock: MockSlack
    base_url: str
    http: httpx.Client
    services: Any  # bot.slack.services.Services
    store: Any
    bolt: Any = None  # the bolt AsyncApp serving /slack/events

    # ------------------------------------------------------------ sending
    def post(self, body: bytes, content_type: str, headers: dict[str, str] | None = None,
             signed: bool = True, timestamp: int | None = None) -> httpx.Response:
        all_headers = {"Content-Type": content_type}
        if signed:
            all_headers.update(sign(body, timestamp))
        all_headers.update(headers or {})
        return self.http.post("/slack/events", content=body, headers=all_headers)

    def command(self, text: str, user: str = USER, **extra: Any) -> httpx.Response:
        form = {
            "token": "legacy", "team_id": TEAM_ID, "team_domain": "mock",
            "channel_id": CHANNEL, "channel_name": "general", "user_id": user,
            "user_name": "alice", "command": "/mastery", "text": text,
            "api_app_id": "A0MASTERY1", "is_enterprise_install": "false",
            "response_url": self.mock.response_url(f"cmd-{uuid.uuid4().hex[:8]}"),
            "trigger_id": self.mock.trigger(),
        }
        form.update(extra)
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], event_id: str | None = None,
              headers: dict[str, str] | None = None) -> httpx.Response:
        body = {
            "token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0MASTERY1",
            "event": event, "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        return self.post(json.dumps(body).encode(), "application/json", headers=headers)

    def interactive(self, payload: dict[str, Any], **kwargs: Any) -> httpx.Response:
        payload.setdefault("team", {"id": TEAM_ID, "domain": "mock"})
        payload.setdefault("api_app_id", "A0MASTERY1")
        payload.setdefault("token", "legacy")
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def block_action(self, action: dict[str, Any], *, user: str = USER,
                     ephemeral: bool = True, view: dict[str, Any] | None = None,
                     message: dict[str, Any] | None = None) -> httpx.Response:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": "alice", "team_id": TEAM_ID},
            "trigger_id": self.mock.trigger(),
            "actions": [{"action_ts": str(time.time()), "block_id": "b", **action}],
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
            payload["view"] = view
        else:
            payload["container"] = {"type": "message", "message_ts": "1700000000.000100",
                                    "channel_id": CHANNEL, "is_ephemeral": ephemeral}
            payload["channel"] = {"id": CHANNEL, "name": "general"}
            payload["message"] = message or {"type": "message", "ts": "1700000000.000100",
                                             "text": "answer"}
            payload["response_url"] = self.mock.response_url("action")
        return self.interactive(payload)

    def view_submission(self, view: dict[str, Any], values: dict[str, Any],
                        user: str = USER) -> httpx.Response:
        submitted = dict(view)
        # Slack gives every modal an id of its own (and a new hash on every update)
        submitted.setdefault("id", "V" + uuid.uuid4().hex[:10].upper())
        submitted.setdefault("hash", "h1")
        submitted["state"] = {"values": values}
        payload = {
            "type": "view_submission",
            "user": {"id": user, "username": "alice", "team_id": TEAM_ID},
            "view": submitted,
            "trigger_id": self.mock.trigger(),
        }
        response = self.interactive(payload)
        # Slack checks the ack's answer too: field errors must name input blocks…
        answer: Any = None
        if response.status_code == 200 and response.content:
            try:
                answer = response.json()
            except ValueError:
                answer = response.text
        problems = view_response_problems(answer, submitted)
        self.mock.record("view_submission.ack", {"answer": answer},
                         {"ok": not problems, "errors": problems})
        return response


def make_settings(**values: Any) -> Any:
    """``Settings`` from keyword values (Slack's settings by their variable names)."""
    from bot.settings import Settings

    return Settings(**values)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_instance(toolkit: Any, data_dir: Path, url: str,
                   mock: MockSlack) -> Iterator[SlackHarness]:
    """One app instance (its own process state, store engine and uvicorn server) on the
    database ``url``, talking to ``mock`` as Slack's Web API."""
    import uvicorn

    from bot.api.app import create_app
    from bot.store import DraftStore

    port = free_port()
    settings = make_settings(
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
        slack_api_url=mock.api_url, data_dir=data_dir, database_url=url,
        host="127.0.0.1", port=port, public_url=f"http://127.0.0.1:{port}",
        secret_key="test-secret-key",
    )
    store = DraftStore.open(url)
    app = create_app(settings, toolkit, store=store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        base_url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base_url, timeout=30) as http:
            yield SlackHarness(mock=mock, base_url=base_url, http=http,
                               services=app.state.slack_app.services, store=store,
                               bolt=app.state.slack_app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


@contextmanager
def running_slack(toolkit: Any, data_dir: Path) -> Iterator[SlackHarness]:
    """The real FastAPI app (with the Slack endpoint) served by uvicorn, Slack mocked."""
    mock = MockSlack().start()
    try:
        with serve_instance(toolkit, data_dir, f"sqlite:///{data_dir / 'mastery.db'}",
                            mock) as harness:
            yield harness
    finally:
        mock.stop()


def assert_slack_took_everything(mock: MockSlack) -> None:
    """Fail unless Slack took every payload the app sent (none refused by its rules)."""
    refused = mock.refused()
    assert not refused, "Slack would refuse: " + "; ".join(
        f"{c.method}: {c.response}" for c in refused)


def texts_of(call: Any) -> str:
    """All the text a call put on screen: its ``text`` and every text in its blocks/view."""
    params = call.params
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(params.get("blocks"))
    walk(params.get("view"))
    if isinstance(params.get("text"), str):
        found.append(params["text"])
    return "\n".join(found)


def blocks_of(call: Any) -> list[dict[str, Any]]:
    blocks = call.params.get("blocks")
    if blocks is None and isinstance(call.params.get("view"), dict):
        blocks = call.params["view"].get("blocks")
    return list(blocks or [])


def action_values(call: Any, prefix: str = "") -> list[dict[str, Any]]:
    """Every button/select element in the call's blocks whose action_id starts with prefix."""
    out = []
    for block in blocks_of(call):
        for el in block.get("elements", []) + ([block["accessory"]] if "accessory" in block
                                               else []):
            if isinstance(el, dict) and "action_id" in el and el["action_id"].startswith(prefix):
                out.append({**el, "block_id": block.get("block_id")})
    return out
