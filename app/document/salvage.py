"""Reading every row that can still be read from a file Samplebook does not trust.

The file may hold foreign triggers and views, a table may have been replaced, pages may be damaged
and texts may not be UTF-8. Reading is done on the hardened read-only connection (nothing is
written, no trigger fires: SELECT never runs one, and ``trusted_schema=OFF`` keeps views and
generated columns from calling functions with side effects), a deadline bounds each table, and
damage costs only the rows it sits on: rows are read in rowid order in chunks, a chunk that fails
is retried row by row, and a row that cannot be read is skipped by probing further ahead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.document import sqlite_errors
from app.document.connections import Deadline

_CHUNK = 512
_SMALLEST_ROWID = -(1 << 63)
_LARGEST_ROWID = (1 << 63) - 1


@dataclass
class TableSalvage:
    """What reading one table found."""

    table: str
    columns: list[str]
    #: Rowid ranges (first, last) that could not be read; ``None`` for an open end.
    unreadable: list[tuple[int | None, int | None]] = field(default_factory=list)
    #: Text values whose bytes were not UTF-8 (kept, with the unreadable bytes replaced).
    repaired_texts: int = 0
    #: Set when the deadline ended the reading early.
    timed_out: bool = False


def table_columns(connection: sqlite3.Connection, table: str) -> list[str] | None:
    """The columns of ``table`` when it really is a table (not a view) in the file; else ``None``."""
    row = connection.execute(
        "SELECT type FROM main.sqlite_schema WHERE name = ? COLLATE NOCASE AND type IN "
        "('table', 'view')",
        (table,),
    ).fetchone()
    if row is None or row[0] != "table":
        return None
    return [str(info[1]) for info in connection.execute(f"PRAGMA main.table_info({_quote(table)})")]


def read_rows(
    connection: sqlite3.Connection,
    found: TableSalvage,
    deadline: Deadline,
) -> Iterator[list[tuple[object, ...]]]:
    """Yield chunks of rows of ``found.columns`` from ``found.table``, skipping what is damaged."""
    columns = ", ".join(_quote(column) for column in found.columns)
    select = (
        f"SELECT rowid, {columns} FROM main.{_quote(found.table)} "
        "WHERE rowid > ? ORDER BY rowid LIMIT ?"
    )
    last = _SMALLEST_ROWID
    chunk = _CHUNK
    while True:
        if deadline.expired:
            found.timed_out = True
            found.unreadable.append((_next(last), None))
            return
        try:
            rows = connection.execute(select, (last, chunk)).fetchall()
        except sqlite3.Error as error:
            if deadline.expired:
                continue  # reported at the top of the loop
            if sqlite_errors.failure_of(error) is not sqlite_errors.Failure.DAMAGED:
                raise
            if chunk > 1:
                chunk = 1  # find the first row that cannot be read
                continue
            if sqlite_errors.is_undecodable_text(error):
                row = _with_repaired_text(connection, found, last)
                if row is not None:
                    yield [row[1:]]
                    last = int(str(row[0]))
                    continue
            resume = _first_readable_after(connection, found.table, last)
            found.unreadable.append((_next(last), None if resume is None else resume - 1))
            if resume is None:
                return
            last, chunk = resume - 1, 1
            continue
        if not rows:
            return
        yield [row[1:] for row in rows]
        last = int(str(rows[-1][0]))
        chunk = min(chunk * 2, _CHUNK)


def _with_repaired_text(
    connection: sqlite3.Connection, found: TableSalvage, last: int
) -> tuple[object, ...] | None:
    """The next row after ``last`` with texts that are not UTF-8 decoded as far as they go."""
    typed = ", ".join(f"{_quote(column)}, typeof({_quote(column)})" for column in found.columns)
    select = (
        f"SELECT rowid, {typed} FROM main.{_quote(found.table)} "
        "WHERE rowid > ? ORDER BY rowid LIMIT 1"
    )
    connection.text_factory = bytes
    try:
        row = connection.execute(select, (last,)).fetchone()
    except sqlite3.Error as error:
        if sqlite_errors.failure_of(error) is not sqlite_errors.Failure.DAMAGED:
            raise
        return None
    finally:
        connection.text_factory = str
    if row is None:
        return None
    values: list[object] = [row[0]]
    for value, kind in zip(row[1::2], row[2::2], strict=True):
        if kind == b"text" and isinstance(value, bytes):
            try:
                values.append(value.decode("utf-8"))
            except UnicodeDecodeError:
                values.append(value.decode("utf-8", errors="replace"))
                found.repaired_texts += 1
        else:
            values.append(value)
    return tuple(values)


def _first_readable_after(connection: sqlite3.Connection, table: str, last: int) -> int | None:
    """The rowid of the first readable row beyond the damage after ``last``.

    Probes ever further ahead (1, 2, 4, … rows) until a seek gets past the damage, then narrows
    the last doubling down again, so the rows between the damage and the probe that got past it
    are not lost with it.
    """
    step = 1
    failed = last  # a seek for rows after this one ran into the damage
    while last + step < _LARGEST_ROWID:
        found = _probe(connection, table, last + step)
        if found is not _DAMAGED:
            break
        failed = last + step
        step *= 2
    else:
        return None
    good, first = last + step, found
    while good - failed > 1:  # the smallest seek that gets past the damage
        middle = (failed + good) // 2
        found = _probe(connection, table, middle)
        if found is _DAMAGED:
            failed = middle
        else:
            good, first = middle, found
    return first if isinstance(first, int) else None


class _Damaged:
    """What ``_probe`` answers when its seek ran into damaged pages."""


_DAMAGED = _Damaged()


def _probe(connection: sqlite3.Connection, table: str, after: int) -> int | _Damaged | None:
    """The rowid of the first row after ``after`` (``None``: none), or ``_DAMAGED``."""
    probe = f"SELECT rowid FROM main.{_quote(table)} WHERE rowid > ? ORDER BY rowid LIMIT 1"
    try:
        row = connection.execute(probe, (after,)).fetchone()
    except sqlite3.Error as error:
        if sqlite_errors.failure_of(error) is not sqlite_errors.Failure.DAMAGED:
            raise
        return _DAMAGED
    return None if row is None else int(str(row[0]))


def _next(rowid: int) -> int | None:
    return None if rowid == _SMALLEST_ROWID else rowid + 1


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
