"""answers kept from an expired session remember which client (a hash) posted them, so one
client can leave only a few

Revision ID: 0008_pending_by_client
Revises: 0007_payments
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_pending_by_client"
down_revision = "0007_payments"
branch_labels = None
depends_on = "0003_resume"  # the table it changes


def upgrade() -> None:
    op.add_column("pending_answer", sa.Column("client_hash", sa.String(64), nullable=True))
    op.create_index("ix_pending_answer_client_hash", "pending_answer", ["client_hash"])


def downgrade() -> None:
    op.drop_index("ix_pending_answer_client_hash", "pending_answer")
    with op.batch_alter_table("pending_answer") as batch:
        batch.drop_column("client_hash")
