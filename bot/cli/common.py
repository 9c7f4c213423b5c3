"""Shared pieces of the CLI: loading the toolkit once, and clean error exits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from bot.settings import Settings
    from toolkit import Toolkit

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@dataclass
class CliState:
    toolkit_path: Path | None = None
    _toolkit: Toolkit | None = field(default=None, repr=False)
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from bot.settings import Settings

            self._settings = Settings()
        return self._settings

    def resolved_toolkit_path(self) -> Path | None:
        # not self.settings: building Settings costs ~0.2 s of start-up (see bot/env.py)
        from bot.env import toolkit_path_from_env

        return self.toolkit_path or toolkit_path_from_env()

    @property
    def toolkit(self) -> Toolkit:
        if self._toolkit is None:
            from toolkit import ToolkitError, load_toolkit

            try:
                self._toolkit = load_toolkit(self.resolved_toolkit_path())
            except ToolkitError as exc:
                click.echo(str(exc), err=True)
                fail(
                    f"The toolkit has {len(exc.problems)} problem(s); fix them "
                    "(see `mastery toolkit validate`) and try again."
                )
        return self._toolkit


def state() -> CliState:
    return click.get_current_context().ensure_object(CliState)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print a clear message to stderr and exit (2 = usage or input error)."""
    click.echo(f"mastery: {message}", err=True)
    raise SystemExit(code)
