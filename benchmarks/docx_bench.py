"""Benchmark of checking and annotating a Word document (a benchmark, not a test).

    .venv/bin/python benchmarks/docx_bench.py [--runs 7] [--no-write]

It builds a ~30-page document (~10,000 words: headings, paragraphs split into
differently formatted runs, bullet lists, tables, a header and a footer) from the
evaluation sentences, deterministically, and measures, median of ``--runs`` after one
warm-up, in-process:

* reading the .docx and checking it (``check_docx``);
* writing the annotated copy (``annotate``: a comment per finding), and with every
  finding's first suggestion taken as a replacement written as a tracked change
  (the most work ``--track-changes`` can do);
* checking the same text pasted as plain text (the ratio is the cost of Word);
* the whole command, ``mastery check bench.docx --annotate out.docx`` (start-up included).

Results are printed and written to benchmarks/docx_bench.md. Target: check + annotate
a 30-page document in <= 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "docx_bench.md"
EVAL = ROOT / "tests" / "checker_eval.yaml"
TARGET_WORDS = 10_000
BIN = Path(sys.executable).parent

sys.path.insert(0, str(ROOT))


def make_document(target: int = TARGET_WORDS) -> tuple[bytes, str, int]:
    """(docx bytes, the same text as plain text, word count) of about ``target`` words."""
    import docx
    from docx.shared import Pt

    sentences = [s["text"] for s in yaml.safe_load(EVAL.read_text("utf-8"))["sentences"]]
    filler = ("Families can see each week what their child has learned and what comes next, "
              "and teachers meet with them twice a year to plan the next steps together.")
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Cedar Valley Schools - family newsletter"
    document.sections[0].footer.paragraphs[0].text = "Questions? Call the main office."
    plain: list[str] = []
    words = 0
    k = 0
    section = 0
    while words < target:
        section += 1
        title = f"Part {section}: what changes for students"
        document.add_heading(title, 1 + section % 2)
        plain.append(title)
        for _ in range(5):
            text = " ".join([sentences[k % len(sentences)], filler,
                             sentences[(k + 7) % len(sentences)]])
            k += 1
            paragraph = document.add_paragraph()
            cut = [0, len(text) // 4, len(text) // 2, 3 * len(text) // 4, len(text)]
            for n, (a, b) in enumerate(zip(cut, cut[1:], strict=False)):
                run = paragraph.add_run(text[a:b])
                run.bold = n == 1 or None
                run.italic = n == 2 or None
                if n == 3:
                    run.font.size = Pt(12)
            plain.append(text)
            words += len(text.split())
        for _ in range(3):
            item = sentences[k % len(sentences)]
            k += 1
            document.add_paragraph(item, style="List Bullet")
            plain.append(item)
            words += len(item.split())
        if section % 5 == 0:
            table = document.add_table(rows=3, cols=3)
            for r in range(3):
                for c in range(3):
                    cell = sentences[(k + r * 3 + c) % len(sentences)]
                    table.cell(r, c).text = cell
                    plain.append(cell)
                    words += len(cell.split())
            k += 9
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), "\n\n".join(plain), words


class Seconds(float):
    """A median CPU time that also knows the wall-clock median of the same runs."""

    wall: float = 0.0


def timed(fn: Callable[[], Any], runs: int) -> tuple[Seconds, Any]:
    """Median CPU time of ``fn`` (this process's, so the other jobs on a shared machine
    count less), with the wall-clock median in ``.wall``."""
    fn()  # warm-up
    cpu, wall = [], []
    result = None
    for _ in range(runs):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    out = Seconds(statistics.median(cpu))
    out.wall = statistics.median(wall)
    return out, result


def ms(value: Seconds) -> str:
    return f"{value * 1000:.0f} ms (wall {value.wall * 1000:.0f} ms)"


def as_replacements(report: Any) -> Any:
    findings = [replace(f, flag=replace(f.flag, suggestions=tuple(
        {"text": s, "kind": "replacement"} for s in f.flag.suggestions[:1])))
        for f in report.findings]
    return replace(report, findings=findings)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from messaging.checker import Checker
    from messaging.docx_annotate import annotate
    from messaging.docx_reader import check_docx, read_document
    from toolkit import load_toolkit

    checker = Checker.from_toolkit(load_toolkit())
    data, plain, words = make_document()
    paragraphs = len([u for u in read_document(data).units if u.where == "body"])
    runs = args.runs

    t_check, report = timed(lambda: check_docx(checker, data), runs)
    t_annotate, annotated = timed(lambda: annotate(check_docx(checker, data)), runs)
    typed = as_replacements(report)
    t_tracked, tracked = timed(lambda: annotate(as_replacements(check_docx(checker, data)),
                                                track_changes=True), runs)
    t_plain, plain_report = timed(lambda: checker.check(plain), runs)
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(tracked)).read("word/document.xml")
    changes = xml.count(b"<w:ins ")
    replaced = len([f for f in typed.findings if f.flag.suggestions])

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bench.docx"
        source.write_bytes(data)
        out = Path(folder) / "out.docx"
        command = [str(BIN / "mastery"), "check", str(source), "--annotate", str(out),
                   "--fail-level", "none", "--format", "json"]
        env = {**os.environ, "TMPDIR": folder}
        subprocess.run(command, capture_output=True, env=env, check=True)  # warm the caches
        cli_times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, env=env, check=True)
            cli_times.append(time.perf_counter() - start)
        t_cli = statistics.median(cli_times)

    # linear time: the same kind of document at 1x, 2x and 4x the size
    scaling = []
    for factor in (1, 2, 4):
        big, _, big_words = make_document(TARGET_WORDS * factor)
        seconds, _ = timed(lambda big=big: annotate(check_docx(checker, big)), max(3, runs // 2))
        scaling.append((factor, big_words, seconds))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Word documents: check and annotate",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {load:.2f} at the start "
        f"({dt.date.today().isoformat()}).",
        f"Document: {words:,} words in {paragraphs} paragraphs (~30 pages: headings, paragraphs "
        f"in 4 differently formatted runs each, bullet lists, 3x3 tables every fifth section, a "
        f"header and a footer), {len(data) // 1024} KB; {len(report.findings)} findings.",
        f"Median of {runs} runs after one warm-up, in-process unless said: CPU time of the "
        "process (the machine is shared; other jobs inflate wall-clock times), with the "
        "wall-clock median beside it.",
        "",
        "| step | time | target |",
        "| --- | --- | --- |",
        f"| read + check the .docx (`check_docx`) | {ms(t_check)} | |",
        f"| read + check + annotated copy (a comment per finding) | {ms(t_annotate)} "
        f"| <= 1 s |",
        f"| the same + every finding with a suggestion as a tracked change ({changes} changes) "
        f"| {ms(t_tracked)} | <= 1 s |",
        f"| the same text pasted as plain text (`Checker.check`) | {ms(t_plain)} | |",
        f"| whole command `mastery check bench.docx --annotate out.docx` (start-up included; "
        f"wall clock) | {t_cli * 1000:.0f} ms | |",
        "",
        f"Cost of Word over plain text: x{t_check / t_plain:.2f} to check, "
        f"x{t_annotate / t_plain:.2f} with the annotated copy. The plain text gives "
        f"{len(plain_report.flags)} findings, the document {len(report.findings)}.",
        f"({replaced} findings have a suggestion; the tracked-change row treats each first "
        "suggestion as a replacement, which is the most work `--track-changes` can do.)",
        "",
        "Linear time — check + annotated copy of the same kind of document at 1x, 2x, 4x "
        "(median of at least 3):",
        "",
        "| words | time | CPU per 1,000 words |",
        "| --- | --- | --- |",
        *[f"| {w:,} | {ms(t)} | {t * 1000 / (w / 1000):.1f} ms |"
          for _f, w, t in scaling],
        "",
        "Reproduce: `.venv/bin/python benchmarks/docx_bench.py`.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
