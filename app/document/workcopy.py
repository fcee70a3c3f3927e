"""Documents while they are open: a private working copy, saved back atomically.

Every edit is committed to a working copy in the user state folder; the user's file changes only on
Save, which writes a verified copy beside it and swaps it in with ``os.replace``. A crash leaves the
working copy behind, so the next start can offer to recover unsaved work (``recoverable()``).

Each working copy lives in its own folder with ``work.db``, ``session.json`` (what it is a copy of)
and ``owner.lock``, which the owning process keeps locked: a folder whose lock nobody holds belongs to
a process that has ended. They hold copies of users' documents, so the folders are 0700 and the
files 0600 (a looser one found on recovery is tightened).

The document's identity is its file, not the name it was opened by (``app.document.locking``):
saves go to the resolved file, so saving a document opened through a symlink changes the file the
link points to and keeps the link.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import secrets
import shutil
import sqlite3
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.document import releases
from app.document.classify import Inspection, State, inspect
from app.document.connections import integrity_problems, open_read_write
from app.document.errors import CannotWrite, DocumentError, UpgradeNeeded
from app.document.files import (
    CopyProgress,
    copy_database,
    copy_from_connection,
    describe_os_error,
    remove_database_file,
    replace_atomically,
    reporting_failures,
    temp_path_beside,
)
from app.document.locking import DocumentLock, holder_of, in_use_error, resolved, same_document
from app.document.soundness import integrity_of
from app.document.stamps import now, stamp_saved
from app.document.temporaries import Temporary, sweep
from app.paths import make_private, state_dir

if sys.platform != "win32":
    import fcntl


def _workspaces() -> Path:
    folder = state_dir() / "open"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class _Workspace:
    """One working-copy folder, claimed by this process for as long as it is open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._owner_fd: int | None = None

    @classmethod
    def new(cls) -> _Workspace:
        folder = _workspaces() / f"{datetime.date.today():%Y%m%d}-{secrets.token_hex(6)}"
        folder.mkdir(parents=True, mode=0o700)
        workspace = cls(folder)
        if not workspace.claim():  # pragma: no cover - the folder name is fresh
            raise RuntimeError(f"Could not claim new working folder {folder}")
        # Made empty and private before SQLite fills it (SQLite would create it 0644).
        os.close(os.open(workspace.work, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return workspace

    @property
    def work(self) -> Path:
        return self.folder / "work.db"

    @property
    def session_file(self) -> Path:
        return self.folder / "session.json"

    def claim(self) -> bool:
        """Lock ``owner.lock``; False when a live process owns this folder."""
        fd = os.open(self.folder / "owner.lock", os.O_RDWR | os.O_CREAT, 0o600)
        if sys.platform == "win32":
            import msvcrt  # noqa: PLC0415

            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                os.close(fd)
                return False
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
        self._owner_fd = fd
        self.make_private()
        return True

    def make_private(self) -> None:
        """The folder 0700, its files 0600 (copies of a user's document and what they are of)."""
        make_private(self.folder)
        for name in ("work.db", "work.db-journal", "session.json", "owner.lock"):
            make_private(self.folder / name, 0o600)

    def read_session(self) -> dict[str, object]:
        try:
            data = json.loads(self.session_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_session(self, **values: object) -> None:
        data = self.read_session() | values
        temporary = self.session_file.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=1))
        os.replace(temporary, self.session_file)

    def _release_claim(self) -> None:
        if self._owner_fd is not None:
            os.close(self._owner_fd)
            self._owner_fd = None

    def remove(self) -> None:
        if self._owner_fd is not None:
            os.close(self._owner_fd)
            self._owner_fd = None
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class Recovery:
    """Unsaved work of a Samplebook process that ended without saving or closing."""

    folder: Path
    document: Path | None
    title: str
    modified_at: str


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
        workspace: _Workspace,
        path: Path | None,
        *,
        read_only: bool,
        read_only_reason: str = "",
        lock: DocumentLock | None = None,
        modified: bool = False,
    ) -> None:
        self._workspace = workspace
        self.path = path
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._lock = lock
        self.modified = modified
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
    def is_untitled(self) -> bool:
        return self.path is None

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
        self.modified = False
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
            copy_from_connection(self.connection, temp.path, progress)
            problems = integrity_of(temp.path)
            if problems:
                raise CannotWrite(
                    f"The saved copy of “{target.name}” did not pass its integrity check "
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

    def _reason_suffix(self) -> str:
        return f" ({self.read_only_reason})" if self.read_only_reason else ""

    def revert(self) -> None:
        """Throw away unsaved changes: reload the working copy from the file."""
        self.finish_revert(self.prepare_revert())

    def prepare_revert(self) -> Path:
        """A revert's disk work, fit for a worker: a copy of the saved file beside the working
        copy, made through connections of its own (``connection`` is not touched)."""
        if self.path is None:
            raise DocumentError("This document has never been saved.", "Close it instead.")
        replacement = temp_path_beside(self.work_path, "revert")
        try:
            copy_database(self.path, replacement)
        except BaseException:
            remove_database_file(replacement)
            raise
        return replacement

    def finish_revert(self, replacement: Path) -> None:
        """Swap in the copy ``prepare_revert`` made, on the thread that owns ``connection``."""
        self.connection.close()
        try:
            replace_atomically(replacement, self.work_path)
        finally:
            remove_database_file(replacement)
            self.connection = open_read_write(self.work_path)
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
        if behind_lock.state is not State.CURRENT:
            raise behind_lock.error()
        reason = "it is open in another Samplebook"
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
    workspace = _Workspace.new()
    try:
        with reporting_failures("open a working copy", original_unchanged=path):
            copy_database(path, workspace.work, progress)
        return OpenDocument(
            workspace, path, read_only=read_only, read_only_reason=reason, lock=lock
        )
    except BaseException:
        workspace.remove()
        if lock is not None:
            lock.release()
        raise


def new_document(title: str = "") -> OpenDocument:
    """A new, untitled document (made by the migrations), first saved with ``save_as``."""
    from app.document.create import fill_new  # noqa: PLC0415

    workspace = _Workspace.new()
    try:
        fill_new(workspace.work, title)
        document = OpenDocument(workspace, None, read_only=False)
    except BaseException:
        workspace.remove()
        raise
    return document


def recoverable() -> list[Recovery]:
    """Working copies with unsaved changes left by Samplebook processes that have ended.

    Abandoned working copies without changes are removed on the way.
    """
    found: list[Recovery] = []
    for folder in sorted(_workspaces().iterdir()):
        if not folder.is_dir():
            continue
        workspace = _Workspace(folder)
        if not workspace.claim():
            continue  # a running Samplebook owns it
        session = workspace.read_session()
        if not session.get("modified") or not workspace.work.exists():
            workspace.remove()
            continue
        document = session.get("document")
        found.append(
            Recovery(
                folder=folder,
                document=Path(str(document)) if document else None,
                title=str(session.get("title") or "Untitled"),
                modified_at=str(session.get("modified_at") or ""),
            )
        )
        workspace._release_claim()
    return found


def recover(recovery: Recovery) -> OpenDocument:
    """Reopen the unsaved work in ``recovery`` as a modified document.

    If its file is now open elsewhere, or cannot be written, the work opens as untitled so it can be
    saved somewhere else.
    """
    workspace = _Workspace(recovery.folder)
    if not workspace.claim():
        raise DocumentError("That unsaved work is already open in another Samplebook.")
    connection = open_read_write(workspace.work)
    try:
        problems = integrity_problems(connection)
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    if problems or revision is None or revision[0] != releases.HEAD_REVISION:
        workspace._release_claim()
        raise DocumentError("The unsaved work could not be recovered: its copy is damaged.")
    path = recovery.document
    lock: DocumentLock | None = None
    if path is not None:
        try:
            lock = DocumentLock.acquire(path)
        except (DocumentError, OSError):
            path = None
    return OpenDocument(workspace, path, read_only=False, lock=lock, modified=True)


def discard(recovery: Recovery) -> None:
    """Delete unsaved work the user chose not to recover."""
    workspace = _Workspace(recovery.folder)
    if workspace.claim():
        workspace.remove()
