"""An import checked before anything is written: what would be added, updated and rejected.

``plan_import`` reads nothing but the table and the document (through any connection), and says
for every record what it would become, or why it cannot be imported, with the line it starts on.
The CLI prints the rejections and either stops or writes; the import dialog shows the counts and
a preview and writes on OK. ``apply_import`` (``app.domain.importing.apply``) writes a plan as one
transaction, after checking that the document still is what the plan saw.
"""

from __future__ import annotations

import sqlite3

from app.domain.importing.fields import Kind, match_columns
from app.domain.importing.measurement_rows import plan_measurements
from app.domain.importing.model import ImportOptions, ImportPlan, PlanProgress
from app.domain.importing.sample_rows import plan_samples
from app.domain.tables import Table


def plan_import(
    connection: sqlite3.Connection,
    table: Table,
    options: ImportOptions = ImportOptions(),  # noqa: B008 - frozen, never changed
    progress: PlanProgress | None = None,
) -> ImportPlan:
    """Check every record of ``table`` against ``connection``'s document; nothing is written.

    Raises ``InvalidInput`` when the columns themselves do not fit (no code column, a ``--map``
    naming no column, a table of both kinds without ``kind``): then no record can be checked.
    """
    columns = match_columns(table.header, options.kind, options.mapping)
    if columns.kind is Kind.SAMPLES:
        return plan_samples(connection, table, columns, options, progress)
    return plan_measurements(connection, table, columns, options, progress)
