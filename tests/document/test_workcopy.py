"""Open documents: edits go to a working copy; Save writes the file; a crash can be recovered."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app import __version__
from app.document import (
    CannotWrite,
    DocumentInUse,
    DocumentTooNew,
    OpenDocument,
    State,
    UpgradeNeeded,
    discard,
    inspect,
    new_document,
    open_document,
    recover,
    recoverable,
)
from app.document.locking import lock_path
from tests.document.conftest import execute, folder_state, lock_held_elsewhere


def count_samples(path: Path) -> int:
    found = inspect(path)
    assert found.counts is not None
    return found.counts.samples


def add_sample(document: OpenDocument, code: str) -> None:
    with document.transaction() as connection:
        connection.execute("INSERT INTO sample (code, name) VALUES (?, 'added')", (code,))


def test_edit_changes_the_file_only_on_save(new_document: Callable[..., Path]) -> None:
    path = new_document()
    before = path.read_bytes()
    with open_document(path) as document:
        assert not document.modified and not document.read_only
        add_sample(document, "S-1")
        assert document.modified
        assert path.read_bytes() == before
        document.save()
        assert not document.modified
    assert count_samples(path) == 1
    assert inspect(path).saved_by == __version__
    assert not lock_path(path).exists()


def test_failed_edit_rolls_back(new_document: Callable[..., Path]) -> None:
    path = new_document()
    with open_document(path) as document:
        add_sample(document, "S-1")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            add_sample(document, "S-1")
        rows = document.connection.execute("SELECT count(*) FROM sample").fetchone()[0]
        assert rows == 1


def test_save_as_moves_the_lock(new_document: Callable[..., Path], tmp_path: Path) -> None:
    path = new_document()
    other = tmp_path / "Copy.db"
    with open_document(path) as document:
        add_sample(document, "S-1")
        document.save_as(other)
        assert document.path == other and not document.modified
        assert lock_path(other).exists() and not lock_path(path).exists()
    assert count_samples(other) == 1 and count_samples(path) == 0


def test_revert_discards_unsaved_changes(new_document: Callable[..., Path]) -> None:
    path = new_document()
    with open_document(path) as document:
        add_sample(document, "S-1")
        document.revert()
        assert not document.modified
        assert document.connection.execute("SELECT count(*) FROM sample").fetchone()[0] == 0


def test_untitled_document_is_saved_with_save_as(tmp_path: Path) -> None:
    with new_document("Field trip") as document:
        assert document.path is None and document.title == "Field trip"
        add_sample(document, "S-1")
        document.save_as(tmp_path / "Trip.db")
    found = inspect(tmp_path / "Trip.db")
    assert (found.state, found.title, found.counts.samples if found.counts else None) == (
        State.CURRENT,
        "Field trip",
        1,
    )


def test_outdated_document_must_be_upgraded_first(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("1.1")
    before = folder_state(path.parent)
    with pytest.raises(UpgradeNeeded):
        open_document(path)
    assert folder_state(path.parent) == before


HOLDER = """
import sys
from pathlib import Path
from app.document import open_document
document = open_document(Path(sys.argv[1]))
with document.transaction() as connection:
    connection.execute("INSERT INTO sample (code, name) VALUES ('UNSAVED-1', 'from the crashed process')")
print("ready", flush=True)
sys.stdin.read()
"""


def start_holder(path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


def test_second_process_gets_read_only(new_document: Callable[..., Path]) -> None:
    path = new_document()
    holder = start_holder(path)
    try:
        with pytest.raises(DocumentInUse) as refused:
            open_document(path)
        assert f"process {holder.pid}" in refused.value.message
        with open_document(path, read_only=True) as document:
            assert document.read_only
            assert "another Samplebook" in document.read_only_reason
            with pytest.raises(CannotWrite):
                add_sample(document, "S-2")
            with pytest.raises(CannotWrite):
                document.save()
    finally:
        holder.kill()
        holder.wait()


def test_unsaved_work_of_a_killed_process_is_recovered(
    new_document: Callable[..., Path],
) -> None:
    path = new_document()
    holder = start_holder(path)
    # While the process runs, its working copy is not offered for recovery.
    assert all(r.document != path for r in recoverable())
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    found = [r for r in recoverable() if r.document == path]
    assert len(found) == 1
    with recover(found[0]) as document:
        assert document.modified and document.path == path
        codes = [row[0] for row in document.connection.execute("SELECT code FROM sample")]
        assert codes == ["UNSAVED-1"]
        document.save()
    assert count_samples(path) == 1
    assert [r for r in recoverable() if r.document == path] == []


def test_discarded_recovery_is_gone(new_document: Callable[..., Path]) -> None:
    path = new_document()
    holder = start_holder(path)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    found = [r for r in recoverable() if r.document == path]
    discard(found[0])
    assert not found[0].folder.exists()
    assert [r for r in recoverable() if r.document == path] == []


@pytest.mark.permissions
def test_read_only_file_opens_read_only(new_document: Callable[..., Path]) -> None:
    path = new_document()
    path.chmod(0o444)
    with open_document(path) as document:
        assert document.read_only and document.read_only_reason == "the file is read-only"


def make_newer(path: Path, *statements: str) -> None:
    execute(
        path,
        "UPDATE alembic_version SET version_num = 'ffff00002300'",
        "UPDATE document_info SET saved_by_version = '2.3.0'",
        *statements,
    )


def test_newer_document_that_only_adds_things_opens_read_only(
    new_document: Callable[..., Path],
) -> None:
    path = new_document()
    make_newer(
        path,
        "CREATE TABLE instrument (id INTEGER PRIMARY KEY)",
        "ALTER TABLE sample ADD COLUMN depth REAL",
    )
    before = path.read_bytes()
    with pytest.raises(DocumentTooNew):
        open_document(path)
    with open_document(path, read_only=True) as document:
        assert document.read_only
        assert document.read_only_reason == "it was saved by Samplebook 2.3.0"
    assert path.read_bytes() == before


def test_newer_document_that_changed_what_we_read_is_refused(
    new_document: Callable[..., Path],
) -> None:
    path = new_document()
    make_newer(path, "ALTER TABLE measurement RENAME COLUMN unit TO units")
    with pytest.raises(DocumentTooNew):
        open_document(path, read_only=True)


def test_read_only_view_of_a_locked_document_is_still_checked(
    new_document: Callable[..., Path],
) -> None:
    path = new_document()
    execute(path, "CREATE VIEW sneaky AS SELECT 1")
    # Changed outside Samplebook: even behind another Samplebook's lock it is shown only as
    # its clean copy, which holds none of the file's own objects.
    with lock_held_elsewhere(path), open_document(path, read_only=True) as document:
        assert document.clean_view is not None
        assert "view 'sneaky' (not made by Samplebook)" in document.clean_view.left_out
        names = document.connection.execute("SELECT name FROM sqlite_schema").fetchall()
        assert ("sneaky",) not in names
