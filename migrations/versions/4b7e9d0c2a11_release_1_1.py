"""Release 1.1: when a measurement was taken, where a sample was collected.

Revision ID: 4b7e9d0c2a11
Revises: 0f3a1c2b5d10
Create Date: 2024-09-16
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4b7e9d0c2a11"
down_revision: str | Sequence[str] | None = "0f3a1c2b5d10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELEASE = "1.1"


def upgrade() -> None:
    op.add_column("measurement", sa.Column("measured_at", sa.DateTime(), nullable=True))
    op.add_column("sample", sa.Column("location", sa.String(), nullable=True))
    op.create_index("ix_measurement_sample_id", "measurement", ["sample_id"])


def downgrade() -> None:
    """Back to 1.0, which has no place for them: every sample's ``location`` and every
    measurement's ``measured_at`` are lost (``app.document.losses`` counts them before a copy
    for 1.0 is written). The index goes too; it held nothing the rows do not."""
    op.drop_index("ix_measurement_sample_id", table_name="measurement")
    with op.batch_alter_table("sample") as batch:
        batch.drop_column("location")
    with op.batch_alter_table("measurement") as batch:
        batch.drop_column("measured_at")
