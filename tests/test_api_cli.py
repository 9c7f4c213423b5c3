"""`mastery serve` and `mastery users`: real processes, a real port, a real database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.store import DraftStore


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mastery_command() -> list[str]:
    script = Path(sys.executable).parent / "mastery"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from bot.cli import main; main()"]


def isolated_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MASTERY_", "SLACK_"))}
    env.update(HOME=str(tmp_path), MASTERY_DATA_DIR=str(tmp_path / "data"),
               PYTHONUNBUFFERED="1")
    return env


def test_serve_prints_the_url_serves_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*mastery_command(), "serve", "--port", str(port)], env=isolated_env(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    # a timer makes sure a stuck server cannot hang the test run
    guard = threading.Timer(120, process.kill)
    guard.start()
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first
        deadline = time.monotonic() + 60  # one worker process per core starts up
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not come up"
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.1)
        assert health.json()["status"] == "ok"
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and 'id="panel-check"' in page.text
        process.send_signal(signal.SIGINT)
        # read through the same buffered stream as readline() above (communicate() with a
        # timeout would bypass its buffer and lose lines it had read ahead)
        output = first + process.stdout.read()
        process.wait(timeout=5)
    finally:
        guard.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "Slack: off" in output and "SLACK_BOT_TOKEN" in output
    assert "Stopped." in output and "Traceback" not in output
    assert (tmp_path / "data" / "mastery.db").exists()


def test_serve_on_a_busy_port_says_so(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run(
            [*mastery_command(), "serve", "--port", str(port)], env=isolated_env(tmp_path),
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 2
    assert f"--port {port + 1}" in result.stderr and "Traceback" not in result.stderr


def test_serve_with_a_bad_database_url_says_so(tmp_path: Path) -> None:
    result = subprocess.run(
        [*mastery_command(), "serve", "--port", str(free_port()), "--database-url",
         "nosuchdb://x"], env=isolated_env(tmp_path), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "database URL" in result.stderr and "Traceback" not in result.stderr


def test_users_add_prints_a_token_once_and_stores_its_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    runner = CliRunner()
    result = runner.invoke(cli, ["users", "add", "ann", "--database-url", url])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    store = DraftStore.open(url)
    try:
        user = store.authenticate(token)
        assert user is not None and user.name == "ann"
    finally:
        store.close()
    assert token.encode() not in (tmp_path / "users.db").read_bytes()
    listed = runner.invoke(cli, ["users", "list", "--database-url", url])
    assert "ann" in listed.output and token not in listed.output
    again = runner.invoke(cli, ["users", "add", "ann", "--database-url", url])
    assert again.exit_code == 2 and "already a user" in again.output
    bad = runner.invoke(cli, ["users", "add", "../root", "--database-url", url])
    assert bad.exit_code == 2 and "user name" in bad.output
    gone = runner.invoke(cli, ["users", "remove", "ann", "--database-url", url])
    assert gone.exit_code == 0
    missing = runner.invoke(cli, ["users", "remove", "ann", "--database-url", url])
    assert missing.exit_code == 2


@pytest.mark.parametrize("args", [["serve", "--port", "0"], ["serve", "--port", "http"]])
def test_serve_rejects_bad_options(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_serve_with_an_unusable_data_folder_says_so(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = subprocess.run(
        [*mastery_command(), "serve", "--port", str(free_port()), "--data-dir",
         str(not_a_folder / "data")], env=isolated_env(tmp_path), capture_output=True,
        text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "data folder" in result.stderr and "Traceback" not in result.stderr
