"""What every route needs, built once per app: settings, toolkit, store and engines.

The FAQ engine and the phrase checker are built on first use (and warmed at start-up),
behind a lock, so the thread pool never builds them twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.settings import Settings
from bot.store import DraftStore

if TYPE_CHECKING:
    from toolkit import Toolkit


@dataclass
class Services:
    settings: Settings
    toolkit: Toolkit
    store: DraftStore
    secret: bytes
    auth_required: bool
    #: token and session checks (bot.api.auth.Identities) and the sign-in rate limit
    #: (bot.api.auth.SignInLimiter), set by create_app
    identities: Any = field(default=None, repr=False)
    limiter: Any = field(default=None, repr=False)
    #: the process pool for large checks (bot.api.work.HeavyWork); None: in-process
    work: Any = field(default=None, repr=False)
    _faq: Any = field(default=None, repr=False)
    _checker: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _built(self, attr: str, build: Callable[[], Any]) -> Any:
        """The engine kept in ``attr``, built once (double-checked under the lock)."""
        if getattr(self, attr) is None:
            with self._lock:
                if getattr(self, attr) is None:
                    setattr(self, attr, build())
        return getattr(self, attr)

    def faq(self) -> Any:
        """The FAQ engine (faq.engine.Engine)."""
        from faq.engine import Engine

        return self._built("_faq", lambda: Engine.from_toolkit(self.toolkit))

    def checker(self) -> Any:
        """The phrase checker (messaging.checker.Checker)."""
        from messaging.checker import Checker

        return self._built("_checker", lambda: Checker.from_toolkit(self.toolkit))

    def drafting(self) -> Any:
        """The drafting module (messaging.drafting)."""
        from messaging import drafting

        return drafting

    def engines_available(self) -> dict[str, bool]:
        import importlib.util

        return {
            name: importlib.util.find_spec(module) is not None
            for name, module in (("faq", "faq.engine"), ("checker", "messaging.checker"),
                                 ("drafting", "messaging.drafting"))
        }

    def warm(self) -> None:
        """Build the engines now (start-up) rather than on the first request."""
        self.faq()
        self.checker()
