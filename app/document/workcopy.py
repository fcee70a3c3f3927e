"""Documents while they are open: a private working copy, saved back atomically.

Every edit is committed to a working copy in the user state folder; the user's file changes only on
Save, which writes a verified copy beside it and swaps it in with ``os.replace``. A crash leaves the
working copy behind, so the next start can offer to recover unsaved work (``app.document.recovery``).

Each working copy lives in its own folder (``app.document.workspace``), which the owning process
keeps claimed; unsaved work of a process that ended is found and reopened by
``app.document.recovery``.

The document's identity is its file, not the name it was opened by (``app.document.locking``):
saves go to the resolved file, so saving a document opened through a symlink changes the file the
link points to and keeps the link.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.document import releases, verified
from app.document.classify import Inspection, State, inspect
from app.document.connections import open_read_write
from app.document.errors import CannotWrite, DocumentError, UpgradeNeeded
from app.document.files import (
    CopyProgress,
    copy_database,
    describe_os_error,
    remove_database_file,
    replace_atomically,
    reporting_failures,
    temp_path_beside,
)
from app.document.identity import FileIdentity, identity_of
from app.document.locking import DocumentLock, holder_of, in_use_error, resolved, same_document
from app.document.soundness import copy_differences
from app.document.stamps import now, stamp_saved
from app.document.temporaries import Temporary, sweep
from app.document.temporary_exports import is_temporary_export
from app.document.workspace import Workspace
from app.paths import make_private

if TYPE_CHECKING:
    from app.document.repair import RepairReport


@dataclass(frozen=True)
class Reload:
    """What ``prepare_revert`` read: the new working copy, and of which version of the file."""

    replacement: Path
    identity: FileIdentity | None
    clean_view: RepairReport | None


class OpenDocument:
    """A document open for viewing or editing through its working copy.

    The threading rule: ``connection`` is used by one thread at a time. The thread that opens the
    document (a worker, for ``open_document`` and ``new_document``) uses it until it hands the
    document over; from then on it is the GUI thread's, except while ``save`` or ``save_as`` runs
    on a worker with it (the window is busy then and reads nothing). Every other piece of work off
    the GUI thread opens its own connections to ``work_path`` or the file: exports, and the copy
    a revert makes (``prepare_revert``), whose swap (``finish_revert``) runs on the GUI thread.
    """

    def __init__(
        self,
        workspace: Workspace,
        path: Path | None,
        *,
        read_only: bool,
        read_only_reason: str = "",
        lock: DocumentLock | None = None,
        modified: bool = False,
        clean_view: RepairReport | None = None,
    ) -> None:
        self._workspace = workspace
        self.path = path
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._lock = lock
        self.modified = modified
        #: For a document changed outside Samplebook: what the clean copy shown instead kept and
        #: left out (the working copy holds only Samplebook's own rows, never the file's objects).
        self.clean_view = clean_view
        #: The version of the file this working copy was read from or last written to.
        self.disk_identity: FileIdentity | None = identity_of(path) if path is not None else None
        self.connection = open_read_write(workspace.work)
        self._record()

    # -- what it is -------------------------------------------------------------------------

    @property
    def work_path(self) -> Path:
        return self._workspace.work

    @property
    def title(self) -> str:
        """The document's title, else its file name, else "Untitled"."""
        row = self.connection.execute("SELECT title FROM document_info WHERE id = 1").fetchone()
        if row and row[0]:
            return str(row[0])
        return self.path.stem if self.path is not None else "Untitled"

    @property
    def is_temporary_export(self) -> bool:
        """A temporary export in Samplebook's cache: removed later unless kept or saved elsewhere."""
        return self.path is not None and is_temporary_export(self.path)

    def changed_on_disk(self) -> bool:
        """Whether the file was written or replaced since this copy was read from or saved to it.

        A file that is gone is not "changed": saving puts the document back where it was.
        """
        if self.path is None:
            return False
        now_on_disk = identity_of(self.path)
        return now_on_disk is not None and now_on_disk != self.disk_identity

    def _record(self) -> None:
        # Whatever replaced the working copy since (revert's copy is made by SQLite with the
        # umask's mode), it stays private.
        make_private(self._workspace.work, 0o600)
        self._workspace.write_session(
            document=str(self.path) if self.path else None,
            title=self.title,
            read_only=self.read_only,
            modified=self.modified,
            modified_at=now(),
            pid=os.getpid(),
            app_version=__version__,
        )

    # -- editing ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run one edit: committed to the working copy, rolled back whole if anything raises."""
        if self.read_only:
            raise CannotWrite(
                "This document is open read-only.",
                "Use Save As to keep a copy you can edit.",
                path=self.path,
            )
        with self._transaction() as connection:
            yield connection

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")
        if not self.modified:
            self.modified = True
            self._record()

    # -- saving -----------------------------------------------------------------------------

    def save(self, progress: CopyProgress | None = None) -> None:
        """Write the working copy over the document, atomically."""
        if self.path is None:
            raise DocumentError("This document has no file yet.", "Use Save As.")
        if self.read_only:
            raise CannotWrite(
                f"“{self.path.name}” is open read-only{self._reason_suffix()}.",
                "Use Save As to keep a copy you can edit.",
                path=self.path,
            )
        assert self._lock is not None  # a writable document with a file always holds its lock
        self._write_to(self._lock, progress)
        self.modified = False
        self.disk_identity = identity_of(self.path)
        self._record()

    def save_as(self, path: Path, progress: CopyProgress | None = None) -> None:
        """Write to ``path`` (replacing it: the caller asked the user) and continue editing there."""
        path = Path(path).absolute()
        if self._lock is not None and not self.read_only and same_document(path, self._lock.target):
            self.save(progress)
            return
        holder = holder_of(path)
        if holder is not None and not holder.is_this_process():
            raise in_use_error(path, holder)
        with reporting_failures(f"save “{path.name}”"):
            new_lock = DocumentLock.acquire(path)
        try:
            self._write_to(new_lock, progress)
        except BaseException:
            new_lock.release()
            raise
        if self._lock is not None:
            self._lock.release()
        self._lock = new_lock
        self.path = path
        self.read_only = False
        self.read_only_reason = ""
        self.clean_view = None
        self.modified = False
        self.disk_identity = identity_of(path)
        self._record()

    def _write_to(self, lock: DocumentLock, progress: CopyProgress | None) -> None:
        """Write the working copy over ``lock``'s file; the lock moves to the new file."""
        target = lock.target
        with self._transaction() as connection:
            stamp_saved(connection)
        sweep(target.parent)
        try:
            mode: int | None = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = None
        with (
            reporting_failures(f"save “{target.name}”", original_unchanged=target),
            # Never readable by more people than the document while it is being written.
            Temporary.beside(target, "save", mode=0o644 if mode is None else mode | 0o600) as temp,
        ):
            # From the file, not ``connection``: every edit is committed to it, and a byte copy
            # under a read lock is an eighth of the backup API's time (see ``copy_database``).
            copy_database(self.work_path, temp.path, progress)
            problems = copy_differences(self.connection, temp.path)
            if problems:
                raise CannotWrite(
                    f"The saved copy of “{target.name}” does not match the document "
                    f"({problems[0]}); the file on disk is unchanged.",
                    "Check the disk and try again, or use Save As elsewhere.",
                    path=target,
                )
            if mode is not None:
                os.chmod(temp.path, mode)
            # The temporary holds its owner lock from birth, so the new file is locked before
            # it takes the document's name; the lock then stays with it.
            temp.replace(target)
            lock.adopt(temp.hand_over())
        verified.remember(target)  # written and checked here: the next open skips the full check

    def _reason_suffix(self) -> str:
        return f" ({self.read_only_reason})" if self.read_only_reason else ""

    def revert(self) -> None:
        """Throw away unsaved changes: reload the working copy from the file."""
        self.finish_revert(self.prepare_revert())

    def prepare_revert(self) -> Reload:
        """A revert's (or reload's) disk work, fit for a worker: the saved file read again into a
        copy beside the working copy, through connections of its own (``connection`` is not
        touched). The file is checked again first: it may have been replaced since it was read,
        and a file changed outside Samplebook is read as a clean copy, like when it was opened."""
        if self.path is None:
            raise DocumentError("This document has never been saved.", "Close it instead.")
        found = inspect(self.path, ignore_holder=True)
        replacement = temp_path_beside(self.work_path, "revert")
        try:
            if found.state is State.CURRENT:
                copy_database(self.path, replacement)
                return Reload(replacement, identity_of(self.path), None)
            if found.state is State.TAMPERED and self.read_only:
                from app.document.repair import repair  # noqa: PLC0415 - Alembic only here

                identity = identity_of(self.path)
                return Reload(replacement, identity, repair(self.path, replacement))
            raise found.error()
        except BaseException:
            remove_database_file(replacement)
            raise

    def finish_revert(self, reload: Reload) -> None:
        """Swap in the copy ``prepare_revert`` made, on the thread that owns ``connection``."""
        self.connection.close()
        try:
            replace_atomically(reload.replacement, self.work_path)
        finally:
            remove_database_file(reload.replacement)
            self.connection = open_read_write(self.work_path)
        self.clean_view = reload.clean_view
        self.disk_identity = reload.identity
        self.modified = False
        self._record()

    def close(self) -> None:
        """Forget the working copy (unsaved changes are gone) and release the document."""
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()
        self._workspace.remove()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> OpenDocument:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _readable_by_this_build(path: Path) -> bool:
    """Whether a newer document still has every table and column this build reads.

    Newer releases usually only add things; then this build can show the document read-only.
    Anything renamed or removed means it cannot be shown safely.
    """
    from app.document.connections import open_read_only  # noqa: PLC0415
    from app.document.schema import reference  # noqa: PLC0415

    ours = _head_columns(reference(releases.HEAD_REVISION))
    connection = open_read_only(path)
    try:
        for table, columns in ours.items():
            found = {str(row[1]) for row in connection.execute(f"PRAGMA table_info('{table}')")}
            if not columns <= found:
                return False
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()
    return True


def _head_columns(entries: list[tuple[str, str, str, str]]) -> dict[str, set[str]]:
    """Table → column names, read from the head schema by loading it into memory."""
    memory = sqlite3.connect(":memory:")
    try:
        for kind, _name, _table, sql in entries:
            if kind == "table" and sql:
                memory.execute(sql)
        tables = [
            str(row[0])
            for row in memory.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
        ]
        return {
            table: {str(row[1]) for row in memory.execute(f"PRAGMA table_info('{table}')")}
            for table in tables
        }
    finally:
        memory.close()


def _writable(path: Path) -> tuple[bool, str]:
    path = resolved(path)  # a link's folder is not where saves go
    if not os.access(path, os.W_OK):
        return False, "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return False, "its folder is read-only"
    return True, ""


def open_document(
    path: Path,
    *,
    read_only: bool = False,
    inspection: Inspection | None = None,
    progress: CopyProgress | None = None,
) -> OpenDocument:
    """Open the current document at ``path`` for editing (or viewing, with ``read_only``).

    Outdated documents raise ``UpgradeNeeded`` (upgrade them first); a document open in another
    Samplebook raises ``DocumentInUse`` unless ``read_only``. A file or folder that cannot be
    written opens read-only, with the reason in ``read_only_reason``.
    """
    path = Path(path).absolute()
    found = inspection or inspect(path)
    sweep(resolved(path).parent)
    reason = ""
    if found.state is State.OUTDATED:
        raise UpgradeNeeded(found.message, found.next_step, path=path)
    if found.state is State.LOCKED and read_only and found.holder is not None:
        # The saved file must pass the same checks as any other before it is shown.
        behind_lock = inspect(path, ignore_holder=True)
        if behind_lock.state is State.TAMPERED:
            return _open_clean_view(path, progress)
        if behind_lock.state is not State.CURRENT:
            raise behind_lock.error()
        reason = "it is open in another Samplebook"
    elif found.state is State.TAMPERED and read_only:
        return _open_clean_view(path, progress)
    elif found.state is State.NEWER and read_only and _readable_by_this_build(path):
        reason = f"it was saved by Samplebook {found.saved_by or 'a newer release'}"
    elif found.state is not State.CURRENT:
        raise found.error()
    lock: DocumentLock | None = None
    if not read_only:
        writable, reason = _writable(path)
        if writable:
            try:
                lock = DocumentLock.acquire(path)
            except OSError as error:
                # Without a lock file nothing could be saved here either.
                reason = describe_os_error(error)
        read_only = lock is None
    workspace = Workspace.new()
    try:
        with reporting_failures("open a working copy", original_unchanged=path):
            # Not synced now: it equals the saved file, so a power cut loses nothing of it, and
            # the first edit's commit (synchronous FULL) syncs the whole file with it.
            copy_database(path, workspace.work, progress, durable=False)
        return OpenDocument(
            workspace, path, read_only=read_only, read_only_reason=reason, lock=lock
        )
    except BaseException:
        workspace.remove()
        if lock is not None:
            lock.release()
        raise


def _open_clean_view(path: Path, progress: CopyProgress | None) -> OpenDocument:
    """A document changed outside Samplebook, shown read-only as the clean copy of it.

    Reading such a file as it is would be safe (nothing written, no trigger fires), but the
    app's views would then run on the file's own objects, and an older one would need upgrading;
    the clean copy holds exactly Samplebook's rows at head, which "Save a Clean Copy" then keeps.
    """
    from app.document.repair import repair  # noqa: PLC0415 - Alembic only here

    workspace = Workspace.new()
    try:
        report = repair(
            path,
            workspace.work,  # the new workspace's empty placeholder
            overwrite=True,
            progress=None
            if progress is None
            else lambda _table, step, steps: progress(step, steps),
        )
        return OpenDocument(
            workspace,
            path,
            read_only=True,
            read_only_reason="it was changed outside Samplebook",
            clean_view=report,
        )
    except BaseException:
        workspace.remove()
        raise


def new_document(title: str = "") -> OpenDocument:
    """A new, untitled document (made by the migrations), first saved with ``save_as``."""
    from app.document.create import fill_new  # noqa: PLC0415

    workspace = Workspace.new()
    try:
        fill_new(workspace.work, title)
        document = OpenDocument(workspace, None, read_only=False)
    except BaseException:
        workspace.remove()
        raise
    return document
