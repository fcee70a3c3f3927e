"""Release 1.2: tags become their own table instead of comma-separated text.

The data migration splits every sample's ``tags`` text on commas, trims and collapses white space,
drops empty pieces and merges spellings that differ only in case ("Soil", "soil ", "SOIL") into one tag.
The spelling kept is the one used most often; a tie goes to the one seen first in sample-id order.

Revision ID: 9c2d5f8e1b12
Revises: 4b7e9d0c2a11
Create Date: 2025-02-10
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c2d5f8e1b12"
down_revision: str | Sequence[str] | None = "4b7e9d0c2a11"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELEASE = "1.2"


def split_tags(text: str | None) -> list[str]:
    """The tags in one sample's free text, cleaned, in order, without repeats (case-insensitive)."""
    seen: set[str] = set()
    tags: list[str] = []
    for piece in (text or "").split(","):
        tag = " ".join(piece.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def upgrade() -> None:
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(collation="NOCASE"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tag"),
        sa.UniqueConstraint("name", name="uq_tag_name"),
    )
    op.create_table(
        "sample_tag",
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sample_id"], ["sample.id"], name="fk_sample_tag_sample_id_sample"
        ),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], name="fk_sample_tag_tag_id_tag"),
        sa.PrimaryKeyConstraint("sample_id", "tag_id", name="pk_sample_tag"),
    )
    # The data migration runs on the raw DB-API connection: hundreds of thousands of rows through
    # SQLAlchemy's parameter handling took seconds; plain executemany is what SQLite is fast at.
    # Two passes over the samples (spellings first, then the links) keep memory flat.
    raw = op.get_bind().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)

    def tags_of_samples() -> Iterator[tuple[int, list[str]]]:
        for sample_id, text in raw.execute("SELECT id, tags FROM sample ORDER BY id"):
            yield sample_id, split_tags(text)

    spellings: dict[str, Counter[str]] = {}
    first_seen: dict[str, int] = {}
    # Tags get ids in order of first appearance so the result does not depend on hashing.
    tag_ids: dict[str, int] = {}
    for _, tags in tags_of_samples():
        for tag in tags:
            key = tag.casefold()
            spellings.setdefault(key, Counter())[tag] += 1
            first_seen.setdefault(tag, len(first_seen))
            if key not in tag_ids:
                tag_ids[key] = len(tag_ids) + 1
    canonical = {
        key: min(counts, key=lambda spelling: (-counts[spelling], first_seen[spelling]))
        for key, counts in spellings.items()
    }
    raw.executemany(
        "INSERT INTO tag (id, name) VALUES (?, ?)",
        ((tag_id, canonical[key]) for key, tag_id in tag_ids.items()),
    )
    raw.executemany(
        "INSERT INTO sample_tag (sample_id, tag_id) VALUES (?, ?)",
        (
            (sample_id, tag_ids[tag.casefold()])
            for sample_id, tags in tags_of_samples()
            for tag in tags
        ),
    )
    # Built once over all the links rather than kept up to date link by link.
    op.create_index("ix_sample_tag_tag_id", "sample_tag", ["tag_id"])

    with op.batch_alter_table("sample") as batch:
        batch.drop_column("tags")


def downgrade() -> None:
    with op.batch_alter_table("sample") as batch:
        batch.add_column(sa.Column("tags", sa.Text(), nullable=True))
    op.execute(
        """
        UPDATE sample SET tags = (
            SELECT group_concat(name, ', ') FROM (
                SELECT tag.name AS name FROM sample_tag JOIN tag ON tag.id = sample_tag.tag_id
                WHERE sample_tag.sample_id = sample.id ORDER BY tag.id
            )
        )
        """
    )
    op.drop_index("ix_sample_tag_tag_id", table_name="sample_tag")
    op.drop_table("sample_tag")
    op.drop_table("tag")
