"""What a file is, found out read-only before anything writes to it.

``inspect(path)`` never creates the file, never writes, never leaves a journal (or a WAL-mode file's
``-shm``) behind, and answers in bounded time: everything it reads from a hostile file is cut off by
a deadline, and nothing in the file's schema runs.
"""

from __future__ import annotations

import enum
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path

from app import __version__
from app.document import advice, releases, schema
from app.document.connections import Deadline, integrity_problems, open_read_only
from app.document.errors import (
    DocumentDamaged,
    DocumentError,
    DocumentInUse,
    DocumentTooNew,
    NotADocument,
)
from app.document.info import Counts, is_plain_table, read_counts, read_info
from app.document.locking import holder_of
from app.document.releases import APPLICATION_ID

SQLITE_HEADER = b"SQLite format 3\x00"
#: Integrity checks get this long plus one second per 50 MB before the file counts as unreadable.
_CHECK_SECONDS = 10.0
_CHECK_BYTES_PER_SECOND = 50 * 1024 * 1024


class State(enum.StrEnum):
    MISSING = "missing"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    NOT_SQLITE = "not_sqlite"
    CORRUPT = "corrupt"
    FOREIGN = "foreign"
    TAMPERED = "tampered"
    NEWER = "newer"
    OUTDATED = "outdated"
    CURRENT = "current"
    LOCKED = "locked"


@dataclass(frozen=True)
class Inspection:
    """Everything ``inspect`` found out about one file."""

    path: Path
    state: State
    message: str
    next_step: str = ""
    revision: str | None = None
    release: str | None = None
    head: str = releases.HEAD_REVISION
    app_version: str = __version__
    created_by: str | None = None
    saved_by: str | None = None
    title: str | None = None
    counts: Counts | None = None
    holder: str | None = None
    problems: list[str] = field(default_factory=list)
    #: A clean copy can be made from it (``samplebook-doc repair``): it is ours but changed outside
    #: Samplebook, lost its mark, or is damaged.
    repairable: bool = False

    def error(self) -> DocumentError:
        """The error to raise when an operation needs a usable document and this is not one."""
        kinds: dict[State, type[DocumentError]] = {
            State.CORRUPT: DocumentDamaged,
            State.TAMPERED: DocumentDamaged,
            State.NEWER: DocumentTooNew,
        }
        if self.state is State.LOCKED:
            return DocumentInUse(self.message, self.next_step, path=self.path, holder=self.holder)
        return kinds.get(self.state, NotADocument)(self.message, self.next_step, path=self.path)

    def as_json(self) -> dict[str, object]:
        counts = None
        if self.counts is not None:
            counts = {
                "samples": self.counts.samples,
                "measurements": self.counts.measurements,
                "tags": self.counts.tags,
            }
        return {
            "path": str(self.path),
            "state": self.state.value,
            "revision": self.revision,
            "release": self.release,
            "head": self.head,
            "app_version": self.app_version,
            "created_by": self.created_by,
            "saved_by": self.saved_by,
            "title": self.title,
            "counts": counts,
            "holder": self.holder,
            "message": self.message,
            "next_step": self.next_step or None,
            "problems": self.problems,
            "repairable": self.repairable,
        }


def _name(path: Path) -> str:
    return f"“{path.name}”"


def inspect(path: Path, *, ignore_holder: bool = False) -> Inspection:
    """Classify ``path`` as one of the eleven states (see ``State``), read-only.

    ``ignore_holder`` classifies a document that another Samplebook holds open as if it did not
    (for opening it read-only: its saved file must pass the same checks).
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
            f"{_name(path)} is not a Samplebook document (it is not a database file at all).",
            "Choose another file.",
        )
    ours = len(header) >= 72 and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    holder = None if ignore_holder else holder_of(path)
    if holder is not None and not holder.is_this_process():
        return Inspection(
            path,
            State.LOCKED,
            f"{_name(path)} is open in {holder.describe()}.",
            "Close it there first, or open it read-only.",
            holder=holder.describe(),
        )
    if _journal_beside(path):
        return Inspection(
            path,
            State.LOCKED,
            f"Another program is writing to {_name(path)} right now, or was interrupted while "
            "writing to it.",
            "Close the other program and try again.",
        )
    # A WAL-mode file is read without locks (see connections.open_read_only): the answer holds only
    # if nobody wrote to it meanwhile.
    wal = len(header) >= 20 and 2 in (header[18], header[19])
    before = _identity(path)
    try:
        found = _classify_database(path, ours)
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return Inspection(
                path,
                State.LOCKED,
                f"Another program is writing to {_name(path)} right now.",
                "Close the other program and try again.",
            )
        return _corrupt(path, [str(error)], ours)
    except sqlite3.DatabaseError as error:
        return _corrupt(path, [str(error)], ours)
    except UnicodeDecodeError as error:
        # SQLite does not check text encodings; Python's sqlite3 fails to decode a damaged name
        # in an error message or a PRAGMA's output.
        return _corrupt(path, [f"it holds text that is not valid UTF-8 ({error.reason})"], ours)
    if wal and (_identity(path) != before or _journal_beside(path)):
        return Inspection(
            path,
            State.LOCKED,
            f"Another program is writing to {_name(path)} right now.",
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
            path, State.MISSING, f"{_name(path)} does not exist.", "Choose another file."
        )
    except OSError as error:
        return _unreadable(path, error.strerror or str(error))
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        return _unreadable(path, f"it is {kind}", "Choose a Samplebook document file instead.")
    if not os.access(path, os.R_OK):
        return _unreadable(path, "Samplebook is not allowed to read it")
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as error:
        return _unreadable(path, error.strerror or str(error))
    if info.st_size == 0:
        return Inspection(
            path,
            State.EMPTY,
            f"{_name(path)} is empty.",
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


def _unreadable(
    path: Path,
    reason: str,
    next_step: str = "Check the file's permissions, or choose another file.",
) -> Inspection:
    return Inspection(path, State.UNREADABLE, f"{_name(path)} cannot be read: {reason}.", next_step)


def _corrupt(path: Path, problems: list[str], ours: bool) -> Inspection:
    """Damaged. Ours (by the application id in its header) means a clean copy can still be made."""
    return Inspection(
        path,
        State.CORRUPT,
        f"{_name(path)} is damaged: the database inside it does not pass SQLite's integrity check.",
        advice.for_damaged(path, repairable=ours),
        problems=problems,
        repairable=ours,
    )


def _tampered(path: Path, problems: list[str], **known: object) -> Inspection:
    return Inspection(
        path,
        State.TAMPERED,
        f"{_name(path)} has been changed outside Samplebook ({problems[0]}), so Samplebook will "
        "not edit it.",
        advice.for_tampered(path),
        problems=problems,
        repairable=True,
        **known,  # type: ignore[arg-type]
    )


def _mark_lost(path: Path, connection: sqlite3.Connection) -> Inspection | None:
    """A copy of one of our documents without our application id, as ``.dump | sqlite3`` makes.

    Only when the schema is exactly ours at a known revision: any other database stays foreign.
    """
    revisions = _stored_revisions(connection)
    if revisions is None or len(revisions) != 1 or not releases.is_known(revisions[0]):
        return None
    revision = revisions[0]
    if schema.mismatches(connection, revision):
        return None
    info = read_info(connection)
    release = releases.release_of(revision)
    return Inspection(
        path,
        State.TAMPERED,
        f"{_name(path)} holds a Samplebook document but has lost Samplebook's mark, as a copy "
        "made with sqlite3's .dump or by another program does, so Samplebook will not edit it.",
        advice.for_tampered(path),
        revision=revision,
        release=release,
        created_by=info.created_by if info else None,
        saved_by=(info.saved_by if info else None) or release,
        title=info.title if info else None,
        counts=read_counts(connection),
        problems=["it lost Samplebook's application id"],
        repairable=True,
    )


def _classify_database(path: Path, ours: bool) -> Inspection:
    connection = open_read_only(path)
    try:
        size = path.stat().st_size
        # One deadline for everything read from the file: a crafted schema cannot make it hang.
        deadline = Deadline(_CHECK_SECONDS + size / _CHECK_BYTES_PER_SECOND)
        remove_deadline = deadline.install(connection)
        try:
            try:
                problems = integrity_problems(connection)
            except sqlite3.OperationalError as error:
                if deadline.expired:
                    return _unreadable(path, "checking it took too long")
                raise sqlite3.DatabaseError(str(error)) from error
            if problems:
                return _corrupt(path, problems, ours)
            return _classify_checked(path, connection, ours)
        except sqlite3.OperationalError:
            if deadline.expired:
                return _unreadable(path, "checking it took too long")
            raise
        finally:
            remove_deadline()
    finally:
        connection.close()


def _classify_checked(path: Path, connection: sqlite3.Connection, ours: bool) -> Inspection:
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    if not ours or application_id != APPLICATION_ID:
        lost = _mark_lost(path, connection) if application_id == 0 else None
        if lost is not None:
            return lost
        return Inspection(
            path,
            State.FOREIGN,
            f"{_name(path)} is a database made by another program, not a Samplebook document.",
            "Choose another file.",
        )
    return _classify_ours(path, connection)


def _newer(path: Path, connection: sqlite3.Connection, revision: str) -> Inspection:
    try:
        info = read_info(connection)
    except sqlite3.DatabaseError:  # a newer release may have changed document_info
        info = None
    saved_by = info.saved_by if info else None
    if advice.is_newer_than_this_build(saved_by):
        message = (
            f"{_name(path)} was saved by Samplebook {saved_by}; this is Samplebook {__version__}, "
            "which cannot edit it."
        )
    else:  # no version recorded, or one that is not newer: only the format says it is newer
        message = (
            f"{_name(path)} was saved by a newer Samplebook (its format is unknown to "
            f"{__version__}); this Samplebook cannot edit it."
        )
    return Inspection(
        path,
        State.NEWER,
        message,
        "Update Samplebook to open it, or open it read-only.",
        revision=revision,
        created_by=info.created_by if info else None,
        saved_by=saved_by,
        title=info.title if info else None,
        counts=read_counts(connection),
    )


def _classify_ours(path: Path, connection: sqlite3.Connection) -> Inspection:
    revisions = _stored_revisions(connection)
    if revisions is None or len(revisions) != 1:
        what = "no schema revision" if not revisions else "more than one schema revision"
        return _tampered(path, [f"it records {what}"])
    revision = revisions[0]
    if not releases.is_known(revision):
        return _newer(path, connection, revision)
    # The schema first: nothing else is read from a document until its tables are known to be ours.
    mismatches = schema.mismatches(connection, revision)
    try:
        info = read_info(connection)
    except sqlite3.DatabaseError:
        if not mismatches:
            raise
        info = None
    release = releases.release_of(revision)
    saved_by = info.saved_by if info else None
    known: dict[str, object] = {
        "revision": revision,
        "release": release,
        "created_by": info.created_by if info else None,
        "saved_by": saved_by or release,
        "title": info.title if info else None,
    }
    if mismatches:
        return _tampered(path, mismatches, **known)
    counts = read_counts(connection)
    if revision == releases.HEAD_REVISION:
        return Inspection(
            path,
            State.CURRENT,
            f"{_name(path)} is a current Samplebook document.",
            counts=counts,
            **known,  # type: ignore[arg-type]
        )
    return Inspection(
        path,
        State.OUTDATED,
        f"{_name(path)} was saved by Samplebook {saved_by or release}; it will be upgraded to "
        f"the {releases.HEAD_RELEASE} format, which older releases cannot open.",
        "Upgrade it (a backup is made first).",
        counts=counts,
        **known,  # type: ignore[arg-type]
    )


def _stored_revisions(connection: sqlite3.Connection) -> list[str] | None:
    """The revisions in ``alembic_version``; ``None`` unless it is a plain table that has them."""
    if not is_plain_table(connection, "alembic_version"):
        return None
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError:
        return None
    return [str(row[0]) for row in rows]
