"""Checking a samples table: each record's fields, codes repeated in the file or taken."""

from __future__ import annotations

import sqlite3

from app.domain.importing import cells
from app.domain.importing.fields import ColumnMapping, RecordReader
from app.domain.importing.lookups import ids_by_code, looked_up
from app.domain.importing.model import (
    ImportOptions,
    ImportPlan,
    PlanProgress,
    Rejected,
    SampleRecord,
    extra_cells,
)
from app.domain.sample_edits import SampleFields, check_sample, read_fields
from app.domain.tables import InvalidDate, Record, Table, import_date

_PROGRESS_EVERY = 500


def _read(reader: RecordReader, options: ImportOptions) -> tuple[dict[str, str | None], bool]:
    """The record's given fields (text, dates as ISO); False when a cell could not be read."""
    values: dict[str, str | None] = {}
    fine = True
    for field in ("code", "name", "location", "notes"):
        if reader.given(field):
            values[field] = cells.text(reader.cell(field))
    if reader.given("collected_on"):
        cell = reader.cell("collected_on")
        try:
            values["collected_on"] = (
                None if cells.is_blank(cell) else import_date(cell, options.date_format)
            )
        except InvalidDate as error:
            reader.complain("collected_on", error.reason)
            fine = False
    return values, fine


def plan_samples(
    connection: sqlite3.Connection,
    table: Table,
    columns: ColumnMapping,
    options: ImportOptions,
    progress: PlanProgress | None = None,
) -> ImportPlan:
    width = len(table.header)
    read: list[tuple[Record, dict[str, str | None], tuple[str, ...] | None, list[str]]] = []
    for number, record in enumerate(table.records, start=1):
        reader = RecordReader(columns, record, text_marks=table.source.format == "csv")
        values, _ = _read(reader, options)
        tags = cells.tags(reader.cell("tags")) if reader.given("tags") else None
        extra = extra_cells(record, width)
        if extra:
            reader.problems.append(extra)
        read.append((record, values, tags, reader.problems))
        if progress is not None and number % _PROGRESS_EVERY == 0:
            progress(number, len(table.records))
    codes = [str(values.get("code") or "").strip() for _, values, _, _ in read]
    existing = ids_by_code(connection, (code for code in codes if code))
    first_line: dict[str, int] = {}
    samples: list[SampleRecord] = []
    rejected: list[Rejected] = []
    for (record, values, tags, problems), code in zip(read, codes, strict=True):
        sample_id = existing.get(code) if code else None
        if code and code in first_line:
            problems.append(f"the code “{code}” is also on line {first_line[code]}")
        elif code:
            first_line[code] = record.line
        if sample_id is not None and not options.update:
            problems.append(
                f"the document already has a sample with the code “{code}” "
                "(allow updates, --update, to change it)"
            )
        stored = read_fields(connection, sample_id) if sample_id is not None else None
        base = stored or SampleFields(code="", name="")
        merged = SampleFields(
            code=str(values.get("code", base.code) or ""),
            name=str(values.get("name", base.name) or ""),
            collected_on=values.get("collected_on", base.collected_on),
            location=values.get("location", base.location),
            notes=values.get("notes", base.notes),
        )
        clean, field_problems = check_sample(merged)
        problems.extend(
            f"{columns.header_of(field)}: {sentence}" for field, sentence in field_problems.items()
        )
        if problems:
            rejected.append(Rejected(record.line, tuple(problems)))
        else:
            samples.append(SampleRecord(record.line, clean, tags, sample_id))
    if progress is not None:
        progress(len(table.records), len(table.records))
    return ImportPlan(
        table=table,
        columns=columns,
        options=options,
        samples=tuple(samples),
        rejected=tuple(rejected),
        looked_up=looked_up(connection, (code for code in codes if code), ()),
    )
