"""The README's commands: `python3 tasks.py serve` passes a SIGTERM on to the server."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True, check=False).stdout
    return [int(x) for x in out.split()]


def test_sigterm_to_tasks_serve_stops_the_server(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "MASTERY_DATA_DIR": str(tmp_path), "MASTERY_WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "tasks.py"), "serve", "--port",
                             str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, "tasks.py serve exited before serving"
                assert time.monotonic() < deadline, "the server did not start in 60 s"
                time.sleep(0.2)
        server = _children(proc.pid)
        assert server, "tasks.py runs the server as its child"
        proc.send_signal(signal.SIGTERM)  # to tasks.py only, not to its process group
        assert proc.wait(timeout=30) == 0
        for pid in server:  # the server went with it
            deadline = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not Path(f"/proc/{pid}").exists() or \
                Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    finally:  # whatever happened, nothing of the group is left running
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
