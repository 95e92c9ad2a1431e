"""Accounts (seller, settings, credentials), customer-number series, customers and their EAN numbers.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=40), nullable=False),
        sa.Column("client_key_hash", sa.String(length=200), nullable=False),
        sa.Column("key_rotated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("org_number", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("trading_name", sa.String(length=500), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("address2", sa.String(length=500), nullable=True),
        sa.Column("postcode", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=500), nullable=False),
        sa.Column("vat_registered", sa.Boolean(), nullable=False),
        sa.Column("foretaksregisteret", sa.Boolean(), nullable=False),
        sa.Column("contact_name", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=500), nullable=True),
        sa.Column("phone", sa.String(length=500), nullable=True),
        sa.Column("bank_account", sa.String(length=34), nullable=True),
        sa.Column("iban", sa.String(length=34), nullable=True),
        sa.Column("bic", sa.String(length=11), nullable=True),
        sa.Column("delivery_terms", sa.String(length=500), nullable=True),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("prepaid_account", sa.String(length=50), nullable=True),
        sa.Column("department", sa.String(length=50), nullable=True),
        sa.Column("location", sa.String(length=50), nullable=True),
        sa.Column("payment_terms_map", sa.JSON(), nullable=False),
        sa.Column("mail_sender", sa.String(length=500), nullable=True),
        sa.Column("mail_subject", sa.String(length=500), nullable=False),
        sa.Column("mail_text", sa.Text(), nullable=False),
        sa.Column("process_orders_from", sa.Date(), nullable=True),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("customer_settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode IN ('draft', 'automatic')", name=op.f("ck_accounts_mode")),
        sa.CheckConstraint("payment_terms_days >= 0", name=op.f("ck_accounts_payment_terms_days")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("client_id", name=op.f("uq_accounts_client_id")),
    )
    op.create_table(
        "customer_number_series",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("next_value >= 1", name=op.f("ck_customer_number_series_next_value")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_customer_number_series_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_customer_number_series")),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("id_type", sa.String(length=20), nullable=False),
        sa.Column("id_value", sa.String(length=500), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("org_number", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=500), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("address2", sa.String(length=500), nullable=True),
        sa.Column("postcode", sa.String(length=20), nullable=True),
        sa.Column("city", sa.String(length=500), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("customer_group", sa.String(length=500), nullable=True),
        sa.Column("shop_customer_number", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_customers_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint(
            "account_id", "id_type", "id_value", name=op.f("uq_customers_account_id_id_type_id_value")
        ),
        sa.UniqueConstraint("account_id", "number", name=op.f("uq_customers_account_id_number")),
    )
    op.create_table(
        "customer_eans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("ean", sa.String(length=13), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_customer_eans_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_eans_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_eans")),
        sa.UniqueConstraint("account_id", "ean", name=op.f("uq_customer_eans_account_id_ean")),
    )
    op.create_index(op.f("ix_customer_eans_customer_id"), "customer_eans", ["customer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_customer_eans_customer_id"), table_name="customer_eans")
    op.drop_table("customer_eans")
    op.drop_table("customers")
    op.drop_table("customer_number_series")
    op.drop_table("accounts")
