"""Reading what a document says about itself: title, versions, counts."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Counts:
    samples: int
    measurements: int
    tags: int


@dataclass(frozen=True)
class DocumentInfo:
    title: str | None
    created_at: str | None
    created_by: str | None
    saved_at: str | None
    saved_by: str | None


def is_plain_table(connection: sqlite3.Connection, name: str) -> bool:
    """Whether ``name`` is an ordinary table: reading it runs nothing from the document's schema.

    A view of that name (or a virtual table) could run anything; what is read from a document before
    its schema is known to be ours is only ever read from plain tables. SQLite stores every table it
    creates as ``CREATE TABLE <name>…`` whatever the statement's spelling, so anything else was
    written into the schema by hand.
    """
    row = connection.execute(
        "SELECT substr(sql, 1, 13) FROM main.sqlite_schema WHERE type = 'table' AND name = ?",
        (name,),
    ).fetchone()
    return row is not None and row[0] == "CREATE TABLE "


def read_info(connection: sqlite3.Connection) -> DocumentInfo | None:
    """The ``document_info`` row, or ``None`` for documents from before 2.0."""
    if not is_plain_table(connection, "document_info"):
        return None
    row = connection.execute(
        "SELECT title, created_at, created_by_version, saved_at, saved_by_version "
        "FROM document_info WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    return DocumentInfo(*(None if value is None else str(value) for value in row))


def read_counts(connection: sqlite3.Connection) -> Counts | None:
    """How many samples, measurements and tags; ``None`` when the tables are not ours."""
    try:
        if not (is_plain_table(connection, "sample") and is_plain_table(connection, "measurement")):
            return None
        samples = connection.execute("SELECT count(*) FROM sample").fetchone()[0]
        measurements = connection.execute("SELECT count(*) FROM measurement").fetchone()[0]
        if is_plain_table(connection, "tag"):
            tags = connection.execute("SELECT count(*) FROM tag").fetchone()[0]
        else:  # before 1.2 tags were comma-separated text on each sample
            tags = len(_distinct_text_tags(connection))
    except sqlite3.DatabaseError:
        return None
    return Counts(int(samples), int(measurements), int(tags))


def _distinct_text_tags(connection: sqlite3.Connection) -> set[str]:
    found: set[str] = set()
    for (text,) in connection.execute("SELECT tags FROM sample WHERE tags IS NOT NULL"):
        for piece in str(text).split(","):
            tag = " ".join(piece.split())
            if tag:
                found.add(tag.casefold())
    return found
