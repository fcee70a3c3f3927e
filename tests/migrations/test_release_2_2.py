"""Release 2.2's schema rules, exercised with plain ``sqlite3`` as any other program writes.

The counts are kept by the document's own triggers, so a program that is not Samplebook keeps them
right; the lab-value CHECKs refuse rows that break the rules; the downgrade to 2.1 loses exactly
what its docstring says and builds exactly the 2.1 schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command

from app import models
from app.document import schema
from app.document.migration import (
    make_config,
    migration_engine,
    script_directory,
    upgrade_in_place,
)
from app.domain import lab_values
from tests.migrations.test_upgrade_rows import RELEASES, read_tables

REVISION_2_1 = "5d8f2a7c3b21"
REVISION_2_2 = "8c8aa90590ca"


@pytest.fixture
def head(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "head.db"
    upgrade_in_place(path, create=True)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("INSERT INTO sample (id, code, name) VALUES (1, 'A-1', 'a'), (2, 'A-2', 'b')")
        yield db


def counts(db: sqlite3.Connection) -> dict[int, int]:
    return dict(db.execute("SELECT id, measurement_count FROM sample ORDER BY id").fetchall())


def true_counts(db: sqlite3.Connection) -> dict[int, int]:
    return dict(
        db.execute(
            "SELECT s.id, (SELECT count(*) FROM measurement m WHERE m.sample_id = s.id) "
            "FROM sample s ORDER BY s.id"
        ).fetchall()
    )


def add(db: sqlite3.Connection, sample_id: int, value: float | None = 1.0) -> int:
    qualifier = "nd" if value is None else None
    cursor = db.execute(
        "INSERT INTO measurement (sample_id, quantity, value, unit, qualifier) "
        "VALUES (?, 'pH', ?, '', ?)",
        (sample_id, value, qualifier),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


# --------------------------------------------------------------------------------------------------
# The maintained count


def test_inserts_deletes_and_moves_keep_the_count(head: sqlite3.Connection) -> None:
    first, second, third = add(head, 1), add(head, 1), add(head, 2, None)
    assert counts(head) == {1: 2, 2: 1}
    head.execute("UPDATE measurement SET sample_id = 2 WHERE id = ?", (first,))
    assert counts(head) == {1: 1, 2: 2}
    head.execute("UPDATE measurement SET value = 3, sample_id = 2 WHERE id = ?", (first,))
    assert counts(head) == {1: 1, 2: 2}  # not a move: counted once
    head.execute("DELETE FROM measurement WHERE id IN (?, ?)", (second, third))
    assert counts(head) == {1: 0, 2: 1} == true_counts(head)


def test_deleting_a_sample_cascades_and_the_others_keep_their_counts(
    head: sqlite3.Connection,
) -> None:
    for _ in range(3):
        add(head, 1)
    add(head, 2)
    head.execute("DELETE FROM sample WHERE id = 1")
    assert counts(head) == {2: 1} == true_counts(head)


def test_a_copied_sample_row_is_recounted_not_counted_twice(head: sqlite3.Connection) -> None:
    """An export or repair copies the row with its count, then the measurements count again."""
    head.execute("INSERT INTO sample (id, code, name, measurement_count) VALUES (3, 'A-3', 'c', 5)")
    assert counts(head)[3] == 0
    for _ in range(5):
        add(head, 3)
    assert counts(head)[3] == 5 == true_counts(head)[3]
    head.execute(
        "INSERT OR REPLACE INTO sample (id, code, name, measurement_count) "
        "VALUES (3, 'A-3', 'c', 0)"
    )
    assert counts(head) == true_counts(head)


def test_a_copy_by_insert_select_counts_right(head: sqlite3.Connection, tmp_path: Path) -> None:
    """What export does: samples first (with their counts), then measurements, in SQL."""
    for _ in range(4):
        add(head, 1)
    add(head, 2)
    copy = tmp_path / "copy.db"
    upgrade_in_place(copy, create=True)
    head.execute("ATTACH DATABASE ? AS copy", (str(copy),))
    head.execute("INSERT INTO copy.sample SELECT * FROM main.sample")
    head.execute("INSERT INTO copy.measurement SELECT * FROM main.measurement")
    assert head.execute("SELECT id, measurement_count FROM copy.sample ORDER BY id").fetchall() == [
        (1, 4),
        (2, 1),
    ]


# --------------------------------------------------------------------------------------------------
# Lab values


def test_the_checks_are_the_lab_value_rules() -> None:
    """One set of rules: the parser's, the models', the revision's (written out there)."""
    revision = script_directory().get_revision(REVISION_2_2)
    assert revision is not None
    assert lab_values.CHECKS == models.MEASUREMENT_CHECKS == revision.module.MEASUREMENT_CHECKS


@pytest.mark.parametrize(
    ("value", "qualifier", "uncertainty"),
    [
        (None, None, None),  # no value and not "not detected": the case `=` would let through
        (0.05, "nd", None),  # not detected with a number
        (1.0, "<=", None),
        (1.0, "<", 0.1),  # a limit has no uncertainty
        (1.0, "~", 0.1),
        (1.0, None, -0.1),
        (None, "nd", 0.1),
    ],
)
def test_rows_that_break_the_rules_are_refused(
    head: sqlite3.Connection, value: float | None, qualifier: str | None, uncertainty: float | None
) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        head.execute(
            "INSERT INTO measurement (sample_id, quantity, value, unit, qualifier, uncertainty) "
            "VALUES (1, 'x', ?, '', ?, ?)",
            (value, qualifier, uncertainty),
        )


@pytest.mark.parametrize(
    ("value", "qualifier", "uncertainty"),
    [
        (1.0, None, None),
        (1.0, None, 0.0),
        (0.05, "<", None),
        (9.0, ">", None),
        (3.0, "~", None),
        (None, "nd", None),
    ],
)
def test_lab_values_are_stored(
    head: sqlite3.Connection, value: float | None, qualifier: str | None, uncertainty: float | None
) -> None:
    head.execute(
        "INSERT INTO measurement (sample_id, quantity, value, unit, qualifier, uncertainty) "
        "VALUES (1, 'x', ?, '', ?, ?)",
        (value, qualifier, uncertainty),
    )
    stored = head.execute("SELECT value, qualifier, uncertainty FROM measurement").fetchone()
    assert lab_values.LabValue.from_columns(*stored).columns() == (value, qualifier, uncertainty)


# --------------------------------------------------------------------------------------------------
# Downgrade


def downgrade_in_place(path: Path, target: str) -> None:
    config = make_config()
    engine = migration_engine(path)
    try:
        with engine.connect() as connection, connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, target)
    finally:
        engine.dispose()


@pytest.mark.parametrize("release", RELEASES)
def test_downgrade_to_2_1_loses_exactly_what_it_says(
    release: str, fixture_copy: Callable[[str], Path]
) -> None:
    copy = fixture_copy(release)
    upgrade_in_place(copy)
    at_head = read_tables(copy)
    downgrade_in_place(copy, REVISION_2_1)
    with closing(sqlite3.connect(copy)) as db:
        assert schema.mismatches(db, REVISION_2_1) == []
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    after = read_tables(copy)
    dropped_columns = {
        "document_info": {"document_id"},
        "provenance": {"source_document_id", "export_document_id"},
        "sample": {"measurement_count"},
        "measurement": {"qualifier", "uncertainty"},
    }
    expected = {
        table: [
            {key: value for key, value in row.items() if key not in dropped_columns.get(table, ())}
            for row in rows
            if not (table == "measurement" and row["value"] is None)
        ]
        for table, rows in at_head.items()
        if table not in ("exported_sample", "exported_measurement", "merged_measurement")
    }
    expected["alembic_version"] = [{"version_num": REVISION_2_1}]
    assert after == expected
    if release == "2.2":
        # The fixture holds every kind of lab value: the losses are real, not hypothetical.
        lost = [row for row in at_head["measurement"] if row["value"] is None]
        assert lost and len(after["measurement"]) == len(at_head["measurement"]) - len(lost)


def test_up_down_up_gives_the_same_rows_except_the_losses(
    fixture_copy: Callable[[str], Path],
) -> None:
    copy = fixture_copy("2.1")
    upgrade_in_place(copy)
    first = read_tables(copy)
    downgrade_in_place(copy, REVISION_2_1)
    upgrade_in_place(copy)
    again = read_tables(copy)
    assert again["document_info"][0]["document_id"] != first["document_info"][0]["document_id"]
    for table in ("sample", "measurement", "tag", "sample_tag", "provenance"):
        assert again[table] == first[table], table
