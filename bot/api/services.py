"""What every route needs, built once per app: settings, secrets and the one core.

The engines live in :class:`bot.core.engines.Core` (built on first use and warmed at
start-up, behind a lock, so the thread pool never builds them twice); the Slack
transport served by the same app shares this very ``Core``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from bot.api.work import warm_up
from bot.core.engines import Core
from bot.settings import Settings
from bot.store import DraftStore

if TYPE_CHECKING:
    from faq.engine import Engine
    from messaging.checker import Checker
    from toolkit import Toolkit


@dataclass
class Services:
    settings: Settings
    core: Core[DraftStore]
    secret: bytes
    auth_required: bool
    #: token and session checks (bot.api.auth.Identities) and the sign-in rate limit
    #: (bot.api.auth.SignInLimiter), set by create_app
    identities: Any = field(default=None, repr=False)
    limiter: Any = field(default=None, repr=False)
    #: the process pool for large checks (bot.api.work.HeavyWork); None: in-process
    work: Any = field(default=None, repr=False)

    @property
    def toolkit(self) -> Toolkit:
        return self.core.toolkit

    @property
    def store(self) -> DraftStore:
        return self.core.store

    def faq(self) -> Engine:
        """The FAQ engine."""
        return self.core.faq

    def checker(self) -> Checker:
        """The phrase checker."""
        return self.core.checker

    def drafting(self) -> ModuleType:
        """The drafting functions (messaging.drafting)."""
        return self.core.drafter

    def ready(self, engine: str) -> bool:
        """Whether ``engine`` ("faq" or "checker") is built (using it cannot take long)."""
        return self.core.built(engine)

    def engines_available(self) -> dict[str, bool]:
        import importlib.util

        return {
            name: importlib.util.find_spec(module) is not None
            for name, module in (("faq", "faq.engine"), ("checker", "messaging.checker"),
                                 ("drafting", "messaging.drafting"))
        }

    def warm(self) -> None:
        """Build the engines now (start-up) rather than on the first request, and use
        each once: the first check loads the hyphenation dictionary and the first
        answer fills the matcher's caches (about 0.1 s that the first person asking
        would otherwise wait, and the requests queued behind them)."""
        self.core.warm()
        warm_up(self.core.checker, self.core.faq)
