"""One schema object and what it means: its ``sqlite_schema`` row and its structure.

``structure`` gives a value that is equal for two objects exactly when they mean the same, however
their SQL was spelled (see ``app.document.schema`` for how it is used). Nothing here runs anything
from a document: it reads ``sqlite_schema`` and SQLite's PRAGMA functions about tables already known
to be plain tables.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Hashable
from dataclasses import dataclass
from typing import NamedTuple

from app.document import sqltext

#: The tables SQLite creates itself, with the exact text it stores for them (checked with SQLite 3.40
#: and 3.54; ``sqlite_stat4`` only in builds with SQLITE_ENABLE_STAT4 — not this one — but a document
#: analysed by such a build elsewhere is still a good document).
SQLITE_OWN_TABLES = {
    "sqlite_sequence": "CREATE TABLE sqlite_sequence(name,seq)",
    "sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "sqlite_stat4": "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
}

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


def kind_of(row: SchemaRow) -> str:
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


def autoindex_names(connection: sqlite3.Connection, table: str) -> set[str]:
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


def what_changed(found: Hashable, expected: Hashable) -> str:
    if isinstance(found, TableStructure) and isinstance(expected, TableStructure):
        for part, label in _TABLE_PARTS.items():
            if getattr(found, part) != getattr(expected, part):
                return f" ({label})"
    return ""
