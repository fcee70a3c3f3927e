"""The verdict on a database file: its schema object by object, then SQLite's full check.

Called by ``inspect`` once the file is known to be a SQLite database nobody is writing. The schema
is checked first (cheap, and nothing is read from a document's tables before its tables are known
to be ours); then, unless this version of the file was verified before (``app.document.verified``),
SQLite's full integrity check, with progress and a way to cancel it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.document import advice, releases, schema, verified
from app.document.connections import Deadline, integrity_problems, open_read_only
from app.document.errors import InspectionCancelled
from app.document.info import is_plain_table, read_counts, read_info
from app.document.inspection import Inspection, State, quoted_name, unreadable
from app.document.releases import APPLICATION_ID

CheckProgress = Callable[[int, int], None]  # (done, total) of a full check, an estimate
#: Integrity checks get this long plus one second per 50 MB before the file counts as unreadable.
_CHECK_SECONDS = 10.0
_CHECK_BYTES_PER_SECOND = 50 * 1024 * 1024


def corrupt(path: Path, problems: list[str], ours: bool) -> Inspection:
    """Damaged. Ours (by the application id in its header) means a clean copy can still be made."""
    return Inspection(
        path,
        State.CORRUPT,
        f"{quoted_name(path)} is damaged: the database inside it does not pass SQLite's integrity check.",
        advice.for_damaged(path, repairable=ours),
        problems=problems,
        repairable=ours,
    )


def _tampered(path: Path, problems: list[str], **known: object) -> Inspection:
    return Inspection(
        path,
        State.TAMPERED,
        f"{quoted_name(path)} has been changed outside Samplebook ({problems[0]}), so Samplebook will "
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
        f"{quoted_name(path)} holds a Samplebook document but has lost Samplebook's mark, as a copy "
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


@dataclass(frozen=True)
class Watch:
    """Who follows a full check: its progress, a way to cancel it, the provisional answer."""

    progress: CheckProgress | None
    cancelled: Callable[[], bool] | None
    peek: Callable[[Inspection], None] | None


def classify_database(path: Path, ours: bool, header: bytes, watch: Watch) -> Inspection:
    connection = open_read_only(path)
    try:
        size = path.stat().st_size
        print_before = verified.fingerprint(path, header)
        trusted = verified.is_verified(path, print_before)
        estimate = _check_ticks(size, header)
        ticks = 0

        def tick() -> None:
            nonlocal ticks
            ticks += 1
            if watch.progress is not None and ticks % 16 == 0:
                watch.progress(min(ticks * 1000 // estimate, 990), 1000)

        # One deadline for everything read from the file: a crafted schema cannot make it hang.
        deadline = Deadline(
            _CHECK_SECONDS + size / _CHECK_BYTES_PER_SECOND,
            cancelled=watch.cancelled,
            on_tick=None if trusted else tick,
        )
        remove_deadline = deadline.install(connection, every=_TICK)
        try:
            return _check(
                path,
                connection,
                ours=ours,
                trusted=trusted,
                deadline=deadline,
                watch=watch,
                print_before=print_before,
            )
        except sqlite3.OperationalError as error:
            if deadline.cancelled:
                raise InspectionCancelled(path) from error
            if deadline.expired:
                return unreadable(path, "checking it took too long")
            raise
        finally:
            remove_deadline()
    finally:
        connection.close()


def _check(
    path: Path,
    connection: sqlite3.Connection,
    *,
    ours: bool,
    trusted: bool,
    deadline: Deadline,
    watch: Watch,
    print_before: verified.Fingerprint | None,
) -> Inspection:
    """The schema first (cheap), then — unless this version was verified — the full check."""
    failure: Exception | None = None
    provisional: Inspection | None = None
    try:
        provisional = _classify_checked(path, connection, ours)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        if deadline.cancelled or deadline.expired:
            raise
        failure = error  # damage shows in the full check below, which says it better
    if trusted and provisional is not None:
        return provisional
    if provisional is not None and watch.peek is not None:
        watch.peek(provisional)
    if watch.cancelled is not None and watch.cancelled():
        raise InspectionCancelled(path)
    try:
        problems = integrity_problems(connection)
    except sqlite3.OperationalError as error:
        if deadline.cancelled or deadline.expired:
            raise
        raise sqlite3.DatabaseError(str(error)) from error
    if problems:
        return corrupt(path, problems, ours)
    if failure is not None:
        raise failure
    assert provisional is not None
    if watch.progress is not None:
        watch.progress(1000, 1000)
    if provisional.state in _REMEMBERED and _same_version(path, print_before):
        verified.remember(path, print_before)
    return provisional


#: States worth remembering a full check of (the next inspection of them skips it).
_REMEMBERED = (State.CURRENT, State.OUTDATED, State.NEWER, State.TAMPERED)
#: SQLite calls the progress handler every this many virtual-machine steps.
_TICK = 1000
#: Progress-handler calls an integrity check makes per page, about (measured: 0.3 to 0.4).
_TICKS_PER_PAGE = 0.35


def _check_ticks(size: int, header: bytes) -> int:
    """About how many times a full check of this file calls the progress handler."""
    page_size = int.from_bytes(header[16:18], "big") if len(header) >= 18 else 4096
    page_size = 65536 if page_size == 1 else max(page_size, 512)
    return max(1, int(size / page_size * _TICKS_PER_PAGE))


def _same_version(path: Path, before: verified.Fingerprint | None) -> bool:
    """The file is still the version whose fingerprint was taken before it was checked."""
    now = verified.fingerprint(path, b"")
    return (
        before is not None
        and now is not None
        and (now.device, now.inode, now.size, now.modified_ns, now.changed_ns)
        == (before.device, before.inode, before.size, before.modified_ns, before.changed_ns)
    )


def _classify_checked(path: Path, connection: sqlite3.Connection, ours: bool) -> Inspection:
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    if not ours or application_id != APPLICATION_ID:
        lost = _mark_lost(path, connection) if application_id == 0 else None
        if lost is not None:
            return lost
        return Inspection(
            path,
            State.FOREIGN,
            f"{quoted_name(path)} is a database made by another program, not a Samplebook document.",
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
            f"{quoted_name(path)} was saved by Samplebook {saved_by}; this is Samplebook {__version__}, "
            "which cannot edit it."
        )
    else:  # no version recorded, or one that is not newer: only the format says it is newer
        message = (
            f"{quoted_name(path)} was saved by a newer Samplebook (its format is unknown to "
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
            f"{quoted_name(path)} is a current Samplebook document.",
            counts=counts,
            **known,  # type: ignore[arg-type]
        )
    return Inspection(
        path,
        State.OUTDATED,
        f"{quoted_name(path)} was saved by Samplebook {saved_by or release}; it will be upgraded to "
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
