"""Upgrading an older document to head: never half-done.

The recipe: verified copy in the same folder → migrate the copy in one transaction → integrity,
foreign-key and schema checks → fsync → ``os.replace`` over the original → fsync the folder. The
original is untouched until that last step, and byte-identical after any failure.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.document import releases, verified
from app.document.backup import backup as make_backup
from app.document.classify import State, inspect
from app.document.connections import WORK_STEPS, Deadline, open_read_write
from app.document.errors import CannotWrite, UpgradeCancelled
from app.document.files import copy_database, fsync_file, reporting_failures
from app.document.locking import DocumentLock
from app.document.soundness import check_head_document
from app.document.stamps import stamp_saved
from app.document.temporaries import Temporary, sweep

if TYPE_CHECKING:  # keeps Alembic off the import path
    from app.document.migration import ProgressCallback


@dataclass(frozen=True)
class UpgradeResult:
    path: Path
    from_release: str | None
    to_release: str
    applied: list[str] = field(default_factory=list)
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def upgrade(
    path: Path,
    *,
    backup: bool = True,
    backup_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    script_location: Path | None = None,
    work_progress: WorkProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> UpgradeResult:
    """Upgrade the document at ``path`` to this build's schema; a current document is left alone.

    Refuses (with the matching ``DocumentError``) anything that is not an outdated Samplebook
    document. ``script_location`` replaces the shipped migrations (tests inject failures with it).
    ``progress`` hears each revision as it is applied; ``work_progress(done, total)`` how far the
    whole upgrade is (an estimate, also inside long revisions); ``cancelled()`` stops it
    (``UpgradeCancelled``) — safe at any moment, since it works on a copy.
    """
    path = Path(path)
    loading = _load_migrations_meanwhile()
    found = inspect(path)
    loading.join()
    from app.document import migration  # noqa: PLC0415 - Alembic only when upgrading

    if found.state is State.CURRENT:
        return UpgradeResult(path, found.release, releases.HEAD_RELEASE)
    if found.state is not State.OUTDATED:
        raise found.error()
    migration.check_installation()
    with reporting_failures(f"upgrade “{path.name}”", original_unchanged=path):
        lock = DocumentLock.acquire(path)
    with lock:
        target = lock.target  # the file itself, when ``path`` is a link to it
        sweep(target.parent)
        before = target.stat()
        backup_path = make_backup(path, backup_dir, inspection=found) if backup else None
        mode = stat.S_IMODE(before.st_mode)
        meter = _Meter(
            before.st_size, len(releases.revisions_after(found.revision or "")), work_progress
        )
        with (
            reporting_failures(f"upgrade “{path.name}”", original_unchanged=path),
            Temporary.beside(target, "upgrade", mode=mode | 0o600) as migrated,
            Temporary.beside(target, "upgrade", mode=mode | 0o600) as compact,
        ):
            copy_database(target, migrated.path, durable=False)  # a scratch copy
            applied = migration.upgrade_in_place(
                migrated.path,
                progress=progress,
                before_commit=_stamp_saved_by,
                script_location=script_location,
                tick=meter.tick,
                cancelled=cancelled,
            )
            if cancelled is not None and cancelled():
                raise UpgradeCancelled
            # Table rebuilds leave free pages (30 % of a large 1.0 document): the file that
            # replaces the original is a compact copy, which SQLite builds page by page from
            # the migrated one, so reading its pages back (quick_check) is the check it needs;
            # foreign keys were checked before the migration committed.
            _vacuum_into(migrated.path, compact.path, meter.tick, cancelled)
            check_head_document(
                compact.path, "The upgraded copy", foreign_keys=False, thorough=False
            )
            if not _unchanged_since(target, before):
                raise CannotWrite(
                    f"“{path.name}” was changed by another program during the upgrade.",
                    "Close the other program and try again; the file was left as it was.",
                    path=path,
                )
            os.chmod(compact.path, mode)
            compact.replace(target)
            lock.adopt(compact.hand_over())
        meter.done()
    verified.remember(target)
    return UpgradeResult(path, found.release, releases.HEAD_RELEASE, applied, backup_path)


WorkProgress = Callable[[int, int], None]  # (done, total) of a whole upgrade, an estimate


class _Meter:
    """How far an upgrade is, from SQLite's step counts: an estimate, never past 99 % early."""

    #: Thousands of SQLite steps per page of the original, about: for each revision, and for the
    #: compaction (measured on a 94 MB document from 1.0: its five revisions took 49 k over 23 k
    #: pages, VACUUM INTO 14 k; both run about 25 k a second).
    TICKS_PER_PAGE_AND_REVISION = 0.43
    TICKS_PER_PAGE_COMPACTED = 0.6

    def __init__(self, size: int, revisions: int, report: WorkProgress | None) -> None:
        self._report = report
        per_page = max(1, revisions) * self.TICKS_PER_PAGE_AND_REVISION
        self._expected = max(1, int(size / 4096 * (per_page + self.TICKS_PER_PAGE_COMPACTED)))
        self.ticks = 0
        self._shown = -1

    def tick(self) -> None:
        self.ticks += 1
        done = min(self.ticks * 1000 // self._expected, 990)
        if self._report is not None and done != self._shown:  # at most a thousand reports
            self._shown = done
            self._report(done, 1000)

    def done(self) -> None:
        if self._report is not None:
            self._report(1000, 1000)


def _load_migrations_meanwhile() -> threading.Thread:
    """Start importing Alembic and SQLAlchemy (a quarter of a second) on another thread.

    The inspection they overlap spends that long, for a file not seen before, inside SQLite's
    integrity check, which lets go of the GIL; on two cores the import then costs nothing. An
    import that fails there fails again, with its real error, where the module is imported.
    """
    thread = threading.Thread(
        target=_import_quietly, args=("app.document.migration",), name="load-migrations"
    )
    thread.start()
    return thread


def _import_quietly(module: str) -> None:
    with contextlib.suppress(Exception):
        importlib.import_module(module)


def _vacuum_into(
    source: Path, target: Path, tick: Callable[[], None], cancelled: Callable[[], bool] | None
) -> None:
    """A compact copy of ``source`` (a file of ours) in the (empty) file ``target``, fsynced.

    On a writable connection: ``query_only`` (the read-only connections') refuses VACUUM INTO.
    ``tick`` hears every ``WORK_STEPS`` SQLite steps, as the migrations' do (a sixth of a large
    upgrade's time is spent here); ``cancelled()`` interrupts it (``UpgradeCancelled``).
    """
    connection = open_read_write(source)
    Deadline(None, cancelled=cancelled, on_tick=tick).install(connection, WORK_STEPS)
    try:
        connection.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.OperationalError:
        if cancelled is not None and cancelled():
            raise UpgradeCancelled from None
        raise
    finally:
        connection.close()
    fsync_file(target)


def _stamp_saved_by(connection: object) -> None:
    """Record in the upgraded document which Samplebook last wrote it (in the migration's
    transaction, on its raw connection)."""
    from sqlalchemy import Connection  # noqa: PLC0415

    assert isinstance(connection, Connection)
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    stamp_saved(raw)


def _unchanged_since(path: Path, before: os.stat_result) -> bool:
    after = path.stat()
    return (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
