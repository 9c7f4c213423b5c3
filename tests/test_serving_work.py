"""The process pool for large checks: same report as the engine, a time limit that stops a
check that runs too long (its process is killed and replaced), and a pool that works again
afterwards."""

from __future__ import annotations

import json
import time

import pytest

from bot.api.schemas import CheckOut
from bot.api.work import HeavyWork, WorkTimeout
from messaging.checker import Checker
from toolkit import Toolkit

TEXT = "Grading will be rigorous. It is an innovative paradigm. " * 2000


def test_a_check_that_runs_too_long_is_stopped_and_the_pool_recovers(toolkit: Toolkit) -> None:
    work = HeavyWork(None, seconds=60)
    try:
        work.warm()
        expected = Checker.from_toolkit(toolkit).check(TEXT).to_dict()
        assert work.check(TEXT, None, "auto")["flags"] == expected["flags"]
        # the answer's JSON is written in the pool, exactly as the response models would
        assert json.loads(work.check_json(TEXT, None, "auto")) == CheckOut(
            **expected).model_dump(mode="json")
        processes = list(work._executor()._processes.values())  # type: ignore[attr-defined]
        work.seconds = 0.0001
        with pytest.raises(WorkTimeout):
            work.check(TEXT * 5, None, "auto")
        for process in processes:
            # the pool's own manager thread joins the killed process too: the two waits
            # race, and the one that loses sees "still running" for a moment, so ask again
            deadline = time.monotonic() + 30
            while process.is_alive() and time.monotonic() < deadline:
                process.join(timeout=0.1)
            assert not process.is_alive()  # killed, not left computing
        work.seconds = 60
        assert work.check(TEXT, None, "auto")["flags"] == expected["flags"]
    finally:
        work.close()
