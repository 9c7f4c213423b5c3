"""The unanswered-question log: what the FAQ could not answer, or answered unhelpfully."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.store.base import StoreBase
from bot.store.common import CHANNELS, InvalidInput, aware, clean_text, utcnow
from bot.store.schema import UnansweredRow


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



class QuestionLogMixin(StoreBase):
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
                question=clean_text(question)[:4000],
                audience=clean_text(audience)[:80] if audience else None,
                channel=channel, helpful=helpful,
                answer_id=clean_text(answer_id)[:80] if answer_id else None, score=score,
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
                    created_at=aware(r.created_at),
                )
                for r in session.scalars(query.limit(max(1, min(limit, 5000))))
            ]

    def count_unanswered(self) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count()).select_from(UnansweredRow)) or 0)

