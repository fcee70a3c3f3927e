"""Release 1.0: samples with free-text tags, and their measurements.

Revision ID: 0f3a1c2b5d10
Revises:
Create Date: 2024-03-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0f3a1c2b5d10"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELEASE = "1.0"

#: "SmpB": what tells a Samplebook document apart from any other SQLite file.
APPLICATION_ID = 0x536D7042


def upgrade() -> None:
    op.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    op.create_table(
        "sample",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("collected_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("tags", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sample"),
    )
    op.create_table(
        "measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.String(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sample_id"], ["sample.id"], name="fk_measurement_sample_id_sample"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_measurement"),
    )


def downgrade() -> None:
    """To before 1.0: nothing is left. Only pytest-alembic's up/down test goes here; copies for
    older releases stop at 1.0."""
    op.drop_table("measurement")
    op.drop_table("sample")
    op.execute("PRAGMA application_id = 0")
