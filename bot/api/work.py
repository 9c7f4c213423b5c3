"""Large checks run in a separate process, so they cannot starve small requests.

Python runs one thread at a time per process: a 30,000-word check computed in the
server's own thread pool holds the interpreter for its whole run, and every other request
of that worker (an ``/api/ask`` that needs a millisecond) waits behind it. Texts over
:data:`HEAVY_CHECK_CHARS` are therefore checked in a small pool of processes of their own
(one per server worker), with a time limit (``Settings.work_seconds``): a check that runs
longer is stopped — its process is killed and replaced — and answered 503, so no request
holds a worker longer than that.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

#: texts longer than this (about 3,500 words) are checked in the pool
HEAVY_CHECK_CHARS = 20_000

#: how much lower the pool processes' CPU priority is than the server's (``nice``)
WORK_NICENESS = 10

_checker: Any = None


def exit_with_parent(on_exit: Any = None) -> None:
    """Leave when the parent process is gone (killed with -9, say), rather than live on
    as an orphan: ``on_exit()`` (default: exit at once), checked every second."""
    import os
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        (on_exit or (lambda: os._exit(0)))()

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


#: what the engines are first used on at start-up (nothing is logged or saved)
WARM_TEXT = ("Students show what they know when they are ready. Teachers give feedback on "
             "each skill, and families see where their child stands.")
WARM_QUESTION = "What is mastery-based learning?"


def warm_up(checker: Any, faq: Any = None) -> None:
    """Use the engines once (see :meth:`bot.api.services.Services.warm`): a
    ``messaging.checker.Checker`` and a ``faq.engine.Engine``."""
    for markup in ("markdown", "html"):
        checker.check(WARM_TEXT, markup=markup)
    if faq is not None:
        faq.answer(WARM_QUESTION)


def settle_memory() -> None:
    """After start-up: leave the objects made so far (the toolkit, the engines) out of
    the garbage collector's full passes. They live as long as the process, yet every
    full pass walked all of them: a 160 ms pause now and then, the slowest answers."""
    import gc

    gc.collect()
    gc.freeze()


def _start(toolkit_path: str | None) -> None:
    """In each pool process: load the toolkit and build the checker once."""
    global _checker
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the
    exit_with_parent()                             # server worker stops this pool itself
    import contextlib
    import os

    with contextlib.suppress(OSError):  # large checks give way to the small requests
        os.nice(WORK_NICENESS)          # of the server's workers when cores are short
    from messaging.checker import Checker
    from toolkit import load_toolkit

    _checker = Checker.from_toolkit(load_toolkit(Path(toolkit_path) if toolkit_path else None))
    warm_up(_checker)
    settle_memory()


def _check(text: str, audience: str | None, markup: Any) -> dict[str, Any]:
    from bot.api.routes.common import to_dict

    return to_dict(_checker.check(text, audience=audience, markup=markup))


def _check_json(text: str, audience: str | None, markup: Any) -> bytes:
    """The answer's JSON, written here: the server's process only passes the bytes on."""
    from bot.api.reports import check_json

    return check_json(_check(text, audience, markup))


def _ready() -> bool:
    return _checker is not None


class WorkTimeout(Exception):
    """The work took longer than the limit and was stopped."""


class HeavyWork:
    """A pool of ``processes`` processes for large checks (started on first use)."""

    def __init__(self, toolkit_path: Path | None, seconds: float, processes: int = 1) -> None:
        self.toolkit_path = str(toolkit_path) if toolkit_path else None
        self.seconds = seconds
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        #: set once the pool's processes have started (the time limit is for checking,
        #: not for a process loading the toolkit)
        self._started = threading.Event()
        self._closed = False
        #: the manager threads of pools replaced after a timeout, joined by :meth:`close`
        self._retired: list[threading.Thread] = []

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the pool for large checks is closed")
            if self._pool is None:
                # spawn, not fork: the server process has threads and an event loop
                self._pool = ProcessPoolExecutor(
                    max_workers=self.processes, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start, initargs=(self.toolkit_path,))
            return self._pool

    def warm(self) -> None:
        """Start the pool's processes now (they load the toolkit: about a second). Run in
        the background: a pool closed meanwhile (the server stopping) is no error."""
        try:
            futures = [_submit(self._executor(), _ready) for _ in range(self.processes)]
            for future in futures:
                future.result(timeout=120)
        except (BrokenProcessPool, RuntimeError, FutureTimeout, CancelledError):
            return  # the pool was closed or restarted meanwhile
        self._started.set()

    def check(self, text: str, audience: str | None, markup: Any) -> dict[str, Any]:
        """The checker's report as a dict; :class:`WorkTimeout` past the time limit."""
        result: dict[str, Any] = self._run(_check, text, audience, markup)
        return result

    def check_json(self, text: str, audience: str | None, markup: Any) -> bytes:
        """The JSON answer of ``POST /api/check`` (:func:`bot.api.reports.check_json`);
        :class:`WorkTimeout` past the time limit."""
        result: bytes = self._run(_check_json, text, audience, markup)
        return result

    def _run(self, fn: Any, *args: Any) -> Any:
        if not self._started.is_set():
            self.warm()
        pool = self._executor()
        future: Future[Any] = _submit(pool, fn, *args)
        try:
            return future.result(timeout=self.seconds)
        except FutureTimeout:
            self._restart(pool)
            raise WorkTimeout from None
        except BrokenProcessPool:  # another request's timeout killed the pool: once more
            self._restart(pool)
            return _submit(self._executor(), fn, *args).result(timeout=self.seconds)

    def _restart(self, pool: ProcessPoolExecutor) -> None:
        """Kill the pool's processes (a stuck check cannot be interrupted otherwise)."""
        with self._lock:
            if self._pool is not pool:
                return
            self._pool = None
            self._started.clear()
            manager = _manager_thread(pool)
            if manager is not None:
                self._retired.append(manager)
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        threading.Thread(target=self.warm, daemon=True).start()  # the next one is ready

    def close(self) -> None:
        """Stop the pool and wait for its manager threads. A pool's manager thread that is
        still running when the interpreter exits races with the exit hook of
        :mod:`concurrent.futures.process` (which writes to the thread's wake-up pipe while
        the thread closes it: "Bad file descriptor"), and ``shutdown(wait=False)`` forgets
        the thread, so it is taken before and joined here. No pool starts after this."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
            retired, self._retired = self._retired, []
        if pool is not None:
            manager = _manager_thread(pool)
            processes = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:  # one may still be starting (loading the toolkit)
                process.terminate()
            pool.shutdown(wait=True)  # reaps them and frees the pool's queues
            if manager is not None:
                retired.append(manager)
        for thread in retired:
            thread.join(timeout=30)


def _submit(pool: ProcessPoolExecutor, fn: Any, *args: Any) -> Future[Any]:
    """``pool.submit`` with SIGINT blocked in this thread while it runs. A submit may start
    a pool process, which inherits the blocked signal: Ctrl-C in a terminal reaches the
    whole process group, and a process still importing the program would otherwise print
    a KeyboardInterrupt traceback as the server stops. The server stops its pool processes
    itself (:meth:`HeavyWork.close`)."""
    if not hasattr(signal, "pthread_sigmask"):
        return pool.submit(fn, *args)
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return pool.submit(fn, *args)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _manager_thread(pool: ProcessPoolExecutor) -> threading.Thread | None:
    thread = getattr(pool, "_executor_manager_thread", None)
    return thread if isinstance(thread, threading.Thread) else None
