"""the language each application was made in (English or Welsh)

Revision ID: 0010_application_language
Revises: 0009_browser_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_application_language"
down_revision = "0009_browser_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("application", sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.drop_column("language")
