"""The process pool for large checks: same report as the engine, a time limit that stops a
check that runs too long (its process is killed and replaced), and a pool that works again
afterwards."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from bot.api.schemas import CheckOut
from bot.api.work import HeavyWork, WorkTimeout, _manager_thread
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


def test_close_waits_for_the_pools_manager_threads_and_starts_no_new_pool() -> None:
    """A manager thread left running at exit races with concurrent.futures' exit hook
    ("Bad file descriptor" printed as the server stops): close() joins every one, also
    those of pools replaced after a timeout, and nothing starts a pool afterwards."""
    work = HeavyWork(None, seconds=60)
    work.warm()
    first = _manager_thread(work._executor())
    work.seconds = 0.0001
    with pytest.raises(WorkTimeout):
        work.check(TEXT * 5, None, "auto")
    work.seconds = 60
    work.warm()  # the replacement pool
    second = _manager_thread(work._executor())
    assert first is not None and second is not None
    assert first is not second and second.is_alive()
    work.close()
    assert not first.is_alive() and not second.is_alive()
    work.warm()  # a late warm-up thread is no error and starts nothing
    with pytest.raises(RuntimeError):
        work._executor()


def test_pool_processes_do_not_take_ctrl_c() -> None:
    """Ctrl-C in a terminal reaches the whole process group; the pool's processes start
    with SIGINT blocked (the server stops them itself), so one still starting cannot
    print a KeyboardInterrupt traceback as the server stops."""
    work = HeavyWork(None, seconds=60)
    try:
        work.warm()
        processes = list(work._executor()._processes.values())  # type: ignore[attr-defined]
        assert processes
        for process in processes:
            status = Path(f"/proc/{process.pid}/status").read_text(encoding="utf-8")
            blocked = int(next(line.split()[1] for line in status.splitlines()
                               if line.startswith("SigBlk:")), 16)
            assert blocked & (1 << (signal.SIGINT - 1))
        # the calling thread's own mask is back as it was
        assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    finally:
        work.close()
