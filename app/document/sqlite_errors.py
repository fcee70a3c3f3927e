"""Sorting SQLite failures by their result code: a person's problem, or a bug.

Like qutebrowser's ``misc/sql.py`` (KnownError vs BugError), the decision is made from
``sqlite_errorcode`` (Python ≥ 3.11), never by searching message text, which changes between SQLite
releases and translations. Errors SQLAlchemy wrapped (``DBAPIError.orig``, also the ``__cause__``)
are sorted by the SQLite error inside them, so an upgrade's migration failing for a full disk is a
full disk, not an internal error. Everything not sorted here is a bug.

The one failure that has no SQLite code is text that is not valid UTF-8: Python's sqlite3 module
(not SQLite) raises it while decoding a value, and a Samplebook document never holds such text, so
it means the file is damaged.
"""

from __future__ import annotations

import enum
import sqlite3

#: Primary result codes (the low byte of an extended code such as SQLITE_IOERR_WRITE).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_TOOBIG = 18
_SQLITE_NOTADB = 26

#: What Python's sqlite3 module says when a stored text is not UTF-8 (it carries no SQLite code).
_UNDECODABLE_TEXT = "Could not decode to UTF-8"


class Failure(enum.Enum):
    """What a SQLite failure means for the person whose file it is."""

    #: The write did not happen: disk full, read-only place, I/O error, not allowed, cannot create.
    CANNOT_WRITE = "cannot_write"
    #: The file cannot be read as a sound database (or holds more than any document could).
    DAMAGED = "damaged"
    #: Another connection holds a lock on the file.
    IN_USE = "in_use"


_BY_CODE = {
    _SQLITE_FULL: Failure.CANNOT_WRITE,
    _SQLITE_IOERR: Failure.CANNOT_WRITE,
    _SQLITE_READONLY: Failure.CANNOT_WRITE,
    _SQLITE_CANTOPEN: Failure.CANNOT_WRITE,
    _SQLITE_PERM: Failure.CANNOT_WRITE,
    _SQLITE_CORRUPT: Failure.DAMAGED,
    _SQLITE_NOTADB: Failure.DAMAGED,
    # A value larger than the limits set for untrusted files: no document Samplebook wrote has one.
    _SQLITE_TOOBIG: Failure.DAMAGED,
    _SQLITE_BUSY: Failure.IN_USE,
    _SQLITE_LOCKED: Failure.IN_USE,
}

#: Short reasons for a sentence ("Could not save “X”: the disk is full.").
_REASONS = {
    _SQLITE_FULL: "the disk is full",
    _SQLITE_IOERR: "the disk reported an input/output error",
    _SQLITE_READONLY: "it is on a read-only disk or in a read-only file",
    _SQLITE_CANTOPEN: "the file could not be created or opened there",
    _SQLITE_PERM: "Samplebook is not allowed to write there",
    _SQLITE_CORRUPT: "the database inside it is damaged",
    _SQLITE_NOTADB: "it is not a database file",
    _SQLITE_TOOBIG: "it holds a value larger than any Samplebook document can",
    _SQLITE_BUSY: "another program is using it",
    _SQLITE_LOCKED: "another program is using it",
}


def sqlite_error_in(error: BaseException) -> sqlite3.Error | None:
    """The ``sqlite3.Error`` behind ``error``: itself, SQLAlchemy's ``.orig``, or its cause."""
    for link in _chain(error):
        if isinstance(link, sqlite3.Error):
            return link
        original = getattr(link, "orig", None)  # sqlalchemy.exc.DBAPIError, without importing it
        if isinstance(original, sqlite3.Error):
            return original
    return None


def _chain(error: BaseException) -> list[BaseException]:
    links: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in links:
        links.append(current)
        current = current.__cause__
    return links


def primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def failure_of(error: BaseException) -> Failure | None:
    """How to treat ``error``; ``None`` means it is a bug (or not a SQLite failure at all)."""
    if is_undecodable_text(error):
        return Failure.DAMAGED
    found = sqlite_error_in(error)
    code = None if found is None else primary_code(found)
    return None if code is None else _BY_CODE.get(code)


def is_undecodable_text(error: BaseException) -> bool:
    """Python's sqlite3 could not decode a stored text as UTF-8 (no SQLite code exists for it)."""
    if any(isinstance(link, UnicodeDecodeError) for link in _chain(error)):
        return True
    found = sqlite_error_in(error)
    return (
        found is not None
        and primary_code(found) is None
        and str(found).startswith(_UNDECODABLE_TEXT)
    )


def reason(error: BaseException) -> str:
    """A short reason a person understands, for a sorted failure."""
    found = sqlite_error_in(error)
    if found is not None:
        code = primary_code(found)
        if code in _REASONS:
            return _REASONS[code]
        if code is None and is_undecodable_text(found):
            return "it holds text that is not valid UTF-8"
        return getattr(found, "sqlite_errorname", None) or str(found)
    if is_undecodable_text(error):
        return "it holds text that is not valid UTF-8"
    return str(error)
