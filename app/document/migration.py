"""Running the migrations: Alembic driven from code, in one real transaction.

Verified on SQLite: Alembic's defaults are not atomic there (pysqlite does not BEGIN before DDL, and
Alembic's SQLite backend declares ``transactional_ddl = False``), so a crash mid-upgrade used to leave
documents half-migrated. This module fixes that with a dedicated engine:

* its connections run in explicit-transaction mode (``isolation_level=None``) with
  ``PRAGMA foreign_keys=OFF`` — the pragma is ignored inside a transaction, and with it ON a batch
  table rebuild silently cascade-deletes child rows;
* its ``begin`` emits ``BEGIN IMMEDIATE``, and every revision runs inside that one transaction;
* ``PRAGMA foreign_key_check`` runs before commit; any row rolls everything back (or, for a
  copy that is thrown away on failure, fails the migration).

The ``Config`` is built in code with an absolute ``script_location``: no ini file, no ``os.chdir``, no
logging configuration, and output captured (a windowed frozen app has no stdout).

Importing this module imports Alembic and SQLAlchemy (~230 ms); the rest of the document layer imports
it only when it must run migrations.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from app.document import releases
from app.document.connections import (
    WORK_STEPS,
    Deadline,
    foreign_key_problems,
    open_read_write,
)
from app.document.errors import BrokenInstallation, DocumentDamaged, UpgradeCancelled


@dataclass(frozen=True)
class Step:
    """One revision applied during an upgrade, for determinate progress bars."""

    number: int  # 1-based
    total: int
    revision: str
    release: str | None


ProgressCallback = Callable[[Step], None]


def migrations_dir() -> Path:
    """The folder holding ``env.py`` and ``versions/``, as real files on disk.

    Alembic loads them by path, so frozen builds ship the folder beside the executable's library
    (see freeze/); from a source checkout or wheel it is the ``migrations`` package.
    """
    candidates: list[Path] = []
    try:
        import migrations  # noqa: PLC0415

        if migrations.__file__ is not None:
            candidates.append(Path(migrations.__file__).parent)
    except ImportError:
        pass
    if getattr(sys, "frozen", False):
        base = Path(sys.executable).resolve().parent
        candidates += [base / "lib" / "migrations", base / "migrations"]
    for candidate in candidates:
        if (candidate / "env.py").is_file():
            return candidate.resolve()
    raise BrokenInstallation(
        "This Samplebook installation is incomplete: its schema history (migrations) is missing."
    )


def make_config(script_location: Path | None = None) -> Config:
    config = Config(stdout=io.StringIO())
    config.set_main_option("script_location", str(script_location or migrations_dir()))
    return config


def script_directory(script_location: Path | None = None) -> ScriptDirectory:
    return ScriptDirectory.from_config(make_config(script_location))


def verified_head(script: ScriptDirectory) -> str:
    """The single head of ``script``, which must be the head this build was made with.

    A build that lost ``versions/*.py`` would otherwise "upgrade" documents by doing nothing.
    """
    heads = script.get_heads()
    if not heads:
        raise BrokenInstallation("The schema history has no revisions (versions/ is missing).")
    if len(heads) != 1:
        raise BrokenInstallation(f"The schema history has {len(heads)} heads instead of one.")
    if heads[0] != releases.HEAD_REVISION:
        raise BrokenInstallation(
            f"The schema history ends at {heads[0]}, but this build expects "
            f"{releases.HEAD_REVISION}: the installation is incomplete or mixed."
        )
    return heads[0]


def check_installation() -> str:
    """Fail loudly unless the migrations this build needs are present; returns the head."""
    return verified_head(script_directory())


def migration_engine(
    path: Path,
    *,
    create: bool = False,
    tick: Callable[[], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    throwaway: bool = False,
) -> Engine:
    """An engine whose connections migrate atomically (see the module docstring).

    ``tick`` hears every ``WORK_STEPS`` SQLite steps, inside the longest statement too (progress);
    ``cancelled()`` returning true interrupts the statement running (the migration fails).
    ``throwaway``: the file is deleted if the migration fails, so it is migrated without a
    rollback journal, and a failure leaves it half-migrated rather than rolled back.
    """

    def connect() -> sqlite3.Connection:
        connection = open_read_write(path, create=create)
        connection.isolation_level = None
        connection.execute("PRAGMA foreign_keys = OFF")
        # Migrations only ever run on a private copy, never on a person's file: its commits need
        # not be synced (the file kept is synced when it is published). A copy that is thrown
        # away on any failure needs no rollback journal either: without one, each page a revision
        # changes is written once instead of twice (a third of the system time of upgrading a
        # 100 MB document).
        if throwaway:
            connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        if tick is not None or cancelled is not None:
            Deadline(None, cancelled=cancelled, on_tick=tick).install(connection, WORK_STEPS)
        return connection

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin_immediate(sa_connection: Connection) -> None:
        sa_connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def redefine_table(bind: Connection, table: str, create_sql: str, *, holds: str = "1") -> None:
    """Give ``table`` the definition ``create_sql`` without rebuilding it.

    For a change that leaves SQLite's file format as it is — a foreign key's ON DELETE, a NOT NULL
    dropped, a CHECK added that every row already meets — SQLite documents editing the stored
    definition (``writable_schema``) instead of the twelve-step rebuild. A rebuild copies every
    row and every index of the table; on a document of a million measurements that was a second
    per revision. ``holds`` is a condition every row must meet under the new definition (checked
    first; a row that does not refuses the upgrade). The result is checked like every upgraded
    copy (its schema against the recorded one, its pages).
    """
    raw = bind.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    if raw.execute(f'SELECT 1 FROM "{table}" WHERE NOT ({holds}) LIMIT 1').fetchone():
        raise DocumentDamaged(
            f"The document's {table} rows do not meet this release's rules, so it cannot be "
            "upgraded safely.",
            "The original is unchanged. Save a clean copy of it, then upgrade that.",
        )
    version = int(raw.execute("PRAGMA schema_version").fetchone()[0])
    raw.execute("PRAGMA writable_schema = ON")
    try:
        raw.execute(
            "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?",
            (create_sql, table),
        )
        raw.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        raw.execute("PRAGMA writable_schema = OFF")


def verify_before_commit(connection: Connection) -> None:
    """Raise (and so fail the migration) if the migrated rows break a foreign key."""
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    problems = foreign_key_problems(raw)
    if problems:
        table = problems[0][0]
        raise DocumentDamaged(
            f"The document has {len(problems)} rows that refer to records that do not exist "
            f"(first in table {table}), so it cannot be upgraded safely.",
            "The original is unchanged. Restore a backup, or contact support with this file.",
        )


def _steps_from(script: ScriptDirectory, start: str | None, target: str) -> list[str]:
    revisions = list(script.iterate_revisions(target, start or "base"))
    return [revision.revision for revision in reversed(revisions) if revision is not None]


def upgrade_in_place(
    path: Path,
    *,
    target: str = "head",
    progress: ProgressCallback | None = None,
    before_commit: Callable[[Connection], None] | None = None,
    create: bool = False,
    script_location: Path | None = None,
    tick: Callable[[], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[str]:
    """Migrate the database at ``path`` to ``target`` in one transaction; returns revisions applied.

    Only ever called on a private copy that is deleted if this fails (see app.document.upgrade):
    the user's file is replaced once this has committed and the result has been checked. A
    failure leaves the copy half-migrated (it runs without a rollback journal). ``tick`` and
    ``cancelled``: see ``migration_engine``; a cancelled migration raises ``UpgradeCancelled``.
    """
    config = make_config(script_location)
    script = ScriptDirectory.from_config(config)
    if target == "head":
        target = verified_head(script)
    engine = migration_engine(path, create=create, tick=tick, cancelled=cancelled, throwaway=True)
    applied: list[str] = []
    try:
        with engine.connect() as connection, connection.begin():
            start = MigrationContext.configure(connection).get_current_revision()
            planned = _steps_from(script, start, target)

            def on_version_apply(*, step: MigrationInfo, **_: Any) -> None:
                revision = step.up_revision_id or ""
                applied.append(revision)
                if progress is not None:
                    progress(
                        Step(len(applied), len(planned), revision, releases.release_of(revision))
                    )

            config.attributes["connection"] = connection
            config.attributes["on_version_apply"] = on_version_apply
            config.attributes["samplebook_runner"] = True
            command.upgrade(config, target)
            verify_before_commit(connection)
            if before_commit is not None:
                before_commit(connection)
    except Exception as error:
        if cancelled is not None and cancelled():
            raise UpgradeCancelled from error
        raise
    finally:
        engine.dispose()
    # Not synced: the file a person keeps is a copy of this one or this one published, and both
    # are synced then (``Temporary.replace``, ``publish_new``); syncing the scratch file too wrote
    # a large document to the disk once more, only to delete it.
    return applied


@contextmanager
def author_connection() -> Iterator[Connection]:
    """For ``uv run alembic ...`` from the repo root: a scratch database, migrated atomically too."""
    path = Path(os.environ.get("SAMPLEBOOK_AUTHOR_DB", "scratch.db")).absolute()
    engine = migration_engine(path, create=True)
    try:
        with engine.connect() as connection, connection.begin():
            yield connection
    finally:
        engine.dispose()
