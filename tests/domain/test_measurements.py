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
    get_sample,
    list_measurements,
    normalise_measurement,
    quantities,
    restore_measurements,
    units,
    update_measurement,
    validate_measurement,
)
from app.domain.lab_values import LabValue, Qualifier
from tests.domain.helpers import add_raw_sample, dump

NUMBER = "Value must be a number like 7.25, optionally with <, >, ~ or ± (e.g. <0.05, 1.2 ± 0.1), or n.d."


@pytest.mark.parametrize(
    ("value", "sentence"),
    [
        ("abc", NUMBER),
        ("--1", NUMBER),
        ("", "Enter a value, like 7.25, <0.05 or n.d."),
        ("1,5", "“1,5” has a decimal comma: write 1.5, or choose decimal commas."),
        ("nan", "“nan” is not a number a measurement can have: enter a number, or n.d."),
        ("inf", "“inf” is not a number a measurement can have: enter a number, or n.d."),
        (math.inf, "“inf” is not a number a measurement can have: enter a number, or n.d."),
        ("1_000", "Write numbers without “_”, like 1000 rather than 1_000."),
        (
            "<LOD",
            "“<LOD” names a limit without its value: enter the limit as a number, like "
            "<0.05, or n.d. if nothing was detected.",
        ),
    ],
)
def test_values_that_are_not_numbers(value: float | str, sentence: str) -> None:
    """The sentences are the lab-value parser's: one place says what a value may look like."""
    assert validate_measurement(MeasurementFields("pH", value)) == {"value": sentence}


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


# -- lab values -----------------------------------------------------------------------------------


def stored(conn: sqlite3.Connection, measurement_id: int) -> tuple[object, ...]:
    return tuple(
        conn.execute(
            "SELECT value, qualifier, uncertainty FROM measurement WHERE id = ?", (measurement_id,)
        ).fetchone()
    )


@pytest.mark.parametrize(
    ("typed", "columns"),
    [
        ("<0.05", (0.05, "<", None)),
        (">100", (100.0, ">", None)),
        ("~3", (3.0, "~", None)),
        ("1.2 ± 0.1", (1.2, None, 0.1)),
        ("1.2+/-0.1", (1.2, None, 0.1)),
        ("n.d.", (None, "nd", None)),
        ("ND", (None, "nd", None)),
        (7.25, (7.25, None, None)),
        (LabValue(0.5, Qualifier.BELOW), (0.5, "<", None)),
        (math.nan, (None, "nd", None)),
    ],
)
def test_typed_lab_values_are_stored_as_columns(
    doc: OpenDocument, typed: str | float | LabValue, columns: tuple[object, ...]
) -> None:
    sample_id = add_raw_sample(doc.connection, "S-1")
    new_id = add_measurement(doc, sample_id, MeasurementFields("nitrate", typed, "mg/L"))
    assert stored(doc.connection, new_id) == columns
    (row,) = list_measurements(doc.connection, sample_id)
    assert row.lab_value == LabValue.from_columns(*columns)  # type: ignore[arg-type]
    assert row.fields() == normalise_measurement(MeasurementFields("nitrate", typed, "mg/L"))


def test_not_detected_reads_as_nan_and_round_trips(doc: OpenDocument) -> None:
    sample_id = add_raw_sample(doc.connection, "S-1")
    add_measurement(doc, sample_id, MeasurementFields("lead", "n.d.", "µg/L"))
    first, again = (
        list_measurements(doc.connection, sample_id),
        list_measurements(doc.connection, sample_id),
    )
    assert math.isnan(first[0].value) and first[0].number is None
    assert first == again  # one NaN object: rows read twice are equal
    deleted = delete_measurements(doc, [first[0].id])
    restore_measurements(doc, deleted)
    assert list_measurements(doc.connection, sample_id) == first


def test_decimal_commas_only_when_declared(doc: OpenDocument) -> None:
    fields = MeasurementFields("nitrate", "<0,05")
    assert "value" in validate_measurement(fields)
    assert normalise_measurement(fields, decimal_comma=True).value == 0.05
    comma = MeasurementFields("nitrate", "1,2 ± 0,1")
    assert normalise_measurement(comma, decimal_comma=True).uncertainty == 0.1
    assert "value" in validate_measurement(MeasurementFields("x", "0.05"), decimal_comma=True)


def test_separate_qualifier_and_uncertainty_fields(doc: OpenDocument) -> None:
    clean = normalise_measurement(MeasurementFields("x", "0.05", qualifier="<"))
    assert (clean.value, clean.qualifier, clean.uncertainty) == (0.05, "<", None)
    clean = normalise_measurement(MeasurementFields("x", "", qualifier="not detected"))
    assert (clean.value, clean.qualifier) == (None, "nd")
    clean = normalise_measurement(MeasurementFields("x", 1.2, uncertainty="0.1"))
    assert (clean.value, clean.uncertainty) == (1.2, 0.1)
    assert validate_measurement(MeasurementFields("x", "<0.05", qualifier=">")) == {
        "qualifier": "The qualifier “>” contradicts the value “<0.05”."
    }
    assert "uncertainty" in validate_measurement(MeasurementFields("x", "<1", uncertainty=0.1))


def test_update_with_the_same_bare_number_keeps_what_the_value_means(doc: OpenDocument) -> None:
    """Callers that edit the value as a number (and other fields) never drop a ``<`` or ``±``."""
    sample_id = add_raw_sample(doc.connection, "S-1")
    below = add_measurement(doc, sample_id, MeasurementFields("x", "<0.05"))
    plus_minus = add_measurement(doc, sample_id, MeasurementFields("x", "1.2 ± 0.1"))
    missing = add_measurement(doc, sample_id, MeasurementFields("x", "n.d."))
    rows = {row.id: row for row in list_measurements(doc.connection, sample_id)}
    for measurement_id, row in rows.items():
        legacy = MeasurementFields("renamed", row.value, row.unit, row.measured_at)
        old = update_measurement(doc, measurement_id, legacy)
        assert old == row.fields()
    assert stored(doc.connection, below) == (0.05, "<", None)
    assert stored(doc.connection, plus_minus) == (1.2, None, 0.1)
    assert stored(doc.connection, missing) == (None, "nd", None)
    # A new number, or the value as text, says what the value is now.
    update_measurement(doc, below, MeasurementFields("renamed", "0.05"))
    assert stored(doc.connection, below) == (0.05, None, None)
    update_measurement(doc, plus_minus, MeasurementFields("renamed", 1.3))
    assert stored(doc.connection, plus_minus) == (1.3, None, None)


def test_counts_follow_adds_and_deletes(doc: OpenDocument) -> None:
    sample_id = add_raw_sample(doc.connection, "S-1")
    ids = [add_measurement(doc, sample_id, MeasurementFields("x", n)) for n in range(3)]
    row = get_sample(doc.connection, sample_id)
    assert row is not None and row.measurement_count == 3
    delete_measurements(doc, ids[:2])
    row = get_sample(doc.connection, sample_id)
    assert row is not None and row.measurement_count == 1


def test_a_time_written_by_an_earlier_release_survives_an_edit_of_its_row(
    doc: OpenDocument,
) -> None:
    """Release 2.1 and older wrote times as "2027-02-07 12:28:41.000000": renaming the quantity
    of such a measurement used to be refused because of its time."""
    sample = add_raw_sample(doc.connection, "S-1")
    doc.connection.execute(
        "INSERT INTO measurement (sample_id, quantity, value, unit, measured_at) "
        "VALUES (?, 'temp', 12.5, '°C', '2027-02-07 12:28:41.000000')",
        (sample,),
    )
    (row,) = list_measurements(doc.connection, sample)
    fields = MeasurementFields("temperature", row.lab_value, "°C", row.measured_at)
    update_measurement(doc, row.id, fields)
    edited = get_measurement(doc.connection, row.id)
    assert edited is not None
    assert (edited.quantity, edited.measured_at) == ("temperature", "2027-02-07 12:28:41")
