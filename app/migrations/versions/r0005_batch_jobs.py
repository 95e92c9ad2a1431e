"""Batch jobs of the HTTP API and their results, readable from every API replica.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "batch_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_jobs")),
    )
    op.create_index(op.f("ix_batch_jobs_updated_at"), "batch_jobs", ["updated_at"])
    op.create_index(op.f("ix_batch_jobs_finished_at"), "batch_jobs", ["finished_at"])
    op.create_table(
        "batch_results",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("row", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["batch_jobs.id"],
            name=op.f("fk_batch_results_job_id_batch_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "idx", name=op.f("pk_batch_results")),
    )


def downgrade() -> None:
    op.drop_table("batch_results")
    op.drop_index(op.f("ix_batch_jobs_finished_at"), table_name="batch_jobs")
    op.drop_index(op.f("ix_batch_jobs_updated_at"), table_name="batch_jobs")
    op.drop_table("batch_jobs")
