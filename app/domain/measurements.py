"""Measurements of a sample: reading, validating and editing them.

A measurement's value is a lab value (``app.domain.lab_values``): a number with an optional
qualifier (``<``, ``>``, ``~``, not detected) and an optional uncertainty. What a person types is
parsed there, in one place, for the grid, paste and import alike.

Mutations return what undo needs (the old fields, the deleted rows) and take ids back for redo, so
the GUI's undo stack restores rows with the ids they had.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.domain._sql import IDS_IN_JSON, ids_param, require_sample
from app.domain.errors import InvalidInput, NotFound
from app.domain.lab_values import (
    InvalidLabValue,
    LabValue,
    format_lab_value,
    lab_value_from_columns,
)
from app.domain.values import blank_to_none, parse_date_time

if TYPE_CHECKING:
    from collections.abc import Iterable

    from app.document import OpenDocument

#: The columns ``row_from`` reads, in order.
COLUMNS = "id, sample_id, quantity, value, unit, measured_at, qualifier, uncertainty"


#: What ``MeasurementRow.value`` holds for a measurement that was not detected: always this one
#: object, so rows read twice compare equal (``nan != nan``, but a tuple compares identity first).
NOT_DETECTED = math.nan


@dataclass(frozen=True)
class MeasurementRow:
    """A stored measurement.

    ``value`` is the number as a float, for computing and plotting, and ``NOT_DETECTED`` (NaN)
    when the measurement was not detected (the document stores NULL); ``qualifier`` and
    ``uncertainty`` say what the number means, and ``lab_value`` puts them together. A float,
    not ``None``, so that code written before release 2.2, which shows and edits the value as a
    number, keeps working.
    """

    id: int
    sample_id: int
    quantity: str
    value: float
    unit: str
    measured_at: str | None
    qualifier: str | None = None
    uncertainty: float | None = None

    @property
    def lab_value(self) -> LabValue:
        """The value with its qualifier and uncertainty (``format_lab_value`` shows it)."""
        return LabValue.from_columns(self.number, self.qualifier, self.uncertainty)

    @property
    def number(self) -> float | None:
        """The value as stored: ``None`` when not detected."""
        return None if math.isnan(self.value) else self.value

    def fields(self) -> MeasurementFields:
        """The row as fields, as ``update_measurement`` takes them (and undo gives back)."""
        return MeasurementFields(
            self.quantity,
            self.number,
            self.unit,
            self.measured_at,
            self.qualifier,
            self.uncertainty,
        )


@dataclass(frozen=True)
class MeasurementFields:
    """What a person enters for a measurement.

    ``value`` may be the text they typed (``<0.05``, ``1.2 ± 0.1``, ``n.d.``), a number (NaN
    meaning not detected, as in ``MeasurementRow.value``) or a ``LabValue``; ``qualifier`` and
    ``uncertainty`` are for values given in separate columns (an imported table) and must agree
    with what the value itself says. Normalised fields hold the stored form: ``value`` a float or
    ``None`` (not detected), ``qualifier`` a code, ``uncertainty`` a float.
    """

    quantity: str
    value: float | str | LabValue | None
    unit: str = ""
    measured_at: str | None = None
    qualifier: str | None = None
    uncertainty: float | str | None = None


def row_from(values: tuple[Any, ...]) -> MeasurementRow:
    mid, sample_id, quantity, value, unit, measured_at, qualifier, uncertainty = values
    return MeasurementRow(
        id=int(mid),
        sample_id=int(sample_id),
        quantity=str(quantity),
        value=NOT_DETECTED if value is None else float(value),
        unit=str(unit),
        measured_at=None if measured_at is None else str(measured_at),
        qualifier=None if qualifier is None else str(qualifier),
        uncertainty=None if uncertainty is None else float(uncertainty),
    )


def _fields(row: MeasurementRow) -> MeasurementFields:
    return row.fields()


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


def _lab_value(fields: MeasurementFields, decimal_comma: bool) -> LabValue:
    given = fields.value
    if isinstance(given, LabValue):
        if fields.qualifier is None and fields.uncertainty is None:
            return given
        # Checked against the separate columns like typed text (formatting round-trips exactly).
        given = format_lab_value(given, decimal_comma=decimal_comma)
    elif isinstance(given, float) and math.isnan(given):
        given = None if fields.qualifier else "n.d."
    return lab_value_from_columns(
        given, fields.qualifier, fields.uncertainty, decimal_comma=decimal_comma
    )


def _checked(
    fields: MeasurementFields, decimal_comma: bool = False
) -> tuple[MeasurementFields, dict[str, str]]:
    """The fields as they would be stored, and what is wrong with them."""
    problems: dict[str, str] = {}
    quantity = fields.quantity.strip()
    if not quantity:
        problems["quantity"] = "Enter what was measured, like pH or Temperature."
    try:
        value, qualifier, uncertainty = _lab_value(fields, decimal_comma).columns()
    except InvalidLabValue as error:
        problems[error.field] = error.reason
        value, qualifier, uncertainty = None, fields.qualifier, None
    measured_at = blank_to_none(fields.measured_at)
    if measured_at is not None:
        normalised = parse_date_time(measured_at)
        if normalised is None:
            problems["measured_at"] = (
                "The measurement time must be a date like 2024-03-15 "
                "or a date and time like 2024-03-15 14:30."
            )
        measured_at = normalised
    if problems:
        return fields, problems
    clean = MeasurementFields(
        quantity, value, fields.unit.strip(), measured_at, qualifier, uncertainty
    )
    return clean, problems


def validate_measurement(
    fields: MeasurementFields, *, decimal_comma: bool = False
) -> dict[str, str]:
    """Field name → the sentence to show beside it; empty when the fields can be stored.

    ``decimal_comma``: numbers are written with a decimal comma (the user's locale or an import
    says so); otherwise a comma in a number is refused, never guessed.
    """
    return _checked(fields, decimal_comma)[1]


def normalise_measurement(
    fields: MeasurementFields, *, decimal_comma: bool = False
) -> MeasurementFields:
    """The fields as stored (value a float or None, qualifier a code, uncertainty a float, time
    ``YYYY-MM-DD HH:MM:SS``); ``InvalidInput`` if bad."""
    clean, problems = _checked(fields, decimal_comma)
    if problems:
        raise InvalidInput(problems)
    return clean


def add_measurement(
    doc: OpenDocument,
    sample_id: int,
    fields: MeasurementFields,
    *,
    measurement_id: int | None = None,
    decimal_comma: bool = False,
) -> int:
    """Store a new measurement and return its id (``measurement_id`` given: redo with that id)."""
    clean = normalise_measurement(fields, decimal_comma=decimal_comma)
    with doc.transaction() as conn:
        require_sample(conn, sample_id)
        new_id = insert_measurement(conn, sample_id, clean, measurement_id)
    return new_id


def insert_measurement(
    conn: sqlite3.Connection,
    sample_id: int,
    clean: MeasurementFields,
    measurement_id: int | None = None,
) -> int:
    """Insert normalised fields (inside the caller's transaction); returns the new id."""
    cursor = conn.execute(
        f"INSERT INTO measurement ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            measurement_id,
            sample_id,
            clean.quantity,
            clean.value,
            clean.unit,
            clean.measured_at,
            clean.qualifier,
            clean.uncertainty,
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def update_measurement(
    doc: OpenDocument,
    measurement_id: int,
    fields: MeasurementFields,
    *,
    decimal_comma: bool = False,
) -> MeasurementFields:
    """Change a measurement; returns its old fields (for undo). No change, no transaction.

    A value given as a bare number is only the number: when it is the stored number (NaN for a
    value not detected) and no qualifier or uncertainty is given, the stored qualifier and
    uncertainty stay, so changing the quantity of ``<0.05`` keeps the ``<``. To change what the
    value means, give it as text (``0.05``) or as a ``LabValue``.
    """
    old = get_measurement(doc.connection, measurement_id)
    if old is None:
        raise NotFound("measurement", f"There is no measurement with id {measurement_id}.")
    if _same_number(fields, old):
        fields = replace(fields, value=old.lab_value)
    clean = normalise_measurement(fields, decimal_comma=decimal_comma)
    if _fields(old) == clean:
        return _fields(old)
    with doc.transaction() as conn:
        conn.execute(
            "UPDATE measurement SET quantity = ?, value = ?, unit = ?, measured_at = ?, "
            "qualifier = ?, uncertainty = ? WHERE id = ?",
            (
                clean.quantity,
                clean.value,
                clean.unit,
                clean.measured_at,
                clean.qualifier,
                clean.uncertainty,
                measurement_id,
            ),
        )
    return _fields(old)


def _same_number(fields: MeasurementFields, old: MeasurementRow) -> bool:
    value = fields.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if fields.qualifier is not None or fields.uncertainty is not None:
        return False
    return value == old.value or (math.isnan(value) and math.isnan(old.value))


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
        f"INSERT INTO measurement ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.id,
                r.sample_id,
                r.quantity,
                r.value,
                r.unit,
                r.measured_at,
                r.qualifier,
                r.uncertainty,
            )
            for r in rows
        ],
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
