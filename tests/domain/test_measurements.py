"""Measurements: validation, ordering, editing with undo data, completion lists."""

from __future__ import annotations

import math
import sqlite3

import pytest

from app.document import OpenDocument
from app.domain import (
    InvalidInput,
    MeasurementFields,
    NotFound,
    add_measurement,
    delete_measurements,
    get_measurement,
    list_measurements,
    normalise_measurement,
    quantities,
    restore_measurements,
    units,
    update_measurement,
    validate_measurement,
)
from tests.domain.helpers import add_raw_sample, dump

NUMBER = "Value must be a number, like 7.25."


@pytest.mark.parametrize("value", ["1,5", "abc", "", "nan", "inf", "1_000", "--1", math.inf])
def test_values_that_are_not_numbers(value: float | str) -> None:
    assert validate_measurement(MeasurementFields("pH", value)) == {"value": NUMBER}


@pytest.mark.parametrize(
    ("value", "stored"),
    [(" 7.25 ", 7.25), ("-1e3", -1000.0), (".5", 0.5), ("3.", 3.0), (4, 4.0), (2.5, 2.5)],
)
def test_values_that_are_numbers(value: float | str, stored: float) -> None:
    assert normalise_measurement(MeasurementFields("pH", value)).value == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2024-03-15", "2024-03-15 00:00:00"),
        ("2024-03-15 14:30", "2024-03-15 14:30:00"),
        ("2024-03-15T14:30:05", "2024-03-15 14:30:05"),
        (" ", None),
        (None, None),
    ],
)
def test_times_are_normalised(typed: str | None, stored: str | None) -> None:
    assert normalise_measurement(MeasurementFields("pH", 1, "", typed)).measured_at == stored


def test_validation_messages() -> None:
    problems = validate_measurement(MeasurementFields(" ", "x", "", "2024-13-01"))
    assert problems == {
        "quantity": "Enter what was measured, like pH or Temperature.",
        "value": NUMBER,
        "measured_at": "The measurement time must be a date like 2024-03-15 "
        "or a date and time like 2024-03-15 14:30.",
    }
    assert validate_measurement(MeasurementFields("pH", 1, "", "2024-03-15 25:00")).keys() == {
        "measured_at"
    }


def test_list_orders_by_time_then_id_with_empty_times_last(doc: OpenDocument) -> None:
    sample_id = add_raw_sample(doc.connection, "S-1")
    for time in (None, "2024-01-02", None, "2024-01-01 10:00", "2024-01-02"):
        add_measurement(doc, sample_id, MeasurementFields("pH", 1, "", time))
    rows = list_measurements(doc.connection, sample_id)
    assert [(row.id, row.measured_at) for row in rows] == [
        (4, "2024-01-01 10:00:00"),
        (2, "2024-01-02 00:00:00"),
        (5, "2024-01-02 00:00:00"),
        (1, None),
        (3, None),
    ]


def test_add_update_delete_restore(doc: OpenDocument) -> None:
    sample_id = add_raw_sample(doc.connection, "S-1")
    first = add_measurement(doc, sample_id, MeasurementFields(" pH ", "7.25", " u "))
    assert doc.modified
    row = get_measurement(doc.connection, first)
    assert row is not None
    assert (row.quantity, row.value, row.unit, row.measured_at) == ("pH", 7.25, "u", None)
    old = update_measurement(doc, first, MeasurementFields("pH", 8, "u", "2024-01-01"))
    assert old == MeasurementFields("pH", 7.25, "u", None)
    assert add_measurement(doc, sample_id, MeasurementFields("T", 1), measurement_id=50) == 50
    before = dump(doc.connection)
    deleted = delete_measurements(doc, [50, first, 777])
    assert [row.id for row in deleted] == [first, 50]
    assert list_measurements(doc.connection, sample_id) == []
    restore_measurements(doc, deleted)
    assert dump(doc.connection) == before


def test_failures_leave_document_unchanged(doc: OpenDocument) -> None:
    sample_id = add_raw_sample(doc.connection, "S-1", measurements=1)
    before = dump(doc.connection)
    with pytest.raises(InvalidInput):
        add_measurement(doc, sample_id, MeasurementFields("pH", "1,5"))
    with pytest.raises(NotFound):
        add_measurement(doc, 999, MeasurementFields("pH", 1))
    with pytest.raises(NotFound):
        update_measurement(doc, 999, MeasurementFields("pH", 1))
    with pytest.raises(sqlite3.IntegrityError):
        add_measurement(doc, sample_id, MeasurementFields("pH", 1), measurement_id=1)
    assert dump(doc.connection) == before
    assert not doc.modified
    assert delete_measurements(doc, []) == []
    assert not doc.modified


def test_completion_lists(conn: sqlite3.Connection) -> None:
    sample_id = add_raw_sample(conn, "S-1")
    conn.executemany(
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (?, ?, 1, ?)",
        [(sample_id, "pH", ""), (sample_id, "mass", "g"), (sample_id, "Depth", "m")] * 2,
    )
    assert quantities(conn) == ["Depth", "mass", "pH"]
    assert units(conn) == ["g", "m"]
