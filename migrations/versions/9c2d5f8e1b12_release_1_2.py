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
    # The data migration runs on the raw DB-API connection, and mostly inside SQLite: hundreds of
    # thousands of rows through SQLAlchemy's parameter handling took seconds, and through Python
    # one by one most of a second. Python splits each distinct text once (most samples share
    # their text with others); SQLite counts the samples of each text and links every sample to
    # its text's tags. Taking the texts in order of their first sample gives every spelling and
    # tag the same order of first appearance as reading the samples one by one would.
    raw = op.get_bind().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)

    spellings: dict[str, Counter[str]] = {}
    first_seen: dict[str, int] = {}
    # Tags get ids in order of first appearance so the result does not depend on hashing.
    tag_ids: dict[str, int] = {}

    def tags_of_texts() -> Iterator[tuple[str, int, int]]:
        """(text, position, tag id) of each tag of each distinct text, counting spellings."""
        texts = raw.execute(
            "SELECT tags, count(*) FROM sample WHERE tags IS NOT NULL "
            "GROUP BY tags ORDER BY min(id)"
        )
        for text, samples in texts:
            for position, tag in enumerate(split_tags(text)):
                key = tag.casefold()
                spellings.setdefault(key, Counter())[tag] += samples
                first_seen.setdefault(tag, len(first_seen))
                yield text, position, tag_ids.setdefault(key, len(tag_ids) + 1)

    raw.execute(
        "CREATE TEMP TABLE text_tag (text TEXT NOT NULL, position INTEGER NOT NULL, "
        "tag_id INTEGER NOT NULL, PRIMARY KEY (text, position))"
    )
    raw.executemany("INSERT INTO temp.text_tag VALUES (?, ?, ?)", tags_of_texts())
    canonical = {
        key: min(counts, key=lambda spelling: (-counts[spelling], first_seen[spelling]))
        for key, counts in spellings.items()
    }
    raw.executemany(
        "INSERT INTO tag (id, name) VALUES (?, ?)",
        ((tag_id, canonical[key]) for key, tag_id in tag_ids.items()),
    )
    raw.execute(
        "INSERT INTO sample_tag (sample_id, tag_id) SELECT s.id, t.tag_id FROM sample AS s "
        "JOIN temp.text_tag AS t ON t.text = s.tags ORDER BY s.id, t.position"
    )
    raw.execute("DROP TABLE temp.text_tag")
    # Built once over all the links rather than kept up to date link by link.
    op.create_index("ix_sample_tag_tag_id", "sample_tag", ["tag_id"])

    with op.batch_alter_table("sample") as batch:
        batch.drop_column("tags")


def downgrade() -> None:
    """Back to 1.1: each sample's tags become its comma-separated ``tags`` text again.

    * **Order and separator:** a sample's tags are written in tag-id order (the order the
      document first used them), joined by ``", "``; a sample without tags gets NULL, as 1.1
      wrote it. Id order also makes the round trip stable: upgrading the text again numbers the
      tags by first appearance, which gives a document whose tag ids were numbered that way
      (every document that came from 1.1) the same ids back.
    * **What the text cannot hold:** a tag that no sample carries is lost (1.1 keeps tags only
      as text on samples); a tag whose name holds a comma is written as it is, and 1.1 (and the
      upgrade back) reads it as several tags; two tags whose names differ only in case become
      one when the text is upgraded again. ``app.document.losses`` counts each of these before
      a copy is written.
    * ``tags`` goes back to its place in 1.1's table (before ``location``), so the table is the
      one 1.1's migrations build, not the same columns in another order.

    Done in Python rather than with ``group_concat``: SQLite does not promise the order of an
    aggregate's input without ``ORDER BY`` inside it, which needs SQLite 3.44.
    """
    # A rebuild: ALTER TABLE ADD COLUMN could only put the column last.
    with op.batch_alter_table("sample", recreate="always") as batch:
        batch.add_column(sa.Column("tags", sa.Text(), nullable=True), insert_before="location")
    bind = op.get_bind()
    names: dict[int, list[str]] = {}
    for sample_id, name in bind.execute(
        sa.text(
            "SELECT sample_tag.sample_id, tag.name FROM sample_tag "
            "JOIN tag ON tag.id = sample_tag.tag_id ORDER BY sample_tag.sample_id, tag.id"
        )
    ):
        names.setdefault(int(sample_id), []).append(str(name))
    if names:
        bind.execute(
            sa.text("UPDATE sample SET tags = :tags WHERE id = :id"),
            [{"id": sample_id, "tags": ", ".join(tags)} for sample_id, tags in names.items()],
        )
    op.drop_index("ix_sample_tag_tag_id", table_name="sample_tag")
    op.drop_table("sample_tag")
    op.drop_table("tag")
