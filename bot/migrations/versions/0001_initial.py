"""Drafts with version history, users with hashed API tokens, unanswered questions.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer,
                  sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "drafts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("template", sa.String(80), nullable=False),
        sa.Column("profile", sa.String(80), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_drafts_owner", "drafts", ["owner"])
    op.create_table(
        "draft_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("draft_id", sa.String(32),
                  sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("profile", sa.String(80), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(200), nullable=False, server_default=""),
        sa.UniqueConstraint("draft_id", "version", name="uq_draft_versions_version"),
    )
    op.create_index("ix_draft_versions_draft_id", "draft_versions", ["draft_id"])
    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("audience", sa.String(80), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=True),
        sa.Column("answer_id", sa.String(80), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_unanswered_questions_created_at", "unanswered_questions", ["created_at"])


def downgrade() -> None:
    op.drop_table("unanswered_questions")
    op.drop_table("draft_versions")
    op.drop_table("drafts")
    op.drop_table("api_tokens")
    op.drop_table("users")
