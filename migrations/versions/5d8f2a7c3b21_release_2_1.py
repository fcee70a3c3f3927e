"""Release 2.1: exports remember where they came from.

Export documents (subsets handed to analysis programs) record the document they were made from,
the filter that chose their samples, when and by which Samplebook. An export of an export copies its
source's rows, so the whole chain is kept. Ordinary documents have no rows here.

Revision ID: 5d8f2a7c3b21
Revises: e1a6b3c9d720
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d8f2a7c3b21"
down_revision: str | Sequence[str] | None = "e1a6b3c9d720"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELEASE = "2.1"


def upgrade() -> None:
    op.create_table(
        "provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_title", sa.String(), nullable=False),
        sa.Column("source_file", sa.String(), nullable=True),
        sa.Column("filter", sa.Text(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.Column("exported_by_version", sa.String(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("measurements", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_provenance"),
    )


def downgrade() -> None:
    """Back to 2.0: the provenance rows are lost (2.0 has no record of where exports came from;
    ordinary documents have none)."""
    op.drop_table("provenance")
