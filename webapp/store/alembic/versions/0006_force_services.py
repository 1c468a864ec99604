"""forces choose what they offer: each force's services (on or off, contact details, places),
a password reset that makes the member choose a new one, and before/after values in the audit log

Revision ID: 0006_force_services
Revises: 0004_staff
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_force_services"
down_revision = "0004_staff"
branch_labels = None
depends_on = None

# The one service the platform had when forces first chose: a force already on the platform
# keeps offering it, so upgrading changes nothing the public sees.
FIRST_SERVICE = "firearm-certificate"


def upgrade() -> None:
    op.create_table(
        "force_service",
        sa.Column(
            "force_id",
            sa.String(64),
            sa.ForeignKey("force.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("service", sa.String(64), primary_key=True),
        sa.Column("offered", sa.Boolean(), nullable=False),
        sa.Column("unit_name", sa.String(200), nullable=True),
        sa.Column("postal_address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("email", sa.String(200), nullable=True),
        sa.Column("opening_hours", sa.String(200), nullable=True),
        sa.Column("processing_time", sa.String(200), nullable=True),
        sa.Column("places", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(
        "INSERT INTO force_service (force_id, service, offered, places, updated_at) "
        f"SELECT id, '{FIRST_SERVICE}', on_platform, '[]', CURRENT_TIMESTAMP FROM force "
        "WHERE on_platform"
    )
    op.add_column(
        "staff_member",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # The audit log refuses UPDATE (triggers): adding nullable columns rewrites no row.
    op.add_column("audit_event", sa.Column("before", sa.JSON(), nullable=True))
    op.add_column("audit_event", sa.Column("after", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_event", "after")
    op.drop_column("audit_event", "before")
    with op.batch_alter_table("staff_member") as batch:
        batch.drop_column("must_change_password")
    op.drop_table("force_service")
