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

import contextlib
import datetime
import json
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from app import __version__
from app.document import State, create, inspect, schema
from app.document.connections import (
    foreign_key_problems,
    harden,
    integrity_problems,
    open_read_only,
    read_only_uri,
    uri,
)
from app.document.errors import CannotWrite, DestinationExists, DocumentError
from app.document.files import (
    copy_database,
    publish_new,
    remove_database_file,
    replace_atomically,
    temp_path_beside,
    writing,
)
from app.document.releases import HEAD_REVISION
from app.domain.filters import SampleFilter, filter_sql, resolve_filter
from app.paths import cache_dir

#: Temporary exports nobody kept are removed after this long (the app also removes its own on quit).
TEMPORARY_EXPORT_DAYS = 7

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


@dataclass(frozen=True)
class ExportSource:
    """The document being exported from, as the export should record it."""

    database: Path  # a current document or an open document's working copy (unsaved edits count)
    title: str
    file: Path | None  # the user's file, when it has one


def subset_counts(connection: sqlite3.Connection, flt: SampleFilter) -> tuple[int, int]:
    """How many samples and measurements an export of ``flt`` would hold (``InvalidInput`` for bad input)."""
    where, params = filter_sql(resolve_filter(connection, flt))
    samples, measurements = connection.execute(
        "SELECT (SELECT count(*) FROM sample s WHERE "
        + where
        + "), (SELECT count(*) FROM measurement m WHERE m.sample_id IN "
        "(SELECT s.id FROM sample s WHERE " + where + "))",
        [*params, *params],
    ).fetchone()
    return int(samples), int(measurements)


def describe_filter(flt: SampleFilter) -> str:
    """The filter in words, for the provenance record and the result message."""
    parts: list[str] = []
    if flt.ids is not None:
        parts.append(f"{len(flt.ids)} chosen samples")
    if flt.text.strip():
        parts.append(f"matching “{flt.text.strip()}”")
    if flt.tags:
        parts.append("tagged " + " and ".join(f"“{tag}”" for tag in flt.tags))
    if flt.collected_from or flt.collected_to:
        parts.append(f"collected {flt.collected_from or '…'} to {flt.collected_to or '…'}")
    if flt.code_globs:
        parts.append("code like " + " or ".join(f"“{glob}”" for glob in flt.code_globs))
    return ", ".join(parts) or "all samples"


def temporary_exports_dir() -> Path:
    folder = cache_dir() / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _slug(title: str) -> str:
    slug = re.sub(r"[^\w-]+", "-", title, flags=re.UNICODE).strip("-")
    return slug[:40].rstrip("-") or "export"


def temporary_export_path(title: str) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return temporary_exports_dir() / f"{_slug(title)}-{stamp}-{secrets.token_hex(2)}.db"


def _kept_marker(path: Path) -> Path:
    return path.with_name(path.name + ".kept")


def mark_kept(path: Path, keep: bool = True) -> None:
    """Say whether a temporary export is to be kept: kept ones are never cleaned up."""
    marker = _kept_marker(Path(path))
    if keep:
        marker.touch()
    else:
        marker.unlink(missing_ok=True)


def is_kept(path: Path) -> bool:
    return _kept_marker(Path(path)).exists()


def remove_stale_temporary_exports(now: float | None = None) -> list[Path]:
    """Delete temporary exports older than ``TEMPORARY_EXPORT_DAYS`` that nobody chose to keep.

    Returns what was removed. Exports a person kept (``mark_kept``) stay until they delete them.
    """
    limit = (now or time.time()) - TEMPORARY_EXPORT_DAYS * 86400
    removed: list[Path] = []
    for marker in temporary_exports_dir().glob("*.db.kept"):
        if not marker.with_suffix("").exists():
            marker.unlink(missing_ok=True)
    for candidate in temporary_exports_dir().glob("*.db"):
        try:
            if candidate.stat().st_mtime < limit and not is_kept(candidate):
                remove_database_file(candidate)
                removed.append(candidate)
        except OSError:
            continue
    return removed


def export_subset(
    source: ExportSource,
    flt: SampleFilter,
    destination: Path | None = None,
    *,
    overwrite: bool = False,
    progress: ExportProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Export the samples ``flt`` selects from ``source`` into a new document.

    ``destination=None`` makes a temporary document in the user cache folder. An existing
    ``destination`` is refused with ``DestinationExists`` unless ``overwrite``.
    """
    temporary = destination is None
    target = temporary_export_path(source.title) if destination is None else Path(destination)
    if target.exists() and not overwrite:
        raise DestinationExists(
            f"“{target.name}” already exists.",
            "Choose another name, or confirm that it should be replaced.",
            path=target,
        )
    if temporary:
        remove_stale_temporary_exports()
    scratch = temp_path_beside(target, "export")
    try:
        with writing(f"export to “{target.name}”"):
            create(scratch, f"{source.title} (export)", overwrite=True)
            counts = _copy_rows(source, flt, scratch, progress, cancelled)
            _check_export(scratch)
            if overwrite:
                replace_atomically(scratch, target)
            else:
                publish_new(scratch, target)
    finally:
        remove_database_file(scratch)
    return ExportResult(target, *counts, temporary=temporary)


def _copy_rows(
    source: ExportSource,
    flt: SampleFilter,
    scratch: Path,
    progress: ExportProgress | None,
    cancelled: Callable[[], bool] | None,
) -> tuple[int, int, int]:
    # The source is the main database (so the filter's unqualified table names mean the source);
    # it is opened read-only, and the new document is attached writable beside it.
    connection = sqlite3.connect(
        read_only_uri(source.database), uri=True, isolation_level=None, check_same_thread=False
    )
    try:
        harden(connection)
        connection.execute("ATTACH DATABASE ? AS export", (uri(scratch, "rw"),))
        if cancelled is not None:
            connection.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)
        where, params = filter_sql(resolve_filter(connection, flt))
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
            _record_provenance(connection, source, flt, samples, measurements)
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
    flt: SampleFilter,
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
            json.dumps(asdict(flt), ensure_ascii=False),
            describe_filter(flt),
            datetime.datetime.now(datetime.UTC).isoformat(sep=" ", timespec="seconds"),
            __version__,
            samples,
            measurements,
        ),
    )


def _check_export(path: Path) -> None:
    connection = open_read_only(path)
    try:
        problems = integrity_problems(connection) or [
            f"{row[0]} row {row[1]} refers to a missing {row[2]}"
            for row in foreign_key_problems(connection)
        ]
        problems += schema.mismatches(connection, HEAD_REVISION)
    finally:
        connection.close()
    if problems:
        raise CannotWrite(
            f"The export did not pass its checks ({problems[0]}); nothing was written.",
            "Please report this with the log file.",
        )


@contextlib.contextmanager
def file_source(path: Path) -> Iterator[ExportSource]:
    """A saved document as an export source, for as long as the ``with`` block runs.

    It must be a healthy Samplebook document. An outdated one is exported from a private,
    upgraded copy, so the export is current while the user's file stays exactly as it is.
    """
    path = Path(path)
    found = inspect(path)
    title = found.title or path.stem
    if found.state is State.CURRENT:
        yield ExportSource(database=path, title=title, file=path.absolute())
        return
    if found.state is not State.OUTDATED:
        raise found.error()
    from app.document import migration  # noqa: PLC0415 - Alembic only for old sources

    scratch = cache_dir() / f"export-source-{secrets.token_hex(4)}.db"
    try:
        with writing("prepare the export", original_unchanged=path):
            copy_database(path, scratch)
            migration.upgrade_in_place(scratch)
        yield ExportSource(database=scratch, title=title, file=path.absolute())
    finally:
        remove_database_file(scratch)
