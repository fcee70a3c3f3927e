"""Is this a sound document at head? The one check of every document Samplebook has just made.

A template, an upgraded copy, an export and a clean copy are all checked the same way before they
take a name a person sees: the database passes SQLite's integrity check, it carries Samplebook's
application id, it records exactly the head revision, its schema is what the migrations build at
head, and (where rows were copied in) no row refers to one that is not there. A failure here is not
the person's doing but a bug of ours (``SelfCheckFailed``): the original is unchanged and the log has
the details.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.document import releases, schema
from app.document.connections import (
    foreign_key_problems,
    integrity_problems,
    open_read_only,
    quick_check_problems,
)
from app.document.errors import SelfCheckFailed
from app.document.releases import APPLICATION_ID


def integrity_of(path: Path) -> list[str]:
    """What SQLite's integrity check finds in the database at ``path`` (empty when sound)."""
    connection = open_read_only(path)
    try:
        return integrity_problems(connection)
    finally:
        connection.close()


def copy_problems(path: Path) -> list[str]:
    """What ``quick_check`` finds in a fresh copy (``files.copy_database``, VACUUM INTO)
    of a verified file: every page and cell is read; whether indexes match their tables was known
    of the source already (``app.document.verified``)."""
    connection = open_read_only(path)
    try:
        return quick_check_problems(connection)
    finally:
        connection.close()


def copy_differences(source: sqlite3.Connection, copy: Path) -> list[str]:
    """How a copy of ``source`` (``files.copy_database``) differs from it, judged from headers.

    The copy holds every page as it is; what can go wrong is a copy cut short or written over by
    something else, which the page count, free-page count, application id and user version show
    without reading the pages again (the schema cookie is not compared: a backup-API copy, as a
    WAL-mode file gets, bumps the copy's own). (Reading a just-written file back mostly reads the
    operating system's cache, not the disk, so a second full pass would prove little more.)
    """
    facts = ("page_count", "freelist_count", "application_id", "user_version")
    wanted = [source.execute(f"PRAGMA {fact}").fetchone()[0] for fact in facts]
    connection = open_read_only(copy)
    try:
        found = [connection.execute(f"PRAGMA {fact}").fetchone()[0] for fact in facts]
    finally:
        connection.close()
    return [
        f"its {fact.replace('_', ' ')} is {value}, not {expected}"
        for fact, value, expected in zip(facts, found, wanted, strict=True)
        if value != expected
    ]


def head_problems(
    path: Path,
    *,
    foreign_keys: bool = True,
    revision: str = releases.HEAD_REVISION,
    thorough: bool = True,
) -> list[str]:
    """Why the database at ``path`` is not a sound document at ``revision`` (empty when it is).

    Head by default; a template of an older revision (for a clean copy read in its own format)
    is checked the same way against that revision's recorded schema. ``thorough=False`` reads
    every page (``quick_check``) without matching indexes to tables: for a copy SQLite itself made
    page by page from a checked file.
    """
    connection = open_read_only(path)
    try:
        problems = (integrity_problems if thorough else quick_check_problems)(connection)
        if problems:
            return problems
        if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return ["it lost Samplebook's application id"]
        revisions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if revisions != [(revision,)]:
            return [f"it records the revisions {[row[0] for row in revisions]}"]
        problems = schema.mismatches(connection, revision)
        if foreign_keys:
            problems += [
                f"{row[0]} row {row[1]} refers to a missing {row[2]}"
                for row in foreign_key_problems(connection)
            ]
        return problems
    finally:
        connection.close()


def is_sound_head_document(path: Path, revision: str = releases.HEAD_REVISION) -> bool:
    """``head_problems`` is empty; a file that cannot even be read is not sound either."""
    try:
        return not head_problems(path, revision=revision)
    except (OSError, sqlite3.Error):
        return False


def check_head_document(
    path: Path,
    what: str,
    next_step: str | None = None,
    *,
    foreign_keys: bool = True,
    thorough: bool = True,
) -> None:
    """Raise ``SelfCheckFailed`` (naming ``what``, e.g. "The upgraded copy") unless sound."""
    problems = head_problems(path, foreign_keys=foreign_keys, thorough=thorough)
    if problems:
        message = f"{what} did not pass its checks ({problems[0]})."
        if next_step is None:
            raise SelfCheckFailed(message, path=path)
        raise SelfCheckFailed(message, next_step, path=path)
