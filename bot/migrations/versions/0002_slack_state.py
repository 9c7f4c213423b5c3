"""Slack's shared state: handled event ids and the texts of "Check wording" reports.

Both used to live in one process's memory, so a retry of an event that reached another
app instance was answered twice, and a re-check after a restart said it had expired.
Adds tables only; no existing row is touched.

Revision ID: 0002_slack_state
Revises: 0001_initial
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_slack_state"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_events",
        sa.Column("event_id", sa.String(100), primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_slack_events_received_at", "slack_events", ["received_at"])
    op.create_table(
        "check_texts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_check_texts_expires_at", "check_texts", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_check_texts_expires_at", table_name="check_texts")
    op.drop_table("check_texts")
    op.drop_index("ix_slack_events_received_at", table_name="slack_events")
    op.drop_table("slack_events")
