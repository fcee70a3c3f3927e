"""Checking a measurements table: whose measurement each record is, and its lab value."""

from __future__ import annotations

import sqlite3

from app.domain.errors import InvalidInput
from app.domain.importing import cells
from app.domain.importing.fields import ColumnMapping, RecordReader
from app.domain.importing.lookups import codes_by_id, ids_by_code, looked_up
from app.domain.importing.model import (
    ImportOptions,
    ImportPlan,
    MeasurementRecord,
    PlanProgress,
    Rejected,
    extra_cells,
)
from app.domain.measurements import MeasurementFields, normalise_measurement
from app.domain.tables import InvalidDate, Record, Table, import_date_time

_PROGRESS_EVERY = 500


def _sample_reference(reader: RecordReader) -> tuple[str | None, int | None]:
    code = cells.text(reader.cell("code")).strip() if reader.given("code") else None
    sample_id = None
    if reader.given("sample_id") and not cells.is_blank(reader.cell("sample_id")):
        try:
            sample_id = cells.sample_id(reader.cell("sample_id"))
        except cells.CellProblem as problem:
            reader.complain("sample_id", str(problem))
    if not code and sample_id is None and not reader.problems:
        reader.problems.append("no sample: give its code (or its sample_id)")
    return code or None, sample_id


def _fields(reader: RecordReader, options: ImportOptions) -> MeasurementFields | None:
    measured_at: str | None = None
    cell = reader.cell("measured_at")
    if reader.given("measured_at") and not cells.is_blank(cell):
        try:
            measured_at = import_date_time(cell, options.date_format)
        except InvalidDate as error:
            reader.complain("measured_at", error.reason)
    qualifier = reader.cell("qualifier")
    uncertainty = reader.cell("uncertainty")
    fields = MeasurementFields(
        quantity=cells.text(reader.cell("quantity")),
        value=reader.cell("value"),
        unit=cells.text(reader.cell("unit")),
        measured_at=measured_at,
        qualifier=cells.text(qualifier) if reader.given("qualifier") else None,
        uncertainty=None if cells.is_blank(uncertainty) else uncertainty,
    )
    try:
        clean = normalise_measurement(fields, decimal_comma=options.decimal_comma)
    except InvalidInput as error:
        for field, sentence in error.problems.items():
            reader.complain(field, sentence)
        return None
    return None if reader.problems else clean


def plan_measurements(
    connection: sqlite3.Connection,
    table: Table,
    columns: ColumnMapping,
    options: ImportOptions,
    progress: PlanProgress | None = None,
) -> ImportPlan:
    width = len(table.header)
    read: list[tuple[Record, str | None, int | None, MeasurementFields | None, list[str]]] = []
    for number, record in enumerate(table.records, start=1):
        reader = RecordReader(columns, record, text_marks=table.source.format == "csv")
        code, sample_id = _sample_reference(reader)
        fields = _fields(reader, options)
        extra = extra_cells(record, width)
        if extra:
            reader.problems.append(extra)
        read.append((record, code, sample_id, fields, reader.problems))
        if progress is not None and number % _PROGRESS_EVERY == 0:
            progress(number, len(table.records))
    codes = {code for _, code, _, _, _ in read if code}
    ids = {sample_id for _, _, sample_id, _, _ in read if sample_id is not None}
    by_code = ids_by_code(connection, codes)
    by_id = codes_by_id(connection, ids)
    measurements: list[MeasurementRecord] = []
    rejected: list[Rejected] = []
    for record, code, sample_id, fields, problems in read:
        found: int | None = None
        if code is not None:
            found = by_code.get(code)
            if found is None:
                problems.append(f"the document has no sample with the code “{code}”")
        if sample_id is not None:
            if sample_id not in by_id:
                problems.append(f"the document has no sample with the id {sample_id}")
            elif found is not None and found != sample_id:
                problems.append(
                    f"the code “{code}” is sample {found}, not sample {sample_id}: "
                    "which one is meant?"
                )
            found = sample_id if found is None else found
        if problems or fields is None or found is None:
            rejected.append(Rejected(record.line, tuple(problems)))
        else:
            measurements.append(MeasurementRecord(record.line, found, fields))
    if progress is not None:
        progress(len(table.records), len(table.records))
    return ImportPlan(
        table=table,
        columns=columns,
        options=options,
        measurements=tuple(measurements),
        rejected=tuple(rejected),
        looked_up=looked_up(connection, codes, ids),
    )
