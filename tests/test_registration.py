"""Explicit registration: nothing is picked up by magic, and nothing is forgotten.

* every ``bot/cli/*_cmd.py`` exposes ``COMMANDS`` and all of them are in ``bot.cli.COMMANDS``
  (and so in the ``mastery`` group);
* every module in ``bot/slack/listeners/`` has ``register(app)`` and ``register_all`` calls it;
* every ``APIRouter`` in ``bot/api/routes/`` is in ``ROUTERS`` and its routes are in the app.
"""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pytest
from fastapi import APIRouter
from starlette.routing import BaseRoute, Match, Mount

import bot.api.routes
import bot.cli
import bot.slack.listeners

CLI_DIR = Path(bot.cli.__file__).parent
LISTENERS_DIR = Path(bot.slack.listeners.__file__).parent
ROUTES_DIR = Path(bot.api.routes.__file__).parent


def modules_in(folder: Path, package: str, pattern: str = "*.py") -> list[ModuleType]:
    return [import_module(f"{package}.{path.stem}")
            for path in sorted(folder.glob(pattern)) if path.stem != "__init__"]


# -- CLI --------------------------------------------------------------------------------

CMD_MODULES = modules_in(CLI_DIR, "bot.cli", "*_cmd.py")


def test_cli_command_modules_are_found() -> None:
    assert len(CMD_MODULES) >= 8


@pytest.mark.parametrize("module", CMD_MODULES, ids=lambda m: m.__name__)
def test_cli_module_exposes_commands_and_all_are_registered(module: ModuleType) -> None:
    commands = getattr(module, "COMMANDS", None)
    assert isinstance(commands, list) and commands, f"{module.__name__} has no COMMANDS list"
    for command in commands:
        assert isinstance(command, click.Command), (module.__name__, command)
        assert any(command is registered for registered in bot.cli.COMMANDS), (
            f"{module.__name__}: {command.name} is not in bot.cli.COMMANDS")
        assert bot.cli.cli.commands.get(command.name or "") is command, command.name


def _reachable(commands: list[click.Command]) -> set[int]:
    found: set[int] = set()
    for command in commands:
        found.add(id(command))
        if isinstance(command, click.Group):
            found |= _reachable(list(command.commands.values()))
    return found


@pytest.mark.parametrize("module", CMD_MODULES, ids=lambda m: m.__name__)
def test_cli_module_has_no_unreachable_commands(module: ModuleType) -> None:
    """A command defined in the module but neither listed nor in a listed group is dead."""
    reachable = _reachable(module.COMMANDS)
    for name, value in vars(module).items():
        if isinstance(value, click.Command):
            assert id(value) in reachable, (
                f"{module.__name__}.{name} is not in COMMANDS (nor in a group listed there)")


def test_cli_registers_exactly_the_modules_commands() -> None:
    from_modules = [command for module in CMD_MODULES for command in module.COMMANDS]
    assert sorted(map(id, bot.cli.COMMANDS)) == sorted(map(id, from_modules))
    names = [command.name for command in bot.cli.COMMANDS]
    assert len(names) == len(set(names)), f"two commands share a name: {names}"
    assert set(bot.cli.cli.commands) == set(names)


# -- Slack listeners --------------------------------------------------------------------

LISTENER_MODULES = modules_in(LISTENERS_DIR, "bot.slack.listeners")


def _slack_app() -> Any:
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    # nothing is sent: the client points at a closed local port and no request is made
    client = AsyncWebClient(token="xoxb-test", base_url="http://127.0.0.1:9/")
    return AsyncApp(client=client, signing_secret="test-secret")


def _listener_count(app: Any) -> int:
    return len(app._async_listeners)  # bolt keeps them in registration order


def test_listener_modules_are_listed() -> None:
    assert {m.__name__.rsplit(".", 1)[1] for m in LISTENER_MODULES} == set(
        bot.slack.listeners.MODULES)


@pytest.mark.parametrize("module", LISTENER_MODULES, ids=lambda m: m.__name__)
def test_listener_module_registers_listeners(module: ModuleType) -> None:
    assert callable(getattr(module, "register", None)), f"{module.__name__} has no register(app)"
    app = _slack_app()
    module.register(app)
    assert _listener_count(app) >= 1, f"{module.__name__}.register(app) registers nothing"


def test_register_all_registers_every_listener_module() -> None:
    expected = 0
    for module in LISTENER_MODULES:
        app = _slack_app()
        module.register(app)
        expected += _listener_count(app)
    app = _slack_app()
    bot.slack.listeners.register_all(app)
    assert _listener_count(app) == expected, (
        "register_all(app) does not call register(app) of every module in "
        "bot/slack/listeners/ exactly once")


# -- API routers ------------------------------------------------------------------------

ROUTE_MODULES = modules_in(ROUTES_DIR, "bot.api.routes")


def _routers_of(module: ModuleType) -> list[APIRouter]:
    return [value for value in vars(module).values() if isinstance(value, APIRouter)]


def test_route_modules_are_found() -> None:
    assert sum(bool(_routers_of(m)) for m in ROUTE_MODULES) >= 6


@pytest.mark.parametrize("module", ROUTE_MODULES, ids=lambda m: m.__name__)
def test_every_router_is_assembled(module: ModuleType) -> None:
    for router in _routers_of(module):
        assert any(router is r for r in bot.api.routes.ROUTERS), (
            f"{module.__name__} has a router that is not in bot.api.routes.ROUTERS")


def _concrete(path: str) -> str:
    """A request path that the route template ``path`` matches ({id} -> 1)."""
    return re.sub(r"\{[^}]+\}", "1", path)


def _served_by(app: Any, route: BaseRoute) -> bool:
    """Whether a request for ``route`` reaches a route of ``app`` (Starlette's own matching)."""
    path = getattr(route, "path", "")
    for method in getattr(route, "methods", None) or {"GET"}:
        scope = {"type": "http", "path": _concrete(path), "method": method, "root_path": "",
                 "headers": [], "query_string": b""}
        if not any(candidate.matches(scope)[0] == Match.FULL for candidate in app.router.routes
                   if not isinstance(candidate, Mount)):
            return False
    return True


def test_app_serves_every_assembled_route(tmp_path: Path) -> None:
    from bot.api import create_app
    from bot.settings import Settings

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'r.db'}",
                        secret_key="test-secret")
    app = create_app(settings, extensions=[])
    try:
        for router in bot.api.routes.ROUTERS:
            assert router.routes
            for route in router.routes:
                assert _served_by(app, route), getattr(route, "path", route)
        stray = APIRouter()

        @stray.get("/not-assembled/{thing}")
        def _not_assembled(thing: str) -> str:  # pragma: no cover - never called
            return thing

        assert not _served_by(app, stray.routes[0])  # the check can fail
    finally:
        app.state.services.store.close()
