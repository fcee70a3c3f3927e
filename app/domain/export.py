"""Export a subset of a document's samples into a new document, made by the migrations.

The new document is created at head by ``app.document.create`` (so it carries the proper schema
revision), then the chosen samples, their measurements, the tags they use and their links are
copied inside SQLite — the source attached as the main database, the new document attached beside
it, ``INSERT … SELECT`` over a temporary table of the chosen ids — so the cost follows the size of
the subset, not of the document. Ids are kept, so results computed on an export can be joined back
to the source. Each export records where it came from in ``provenance`` (an export of an export
keeps the whole chain).

An export is atomic: it is built in a hidden temporary file beside the destination and appears
under its name only when complete and checked. A failed or cancelled export leaves nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from app import __version__
from app.document import (
    DocumentError,
    ExportSource,
    new_document_file,
    now,
    open_for_copying,
    remove_stale_temporary_exports,
    temporary_export_path,
)
from app.domain.filter_words import describe_filter
from app.domain.filters import SampleFilter, filter_sql, resolve_filter

__all__ = [
    "ExportCancelled",
    "ExportProgress",
    "ExportResult",
    "ExportSource",
    "describe_filter",
    "export_subset",
    "subset_counts",
]

ExportProgress = Callable[[str, int, int], None]  # (what is being copied, step, steps)

_MEASUREMENT_COLUMNS = "id, sample_id, quantity, value, unit, measured_at, qualifier, uncertainty"


class ExportCancelled(DocumentError):
    """The person cancelled; nothing was written."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("The export was cancelled; nothing was written.")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    samples: int
    measurements: int
    tags: int
    temporary: bool


def subset_counts(connection: sqlite3.Connection, sample_filter: SampleFilter) -> tuple[int, int]:
    """How many samples and measurements an export of ``sample_filter`` would hold (``InvalidInput`` for bad input)."""
    where, params = filter_sql(resolve_filter(connection, sample_filter))
    samples, measurements = connection.execute(
        "SELECT (SELECT count(*) FROM sample s WHERE "
        + where
        + "), (SELECT count(*) FROM measurement m WHERE m.sample_id IN "
        "(SELECT s.id FROM sample s WHERE " + where + "))",
        [*params, *params],
    ).fetchone()
    return int(samples), int(measurements)


def export_subset(
    source: ExportSource,
    sample_filter: SampleFilter,
    destination: Path | None = None,
    *,
    overwrite: bool = False,
    progress: ExportProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Export the samples ``sample_filter`` selects from ``source`` into a new document.

    ``destination=None`` makes a temporary document in the user cache folder. An existing
    ``destination`` is refused with ``DestinationExists`` unless ``overwrite``.
    """
    temporary = destination is None
    target = temporary_export_path(source.title) if destination is None else Path(destination)
    if temporary:
        remove_stale_temporary_exports()
    with new_document_file(
        target,
        f"{source.title} (export)",
        overwrite=overwrite,
        purpose="export",
        what=f"export to “{target.name}”",
        checked_as="The export",
    ) as scratch:
        counts = _copy_rows(source, sample_filter, scratch, progress, cancelled)
    return ExportResult(target, *counts, temporary=temporary)


def _copy_rows(
    source: ExportSource,
    sample_filter: SampleFilter,
    scratch: Path,
    progress: ExportProgress | None,
    cancelled: Callable[[], bool] | None,
) -> tuple[int, int, int]:
    # The source is the main database (so the filter's unqualified table names mean the source);
    # it is opened read-only, and the new document is attached writable beside it.
    connection = open_for_copying(source.database, scratch, "export")
    try:
        if cancelled is not None:
            connection.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)
        where, params = filter_sql(resolve_filter(connection, sample_filter))
        # CROSS JOIN keeps SQLite's planner from scanning whole tables: it makes the (small)
        # table of chosen ids the outer loop, so every copy is an index lookup per chosen sample.
        steps: list[tuple[str, str, list[object]]] = [
            (
                "choosing samples",
                f"INSERT INTO temp.chosen (id) SELECT s.id FROM sample s WHERE {where}",
                params,
            ),
            (
                "samples",
                "INSERT INTO export.sample (id, code, name, collected_on, notes, location) "
                "SELECT s.id, s.code, s.name, s.collected_on, s.notes, s.location "
                "FROM temp.chosen c CROSS JOIN sample s ON s.id = c.id",
                [],
            ),
            (
                "measurements",
                f"INSERT INTO export.measurement ({_MEASUREMENT_COLUMNS}) "
                f"SELECT {', '.join(f'm.{name}' for name in _MEASUREMENT_COLUMNS.split(', '))} "
                "FROM temp.chosen c CROSS JOIN measurement m ON m.sample_id = c.id",
                [],
            ),
            (
                "tags",
                "INSERT INTO export.tag (id, name) SELECT t.id, t.name FROM tag t "
                "WHERE t.id IN (SELECT st.tag_id FROM temp.chosen c "
                "CROSS JOIN sample_tag st ON st.sample_id = c.id)",
                [],
            ),
            (
                "tag links",
                "INSERT INTO export.sample_tag (sample_id, tag_id) "
                "SELECT st.sample_id, st.tag_id FROM temp.chosen c "
                "CROSS JOIN sample_tag st ON st.sample_id = c.id",
                [],
            ),
            (
                # What the export held when it was made: how merge-results later tells what a
                # program added from what was exported, and what was changed or deleted since.
                "what was exported",
                "INSERT INTO export.exported_sample (id, code) SELECT id, code FROM export.sample",
                [],
            ),
            (
                "what was exported",
                f"INSERT INTO export.exported_measurement ({_MEASUREMENT_COLUMNS}) "
                f"SELECT {_MEASUREMENT_COLUMNS} FROM export.measurement",
                [],
            ),
        ]
        connection.execute("CREATE TEMP TABLE chosen (id INTEGER PRIMARY KEY)")
        connection.execute("BEGIN")
        try:
            for number, (what, statement, values) in enumerate(steps, start=1):
                if cancelled is not None and cancelled():
                    raise ExportCancelled
                if progress is not None:
                    progress(what, number, len(steps) + 1)
                connection.execute(statement, values)
            samples, measurements, tags = _counts(connection)
            if progress is not None:
                progress("where it came from", len(steps) + 1, len(steps) + 1)
            _record_provenance(connection, source, sample_filter, samples, measurements)
            connection.execute("COMMIT")
        except BaseException as error:
            # SQLite may have rolled back already (a full disk does): a second ROLLBACK would
            # fail and hide the error that matters.
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if (
                cancelled is not None
                and cancelled()
                and isinstance(error, sqlite3.OperationalError)
                and error.sqlite_errorcode == sqlite3.SQLITE_INTERRUPT
            ):
                raise ExportCancelled from error
            raise
        connection.execute("DETACH DATABASE export")
    finally:
        connection.close()
    return samples, measurements, tags


def _counts(connection: sqlite3.Connection) -> tuple[int, int, int]:
    return (
        int(connection.execute("SELECT count(*) FROM export.sample").fetchone()[0]),
        int(connection.execute("SELECT count(*) FROM export.measurement").fetchone()[0]),
        int(connection.execute("SELECT count(*) FROM export.tag").fetchone()[0]),
    )


def _record_provenance(
    connection: sqlite3.Connection,
    source: ExportSource,
    sample_filter: SampleFilter,
    samples: int,
    measurements: int,
) -> None:
    """Copy the source's own provenance (an export of an export) and add this export's step."""
    columns = (
        "source_title, source_file, filter, description, exported_at, exported_by_version, "
        "samples, measurements, source_document_id, export_document_id"
    )
    connection.execute(
        f"INSERT INTO export.provenance (id, {columns}) SELECT id, {columns} FROM provenance"
    )
    # The documents' ids, not their titles or paths, are what merge-results checks.
    connection.execute(
        f"INSERT INTO export.provenance ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "(SELECT document_id FROM main.document_info), "
        "(SELECT document_id FROM export.document_info))",
        (
            source.title,
            str(source.file) if source.file is not None else None,
            json.dumps(asdict(sample_filter), ensure_ascii=False),
            describe_filter(sample_filter),
            now(),
            __version__,
            samples,
            measurements,
        ),
    )
