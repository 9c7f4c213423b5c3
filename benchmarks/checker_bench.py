"""Benchmark of the phrase checker (a benchmark, not a test: run it by hand or in CI).

    .venv/bin/python benchmarks/checker_bench.py [--runs 15] [--no-write]

It prints, and writes into benchmarks/RESULTS.md between the ``checker``
markers:

* precision and recall per rule on tests/checker_eval.yaml;
* the time to check a ~10,000-word document (rules and readability) in-process,
  and the same document linted in-process by proselint;
* whole-process times of ``mastery check`` and ``proselint check`` on that file;
* precision, recall, exit codes and long-sentence precision on the real-text corpus
  (benchmarks/checker_corpus: dev and held-out separately, see checker_realtext.py);
* the 20,000 vs 200,000-character times of each pathological shape (linear time).

The document is generated deterministically from the shipped toolkit content
and the evaluation sentences, so every run measures the same text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
EVAL = ROOT / "tests" / "checker_eval.yaml"
START, END = "<!-- checker:start -->", "<!-- checker:end -->"
TARGET_WORDS = 10_000
BIN = Path(sys.executable).parent

sys.path.insert(0, str(ROOT))


# ------------------------------------------------------------------ data
def load_eval() -> tuple[list[dict], list[str]]:
    data = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    return data["sentences"], data["scored"]


def make_document(tk, sentences: list[dict]) -> str:
    """About 10,000 words of Markdown built from the toolkit and the eval sentences."""
    blocks: list[str] = []
    for entry in tk.faq.values():
        blocks.append(f"## {entry.question}\n\n{entry.full}")
    for myth in tk.myths.values():
        blocks.append(f"### Myth: {myth.myth}\n\n{myth.fact} {myth.evidence}")
    for point in tk.proof_points.values():
        blocks.append(f"- **{point.title}.** {point.statement}")
    for term in tk.glossary.values():
        blocks.append(f"- *{term.term}*: {term.plain}")
    for audience in tk.audiences.values():
        blocks.append(" ".join(m.text for m in (*audience.key_messages, *audience.talking_points)))
    eval_text = [s["text"] for s in sentences]
    for i in range(0, len(eval_text), 6):
        blocks.append(" ".join(eval_text[i : i + 6]))
    doc: list[str] = []
    words = 0
    i = 0
    while words < TARGET_WORDS:
        block = blocks[i % len(blocks)]
        doc.append(block)
        words += len(block.split())
        i += 1
    text = "\n\n".join(doc)
    # trim to exactly TARGET_WORDS words at a word boundary, keeping the layout
    cut = 0
    count = 0
    for count, match in enumerate(__import__("re").finditer(r"\S+", text), 1):
        cut = match.end()
        if count == TARGET_WORDS:
            break
    return "# Mastery-based learning: questions and answers\n\n" + text[:cut] + "\n"


# ------------------------------------------------------------- precision
def evaluate(checker, sentences: list[dict], scored: list[str]) -> tuple[dict, dict]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    for s in sentences:
        want = set(s["rules"])
        report = checker.check(s["text"], audience=s.get("audience"))
        got = {f.rule for f in report.flags if f.rule != "long-sentence"}
        for rule in want:
            labelled[rule] += 1
            if rule in got:
                tp[rule] += 1
            else:
                fn[rule] += 1
        for rule in got - want:
            fp[rule] += 1
    per_rule = {}
    for rule in sorted(set(labelled) | set(fp)):
        p_den = tp[rule] + fp[rule]
        r_den = tp[rule] + fn[rule]
        per_rule[rule] = {
            "positives": labelled[rule],
            "tp": tp[rule],
            "fp": fp[rule],
            "fn": fn[rule],
            "precision": tp[rule] / p_den if p_den else 1.0,
            "recall": tp[rule] / r_den if r_den else 1.0,
        }
    s_tp = sum(tp[r] for r in scored)
    s_fp = sum(fp[r] for r in scored)
    s_fn = sum(fn[r] for r in scored)
    overall = {
        "precision": s_tp / (s_tp + s_fp) if s_tp + s_fp else 1.0,
        "recall": s_tp / (s_tp + s_fn) if s_tp + s_fn else 1.0,
        "sentences": len(sentences),
        "negatives": sum(1 for s in sentences if not s["rules"]),
    }
    return per_rule, overall


# ----------------------------------------------------------------- speed
def _clear_textstat_caches() -> None:
    from messaging.readability import get_textstat

    for cls in type(get_textstat()).__mro__:
        for value in vars(cls).values():
            clear = getattr(value, "cache_clear", None)
            if clear:
                clear()


def _summary(times: list[float]) -> dict:
    return {"median": statistics.median(times), "best": min(times), "times": times}


def time_in_process(checker, doc: str, runs: int) -> tuple[dict, dict]:
    """The checker and proselint on the same text, runs interleaved so both see the same load."""
    from proselint.checks import __register__
    from proselint.config import DEFAULT
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    from messaging import matching
    from messaging.readability import get_textstat

    CheckRegistry().register_many(__register__)
    LintFile("doc.md", doc).lint(DEFAULT)  # proselint's warm-up (compiles its patterns)
    # the first call meets every word for the first time: no stems, syllables (ours or
    # Pyphen's), token forms or compiled-rule lookups remembered from the evaluation
    matching._STEMS.clear()
    matching._NORMS.clear()
    matching._IS_WORD.clear()
    type(get_textstat())._memo.clear()
    get_textstat().pyphen.hd.cache.clear()
    _clear_textstat_caches()
    t = time.perf_counter()
    report = checker.check(doc, audience="parents")
    first = time.perf_counter() - t
    ours: list[float] = []
    theirs: list[float] = []
    results: list = []
    for _ in range(runs):
        # like timeit: collect garbage first, and no collection inside a timed run
        _clear_textstat_caches()
        gc.collect()
        gc.disable()
        t = time.perf_counter()
        checker.check(doc, audience="parents")
        ours.append(time.perf_counter() - t)
        gc.enable()
        gc.collect()
        gc.disable()
        t = time.perf_counter()
        results = LintFile("doc.md", doc).lint(DEFAULT)
        theirs.append(time.perf_counter() - t)
        gc.enable()
    chk = _summary(ours) | {
        "first": first,
        "flags": len(report.flags),
        "readability": report.readability,
    }
    return chk, _summary(theirs) | {"findings": len(results)}


def compile_bytecode() -> None:
    """Compile our modules to bytecode, as a wheel install does (proselint's already are).

    Sessions that set PYTHONDONTWRITEBYTECODE would otherwise recompile every
    module of the project on every run, which no installed copy does.
    """
    import compileall

    for package in ("bot", "faq", "messaging", "toolkit"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def time_processes(commands: dict[str, list[str]], runs: int) -> dict[str, dict]:
    """Whole-process wall time of each command, interleaved run by run."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MASTERY_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            t = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, env=env, check=False)
            times[name].append(time.perf_counter() - t)
            if done.returncode not in (0, 1):
                raise SystemExit(
                    f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[:500]}"
                )
    return {name: _summary(values) for name, values in times.items()}


def paired_ratio(slow: dict, fast: dict) -> float:
    """Median of run-by-run ratios (robust when the machine is busy)."""
    return statistics.median(a / b for a, b in zip(slow["times"], fast["times"], strict=True))


# ---------------------------------------------------------------- report
def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def row(label: str, result: dict) -> str:
    return f"| {label} | {ms(result['median'])} | {ms(result['best'])} |"


def render(
    per_rule, overall, scored, words, chk, prose, cli, cli_settings, cli_cold, pl_cli, cli_new_words
) -> str:
    lines = [
        START,
        "## Phrase checker (`mastery check`)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f} at the end, "
        "by `benchmarks/checker_bench.py`.",
        "",
        f"**Evaluation set** (`tests/checker_eval.yaml`): {overall['sentences']} sentences, "
        f"{overall['negatives']} of them near-misses no rule should flag. "
        f"Over the required rules: precision **{overall['precision']:.3f}** (target ≥ 0.97), "
        f"recall **{overall['recall']:.3f}** (target ≥ 0.95).",
        "",
        "| rule | positives | TP | FP | FN | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for rule, r in per_rule.items():
        mark = " (required)" if rule in scored else ""
        lines.append(
            f"| {rule}{mark} | {r['positives']} | {r['tp']} | {r['fp']} | {r['fn']} | "
            f"{r['precision']:.3f} | {r['recall']:.3f} |"
        )
    speedup = paired_ratio(prose, chk)
    cli_ratio = paired_ratio(pl_cli, cli)
    rd = chk["readability"]
    lines += [
        "",
        f"**Speed** on a generated {words:,}-word Markdown document "
        "(toolkit content + eval sentences), audience `parents`, rules and readability:",
        "",
        "| measurement | median | best |",
        "|---|---:|---:|",
        row("`Checker.check()` in-process (target ≤ 50 ms)", chk),
        f"| `Checker.check()` first call, every word new | {ms(chk['first'])} | |",
        row("proselint `LintFile.lint()` in-process", prose),
        row("`mastery --toolkit DIR check doc.md` whole process, warm caches", cli),
        row("`mastery --toolkit DIR check doc.md`, every word new to the cache", cli_new_words),
        row("`mastery check doc.md` whole process (toolkit path via Settings)", cli_settings),
        row("`mastery check doc.md` whole process, cold rules and word caches", cli_cold),
        row("`proselint check doc.md` whole process", pl_cli),
        "",
        f"Throughput: **{words / chk['best']:,.0f} words/s** in-process at best "
        f"({words / chk['median']:,.0f} at the median). Against proselint: "
        f"**{prose['best'] / chk['best']:.1f}×** faster in-process comparing best runs, "
        f"{speedup:.1f}× as the median of paired, interleaved runs (target ≥ 4×); the whole "
        f"`mastery check` process takes **{cli['best'] / pl_cli['best']:.2f}×** the time of "
        f"`proselint check` comparing best runs, {1 / cli_ratio:.2f}× as the median of paired "
        "runs (target ≤ 1). "
        f"The check found {chk['flags']} flags; proselint {prose['findings']}. "
        f"Readability of the document: grade {rd.flesch_kincaid_grade:g}, reading ease "
        f"{rd.flesch_reading_ease:g} (syllables: {rd.syllable_source}).",
        "",
        "Timing: runs alternate between the checker and proselint so both meet the same load; "
        "garbage is collected before, and not during, each timed run (as `timeit` does). On a "
        "shared machine the best run is the steadiest statistic (timeit's advice); the median "
        "shows the spread other processes add. "
        "Whole-process runs use compiled bytecode, as an installed package has. The rules cache "
        "(compiled rules + parsed hyphenation patterns, in a private temp folder) is rebuilt "
        "whenever rules, findings, sources, audiences or templates change; the word cache "
        "(syllables and stems of words met before, Pyphen's and Snowball's own results) spares "
        "a new process hyphenating known words. The 'every word new' row deletes the word "
        "cache before each run, the cold row both caches. The Settings row shows the cost of "
        "resolving the toolkit path through pydantic-settings when `--toolkit` is not given.",
        END,
    ]
    return "\n".join(lines)


# ------------------------------------------------------------ real text, linear time
def realtext_lines(checker) -> list[str]:
    """Precision/recall per rule, exit codes, long sentences on the real-text corpus."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import checker_realtext as rt

    scores = {name: rt.score(checker, rt.load(name)) for name in rt.SPLITS}
    lines = [
        "",
        "**Real-text corpus** (`benchmarks/checker_corpus/`: passages in our own words in the "
        "shapes of real district and state pages, FAQ pages, grading legends, letters to "
        "families, press releases, board slides, news stories with quotes and reported speech, "
        "statutes; each run with the audience it is written for; labelled before any run). "
        "*dev* was used to find and fix error classes; *held-out* was never tuned on. Both were "
        "written by the same person who fixed the checker, knowing the error classes, so they "
        "are easier than the hidden set of real passages: treat them as a regression check. "
        "*fresh* (20 passages) was written a session later after reading real pages again, "
        "labelled with flags, long sentences and exit codes before the checker ran on it; its "
        "errors were fixed by class only (see benchmarks/checker_corpus/README.md for its "
        "numbers before those fixes, the honest estimate). *fresh2* (14 passages) was written "
        "after those fixes and labelled before it was run: its first run (precision 1.000, "
        "recall 0.714) is the honest estimate after them; its four misses were fixed by class "
        "too. *fresh3* (16 passages) was written by a second helper after reading real pages "
        "again, and labelled before it was run; its first-run numbers are in the corpus "
        "README; its errors were then fixed by class. *fresh4* (8 passages) was written after "
        "those fixes and labelled before it was run: its first run (precision 0.800, recall "
        "0.250 with two labelling slips corrected) is the honest estimate after them, and "
        "shows that widening patterns per batch does not carry to the next batch. *fresh5* "
        "(14 passages, 3,095 words, session 4) was written by a third helper from other "
        "states' pages and labelled before it was run: first run precision 0.818, recall "
        "0.360, exit codes 10/14, the honest estimate now. Two class fixes followed (a "
        "participle of a speaking verb before \"that\" reports speech: \", saying that…\"; "
        "statute shapes of mandate language with a relative clause or a passive: \"each "
        "school district that operates a high school shall offer\", \"every credit must be "
        "awarded\"), then a matcher change (one intensifier between two words of a pattern "
        "is read past: \"at very different points\"), then the common reform idioms among "
        "its misses as families (\"overhaul / upend the…\", \"from scratch\", \"outside the "
        "school building\", \"doesn't stop at the classroom door\", \"systemwide "
        "transformation\"): its later rows are tuned on it. Its other misses are one-off "
        "idioms and were left. *fresh6* (14 passages, 3,444 words, session 4) was written "
        "by another helper after all of that and labelled before it was run: first run "
        "precision 0.880, recall 0.611, exit codes 12/14, the honest estimate now; then "
        "class fixes (mandate language with two-word subjects, a few words before \"to "
        "adopt\", \"forced on every high school\"; a requirement on students is not a "
        "mandate; reported questions \"asked how…\"; a few families), so its row is tuned. "
        "*fresh7* (14 passages, 3,149 words) was written by a third helper after the fresh6 "
        "changes and labelled before it was run: first run precision 0.882, recall 0.536, "
        "exit codes 10/14, the honest estimate after them; its class fixes (\"nothing in "
        "this section requires\", jargon explained by the next sentence, noun forms "
        "\"overhaul of\", small variants of known wordings) make its row tuned too. "
        "*fresh8* (14 passages, 3,349 words) by a fourth helper after those: first run "
        "precision 0.769, recall 0.385, long-sentence precision 0.963, exit codes 11/14; "
        "then class fixes (legend lines end at their line end; \"X, a … that\" explains "
        "jargon; more jargon terms; a few families), so its row is tuned too. Across the "
        "fresh batches the first runs, the honest estimates, stay at recall 0.25–0.86 and "
        "precision 0.77–1.00. *fresh9* (14 passages, 3,195 words, first run precision "
        "0.905, recall 0.576) and *fresh10* (14 passages, 3,458 words, first run 0.875 / "
        "0.179: its writer was asked for phrasings other than the rules' examples) were then "
        "read for error classes in session 5, with two audits on real page excerpts kept "
        "out of the repository (precision 0.667 / recall 0.524 and 0.714 / 0.28 before the "
        "fixes each led to): their rows are tuned. *fresh11* (14 passages, 3,450 words) was "
        "written after those changes and is untouched. *fresh12* (16 passages, 3,815 "
        "words) was written in session 6 and is untouched too: its first run, on the "
        "checker as session 6 began, measured precision 0.800, recall 0.600, exit codes "
        "15/16; its row is the checker after the session's changes, which came from two "
        "audits on real page excerpts (the corpus README has every real-page audit, the "
        "closest measure to the hidden set). *fresh13*-*fresh20* (16 passages each, 35,438 "
        "words in all) are session 12's eight audits, written by helpers who never saw the "
        "checker: their development two thirds were read for error classes, so their rows are "
        "partly tuned; each third's numbers at the session's start, at its first run and at "
        "the session's end (the held-out thirds were never read) are in the corpus README. "
        "Pooled over the eight held-out thirds (40 passages, 11,145 words), from the "
        "session's start to its end: precision 0.789 -> 0.933, recall 0.517 -> 0.716, exit "
        "codes 36/40 -> 37/40, long-sentence precision 1.000. *fresh21* (a ninth audit, "
        "4,111 words) arrived last and is untouched: from the session's start to its end, "
        "precision 0.857 -> 0.932, recall 0.612 -> 0.837, exit codes 16/16.",
        "",
        rt.HEADER,
        *(rt.summary_line(name, s) for name, s in scores.items()),
        "",
        "Per rule (phrase flags; quoted flags — quotations, block quotes, reported speech — "
        "are not counted, as they never fail a check):",
        "",
        rt.per_rule_table(scores),
    ]
    return lines


LINEAR_SHAPES = {
    "`](` runs": "](",
    "backticks": "`",
    "tildes": "~",
    "`[`": "[",
    "`]`": "]",
    "asterisks": "*",
    "underscores": "_",
    "`<`": "<",
    "`<script`": "<script",
    "`a@b.`": "a@b.",
    "nested lists": "  - a\n    - b\n",
    "one long word": "a",
    "`\"a `": '"a ',
    "flag-dense prose": "rigorous new model ",
    "one 200,000-character line": "word, ",
    # session 8: greeting lines, footnote markers, bullet-less list lines, long headlines,
    # "the … report card shows" and "x-based" modifiers
    "greeting lines": "Dear families and friends of our school,\n",
    "footnote markers": "Scores fell.[2]\n",
    "semicolon list lines": "Promote learning for students;\n",
    "long unterminated lines": "Pilot allows districts to redesign high school around learning\n",
    "`the new report card shows `": "the new report card shows ",
    "`a x-based `": "a x-based ",
    # session 9: quotations introduced by "states that:", dateline abbreviations, "1,200"
    "`states that:` lines": "The report states that:\nStudents get a rigorous course.\n",
    "`states that:` inline": "it states: rigorous ",
    "datelines": "MONTPELIER, Vt. — Gov. Dana Ortiz said ",
    "numbers with commas": "1,200 ",
    "spaced hyphens": "word - ",
    # session 10: bullets pasted from Word and PDF; an initial before a quotation
    "pasted bullets": "    ●   an item;\n",
    "initials before quotes": "Ph.D. “A ",
}


def linear_lines(checker) -> list[str]:
    """20,000 vs 200,000 characters of each pathological shape, interleaved best of 3."""
    rows = []
    worst = 0.0
    for name, unit in LINEAR_SHAPES.items():
        small = (unit * (20_000 // len(unit) + 1))[:20_000]
        large = (unit * (200_000 // len(unit) + 1))[:200_000]
        best = [float("inf"), float("inf")]
        for _ in range(3):
            for k, text in enumerate((small, large)):
                gc.collect()
                gc.disable()  # as for the other timings: collected before, not during
                start = time.perf_counter()
                checker.check(text)
                best[k] = min(best[k], time.perf_counter() - start)
                gc.enable()
        worst = max(worst, best[1])
        rows.append(f"| {name} | {ms(best[0])} | {ms(best[1])} | {best[1] / best[0]:.1f} |")
    return [
        "",
        "**Linear time** (issue 14): each shape at 20,000 and 200,000 characters, `Checker.check()`"
        " in-process, best of 3 interleaved runs. A linear check gives a ratio near 10; the old "
        "quadratic patterns gave about 100 (`\"](\" * 15000` took 7.4 s). Target: any "
        "200,000-character input in ≤ 0.5 s; slowest here "
        f"**{ms(worst)}** (load average {os.getloadavg()[0]:.1f} on this 2-core machine "
        "at the end of the run). `tests/test_checker_linear.py` asserts the ratio.",
        "",
        "| shape | 20,000 chars | 200,000 chars | ratio |",
        "|---|---:|---:|---:|",
        *rows,
    ]


def write_results(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in text and END in text:
        before = text[: text.index(START)]
        after = text[text.index(END) + len(END) :]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    tmp = RESULTS.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(RESULTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave RESULTS.md alone"
    )
    args = parser.parse_args()

    from messaging.cache import packaged_toolkit_path
    from messaging.checker import Checker
    from toolkit import load_toolkit

    tk = load_toolkit()
    sentences, scored = load_eval()
    checker = Checker.from_toolkit(tk)
    per_rule, overall = evaluate(checker, sentences, scored)
    doc = make_document(tk, sentences)
    words = len(doc.split())
    chk, prose = time_in_process(Checker.from_toolkit(tk), doc, args.runs)

    runs = max(7, args.runs // 2)
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.md"
        path.write_text(doc, encoding="utf-8")
        mastery = [str(BIN / "mastery")]
        common = ["check", str(path), "--audience", "parents", "--format", "json"]
        common += ["--fail-level", "none"]
        fast = [*mastery, "--toolkit", str(packaged_toolkit_path()), *common]
        proselint = [str(BIN / "proselint"), "check", str(path)]
        cache_dir = Path(tempfile.gettempdir()) / f"mastery-comms-{os.getuid()}"
        words_file = cache_dir / "words.json"
        cold_times = []
        new_word_times = []
        for _ in range(3):
            for stale in cache_dir.glob("checker-*.json"):
                stale.unlink()
            words_file.unlink(missing_ok=True)
            cold_times.append(time_processes({"cold": fast}, 1)["cold"]["median"])
        for _ in range(3):
            words_file.unlink(missing_ok=True)
            new_word_times.append(time_processes({"new": fast}, 1)["new"]["median"])
        cli_cold = _summary(cold_times)
        cli_new_words = _summary(new_word_times)
        time_processes({"warm-up": fast}, 1)
        timed = time_processes(
            {"fast": fast, "settings": [*mastery, *common], "proselint": proselint}, runs
        )
        cli, cli_settings, pl_cli = timed["fast"], timed["settings"], timed["proselint"]

    section = render(
        per_rule,
        overall,
        scored,
        words,
        chk,
        prose,
        cli,
        cli_settings,
        cli_cold,
        pl_cli,
        cli_new_words,
    )
    extra = realtext_lines(checker) + linear_lines(checker)
    section = section.replace(END, "\n".join(extra) + "\n" + END)
    print(section)
    if not args.no_write:
        write_results(section)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
