"""Benchmark of the web workspace and HTTP API (a benchmark, not a test).

    .venv/bin/python benchmarks/web_bench.py [--requests 200] [--no-write]

Starts the real app in a real uvicorn server on a free loopback port and measures,
over HTTP from one client, the latency of the calls the page makes most: the live
check of a paragraph, asking a question, saving a draft (a new version each time),
and exporting a Word file — on SQLite and, when ``MASTERY_TEST_POSTGRES_URL`` is set,
on PostgreSQL (in a throw-away schema). It also times ``mastery serve`` from launch
to the first answer of ``/healthz``. Results go to benchmarks/RESULTS.md between the
``web`` markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- web:start -->", "<!-- web:end -->"
sys.path.insert(0, str(ROOT))

PARAGRAPH = (
    "Our rigorous new program lets every student learn at their own pace. Teachers will "
    "know each student well and give targeted support when they are stuck. Families will "
    "see exactly which skills their child has mastered, and report cards will show work "
    "habits separately. "
) * 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(n: int, call: Callable[[int], None]) -> tuple[float, float]:
    call(-1)  # warm-up
    times = []
    for i in range(n):
        start = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), percentile(times, 99)


def bench_backend(url: str, data_dir: Path, n: int) -> dict[str, tuple[float, float]]:
    import uvicorn

    from bot.api import create_app
    from bot.settings import Settings
    from messaging.drafting import example_data
    from toolkit import load_toolkit

    tk = load_toolkit()
    port = free_port()
    app = create_app(Settings(data_dir=data_dir, database_url=url, port=port,
                              secret_key="bench"), tk, extensions=[], warm=True)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, tuple[float, float]] = {}
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            def check(_: int) -> None:
                client.post("/api/check", json={"text": PARAGRAPH, "audience": "parents"}
                            ).raise_for_status()

            def ask(_: int) -> None:
                client.post("/api/ask", json={"question": "Will my child still get grades?"}
                            ).raise_for_status()

            data = example_data(tk, "pilot-application")
            draft = client.post("/api/drafts", json={"template": "pilot-application",
                                                     "profile": "generic", "data": data}).json()
            version = [draft["version"]]

            def save(i: int) -> None:
                data["district_name"] = f"Cedar Valley {i}"
                response = client.put(f"/api/drafts/{draft['id']}",
                                      json={"base_version": version[0], "data": data})
                response.raise_for_status()
                version[0] = response.json()["version"]

            def export(_: int) -> None:
                client.get(f"/api/drafts/{draft['id']}/export",
                           params={"format": "docx"}).raise_for_status()

            for asset in ("/", "/static/app.js", "/static/app.css"):
                plain = client.get(asset, headers={"Accept-Encoding": "identity"})
                packed = client.get(asset, headers={"Accept-Encoding": "gzip"})
                SIZES[asset] = (plain.num_bytes_downloaded, packed.num_bytes_downloaded)
            if BROWSER:
                results["Chromium: paste ≈330 words → highlights drawn"] = browser_check(base, n)
            results["POST /api/check (≈150 words, parents)"] = timed(n, check)
            results["POST /api/ask"] = timed(n, ask)
            results["PUT /api/drafts/{id} (pilot application, new version)"] = timed(n, save)
            results["GET /api/drafts/{id}/export?format=docx"] = timed(max(10, n // 10), export)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.services.store.close()
    return results


#: page assets: bytes sent without and with gzip (filled by bench_backend)
SIZES: dict[str, tuple[int, int]] = {}
BROWSER = os.path.exists("/usr/bin/chromium")
NEWSLETTER = " ".join([PARAGRAPH] * 2 + [
    "The state has mandated the change and schools have embraced it to different degrees; "
    "teachers will leverage their relationships with students."])


def browser_check(base: str, n: int) -> tuple[float, float]:
    """In Debian's Chromium: from putting a newsletter into the Check box to its
    highlights on screen (the debounce of 350 ms included, as a person waits for it)."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser_workspace import CHROMIUM, CHROMIUM_ARGS

    times: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "/#check")
            page.select_option("#check-audience", "parents")
            for i in range(max(5, n // 20) + 1):
                page.fill("#check-text", "")
                page.wait_for_function("() => !document.querySelector('#check-mirror mark')")
                start = time.perf_counter()
                page.fill("#check-text", NEWSLETTER + f" Week {i}.")
                page.wait_for_function(
                    "() => document.getElementById('check-summary').textContent.includes('words')"
                    " && document.querySelector('#check-mirror mark.flag.error')")
                if i:  # the first is a warm-up
                    times.append((time.perf_counter() - start) * 1000)
        finally:
            browser.close()
    return statistics.median(times), percentile(times, 99)


def serve_start(runs: int) -> float:
    times = []
    script = Path(sys.executable).parent / "mastery"
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_", "SLACK_"))}
            env.update(HOME=tmp, MASTERY_DATA_DIR=tmp)
            start = time.perf_counter()
            process = subprocess.Popen([str(script), "serve", "--port", str(port)], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                while True:
                    try:
                        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                        break
                    except httpx.TransportError:
                        time.sleep(0.02)
                times.append(time.perf_counter() - start)
            finally:
                process.send_signal(signal.SIGINT)
                process.wait(timeout=20)
    return statistics.median(times)


def write_results(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    tmp = RESULTS.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(RESULTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from tests.dbfixtures import postgres_schema_url

    backends: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        backends["SQLite"] = bench_backend(f"sqlite:///{tmp}/bench.db", Path(tmp), args.requests)
        pg = os.environ.get("MASTERY_TEST_POSTGRES_URL")
        if pg:
            with postgres_schema_url(pg) as url:
                backends["PostgreSQL"] = bench_backend(url, Path(tmp), args.requests)
    start = serve_start(5)

    names = list(next(iter(backends.values())))
    header = "| request | " + " | ".join(f"{b} p50 / p99" for b in backends) + " |"
    rows = [header, "| --- |" + " --- |" * len(backends)]
    for name in names:
        cells = [f"{backends[b][name][0]:.1f} / {backends[b][name][1]:.1f} ms" for b in backends]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    section = "\n".join([
        START,
        "## Web workspace and HTTP API",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {load:.2f} at the start of the run.",
        f"One client, sequential requests over loopback HTTP to a real uvicorn server "
        f"({args.requests} each after a warm-up; export: {max(10, args.requests // 10)}).",
        "",
        *rows,
        "",
        "Page weight, bytes sent without / with gzip: " + "; ".join(
            f"`{a}` {plain:,} / {packed:,}" for a, (plain, packed) in SIZES.items()) + ".",
        "",
        f"`mastery serve` from launch to the first `/healthz` answer (median of 5, fresh "
        f"data folder, migrations included): {start:.2f} s.",
        "",
        "Reproduce: `.venv/bin/python benchmarks/web_bench.py` (with "
        "`MASTERY_TEST_POSTGRES_URL` set for the PostgreSQL column).",
        END,
    ])
    print(section)
    if not args.no_write:
        write_results(section)


if __name__ == "__main__":
    main()
