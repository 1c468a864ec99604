"""items sent by post after applying (photos to follow), recorded received by staff

Revision ID: 0005_channel
Revises: 0004_staff
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_channel"
down_revision = "0004_staff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_by_post",
        sa.Column("application_id", sa.Integer(),
                  sa.ForeignKey("application.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("item", sa.String(64), primary_key=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_member.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("received_by_post")
