"""Properties of the document as a whole (the ``document_info`` row)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.document import OpenDocument


def _read_title(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT title FROM document_info WHERE id = 1").fetchone()
    return "" if row is None or row[0] is None else str(row[0])


def title(conn: sqlite3.Connection) -> str:
    """The title the document gives itself ('' when it has none)."""
    return _read_title(conn)


def set_title(doc: OpenDocument, title: str) -> str:
    """Set the title (trimmed); returns the old one, for undo. No change, no transaction."""
    old = _read_title(doc.connection)
    cleaned = " ".join(title.split())
    if cleaned != old:
        with doc.transaction() as conn:
            conn.execute("UPDATE document_info SET title = ? WHERE id = 1", (cleaned,))
    return old
