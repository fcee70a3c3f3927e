"""Careful file operations: database copies through the backup API, fsync, atomic replacement.

Never copy a database with a plain file copy (a hot journal makes the copy corrupt), and never run
``Connection.backup()`` from a connection inside a write transaction (it spins forever).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from app.document.connections import integrity_problems, open_read_only, open_read_write
from app.document.errors import CannotWrite, DestinationExists

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
    return target.with_name(f".{target.name}.{purpose}-{secrets.token_hex(4)}.tmp")


def remove_database_file(path: Path) -> None:
    """Delete a (temporary) database and any journal beside it; missing files are fine."""
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in _JOURNAL_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
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


def copy_from_connection(
    source: sqlite3.Connection, destination: Path, progress: CopyProgress | None = None
) -> None:
    """Copy an open database to a new file at ``destination`` with the backup API, then fsync.

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
    fsync_file(destination)


def copy_database(source: Path, destination: Path, progress: CopyProgress | None = None) -> None:
    """Copy the document at ``source`` (opened read-only) to a new file ``destination``."""
    connection = open_read_only(source)
    try:
        copy_from_connection(connection, destination, progress)
    finally:
        connection.close()


def check_copy(path: Path) -> list[str]:
    """Integrity problems of a copy we just made (empty when sound)."""
    connection = open_read_only(path)
    try:
        return integrity_problems(connection)
    finally:
        connection.close()


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


def describe_os_error(error: BaseException) -> str:
    """A short, human reason for a failed write."""
    if isinstance(error, OSError):
        reasons = {
            errno.ENOSPC: "the disk is full",
            errno.EDQUOT: "the disk quota is used up",
            errno.EACCES: "Samplebook is not allowed to write there",
            errno.EPERM: "Samplebook is not allowed to write there",
            errno.EROFS: "it is on a read-only disk",
            errno.EIO: "the disk reported an input/output error",
        }
        if error.errno in reasons:
            return reasons[error.errno]
        return error.strerror or str(error)
    text = str(error).lower()
    if "full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return "Samplebook is not allowed to write there"
    if "disk i/o" in text:
        return "the disk reported an input/output error"
    return str(error)


@contextlib.contextmanager
def writing(what: str, original_unchanged: Path | None = None) -> Iterator[None]:
    """Turn write failures (OSError, SQLite I/O errors) into a ``CannotWrite`` a person can read."""
    try:
        yield
    except (OSError, sqlite3.OperationalError, sqlite3.DatabaseError) as error:
        if isinstance(error, sqlite3.DatabaseError) and not _is_write_failure(error):
            raise
        unchanged = (
            f" {original_unchanged.name} is unchanged." if original_unchanged is not None else ""
        )
        raise CannotWrite(
            f"Could not {what}: {describe_os_error(error)}.{unchanged}",
            "Free some space or choose a folder you can write to, then try again.",
            path=original_unchanged,
        ) from error


def _is_write_failure(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return any(
        phrase in text
        for phrase in ("full", "readonly", "read-only", "unable to open", "disk i/o", "i/o error")
    )
