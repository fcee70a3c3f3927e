"""What a file is, found out read-only before anything writes to it.

``inspect(path)`` never creates the file, never writes, never leaves a journal (or a WAL-mode file's
``-shm``) behind, and answers in bounded time: everything it reads from a hostile file is cut off by
a deadline, and nothing in the file's schema runs.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

from app.document.inspection import Inspection, State, quoted_name, unreadable
from app.document.locking import holder_of
from app.document.releases import APPLICATION_ID
from app.document.verdicts import CheckProgress, Watch, classify_database, corrupt

__all__ = ["Inspection", "State", "inspect"]

SQLITE_HEADER = b"SQLite format 3\x00"


def inspect(
    path: Path,
    *,
    ignore_holder: bool = False,
    progress: CheckProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
    peek: Callable[[Inspection], None] | None = None,
) -> Inspection:
    """Classify ``path`` as one of the eleven states (see ``State``), read-only.

    ``ignore_holder`` classifies a document that another Samplebook holds open as if it did not
    (for opening it read-only: its saved file must pass the same checks).

    A file this Samplebook fully checked or wrote, unchanged since (``app.document.verified``),
    gets the cheap checks only; any other gets SQLite's full integrity check, which on a large
    file takes a while: ``progress(done, total)`` hears how far it is (an estimate),
    ``cancelled()`` can stop it (``InspectionCancelled``), and ``peek`` gets what the file says it
    is (title, counts) before the check begins, as a provisional answer.
    """
    path = Path(path)
    early = _classify_file(path)
    if early is not None:
        return early
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER):
        return Inspection(
            path,
            State.NOT_SQLITE,
            f"{quoted_name(path)} is not a Samplebook document (it is not a database file at all).",
            "Choose another file.",
        )
    ours = len(header) >= 72 and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    holder = None if ignore_holder else holder_of(path)
    if holder is not None and not holder.is_this_process():
        return Inspection(
            path,
            State.LOCKED,
            f"{quoted_name(path)} is open in {holder.describe()}.",
            "Close it there first, or open it read-only.",
            holder=holder.describe(),
        )
    if _journal_beside(path):
        return Inspection(
            path,
            State.LOCKED,
            f"Another program is writing to {quoted_name(path)} right now, or was interrupted while "
            "writing to it.",
            "Close the other program and try again.",
        )
    # A WAL-mode file is read without locks (see connections.open_read_only): the answer holds only
    # if nobody wrote to it meanwhile.
    wal = len(header) >= 20 and 2 in (header[18], header[19])
    before = _identity(path)
    try:
        found = classify_database(path, ours, header, Watch(progress, cancelled, peek))
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return Inspection(
                path,
                State.LOCKED,
                f"Another program is writing to {quoted_name(path)} right now.",
                "Close the other program and try again.",
            )
        return corrupt(path, [str(error)], ours)
    except sqlite3.DatabaseError as error:
        return corrupt(path, [str(error)], ours)
    except UnicodeDecodeError as error:
        # SQLite does not check text encodings; Python's sqlite3 fails to decode a damaged name
        # in an error message or a PRAGMA's output.
        return corrupt(path, [f"it holds text that is not valid UTF-8 ({error.reason})"], ours)
    if wal and (_identity(path) != before or _journal_beside(path)):
        return Inspection(
            path,
            State.LOCKED,
            f"Another program is writing to {quoted_name(path)} right now.",
            "Close the other program and try again.",
        )
    return found


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _classify_file(path: Path) -> Inspection | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return Inspection(
            path, State.MISSING, f"{quoted_name(path)} does not exist.", "Choose another file."
        )
    except OSError as error:
        return unreadable(path, error.strerror or str(error))
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        return unreadable(path, f"it is {kind}", "Choose a Samplebook document file instead.")
    if not os.access(path, os.R_OK):
        return unreadable(path, "Samplebook is not allowed to read it")
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as error:
        return unreadable(path, error.strerror or str(error))
    if info.st_size == 0:
        return Inspection(
            path,
            State.EMPTY,
            f"{quoted_name(path)} is empty.",
            "Make it a new Samplebook document, or choose another file.",
        )
    return None


def _journal_beside(path: Path) -> bool:
    for suffix in ("-journal", "-wal"):
        try:
            if Path(f"{path}{suffix}").stat().st_size > 0:
                return True
        except OSError:
            continue
    return False
