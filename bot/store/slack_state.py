"""Slack's short-lived state shared by every app instance on the database: events
already taken, and the texts behind "Check wording" reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.store.base import StoreBase
from bot.store.common import (
    CHECK_TEXT_KEEP,
    EVENT_ID_MAX,
    SLACK_EVENT_KEEP,
    aware,
    clean_text,
    utcnow,
)
from bot.store.schema import CheckTextRow, SlackEventRow


class SlackStateMixin(StoreBase):
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
            session.add(CheckTextRow(id=key, owner=clean_text(owner), text=clean_text(text),
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
            if row is None or row.owner != owner or aware(row.expires_at) <= (now or utcnow()):
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
    event_id = clean_text(str(event_id))
    if len(event_id) <= EVENT_ID_MAX:
        return event_id
    return "sha256:" + hashlib.sha256(event_id.encode("utf-8")).hexdigest()

