"""Drafts (and each saved version) remember the audience the document is for, chosen in
the web form; NULL means the template's own audience, which is what every existing draft
keeps. Adds nullable columns only; no row is changed.

Revision ID: 0003_draft_audience
Revises: 0002_slack_state
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_draft_audience"
down_revision = "0002_slack_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("audience", sa.String(80), nullable=True))
    with op.batch_alter_table("draft_versions") as batch:
        batch.add_column(sa.Column("audience", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("draft_versions") as batch:
        batch.drop_column("audience")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("audience")
