"""Schemas are compared by what they mean: spelling does not matter, every change of meaning does.

Each case edits the stored SQL of a real document (a copy of the 2.1 fixture) with
``writable_schema``, as a careful attacker or another program could, and inspects it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import State, inspect
from app.document.releases import HEAD_RELEASE
from app.document.sqltext import canonical_clauses, fold, tokens


def rewrite(path: Path, name: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the stored SQL of schema object ``name``."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        (sql,) = connection.execute(
            "SELECT sql FROM sqlite_schema WHERE name = ?", (name,)
        ).fetchone()
        assert old in sql, sql
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute(
            "UPDATE sqlite_schema SET sql = ? WHERE name = ?", (sql.replace(old, new), name)
        )
    finally:
        connection.close()
    loaded = sqlite3.connect(path)
    try:
        assert loaded.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        loaded.close()


# --------------------------------------------------------------------------------------------------
# The same meaning, spelled otherwise: still current


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("sample", "\n\t", "   "),
        ("sample", "\n\t", " -- one column per line\n  "),
        ("sample", "code VARCHAR NOT NULL", '"code" varchar not /* really */ null'),
        (
            "sample",
            "CONSTRAINT pk_sample PRIMARY KEY (id), \n\tCONSTRAINT uq_sample_code UNIQUE (code)",
            "CONSTRAINT uq_sample_code UNIQUE ([code]), CONSTRAINT pk_sample PRIMARY KEY (`id`)",
        ),
        (
            "measurement",
            "FOREIGN KEY(sample_id) REFERENCES sample (id)",
            'foreign key ("sample_id") references "sample"("id")',
        ),
        ("document_info", "CHECK (id = 1)", 'CHECK ((("id"==1)))'),
        ("tag", 'COLLATE "NOCASE"', "collate nocase"),
        ("ix_measurement_sample_id", "ON measurement (sample_id)", 'ON "measurement"("sample_id")'),
    ],
)
def test_other_spellings_of_the_same_schema_are_current(
    fixture_copy: Callable[[str], Path], name: str, old: str, new: str
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    rewrite(path, name, old, new)
    found = inspect(path)
    assert found.state is State.CURRENT, found.problems


# --------------------------------------------------------------------------------------------------
# Another meaning: tampered, whatever the spelling


@pytest.mark.parametrize(
    ("name", "old", "new", "problem"),
    [
        ("sample", "code VARCHAR NOT NULL", "code VARCHAR", "changed table 'sample' (its columns)"),
        (
            "sample",
            "name VARCHAR NOT NULL",
            "name INTEGER NOT NULL",
            "changed table 'sample' (its columns)",
        ),
        (
            "sample",
            "notes TEXT",
            "notes TEXT DEFAULT 'none'",
            "changed table 'sample' (its columns)",
        ),
        # Columns in another order (in a table without indexes, which would no longer agree with
        # the rows and make the file corrupt instead).
        (
            "provenance",
            "source_title VARCHAR NOT NULL, \n\tsource_file VARCHAR",
            "source_file VARCHAR, \n\tsource_title VARCHAR NOT NULL",
            "changed table 'provenance' (its columns)",
        ),
        # SQLite reads a no-break space as part of a name: the type becomes "VARCHAR\xa0NOT" and the
        # column nullable. Folding white space the way Python does would call this unchanged.
        (
            "sample",
            "code VARCHAR NOT NULL",
            "code VARCHAR\u00a0NOT NULL",
            "changed table 'sample' (its columns)",
        ),
        ("sample", "uq_sample_code", "uq_other", "changed table 'sample' (its constraints)"),
        (
            "document_info",
            "CHECK (id = 1)",
            "CHECK (id >= 1)",
            "changed table 'document_info' (its constraints)",
        ),
        (
            "sample",
            "notes TEXT",
            "notes TEXT COLLATE NOCASE",
            "changed table 'sample' (its columns)",
        ),
        (
            "measurement",
            "REFERENCES sample (id) ON DELETE CASCADE",
            "REFERENCES sample (id)",
            "changed table 'measurement' (its constraints)",
        ),
        (
            "measurement",
            "ON DELETE CASCADE",
            "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
            "changed table 'measurement' (its constraints)",
        ),
    ],
)
def test_changes_of_meaning_are_tampered(
    fixture_copy: Callable[[str], Path], name: str, old: str, new: str, problem: str
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    rewrite(path, name, old, new)
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert found.problems == [problem]


@pytest.mark.parametrize(
    "new",
    ["(sample_id DESC)", "(sample_id) WHERE sample_id > 0", "(quantity)", "(sample_id, unit)"],
)
def test_index_changes_are_tampered(new_document: Callable[..., Path], new: str) -> None:
    """On an empty document, so that the changed index still agrees with its (empty) table."""
    path = new_document()
    rewrite(path, "ix_measurement_sample_id", "(sample_id)", new)
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert found.problems == ["changed index 'ix_measurement_sample_id'"]


def test_a_table_replaced_by_a_view_of_the_same_name_is_tampered(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("DROP TABLE provenance")
    connection.execute("CREATE VIEW provenance AS SELECT 1 AS id")
    connection.close()
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert found.problems == ["extra view 'provenance'", "missing table 'provenance'"]


def test_an_autoindex_row_that_no_constraint_made_is_refused(
    fixture_copy: Callable[[str], Path],
) -> None:
    """SQLite itself refuses to load an index without SQL that belongs to no constraint."""
    path = fixture_copy(HEAD_RELEASE)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute(
        "INSERT INTO sqlite_schema VALUES ('index', 'sqlite_autoindex_sample_2', 'sample', 9, NULL)"
    )
    connection.close()
    found = inspect(path)
    assert found.state is State.CORRUPT
    assert "orphan index" in found.problems[0]


# --------------------------------------------------------------------------------------------------
# The tokenizer agrees with SQLite where Python's string functions do not


def test_tokens_ignore_spacing_comments_quoting_and_keyword_case() -> None:
    assert tokens('CREATE TABLE "t" (\n\ta INT -- note\n)') == tokens("create table t(a /**/ int)")
    assert tokens("x == 1") == tokens("x = 1")
    assert tokens("[a] `b`") == tokens("a b")


def test_tokens_keep_what_changes_meaning() -> None:
    assert tokens("x = 'a  b'") != tokens("x = 'a b'")
    assert tokens('"filter"') != tokens("filter")  # a quoted keyword is a name
    assert tokens("a\u00a0b") == (("w", "A\u00a0B"),)  # one name to SQLite
    assert ("x", "\v") in tokens("a\vb")  # not white space to SQLite
    assert tokens("'unterminated") != tokens("unterminated")


def test_names_fold_in_ascii_only_as_sqlite_compares_them() -> None:
    assert fold("Sample") == "SAMPLE"
    assert fold("\u017fample") != fold("sample")  # a long s is not an s
    assert fold("sqlite_st\u0430t1") != fold("sqlite_stat1")  # a Cyrillic a is not an a
    assert fold("\u0131d") != fold("id")  # nor is a dotless i an i


def test_parentheses_around_a_whole_check_do_not_matter() -> None:
    assert canonical_clauses(tokens("CHECK (((id = 1)))")) == canonical_clauses(
        tokens("CHECK (id=1)")
    )
    assert canonical_clauses(tokens("CHECK ((a) = (1))")) != canonical_clauses(
        tokens("CHECK (a = 1)")
    )
