"""What bringing an export's results back would do: checked before anything is written.

The export itself says what it held when it was made (``exported_sample``, ``exported_measurement``,
release 2.2). So a measurement of the export whose id is not among those it held is new — whatever
its id, even if the source has since given the same id to a measurement of its own — and an
exported measurement that is missing, or differs from what it held, was deleted or changed in the
export. New measurements are attached to the same samples: only to a sample the export held, and
only while the source still has that sample (same id, same code: a deleted sample's id can be
reused by another one). The source records what it brought back (``merged_measurement``), so a
measurement merged once is never added again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.document import open_read_only, read_only_uri
from app.domain.errors import InvalidInput
from app.domain.lab_values import InvalidLabValue, LabValue, format_lab_value
from app.domain.measurements import MeasurementFields, normalise_measurement
from app.domain.merging.provenance import ExportStep, document_id, export_step, require_source
from app.domain.tables import InvalidDate, import_date_time

_COLUMNS = ("sample_id", "quantity", "value", "unit", "measured_at", "qualifier", "uncertainty")


@dataclass(frozen=True)
class NewMeasurement:
    """A measurement the program added to the export, as it will be stored in the source."""

    export_id: int  # its id in the export (the source gives it a new one)
    sample_id: int
    code: str
    fields: MeasurementFields


@dataclass(frozen=True)
class Unmergeable:
    """A new measurement that cannot be brought back, and why."""

    export_id: int
    reason: str


@dataclass(frozen=True)
class ExportedChange:
    """An exported measurement the export no longer holds as it was: reported, never applied."""

    export_id: int
    code: str
    what: str  # "deleted", or the changes ("value 7.2 → 7.4")


@dataclass(frozen=True)
class MergePlan:
    export: Path
    step: ExportStep
    new: tuple[NewMeasurement, ...]
    #: New measurements of the export that an earlier merge brought back already.
    already_merged: int
    unmergeable: tuple[Unmergeable, ...]
    changed: tuple[ExportedChange, ...]
    #: Samples the program added to the export (their measurements cannot be brought back).
    added_samples: int


def _exported_codes(connection: sqlite3.Connection) -> dict[int, str]:
    return {int(i): str(c) for i, c in connection.execute("SELECT id, code FROM exported_sample")}


def _text(row: dict[str, Any]) -> str:
    try:
        return format_lab_value(
            LabValue.from_columns(row["value"], row["qualifier"], row["uncertainty"])
        )
    except (ValueError, TypeError):
        return repr(row["value"])


def _changes(connection: sqlite3.Connection, codes: dict[int, str]) -> list[ExportedChange]:
    differs = " OR ".join(f"m.{name} IS NOT e.{name}" for name in _COLUMNS)
    found: list[ExportedChange] = []
    columns = ", ".join(f"e.{name}, m.{name}" for name in _COLUMNS)
    for row in connection.execute(
        f"SELECT e.id, {columns} FROM exported_measurement e JOIN measurement m ON m.id = e.id "
        f"WHERE {differs} ORDER BY e.id"
    ):
        old = dict(zip(_COLUMNS, row[1::2], strict=True))
        new = dict(zip(_COLUMNS, row[2::2], strict=True))
        parts = []
        if old["sample_id"] != new["sample_id"]:
            parts.append(
                f"moved from {codes.get(old['sample_id'], old['sample_id'])} to "
                f"{codes.get(new['sample_id'], new['sample_id'])}"
            )
        for name in ("quantity", "unit", "measured_at"):
            if old[name] != new[name]:
                parts.append(f"{name} “{old[name] or ''}” → “{new[name] or ''}”")
        if (old["value"], old["qualifier"], old["uncertainty"]) != (
            new["value"],
            new["qualifier"],
            new["uncertainty"],
        ):
            parts.append(f"value {_text(old)} → {_text(new)}")
        found.append(
            ExportedChange(int(row[0]), codes.get(old["sample_id"], "?"), ", ".join(parts))
        )
    for export_id, sample_id in connection.execute(
        "SELECT id, sample_id FROM exported_measurement WHERE id NOT IN "
        "(SELECT id FROM measurement) ORDER BY id"
    ):
        found.append(ExportedChange(int(export_id), codes.get(sample_id, "?"), "deleted"))
    return sorted(found, key=lambda change: change.export_id)


def _fields(row: dict[str, Any]) -> MeasurementFields:
    """A row another program wrote, checked by the same rules as anything typed or imported."""
    measured_at = row["measured_at"]
    if measured_at is not None:
        measured_at = import_date_time(str(measured_at))
    value = row["value"]
    if value is None and row["qualifier"] is None:
        value = ""
    return normalise_measurement(
        MeasurementFields(
            quantity=str(row["quantity"]),
            value=value,
            unit=str(row["unit"]),
            measured_at=measured_at,
            qualifier=None if row["qualifier"] is None else str(row["qualifier"]),
            uncertainty=row["uncertainty"],
        )
    )


def plan_merge(source: Path, source_name: Path, export: Path) -> MergePlan:
    """What merging ``export`` into the document at ``source`` would do; nothing is written.

    ``source`` is the database to read (an open document's working copy, or a saved file);
    ``source_name`` the user's file, for messages. Raises ``NotADocument`` (exit 3) when the
    export was not made from this document.
    """
    connection = open_read_only(export)
    try:
        connection.execute("ATTACH DATABASE ? AS source", (read_only_uri(source),))
        step = export_step(connection, export)
        require_source(step, document_id(connection, "source"), export, source_name)
        codes = _exported_codes(connection)
        merged = {
            int(row[0])
            for row in connection.execute(
                "SELECT export_measurement_id FROM source.merged_measurement "
                "WHERE export_document_id = ?",
                (step.export_id,),
            )
        }
        here = {
            int(i): str(c)
            for i, c in connection.execute(
                "SELECT s.id, s.code FROM exported_sample e JOIN source.sample s ON s.id = e.id"
            )
        }
        connection.row_factory = sqlite3.Row
        rows = connection.execute(
            f"SELECT id, {', '.join(_COLUMNS)} FROM measurement "
            "WHERE id NOT IN (SELECT id FROM exported_measurement) ORDER BY id"
        ).fetchall()
        connection.row_factory = None
        new, unmergeable, already = _sort_new(rows, codes, here, merged)
        added_samples = connection.execute(
            "SELECT count(*) FROM sample WHERE id NOT IN (SELECT id FROM exported_sample)"
        ).fetchone()[0]
        changed = _changes(connection, codes)
    finally:
        connection.close()
    return MergePlan(
        export, step, tuple(new), already, tuple(unmergeable), tuple(changed), int(added_samples)
    )


def _sort_new(
    rows: list[sqlite3.Row],
    codes: dict[int, str],
    here: dict[int, str],
    merged: set[int],
) -> tuple[list[NewMeasurement], list[Unmergeable], int]:
    new: list[NewMeasurement] = []
    unmergeable: list[Unmergeable] = []
    already = 0
    for row in rows:
        export_id, sample_id = int(row["id"]), row["sample_id"]
        if export_id in merged:
            already += 1
            continue
        code = codes.get(sample_id)
        if code is None:
            unmergeable.append(
                Unmergeable(
                    export_id,
                    f"its sample (id {sample_id}) was not exported: only results for exported "
                    "samples come back",
                )
            )
            continue
        if sample_id not in here:
            unmergeable.append(
                Unmergeable(export_id, f"the sample {code} is no longer in the document")
            )
            continue
        if here[sample_id] != code:
            unmergeable.append(
                Unmergeable(
                    export_id,
                    f"the sample exported as {code} (id {sample_id}) is now {here[sample_id]}: "
                    "was it renamed, or deleted and its id reused?",
                )
            )
            continue
        try:
            fields = _fields(dict(row))
        except (InvalidInput, InvalidLabValue, InvalidDate) as error:
            unmergeable.append(Unmergeable(export_id, f"{code}: {error.message}"))
            continue
        new.append(NewMeasurement(export_id, int(sample_id), code, fields))
    return new, unmergeable, already
