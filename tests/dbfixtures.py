"""Database fixtures for the drafts-store, API and browser tests (imported by those modules).

Every test run gets fresh databases: a SQLite file in a temporary folder, and — when
``MASTERY_TEST_POSTGRES_URL`` names a server — a PostgreSQL schema of its own, dropped
afterwards. In CI (``CI=true``) an unset or unreachable PostgreSQL is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

POSTGRES_ENV = "MASTERY_TEST_POSTGRES_URL"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_base_url() -> str:
    """The PostgreSQL URL to test against; skips (locally) or fails (CI) without one."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        if in_ci():
            pytest.fail(f"{POSTGRES_ENV} is not set; CI must test the store on PostgreSQL")
        pytest.skip(f"set {POSTGRES_ENV} to test against PostgreSQL")
    return url


@contextmanager
def postgres_schema_url(base: str) -> Iterator[str]:
    """A URL whose connections use a new, empty schema; the schema is dropped after."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # unreachable, wrong credentials, no such database
        admin.dispose()
        pytest.fail(f"PostgreSQL at {base} is not usable ({POSTGRES_ENV}): {exc}")
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    if "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": "10"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'drafts.db'}"
    else:
        with postgres_schema_url(postgres_base_url()) as url:
            yield url


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def make_client(url: str, data_dir: Path, toolkit: object, **settings: object) -> object:
    """A TestClient over the real app on ``url`` (settings isolated from the environment)."""
    from fastapi.testclient import TestClient

    from bot.api import create_app
    from bot.settings import Settings

    config = Settings(data_dir=data_dir, database_url=url, secret_key="test-secret",
                      **settings)  # type: ignore[arg-type]
    app = create_app(config, toolkit, extensions=[])  # type: ignore[arg-type]
    return TestClient(app, base_url="http://localhost", raise_server_exceptions=False)


@contextmanager
def backend_client(kind: str, folder: Path, toolkit: object, **settings: object) -> Iterator[Any]:
    """A started TestClient over the real app on a fresh database of ``kind``; closed after."""
    with database(kind, folder) as url:
        client: Any = make_client(url, folder, toolkit, **settings)
        with client:
            yield client
        client.app.state.services.store.close()
