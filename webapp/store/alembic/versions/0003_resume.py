"""save and come back later: resume links, contact addresses, attempts, pending answers, outbox

Revision ID: 0003_resume
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_resume"
down_revision = "0001"
branch_labels = None
depends_on = None


def _application_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["application_id"], ["application.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "resume_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        _application_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_resume_token_application_id", "resume_token", ["application_id"])

    op.create_table(
        "draft_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _application_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_draft_contact_application_id", "draft_contact", ["application_id"])
    op.create_index("ix_draft_contact_email", "draft_contact", ["email"])

    op.create_table(
        "resume_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_resume_attempt_key", "resume_attempt", ["key"])
    op.create_index("ix_resume_attempt_created_at", "resume_attempt", ["created_at"])

    op.create_table(
        "pending_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("page_id", sa.String(length=64), nullable=False),
        sa.Column("item_index", sa.Integer(), nullable=True),
        sa.Column("raws", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index("ix_pending_answer_created_at", "pending_answer", ["created_at"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_application_id", "outbox", ["application_id"])
    op.create_index("ix_outbox_status", "outbox", ["status"])
    op.create_index("ix_outbox_next_attempt_at", "outbox", ["next_attempt_at"])


def downgrade() -> None:
    for table in ("outbox", "pending_answer", "resume_attempt", "draft_contact", "resume_token"):
        op.drop_table(table)
