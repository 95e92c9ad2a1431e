"""The account's kind (a webshop or a sign-up platform: how private customers are identified by default)
and the seller's Danish FIK creditor number and card type (payment slips on invoices).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=10), nullable=False, server_default="shop"))
        batch.add_column(sa.Column("fik_creditor", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("fik_card_type", sa.String(length=2), nullable=False, server_default="71"))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("fik_card_type")
        batch.drop_column("fik_creditor")
        batch.drop_column("kind")
