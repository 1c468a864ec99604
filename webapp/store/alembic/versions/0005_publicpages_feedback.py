"""feedback about the service (satisfaction and how to improve; nothing personal)

Revision ID: 0005_publicpages
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_publicpages"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("satisfaction", sa.String(32), nullable=False),
        sa.Column("improvement", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("feedback")
