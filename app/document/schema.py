"""What a document's schema should be, and whether it is.

Every row of ``sqlite_schema`` is accounted for. The reference at each revision is what our migrations
build, recorded verbatim in ``known_schemas.py`` (a test rebuilds it). An object whose SQL text is the
recorded text is what the migrations made. Any other text is compared by structure — for a table its
columns (declared type, nullability, default, key position, collation), constraints (names, unique,
check expressions in canonical form), options, foreign keys with their actions and the indexes its
constraints create; for an index its columns, uniqueness and WHERE clause; for a view or trigger its
canonical tokens — so a library that renders the same DDL differently does not make documents look
changed. The facts SQLite itself reports (``pragma_table_xinfo``, ``pragma_foreign_key_list``,
``pragma_index_list``/``pragma_index_xinfo``) are compared too, so a statement SQLite reads differently
from our tokenizer cannot pass.

The only objects allowed beyond the reference are those SQLite makes itself, in exactly its form:
``sqlite_sequence`` and ANALYZE's ``sqlite_stat1``/``sqlite_stat4`` tables, and the
``sqlite_autoindex_*`` indexes of a known table's constraints. SQLite refuses ``CREATE … sqlite_*``
but loads such objects from a file edited with ``writable_schema``: a name proves nothing, so any other
trigger, view, index or table (``sqlite_`` name or not) is reported.

Only the reference's own tables are ever looked at with PRAGMAs, and only when they are plain tables:
an unknown object is reported by its row alone, and nothing in a document's schema is ever run.
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections import Counter
from collections.abc import Hashable, Iterable
from pathlib import Path

from app.document.schema_objects import (
    SQLITE_OWN_TABLES,
    autoindex_names,
    kind_of,
    read_rows,
    shown,
    structure,
    what_changed,
)

SchemaEntry = tuple[str, str, str, str]  # (type, name, tbl_name, sql as stored; "" for none)

#: More objects than any real document has: beyond this the schema is not examined object by object.
MAX_OBJECTS = 1000


# --------------------------------------------------------------------------------------------------
# The reference


@functools.cache
def _recorded(revision: str) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(type, name) → (tbl_name, sql) as the migrations build them at ``revision``."""
    from app.document.known_schemas import SCHEMAS  # noqa: PLC0415 - large literal, load on use

    return {(kind, name): (table, sql or None) for kind, name, table, sql in SCHEMAS[revision]}


def reference(revision: str) -> list[SchemaEntry]:
    """The schema our migrations build at ``revision``: (type, name, tbl_name, sql) rows.

    The recorded texts keep Alembic off the path of opening a document and pin what released builds
    wrote; ``structure`` makes the comparison indifferent to how a later library renders them.
    """
    from app.document.known_schemas import SCHEMAS  # noqa: PLC0415

    return [(kind, name, table, sql) for kind, name, table, sql in SCHEMAS[revision]]


def _load(entries: Iterable[SchemaEntry]) -> sqlite3.Connection:
    """An in-memory database holding exactly ``entries`` (tables first, as SQLite needs them)."""
    order = {"table": 0, "index": 1, "view": 2, "trigger": 3}
    memory = sqlite3.connect(":memory:", isolation_level=None)
    for _kind, name, _table, sql in sorted(entries, key=lambda entry: order.get(entry[0], 4)):
        if sql and name not in SQLITE_OWN_TABLES:
            memory.execute(sql)
    return memory


@functools.cache
def _reference_structures(revision: str) -> dict[tuple[str, str], Hashable]:
    memory = _load(reference(revision))
    try:
        return {(row.type, row.name): structure(memory, row) for row in read_rows(memory)}
    finally:
        memory.close()


# --------------------------------------------------------------------------------------------------
# Comparing


def mismatches(connection: sqlite3.Connection, revision: str) -> list[str]:
    """How the schema of ``connection`` differs from the reference at ``revision``, for people.

    Empty when it is exactly what the migrations build (plus SQLite's own objects).
    """
    rows = read_rows(connection)
    if len(rows) > MAX_OBJECTS:
        return [f"it holds {len(rows)} schema objects"]
    expected = _recorded(revision)
    problems: list[str] = []
    counts = Counter((row.type, row.name) for row in rows)
    problems.extend(
        f"duplicate {kind} {shown(name)}" for (kind, name), count in counts.items() if count > 1
    )
    found_autoindexes: dict[str, set[str]] = {}
    # Tables with the same structure but other text: their autoindexes may be numbered differently.
    rebuilt_tables: set[str] = set()
    for row in rows:
        if row.is_sqlite_own:
            continue
        if row.is_autoindex:
            found_autoindexes.setdefault(row.table, set()).add(row.name)
            continue
        entry = expected.get((row.type, row.name))
        if entry is None:
            problems.append(f"extra {kind_of(row)} {shown(row.name)}")
        elif entry[0] != row.table or entry[1] is None or row.sql is None:
            problems.append(f"changed {kind_of(row)} {shown(row.name)}")
        elif row.sql != entry[1]:
            found = structure(connection, row)
            wanted = _reference_structures(revision)[(row.type, row.name)]
            if found != wanted:
                changed = what_changed(found, wanted)
                problems.append(f"changed {kind_of(row)} {shown(row.name)}{changed}")
            elif row.type == "table":
                rebuilt_tables.add(row.name)
    problems.extend(
        f"missing {kind} {shown(name)}"
        for (kind, name), (_table, sql) in expected.items()
        if sql is not None and (kind, name) not in counts
    )
    problems.extend(_autoindex_problems(connection, expected, found_autoindexes, rebuilt_tables))
    return problems


def _autoindex_problems(
    connection: sqlite3.Connection,
    expected: dict[tuple[str, str], tuple[str, str | None]],
    found: dict[str, set[str]],
    rebuilt_tables: set[str],
) -> list[str]:
    """Constraint indexes must belong to a constraint of a known table (see ``structure``)."""
    wanted: dict[str, set[str]] = {}
    for (kind, name), (table, sql) in expected.items():
        if kind == "index" and sql is None:
            wanted.setdefault(table, set()).add(name)
    problems: list[str] = []
    for table in sorted(set(wanted) | set(found)):
        have, want = found.get(table, set()), wanted.get(table, set())
        if have == want:
            continue
        if table in rebuilt_tables and have == autoindex_names(connection, table):
            continue  # the table's constraint indexes were compared with its structure
        problems.extend(f"extra index {shown(name)}" for name in sorted(have - want))
        problems.extend(f"missing index {shown(name)}" for name in sorted(want - have))
    return problems


def snapshot(connection: sqlite3.Connection) -> tuple[Hashable, ...]:
    """The whole schema of ``connection`` by structure (equal for equal schemas, however written)."""
    found: list[Hashable] = []
    for row in read_rows(connection):
        if row.is_sqlite_own:
            continue
        if row.is_autoindex:
            found.append(("autoindex", row.table))
        else:
            found.append((row.type, row.name, row.table, structure(connection, row)))
    return tuple(sorted(found, key=repr))


def snapshot_of(entries: Iterable[SchemaEntry]) -> tuple[Hashable, ...]:
    """``snapshot`` of a database holding ``entries`` (a recorded schema)."""
    memory = _load(entries)
    try:
        return snapshot(memory)
    finally:
        memory.close()


# --------------------------------------------------------------------------------------------------
# Recording (authors and tests only)


@functools.cache
def _migrated(revision: str) -> tuple[list[SchemaEntry], tuple[Hashable, ...]]:
    import tempfile  # noqa: PLC0415 - start-up: recording is for authors and tests only

    from app.document import migration  # noqa: PLC0415 - Alembic only for authors and tests
    from app.document.files import remove_database_file  # noqa: PLC0415

    scratch = Path(tempfile.mkdtemp(prefix="samplebook-schema-")) / f"{revision}.db"
    try:
        migration.upgrade_in_place(scratch, target=revision, create=True)
        connection = sqlite3.connect(scratch)
        try:
            # SQLite's own tables (sqlite_sequence of an AUTOINCREMENT table) are allowed extras
            # in any document, never part of what the migrations build.
            entries = sorted(
                (row.type, row.name, row.table, row.sql or "")
                for row in read_rows(connection)
                if not row.is_sqlite_own
            )
            return entries, snapshot(connection)
        finally:
            connection.close()
    finally:
        remove_database_file(scratch)
        scratch.parent.rmdir()


def build_reference(revision: str) -> list[SchemaEntry]:
    """Run the migrations up to ``revision`` on a scratch file: its schema rows, SQL verbatim."""
    return list(_migrated(revision)[0])


def build_snapshot(revision: str) -> tuple[Hashable, ...]:
    """``snapshot`` of a scratch file the migrations brought to ``revision``."""
    return _migrated(revision)[1]


def write_known_schemas(target: Path) -> None:
    """Regenerate ``known_schemas.py`` from the migrations (after adding a revision)."""
    import subprocess  # noqa: PLC0415 - start-up: recording is for authors and tests only

    from app.document.releases import RELEASE_OF_REVISION  # noqa: PLC0415

    lines = [
        '"""Generated by ``python -m app.document.schema``: what the migrations build at each',
        "revision, SQL as SQLite stores it (see app.document.schema.reference). Do not edit by hand.",
        '"""',
        "",
        "SCHEMAS: dict[str, list[tuple[str, str, str, str]]] = {",
    ]
    for revision in RELEASE_OF_REVISION:
        lines.append(f"    {revision!r}: [")
        lines.extend(f"        {entry!r}," for entry in build_reference(revision))
        lines.append("    ],")
    lines.append("}")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The project's formatter, so `ruff format --check` stays clean after regenerating.
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(target)], check=False)


if __name__ == "__main__":
    write_known_schemas(Path(__file__).with_name("known_schemas.py"))
