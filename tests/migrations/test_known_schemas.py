"""The recorded reference schemas mean exactly what the migrations build today.

They are compared by structure, not text: a SQLAlchemy or Alembic that renders the same DDL with other
spacing, quoting or constraint order still matches, so documents written by earlier releases keep
matching too. A real change (a column, a constraint, an index) fails here.
"""

from __future__ import annotations

import sqlite3

import pytest

from app.document import schema
from app.document.known_schemas import SCHEMAS
from app.document.releases import RELEASE_OF_REVISION


def test_every_known_revision_has_a_recorded_schema() -> None:
    assert list(SCHEMAS) == list(RELEASE_OF_REVISION)


@pytest.mark.parametrize("revision", list(RELEASE_OF_REVISION))
def test_recorded_schema_matches_the_migrations(revision: str) -> None:
    assert schema.build_snapshot(revision) == schema.snapshot_of(SCHEMAS[revision]), (
        "The migrations now build a different schema at this revision. If that is intended "
        "(it almost never is for a released revision), run `uv run python -m app.document.schema`."
    )


def _rendered_otherwise(sql: str) -> str:
    """The same DDL as another library version might render it."""
    return (
        sql.replace("\n\t", " ")
        .replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ")
        .replace(" NOT NULL", "  not   null")
        .replace("FOREIGN KEY(", 'FOREIGN KEY ("')
        .replace(") REFERENCES", '") REFERENCES')
        .replace("CHECK (id = 1)", 'CHECK (("id"=1))')
        .replace("VARCHAR", "varchar")
    )


def _database(entries: list[tuple[str, str, str, str]]) -> sqlite3.Connection:
    memory = sqlite3.connect(":memory:")
    for _kind, _name, _table, sql in sorted(entries, key=lambda entry: entry[0] != "table"):
        if sql:
            memory.execute(sql)
    return memory


@pytest.mark.parametrize("revision", list(RELEASE_OF_REVISION))
def test_another_rendering_of_the_same_ddl_matches(revision: str) -> None:
    rendered = [
        (kind, name, table, _rendered_otherwise(sql))
        for kind, name, table, sql in SCHEMAS[revision]
    ]
    assert rendered != SCHEMAS[revision]
    assert schema.snapshot_of(rendered) == schema.snapshot_of(SCHEMAS[revision])
    memory = _database(rendered)
    try:
        assert schema.mismatches(memory, revision) == []
    finally:
        memory.close()


def test_a_real_change_does_not_match() -> None:
    head = list(RELEASE_OF_REVISION)[-1]
    changed = [
        (kind, name, table, sql.replace("code VARCHAR NOT NULL", "code VARCHAR"))
        if name == "sample"
        else (kind, name, table, sql)
        for kind, name, table, sql in SCHEMAS[head]
    ]
    assert changed != SCHEMAS[head]
    assert schema.snapshot_of(changed) != schema.snapshot_of(SCHEMAS[head])
    memory = _database(changed)
    try:
        assert schema.mismatches(memory, head) == ["changed table 'sample' (its columns)"]
    finally:
        memory.close()
