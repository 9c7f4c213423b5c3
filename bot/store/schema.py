"""The tables (SQLAlchemy models); the migrations in bot/migrations create them."""

from __future__ import annotations

import datetime as dt
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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.common import EVENT_ID_MAX, TITLE_MAX


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

