#!/usr/bin/env python3
"""Set up and run mastery-comms with nothing but Python 3.11 installed.

    python3 tasks.py serve     # install into .venv, then start the web workspace
    python3 tasks.py test      # install into .venv (with test tools), then run every test

Any further arguments are passed on (``python3 tasks.py serve --port 9000``,
``python3 tasks.py test -k faq``). The virtual environment is reused and only
reinstalled when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
CHROMIUM = Path("/usr/bin/chromium")
LINTED = ["toolkit", "faq", "messaging", "bot", "tests", "benchmarks", "scripts",
          "tasks.py"]


def say(message: str) -> None:
    print(f"[tasks] {message}", flush=True)


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may be started by an older python
        sys.exit(f"mastery-comms needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    stamp_file = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    # an install with extras includes the base install: `serve` after `test` installs nothing
    stamps = [stamp_file] if extras else sorted(VENV.glob(".installed-*"))
    if PYTHON.exists() and any(s.exists() and s.read_text() == digest for s in stamps):
        return
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    target = f".[{extras}]" if extras else "."
    label = f"mastery-comms[{extras}]" if extras else "mastery-comms"
    say(f"installing {label} (the first run takes a minute or two)")
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--editable", target],
        cwd=ROOT, check=True,
    )
    stamp_file.write_text(digest)


def ensure_debian_package(package: str, commands: list[str], purpose: str) -> None:
    """Install Debian ``package`` (for ``purpose``) unless one of ``commands`` is on PATH."""
    if any(shutil.which(command) for command in commands):
        return
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"installing Debian's {package} for {purpose}")
        subprocess.run([apt, "update", "-qq"], check=False)
        subprocess.run([apt, "install", "-y", "-qq", package], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    else:
        say(f"{package} is not installed and cannot be installed here "
            f"(needs root and apt-get): {purpose} will fail")


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium; install it when we can."""
    if not CHROMIUM.exists():
        ensure_debian_package("chromium", ["chromium"], "the browser tests")


def ensure_libreoffice() -> None:
    """The Word tests open annotated documents in LibreOffice (headless); install it."""
    ensure_debian_package("libreoffice-writer-nogui", ["soffice", "libreoffice"],
                          "the Word tests")


def run_child(argv: list[str]) -> int:
    """Run a command; on Ctrl-C let it shut down cleanly instead of printing a traceback.
    A SIGTERM or SIGHUP sent to this script (a process manager stopping it) is passed on to
    the command, which stops gracefully, instead of leaving it running on its own."""
    child = subprocess.Popen(argv, cwd=ROOT)

    def pass_on(signum: int, _frame: object) -> None:
        child.send_signal(signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), pass_on)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue  # the child got the same Ctrl-C and is stopping


def serve(args: list[str]) -> int:
    ensure_venv("")
    return run_child([str(BIN / "mastery"), "serve", *args])


def test(args: list[str]) -> int:
    ensure_venv("test")
    ensure_chromium()
    ensure_libreoffice()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    steps = [
        [str(BIN / "ruff"), "check", *LINTED],
        [str(BIN / "mypy")],
        [str(PYTHON), "-m", "pytest", *args],
    ]
    for step in steps:
        say(" ".join(Path(step[0]).name if i == 0 else part for i, part in enumerate(step)))
        code = subprocess.call(step, cwd=ROOT, env=env)
        if code != 0:
            return code
    return 0


def main(argv: list[str]) -> int:
    tasks = {"serve": serve, "test": test}
    if not argv or argv[0] not in tasks:
        print(__doc__)
        return 2
    return tasks[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
