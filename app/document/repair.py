"""Save a clean copy: every readable row of Samplebook's own tables, in a new document.

One repair serves every document Samplebook refuses to edit — tampered (foreign triggers, views,
indexes, columns), mark-lost (a ``.dump`` round trip lost the application id), outdated and
tampered, and damaged files — and also works on sound ones. The copy is made the way every document
is made: by the migrations, at the source's own revision (a template per revision in the cache); the source's rows are copied in by column
name (``salvage`` reads them, skipping what is damaged, running nothing of the file's); then the copy
is upgraded to head by the same migrations an upgrade runs, checked like an upgraded document, and
published atomically. The source is only ever read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.document import releases, salvage, schema, verified
from app.document.classify import State, inspect
from app.document.connections import Deadline, open_read_only, open_read_write
from app.document.create import ensure_template
from app.document.errors import CannotWrite, DestinationExists, NotADocument
from app.document.files import copy_database, reporting_failures
from app.document.releases import APPLICATION_ID
from app.document.schema_objects import SQLITE_OWN_TABLES
from app.document.soundness import check_head_document
from app.document.stamps import stamp_saved
from app.document.temporaries import Temporary, sweep

RepairProgress = Callable[[str, int, int], None]  # (table being copied, step, steps)

#: States a clean copy can be made from; the rest raise the inspection's own error. A "foreign"
#: database is tried too: a copy that lost Samplebook's mark (``.dump``) still records our revision.
_REPAIRABLE = (State.CURRENT, State.OUTDATED, State.TAMPERED, State.CORRUPT, State.FOREIGN)
#: Each table's reading gets this long plus one second per 50 MB of file.
_READ_SECONDS = 10.0
_READ_BYTES_PER_SECOND = 50 * 1024 * 1024

#: What the person reads for each table (singular, plural).
_ROW_NAMES = {
    "sample": ("sample", "samples"),
    "measurement": ("measurement", "measurements"),
    "tag": ("tag", "tags"),
    "sample_tag": ("tag link", "tag links"),
    "document_info": ("document description", "document descriptions"),
    "provenance": ("provenance record", "provenance records"),
    "exported_sample": ("record of an exported sample", "records of exported samples"),
    "exported_measurement": (
        "record of an exported measurement",
        "records of exported measurements",
    ),
    "merged_measurement": ("record of a merged result", "records of merged results"),
}
_REJECTIONS = {
    sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY: "they refer to rows that could not be recovered",
    sqlite3.SQLITE_CONSTRAINT_UNIQUE: "they repeat a value that must be unique",
    sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY: "they repeat an id",
    sqlite3.SQLITE_CONSTRAINT_NOTNULL: "they lack a required value",
    sqlite3.SQLITE_CONSTRAINT_CHECK: "they break one of the document's rules",
}
_WRONG_KIND = "a value is of the wrong kind (text where a number belongs, or the reverse)"


@dataclass
class RepairReport:
    """What a clean copy kept and what it left out, in words a person reads."""

    destination: Path
    release: str  # the format the rows were read in
    kept: dict[str, int] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)

    def kept_in_words(self) -> str:
        parts = [_count(self.kept[table], table) for table in _ROW_NAMES if table in self.kept]
        return ", ".join(part for part in parts if part) or "no rows"


def _count(count: int, table: str) -> str:
    singular, plural = _ROW_NAMES[table]
    if table == "document_info":
        return "the title" if count else ""
    return f"{count} {singular if count == 1 else plural}"


def repair(
    source: Path,
    destination: Path,
    *,
    overwrite: bool = False,
    progress: RepairProgress | None = None,
) -> RepairReport:
    """Write a clean copy of ``source`` at ``destination``; ``source`` is never changed.

    Raises the source's own error when it is not one of ours (``NotADocument``, exit 3), written
    by a newer Samplebook, or being written right now; ``DestinationExists`` unless
    ``overwrite``; ``CannotWrite`` when the copy cannot be written.
    """
    source, destination = Path(source), Path(destination)
    if destination.exists():
        if destination.samefile(source):
            raise CannotWrite(
                f"“{destination.name}” is the document being repaired; the clean copy must be a "
                "new file.",
                "Choose another name for the copy.",
                path=destination,
            )
        if not overwrite:
            raise DestinationExists(
                f"“{destination.name}” already exists.",
                "Choose another name, or confirm that it should be replaced.",
                path=destination,
            )
    found = inspect(source, ignore_holder=True)  # reading is safe while another Samplebook edits
    if found.state not in _REPAIRABLE:
        raise found.error()
    reading = open_read_only(source)
    try:
        revision = _revision_of(reading, source)
        report = RepairReport(destination, releases.release_of(revision) or "?")
        report.left_out.extend(_foreign_objects(reading, revision))
        sweep(destination.parent)
        with (
            reporting_failures(f"write the clean copy “{destination.name}”"),
            Temporary.beside(destination, "repair") as scratch,
        ):
            _build(
                scratch.path,
                revision=revision,
                reading=reading,
                report=report,
                size=source.stat().st_size,
                progress=progress,
            )
            _finish(scratch.path, revision)
            if overwrite:
                scratch.replace(destination)
            else:
                scratch.publish_new(destination)
    finally:
        reading.close()
    verified.remember(destination)
    return report


def _nothing_to_recover(source: Path, why: str) -> NotADocument:
    return NotADocument(
        f"Nothing of Samplebook's can be recovered from “{source.name}”: {why}.",
        "Choose another file.",
        path=source,
    )


def _revision_of(connection: sqlite3.Connection, source: Path) -> str:
    """The revision the source's rows are in: what it records, else what its tables look like.

    Only a file with Samplebook's application id is judged by its tables alone: another program's
    database with tables called "sample" is not ours.
    """
    try:
        ours = connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        if salvage.table_columns(connection, "alembic_version") is not None:
            stored = [
                str(row[0]) for row in connection.execute("SELECT version_num FROM alembic_version")
            ]
            if len(stored) == 1 and releases.is_known(stored[0]):
                return stored[0]
        for revision in reversed(releases.RELEASE_OF_REVISION):
            if ours and _has_tables_of(connection, revision):
                return revision
    except sqlite3.Error as error:
        raise _nothing_to_recover(source, "not even its list of tables can be read") from error
    raise _nothing_to_recover(
        source,
        "none of Samplebook's tables are in it" if ours else "it is not a Samplebook document",
    )


def _tables_at(revision: str) -> dict[str, list[str]]:
    """Table → columns that the migrations build at ``revision`` (not alembic_version)."""
    memory = sqlite3.connect(":memory:")
    try:
        for kind, _name, _table, sql in schema.reference(revision):
            if kind == "table" and sql:
                memory.execute(sql)
        return {
            table: [str(row[1]) for row in memory.execute(f"PRAGMA table_info('{table}')")]
            for (table,) in memory.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
            # sqlite_sequence (of an AUTOINCREMENT table) is SQLite's: it keeps it by itself.
            if table != "alembic_version" and table not in SQLITE_OWN_TABLES
        }
    finally:
        memory.close()


def _has_tables_of(connection: sqlite3.Connection, revision: str) -> bool:
    for table, columns in _tables_at(revision).items():
        found = salvage.table_columns(connection, table)
        if found is None or not {column.casefold() for column in columns} <= {
            column.casefold() for column in found
        }:
            return False
    return True


def _foreign_objects(connection: sqlite3.Connection, revision: str) -> list[str]:
    """What the source holds that Samplebook's migrations never made (left out of the copy)."""
    try:
        differences = schema.mismatches(connection, revision)
    except sqlite3.Error:
        return ["the list of the file's objects could not be read in full"]
    return [
        f"{difference.removeprefix('extra ')} (not made by Samplebook)"
        for difference in differences
        if difference.startswith("extra ")
    ]


def _build(
    scratch: Path,
    *,
    revision: str,
    reading: sqlite3.Connection,
    report: RepairReport,
    size: int,
    progress: RepairProgress | None,
) -> None:
    copy_database(ensure_template(revision), scratch)
    tables = _tables_at(revision)
    writing_to = open_read_write(scratch)
    try:
        order = _parents_first(writing_to, list(tables))
        for number, table in enumerate(order, start=1):
            if progress is not None:
                progress(table, number, len(order))
            deadline = Deadline(_READ_SECONDS + size / _READ_BYTES_PER_SECOND)
            remove = deadline.install(reading)
            try:
                _copy_table(
                    reading,
                    writing_to,
                    table,
                    columns=tables[table],
                    report=report,
                    deadline=deadline,
                )
            finally:
                remove()
    finally:
        writing_to.close()


def _parents_first(connection: sqlite3.Connection, tables: list[str]) -> list[str]:
    """``tables`` ordered so that every table comes after the tables its foreign keys name."""
    parents = {
        table: {str(row[2]) for row in connection.execute(f"PRAGMA foreign_key_list('{table}')")}
        - {table}
        for table in tables
    }
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        ordered.extend(sorted(ready) or sorted(set(tables) - set(ordered)))
    return ordered


def _copy_table(
    reading: sqlite3.Connection,
    writing_to: sqlite3.Connection,
    table: str,
    *,
    columns: list[str],
    report: RepairReport,
    deadline: Deadline,
) -> None:
    singular, plural = _ROW_NAMES.get(table, (f"{table} row", f"{table} rows"))
    source_columns = salvage.table_columns(reading, table)
    if source_columns is None:
        report.left_out.append(f"all {plural}: the file has no table “{table}” of its own")
        report.kept[table] = 0
        return
    by_fold = {column.casefold(): column for column in source_columns}
    common = [column for column in columns if column.casefold() in by_fold]
    for extra in sorted(set(by_fold) - {column.casefold() for column in columns}):
        report.left_out.append(f"column {table}.{by_fold[extra]} (not made by Samplebook)")
    found = salvage.TableSalvage(table, [by_fold[column.casefold()] for column in common])
    kinds = _column_kinds(writing_to, table)
    verb = (
        "INSERT OR REPLACE" if table == "document_info" else "INSERT"
    )  # the migrations made row 1
    insert = f"{verb} INTO {table} ({', '.join(common)}) VALUES ({', '.join('?' for _ in common)})"
    kept = 0
    rejected: dict[str, int] = {}
    for rows in salvage.read_rows(reading, found, deadline):
        fitting = [row for row in rows if _fits(row, [kinds[column] for column in common])]
        if len(fitting) < len(rows):
            rejected[_WRONG_KIND] = rejected.get(_WRONG_KIND, 0) + len(rows) - len(fitting)
        kept += _insert(writing_to, insert, fitting, rejected)
    report.kept[table] = kept
    for first, last in found.unreadable:
        where = _range_in_words(first, last)
        why = "reading took too long" if found.timed_out and last is None else "they are damaged"
        report.left_out.append(f"{plural} {where}: could not be read ({why})")
    if found.repaired_texts:
        report.left_out.append(
            f"bytes that are not text in {found.repaired_texts} "
            f"{singular if found.repaired_texts == 1 else plural} (replaced by “\ufffd”)"
        )
    for reason, count in rejected.items():
        report.left_out.append(f"{count} {singular if count == 1 else plural}: {reason}")


def _insert(
    connection: sqlite3.Connection,
    insert: str,
    rows: list[tuple[object, ...]],
    rejected: dict[str, int],
) -> int:
    """Insert ``rows`` (one transaction); rows a constraint refuses are counted in ``rejected``."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        try:
            connection.execute("SAVEPOINT chunk")
            connection.executemany(insert, rows)
            connection.execute("RELEASE chunk")
            kept = len(rows)
        except sqlite3.IntegrityError:
            connection.execute("ROLLBACK TO chunk")
            connection.execute("RELEASE chunk")
            kept = 0
            for row in rows:  # find the rows a constraint refuses
                try:
                    connection.execute(insert, row)
                    kept += 1
                except sqlite3.IntegrityError as error:
                    reason = _REJECTIONS.get(error.sqlite_errorcode, "a rule of the document")
                    rejected[reason] = rejected.get(reason, 0) + 1
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return kept


def _column_kinds(connection: sqlite3.Connection, table: str) -> dict[str, tuple[type, ...]]:
    """Column → the Python types its values may have (by declared type; None is always allowed)."""
    kinds: dict[str, tuple[type, ...]] = {}
    for row in connection.execute(f"PRAGMA table_info('{table}')"):
        declared = str(row[2]).upper()
        if "INT" in declared:
            kinds[str(row[1])] = (int,)
        elif any(word in declared for word in ("REAL", "FLOA", "DOUB")):
            kinds[str(row[1])] = (int, float)
        else:  # VARCHAR, TEXT, DATE, DATETIME: stored as text
            kinds[str(row[1])] = (str,)
    return kinds


def _fits(row: tuple[object, ...], kinds: list[tuple[type, ...]]) -> bool:
    return all(
        value is None or (isinstance(value, allowed) and not isinstance(value, bool))
        for value, allowed in zip(row, kinds, strict=True)
    )


def _range_in_words(first: int | None, last: int | None) -> str:
    if first is None and last is None:
        return "(all of them)"
    if first is not None and last is not None:
        return f"with id {first}" if first == last else f"with ids {first} to {last}"
    if first is None:
        return f"with ids up to {last}"
    return f"with ids from {first} on"


def _finish(scratch: Path, revision: str) -> None:
    """Bring the copy to head, say which Samplebook wrote it, and check it like an upgrade."""
    from app.document import migration  # noqa: PLC0415

    if revision != releases.HEAD_REVISION:
        migration.upgrade_in_place(scratch)
    connection = open_read_write(scratch)
    try:
        connection.execute("BEGIN IMMEDIATE")
        stamp_saved(connection)
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    finally:
        connection.close()
    check_head_document(
        scratch,
        "The clean copy",
        "Nothing was written. Please report this problem with the log file.",
    )
