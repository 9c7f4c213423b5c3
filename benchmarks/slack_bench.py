"""How fast the Slack bot acknowledges Slack's requests, and how soon the reply follows.

Runs the real web app (uvicorn on a loopback port, the Slack endpoint mounted, SQLite)
against the local mock of Slack's Web API from the tests, sends correctly signed
requests in Slack's formats and measures:

* **ack** — from sending the request to the HTTP response (Slack's limit: 3 s);
* **reply** — from sending the request until the bot's reply reached the mock Slack;
* **event loop** — the ack time of a small request while several 40,000-character
  checks are being worked on (the loop must not wait for them);
* **size** — the largest message each request produced (blocks, and characters of
  block text against Slack's ~12,000 budget), and how many payloads the strict stand-in
  refused (it checks every payload against Slack's Block Kit rules).

Writes its table into benchmarks/RESULTS.md between the ``slack`` markers.
Run: ``.venv/bin/python benchmarks/slack_bench.py [--rounds N]``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.mock_slack import MESSAGE_BLOCK_TEXT_BUDGET, block_text_length  # noqa: E402
from tests.slack_support import USER, running_slack  # noqa: E402

MESSAGE_METHODS = ("respond", "chat.postMessage", "chat.update", "chat.postEphemeral")

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- slack:start -->", "<!-- slack:end -->"
LONG = ("Our rigorous program will dramatically rethink how we leverage relationships. " * 600)
LONG = LONG[:40_000]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Sizes:
    """The largest message seen and the payloads the stand-in refused, over many rounds."""

    def __init__(self) -> None:
        self.blocks = 0
        self.text = 0
        self.refused = 0

    def add(self, mock) -> None:  # type: ignore[no-untyped-def]
        self.refused += len(mock.refused())
        for call in mock.calls:
            if call.method in MESSAGE_METHODS and isinstance(call.params.get("blocks"), list):
                self.blocks = max(self.blocks, len(call.params["blocks"]))
                self.text = max(self.text, block_text_length(call.params["blocks"]))


def measure(harness, send: Callable[[], object], reply_method: str | None, rounds: int
            ) -> tuple[list[float], list[float], Sizes]:
    acks, replies = [], []
    sizes = Sizes()
    harness.mock.settle(quiet=0.3)
    harness.mock.reset()
    for _ in range(rounds):
        harness.mock.settle(quiet=0.05)
        sizes.add(harness.mock)
        harness.mock.reset()
        started = time.monotonic()  # the mock stamps calls with time.monotonic()
        response = send()
        acks.append(time.monotonic() - started)
        assert response.status_code == 200, response.text  # type: ignore[attr-defined]
        if reply_method:
            call = harness.mock.wait_for(reply_method, timeout=30)[0]
            replies.append(call.at - started)
    harness.mock.settle(quiet=0.3)
    sizes.add(harness.mock)
    return acks, replies, sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    from toolkit import load_toolkit

    toolkit = load_toolkit()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, running_slack(toolkit, Path(tmp)) as slack:
        from tests.test_slack_drafts import PRESS_RELEASE

        slack.command("help")  # warm-up: auth.test, imports
        slack.mock.wait_for("respond")

        def view_submit():
            from bot.slack import forms
            from bot.slack.drafts import describe

            described = describe(slack.services, "press-release")
            view = forms.build_view(described, forms.Meta(t="press-release"), {})
            return slack.view_submission(view, PRESS_RELEASE)

        cases = [
            ("/mastery ask", lambda: slack.command("ask what is mastery-based learning?"),
             "respond"),
            ("/mastery check (40,000 chars)", lambda: slack.command("check " + LONG), "respond"),
            ("… its full report as a file in the DM", lambda: slack.command("check " + LONG),
             "files.completeUploadExternal"),
            ("app_mention", lambda: slack.event({
                "type": "app_mention", "user": USER, "text": "<@UBOT000001> what is mastery?",
                "ts": "1.1", "channel": "C1"}), "chat.postMessage"),
            ("message.im check (40,000 chars)", lambda: slack.event({
                "type": "message", "channel_type": "im", "user": USER, "text": "check " + LONG,
                "ts": "1.2", "channel": "D1"}), "chat.postMessage"),
            ("Check wording shortcut", lambda: slack.interactive({
                "type": "message_action", "callback_id": "check_wording",
                "user": {"id": USER, "team_id": "T0MOCKTEAM"}, "channel": {"id": "C1"},
                "message": {"type": "message", "text": "Our rigorous program.", "ts": "1.3"},
                "trigger_id": slack.mock.trigger(),
                "response_url": slack.mock.response_url("b")}), "respond"),
            ("view_submission (save + Word file)", view_submit, "files.completeUploadExternal"),
        ]
        for name, send, method in cases:
            acks, replies, sizes = measure(slack, send, method, args.rounds)
            rows.append((name, acks, replies, sizes))

        # the event loop while five 40,000-character checks are being worked on
        loop_acks = []
        for _ in range(max(5, args.rounds // 3)):
            slack.mock.settle(quiet=0.05)
            slack.mock.reset()
            threads = [threading.Thread(target=slack.command, args=("check " + LONG,))
                       for _ in range(5)]
            for t in threads:
                t.start()
            time.sleep(0.05)
            started = time.perf_counter()
            response = slack.command("help")
            loop_acks.append(time.perf_counter() - started)
            assert response.status_code == 200
            for t in threads:
                t.join()
            slack.mock.wait_for("respond", count=6, timeout=60)

    lines = [
        START,
        "## Slack bot",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.2f}. "
        f"{args.rounds} signed requests per row, one at a time, to the real app (uvicorn, "
        "SQLite) with Slack's Web API mocked on loopback.",
        "",
        "| request | ack p50 (ms) | ack p95 (ms) | ack max (ms) | reply p50 (ms) "
        "| reply p95 (ms) | largest message: blocks / block text | refused |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, acks, replies, sizes in rows:
        ms = [a * 1000 for a in acks]
        rs = [r * 1000 for r in replies] or [float("nan")]
        size = f"{sizes.blocks} / {sizes.text:,}" if sizes.blocks else "—"
        lines.append(f"| {name} | {statistics.median(ms):.1f} | {pct(ms, 0.95):.1f} | "
                     f"{max(ms):.1f} | {statistics.median(rs):.0f} | {pct(rs, 0.95):.0f} | "
                     f"{size} | {sizes.refused} |")
    loop_ms = [a * 1000 for a in loop_acks]
    lines += [
        "",
        "Event loop: the ack of `/mastery help` came in "
        f"{statistics.median(loop_ms):.1f} ms median, "
        f"{max(loop_ms):.1f} ms max, while five 40,000-character checks were running "
        "(engines run in a 2-thread pool, never on the loop; the test client, the mock Slack "
        "and the server share one Python process here, so this includes their contention "
        "for the GIL too).",
        "",
        "Slack's limit for an ack is 3,000 ms. *reply* is until the answer reached Slack "
        "(the response URL, `chat.postMessage`, or the last step of a file upload). "
        "*largest message* is the biggest message a row sent: its blocks (Slack's limit: 50) "
        "and characters of block text as the stand-in counts them (Slack refuses from about "
        f"{MESSAGE_BLOCK_TEXT_BUDGET:,}: `msg_blocks_too_long`); *refused* counts the payloads "
        "the strict stand-in (tests/mock_slack.py) refused by Slack's rules.",
        "",
        "Reproduce: `.venv/bin/python benchmarks/slack_bench.py`",
        END,
    ]
    block = "\n".join(lines)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(block)


if __name__ == "__main__":
    main()
