"""The FastAPI application factory.

``create_app(settings, toolkit)`` opens the drafts store (applying migrations), loads
the toolkit, and assembles the routers of :mod:`bot.api.routes` plus every registered
extension. An extension is a function ``(app, services) -> None`` listed in
:data:`EXTENSIONS`; the Slack transport registers itself there and mounts its endpoints
only when Slack credentials are configured.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from bot.api import auth, errors
from bot.api.limits import BodyLimitMiddleware
from bot.api.routes import ROUTERS
from bot.api.security import Gate
from bot.api.services import Services
from bot.api.work import HeavyWork, settle_memory
from bot.core.engines import Core
from bot.settings import Settings
from bot.store import DraftStore

if TYPE_CHECKING:
    from toolkit import Toolkit

log = logging.getLogger("bot.api")

Extension = Callable[[FastAPI, Services], None]

#: Explicit registration of app extensions (e.g. the Slack events endpoint). Each one
#: decides from ``services.settings`` whether it is enabled.
EXTENSIONS: list[Extension] = []


def register_extension(extension: Extension) -> Extension:
    """Add an extension (usable as a decorator); registering twice is a no-op."""
    if extension not in EXTENSIONS:
        EXTENSIONS.append(extension)
    return extension


#: Modules that extend the app, imported when present. Each offers
#: ``register(app: FastAPI, services: bot.api.services.Services) -> None``.
EXTENSION_MODULES: tuple[str, ...] = ("bot.slack.http",)


def _default_extensions() -> list[Extension]:
    """The built-in extension modules that are installed, plus any registered ones."""
    import importlib

    found: list[Extension] = []
    for name in EXTENSION_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # not installed: the app runs without it
            log.warning("extension %s could not be loaded: %s", name, exc)
            continue
        except Exception as exc:  # a broken extension must not take the workspace down
            log.warning("extension %s could not be loaded: %s", name, exc)
            continue
        register = getattr(module, "register", None)
        if callable(register):
            found.append(register)
    return [*found, *(e for e in EXTENSIONS if e not in found)]


def create_app(
    settings: Settings | None = None,
    toolkit: Toolkit | None = None,
    *,
    store: DraftStore | None = None,
    extensions: Sequence[Extension] | None = None,
    warm: bool = False,
    heavy_work: bool = False,
) -> FastAPI:
    """Build the web workspace and API.

    ``settings`` default to the environment; ``toolkit`` to the configured (or shipped)
    one; ``store`` to the configured database, migrated to the latest schema.
    ``heavy_work``: check large texts in a separate process (:mod:`bot.api.work`).
    """
    settings = settings or Settings()
    if toolkit is None:  # `mastery serve` ran every content check before the workers start
        from toolkit import load_toolkit

        toolkit = load_toolkit(settings.toolkit)
    if store is None:
        store = DraftStore.open(settings.resolved_database_url(), **settings.store_options())
    secret = auth.secret_key(settings)
    services = Services(
        settings=settings, core=Core(toolkit, store), secret=secret,
        auth_required=auth.auth_required(settings),
        identities=auth.Identities(store, settings, secret),
        limiter=auth.SignInLimiter(settings.sign_in_attempts),
        work=HeavyWork(settings.toolkit, settings.work_seconds) if heavy_work else None,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        if warm:
            await anyio.to_thread.run_sync(services.warm)
            settle_memory()
            if services.work is not None:  # in the background: start-up need not wait
                import threading

                threading.Thread(target=services.work.warm, daemon=True).start()
        try:
            yield
        finally:
            if services.work is not None:
                services.work.close()

    # /docs: Swagger UI served from the fastapi-offline package (under /static-offline-docs),
    # not from a CDN, so it works offline and behind firewalls. No /redoc: ReDoc always
    # fetches its footer logo from Redocly's CDN.
    app = FastAPIOffline(
        redoc_url=None,
        docs_url=None,  # /docs is bot.api.routes.pages.api_docs: the same UI, accessible
        title="mastery-comms",
        summary="Answer questions, check wording and fill templates about mastery-based "
                "learning, from a sourced communications toolkit.",
        version=_version(),
        lifespan=lifespan,
    )
    app.state.services = services
    errors.install(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(GZipMiddleware, minimum_size=1000)  # pages, scripts, large JSON
    # outermost: host allow-list, sign-in, body timeouts, security headers
    app.add_middleware(Gate, services=services, router=app.router)
    for router in ROUTERS:
        app.include_router(router)
    static = str(resources.files("bot").joinpath("web", "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    for extension in (extensions if extensions is not None else _default_extensions()):
        extension(app, services)
    return app


def app_from_environment() -> FastAPI:
    """The app as ``mastery serve`` runs it in each worker process (uvicorn's factory):
    settings from the environment, engines warmed, large checks in a process pool."""
    settings = Settings()
    if (settings.workers or 1) > 1:
        # a worker of a supervisor: if the supervisor is killed, stop gracefully too
        import os
        import signal

        from bot.api.work import exit_with_parent

        exit_with_parent(lambda: os.kill(os.getpid(), signal.SIGTERM))
        # each worker gets its share of the cores for the FAQ's sentence encoder: two
        # workers of two threads each on two cores served /api/ask no faster than one
        # worker; with one thread each they serve about twice as much, measured in session
        # 9 (benchmarks/load_results.md)
        from faq.semantic import set_encoder_threads

        set_encoder_threads((os.cpu_count() or 1) // (settings.workers or 1))
    return create_app(settings, warm=True, heavy_work=True)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mastery-comms")
    except PackageNotFoundError:  # pragma: no cover
        return "0"
