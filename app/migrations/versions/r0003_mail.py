"""Invoice mail: every hand-over to the provider, explicit resends, each account's mail options.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_options",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("attach_xml", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_mail_options_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_mail_options")),
    )
    op.create_table(
        "mail_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("transport", sa.String(length=10), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=500), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('sent', 'retry', 'failed', 'unknown')", name=op.f("ck_mail_attempts_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_mail_attempts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_mail_attempts_outbox_id_outbox"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_attempts")),
    )
    op.create_index(op.f("ix_mail_attempts_outbox_id"), "mail_attempts", ["outbox_id"], unique=False)
    op.create_table(
        "mail_resends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_client", sa.String(length=40), nullable=False),
        sa.Column("requested_by", sa.String(length=500), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("previous_status", sa.String(length=10), nullable=False),
        sa.Column("previous_message_id", sa.String(length=200), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_mail_resends_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_mail_resends_outbox_id_outbox"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_resends")),
    )
    op.create_index(op.f("ix_mail_resends_outbox_id"), "mail_resends", ["outbox_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_mail_resends_outbox_id"), table_name="mail_resends")
    op.drop_table("mail_resends")
    op.drop_index(op.f("ix_mail_attempts_outbox_id"), table_name="mail_attempts")
    op.drop_table("mail_attempts")
    op.drop_table("mail_options")
