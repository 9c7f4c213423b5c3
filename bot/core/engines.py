"""The one core object: a toolkit, its engines and a store, built once and shared.

The CLI (``bot.cli.common.CliState.core``), the HTTP API (``bot.api.services.Services.core``)
and the Slack app (``bot.slack.services.Services.core`` — the same object as the API's
when Slack is served by ``mastery serve``) all work through one :class:`Core`; none of
them builds an engine of its own. A new interface plugs in here: build a ``Core`` (or
take the one it is given) and present what its engines return.

Engines are built on first use, once, under a lock (the API's thread pool and Slack's
worker threads may ask at the same time); :meth:`Core.warm` builds them at start-up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from types import ModuleType

    from faq.engine import Engine
    from messaging.checker import Checker
    from toolkit import Toolkit

StoreT = TypeVar("StoreT", covariant=True)


@dataclass
class Core(Generic[StoreT]):
    """Toolkit, FAQ engine, checker, drafter and store (``None`` where there is none,
    e.g. most CLI commands). ``StoreT`` is the store's type (``bot.store.DraftStore``):
    the store belongs to the interfaces' layer, so the core only carries it."""

    toolkit: Toolkit
    store: StoreT
    _faq: Engine | None = field(default=None, repr=False)
    _checker: Checker | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def faq(self) -> Engine:
        """The FAQ and myths engine."""
        found = self._faq
        if found is None:
            from faq.engine import Engine

            with self._lock:
                found = self._faq
                if found is None:
                    found = self._faq = Engine.from_toolkit(self.toolkit)
        return found

    @property
    def checker(self) -> Checker:
        """The phrase checker of the toolkit's rules (documents are checked by it too)."""
        found = self._checker
        if found is None:
            from messaging.checker import Checker
            from messaging.drafting import share_checker

            with self._lock:
                found = self._checker
                if found is None:
                    found = self._checker = Checker.from_toolkit(self.toolkit)
                    share_checker(self.toolkit, found)
        return found

    def built(self, engine: str) -> bool:
        """Whether the ``"faq"`` or ``"checker"`` engine is built already (using it now
        cannot take long)."""
        return {"faq": self._faq, "checker": self._checker}.get(engine) is not None

    @property
    def drafter(self) -> ModuleType:
        """The drafting functions (``messaging.drafting``: validate, render, completeness,
        describe_template…), each called with :attr:`toolkit`."""
        from messaging import drafting

        return drafting

    def warm(self) -> None:
        """Build the engines now (a server's start-up) rather than on the first request."""
        _ = self.faq, self.checker


__all__ = ["Core"]
