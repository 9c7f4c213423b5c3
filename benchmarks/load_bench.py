"""Load and fault benchmark of `mastery serve` (issue 14).

    .venv/bin/python benchmarks/load_bench.py [--quick] [--postgres URL]

For SQLite and PostgreSQL, 1 and 2 workers: wrk at 1, 8 and 32 connections on checks of
300 and 5,000 words (a different text on every request, made by a wrk Lua script), an
ask, the page and a draft save (PUT on the connection's own draft, with its version).
Then: `/api/ask` alone and beside a loop of 30,000-word checks; and kill -9 of the whole
server under a load of draft saves, after which every acknowledged save is read back
(and every draft is read with the other user's token: it must be a 404).

Sign-in is required (a bearer token), as on an agency's server. The results go to
benchmarks/load_results.md with the machine's load (`uptime`) at each step: this 2-core
machine is shared, so absolute numbers are depressed; compare within one run.
Needs wrk (Debian package `wrk`; installed with apt-get when missing).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "load_results.md"
VOCABULARY = [
    "students", "learn", "at", "their", "own", "pace", "and", "show", "what", "they", "know",
    "when", "ready", "teachers", "give", "feedback", "on", "each", "skill", "grades", "report",
    "progress", "toward", "clear", "goals", "families", "see", "where", "a", "child", "stands",
    "rigorous", "innovative", "paradigm", "seat", "time", "competency", "mastery", "learning",
    "school", "district", "pilot", "community", "college", "career", "support", "practice",
    "evidence",
]

LUA_COMMON = r"""
local words = {%(words)s}
local token = os.getenv("BENCH_TOKEN")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
local counter = 0
function init(args)
  math.randomseed(os.time() * 1000 + (tonumber(args[1]) or 0) + math.floor(os.clock() * 1e6))
end
local function text(n)
  local out = {}
  for i = 1, n do out[i] = words[math.random(#words)] end
  out[n] = out[n] .. "."
  return table.concat(out, " ")
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p99_ms": %%.2f, "max_ms": %%.2f, '
    .. '"non2xx": %%d, "socket_errors": %%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""

LUA = {
    "check300": r"""
function request()
  return wrk.format("POST", "/api/check", nil, '{"text": "' .. text(300) .. '"}')
end
""",
    "check5000": r"""
function request()
  return wrk.format("POST", "/api/check", nil, '{"text": "' .. text(5000) .. '"}')
end
""",
    "ask": r"""
local questions = {"What is mastery-based learning?", "Will my child still get grades?",
  "Do colleges accept competency-based transcripts?", "What happens if a student falls behind?",
  "How do teachers know a student is ready?", "Is this just a fad?"}
function request()
  counter = counter + 1
  local q = questions[math.random(#questions)]
  return wrk.format("POST", "/api/ask", nil, '{"question": "' .. q .. '"}')
end
""",
    "page": r"""
function request()
  return wrk.format("GET", "/", nil, nil)
end
""",
    # one thread per connection, one draft per thread: the version is known
    "save": r"""
local drafts = {}
for line in io.lines(os.getenv("BENCH_DRAFTS")) do drafts[#drafts + 1] = line end
local mine, version
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("index", threads)
end
function request()
  if not mine then mine = drafts[index]; version = 1 end
  return wrk.format("PUT", "/api/drafts/" .. mine, nil,
    '{"base_version": ' .. version .. ', "data": {"headline": "' .. text(8) ..
    '", "lead": "' .. text(60) .. '"}}')
end
function response(status, headers, body)
  if status == 200 then version = version + 1 end
end
""",
}


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip().split(
        "load average:")[-1].strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed and apt-get could not install it")
    return found


class Server:
    def __init__(self, url: str, folder: Path, workers: int) -> None:
        self.url = url
        self.folder = folder
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_", "SLACK_"))}
        env.update(HOME=str(self.folder), MASTERY_DATA_DIR=str(self.folder),
                   MASTERY_DATABASE_URL=self.url, MASTERY_REQUIRE_AUTH="true",
                   MASTERY_SECRET_KEY="bench", MASTERY_SIGN_IN_ATTEMPTS="100000",
                   MASTERY_MAX_DRAFT_VERSIONS="1000000", MASTERY_WORK_SECONDS="30")
        return env

    def start(self) -> None:
        mastery = str(Path(sys.executable).with_name("mastery"))
        self.process = subprocess.Popen(
            [mastery, "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    time.sleep(3 if self.workers > 1 else 1)  # let every worker come up
                    self.settle()
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        raise RuntimeError("the server did not start")

    def settle(self, timeout: float = 60.0) -> None:
        """Wait until the server is idle: its workers' large-check processes load the
        toolkit in the background after start-up, which would skew the first runs."""
        deadline = time.monotonic() + timeout
        used = server_cpu_seconds(self)
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = server_cpu_seconds(self)
            if now - used < 0.05:  # under a tenth of a core
                return
            used = now

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill9()

    def kill9(self) -> None:
        """kill -9 the supervisor and every worker (the whole process group)."""
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def users(url: str) -> tuple[str, str]:
    from bot.store import DraftStore

    store = DraftStore.open(url)
    try:
        return store.add_user("ann")[1], store.add_user("bob")[1]
    finally:
        store.close()


def wrk(binary: str, base: str, scenario: str, connections: int, seconds: int,
        token: str, drafts: Path | None = None) -> dict[str, Any]:
    words = ", ".join(f'"{w}"' for w in VOCABULARY)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA_COMMON % {"words": words} + LUA[scenario])
    threads = connections if scenario == "save" else min(connections, 2)
    env = {**os.environ, "BENCH_TOKEN": token, "BENCH_DRAFTS": str(drafts or "")}
    out = subprocess.run(
        [binary, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
         "--timeout", "10s", "-s", script.name, base],
        capture_output=True, text=True, env=env, timeout=seconds + 120)
    os.unlink(script.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("{")), None)
    if line is None:
        raise RuntimeError(out.stdout + out.stderr)
    result: dict[str, Any] = json.loads(line)
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    return result


def make_drafts(base: str, token: str, count: int, folder: Path) -> Path:
    ids = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
        for _ in range(count):
            made = client.post("/api/drafts", json={"template": "press-release",
                                                    "data": {"headline": "start"}}, timeout=30)
            made.raise_for_status()
            ids.append(made.json()["id"])
    path = folder / f"drafts-{time.monotonic_ns()}.txt"
    path.write_text("\n".join(ids) + "\n")
    return path


#: words of ordinary length: 30,000 of them stay under the API's 200,000-character limit
SHORT = [w for w in VOCABULARY if len(w) <= 6]


def words(n: int, rng: random.Random) -> str:
    return " ".join(rng.choice(SHORT) for _ in range(n)) + "."


def ask_beside_large_checks(binary: str, server: Server, token: str,
                            seconds: int) -> dict[str, Any]:
    """/api/ask at 8 connections alone, then beside a loop of 30,000-word checks."""
    alone = wrk(binary, server.base, "ask", 8, seconds, token)
    stop = threading.Event()
    checks: list[float] = []
    statuses: list[int] = []

    def loop() -> None:
        rng = random.Random(7)
        with httpx.Client(base_url=server.base, timeout=120,
                          headers={"Authorization": f"Bearer {token}"}) as client:
            while not stop.is_set():
                started = time.monotonic()
                response = client.post("/api/check", json={"text": words(30_000, rng)})
                statuses.append(response.status_code)
                checks.append(time.monotonic() - started)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    time.sleep(2)
    beside = wrk(binary, server.base, "ask", 8, seconds, token)
    stop.set()
    thread.join(timeout=180)
    return {"alone": alone, "beside": beside, "large_checks": len(checks),
            "large_check_seconds": round(sum(checks) / max(1, len(checks)), 2),
            "large_check_statuses": sorted(set(statuses))}


def kill9_under_load(server: Server, tokens: tuple[str, str], seconds: float
                     ) -> dict[str, Any]:
    """Save drafts from 8 clients, kill -9 the server, restart, read every acknowledged save."""
    acked: list[tuple[str, str, int, str]] = []  # token, draft, version, headline
    lock = threading.Lock()
    stop = threading.Event()
    errors = {"refused": 0}

    def client_loop(token: str, seed: int) -> None:
        rng = random.Random(seed)
        headers = {"Authorization": f"Bearer {token}"}
        try:
            with httpx.Client(base_url=server.base, headers=headers, timeout=10) as client:
                made = client.post("/api/drafts", json={"template": "press-release",
                                                        "data": {"headline": "v1"}})
                draft = made.json()["id"]
                version = 1
                while not stop.is_set():
                    headline = words(6, rng)
                    response = client.put(f"/api/drafts/{draft}", json={
                        "base_version": version, "data": {"headline": headline}})
                    if response.status_code == 200:
                        version = response.json()["version"]
                        with lock:
                            acked.append((token, draft, version, headline))
        except (httpx.HTTPError, KeyError, ValueError):
            errors["refused"] += 1  # the server went away mid-request: not acknowledged

    threads = [threading.Thread(target=client_loop, args=(tokens[i % 2], i), daemon=True)
               for i in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    server.kill9()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    server.start()
    lost = 0
    cross = 0
    with httpx.Client(base_url=server.base, timeout=30) as client:
        for token, draft, version, headline in acked:
            found = client.get(f"/api/drafts/{draft}/history",
                               headers={"Authorization": f"Bearer {token}"})
            versions = {v["version"]: v["data"] for v in found.json()}
            if versions.get(version, {}).get("headline") != headline:
                lost += 1
        for draft in {d for _, d, _, _ in acked}:
            owner = next(t for t, d, _, _ in acked if d == draft)
            other = tokens[1] if owner == tokens[0] else tokens[0]
            if client.get(f"/api/drafts/{draft}",
                          headers={"Authorization": f"Bearer {other}"}).status_code != 404:
                cross += 1
    return {"acknowledged": len(acked), "lost": lost, "cross_user_reads": cross,
            "clients_cut_off": errors["refused"]}


def server_cpu_seconds(server: Server) -> float:
    """CPU seconds (user + system) used so far by the server's processes (its session:
    the supervisor, the workers and their large-check pools); 0 where /proc is missing."""
    if server.process is None:
        return 0.0
    total = 0
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == server.process.pid:  # session id (start_new_session)
            total += int(fields[11]) + int(fields[12])
    return total / tick


SCENARIOS = ("check300", "check5000", "ask", "page", "save")


def run(args: argparse.Namespace) -> dict[str, Any]:
    binary = ensure_wrk()
    seconds = 3 if args.quick else args.seconds
    connections = args.connections
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "load_start": uptime()},
                               "runs": [], "ask_beside": {}, "kill9": {}}
    backends = [("sqlite", None)] if "sqlite" in args.db else []
    if args.postgres and "postgresql" in args.db:
        backends.append(("postgresql", args.postgres))
    for db, pg in backends:
        for workers in args.workers:
            folder = Path(tempfile.mkdtemp(prefix=f"load-{db}-{workers}-"))
            url = f"sqlite:///{folder / 'bench.db'}" if pg is None else fresh_schema(pg)
            tokens = users(url)
            server = Server(url, folder, workers)
            server.start()
            try:
                for scenario in args.scenario:
                    for conns in connections:
                        drafts = (make_drafts(server.base, tokens[0], conns, folder)
                                  if scenario == "save" else None)
                        cpu = server_cpu_seconds(server)
                        result = wrk(binary, server.base, scenario, conns, seconds, tokens[0],
                                     drafts)
                        cpu = server_cpu_seconds(server) - cpu
                        result.update(db=db, workers=workers, scenario=scenario,
                                      connections=conns, load=uptime(),
                                      cpu_ms=round(1000 * cpu / max(1, result["requests"]), 2))
                        print(json.dumps(result), flush=True)
                        results["runs"].append(result)
                if db == "sqlite" and args.beside:
                    beside = ask_beside_large_checks(binary, server, tokens[0], seconds * 2)
                    beside["load"] = uptime()
                    results["ask_beside"][f"{workers}"] = beside
                    print(json.dumps(beside), flush=True)
                if workers == 2 and args.kill9:
                    killed = kill9_under_load(server, tokens, 4.0)
                    killed["load"] = uptime()
                    results["kill9"][db] = killed
                    print(json.dumps(killed), flush=True)
            finally:
                server.stop()
    results["machine"]["load_end"] = uptime()
    return results


def fresh_schema(base: str) -> str:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def report(results: dict[str, Any], command: str) -> str:
    lines = ["# Load and fault benchmark (`mastery serve`)", "",
             f"Command: `{command}`", "",
             f"Machine: {results['machine']['cores']} cores, shared with other jobs; load average "
             f"(1, 5, 15 min) at start {results['machine']['load_start']}, at end "
             f"{results['machine']['load_end']}. Sign-in required (bearer token). Each row is one "
             "wrk run; `load` is the load average right after it.", "",
             "`server cpu ms` is the CPU time the server's processes used per request "
             "(from /proc).", "",
             "| db | workers | scenario | conns | req/s | p50 ms | p99 ms | max ms | "
             "server cpu ms | non-2xx | socket errors | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results["runs"]:
        lines.append(f"| {r['db']} | {r['workers']} | {r['scenario']} | {r['connections']} | "
                     f"{r['rps']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} | "
                     f"{r.get('cpu_ms', '')} | {r['non2xx']} | {r['socket_errors']} | "
                     f"{r['load']} |")
    lines += ["", "## `/api/ask` (8 connections) alone and beside a loop of 30,000-word checks", "",
              "| workers | alone req/s | alone p99 ms | beside req/s | beside p99 ms | "
              "large checks done | s per large check | their statuses | load |",
              "|---|---|---|---|---|---|---|---|---|"]
    for workers, b in results["ask_beside"].items():
        lines.append(f"| {workers} | {b['alone']['rps']} | {b['alone']['p99_ms']} | "
                     f"{b['beside']['rps']} | {b['beside']['p99_ms']} | {b['large_checks']} | "
                     f"{b['large_check_seconds']} | {b['large_check_statuses']} | {b['load']} |")
    lines += ["", "## kill -9 of the whole server (2 workers) under 8 clients saving drafts", "",
              "| db | acknowledged saves | lost | cross-user reads | clients cut off | load |",
              "|---|---|---|---|---|---|"]
    for db, k in results["kill9"].items():
        lines.append(f"| {db} | {k['acknowledged']} | {k['lost']} | {k['cross_user_reads']} | "
                     f"{k['clients_cut_off']} | {k['load']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--quick", action="store_true", help="3-second runs")
    parser.add_argument("--postgres", default=os.environ.get("MASTERY_TEST_POSTGRES_URL"),
                        help="PostgreSQL URL (a schema of its own is created in it)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS,
                        help="run only this wrk scenario (repeatable; default: all)")
    parser.add_argument("--db", action="append", choices=("sqlite", "postgresql"),
                        help="only this database (repeatable; default: both)")
    parser.add_argument("--workers", type=int, action="append",
                        help="only this number of workers (repeatable; default: 1 and 2)")
    parser.add_argument("--connections", type=int, action="append",
                        help="only this number of connections (repeatable; default: 1, 8, 32)")
    parser.add_argument("--no-beside", dest="beside", action="store_false",
                        help="skip /api/ask beside the large-check loop")
    parser.add_argument("--no-kill9", dest="kill9", action="store_false",
                        help="skip kill -9 under load")
    args = parser.parse_args()
    args.scenario = args.scenario or list(SCENARIOS)
    args.db = args.db or ["sqlite", "postgresql"]
    args.workers = args.workers or [1, 2]
    args.connections = args.connections or [1, 8, 32]
    results = run(args)
    command = "python benchmarks/load_bench.py " + " ".join(sys.argv[1:])
    args.output.write_text(report(results, command.strip()))
    args.output.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
