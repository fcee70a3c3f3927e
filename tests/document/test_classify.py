"""Every state ``inspect`` can report, each from a crafted file; inspecting never writes."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app import __version__
from app.document import State, inspect
from app.document.releases import APPLICATION_ID, HEAD_RELEASE, HEAD_REVISION, RELEASE_OF_REVISION
from tests.document.conftest import execute, folder_state, lock_held_elsewhere


def inspect_without_writing(path: Path) -> State:
    before = folder_state(path.parent) if path.parent.exists() else {}
    found = inspect(path)
    assert folder_state(path.parent) == before if path.parent.exists() else True
    assert found.message, "every state has a sentence for people"
    return found.state


def test_missing_is_never_created(tmp_path: Path) -> None:
    path = tmp_path / "nope.db"
    assert inspect_without_writing(path) is State.MISSING
    assert not path.exists()


def test_folder_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    found = inspect(folder)
    assert found.state is State.UNREADABLE
    assert "folder" in found.message


def test_fifo_is_unreadable_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    assert inspect(fifo).state is State.UNREADABLE


@pytest.mark.permissions
def test_no_permission_is_unreadable(new_document: Callable[..., Path]) -> None:
    path = new_document()
    before = folder_state(path.parent)
    path.chmod(0)
    try:
        found = inspect(path)
        assert [p.name for p in path.parent.iterdir()] == [path.name]
    finally:
        path.chmod(0o644)  # to compare its bytes (and so the test folder can be removed)
    assert found.state is State.UNREADABLE and found.message
    assert folder_state(path.parent) == before


def test_zero_bytes_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert inspect_without_writing(path) is State.EMPTY


@pytest.mark.parametrize(
    "content",
    [b"name,code\nx,1\n", b"\x89PNG\r\n\x1a\n" + bytes(200), os.urandom(4096), b"SQLite format"],
)
def test_other_files_are_not_sqlite(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.db"
    path.write_bytes(content)
    assert inspect_without_writing(path) is State.NOT_SQLITE


def test_header_only_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "short.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(84))
    assert inspect_without_writing(path) is State.CORRUPT


def test_truncated_document_is_corrupt(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy(HEAD_RELEASE)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    assert inspect_without_writing(path) is State.CORRUPT


def test_damaged_index_is_corrupt(new_document: Callable[..., Path]) -> None:
    """Only integrity_check notices an index that disagrees with its table."""
    path = new_document()
    execute(
        path,
        "INSERT INTO sample (id, code, name) VALUES (1, 'S-1', 'one'), (2, 'S-2', 'two')",
        "PRAGMA writable_schema = ON",
    )
    # Point the unique index at nothing by swapping the table's rows behind its back.
    connection = sqlite3.connect(path, isolation_level=None)
    root = connection.execute(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'sample'"
    ).fetchone()[0]
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    page = data[start : start + page_size]
    data[start : start + page_size] = page.replace(b"S-1", b"S-9")
    path.write_bytes(bytes(data))
    found = inspect(path)
    assert found.state is State.CORRUPT
    assert found.problems


def test_other_programs_database_is_foreign(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    execute(path, "CREATE TABLE person (name TEXT)", "INSERT INTO person VALUES ('Ana')")
    found_state = inspect_without_writing(path)
    assert found_state is State.FOREIGN
    execute(path, "PRAGMA application_id = 42")
    assert inspect_without_writing(path) is State.FOREIGN


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("CREATE TRIGGER t AFTER INSERT ON sample BEGIN SELECT 1; END", "extra trigger 't'"),
        ("CREATE VIEW v AS SELECT * FROM sample", "extra view 'v'"),
        ("CREATE TABLE extra (x)", "extra table 'extra'"),
        ("DROP INDEX ix_measurement_sample_id", "missing index 'ix_measurement_sample_id'"),
        ("DELETE FROM alembic_version", "no schema revision"),
        ("ALTER TABLE sample ADD COLUMN secret TEXT", "changed table 'sample'"),
    ],
)
def test_foreign_schema_objects_are_tampered(
    new_document: Callable[..., Path], change: str, problem: str
) -> None:
    path = new_document()
    execute(path, change)
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert problem in found.message or problem in found.problems


def test_wal_mode_is_tampered(new_document: Callable[..., Path]) -> None:
    path = new_document()
    execute(path, "PRAGMA journal_mode = WAL")
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert not Path(f"{path}-shm").exists()


def test_unknown_revision_is_newer_and_names_the_version(
    new_document: Callable[..., Path],
) -> None:
    path = new_document()
    execute(
        path,
        "UPDATE alembic_version SET version_num = 'f00dfeed2300'",
        "UPDATE document_info SET saved_by_version = '2.3.0'",
    )
    found = inspect(path)
    assert found.state is State.NEWER
    assert found.saved_by == "2.3.0"
    assert "Samplebook 2.3.0" in found.message
    assert f"this is Samplebook {__version__}" in found.message


@pytest.mark.parametrize("release", [r for r in RELEASE_OF_REVISION.values() if r != HEAD_RELEASE])
def test_older_release_is_outdated(fixture_copy: Callable[[str], Path], release: str) -> None:
    path = fixture_copy(release)
    found = inspect(path)
    assert found.state is State.OUTDATED
    assert found.release == release
    assert f"saved by Samplebook {release}" in found.message
    assert found.counts is not None and found.counts.samples >= 50


def test_newest_release_fixture_is_current(fixture_copy: Callable[[str], Path]) -> None:
    found = inspect(fixture_copy(HEAD_RELEASE))
    assert found.state is State.CURRENT
    assert found.revision == HEAD_REVISION
    assert found.title


def test_new_document_is_current(new_document: Callable[..., Path]) -> None:
    path = new_document(title="Lake")
    found = inspect(path)
    assert (found.state, found.title, found.created_by) == (State.CURRENT, "Lake", __version__)
    with open(path, "rb") as handle:
        assert int.from_bytes(handle.read(72)[68:72], "big") == APPLICATION_ID


def test_document_open_in_another_process_is_locked(new_document: Callable[..., Path]) -> None:
    path = new_document()
    with lock_held_elsewhere(path) as pid:
        found = inspect(path)
        assert found.state is State.LOCKED
        assert f"process {pid}" in found.message
        assert found.holder is not None
    # The lock file left by the killed process is not held by anyone.
    assert inspect(path).state is State.CURRENT


def test_document_being_written_is_locked(new_document: Callable[..., Path]) -> None:
    path = new_document()
    Path(f"{path}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(500))
    assert inspect(path).state is State.LOCKED


def test_counts_and_info_of_every_release(fixture_copy: Callable[[str], Path]) -> None:
    for release in RELEASE_OF_REVISION.values():
        found = inspect(fixture_copy(release))
        assert found.counts is not None
        assert found.counts.measurements >= 300
        assert found.counts.tags > 0


def test_hostile_schema_does_not_run(tmp_path: Path) -> None:
    """A view in a foreign file that would call functions is never evaluated by inspect."""
    source = tmp_path / "hostile.db"
    execute(
        source,
        f"PRAGMA application_id = {APPLICATION_ID}",
        "CREATE TABLE alembic_version (version_num TEXT)",
        f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')",
        "CREATE VIEW sample AS SELECT randomblob(1000000000) AS code",
    )
    found = inspect(source)
    assert found.state is State.TAMPERED
    shutil.rmtree(tmp_path / "none", ignore_errors=True)
