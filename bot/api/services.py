"""What every route needs, built once per app: settings, toolkit, store and engines.

The FAQ engine and the phrase checker are built on first use (and warmed at start-up),
behind a lock, so the thread pool never builds them twice.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.api.errors import ApiError
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
    _faq: Any = field(default=None, repr=False)
    _checker: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def faq(self) -> Any:
        """The FAQ engine (faq.engine.Engine)."""
        if self._faq is None:
            with self._lock:
                if self._faq is None:
                    try:
                        from faq.engine import Engine
                    except ImportError as exc:
                        raise ApiError(503, "Question answering is not available in this "
                                            "installation yet.") from exc
                    self._faq = Engine.from_toolkit(self.toolkit)
        return self._faq

    def checker(self) -> Any:
        """The phrase checker (messaging.checker.Checker)."""
        if self._checker is None:
            with self._lock:
                if self._checker is None:
                    try:
                        from messaging.checker import Checker
                    except ImportError as exc:
                        raise ApiError(503, "The wording checker is not available in this "
                                            "installation yet.") from exc
                    self._checker = Checker.from_toolkit(self.toolkit)
        return self._checker

    def drafting(self) -> Any:
        """The drafting module (messaging.drafting)."""
        try:
            from messaging import drafting
        except ImportError as exc:
            raise ApiError(503, "Templates are not available in this installation yet.") from exc
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
        for build in (self.faq, self.checker):
            with contextlib.suppress(ApiError):
                build()
