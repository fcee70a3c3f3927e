"""When and by which Samplebook: the time as documents record it, and the "saved by" stamp."""

from __future__ import annotations

import datetime
import sqlite3

from app import __version__


def now() -> str:
    """The current time as documents record it: UTC to the second, ``2026-12-01 17:04:05+00:00``."""
    return datetime.datetime.now(datetime.UTC).isoformat(sep=" ", timespec="seconds")


def stamp_saved(connection: sqlite3.Connection) -> None:
    """Record in ``document_info`` that this Samplebook wrote the document just now.

    Runs inside the caller's transaction; older releases' messages ("saved by Samplebook 2.2.0")
    rely on it being true.
    """
    connection.execute(
        "UPDATE document_info SET saved_at = ?, saved_by_version = ?", (now(), __version__)
    )
