"""Shared pieces of the CLI: loading the toolkit once, and clean error exits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pydantic import ValidationError

    from bot.core.engines import Core
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
    _core: Core[None] | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
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

    @property
    def core(self) -> Core[None]:
        """The one core (toolkit and engines, built on first use) of this command."""
        if self._core is None:
            from bot.core.engines import Core

            self._core = Core(self.toolkit, None)
        return self._core

    def checked_toolkit(self) -> Toolkit:
        """The toolkit after every content check (:func:`bot.core.validate.validate_content`),
        for a server about to start: a broken toolkit is reported as the same
        ``file:line: message`` lines as `mastery toolkit validate`, then exit 2."""
        from bot.core.validate import validate_content

        report = validate_content(self._toolkit or self.resolved_toolkit_path())
        if report.toolkit is None or report.problems:
            for line in report.lines():
                click.echo(line, err=True)
            fail(f"The toolkit has {len(report.problems)} problem(s); fix them "
                 "(see `mastery toolkit validate`) and try again.")
        self._toolkit = report.toolkit
        return report.toolkit


def state() -> CliState:
    return click.get_current_context().ensure_object(CliState)


def load_settings(**options: object) -> Settings:
    """The settings from the environment, overridden by the command-line options given
    (None: the option was not given), or a clear exit 2."""
    from pydantic import ValidationError

    from bot.settings import Settings

    overrides = {name: value for name, value in options.items() if value is not None}
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        fail(settings_problem(exc, set(overrides)))


def settings_problem(exc: ValidationError, options: Iterable[str] = ()) -> str:
    """Name each bad setting the way the user set it (an option or a MASTERY_* variable)."""
    parts = []
    options = set(options)
    for error in exc.errors():
        name = ".".join(str(p) for p in error.get("loc", ()))
        where = f"--{name.replace('_', '-')}" if name in options else f"MASTERY_{name.upper()}"
        value = error.get("input")
        secret = "token" in name or "secret" in name
        shown = f"={value!r}" if isinstance(value, str) and not secret else ""
        parts.append(f"{where}{shown}: {error.get('msg', 'not valid')}")
    return "a setting is not valid: " + "; ".join(parts)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print a clear message to stderr and exit (2 = usage or input error)."""
    click.echo(f"mastery: {message}", err=True)
    raise SystemExit(code)
