"""How tag names compare: trimmed, whitespace collapsed, NFC, folded with Python's casefold.

SQLite's NOCASE collation (on ``tag.name``) only folds ASCII, so "Écume" and "écume" would be two
tags; every lookup by name therefore happens in Python over all tags (a document has few).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable


def clean_tag(name: str) -> str:
    """The name as stored: NFC, trimmed, inner runs of whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def fold(name: str) -> str:
    """The key two names share when they are the same tag."""
    return clean_tag(name).casefold()


def _sort_key(name: str) -> tuple[str, str, str]:
    # Accents dropped first so "écume" sorts among the e's rather than after "z" (code point
    # order); then folded, then exact, so the order is total and stable.
    folded = fold(name)
    decomposed = unicodedata.normalize("NFKD", folded)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return base, folded, name


def sorted_names(names: Iterable[str]) -> list[str]:
    """Names in the order people expect: ignoring case and accents, ties broken by exact text."""
    return sorted(names, key=_sort_key)


def tag_index(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Folded name → (id, stored name) of every tag.

    Documents from before names were folded may hold two tags that fold alike; the oldest wins.
    """
    index: dict[str, tuple[int, str]] = {}
    for tag_id, name in conn.execute("SELECT id, name FROM tag ORDER BY id"):
        index.setdefault(fold(name), (int(tag_id), str(name)))
    return index
