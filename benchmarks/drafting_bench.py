"""Benchmark template rendering (a benchmark, not a test: run it by hand or in CI).

    .venv/bin/python benchmarks/drafting_bench.py [--runs 7] [--no-write]

For every shipped template, with its example data: the median time to validate,
and to render Markdown, HTML and Word in-process (including the phrase check of
the result); plus the whole-process time of ``mastery draft pilot-application
... --format docx``. Writes the table into benchmarks/RESULTS.md between the
``drafting`` markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- drafting:start -->", "<!-- drafting:end -->"
BIN = Path(sys.executable).parent

sys.path.insert(0, str(ROOT))


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm-up: compiles the template, builds the checker
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from messaging import drafting
    from toolkit import load_toolkit

    tk = load_toolkit()
    rows = []
    for template_id in sorted(tk.templates):
        data = drafting.example_data(tk, template_id)
        words = len(drafting.render(tk, template_id, data, "md").text.split())
        cells = [f"`{template_id}`", str(words)]
        cells.append(f"{median_ms(lambda: drafting.validate(tk, template_id, data, 'final'), args.runs):.1f}")  # noqa: B023,E501
        for fmt in ("md", "html", "docx"):
            cells.append(f"{median_ms(lambda: drafting.render(tk, template_id, data, fmt), args.runs):.1f}")  # noqa: B023,E501
        rows.append(cells)

    with tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / "app.yaml"
        data_file.write_text(drafting.example_yaml(tk, "pilot-application"))
        out = Path(tmp) / "app.docx"
        command = [str(BIN / "mastery"), "draft", "pilot-application", "--data", str(data_file),
                   "--format", "docx", "-o", str(out)]
        env = {k: v for k, v in os.environ.items() if k != "MASTERY_TOOLKIT"}
        process_times = []
        for _ in range(max(3, args.runs // 2)):
            t0 = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            process_times.append(time.perf_counter() - t0)
        cli_s = statistics.median(process_times)

    lines = [
        "## Templates (drafting)",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f}.",
        f"Median of {args.runs} runs after one warm-up, in-process, each template's example "
        "data; render times include the phrase check and readability of the result.",
        "",
        "| template | words | validate (ms) | Markdown (ms) | HTML (ms) | Word (ms) |",
        "| --- | --- | --- | --- | --- | --- |",
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
        f"Whole process, `mastery draft pilot-application --data … --format docx -o …`: "
        f"{cli_s:.2f} s (median of {len(process_times)}).",
        "",
        "Reproduce: `.venv/bin/python benchmarks/drafting_bench.py`",
    ]
    table = "\n".join(lines)
    print(table)
    if args.no_write:
        return
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    block = f"{START}\n{table}\n{END}"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1]
        current = before + block + after
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(current)


if __name__ == "__main__":
    main()
