"""Kept PDFs keyed on the draft mark too: a draft's PDF says so, the PDF of the approved document does not.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_KEY = ["document_id", "lang", "template_version"]


def upgrade() -> None:
    # Every PDF kept so far was rendered without the draft mark: the rows keep their key with draft false.
    with op.batch_alter_table("pdf_cache", recreate="auto") as batch:
        batch.add_column(sa.Column("draft", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.drop_constraint("pk_pdf_cache", type_="primary")
        batch.create_primary_key("pk_pdf_cache", [*_OLD_KEY, "draft"])
    with op.batch_alter_table("pdf_cache") as batch:
        batch.alter_column("draft", existing_type=sa.Boolean(), existing_nullable=False, server_default=None)


def downgrade() -> None:
    # The old key holds one PDF per document, language and template version: the draft renderings go.
    op.execute(sa.text("DELETE FROM pdf_cache WHERE draft"))
    with op.batch_alter_table("pdf_cache", recreate="auto") as batch:
        batch.drop_constraint("pk_pdf_cache", type_="primary")
        batch.create_primary_key("pk_pdf_cache", _OLD_KEY)
        batch.drop_column("draft")
