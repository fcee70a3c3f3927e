"""Careful file operations: consistent database copies, fsync, atomic replacement.

Never copy a database with a plain file copy outside a read transaction (a hot journal or a writer
committing meanwhile makes the copy corrupt; ``copy_database`` says when it is safe), and never run
``Connection.backup()`` from a connection inside a write transaction (it spins forever).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from io import BufferedReader
from pathlib import Path

from app.document import sqlite_errors
from app.document.connections import in_wal_mode, open_read_only, open_read_write
from app.document.errors import (
    CannotWrite,
    DestinationExists,
    DocumentDamaged,
    DocumentError,
    DocumentInUse,
)

#: Pages copied per backup step, so long copies can report progress.
_PAGES_PER_STEP = 4096

CopyProgress = Callable[[int, int], None]  # (pages done, pages in all)

_JOURNAL_SUFFIXES = ("-journal", "-wal", "-shm")


def temp_path_beside(target: Path, purpose: str) -> Path:
    """A hidden, unused name in ``target``'s folder, so the final rename stays on one file system.

    Only for folders this process owns alone (a working copy's folder). Beside a user's file, or in
    a folder other Samplebook processes share, use ``app.document.temporaries.Temporary``: its files
    carry their creator and are swept after a crash; these are not.
    """
    import secrets  # noqa: PLC0415 - start-up: it pulls hmac and OpenSSL's hashlib

    return target.with_name(f".{target.name}.{purpose}-{secrets.token_hex(4)}.tmp")


def remove_database_file(path: Path) -> None:
    """Delete a (temporary) database and any journal beside it; missing files are fine.

    Called from ``finally`` blocks, so it never raises: on a read-only or failing disk the file
    usually was never made, and raising here would hide the error that matters.
    """
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in _JOURNAL_SUFFIXES)):
        with contextlib.suppress(OSError):
            candidate.unlink()


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_database(
    source: Path, destination: Path, progress: CopyProgress | None = None, *, durable: bool = True
) -> None:
    """Copy the document at ``source`` to the file ``destination`` (made, or emptied first).

    A rollback-journal database (every file Samplebook writes) is copied byte for byte inside a
    read transaction: SQLite's shared lock keeps every writer from committing while the bytes are
    copied, and the transaction's first read rolls back (or, read-only, refuses) a hot journal, so
    the bytes are a consistent database. That is what the backup API gives, at an eighth of its
    time on a 100 MB file (it moves every page through SQLite). A WAL-mode file's newest pages may
    be in its ``-wal``, so it goes through the backup API. ``durable=False`` skips the fsync, for a
    copy that is never the file kept (its successor is synced instead).
    """
    before = _file_identity(os.stat(source))  # the file the connection is about to open
    connection = open_read_only(source)
    try:
        if in_wal_mode(source):
            _backup(connection, destination, progress)
        else:
            # Opened before the read lock is taken and closed after it is let go: closing any
            # descriptor of a file drops every POSIX lock this process holds on it, SQLite's too.
            with open(source, "rb") as reading:
                connection.execute("BEGIN")
                # The first read takes the shared lock; it is held until COMMIT.
                connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
                if _file_identity(os.fstat(reading.fileno())) != before:
                    # Replaced (saved by another Samplebook) after the connection opened it: the
                    # lock is on the file the connection reads, so that is the one to copy.
                    _backup(connection, destination, progress)
                else:
                    page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
                    _copy_bytes(reading, destination, page_size, progress)
                connection.execute("COMMIT")
    finally:
        connection.close()
    if durable:
        fsync_file(destination)


def _file_identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


#: Bytes copied at a time by a byte copy (a progress report after each), and read at a time
#: where the kernel cannot copy them.
_CHUNK = 16 * 1024 * 1024
_READ_CHUNK = 4 * 1024 * 1024
#: Linux copies file to file with ``sendfile``; elsewhere (and where it refuses) bytes are read.
_SENDFILE = sys.platform.startswith("linux") and hasattr(os, "sendfile")


def _copy_bytes(
    reading: BufferedReader, destination: Path, page_size: int, progress: CopyProgress | None
) -> None:
    """Copy the file open as ``reading`` into ``destination``, reporting pages done.

    In the kernel where it can (``sendfile``): no buffer in this process, and no Python between
    the bytes, so a copy on a worker does not wait for the GUI thread's turn at the interpreter
    lock after every few megabytes. Elsewhere, or where it is refused, the bytes are read.
    """
    with open(destination, "wb", buffering=0) as writing:
        source, target = reading.fileno(), writing.fileno()
        size = os.fstat(source).st_size
        in_kernel = _SENDFILE
        done = 0
        while done < size:
            count = min(_CHUNK, size - done)
            if in_kernel:
                try:
                    copied = os.sendfile(target, source, done, count)
                except OSError as error:
                    if error.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                        raise
                    in_kernel = False
                    continue
            else:
                data = memoryview(os.pread(source, min(count, _READ_CHUNK), done))
                copied = len(data)
                while data:
                    data = data[os.write(target, data) :]
            if copied == 0:  # the file ended early; the copy's checks tell
                break
            done += copied
            if progress is not None:
                progress(done // page_size, size // page_size)


def _backup(source: sqlite3.Connection, destination: Path, progress: CopyProgress | None) -> None:
    """Copy an open database to ``destination`` with the backup API, in rollback-journal mode.

    ``source`` must not be inside a write transaction.
    """
    target = open_read_write(destination, create=True)
    try:

        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        source.backup(target, pages=_PAGES_PER_STEP, progress=step)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()


def replace_atomically(temporary: Path, target: Path) -> None:
    """Put ``temporary`` in ``target``'s place in one step and make it durable."""
    fsync_file(temporary)
    os.replace(temporary, target)
    fsync_folder(target.parent)


def publish_new(temporary: Path, target: Path) -> None:
    """Give ``temporary`` the name ``target``, refusing to overwrite an existing file.

    A hard link is atomic and fails if the name exists; where links are not supported (FAT, some
    network shares) an exclusively created placeholder is replaced instead.
    """
    fsync_file(temporary)
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise DestinationExists(f"{target} already exists.", path=target) from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            raise DestinationExists(f"{target} already exists.", path=target) from None
        os.replace(temporary, target)
    else:
        os.unlink(temporary)
    fsync_folder(target.parent)


#: errno → (reason, next step) for failed writes.
_OS_REASONS = {
    errno.ENOSPC: ("the disk is full", "Free some space, then try again."),
    errno.EDQUOT: ("the disk quota is used up", "Free some space, then try again."),
    errno.EACCES: (
        "Samplebook is not allowed to write there",
        "Choose a folder you can write to, then try again.",
    ),
    errno.EPERM: (
        "Samplebook is not allowed to write there",
        "Choose a folder you can write to, then try again.",
    ),
    errno.EROFS: ("it is on a read-only disk", "Choose a folder you can write to, then try again."),
    errno.EIO: (
        "the disk reported an input/output error",
        "Check the disk (it may be failing or disconnected), then try again.",
    ),
    errno.ENOENT: ("the folder does not exist", "Choose an existing folder, then try again."),
    errno.ENOTDIR: ("the folder does not exist", "Choose an existing folder, then try again."),
    errno.ENAMETOOLONG: ("the name is too long", "Choose a shorter name, then try again."),
}

#: SQLite's reason → the next step (sqlite_errors gives the reason).
_SQLITE_NEXT_STEPS = {
    "the disk is full": "Free some space, then try again.",
    "the disk reported an input/output error": (
        "Check the disk (it may be failing or disconnected), then try again."
    ),
}
_DEFAULT_NEXT_STEP = "Choose a folder you can write to, then try again."


def describe_os_error(error: BaseException) -> str:
    """A short, human reason for a failed write (an ``OSError`` or a sorted SQLite failure)."""
    if isinstance(error, OSError):
        if error.errno in _OS_REASONS:
            return _OS_REASONS[error.errno][0]
        return error.strerror or str(error)
    return sqlite_errors.reason(error)


def _next_step(error: BaseException) -> str:
    if isinstance(error, OSError):
        return _OS_REASONS.get(error.errno or 0, ("", _DEFAULT_NEXT_STEP))[1]
    return _SQLITE_NEXT_STEPS.get(sqlite_errors.reason(error), _DEFAULT_NEXT_STEP)


@contextlib.contextmanager
def reporting_failures(what: str, original_unchanged: Path | None = None) -> Iterator[None]:
    """Turn the failures of a file operation into the ``DocumentError`` a person reads.

    ``what`` completes "Could not …". OS errors are sorted by errno; SQLite's (also inside
    SQLAlchemy's wrappers) by result code (``sqlite_errors``): write failures become
    ``CannotWrite``, a source that turns out damaged ``DocumentDamaged``, a file another program
    has locked ``DocumentInUse``. Anything else propagates: it is a bug.
    """
    try:
        yield
    except DocumentError:
        raise
    except Exception as error:
        unchanged = (
            f" {original_unchanged.name} is unchanged." if original_unchanged is not None else ""
        )
        failure = (
            sqlite_errors.Failure.CANNOT_WRITE
            if isinstance(error, OSError)
            else sqlite_errors.failure_of(error)
        )
        if failure is sqlite_errors.Failure.CANNOT_WRITE:
            raise CannotWrite(
                f"Could not {what}: {describe_os_error(error)}.{unchanged}",
                _next_step(error),
                path=original_unchanged,
            ) from error
        if failure is sqlite_errors.Failure.DAMAGED:
            raise DocumentDamaged(
                f"Could not {what}: the document is damaged ({sqlite_errors.reason(error)})."
                f"{unchanged}",
                "Make a clean copy of it with Samplebook's repair, or restore a backup.",
                path=original_unchanged,
            ) from error
        if failure is sqlite_errors.Failure.IN_USE:
            raise DocumentInUse(
                f"Could not {what}: another program is using the file right now.{unchanged}",
                "Close the other program, then try again.",
                path=original_unchanged,
            ) from error
        raise
