"""Check time grows linearly with the input, for every shape that used to be quadratic.

Each shape is checked at 20,000 and 200,000 characters in the same run; the ratio of the
times (not an absolute time: this machine is shared and noisy) must stay near 10. A
quadratic pattern gives about 100 (a run of "](" took 7.4 s for 30 KB before).
"""

from __future__ import annotations

import gc
import time

import pytest

from messaging.checker import Checker
from messaging.markup import prepare
from toolkit import Toolkit

SHAPES = {
    "link targets": "](",
    "backticks": "`",
    "tildes": "~",
    "fences": "```\n",
    "open brackets": "[",
    "close brackets": "]",
    "asterisks": "*",
    "underscores": "_",
    "angle brackets": "<",
    "html comments": "<!--",
    "raw elements": "<script",
    "unclosed raw elements": "<pre> x <script> ",
    "closed raw elements": "<pre>x</pre> ",
    "declarations": "<!a",
    "autolinks": "<http:",
    "e-mail-like": "a.",
    "at signs": "a@b.",
    "nested lists": "  - a\n    - b\n",
    "long word": "a",
    "quotes": '"a ',
    "curly quotes": "“a ",
    "unclosed quotes in paragraphs": "“a\n\n",
    "unclosed quotes in one-line paragraphs": "“a.\n",
    "closed curly quotes on one line": "“a” ",
    "curly open, straight close": "“a.\" ",
    "reported speech": "said ",
    "flag-dense prose": "rigorous new model ",
    # a capitalized term followed by a long hyphenated run: the program-name check once
    # had two ways to read each hyphen (exponential within its 120-character window)
    "hyphen runs after a term": "Summative Assessment" + "-A" * 40 + " ",
    "one long line": "word, ",
    # session 7: an FAQ title explains its term; a term before a colon and a list
    "FAQ titles on one heading line": "# Standards-Based Grading FAQ summative assessment ",
    "legends after a colon": "proficiency indicators:\n4 Exceeds\n3 Meets\n",
    "states that: lines": "The report states that:\nStudents get a rigorous course.\n",
    "states: inline": "it states: rigorous ",
    "datelines": "MONTPELIER, Vt. — Gov. Dana Ortiz said ",
    "numbers with commas": "1,200 ",
    "spaced hyphens": "word - ",
    # session 10: bullets pasted from Word and PDF; an initial before a quotation
    "pasted bullets": "    ●   an item;\n",
    "initials before quotes": "Ph.D. “A ",
    # session 13: "told … that" and a worry aired somewhere look a few words ahead per cue
    "told the board": "told the board on Monday ",
    "concerns aired somewhere": "raised concerns at the meeting ",
    "advice-only rule twice in a sentence": "set your own goals, pick your own projects ",
}
#: a linear check gives about 10 (cache effects and the load of other processes on this
#: shared machine push it to 20-35 at times); a quadratic one about 100.
#: A quadratic shape fast at 20k (5 ms) still fails: 500 ms / 10 ms = 50.
MAX_RATIO = 45.0


def _times(checker: Checker, small: str, large: str, runs: int = 3) -> tuple[float, float]:
    """Best times of each, the runs interleaved so that load from other processes on this
    shared machine falls on both sizes alike."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for k, text in enumerate((small, large)):
            gc.collect()
            gc.disable()  # as timeit does: the collector's pauses are not the checker's time
            try:
                start = time.perf_counter()
                checker.check(text)
                best[k] = min(best[k], time.perf_counter() - start)
            finally:
                gc.enable()
    return best[0], best[1]


@pytest.fixture(scope="module")
def checker(toolkit: Toolkit) -> Checker:
    built = Checker.from_toolkit(toolkit)
    built.check("Warm the caches up: rigorous new model.")
    return built


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_check_time_grows_linearly(checker: Checker, shape: str) -> None:
    unit = SHAPES[shape]
    small = (unit * (20_000 // len(unit) + 1))[:20_000]
    large = (unit * (200_000 // len(unit) + 1))[:200_000]
    t_small, t_large = _times(checker, small, large)
    t_small = max(t_small, 0.010)  # below 10 ms the ratio is noise
    assert t_large / t_small < MAX_RATIO, (shape, t_small, t_large)



def test_many_flags_in_one_long_question_are_linear(checker: Checker) -> None:
    # each flag in a question asks whether a clause break follows it; one sentence is read
    # once for that, not once per flag (session 20: 0.5 s at 20k, 49 s at 200k before)
    small = ("rigorous, " * 2_000) + "?"
    large = ("rigorous, " * 20_000) + "?"
    t_small, t_large = _times(checker, small, large)
    t_small = max(t_small, 0.010)
    assert t_large / t_small < MAX_RATIO, (t_small, t_large)


def test_open_quotations_before_one_late_closing_mark_are_linear() -> None:
    # many one-line quotations left open and a single closing mark at the very end: the
    # closing mark is looked for once, not once per opening mark (searching again after
    # each one is quadratic, though fast per character: hence 20k against 2M characters)
    small = "“a.\n" * 5_000 + "”"
    large = "“a.\n" * 500_000 + "”"
    best = [float("inf"), float("inf")]
    for _ in range(2):
        for k, text in enumerate((small, large)):
            start = time.perf_counter()
            prepare(text, "text")
            best[k] = min(best[k], time.perf_counter() - start)
    t_small = max(best[0], 0.010)
    assert best[1] / t_small < 300, best  # linear: about 100; the quadratic search: 10,000
