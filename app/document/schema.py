"""What a document's schema should be, and whether it is.

The reference for every revision is what our migrations actually build, made once per installation
(in the cache folder) by running them on a scratch file. A document whose schema differs from the
reference at its revision — an extra trigger or view, a changed table — is ``tampered``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from app import __version__
from app.paths import cache_dir

SchemaEntry = tuple[str, str, str, str]  # (type, name, tbl_name, normalised sql)

#: Tables SQLite itself may add (ANALYZE statistics); their presence says nothing about tampering.
_IGNORED_PREFIXES = ("sqlite_stat",)


def snapshot(connection: sqlite3.Connection) -> list[SchemaEntry]:
    """The schema objects of ``connection``'s main database, normalised for comparison."""
    rows = connection.execute(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM main.sqlite_schema"
    ).fetchall()
    return sorted(
        (str(kind), str(name), str(table), " ".join(str(sql).split()))
        for kind, name, table, sql in rows
        if not str(name).startswith(_IGNORED_PREFIXES)
    )


def differences(actual: list[SchemaEntry], expected: list[SchemaEntry]) -> list[str]:
    """Human-readable differences, e.g. ``extra trigger 'x'``; empty when equal."""
    actual_set, expected_set = set(actual), set(expected)
    expected_names = {(kind, name) for kind, name, _, _ in expected}
    actual_names = {(kind, name) for kind, name, _, _ in actual}
    found: list[str] = []
    for kind, name, _, _ in sorted(actual_set - expected_set):
        found.append(
            f"changed {kind} '{name}'"
            if (kind, name) in expected_names
            else f"extra {kind} '{name}'"
        )
    for kind, name, _, _ in sorted(expected_set - actual_set):
        if (kind, name) not in actual_names:
            found.append(f"missing {kind} '{name}'")
    return found


def _cache_file(revision: str) -> Path:
    folder = cache_dir() / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{__version__}-{revision}.json"


def reference(revision: str) -> list[SchemaEntry]:
    """The schema our migrations build at ``revision`` (from the cache, or built now)."""
    cached = _cache_file(revision)
    try:
        entries = json.loads(cached.read_text(encoding="utf-8"))
        return [(str(a), str(b), str(c), str(d)) for a, b, c, d in entries]
    except (OSError, ValueError, TypeError):
        pass
    entries = _build_reference(revision)
    temporary = cached.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(entries), encoding="utf-8")
    os.replace(temporary, cached)
    return entries


def _build_reference(revision: str) -> list[SchemaEntry]:
    from app.document import migration  # noqa: PLC0415 - Alembic only when the cache is cold
    from app.document.files import remove_database_file  # noqa: PLC0415

    scratch = cache_dir() / f"reference-{revision}-{os.getpid()}.db"
    remove_database_file(scratch)
    try:
        migration.upgrade_in_place(scratch, target=revision, create=True)
        connection = sqlite3.connect(scratch)
        try:
            return snapshot(connection)
        finally:
            connection.close()
    finally:
        remove_database_file(scratch)
