"""Connections to user documents, hardened for files that arrive by mail.

Every connection to a document goes through here: the schema is not trusted to call app functions,
cell sizes are checked, memory mapping is off (a truncated file cannot fault the process), limits are
tight, extensions cannot be loaded, and read-only connections cannot create the file or a journal.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

#: How long a connection waits for another process's lock before it reports the file as in use.
BUSY_TIMEOUT_SECONDS = 2.0

#: Limits for hostile files: no real document comes near them.
_LIMITS = {
    sqlite3.SQLITE_LIMIT_LENGTH: 64 * 1024 * 1024,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: 1024 * 1024,
    sqlite3.SQLITE_LIMIT_COLUMN: 500,
    sqlite3.SQLITE_LIMIT_EXPR_DEPTH: 200,
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: 50,
    sqlite3.SQLITE_LIMIT_FUNCTION_ARG: 16,
    sqlite3.SQLITE_LIMIT_ATTACHED: 2,
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 1000,
    sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH: 10,
}


def uri(path: Path, mode: str) -> str:
    """A ``file:`` URI for ``path`` (absolute, percent-encoded) in SQLite ``mode`` (ro, rw, rwc)."""
    return f"{path.absolute().as_uri()}?mode={mode}"


def harden(connection: sqlite3.Connection) -> sqlite3.Connection:
    """Apply the untrusted-file settings to a fresh connection."""
    for limit, value in _LIMITS.items():
        connection.setlimit(limit, value)
    if hasattr(connection, "enable_load_extension"):
        connection.enable_load_extension(False)
    for pragma in (
        "PRAGMA trusted_schema = OFF",
        "PRAGMA cell_size_check = ON",
        "PRAGMA mmap_size = 0",
    ):
        connection.execute(pragma)
    return connection


def in_wal_mode(path: Path) -> bool:
    """Whether the file's header says write-ahead logging (read/write versions 2 at offset 18)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return len(header) == 20 and 2 in (header[18], header[19])


def read_only_uri(path: Path) -> str:
    """The URI that reads ``path`` without creating anything beside it.

    A WAL-mode file is opened ``immutable``: otherwise SQLite creates ``-shm`` and ``-wal`` beside it
    even for reading (and cannot read it at all in a read-only folder). Immutable means SQLite takes
    no locks and ignores any ``-wal``, so a caller reading a WAL file that is not its own must first
    make sure no ``-wal`` holds data, and afterwards that the file did not change while it read
    (``classify.inspect`` does both; everything else reads a document right after inspecting it).
    """
    return uri(path, "ro") + ("&immutable=1" if in_wal_mode(path) else "")


def open_read_only(path: Path, timeout: float = BUSY_TIMEOUT_SECONDS) -> sqlite3.Connection:
    """A read-only connection that never creates the file, a journal, or anything beside it."""
    connection = sqlite3.connect(
        read_only_uri(path),
        uri=True,
        timeout=timeout,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        harden(connection)
        connection.execute("PRAGMA query_only = ON")
    except BaseException:
        connection.close()
        raise
    return connection


def open_read_write(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """A writable connection in explicit-transaction mode (``isolation_level=None``).

    Used for our own temporary and working files only. Foreign keys are on (2.0 relies on cascading
    deletes); the journal mode stays DELETE so no ``-wal``/``-shm`` files appear beside a document.
    """
    connection = sqlite3.connect(
        uri(path, "rwc" if create else "rw"),
        uri=True,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        harden(connection)
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        connection.close()
        raise
    return connection


def open_for_copying(source: Path, target: Path, alias: str) -> sqlite3.Connection:
    """``source`` read-only as the main database, with ``target`` attached writable as ``alias``.

    For copying rows inside SQLite (``INSERT INTO alias.t SELECT … FROM t``): the source's
    unqualified table names keep meaning the source, which is hardened like every other
    connection to a user's file and never written. ``target`` must be a file of ours.
    """
    connection = sqlite3.connect(
        read_only_uri(source), uri=True, isolation_level=None, check_same_thread=False
    )
    try:
        harden(connection)
        connection.execute(f"ATTACH DATABASE ? AS {alias}", (uri(target, "rw"),))
    except BaseException:
        connection.close()
        raise
    return connection


#: SQLite steps between two progress reports of a migration or a compaction: both count in the
#: one estimate of an upgrade (``app.document.upgrade``), so they must count alike.
WORK_STEPS = 1000


class Deadline:
    """Aborts a long statement (integrity check of a hostile file) after ``seconds`` (never, if
    None), or when ``cancelled()`` says the person cancelled; ``on_tick`` hears every check (for
    progress).

    Installed as a progress handler; SQLite then fails the statement with ``interrupted``.
    """

    def __init__(
        self,
        seconds: float | None,
        *,
        cancelled: Callable[[], bool] | None = None,
        on_tick: Callable[[], None] | None = None,
    ) -> None:
        self._end = None if seconds is None else time.monotonic() + seconds
        self._cancelled = cancelled
        self._on_tick = on_tick
        self.expired = False
        self.cancelled = False

    def __call__(self) -> int:
        if self._on_tick is not None:
            self._on_tick()
        if self._cancelled is not None and self._cancelled():
            self.cancelled = True
            return 1
        if self._end is not None and time.monotonic() > self._end:
            self.expired = True
            return 1
        return 0

    def install(self, connection: sqlite3.Connection, every: int = 10_000) -> Callable[[], None]:
        connection.set_progress_handler(self, every)
        return lambda: connection.set_progress_handler(None, every)


def quick_check_problems(connection: sqlite3.Connection, limit: int = 20) -> list[str]:
    """What ``PRAGMA quick_check`` finds: every page and cell, not whether indexes match tables.

    Enough for a fresh copy (``files.copy_database``, ``VACUUM INTO``) of a verified file.
    """
    rows = connection.execute(f"PRAGMA quick_check({int(limit)})").fetchall()
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def integrity_problems(connection: sqlite3.Connection, limit: int = 20) -> list[str]:
    """What ``PRAGMA integrity_check`` finds (empty when the file is sound).

    integrity_check, not quick_check: only it notices indexes that disagree with their tables.
    """
    rows = connection.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def foreign_key_problems(connection: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Rows whose foreign keys point nowhere (``PRAGMA foreign_key_check``)."""
    return [tuple(row) for row in connection.execute("PRAGMA foreign_key_check").fetchall()]
