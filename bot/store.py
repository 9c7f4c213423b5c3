"""The drafts store: the only stateful part of mastery-comms.

It keeps

* **drafts** — a template id, optional state profile, the form data, an owner and a
  version number, with every saved version kept in ``draft_versions`` so that earlier
  versions can be listed and restored;
* **users and API tokens** — tokens are 32 random bytes shown once; only their SHA-256
  is stored (a fast hash is right for high-entropy secrets);
* **the unanswered-question log** — questions the FAQ could not answer, or whose answer
  was marked unhelpful, from the web page, Slack or the CLI;
* **Slack's short-lived state**, shared by every app instance on the database: the
  ``event_id`` of each Slack event already taken (so a retry that lands on another
  instance is not answered twice) and the text behind each "Check wording" report (so
  picking an audience re-checks it on any instance, after a restart too). Both expire
  and are pruned.

Owners are plain strings: ``"local"`` for the single-user local tool, ``"user:NAME"``
for token users, ``"slack:TEAM:USER"`` for Slack users. Every draft operation takes the
owner and treats another owner's draft exactly like a missing one.

The API is synchronous (plain SQLAlchemy sessions), usable from FastAPI's thread pool,
Slack listeners and the CLI alike. Updates use compare-and-swap on the version, so two
app instances sharing PostgreSQL can never overwrite each other's work silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from bot.core.errors import DraftConflict
from bot.db import make_engine, migrate

LOCAL_OWNER = "local"
CHANNELS = ("web", "slack", "cli")
USER_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
#: what a user may be: "editor" may also read the unanswered-question log
ROLES = ("user", "editor")
#: defaults of the per-draft limits (settings: max_draft_bytes, max_draft_fields,
#: max_draft_versions)
MAX_DRAFT_BYTES = 500_000
MAX_DRAFT_FIELDS = 2_000
MAX_DRAFT_VERSIONS = 50
TITLE_MAX = 200
#: the largest version number a column holds (INTEGER is 32-bit on PostgreSQL); a larger
#: one cannot exist, and binding it would fail in the driver instead of finding nothing
MAX_VERSION = 2**31 - 1
#: longest Slack ``event_id`` stored as is (Slack's are ~10 characters; longer ones are hashed)
EVENT_ID_MAX = 100
#: how long a handled Slack event is remembered (Slack retries within minutes)
SLACK_EVENT_KEEP = dt.timedelta(days=1)
#: how long the text of a "Check wording" report can be re-checked for an audience
CHECK_TEXT_KEEP = dt.timedelta(days=7)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ schema
class Base(DeclarativeBase):
    pass


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: "user", or "editor" (may read the unanswered-question log)
    role: Mapped[str] = mapped_column(String(16), default="user")
    #: random; every web session carries it, so replacing it signs the user out everywhere
    session_key: Mapped[str] = mapped_column(String(32), default="")


class TokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: the token's last 4 characters, so its owner can tell which one is which
    hint: Mapped[str | None] = mapped_column(String(8))


class DraftRow(Base):
    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    template: Mapped[str] = mapped_column(String(80))
    profile: Mapped[str | None] = mapped_column(String(80))
    audience: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DraftVersionRow(Base):
    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("draft_id", "version", name="uq_draft_versions_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[str] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    profile: Mapped[str | None] = mapped_column(String(80))
    audience: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(String(200), default="")


class UnansweredRow(Base):
    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    audience: Mapped[str | None] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(16))
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    answer_id: Mapped[str | None] = mapped_column(String(80))
    score: Mapped[float | None] = mapped_column(Float)
    owner: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class SlackEventRow(Base):
    """A Slack event (by ``event_id``) that an app instance has taken to handle."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(EVENT_ID_MAX), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class CheckTextRow(Base):
    """The text of a "Check wording" report, kept for re-checking for an audience."""

    __tablename__ = "check_texts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


# ---------------------------------------------------------- plain records
@dataclass(frozen=True)
class Draft:
    """One draft as it was read (or saved)."""

    id: str
    owner: str
    template: str
    profile: str | None
    title: str
    data: dict[str, Any]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    #: the audience the document is for (None: the template's own)
    audience: str | None = None

    @classmethod
    def of(cls, row: DraftRow) -> Draft:
        return cls(
            id=row.id, owner=row.owner, template=row.template, profile=row.profile,
            title=row.title, data=dict(row.data or {}), version=row.version,
            created_at=_aware(row.created_at), updated_at=_aware(row.updated_at),
            audience=row.audience,
        )


@dataclass(frozen=True)
class DraftVersion:
    draft_id: str
    version: int
    profile: str | None
    title: str
    data: dict[str, Any]
    saved_at: dt.datetime
    note: str = ""
    audience: str | None = None

    @classmethod
    def of(cls, row: DraftVersionRow) -> DraftVersion:
        return cls(
            draft_id=row.draft_id, version=row.version, profile=row.profile, title=row.title,
            data=dict(row.data or {}), saved_at=_aware(row.saved_at), note=row.note or "",
            audience=row.audience,
        )


@dataclass(frozen=True)
class User:
    id: int
    name: str
    created_at: dt.datetime
    role: str = "user"
    session_key: str = field(default="", compare=False, repr=False)

    @property
    def owner(self) -> str:
        return f"user:{self.name}"

    @property
    def is_editor(self) -> bool:
        return self.role == "editor"

    @classmethod
    def of(cls, row: UserRow) -> User:
        return cls(row.id, row.name, _aware(row.created_at), row.role or "user",
                   row.session_key or "")


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed to its owner: never the token, only its last characters."""

    id: int
    hint: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


@dataclass(frozen=True)
class DraftInfo:
    """A draft without its form data (for lists)."""

    id: str
    owner: str
    template: str
    profile: str | None
    title: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    audience: str | None = None


@dataclass(frozen=True)
class UnansweredQuestion:
    id: int
    question: str
    audience: str | None
    channel: str
    helpful: bool | None
    answer_id: str | None
    score: float | None
    owner: str | None
    created_at: dt.datetime


# ------------------------------------------------------------------ errors
class StoreError(Exception):
    """Base of the store's errors; the message is written for the person using the tool."""


class DraftNotFound(StoreError):
    def __init__(self, draft_id: str) -> None:
        super().__init__(f"There is no draft with id {draft_id!r}.")
        self.draft_id = draft_id


class VersionNotFound(StoreError):
    def __init__(self, draft_id: str, version: int) -> None:
        super().__init__(f"Draft {draft_id!r} has no version {version}.")


class StaleVersion(StoreError, DraftConflict):
    """The update was based on an older version than the one saved."""

    def __init__(self, draft: Draft, base_version: int) -> None:
        super().__init__(
            f"This draft was saved elsewhere (now version {draft.version}; your changes were "
            f"based on version {base_version}). Nothing was overwritten: reload the draft, or "
            "copy your changes and save them on top of the newer version."
        )
        self.current = draft
        self.base_version = base_version


class _Stale(Exception):
    pass


class UserExists(StoreError):
    pass


class InvalidInput(StoreError):
    pass


class DraftTooLarge(InvalidInput):
    """The draft's data is over the size limit (answered with 413)."""


#: the columns of a draft, in the order Draft takes them (UPDATE … RETURNING)
_DRAFT_COLUMNS = (DraftRow.id, DraftRow.owner, DraftRow.template, DraftRow.profile,
                  DraftRow.title, DraftRow.version, DraftRow.created_at, DraftRow.updated_at,
                  DraftRow.audience)


# ------------------------------------------------------------- write lock
class WriteLock:
    """Writers to one SQLite database take turns: a lock between the threads of this
    process and, for a database file, ``flock`` on ``<database>.writer-lock`` between
    processes (``mastery serve``'s workers, the Slack bot, the CLI).

    SQLite lets one writer in at a time and makes the others wait in its busy handler,
    which sleeps in steps of up to 100 ms and may miss the moment the lock is free: with
    eight clients saving at once, a save now and then waited half a second or more.
    Here a waiting writer goes in as soon as the one before it is done. The lock only
    orders writers; durability is SQLite's (each write is its own committed
    transaction), and a process killed while holding it releases it with its file.
    On other databases (PostgreSQL) it does nothing.
    """

    #: how long to wait for another process's writer before leaving it to SQLite's own
    #: busy handler (as long as that one waits: PRAGMA busy_timeout)
    WAIT_SECONDS = 5.0

    def __init__(self, path: str | None, *, active: bool = True) -> None:
        import threading

        self.active = active
        self._local = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        if active and path:
            import os

            try:
                import fcntl  # noqa: F401 - POSIX only; elsewhere threads only
            except ImportError:  # pragma: no cover - Windows
                pass
            else:
                try:
                    self._fd = os.open(f"{path}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
                except OSError:  # a read-only folder: SQLite's own waiting still works
                    self._fd = None

    @classmethod
    def for_engine(cls, engine: Any) -> WriteLock:
        if engine.dialect.name != "sqlite":
            return cls(None, active=False)
        database = engine.url.database or ""
        in_file = database and database != ":memory:" and not database.startswith("file:")
        return cls(str(Path(database).expanduser().resolve()) if in_file else None)

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if not self.active:
            yield
            return
        with self._local:
            self._depth += 1
            locked = self._depth == 1 and self._lock_file()
            try:
                yield
            finally:
                self._depth -= 1
                if locked:
                    self._unlock_file()

    def _lock_file(self) -> bool:
        if self._fd is None:
            return False
        import fcntl
        import time

        deadline = time.monotonic() + self.WAIT_SECONDS
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False  # SQLite's busy handler decides from here
                time.sleep(pause)
                pause = min(pause * 2, 0.002)
            except OSError:
                return False

    def _unlock_file(self) -> None:
        import fcntl

        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        import os

        with self._local:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


# ------------------------------------------------------------------- store
@dataclass
class DraftStore:
    """Drafts, users and the unanswered-question log, in one SQL database."""

    url: str
    #: SQLite's ``synchronous`` mode: "NORMAL" (safe when the process is killed) or
    #: "FULL" (also safe when the machine loses power, slower saves)
    sqlite_synchronous: str = "NORMAL"
    max_draft_bytes: int = MAX_DRAFT_BYTES
    max_draft_fields: int = MAX_DRAFT_FIELDS
    #: versions kept per draft; older ones are pruned when a new one is saved
    max_draft_versions: int = MAX_DRAFT_VERSIONS
    _engine: Any = field(init=False, repr=False)
    _sessions: sessionmaker[Session] = field(init=False, repr=False)
    _writes: WriteLock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._engine = make_engine(self.url, sqlite_synchronous=self.sqlite_synchronous)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = WriteLock.for_engine(self._engine)

    @classmethod
    def open(cls, url: str, *, migrate_schema: bool = True, **limits: Any) -> DraftStore:
        """Open the database at ``url`` and apply pending migrations. ``limits``: the
        other fields (``sqlite_synchronous``, ``max_draft_bytes`` …)."""
        store = cls(url, **limits)
        if migrate_schema:
            migrate(store.engine)
        return store

    @property
    def engine(self) -> Any:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()
        self._writes.close()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A transaction; ``write``: one that writes (on SQLite, writers take turns
        through :class:`WriteLock` instead of SQLite's busy wait)."""
        if write:
            with self._writes(), self._sessions.begin() as session:
                yield session
        else:
            with self._sessions.begin() as session:
                yield session

    def ping(self) -> bool:
        from sqlalchemy import text

        with self._engine.connect() as connection:
            return connection.execute(text("SELECT 1")).scalar() == 1

    # ---------------------------------------------------------- drafts
    def create_draft(
        self,
        owner: str,
        template: str,
        data: dict[str, Any] | None = None,
        *,
        profile: str | None = None,
        title: str = "",
        audience: str | None = None,
    ) -> Draft:
        data = self._check(data)
        now = utcnow()
        draft_id = uuid.uuid4().hex
        title = _clean_title(title)
        with self.session(write=True) as session:
            session.add(DraftRow(
                id=draft_id, owner=owner, template=template, profile=profile, title=title,
                audience=audience,
                data=data, version=1, created_at=now, updated_at=now,
            ))
            session.flush()
            session.add(DraftVersionRow(
                draft_id=draft_id, version=1, profile=profile, title=title, data=data,
                audience=audience,
                saved_at=now, note="created",
            ))
        return self.get_draft(owner, draft_id)

    def _row(self, session: Session, owner: str, draft_id: str) -> DraftRow:
        row = session.get(DraftRow, draft_id) if _valid_id(draft_id) else None
        if row is None or row.owner != owner:
            raise DraftNotFound(draft_id)
        return row

    def get_draft(self, owner: str, draft_id: str) -> Draft:
        with self.session() as session:
            return Draft.of(self._row(session, owner, draft_id))

    def draft_summaries(self, owner: str, *, template: str | None = None) -> list[DraftInfo]:
        """The owner's drafts without their form data, latest first (for lists)."""
        columns = (DraftRow.id, DraftRow.owner, DraftRow.template, DraftRow.profile,
                   DraftRow.title, DraftRow.version, DraftRow.created_at, DraftRow.updated_at,
                   DraftRow.audience)
        query = select(*columns).where(DraftRow.owner == _text(owner))
        if template:
            query = query.where(DraftRow.template == _text(template))
        query = query.order_by(DraftRow.updated_at.desc(), DraftRow.id)
        with self.session() as session:
            return [
                DraftInfo(id=r.id, owner=r.owner, template=r.template, profile=r.profile,
                          title=r.title, version=r.version, created_at=_aware(r.created_at),
                          updated_at=_aware(r.updated_at), audience=r.audience)
                for r in session.execute(query)
            ]

    def _check(self, data: dict[str, Any] | None) -> dict[str, Any]:
        return _check_data(data, max_bytes=self.max_draft_bytes,
                           max_fields=self.max_draft_fields)

    def list_drafts(self, owner: str, *, template: str | None = None) -> list[Draft]:
        query = select(DraftRow).where(DraftRow.owner == _text(owner))
        if template:
            template = _text(template)
            query = query.where(DraftRow.template == template)
        query = query.order_by(DraftRow.updated_at.desc(), DraftRow.id)
        with self.session() as session:
            return [Draft.of(row) for row in session.scalars(query)]

    def update_draft(
        self,
        owner: str,
        draft_id: str,
        *,
        base_version: int,
        data: dict[str, Any],
        title: str | None = None,
        profile: str | None = None,
        keep_profile: bool = True,
        note: str = "",
        audience: str | None = None,
        keep_audience: bool = True,
    ) -> Draft:
        """Save new data on top of ``base_version``; raise :class:`StaleVersion` if the
        saved version moved on (nothing is written then)."""
        data = self._check(data)
        if not 1 <= base_version <= MAX_VERSION:
            raise StaleVersion(self.get_draft(owner, draft_id), base_version)
        now = utcnow()
        values: dict[str, Any] = {
            "data": data, "version": DraftRow.version + 1, "updated_at": now,
        }
        if title is not None:
            values["title"] = _clean_title(title)
        if not (keep_profile and profile is None):
            values["profile"] = profile
        if not (keep_audience and audience is None):
            values["audience"] = audience
        stale = False
        if _valid_id(draft_id):
            try:
                with self.session(write=True) as session:
                    # the write comes first: it takes the write lock at once, and the
                    # version check and the increment are one atomic statement, which
                    # also returns the saved row (UPDATE … RETURNING: no second read)
                    row = session.execute(
                        update(DraftRow)
                        .where(DraftRow.id == draft_id, DraftRow.owner == owner,
                               DraftRow.version == base_version)
                        .values(**values)
                        .returning(*_DRAFT_COLUMNS)
                        .execution_options(synchronize_session=False)
                    ).first()
                    if row is None:
                        raise _Stale
                    session.execute(insert(DraftVersionRow).values(
                        draft_id=draft_id, version=row.version, profile=row.profile,
                        audience=row.audience, title=row.title, data=data, saved_at=now,
                        note=note[:200]))
                    if row.version > self.max_draft_versions:
                        # keep the newest versions only (one indexed delete)
                        session.execute(
                            delete(DraftVersionRow)
                            .where(DraftVersionRow.draft_id == draft_id,
                                   DraftVersionRow.version
                                   <= row.version - self.max_draft_versions)
                            .execution_options(synchronize_session=False)
                        )
                    saved = Draft(
                        id=row.id, owner=row.owner, template=row.template,
                        profile=row.profile, title=row.title, data=dict(data),
                        version=row.version, created_at=_aware(row.created_at),
                        updated_at=_aware(row.updated_at), audience=row.audience)
            except (_Stale, IntegrityError):
                stale = True
        else:
            raise DraftNotFound(draft_id)
        if stale:
            raise StaleVersion(self.get_draft(owner, draft_id), base_version)
        return saved

    def delete_draft(self, owner: str, draft_id: str) -> None:
        if not _valid_id(draft_id):
            raise DraftNotFound(draft_id)
        with self.session(write=True) as session:
            owned = select(DraftRow.id).where(DraftRow.id == draft_id, DraftRow.owner == owner)
            session.execute(delete(DraftVersionRow).where(DraftVersionRow.draft_id.in_(owned)))
            result = session.execute(
                delete(DraftRow).where(DraftRow.id == draft_id, DraftRow.owner == owner)
            )
            if getattr(result, "rowcount", 0) != 1:
                raise DraftNotFound(draft_id)

    def history(self, owner: str, draft_id: str) -> list[DraftVersion]:
        """Every saved version of the draft, newest first."""
        with self.session() as session:
            self._row(session, owner, draft_id)
            rows = session.scalars(
                select(DraftVersionRow)
                .where(DraftVersionRow.draft_id == draft_id)
                .order_by(DraftVersionRow.version.desc())
            )
            return [DraftVersion.of(row) for row in rows]

    def get_version(self, owner: str, draft_id: str, version: int) -> DraftVersion:
        with self.session() as session:
            self._row(session, owner, draft_id)
            if not 1 <= version <= MAX_VERSION:
                raise VersionNotFound(draft_id, version)
            row = session.scalars(
                select(DraftVersionRow).where(
                    DraftVersionRow.draft_id == draft_id, DraftVersionRow.version == version
                )
            ).first()
            if row is None:
                raise VersionNotFound(draft_id, version)
            return DraftVersion.of(row)

    def restore(
        self, owner: str, draft_id: str, version: int, *, base_version: int | None = None
    ) -> Draft:
        """Make an earlier version the current one, as a new version (history is kept)."""
        old = self.get_version(owner, draft_id, version)
        base = base_version if base_version is not None else self.get_draft(owner, draft_id).version
        return self.update_draft(
            owner, draft_id, base_version=base, data=old.data, title=old.title,
            profile=old.profile, keep_profile=False, note=f"restored version {version}",
            audience=old.audience, keep_audience=False,
        )

    def claim_drafts(self, from_owner: str, to_owner: str) -> int:
        """Move every draft of one owner to another (e.g. linking a Slack user)."""
        with self.session(write=True) as session:
            result = session.execute(
                update(DraftRow).where(DraftRow.owner == from_owner).values(owner=to_owner)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    # ----------------------------------------------------------- users
    def add_user(self, name: str, *, role: str = "user") -> tuple[User, str]:
        """Create a user and their first API token; the token is returned only here."""
        name = name.strip()
        if not USER_NAME_RE.match(name):
            raise InvalidInput(
                "A user name is 1–64 letters, digits, dots, dashes, underscores or @, "
                "starting with a letter or digit."
            )
        _check_role(role)
        token = new_token()
        now = utcnow()
        try:
            with self.session(write=True) as session:
                if session.scalars(select(UserRow).where(UserRow.name == name)).first():
                    raise UserExists(f"There is already a user called {name!r}.")
                row = UserRow(name=name, created_at=now, role=role,
                              session_key=secrets.token_hex(16))
                session.add(row)
                session.flush()
                session.add(_token_row(row.id, token, now))
                user = User.of(row)
        except IntegrityError as exc:
            raise UserExists(f"There is already a user called {name!r}.") from exc
        return user, token

    def _user_row(self, session: Session, name: str) -> UserRow:
        row = (session.scalars(select(UserRow).where(UserRow.name == name)).first()
               if USER_NAME_RE.match(name or "") else None)
        if row is None:
            raise InvalidInput(f"There is no user called {name!r}.")
        return row

    def new_token(self, name: str, *, keep: bool = False) -> str:
        """Issue a new token for an existing user. Unless ``keep``, it replaces every
        other token of theirs and signs them out of the web page everywhere (for a lost
        or leaked token)."""
        token = new_token()
        with self.session(write=True) as session:
            row = self._user_row(session, name)
            if not keep:
                session.execute(delete(TokenRow).where(TokenRow.user_id == row.id))
                row.session_key = secrets.token_hex(16)
            session.add(_token_row(row.id, token, utcnow()))
        return token

    def list_tokens(self, name: str) -> list[TokenInfo]:
        """The user's tokens, oldest first (their last characters only)."""
        with self.session() as session:
            row = self._user_row(session, name)
            rows = session.scalars(
                select(TokenRow).where(TokenRow.user_id == row.id).order_by(TokenRow.id))
            return [TokenInfo(id=t.id, hint=t.hint or "", created_at=_aware(t.created_at),
                              last_used_at=_aware(t.last_used_at) if t.last_used_at else None)
                    for t in rows]

    def revoke_token(self, name: str, token_id: int) -> None:
        """Revoke one of the user's tokens (by the id ``list_tokens`` shows)."""
        with self.session(write=True) as session:
            row = self._user_row(session, name)
            result = session.execute(
                delete(TokenRow).where(TokenRow.user_id == row.id, TokenRow.id == token_id))
            if not getattr(result, "rowcount", 0):
                raise InvalidInput(f"{name!r} has no token number {token_id}. List them with "
                                   f"`mastery users tokens {name}`.")

    def set_role(self, name: str, role: str) -> User:
        _check_role(role)
        with self.session(write=True) as session:
            row = self._user_row(session, name)
            row.role = role
            return User.of(row)

    def sign_out_everywhere(self, name: str) -> None:
        """End every web session of the user (their tokens keep working)."""
        with self.session(write=True) as session:
            self._user_row(session, name).session_key = secrets.token_hex(16)

    def remove_user(self, name: str) -> None:
        """Remove the user, their tokens and sessions for good. Their drafts stay in the
        database under ``removed:NAME:ID`` so that a new user given the same name later
        cannot open them."""
        with self.session(write=True) as session:
            row = self._user_row(session, name)
            session.execute(delete(TokenRow).where(TokenRow.user_id == row.id))
            session.execute(
                update(DraftRow).where(DraftRow.owner == f"user:{row.name}")
                .values(owner=f"removed:{row.name}:{secrets.token_hex(4)}")
                .execution_options(synchronize_session=False)
            )
            session.delete(row)

    def list_users(self) -> list[User]:
        with self.session() as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.name))
            return [User.of(r) for r in rows]

    def get_user(self, name: str) -> User | None:
        if not USER_NAME_RE.match(name):
            return None
        with self.session() as session:
            row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
            return User.of(row) if row else None

    def authenticate(self, token: str) -> User | None:
        """The user a token belongs to, or None. Constant work whatever the token."""
        if not token or len(token) > 200 or not token.isascii() or "\x00" in token:
            return None
        digest = hash_token(token)
        with self.session() as session:
            found = session.execute(
                select(TokenRow, UserRow)
                .join(UserRow, UserRow.id == TokenRow.user_id)
                .where(TokenRow.token_hash == digest)
            ).first()
            if found is None:
                return None
            token_row, user_row = found
            user = User.of(user_row)
            token_id, last = token_row.id, token_row.last_used_at
        now = utcnow()
        if last is None or now - _aware(last) > dt.timedelta(minutes=5):
            # written apart from the read: on SQLite a reading transaction that starts to
            # write can fail at once ("database is locked") when another one wrote since
            with self.session(write=True) as session:
                session.execute(update(TokenRow).where(TokenRow.id == token_id)
                                .values(last_used_at=now)
                                .execution_options(synchronize_session=False))
        return user

    # ------------------------------------------------ unanswered questions
    def log_question(
        self,
        question: str,
        *,
        channel: str,
        audience: str | None = None,
        helpful: bool | None = None,
        answer_id: str | None = None,
        score: float | None = None,
        owner: str | None = None,
    ) -> int:
        """Record a question the FAQ could not answer (or whose answer was unhelpful)."""
        if channel not in CHANNELS:
            raise InvalidInput(f"channel must be one of {', '.join(CHANNELS)}")
        with self.session(write=True) as session:
            row = UnansweredRow(
                question=_text(question)[:4000],
                audience=_text(audience)[:80] if audience else None,
                channel=channel, helpful=helpful,
                answer_id=_text(answer_id)[:80] if answer_id else None, score=score,
                owner=owner, created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return int(row.id)

    def mark_helpful(self, entry_id: int, helpful: bool) -> None:
        with self.session(write=True) as session:
            row = session.get(UnansweredRow, entry_id)
            if row is not None:
                row.helpful = helpful

    def unanswered(
        self, *, limit: int = 200, since: dt.datetime | None = None, channel: str | None = None
    ) -> list[UnansweredQuestion]:
        """Logged questions, newest first."""
        query = select(UnansweredRow)
        if since is not None:
            query = query.where(UnansweredRow.created_at >= since)
        if channel:
            query = query.where(UnansweredRow.channel == channel)
        query = query.order_by(UnansweredRow.created_at.desc(), UnansweredRow.id.desc())
        with self.session() as session:
            return [
                UnansweredQuestion(
                    id=r.id, question=r.question, audience=r.audience, channel=r.channel,
                    helpful=r.helpful, answer_id=r.answer_id, score=r.score, owner=r.owner,
                    created_at=_aware(r.created_at),
                )
                for r in session.scalars(query.limit(max(1, min(limit, 5000))))
            ]

    def count_unanswered(self) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count()).select_from(UnansweredRow)) or 0)


    # ------------------------------------------------- Slack's shared state
    def claim_event(self, event_id: str, *, now: dt.datetime | None = None) -> bool:
        """Take a Slack event for handling: True for the first claim of ``event_id`` on
        this database (by any app instance), False when it was already claimed.

        One atomic ``INSERT``: on SQLite and PostgreSQL ``ON CONFLICT DO NOTHING``, so
        two instances racing on the same retry cannot both win (the primary key decides),
        and a duplicate is not logged as an error by the server."""
        key = _event_key(event_id)
        values = {"event_id": key, "received_at": now or utcnow()}
        dialect = self._engine.dialect.name
        if dialect in ("sqlite", "postgresql"):
            statement: Any
            if dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                statement = sqlite_insert(SlackEventRow).values(**values)
            else:
                from sqlalchemy.dialects.postgresql import insert as postgresql_insert

                statement = postgresql_insert(SlackEventRow).values(**values)
            # RETURNING, not rowcount: psycopg reports -1 for this statement
            statement = (statement.on_conflict_do_nothing(index_elements=["event_id"])
                         .returning(SlackEventRow.__table__.c.event_id))
            with self._writes(), self._engine.begin() as connection:
                return connection.execute(statement).first() is not None
        try:  # any other database: a duplicate primary key is the answer
            with self.session(write=True) as session:
                session.add(SlackEventRow(**values))
        except IntegrityError:
            return False
        return True

    def save_check_text(
        self, owner: str, text: str, *, keep: dt.timedelta = CHECK_TEXT_KEEP,
        now: dt.datetime | None = None,
    ) -> str:
        """Keep ``text`` for ``owner`` and return its key (128 random bits)."""
        key = secrets.token_hex(16)
        now = now or utcnow()
        with self.session(write=True) as session:
            session.add(CheckTextRow(id=key, owner=_text(owner), text=_text(text),
                                     created_at=now, expires_at=now + keep))
        return key

    def get_check_text(self, owner: str, key: str, *, now: dt.datetime | None = None
                       ) -> str | None:
        """The text saved under ``key`` by ``owner``; None when the key is unknown, has
        expired or belongs to someone else (all three look the same)."""
        if not re.fullmatch(r"[0-9a-f]{32}", key or ""):
            return None
        with self.session() as session:
            row = session.get(CheckTextRow, key)
            if row is None or row.owner != owner or _aware(row.expires_at) <= (now or utcnow()):
                return None
            return row.text

    def prune_slack_state(
        self, *, events_older_than: dt.timedelta = SLACK_EVENT_KEEP,
        now: dt.datetime | None = None,
    ) -> tuple[int, int]:
        """Forget handled Slack events older than ``events_older_than`` and expired
        check texts; returns how many of each were removed."""
        now = now or utcnow()
        with self.session(write=True) as session:
            events = session.execute(
                delete(SlackEventRow).where(SlackEventRow.received_at < now - events_older_than)
            )
            checks = session.execute(delete(CheckTextRow).where(CheckTextRow.expires_at <= now))
            return (int(getattr(events, "rowcount", 0) or 0),
                    int(getattr(checks, "rowcount", 0) or 0))


def _event_key(event_id: str) -> str:
    event_id = _text(str(event_id))
    if len(event_id) <= EVENT_ID_MAX:
        return event_id
    return "sha256:" + hashlib.sha256(event_id.encode("utf-8")).hexdigest()


def new_token() -> str:
    return "mst_" + secrets.token_urlsafe(32)


def _token_row(user_id: int, token: str, now: dt.datetime) -> TokenRow:
    return TokenRow(user_id=user_id, token_hash=hash_token(token), created_at=now,
                    hint=token[-4:])


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"A role is one of: {', '.join(ROLES)} (not {role!r}).")


def _valid_id(draft_id: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{32}", draft_id or ""))


def _text(value: str) -> str:
    """Text every database accepts: no NUL characters, no broken surrogates."""
    value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _clean_title(title: str | None) -> str:
    return _text(" ".join((title or "").split()))[:TITLE_MAX]


def _count_fields(value: Any, limit: int) -> int:
    """How many keys and list items ``value`` holds, counting up to just past ``limit``."""
    count = 0
    stack = [value]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            count += len(item)
            stack.extend(item)
    return count


def _check_data(
    data: dict[str, Any] | None, *, max_bytes: int = MAX_DRAFT_BYTES,
    max_fields: int = MAX_DRAFT_FIELDS,
) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidInput("Draft data must be an object of field names and values.")
    if _count_fields(data, max_fields) > max_fields:
        raise InvalidInput(
            f"This draft has too many fields and list items (the limit is {max_fields:,}). "
            "Remove fields the template does not use, or split it into several drafts.")
    try:
        encoded = json.dumps(data, allow_nan=False, ensure_ascii=False)
        size = len(encoded.encode("utf-8"))
    except (TypeError, ValueError) as exc:  # NaN, Infinity, surrogates, non-JSON values
        raise InvalidInput(f"Draft data cannot be saved: {exc}") from exc
    if size > max_bytes:
        raise DraftTooLarge(
            f"This draft is too large to save ({size:,} bytes; the limit is {max_bytes:,}). "
            "Shorten the longest fields, or ask the administrator to raise "
            "MASTERY_MAX_DRAFT_BYTES.")
    if "\\u0000" in encoded:
        raise InvalidInput("Draft data cannot contain NUL characters.")
    return data
