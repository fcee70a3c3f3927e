"""A document switched to WAL mode is a normal document, and reading it writes nothing beside it.

``sqlite3 doc.db 'PRAGMA journal_mode=WAL'`` is a harmless outside change. SQLite would create
``-shm`` and ``-wal`` beside a WAL file even to read it (and could not read it in a read-only folder),
so Samplebook reads such files ``immutable`` after making sure no ``-wal`` holds data. Whatever
Samplebook writes — saves, upgrades, backups, exports — is in DELETE mode again.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.document import State, file_source, inspect, open_document, upgrade
from app.document.releases import HEAD_RELEASE
from app.domain import SampleFilter
from app.domain.export import export_subset
from tests.document.conftest import folder_state


def switch_to_wal(path: Path) -> None:
    """What another program does; closing it cleanly leaves no -wal or -shm behind."""
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    connection.close()
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [
        path.name
    ]


def journal_mode_bytes(path: Path) -> bytes:
    """Header bytes 18-19: 1,1 for rollback (DELETE) mode, 2,2 for WAL."""
    with open(path, "rb") as handle:
        return handle.read(20)[18:20]


def nothing_beside(path: Path) -> bool:
    return not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm", "-journal"))


@pytest.mark.parametrize(
    ("release", "state"), [(HEAD_RELEASE, State.CURRENT), ("1.0", State.OUTDATED)]
)
def test_a_wal_document_is_normal_and_inspecting_it_writes_nothing(
    fixture_copy: Callable[[str], Path], release: str, state: State
) -> None:
    path = fixture_copy(release)
    switch_to_wal(path)
    before = folder_state(path.parent)
    found = inspect(path)
    assert found.state is state, found.problems
    assert found.counts is not None and found.counts.samples > 0
    assert folder_state(path.parent) == before
    assert nothing_beside(path)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    """Copy a file onto a tmpfs and mount it read-only (as a USB stick or a share may be)."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root and mount to make a read-only file system")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2048k", "tmpfs", str(disk)], check=False
    )
    if done.returncode != 0:
        pytest.skip("mount is not permitted here")

    def place(source: Path) -> Path:
        target = disk / source.name
        shutil.copyfile(source, target)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        return target

    yield place
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_wal_document_in_a_read_only_folder_is_read_without_writing(
    fixture_copy: Callable[[str], Path], read_only_folder: Callable[[Path], Path]
) -> None:
    source = fixture_copy(HEAD_RELEASE)
    switch_to_wal(source)
    path = read_only_folder(source)
    # This is why an ordinary read-only connection will not do: it needs a -shm it cannot make.
    plain = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError):
        plain.execute("SELECT count(*) FROM sample").fetchone()
    plain.close()
    before = folder_state(path.parent)
    assert inspect(path).state is State.CURRENT
    document = open_document(path)
    try:
        assert document.read_only  # the folder cannot be written, so it cannot be saved there
        assert document.connection.execute("SELECT count(*) FROM sample").fetchone()[0] > 0
    finally:
        document.close()
    assert folder_state(path.parent) == before


def test_a_wal_document_being_written_is_locked_until_the_writer_is_done(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    switch_to_wal(path)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("UPDATE document_info SET title = 'written elsewhere'")
        assert Path(f"{path}-wal").stat().st_size > 0  # committed, but only in the -wal
        assert inspect(path).state is State.LOCKED
    finally:
        writer.close()  # the last connection checkpoints and removes the -wal
    found = inspect(path)
    assert (found.state, found.title) == (State.CURRENT, "written elsewhere")


def test_saving_a_wal_document_writes_it_in_delete_mode(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    switch_to_wal(path)
    document = open_document(path)
    try:
        assert nothing_beside(path), "opening must not create -wal/-shm beside the document"
        with document.transaction() as connection:
            connection.execute("UPDATE document_info SET title = 'Saved by Samplebook'")
        document.save()
    finally:
        document.close()
    assert journal_mode_bytes(path) == b"\x01\x01"
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()
    assert nothing_beside(path)
    found = inspect(path)
    assert (found.state, found.title) == (State.CURRENT, "Saved by Samplebook")


def test_upgrading_a_wal_document_writes_it_and_its_backup_in_delete_mode(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy("1.0")
    switch_to_wal(path)
    result = upgrade(path)
    assert result.backup is not None
    assert journal_mode_bytes(path) == b"\x01\x01"
    assert journal_mode_bytes(result.backup) == b"\x01\x01"
    assert nothing_beside(path)
    assert inspect(path).state is State.CURRENT


def test_exporting_from_a_wal_document_writes_nothing_beside_it(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    switch_to_wal(path)
    data = path.read_bytes()
    destination = tmp_path / "out" / "subset.db"
    destination.parent.mkdir()
    with file_source(path) as source:
        result = export_subset(source, SampleFilter(), destination)
    assert result.samples > 0
    assert path.read_bytes() == data
    assert nothing_beside(path)
    assert journal_mode_bytes(destination) == b"\x01\x01"
    assert inspect(destination).state is State.CURRENT


def test_a_wal_document_changed_while_it_was_read_is_not_trusted(
    fixture_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Immutable reads take no locks: a write during the inspection voids its answer."""
    from app.document import verdicts  # noqa: PLC0415

    path = fixture_copy(HEAD_RELEASE)
    switch_to_wal(path)
    real_check = verdicts.integrity_problems

    def check_while_another_program_writes(connection: sqlite3.Connection) -> list[str]:
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("UPDATE document_info SET title = 'meanwhile'")
        writer.close()
        return real_check(connection)

    monkeypatch.setattr(verdicts, "integrity_problems", check_while_another_program_writes)
    assert inspect(path).state is State.LOCKED
    monkeypatch.undo()
    assert inspect(path).state is State.CURRENT
