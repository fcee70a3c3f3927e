"""Upgrading an older document to head: never half-done.

The recipe: verified copy in the same folder → migrate the copy in one transaction → integrity,
foreign-key and schema checks → fsync → ``os.replace`` over the original → fsync the folder. The
original is untouched until that last step, and byte-identical after any failure.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.document import releases
from app.document.backup import backup as make_backup
from app.document.classify import State, inspect
from app.document.errors import CannotWrite
from app.document.files import copy_database, reporting_failures
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
) -> UpgradeResult:
    """Upgrade the document at ``path`` to this build's schema; a current document is left alone.

    Refuses (with the matching ``DocumentError``) anything that is not an outdated Samplebook
    document. ``script_location`` replaces the shipped migrations (tests inject failures with it).
    """
    from app.document import migration  # noqa: PLC0415 - Alembic only when upgrading

    path = Path(path)
    found = inspect(path)
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
        with (
            reporting_failures(f"upgrade “{path.name}”", original_unchanged=path),
            Temporary.beside(target, "upgrade", mode=mode | 0o600) as temporary,
        ):
            copy_database(target, temporary.path)
            applied = migration.upgrade_in_place(
                temporary.path,
                progress=progress,
                before_commit=_stamp_saved_by,
                script_location=script_location,
            )
            check_head_document(temporary.path, "The upgraded copy")
            if not _unchanged_since(target, before):
                raise CannotWrite(
                    f"“{path.name}” was changed by another program during the upgrade.",
                    "Close the other program and try again; the file was left as it was.",
                    path=path,
                )
            os.chmod(temporary.path, mode)
            temporary.replace(target)
            lock.adopt(temporary.hand_over())
    return UpgradeResult(path, found.release, releases.HEAD_RELEASE, applied, backup_path)


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
