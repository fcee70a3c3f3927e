"""Measurements of a sample: reading, validating and editing them.

Mutations return what undo needs (the old fields, the deleted rows) and take ids back for redo, so
the GUI's undo stack restores rows with the ids they had.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.domain._sql import IDS_IN_JSON, ids_param, require_sample
from app.domain.errors import InvalidInput, NotFound
from app.domain.values import NUMBER_MESSAGE, blank_to_none, parse_date_time, parse_number

if TYPE_CHECKING:
    from collections.abc import Iterable

    from app.document import OpenDocument

#: The columns ``row_from`` reads, in order.
COLUMNS = "id, sample_id, quantity, value, unit, measured_at"


@dataclass(frozen=True)
class MeasurementRow:
    id: int
    sample_id: int
    quantity: str
    value: float
    unit: str
    measured_at: str | None


@dataclass(frozen=True)
class MeasurementFields:
    """What a person enters for a measurement; ``value`` may be the text they typed."""

    quantity: str
    value: float | str
    unit: str = ""
    measured_at: str | None = None


def row_from(values: tuple[Any, ...]) -> MeasurementRow:
    mid, sample_id, quantity, value, unit, measured_at = values
    return MeasurementRow(
        id=int(mid),
        sample_id=int(sample_id),
        quantity=str(quantity),
        value=float(value),
        unit=str(unit),
        measured_at=None if measured_at is None else str(measured_at),
    )


def _fields(row: MeasurementRow) -> MeasurementFields:
    return MeasurementFields(row.quantity, row.value, row.unit, row.measured_at)


def list_measurements(conn: sqlite3.Connection, sample_id: int) -> list[MeasurementRow]:
    """The sample's measurements, oldest first; those without a time after the others."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM measurement WHERE sample_id = ? "
        "ORDER BY measured_at IS NULL, measured_at, id",
        (sample_id,),
    )
    return [row_from(row) for row in rows]


def get_measurement(conn: sqlite3.Connection, measurement_id: int) -> MeasurementRow | None:
    row = conn.execute(
        f"SELECT {COLUMNS} FROM measurement WHERE id = ?", (measurement_id,)
    ).fetchone()
    return None if row is None else row_from(row)


def _checked(fields: MeasurementFields) -> tuple[MeasurementFields, dict[str, str]]:
    """The fields as they would be stored, and what is wrong with them."""
    problems: dict[str, str] = {}
    quantity = fields.quantity.strip()
    if not quantity:
        problems["quantity"] = "Enter what was measured, like pH or Temperature."
    value = parse_number(fields.value)
    if value is None:
        problems["value"] = NUMBER_MESSAGE
    measured_at = blank_to_none(fields.measured_at)
    if measured_at is not None:
        normalised = parse_date_time(measured_at)
        if normalised is None:
            problems["measured_at"] = (
                "The measurement time must be a date like 2024-03-15 "
                "or a date and time like 2024-03-15 14:30."
            )
        measured_at = normalised
    clean = MeasurementFields(
        quantity, fields.value if value is None else value, fields.unit.strip(), measured_at
    )
    return clean, problems


def validate_measurement(fields: MeasurementFields) -> dict[str, str]:
    """Field name → the sentence to show beside it; empty when the fields can be stored."""
    return _checked(fields)[1]


def normalise_measurement(fields: MeasurementFields) -> MeasurementFields:
    """The fields as stored (value a float, time ``YYYY-MM-DD HH:MM:SS``); ``InvalidInput`` if bad."""
    clean, problems = _checked(fields)
    if problems:
        raise InvalidInput(problems)
    return clean


def add_measurement(
    doc: OpenDocument,
    sample_id: int,
    fields: MeasurementFields,
    *,
    measurement_id: int | None = None,
) -> int:
    """Store a new measurement and return its id (``measurement_id`` given: redo with that id)."""
    clean = normalise_measurement(fields)
    with doc.transaction() as conn:
        require_sample(conn, sample_id)
        cursor = conn.execute(
            f"INSERT INTO measurement ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (measurement_id, sample_id, clean.quantity, clean.value, clean.unit, clean.measured_at),
        )
        new_id = cursor.lastrowid
    assert new_id is not None
    return new_id


def update_measurement(
    doc: OpenDocument, measurement_id: int, fields: MeasurementFields
) -> MeasurementFields:
    """Change a measurement; returns its old fields (for undo). No change, no transaction."""
    clean = normalise_measurement(fields)
    old = get_measurement(doc.connection, measurement_id)
    if old is None:
        raise NotFound("measurement", f"There is no measurement with id {measurement_id}.")
    if _fields(old) == clean:
        return _fields(old)
    with doc.transaction() as conn:
        conn.execute(
            "UPDATE measurement SET quantity = ?, value = ?, unit = ?, measured_at = ? "
            "WHERE id = ?",
            (clean.quantity, clean.value, clean.unit, clean.measured_at, measurement_id),
        )
    return _fields(old)


def delete_measurements(doc: OpenDocument, ids: Iterable[int]) -> list[MeasurementRow]:
    """Delete the measurements (unknown ids are skipped); returns the deleted rows by id."""
    wanted = ids_param(ids)
    if wanted == "[]":
        return []
    with doc.transaction() as conn:
        rows = [
            row_from(row)
            for row in conn.execute(
                f"SELECT {COLUMNS} FROM measurement WHERE id IN ({IDS_IN_JSON}) ORDER BY id",
                (wanted,),
            )
        ]
        conn.execute(f"DELETE FROM measurement WHERE id IN ({IDS_IN_JSON})", (wanted,))
    return rows


def insert_rows(conn: sqlite3.Connection, rows: Iterable[MeasurementRow]) -> None:
    """Put rows back exactly as they were (inside the caller's transaction)."""
    conn.executemany(
        f"INSERT INTO measurement ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        [(r.id, r.sample_id, r.quantity, r.value, r.unit, r.measured_at) for r in rows],
    )


def restore_measurements(doc: OpenDocument, rows: Iterable[MeasurementRow]) -> None:
    """Undo ``delete_measurements``: the rows come back with their ids."""
    rows = list(rows)
    if not rows:
        return
    with doc.transaction() as conn:
        for sample_id in sorted({row.sample_id for row in rows}):
            require_sample(conn, sample_id)
        insert_rows(conn, rows)


def _distinct(conn: sqlite3.Connection, column: str) -> list[str]:
    # A full scan (no index on these columns): callers fetch once per editor, not per keystroke.
    values = conn.execute(
        f"SELECT DISTINCT {column} FROM measurement WHERE {column} <> '' "
        f"ORDER BY {column} COLLATE NOCASE, {column}"
    )
    return [str(value) for (value,) in values]


def quantities(conn: sqlite3.Connection) -> list[str]:
    """Every quantity in the document, for completion."""
    return _distinct(conn, "quantity")


def units(conn: sqlite3.Connection) -> list[str]:
    """Every non-empty unit in the document, for completion."""
    return _distinct(conn, "unit")
