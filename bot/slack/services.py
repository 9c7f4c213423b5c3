"""What the Slack listeners work with: the engines, the drafts store and a few helpers.

One :class:`Services` is built with the app and handed to every listener through
bolt's ``context["services"]``. The engines are pure and the store is synchronous,
so every call into them runs in a worker thread (:meth:`Services.run`): the event
loop that serves HTTP and Socket Mode never waits on a check of a 40,000-character
message or on the database.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store import DraftStore
    from toolkit import Toolkit

T = TypeVar("T")

#: worker threads for engine and store calls from Slack listeners
ENGINE_THREADS = 2
_ENGINE_POOL = ThreadPoolExecutor(max_workers=ENGINE_THREADS, thread_name_prefix="slack-engine")


def owner_of(team_id: str | None, user_id: str | None) -> str:
    """The drafts-store owner of a Slack user: ``slack:TEAM:USER``."""
    return f"slack:{team_id or '-'}:{user_id or '-'}"


class TtlCache:
    """A small thread-safe cache with expiry (retries seen, texts awaiting a re-check)."""

    def __init__(self, ttl: float, size: int) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self._items:
            key, (at, _) = next(iter(self._items.items()))
            if now - at <= self.ttl and len(self._items) <= self.size:
                break
            self._items.pop(key)

    def add_if_new(self, key: str) -> bool:
        """Remember ``key``; True the first time it is seen (within ``ttl``)."""
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            if key in self._items:
                return False
            self._items[key] = (now, True)
            return True

    def put(self, value: Any) -> str:
        key = uuid.uuid4().hex[:16]
        now = time.monotonic()
        with self._lock:
            self._items[key] = (now, value)
            self._expire(now)
        return key

    def get(self, key: str) -> Any:
        with self._lock:
            self._expire(time.monotonic())
            item = self._items.get(key)
            return item[1] if item else None


@dataclass
class Services:
    settings: Settings
    toolkit: Toolkit
    store: DraftStore | None
    faq: Any  # faq.engine.Engine
    checker: Any  # messaging.checker.Checker
    login_link: Callable[..., str] | None = None
    #: event ids already handled (Slack retries the same event when an ack is late)
    seen_events: TtlCache = field(default_factory=lambda: TtlCache(ttl=3600, size=10_000))
    #: texts of "Check wording" reports, so that picking an audience can re-check them
    texts: TtlCache = field(default_factory=lambda: TtlCache(ttl=6 * 3600, size=2_000))

    @classmethod
    def build(
        cls,
        settings: Settings,
        toolkit: Toolkit,
        store: DraftStore | None,
        *,
        faq: Any = None,
        checker: Any = None,
        login_link: Callable[..., str] | None = None,
    ) -> Services:
        if faq is None:
            from faq.engine import Engine

            faq = Engine.from_toolkit(toolkit)
        if checker is None:
            from messaging.checker import Checker

            checker = Checker.from_toolkit(toolkit)
        if login_link is None:
            from bot.api.auth import make_login_link

            def login_link(owner: str, draft_id: str | None = None) -> str:
                return make_login_link(owner, draft_id=draft_id, settings=settings)

        return cls(settings, toolkit, store, faq, checker, login_link)

    def __deepcopy__(self, memo: dict[int, Any]) -> Services:
        # bolt deep-copies the context for lazy listeners; the services are shared
        return self

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a synchronous engine or store call in a worker thread.

        At most :data:`ENGINE_THREADS` calls run at once: the engines are CPU-bound
        Python, and fewer threads competing for the GIL keep the event loop (and so
        every ack) quick while a burst of 40,000-character checks is worked on."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_ENGINE_POOL, functools.partial(fn, *args, **kwargs))

    async def run_quick(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a short blocking call (the store, validation) in a worker thread of its
        own pool, so an ack never queues behind a long check."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def audience_id(self, name: str | None) -> str | None:
        """The id of the audience called ``name`` (id, name or alias), or None."""
        if not name:
            return None
        try:
            found = self.toolkit.audience(name)
        except (KeyError, LookupError, ValueError):
            return None
        return getattr(found, "id", None) if found is not None else None

    def link(self, owner: str, draft_id: str | None = None) -> str | None:
        if self.login_link is None:
            return None
        try:
            return self.login_link(owner, draft_id=draft_id)
        except Exception:  # a link is a convenience; never fail a reply for it
            return None
