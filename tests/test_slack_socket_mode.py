"""``mastery slack`` end to end: Socket Mode against a local websocket stand-in for Slack."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from aiohttp import WSMsgType, web

from tests.mock_slack import TEAM_ID, MockSlack
from tests.slack_support import USER, free_port, texts_of

MASTERY = Path(sys.executable).parent / "mastery"


class SocketModeServer:
    """Speaks just enough of Slack's Socket Mode: hello, one envelope, wait for its ack."""

    def __init__(self, envelope: dict) -> None:
        self.envelope = envelope
        self.acks: list[dict] = []
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link"

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1,
                                      "connection_info": {"app_id": "A0MASTERY1"}}))
        await ws.send_str(json.dumps(self.envelope))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
        return ws

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_get("/link", self._socket)
        runner = web.AppRunner(app)
        self.loop.run_until_complete(runner.setup())
        self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self.ready.set()
        self.loop.run_forever()

    def start(self) -> SocketModeServer:
        self.thread.start()
        self.ready.wait(10)
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.mark.skipif(not MASTERY.exists(), reason="the mastery script is not installed")
def test_mastery_slack_answers_over_socket_mode_and_stops_on_ctrl_c(tmp_path):
    mock = MockSlack().start()
    envelope_id = str(uuid.uuid4())
    envelope = {
        "envelope_id": envelope_id, "type": "slash_commands", "accepts_response_payload": True,
        "payload": {
            "token": "legacy", "team_id": TEAM_ID, "channel_id": "C1", "user_id": USER,
            "command": "/mastery", "text": "ask what is mastery-based learning?",
            "response_url": mock.response_url("socket"), "trigger_id": mock.trigger(),
            "api_app_id": "A0MASTERY1",
        },
    }
    server = SocketModeServer(envelope).start()
    mock.socket_url = server.url
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-socket", "SLACK_APP_TOKEN": "xapp-socket",
           "MASTERY_SLACK_API_URL": mock.api_url, "MASTERY_DATA_DIR": str(tmp_path)}
    env.pop("MASTERY_DATABASE_URL", None)
    process = subprocess.Popen([str(MASTERY), "slack"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        reply = mock.wait_for("respond", timeout=30)[0]
        assert "What is mastery-based learning?" in texts_of(reply)
        assert reply.params["response_type"] == "ephemeral"
        deadline = time.monotonic() + 10
        while not server.acks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.acks and server.acks[0]["envelope_id"] == envelope_id
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
        server.stop()
        mock.stop()
    assert process.returncode == 0, err
    assert "Socket Mode" in out and "Stopped." in out
    assert "Traceback" not in err
