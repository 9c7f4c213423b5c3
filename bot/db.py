"""Database engine and schema migrations for the drafts store.

SQLite is the default (one file in the data folder, WAL journal, foreign keys
on); PostgreSQL is used through a ``postgresql+psycopg://`` URL when several app
instances share one database. The schema is created and upgraded by the Alembic
migrations shipped in :mod:`bot.migrations`, applied programmatically — no
``alembic.ini`` is needed at run time.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger(__name__)

#: an arbitrary constant: the PostgreSQL advisory lock held while migrating, so that
#: several app instances starting together do not migrate the same database twice
_MIGRATION_LOCK_ID = 0x6D617374  # "mast"


class DatabaseError(Exception):
    """The database URL is unusable or the database cannot be reached/migrated."""


#: SQLite's durability modes offered (``Settings.sqlite_synchronous``). In WAL mode NORMAL
#: loses nothing when the process is killed, but the last commits may be lost if the
#: machine loses power; FULL syncs the log on every commit (slower saves) and survives it.
SQLITE_SYNCHRONOUS = ("NORMAL", "FULL")


def _sqlite_pragmas(synchronous: str) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
        finally:
            cursor.close()

    return on_connect


def make_engine(url: str, *, sqlite_synchronous: str = "NORMAL") -> Engine:
    """An engine for ``url``; SQLite files get their folder created and WAL mode."""
    sqlite_synchronous = sqlite_synchronous.upper()
    if sqlite_synchronous not in SQLITE_SYNCHRONOUS:
        raise DatabaseError(f"the SQLite durability mode {sqlite_synchronous!r} is not one of "
                            f"{', '.join(SQLITE_SYNCHRONOUS)}")
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"the database URL {url!r} is not valid: {exc}") from exc
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # e.g. the data folder is a file, or read-only
                reason = ("a file is in the way (a folder is needed)"
                          if isinstance(exc, FileExistsError | NotADirectoryError)
                          else exc.strerror or str(exc))
                raise DatabaseError(
                    f"cannot use the data folder {folder} for the SQLite database: "
                    f"{reason}. Choose another folder (--data-dir or MASTERY_DATA_DIR)."
                ) from exc
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            kwargs["connect_args"] = {"connect_timeout": 10}
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # missing driver, bad options
        raise DatabaseError(f"cannot use the database URL {parsed!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(sqlite_synchronous))
    return engine


def migrations_path() -> str:
    return str(resources.files("bot").joinpath("migrations"))


def alembic_config(engine: Engine | None = None) -> Any:
    """A programmatic Alembic config pointing at the shipped migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", migrations_path())
    if engine is not None:
        config.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (idempotent; safe with several instances)."""
    from alembic import command

    config = alembic_config(engine)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_ID}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except Exception as exc:
        raise DatabaseError(
            f"cannot prepare the database at {engine.url!r}: {type(exc).__name__}: {exc}"
        ) from exc


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
