"""Helpers shared by the domain tests."""

from __future__ import annotations

import sqlite3

TABLES = ("sample", "measurement", "tag", "sample_tag", "document_info")


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order: equal dumps mean equal documents."""
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in TABLES
    }


def add_raw_sample(
    conn: sqlite3.Connection,
    code: str,
    name: str = "Sample",
    *,
    collected_on: str | None = None,
    location: str | None = None,
    notes: str | None = None,
    measurements: int = 0,
    tags: tuple[str, ...] = (),
) -> int:
    """Insert a sample straight into SQLite (fixtures for read tests, outside the domain layer)."""
    cursor = conn.execute(
        "INSERT INTO sample (code, name, collected_on, location, notes) VALUES (?, ?, ?, ?, ?)",
        (code, name, collected_on, location, notes),
    )
    sample_id = cursor.lastrowid
    assert sample_id is not None
    conn.executemany(
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (?, 'pH', ?, '')",
        [(sample_id, float(i)) for i in range(measurements)],
    )
    for tag in tags:
        conn.execute("INSERT OR IGNORE INTO tag (name) VALUES (?)", (tag,))
        conn.execute(
            "INSERT INTO sample_tag (sample_id, tag_id) SELECT ?, id FROM tag WHERE name = ?",
            (sample_id, tag),
        )
    return sample_id
