"""``files.copy_database``: a byte copy of a database is only taken when it is a consistent one."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.document import files
from app.document.files import copy_database


def _database(path: Path, *, wal: bool = False) -> Path:
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.executemany("INSERT INTO t VALUES (?)", [("a" * 500,)] * 2000)
    connection.commit()
    connection.close()
    return path


def _rows(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*), min(x), max(x) FROM t").fetchall()
    finally:
        connection.close()


def test_a_rollback_journal_database_is_copied_byte_for_byte(tmp_path: Path) -> None:
    source = _database(tmp_path / "doc.db")
    target = tmp_path / "copy.db"
    target.touch()
    reports: list[tuple[int, int]] = []
    copy_database(source, target, lambda done, total: reports.append((done, total)))
    assert target.read_bytes() == source.read_bytes()
    pages = source.stat().st_size // 4096
    assert reports[-1] == (pages, pages)


def test_where_the_kernel_cannot_copy_the_bytes_are_read_and_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _database(tmp_path / "doc.db")
    monkeypatch.setattr(files, "_SENDFILE", False)
    monkeypatch.setattr(files, "_READ_CHUNK", 3000)  # not a page: chunks end mid-page
    target = tmp_path / "copy.db"
    copy_database(source, target, durable=False)
    assert target.read_bytes() == source.read_bytes()


def test_no_writer_can_commit_while_the_bytes_are_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _database(tmp_path / "doc.db")
    target = tmp_path / "copy.db"
    target.touch()
    refused: list[str] = []
    real_copy = files._copy_bytes

    def copy_while_another_program_writes(*args: Any) -> None:
        writer = sqlite3.connect(source, timeout=0, isolation_level=None)
        try:
            writer.execute("BEGIN")
            writer.execute("UPDATE t SET x = 'changed'")
            with pytest.raises(sqlite3.OperationalError) as error:
                writer.execute("COMMIT")
            refused.append(str(error.value))
            writer.execute("ROLLBACK")
        finally:
            writer.close()
        real_copy(*args)

    monkeypatch.setattr(files, "_copy_bytes", copy_while_another_program_writes)
    copy_database(source, target, durable=False)
    assert refused == ["database is locked"]
    assert _rows(target) == [(2000, "a" * 500, "a" * 500)]


def test_a_file_replaced_after_it_was_opened_is_copied_as_the_connection_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _database(tmp_path / "doc.db")
    replacement = tmp_path / "newer.db"
    connection = sqlite3.connect(replacement)
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.execute("INSERT INTO t VALUES ('newer')")
    connection.commit()
    connection.close()
    real_open = files.open_read_only

    def open_then_replaced(path: Path) -> sqlite3.Connection:
        opened = real_open(path)
        opened.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # SQLite has it open
        replacement.replace(path)  # another Samplebook saves over it meanwhile
        return opened

    monkeypatch.setattr(files, "open_read_only", open_then_replaced)
    target = tmp_path / "copy.db"
    copy_database(source, target, durable=False)
    # The lock was on the file the connection had open: that version, whole, not the newer bytes.
    assert _rows(target) == [(2000, "a" * 500, "a" * 500)]


def test_a_file_with_a_hot_journal_is_refused_not_copied_torn(tmp_path: Path) -> None:
    source = _database(tmp_path / "doc.db")
    # A writer killed after its changes reached the file: the journal beside it is hot.
    killed_writer = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA cache_size = 1')\n"
        "c.execute('BEGIN')\n"
        "c.execute(\"UPDATE t SET x = 'b'\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", killed_writer, str(source)], check=True)
    assert Path(f"{source}-journal").stat().st_size > 0
    target = tmp_path / "copy.db"
    target.touch()
    with pytest.raises(sqlite3.OperationalError):
        copy_database(source, target, durable=False)
    assert target.stat().st_size == 0


def test_a_wal_mode_database_goes_through_the_backup_api(tmp_path: Path) -> None:
    source = _database(tmp_path / "doc.db", wal=True)
    target = tmp_path / "copy.db"
    target.touch()
    copy_database(source, target, durable=False)
    assert _rows(target) == [(2000, "a" * 500, "a" * 500)]
    assert target.read_bytes()[18:20] == b"\x01\x01"  # the backup API's copy, in rollback mode
