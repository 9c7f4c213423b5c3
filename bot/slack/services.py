"""What the Slack listeners work with: the engines, the drafts store and a few helpers.

One :class:`Services` is built with the app and handed to every listener through
bolt's ``context["services"]``. The engines are pure and the store is synchronous,
so every call into them runs in a worker thread (:meth:`Services.run`): the event
loop that serves HTTP and Socket Mode never waits on a check of a 40,000-character
message or on the database.

What must survive a restart or be seen by every app instance — the Slack events already
taken (retries) and the texts of "Check wording" reports — is kept in the database
(:meth:`claim_event`, :meth:`remember_text`); the in-memory caches are only a fallback
for a bot running without a store, or while the database cannot be reached.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from bot.core.engines import Core

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store import DraftStore
    from faq.engine import Engine
    from messaging.checker import Checker
    from toolkit import Toolkit

T = TypeVar("T")

log = logging.getLogger("bot.slack")

#: at most one pruning of old Slack events and expired check texts per this many seconds
PRUNE_EVERY_S = 600.0

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
    #: the one core (toolkit, engines, store); the API's own when served by `mastery serve`
    core: Core[DraftStore | None]
    login_link: Callable[..., str] | None = None
    #: fallback only (no store, or the database is down): event ids handled here
    seen_events: TtlCache = field(default_factory=lambda: TtlCache(ttl=3600, size=10_000))
    #: fallback only: texts of "Check wording" reports, as ``(owner, text)``
    texts: TtlCache = field(default_factory=lambda: TtlCache(ttl=6 * 3600, size=2_000))
    #: form steps being saved or just saved, by (owner, view id, view hash): a second
    #: submission of the same view (a double click on "Next") gets the first one's answer
    #: instead of saving a second draft (see :func:`bot.slack.drafts.submit_step_once`)
    form_steps: dict[str, tuple[float, asyncio.Future[Any]]] = field(
        default_factory=dict, init=False, repr=False)
    _next_prune: float = field(default=0.0, init=False, repr=False)
    _background: set[asyncio.Task[Any]] = field(default_factory=set, init=False, repr=False)

    @property
    def toolkit(self) -> Toolkit:
        return self.core.toolkit

    @property
    def store(self) -> DraftStore | None:
        return self.core.store

    @property
    def faq(self) -> Engine:
        return self.core.faq

    @property
    def checker(self) -> Checker:
        return self.core.checker

    @classmethod
    def build(
        cls,
        settings: Settings,
        toolkit: Toolkit,
        store: DraftStore | None,
        *,
        core: Core[DraftStore | None] | None = None,
        faq: Engine | None = None,
        checker: Checker | None = None,
        login_link: Callable[..., str] | None = None,
    ) -> Services:
        """The Slack app's services over ``core`` (shared with the web app), or over a new
        core of ``toolkit`` and ``store`` whose engines are built now (``faq`` and
        ``checker``, when given, stand in for them)."""
        if core is None:
            core = Core(toolkit, store, _faq=faq, _checker=checker)
            core.warm()
        if login_link is None:
            from bot.api.auth import make_login_link

            def login_link(owner: str, draft_id: str | None = None) -> str:
                return make_login_link(owner, draft_id=draft_id, settings=settings)

        return cls(settings, core, login_link)

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

    # ------------------------------------------- state shared by app instances
    async def claim_event(self, event_id: str) -> bool:
        """True if this instance is the first to take Slack event ``event_id`` (any
        instance on the same database); False for a retry already taken.

        One short ``INSERT`` in a worker thread, so the ack stays quick and the event
        loop never waits on the database. If the database cannot be reached, the
        event is remembered in this process only (answering a retry twice is better
        than never answering)."""
        if self.store is not None:
            try:
                first = await self.run_quick(self.store.claim_event, event_id)
            except Exception as exc:
                log.warning("slack: cannot record event %s in the database (%s); "
                            "de-duplicating in this process only", event_id, exc)
            else:
                self._maybe_prune()
                return first
        return self.seen_events.add_if_new(event_id)

    async def remember_text(self, owner: str, text: str) -> str:
        """Keep the text of a "Check wording" report for its owner; the key to re-check it."""
        if self.store is not None:
            try:
                key = await self.run_quick(self.store.save_check_text, owner, text)
            except Exception as exc:
                log.warning("slack: cannot keep a checked text in the database (%s); "
                            "keeping it in this process only", exc)
            else:
                self._maybe_prune()
                return key
        return self.texts.put((owner, text))

    async def recall_text(self, owner: str, key: str) -> str | None:
        """The text kept under ``key`` if ``owner`` kept it and it has not expired."""
        found = self.texts.get(key) if key else None
        if found is not None:
            kept_by, text = found
            return text if kept_by == owner else None
        if self.store is None:
            return None
        return await self.run_quick(self.store.get_check_text, owner, key)

    def _maybe_prune(self) -> None:
        """Now and then, forget old events and expired texts — in the background, off
        the ack path, at most once per :data:`PRUNE_EVERY_S` in this process."""
        now = time.monotonic()
        if self.store is None or now < self._next_prune:
            return
        self._next_prune = now + PRUNE_EVERY_S
        task = asyncio.get_running_loop().create_task(self._prune())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _prune(self) -> None:
        assert self.store is not None
        try:
            events, checks = await self.run_quick(self.store.prune_slack_state)
        except Exception as exc:  # the next call tries again after PRUNE_EVERY_S
            log.warning("slack: pruning old events and check texts failed: %s", exc)
        else:
            if events or checks:
                log.info("slack: forgot %d old event(s) and %d expired check text(s)",
                         events, checks)

    def audience_id(self, name: str | None) -> str | None:
        """The id of the audience called ``name`` (id, name or alias); None for no name.
        An unknown name raises toolkit.names.UnknownName (replies.unknown_name says it)."""
        from toolkit.names import audience_id

        return audience_id(self.toolkit, name)

    def link(self, owner: str, draft_id: str | None = None) -> str | None:
        if self.login_link is None:
            return None
        try:
            return self.login_link(owner, draft_id=draft_id)
        except Exception:  # a link is a convenience; never fail a reply for it
            return None
