"""Samples or measurements as a spreadsheet table (.csv, .tsv, .xlsx), read back by the import.

The columns are the import's fields, so a table exported here imports into a new document as the
same samples and measurements: samples ``code, name, collected_on, location, notes, tags`` (tags
joined with "; "), measurements one row each ``code, name, quantity, value, unit, measured_at,
qualifier, uncertainty`` (the sample's code and name, the value a number, empty when not
detected, and the qualifier as its code). In .xlsx, numbers are numbers and dates are dates.

**Formulas in .csv.** Excel runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(…)`` sends data away when clicked, old Excel runs ``=cmd|…``). Documents arrive by
mail, so their text is not trusted: in a .csv, such a text cell (and one starting with a tab, a
carriage return or an apostrophe) is written with a leading apostrophe, Excel's own mark for
"this is text", which Excel shows without the apostrophe. The import removes that one apostrophe
again from .csv cells, so the round trip is exact. A .tsv is for scripts (R, pandas), which would
keep the apostrophe as part of the text, so it is written as it is; an .xlsx stores text as text.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.document import open_read_only
from app.domain._sql import IDS_IN_JSON, ids_param
from app.domain.export import ExportSource
from app.domain.filters import SampleFilter, filter_sql, resolve_filter
from app.domain.importing.cells import join_tags
from app.domain.importing.fields import FIELDS, Kind
from app.domain.names import sorted_names
from app.domain.sorting import ORDERS
from app.domain.tables import OutCell, write_table

SAMPLE_COLUMNS = FIELDS[Kind.SAMPLES]
MEASUREMENT_COLUMNS = (
    "code",
    "name",
    "quantity",
    "value",
    "unit",
    "measured_at",
    "qualifier",
    "uncertainty",
)

#: What a spreadsheet would take for a formula (or that hides the cell's first character).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_TEXT_COLUMNS = {"code", "name", "location", "notes", "tags", "quantity", "unit", "qualifier"}
_BATCH = 2000


@dataclass(frozen=True)
class TableExportResult:
    path: Path
    kind: Kind
    rows: int


def escape_formula(text: str) -> str:
    """``text`` as a .csv cell Excel shows as text (see the module docstring)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _when(text: object, kind: type[datetime.date]) -> OutCell:
    """A stored date or time as a real one (for .xlsx); text that is neither stays text."""
    if text is None:
        return None
    try:
        if kind is datetime.datetime:
            moment = datetime.datetime.fromisoformat(str(text))
            # Samplebook keeps local times; a zone (written by another program) stays text.
            return moment if moment.tzinfo is None else str(text)
        return datetime.date.fromisoformat(str(text))
    except ValueError:
        return str(text)


def _chosen(connection: sqlite3.Connection, sample_filter: SampleFilter) -> list[int]:
    """The ids of the chosen samples in the list's default order (codes naturally)."""
    where, params = filter_sql(resolve_filter(connection, sample_filter))
    order = ", ".join(ORDERS["code"].terms)
    return [
        int(row[0])
        for row in connection.execute(
            f"SELECT s.id FROM sample s WHERE {where} ORDER BY {order}", params
        )
    ]


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _BATCH):
        yield ids[start : start + _BATCH]


def sample_rows(connection: sqlite3.Connection, ids: list[int]) -> Iterator[list[OutCell]]:
    for batch in _batches(ids):
        wanted = ids_param(batch)
        tags: defaultdict[int, list[str]] = defaultdict(list)
        for sample_id, name in connection.execute(
            "SELECT st.sample_id, t.name FROM sample_tag st JOIN tag t ON t.id = st.tag_id "
            f"WHERE st.sample_id IN ({IDS_IN_JSON})",
            (wanted,),
        ):
            tags[int(sample_id)].append(str(name))
        found = {
            int(row[0]): row[1:]
            for row in connection.execute(
                "SELECT id, code, name, collected_on, location, notes FROM sample "
                f"WHERE id IN ({IDS_IN_JSON})",
                (wanted,),
            )
        }
        for sample_id in batch:
            code, name, collected_on, location, notes = found[sample_id]
            yield [
                code,
                name,
                _when(collected_on, datetime.date),
                location,
                notes,
                join_tags(tuple(sorted_names(tags[sample_id]))) or None,
            ]


def measurement_rows(connection: sqlite3.Connection, ids: list[int]) -> Iterator[list[OutCell]]:
    for batch in _batches(ids):
        rows = connection.execute(
            "SELECT s.code, s.name, m.quantity, m.value, m.unit, m.measured_at, m.qualifier, "
            "m.uncertainty FROM json_each(?) j CROSS JOIN sample s ON s.id = j.value "
            "CROSS JOIN measurement m ON m.sample_id = s.id "
            "ORDER BY j.key, m.measured_at IS NULL, m.measured_at, m.id",
            (ids_param(batch),),
        )
        for code, name, quantity, value, unit, measured_at, qualifier, uncertainty in rows:
            yield [
                code,
                name,
                quantity,
                value,
                unit,
                _when(measured_at, datetime.datetime),
                qualifier,
                uncertainty,
            ]


def _escaped(rows: Iterator[list[OutCell]], header: tuple[str, ...]) -> Iterator[list[OutCell]]:
    text_columns = [index for index, name in enumerate(header) if name in _TEXT_COLUMNS]
    for row in rows:
        for index in text_columns:
            cell = row[index]
            if isinstance(cell, str):
                row[index] = escape_formula(cell)
        yield row


def export_table(
    source: ExportSource,
    path: Path,
    sample_filter: SampleFilter = SampleFilter(),  # noqa: B008 - frozen
    *,
    kind: Kind = Kind.SAMPLES,
    overwrite: bool = False,
) -> TableExportResult:
    """Write the samples ``sample_filter`` chooses (or their measurements) to ``path``; format by suffix.

    An existing ``path`` is refused (``DestinationExists``) unless ``overwrite``; the file appears
    whole or not at all.
    """
    connection = open_read_only(source.database)
    try:
        ids = _chosen(connection, sample_filter)
        if kind is Kind.SAMPLES:
            header, rows = SAMPLE_COLUMNS, sample_rows(connection, ids)
        else:
            header, rows = MEASUREMENT_COLUMNS, measurement_rows(connection, ids)
        if path.suffix.lower() == ".csv":
            rows = _escaped(rows, header)
        written = write_table(path, header, rows, overwrite=overwrite, sheet=kind.value.title())
    finally:
        connection.close()
    return TableExportResult(path, kind, written)
