"""Users get a role (editors read the question log) and a session key (removing a user or
replacing their token ends their web sessions); tokens keep their last characters so
their owner can tell them apart when revoking one.

Existing users become plain users with an empty session key (their current sign-ins keep
working until the key is replaced). No row is removed.

Revision ID: 0004_users_roles_sessions
Revises: 0003_draft_audience
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_users_roles_sessions"
down_revision = "0003_draft_audience"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("role", sa.String(16), nullable=False,
                                     server_default="user"))
    op.add_column("users", sa.Column("session_key", sa.String(32), nullable=False,
                                     server_default=""))
    op.add_column("api_tokens", sa.Column("hint", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("hint")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_key")
        batch.drop_column("role")
