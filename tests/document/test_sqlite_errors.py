"""SQLite failures are sorted by their result code, wrapped by SQLAlchemy or not.

Every error here is produced by real SQLite on real files: the sorting must hold for what SQLite
really raises, not for hand-made exception objects.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy

from app.document import sqlite_errors
from app.document.sqlite_errors import Failure


def raised(action: Callable[[], object]) -> BaseException:
    try:
        action()
    except Exception as error:
        return error
    raise AssertionError("expected the action to fail")


def test_cannot_open_is_a_write_failure(tmp_path: Path) -> None:
    error = raised(lambda: sqlite3.connect(f"file:{tmp_path}/no/such/folder.db?mode=rwc", uri=True))
    assert sqlite_errors.failure_of(error) is Failure.CANNOT_WRITE


def test_writing_a_read_only_connection_is_a_write_failure(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    error = raised(lambda: connection.execute("INSERT INTO t VALUES (1)"))
    connection.close()
    assert sqlite_errors.failure_of(error) is Failure.CANNOT_WRITE
    assert "read-only" in sqlite_errors.reason(error)


def test_a_file_that_is_not_a_database_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "text.db"
    path.write_text("not a database " * 100)
    connection = sqlite3.connect(path)
    error = raised(lambda: connection.execute("SELECT * FROM sqlite_schema").fetchall())
    connection.close()
    assert sqlite_errors.failure_of(error) is Failure.DAMAGED


def test_a_damaged_page_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,) for _ in range(200)])
    connection.commit()
    connection.close()
    data = bytearray(path.read_bytes())
    data[4096 + 8 : 4096 + 64] = b"\xff" * 56  # the second page's header and cell pointers
    path.write_bytes(bytes(data))
    connection = sqlite3.connect(path)
    error = raised(lambda: connection.execute("SELECT count(*), max(x) FROM t").fetchall())
    connection.close()
    assert sqlite_errors.failure_of(error) is Failure.DAMAGED


def test_text_that_is_not_utf8_is_damage() -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.execute("INSERT INTO t VALUES (CAST(x'ff41' AS TEXT))")
    error = raised(lambda: connection.execute("SELECT x FROM t").fetchall())
    assert sqlite_errors.failure_of(error) is Failure.DAMAGED
    assert sqlite_errors.reason(error) == "it holds text that is not valid UTF-8"


def test_a_lock_held_elsewhere_is_in_use(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN EXCLUSIVE")
    reader = sqlite3.connect(path, timeout=0)
    error = raised(lambda: reader.execute("SELECT * FROM t").fetchall())
    reader.close()
    writer.execute("ROLLBACK")
    writer.close()
    assert sqlite_errors.failure_of(error) is Failure.IN_USE


def test_mistakes_in_our_own_sql_are_bugs() -> None:
    connection = sqlite3.connect(":memory:")
    syntax = raised(lambda: connection.execute("SELEC 1"))
    missing = raised(lambda: connection.execute("SELECT * FROM nowhere"))
    connection.execute("CREATE TABLE t (x UNIQUE)")
    connection.execute("INSERT INTO t VALUES (1)")
    duplicate = raised(lambda: connection.execute("INSERT INTO t VALUES (1)"))
    for error in (syntax, missing, duplicate):
        assert sqlite_errors.failure_of(error) is None, error
    assert sqlite_errors.failure_of(ValueError("not SQLite at all")) is None


@pytest.mark.parametrize("wrapped_by", ["sqlalchemy", "cause"])
def test_wrapped_errors_are_sorted_by_the_sqlite_error_inside(
    tmp_path: Path, wrapped_by: str
) -> None:
    path = tmp_path / "a.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    if wrapped_by == "sqlalchemy":
        engine = sqlalchemy.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
        with engine.connect() as connection:
            error = raised(lambda: connection.exec_driver_sql("INSERT INTO t VALUES (1)"))
        engine.dispose()
        assert isinstance(error, sqlalchemy.exc.OperationalError)
    else:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        inner = raised(lambda: connection.execute("INSERT INTO t VALUES (1)"))
        connection.close()
        error = RuntimeError("while migrating")
        error.__cause__ = inner
    assert sqlite_errors.failure_of(error) is Failure.CANNOT_WRITE
