"""card payments through GOV.UK Pay, their refunds, each force's price list, and a draft that
has been declared and waits for its payment

Revision ID: 0007_payments
Revises: 0006_force_services
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_payments"
down_revision = "0006_force_services"
branch_labels = None
depends_on = None

ENDED_UNPAID = "status NOT IN ('failed', 'cancelled', 'error')"


def upgrade() -> None:
    op.add_column(
        "application", sa.Column("declared_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("application.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("force_id", sa.String(64), sa.ForeignKey("force.id"), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("reference", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("taken_by", sa.Integer(), sa.ForeignKey("staff_member.id"), nullable=True),
        sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
        sa.Column("pay_id", sa.String(64), nullable=True, unique=True),
        sa.Column("next_url", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("failure_code", sa.String(16), nullable=True),
        sa.Column("card_brand", sa.String(40), nullable=True),
        sa.Column("last_digits", sa.String(4), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount_pence > 0", name="payment_amount_positive"),
    )
    op.create_index("ix_payment_application_id", "payment", ["application_id"])
    op.create_index("ix_payment_force_id", "payment", ["force_id"])
    op.create_index("ix_payment_service", "payment", ["service"])
    op.create_index("ix_payment_status", "payment", ["status"])
    op.create_index(
        "one_live_payment_per_application",
        "payment",
        ["application_id"],
        unique=True,
        sqlite_where=sa.text(ENDED_UNPAID),
        postgresql_where=sa.text(ENDED_UNPAID),
    )
    op.create_table(
        "refund",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("payment_id", sa.Integer(), sa.ForeignKey("payment.id"), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
        sa.Column("pay_refund_id", sa.String(64), nullable=True, unique=True),
        sa.Column("requested_by", sa.Integer(), sa.ForeignKey("staff_member.id"), nullable=True),
        sa.Column("approved_by", sa.Integer(), sa.ForeignKey("staff_member.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_pence > 0", name="refund_amount_positive"),
    )
    op.create_index("ix_refund_payment_id", "refund", ["payment_id"])
    op.create_index("ix_refund_status", "refund", ["status"])
    op.create_table(
        "price_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "force_id",
            sa.String(64),
            sa.ForeignKey("force.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_cy", sa.String(200), nullable=True),
        sa.Column("net_pence", sa.Integer(), nullable=False),
        sa.Column("vat_pence", sa.Integer(), nullable=False),
        sa.Column("offered", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("force_id", "service", "code"),
        sa.CheckConstraint("net_pence > 0 AND vat_pence >= 0", name="price_item_amounts"),
    )
    op.create_index("ix_price_item_force_id", "price_item", ["force_id"])


def downgrade() -> None:
    op.drop_table("price_item")
    op.drop_table("refund")
    op.drop_table("payment")
    with op.batch_alter_table("application") as batch:
        batch.drop_column("declared_at")
