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
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from app.document import sqltext

SchemaEntry = tuple[str, str, str, str]  # (type, name, tbl_name, sql as stored; "" for none)

#: The tables SQLite creates itself, with the exact text it stores for them (sqlite3 3.40 and
#: later; ``sqlite_stat4`` only in builds with SQLITE_ENABLE_STAT4, but a document analysed by such a
#: build elsewhere is still a good document).
SQLITE_OWN_TABLES = {
    "sqlite_sequence": "CREATE TABLE sqlite_sequence(name,seq)",
    "sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "sqlite_stat4": "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
}

#: More objects than any real document has: beyond this the schema is not examined object by object.
MAX_OBJECTS = 1000
#: Longer statements than any migration writes are not tokenized (they cannot match anyway).
MAX_SQL_CHARACTERS = 64 * 1024

_AUTOINDEX = re.compile(r"sqlite_autoindex_(.+)_[1-9][0-9]*", re.DOTALL)
_KINDS = ("table", "index", "view", "trigger")
_CONSTRAINT_WORDS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")


@dataclass(frozen=True)
class SchemaRow:
    """One row of ``sqlite_schema``, with hostile values made harmless to compare."""

    type: str
    name: str
    table: str
    rootpage: int
    sql: str | None

    @property
    def is_sqlite_own(self) -> bool:
        """A table SQLite made itself (ANALYZE, AUTOINCREMENT), exactly as it makes it."""
        return (
            self.type == "table"
            and self.name == self.table
            and SQLITE_OWN_TABLES.get(self.name) == self.sql
            and self.rootpage > 0
        )

    @property
    def is_autoindex(self) -> bool:
        """Shaped like the index SQLite makes for a table's UNIQUE or PRIMARY KEY constraint."""
        match = _AUTOINDEX.fullmatch(self.name)
        return (
            self.type == "index"
            and self.sql is None
            and match is not None
            and match.group(1) == self.table
        )


def _text(value: object) -> str:
    return value if isinstance(value, str) else repr(value)


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def read_rows(connection: sqlite3.Connection) -> list[SchemaRow]:
    """Every row of the main database's ``sqlite_schema``.

    SQLite does not check that text is UTF-8: a name that is not decodes with escapes (and then
    matches nothing we made) instead of failing the whole inspection.
    """
    previous = connection.text_factory
    connection.text_factory = _lenient_text
    try:
        found = connection.execute(
            "SELECT type, name, tbl_name, rootpage, sql FROM main.sqlite_schema"
        ).fetchall()
    finally:
        connection.text_factory = previous
    return [
        SchemaRow(
            _text(kind),
            _text(name),
            _text(table),
            rootpage if isinstance(rootpage, int) else -1,
            None if sql is None else _text(sql),
        )
        for kind, name, table, rootpage, sql in found
    ]


def shown(text: str, limit: int = 60) -> str:
    """A name from a document, quoted for a message: look-alike and invisible characters escaped."""
    visible = "".join(ch if " " <= ch <= "~" else f"\\u{ord(ch):04x}" for ch in text[:limit])
    return f"'{visible}'" + ("…" if len(text) > limit else "")


def _kind(row: SchemaRow) -> str:
    return row.type if row.type in _KINDS else f"object of type {shown(row.type)}"


# --------------------------------------------------------------------------------------------------
# Structure of one object


class TableStructure(NamedTuple):
    name: Hashable
    columns: Hashable
    constraints: Hashable
    options: Hashable
    column_facts: Hashable
    foreign_keys: Hashable
    constraint_indexes: Hashable


_TABLE_PARTS = {
    "name": "its name",
    "columns": "its columns",
    "constraints": "its constraints",
    "options": "its table options",
    "column_facts": "its columns",
    "foreign_keys": "its foreign keys",
    "constraint_indexes": "its keys",
}


def _parse_create_table(items: sqltext.Tokens) -> tuple[Hashable, ...] | None:
    """(name, columns, constraints, options) of a plain ``CREATE TABLE``; None for anything else."""
    if (
        len(items) < 5
        or not sqltext.word(items[0], "CREATE")
        or not sqltext.word(items[1], "TABLE")
    ):
        return None
    name, opening = items[2], 3
    if name[0] not in ("w", "q") or items[opening] != ("p", "("):
        return None
    end = sqltext.closing(items, opening)
    if end >= len(items):
        return None
    columns: list[Hashable] = []
    constraints: list[sqltext.Tokens] = []
    for element in sqltext.split_top_level(items[opening + 1 : end]):
        if not element:
            return None
        if sqltext.word(element[0], *_CONSTRAINT_WORDS):
            constraints.append(sqltext.canonical_clauses(element))
        elif constraints or element[0][0] not in ("w", "q"):
            return None  # SQLite's grammar: columns first, then table constraints
        else:
            columns.append((element[0][1], sqltext.canonical_clauses(element[1:])))
    tail = items[end + 1 :]
    options = tuple(sorted(sqltext.split_top_level(tail))) if tail else ()
    return (name[1], tuple(columns), tuple(sorted(constraints)), options)


def _declared(text: object) -> Hashable:
    return (
        None if text is None else sqltext.without_redundant_parentheses(sqltext.tokens(str(text)))
    )


def _table_facts(connection: sqlite3.Connection, name: str) -> tuple[Hashable, ...]:
    """What SQLite itself understood of table ``name``: columns, foreign keys, constraint indexes."""
    columns = tuple(
        (str(column), _declared(kind), bool(notnull), _declared(default), int(pk), int(hidden))
        for column, kind, notnull, default, pk, hidden in connection.execute(
            'SELECT name, type, "notnull", dflt_value, pk, hidden '
            "FROM pragma_table_xinfo(?, 'main') ORDER BY cid",
            (name,),
        )
    )
    keys: dict[int, list[tuple[object, ...]]] = {}
    for key, _seq, parent, child, to, on_update, on_delete, match in connection.execute(
        'SELECT id, seq, "table", "from", "to", on_update, on_delete, match '
        "FROM pragma_foreign_key_list(?, 'main') ORDER BY id, seq",
        (name,),
    ):
        keys.setdefault(int(key), []).append((parent, child, to, on_update, on_delete, match))
    foreign_keys = tuple(
        sorted(
            (
                (
                    sqltext.fold(str(parts[0][0])),
                    tuple(str(part[1]) for part in parts),
                    tuple(None if part[2] is None else str(part[2]) for part in parts),
                    *(str(value) for value in parts[0][3:]),
                )
                for parts in keys.values()
            ),
            key=repr,
        )
    )
    indexes = tuple(
        sorted(
            (
                (bool(unique), str(origin), bool(partial), _index_columns(connection, str(index)))
                for index, unique, origin, partial in connection.execute(
                    "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?, 'main') "
                    "WHERE origin IN ('u', 'pk')",
                    (name,),
                )
            ),
            key=repr,
        )
    )
    return columns, foreign_keys, indexes


def _index_columns(connection: sqlite3.Connection, index: str) -> Hashable:
    return tuple(
        (
            int(cid),
            None if column is None else str(column),
            bool(desc),
            sqltext.fold(str(collation)),
        )
        for cid, column, desc, collation in connection.execute(
            "SELECT cid, name, \"desc\", coll FROM pragma_index_xinfo(?, 'main') "
            "WHERE key = 1 ORDER BY seqno",
            (index,),
        )
    )


def _autoindex_names(connection: sqlite3.Connection, table: str) -> set[str]:
    return {
        str(row[0])
        for row in connection.execute(
            "SELECT name FROM pragma_index_list(?, 'main') WHERE origin IN ('u', 'pk')", (table,)
        )
    }


def _index_facts(connection: sqlite3.Connection, row: SchemaRow) -> Hashable:
    found = connection.execute(
        "SELECT \"unique\", origin, partial FROM pragma_index_list(?, 'main') WHERE name = ?",
        (row.table, row.name),
    ).fetchall()
    return (tuple(tuple(item) for item in found), _index_columns(connection, row.name))


def structure(connection: sqlite3.Connection, row: SchemaRow) -> Hashable:
    """What ``row`` means, independent of how its SQL was spelled (see the module docstring)."""
    if row.sql is None:
        return ("without sql", row.type)
    if len(row.sql) > MAX_SQL_CHARACTERS:
        return ("oversized", len(row.sql))
    items = sqltext.without_if_not_exists(sqltext.tokens(row.sql))
    if row.type == "table":
        parsed = _parse_create_table(items)
        if parsed is None:  # a virtual table, CREATE TABLE … AS, or text SQLite would not write
            return ("unparsed table", items)
        return TableStructure(*parsed, *_table_facts(connection, row.name))
    if row.type == "index" and sqltext.word(items[0] if items else None, "CREATE"):
        return ("index", sqltext.canonical_clauses(items), _index_facts(connection, row))
    return (row.type, items)


def _what_changed(found: Hashable, expected: Hashable) -> str:
    if isinstance(found, TableStructure) and isinstance(expected, TableStructure):
        for part, label in _TABLE_PARTS.items():
            if getattr(found, part) != getattr(expected, part):
                return f" ({label})"
    return ""


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
            problems.append(f"extra {_kind(row)} {shown(row.name)}")
        elif entry[0] != row.table or entry[1] is None or row.sql is None:
            problems.append(f"changed {_kind(row)} {shown(row.name)}")
        elif row.sql != entry[1]:
            found = structure(connection, row)
            wanted = _reference_structures(revision)[(row.type, row.name)]
            if found != wanted:
                changed = _what_changed(found, wanted)
                problems.append(f"changed {_kind(row)} {shown(row.name)}{changed}")
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
        if table in rebuilt_tables and have == _autoindex_names(connection, table):
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
    from app.document import migration  # noqa: PLC0415 - Alembic only for authors and tests
    from app.document.files import remove_database_file  # noqa: PLC0415

    scratch = Path(tempfile.mkdtemp(prefix="samplebook-schema-")) / f"{revision}.db"
    try:
        migration.upgrade_in_place(scratch, target=revision, create=True)
        connection = sqlite3.connect(scratch)
        try:
            entries = sorted(
                (row.type, row.name, row.table, row.sql or "") for row in read_rows(connection)
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
