"""The store's connection: the engine, sessions and the SQLite writers' lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, migrate
from bot.store.common import MAX_DRAFT_BYTES, MAX_DRAFT_FIELDS, MAX_DRAFT_VERSIONS


# ------------------------------------------------------------- write lock
class WriteLock:
    """Writers to one SQLite database take turns: a lock between the threads of this
    process and, for a database file, ``flock`` on ``<database>.writer-lock`` between
    processes (``mastery serve``'s workers, the Slack bot, the CLI).

    SQLite lets one writer in at a time and makes the others wait in its busy handler,
    which sleeps in steps of up to 100 ms and may miss the moment the lock is free: with
    eight clients saving at once, a save now and then waited half a second or more.
    Here a waiting writer goes in within half a millisecond of the one before it (the
    file lock is tried every 0.2-0.5 ms). The lock only orders writers; durability is
    SQLite's (each write is its own committed transaction), and a process killed while
    holding it releases it with its file.
    On other databases (PostgreSQL) it does nothing.
    """

    #: how long to wait for another process's writer before leaving it to SQLite's own
    #: busy handler (as long as that one waits: PRAGMA busy_timeout)
    WAIT_SECONDS = 5.0

    def __init__(self, path: str | None, *, active: bool = True) -> None:
        import threading

        self.active = active
        self._local = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        if active and path:
            import os

            try:
                import fcntl  # noqa: F401 - POSIX only; elsewhere threads only
            except ImportError:  # pragma: no cover - Windows
                pass
            else:
                try:
                    self._fd = os.open(f"{path}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
                except OSError:  # a read-only folder: SQLite's own waiting still works
                    self._fd = None

    @classmethod
    def for_engine(cls, engine: Engine) -> WriteLock:
        if engine.dialect.name != "sqlite":
            return cls(None, active=False)
        database = engine.url.database or ""
        in_file = database and database != ":memory:" and not database.startswith("file:")
        return cls(str(Path(database).expanduser().resolve()) if in_file else None)

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if not self.active:
            yield
            return
        with self._local:
            self._depth += 1
            locked = self._depth == 1 and self._lock_file()
            try:
                yield
            finally:
                self._depth -= 1
                if locked:
                    self._unlock_file()

    def _lock_file(self) -> bool:
        if self._fd is None:
            return False
        import fcntl
        import time

        deadline = time.monotonic() + self.WAIT_SECONDS
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False  # SQLite's busy handler decides from here
                time.sleep(pause)
                pause = min(pause * 2, 0.0005)
            except OSError:
                return False

    def _unlock_file(self) -> None:
        import fcntl

        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        import os

        with self._local:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


# ------------------------------------------------------------------- store
@dataclass
class StoreBase:
    """The database connection every part of the store works through."""

    url: str
    #: SQLite's ``synchronous`` mode: "NORMAL" (safe when the process is killed) or
    #: "FULL" (also safe when the machine loses power, slower saves)
    sqlite_synchronous: str = "NORMAL"
    max_draft_bytes: int = MAX_DRAFT_BYTES
    max_draft_fields: int = MAX_DRAFT_FIELDS
    #: versions kept per draft; older ones are pruned when a new one is saved
    max_draft_versions: int = MAX_DRAFT_VERSIONS
    _engine: Engine = field(init=False, repr=False)
    _sessions: sessionmaker[Session] = field(init=False, repr=False)
    _writes: WriteLock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._engine = make_engine(self.url, sqlite_synchronous=self.sqlite_synchronous)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = WriteLock.for_engine(self._engine)

    @classmethod
    def open(cls, url: str, *, migrate_schema: bool = True, **limits: Any) -> Self:
        """Open the database at ``url`` and apply pending migrations. ``limits``: the
        other fields (``sqlite_synchronous``, ``max_draft_bytes`` …)."""
        store = cls(url, **limits)
        if migrate_schema:
            migrate(store.engine)
        return store

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()
        self._writes.close()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A transaction; ``write``: one that writes (on SQLite, writers take turns
        through :class:`WriteLock` instead of SQLite's busy wait)."""
        if write:
            with self._writes(), self._sessions.begin() as session:
                yield session
        else:
            with self._sessions.begin() as session:
                yield session

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Connection]:
        """A transaction on a plain connection (SQLAlchemy Core: less work than a
        session for a few statements). The connection is taken from the pool before a
        writer's turn (:class:`WriteLock`), so the turn only holds the statements and
        the commit."""
        with self._engine.connect() as connection:
            if write:
                with self._writes(), connection.begin():
                    yield connection
            else:
                with connection.begin():
                    yield connection

    def ping(self) -> bool:
        from sqlalchemy import text

        with self._engine.connect() as connection:
            return bool(connection.execute(text("SELECT 1")).scalar() == 1)
