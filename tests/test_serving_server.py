"""The holes that need a real server: `mastery serve` in a subprocess on loopback, real
sockets sending headers and bodies slowly, a body declared large without sign-in, a proxy's
X-Forwarded-Proto, large checks in the worker's process pool, and a graceful SIGTERM.
On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.store import DraftStore
from tests.dbfixtures import BACKENDS, database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    port: int
    token: str
    process: subprocess.Popen[str]


def mastery() -> list[str]:
    script = Path(sys.executable).with_name("mastery")
    return [str(script)] if script.exists() else [sys.executable, "-c",
                                                   "from bot.cli import main; main()"]


@contextmanager
def serving(url: str, folder: Path, **env: str) -> Iterator[Server]:
    """`mastery serve` (one worker, sign-in required, 1-second read deadlines) with a user
    "ann"; stopped with SIGTERM afterwards, which must end it cleanly."""
    store = DraftStore.open(url)
    try:
        _, token = store.add_user("ann")
    finally:
        store.close()
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_", "SLACK_"))}
    environment.update(HOME=str(folder), MASTERY_DATA_DIR=str(folder / "data"),
                       MASTERY_DATABASE_URL=url, MASTERY_REQUIRE_AUTH="true",
                       MASTERY_SECRET_KEY="server-test", MASTERY_HEADER_TIMEOUT="1",
                       MASTERY_BODY_TIMEOUT="1", PYTHONUNBUFFERED="1", **env)
    process = subprocess.Popen([*mastery(), "serve", "--port", str(port), "--workers", "1"],
                               env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    guard = threading.Timer(300, process.kill)  # a stuck server cannot hang the run
    guard.start()
    server = Server(f"http://127.0.0.1:{port}", port, token, process)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(f"{server.url}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
        yield server
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
        assert process.returncode == 0, output
        assert "Stopped." in output and "Traceback" not in output
    finally:
        guard.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(params=BACKENDS, scope="module")
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"server-{request.param}")
    # a generous time limit for checks: this test is about where they run (the limit
    # itself: tests/test_serving_work.py)
    with database(request.param, folder) as url, serving(url, folder,
                                                         MASTERY_WORK_SECONDS="60") as running:
        yield running


def raw(server: Server, data: bytes, *, wait: float = 6.0) -> tuple[bytes, float]:
    """Send ``data`` on a new connection, then read until the server closes it; the
    answer and how long the server took to close."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait + 5) as sock:
        sock.sendall(data)
        started = time.monotonic()
        answer = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            answer += chunk
        return answer, time.monotonic() - started


def test_headers_sent_too_slowly_are_cut_off_with_408(server: Server) -> None:
    answer, took = raw(server, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1")
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert took < 5
    # the deadline counts from the connection, not from the last byte: trickling does not help
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        started = time.monotonic()
        closed = False
        for _ in range(12):
            try:
                sock.sendall(b"X")
                time.sleep(0.3)
                sock.setblocking(False)
                try:
                    if sock.recv(4096).startswith(b"HTTP/1.1 408"):
                        closed = True
                        break
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        assert closed and time.monotonic() - started < 4


def test_a_body_sent_too_slowly_gets_408(server: Server) -> None:
    head = (f"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            f"{server.token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
    answer, took = raw(server, head.encode() + b'{"text": "')
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert b"did not arrive within 1 seconds" in answer and took < 5


def test_a_large_body_without_sign_in_is_refused_before_it_is_sent(server: Server) -> None:
    head = ("POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: 1900000\r\n\r\n")
    answer, took = raw(server, head.encode())
    assert answer.startswith(b"HTTP/1.1 401"), answer
    assert took < 3  # answered at once, not after the body timeout


def test_https_behind_a_trusted_proxy_gets_a_secure_cookie(server: Server) -> None:
    response = httpx.post(f"{server.url}/login", data={"token": server.token},
                          headers={"X-Forwarded-Proto": "https"}, follow_redirects=False)
    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()
    plain = httpx.post(f"{server.url}/login", data={"token": server.token},
                       follow_redirects=False)
    assert "secure" not in plain.headers["set-cookie"].lower()


def test_an_untrusted_proxy_header_is_ignored(tmp_path: Path) -> None:
    with database("sqlite", tmp_path) as url, serving(
            url, tmp_path, MASTERY_TRUSTED_PROXIES="10.9.9.9") as running:
        response = httpx.post(f"{running.url}/login", data={"token": running.token},
                              headers={"X-Forwarded-Proto": "https"}, follow_redirects=False)
        assert response.status_code == 303
        assert "secure" not in response.headers["set-cookie"].lower()


def test_a_large_check_runs_in_the_pool_and_matches_the_engine(server: Server) -> None:
    from messaging.checker import Checker
    from toolkit import load_toolkit

    text = ("Our school is moving to mastery-based grading so students can learn at their "
            "own pace and show what they know. It is a rigorous, innovative paradigm. ") * 200
    assert len(text) > 20_000
    response = httpx.post(f"{server.url}/api/check", json={"text": text},
                          headers={"Authorization": f"Bearer {server.token}"}, timeout=60)
    assert response.status_code == 200, response.text
    expected = Checker.from_toolkit(load_toolkit()).check(text).to_dict()
    got = response.json()
    assert [(f["rule"], f["start"]) for f in got["flags"]] == [
        (f["rule"], f["start"]) for f in expected["flags"]]
    assert got["flags"], "the sample text should trip at least one rule"
