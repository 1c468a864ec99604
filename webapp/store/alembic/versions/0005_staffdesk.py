"""staff desk: staff help on a caller's own draft (with consent), and a search index that
follows the answers of drafts staff are working on

Revision ID: 0005_staffdesk
Revises: 0004_staff
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_staffdesk"
down_revision = "0004_staff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_help",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(),
                  sa.ForeignKey("application.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_member.id"), nullable=False),
        sa.Column("force_id", sa.String(64), sa.ForeignKey("force.id"), nullable=False, index=True),
        sa.Column("consent_from", sa.String(200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("application_index") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("application_index") as batch:
        batch.drop_column("version")
    op.drop_table("staff_help")
