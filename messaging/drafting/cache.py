"""The drafter's compiled engines, in one visible place: Jinja2 environments and checkers.

* An environment is compiled once per templates folder and output (``markdown``/``html``):
  the key is the folder itself, and Jinja2 reloads a template file that changed on disk.
* A checker (the phrase check of every rendered document) is built once per toolkit and
  held with the toolkit: the cache keeps a weak reference to each toolkit and finds its
  checker by identity, so a toolkit that is gone takes its checker with it, and a new
  toolkit — even one loaded from the same folder after an edit — gets its own. The one
  core (:class:`bot.core.engines.Core`) hands over the checker it built
  (:meth:`EngineCache.share_checker`), so a server compiles the rules once.

:data:`ENGINES` is the one instance the drafting functions use; :meth:`EngineCache.clear`
empties it (tests, or a server that reloads its toolkit).
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Literal

from messaging.jinja_env import make_environment

if TYPE_CHECKING:
    from jinja2 import Environment

    from messaging.checker import Checker
    from toolkit import Toolkit

Output = Literal["markdown", "html"]


class EngineCache:
    """Environments by (templates folder, output); checkers by toolkit (at most ``size``
    live toolkits are remembered, the least recently used is dropped first)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._envs: dict[tuple[str, str], Environment] = {}
        self._checkers: list[tuple[weakref.ref[Toolkit], Checker]] = []
        self._lock = threading.Lock()

    def environment(self, tk: Toolkit, output: Output) -> Environment:
        from jinja2 import ChoiceLoader, FileSystemLoader

        from toolkit import default_toolkit_path

        key = (str(tk.templates_dir), output)
        env = self._envs.get(key)
        if env is None:
            shipped = default_toolkit_path() / "templates"
            loader = ChoiceLoader([FileSystemLoader(str(tk.templates_dir)),
                                   FileSystemLoader(str(shipped))])
            env = self._envs.setdefault(key, make_environment(loader, output))
        return env

    def _find(self, tk: Toolkit) -> Checker | None:
        live = [(ref, c) for ref, c in self._checkers if ref() is not None]
        found = None
        for i, (ref, checker) in enumerate(live):
            if ref() is tk:
                found = checker
                live.append(live.pop(i))  # most recently used last
                break
        self._checkers = live
        return found

    def share_checker(self, tk: Toolkit, checker: Checker) -> None:
        """Check ``tk``'s documents with ``checker``, already built."""
        with self._lock:
            self._find(tk)
            self._checkers = [(r, c) for r, c in self._checkers if r() is not tk]
            self._checkers.append((weakref.ref(tk), checker))
            del self._checkers[:-self.size]

    def checker(self, tk: Toolkit) -> Checker:
        """The checker of ``tk``: shared, or built now from its rules."""
        with self._lock:
            found = self._find(tk)
        if found is not None:
            return found
        from messaging.checker import Checker

        built = Checker.from_toolkit(tk)
        self.share_checker(tk, built)
        return built

    def clear(self) -> None:
        with self._lock:
            self._envs.clear()
            self._checkers.clear()


#: the engines every drafting function uses
ENGINES = EngineCache()

__all__ = ["ENGINES", "EngineCache"]
