"""Check time grows linearly with the input, for every shape that used to be quadratic.

Each shape is checked at 20,000 and 200,000 characters in the same run; the ratio of the
times (not an absolute time: this machine is shared and noisy) must stay near 10. A
quadratic pattern gives about 100 (a run of "](" took 7.4 s for 30 KB before).
"""

from __future__ import annotations

import time

import pytest

from messaging.checker import Checker
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
    "declarations": "<!a",
    "autolinks": "<http:",
    "e-mail-like": "a.",
    "at signs": "a@b.",
    "nested lists": "  - a\n    - b\n",
    "long word": "a",
    "quotes": '"a ',
    "curly quotes": "“a ",
    "reported speech": "said ",
    "flag-dense prose": "rigorous new model ",
    "one long line": "word, ",
}
#: a linear check gives about 10 (cache effects push it to 15-20 at times); quadratic about 100.
#: A quadratic shape fast at 20k (5 ms) still fails: 500 ms / 10 ms = 50.
MAX_RATIO = 30.0


def _best_of(checker: Checker, text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        checker.check(text)
        best = min(best, time.perf_counter() - start)
    return best


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
    t_small = max(_best_of(checker, small), 0.010)  # below 10 ms the ratio is noise
    t_large = _best_of(checker, large, runs=2)
    assert t_large / t_small < MAX_RATIO, (shape, t_small, t_large)
