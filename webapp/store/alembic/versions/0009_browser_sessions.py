"""the server's record of each browser session holding a draft, so that leaving, idling and a
maximum lifetime end it for every copy of its cookie

Revision ID: 0009_browser_sessions
Revises: 0008_pending_by_client
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_browser_sessions"
down_revision = "0008_pending_by_client"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browser_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_browser_session_last_seen_at", "browser_session", ["last_seen_at"])


def downgrade() -> None:
    op.drop_table("browser_session")
