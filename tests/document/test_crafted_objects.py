"""A corpus of crafted schema objects: every one is refused, and nothing Samplebook does runs it.

Each SQLite object type (table, index, view, trigger) by names (ordinary, ``sqlite_*``, look-alikes by
case, Unicode and trailing space) by placement (on a table of ours, on ``alembic_version``, on
``document_info``), put into a real document both with DDL and with ``writable_schema`` (which is how
SQLite's reserved names get in: it refuses ``CREATE … sqlite_*`` but loads what it finds). Triggers
rewrite every measurement, so running one anywhere would show.

Every object SQLite can load is ``tampered``; one it cannot load is ``corrupt``; opening, exporting and
upgrading refuse both and leave the folder byte-identical.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import (
    DocumentError,
    NotADocument,
    State,
    file_source,
    inspect,
    open_document,
    repair,
    upgrade,
)
from app.document.releases import HEAD_RELEASE, HEAD_REVISION
from app.document.schema_objects import shown
from app.domain import SampleFilter
from app.domain.export import export_subset
from tests.conftest import fixture_path
from tests.document.conftest import execute, folder_state
from tests.document.test_repair import rows as table_rows

NAMES = {
    "ordinary": "extra_thing",
    "sqlite_prefix": "sqlite_stat9",
    "sqlite_own": "sqlite_stat1",
    "sqlite_sequence": "sqlite_sequence",
    "upper_case": "SQLITE_stat1",
    "cyrillic_letter": "sqlite_st\u0430t1",  # CYRILLIC SMALL LETTER A
    "cyrillic_prefix": "sql\u0456te_stat1",  # CYRILLIC SMALL LETTER I: not SQLite's prefix
    "trailing_space": "sqlite_stat1 ",
    "autoindex_like": "sqlite_autoindex_sample_9",
}

#: A column of each placement, for indexes.
PLACEMENTS = {"sample": "code", "alembic_version": "version_num", "document_info": "title"}

#: Runs if anything ever fires it: every measurement with a value (all but "not detected") becomes -1.
EFFECT = "UPDATE measurement SET value = -1 WHERE value IS NOT NULL"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ddl(kind: str, name: str, table: str) -> str:
    return {
        "table": f"CREATE TABLE {quoted(name)} (x INTEGER, ref REFERENCES {quoted(table)})",
        "index": f"CREATE INDEX {quoted(name)} ON {quoted(table)} ({PLACEMENTS[table]})",
        "view": f"CREATE VIEW {quoted(name)} AS SELECT * FROM {quoted(table)}",
        "trigger": (
            f"CREATE TRIGGER {quoted(name)} AFTER UPDATE ON {quoted(table)} BEGIN {EFFECT}; END"
        ),
    }[kind]


def put_with_writable_schema(path: Path, kind: str, name: str, table: str) -> None:
    """Write the object's row into sqlite_schema directly, as a hand-edited file would have it."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        if kind in ("table", "index"):  # made under a plain name first, for a real root page
            connection.execute(ddl(kind, "crafted_tmp", table))
            connection.execute("PRAGMA writable_schema = ON")
            connection.execute(
                "UPDATE sqlite_schema SET name = ?, tbl_name = ?, sql = ? WHERE name = 'crafted_tmp'",
                (name, name if kind == "table" else table, ddl(kind, name, table)),
            )
        else:
            connection.execute("PRAGMA writable_schema = ON")
            connection.execute(
                "INSERT INTO sqlite_schema VALUES (?, ?, ?, 0, ?)",
                (kind, name, name if kind == "view" else table, ddl(kind, name, table)),
            )
    finally:
        connection.close()


def craft(path: Path, kind: str, name: str, table: str, method: str) -> bool:
    """Add the object; False when SQLite refuses to create it that way (reserved name)."""
    if method == "ddl":
        try:
            execute(path, ddl(kind, name, table))
        except sqlite3.OperationalError as error:
            assert "reserved for internal use" in str(error)
            assert name.lower().startswith("sqlite_")
            return False
        return True
    put_with_writable_schema(path, kind, name, table)
    return True


def sqlite_can_load(path: Path) -> bool:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        connection.execute("SELECT count(*) FROM sample").fetchone()
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()
    return True


def assert_refused_and_untouched(path: Path, operation: Callable[[], object]) -> None:
    before = folder_state(path.parent)
    with pytest.raises(DocumentError):
        operation()
    assert folder_state(path.parent) == before


def export_to(path: Path, destination: Path) -> None:
    with file_source(path) as source:
        export_subset(source, SampleFilter(), destination)


CASES = [
    (kind, name, table, method)
    for kind in ("table", "index", "view", "trigger")
    for name in NAMES.values()
    for table in PLACEMENTS
    for method in ("ddl", "writable_schema")
]
CASE_IDS = [
    f"{kind}-{label}-{table}-{method}"
    for kind in ("table", "index", "view", "trigger")
    for label in NAMES
    for table in PLACEMENTS
    for method in ("ddl", "writable_schema")
]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_crafted_object_is_refused_and_never_runs(
    fixture_copy: Callable[[str], Path], tmp_path: Path, case: tuple[str, str, str, str]
) -> None:
    kind, name, table, method = case
    current = fixture_copy(HEAD_RELEASE)
    if not craft(current, kind, name, table, method):
        return  # SQLite refused to create it: the clear error is the refusal
    loadable = sqlite_can_load(current)
    found = inspect(current)
    if loadable:
        assert found.state is State.TAMPERED, found
        assert f"extra {kind} {shown(name)}" in found.problems
    else:
        assert found.state is State.CORRUPT, found
    assert found.repairable

    assert_refused_and_untouched(current, lambda: open_document(current))
    destination = tmp_path / "exports" / "subset.db"
    destination.parent.mkdir()
    assert_refused_and_untouched(current, lambda: export_to(current, destination))
    assert not destination.exists()

    outdated = fixture_copy("2.0")  # has document_info too, and needs an upgrade
    craft(outdated, kind, name, table, method)
    if name == "sqlite_sequence":
        # The head fixture has SQLite's own sqlite_sequence (an AUTOINCREMENT table): a second
        # object of that name makes its schema malformed, where the 2.0 fixture's is only changed.
        assert inspect(outdated).state in (State.TAMPERED, State.CORRUPT)
    else:
        assert inspect(outdated).state is found.state
    assert_refused_and_untouched(outdated, lambda: upgrade(outdated, backup=False))

    # The clean copy (and the read-only view, which is one) keeps every row and runs nothing.
    before = folder_state(current.parent)
    clean = tmp_path / "clean" / "Clean.db"
    clean.parent.mkdir()
    try:
        repair(current, clean)
    except NotADocument:
        assert not loadable  # nothing of ours could be read from it
        assert not clean.exists()
    else:
        assert inspect(clean).state is State.CURRENT
        if loadable:
            assert table_rows(clean) == table_rows(fixture_path(HEAD_RELEASE))
    after = {name: digest for name, digest in folder_state(current.parent).items()}
    after.pop("clean/Clean.db", None)
    assert after == before


@pytest.mark.parametrize(
    ("kind", "name", "table", "sql"),
    [
        (
            "trigger",
            "sqlite_stat9",
            "nosuch",
            f"CREATE TRIGGER sqlite_stat9 AFTER UPDATE ON nosuch BEGIN {EFFECT}; END",
        ),
        ("view", "sqlite_stat9", "sqlite_stat9", "CREATE VIEW sqlite_stat9 AS SELECT FROM"),
        ("index", "sqlite_stat9", "sample", "CREATE INDEX sqlite_stat9 ON sample (no_such_column)"),
        ("table", "sample", "sample", "CREATE TABLE sample (x)"),
    ],
)
def test_crafted_objects_sqlite_cannot_load_are_corrupt_and_refused(
    fixture_copy: Callable[[str], Path], kind: str, name: str, table: str, sql: str
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    execute(
        path,
        "PRAGMA writable_schema = ON",
        f"INSERT INTO sqlite_schema VALUES ('{kind}', '{name}', '{table}', 0, '{sql}')",
    )
    assert not sqlite_can_load(path)
    found = inspect(path)
    assert (found.state, found.repairable) == (State.CORRUPT, True)
    assert "malformed database schema" in found.problems[0]
    assert_refused_and_untouched(path, lambda: open_document(path))


def test_the_corpus_trigger_would_show_if_it_ever_ran(fixture_copy: Callable[[str], Path]) -> None:
    """The control: the same trigger, fired on purpose, rewrites the measurements."""
    path = fixture_copy(HEAD_RELEASE)
    put_with_writable_schema(path, "trigger", "sqlite_stat9", "document_info")
    execute(path, "UPDATE document_info SET title = title")
    connection = sqlite3.connect(path)
    values = {row[0] for row in connection.execute("SELECT value FROM measurement")}
    connection.close()
    assert values - {None} == {-1}


_ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"


def test_a_table_replaced_by_an_endless_view_is_never_read(
    new_document: Callable[..., Path],
) -> None:
    path = new_document()
    execute(
        path,
        "DROP TABLE measurement",
        f"CREATE VIEW measurement AS SELECT i AS id, i AS sample_id FROM ({_ENDLESS})",
    )
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert found.problems[0] == "extra view 'measurement'"
    assert_refused_and_untouched(path, lambda: open_document(path))


def test_a_newer_document_whose_info_is_an_endless_view_is_not_read(
    new_document: Callable[..., Path],
) -> None:
    """A newer revision cannot be compared with any reference: only plain tables are read."""
    path = new_document()
    execute(
        path,
        "UPDATE alembic_version SET version_num = 'f00dfeed2300'",
        "DROP TABLE document_info",
        "CREATE VIEW document_info AS SELECT 1 AS id, 'x' AS title, NULL AS created_at, "
        f"NULL AS created_by_version, NULL AS saved_at, i AS saved_by_version FROM ({_ENDLESS})",
        "DROP TABLE sample_tag",
        f"CREATE VIEW sample_tag AS {_ENDLESS}",
    )
    found = inspect(path)
    assert found.state is State.NEWER
    assert found.title is None and found.saved_by is None


def test_alembic_version_as_a_view_records_no_revision(new_document: Callable[..., Path]) -> None:
    path = new_document()
    execute(
        path,
        "DROP TABLE alembic_version",
        f"CREATE VIEW alembic_version AS SELECT '{HEAD_REVISION}' AS version_num FROM ({_ENDLESS})",
    )
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert found.problems == ["it records no schema revision"]
