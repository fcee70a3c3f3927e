"""Writes that fail for real — a full disk, a read-only file system — lose nothing.

These mount small tmpfs file systems (tests/document/disks.py), so they run where the tests run
as root with mount permission (CI and the development machines); elsewhere they are skipped.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import CannotWrite, State, backup, inspect, open_document, upgrade
from app.document.releases import HEAD_RELEASE
from tests.document.conftest import folder_state
from tests.document.disks import fill_up, remount_read_only


def test_upgrade_on_a_full_disk(
    small_disk: Callable[[int], Path], fixture_copy: Callable[[str], Path]
) -> None:
    disk = small_disk(1024)
    path = disk / "Notes.db"
    shutil.copyfile(fixture_copy("1.0"), path)
    fill_up(disk)
    before = folder_state(disk)
    with pytest.raises(CannotWrite, match="disk is full") as failed:
        upgrade(path, backup=False)
    assert "Notes.db is unchanged" in failed.value.message
    assert folder_state(disk) == before
    assert inspect(path).state is State.OUTDATED


def test_backup_on_a_full_disk(
    small_disk: Callable[[int], Path], fixture_copy: Callable[[str], Path]
) -> None:
    disk = small_disk(1024)
    path = disk / "Notes.db"
    shutil.copyfile(fixture_copy(HEAD_RELEASE), path)
    fill_up(disk)
    before = folder_state(disk)
    with pytest.raises(CannotWrite):
        backup(path)
    assert folder_state(disk) == before


def test_save_on_a_full_disk_keeps_the_unsaved_work(
    small_disk: Callable[[int], Path], fixture_copy: Callable[[str], Path]
) -> None:
    disk = small_disk(1024)
    path = disk / "Notes.db"
    shutil.copyfile(fixture_copy(HEAD_RELEASE), path)
    with open_document(path) as document:
        with document.transaction() as connection:
            connection.execute("UPDATE sample SET name = 'edited' WHERE id = 1")
        fill_up(disk)
        before = folder_state(disk)
        with pytest.raises(CannotWrite, match="disk is full"):
            document.save()
        assert folder_state(disk) == before
        assert document.modified
        (disk / "ballast").unlink()
        document.save()
    connection = __import__("sqlite3").connect(path)
    assert connection.execute("SELECT name FROM sample WHERE id = 1").fetchone()[0] == "edited"
    connection.close()


def test_read_only_file_system(
    small_disk: Callable[[int], Path], fixture_copy: Callable[[str], Path]
) -> None:
    disk = small_disk(2048)
    outdated = disk / "Old.db"
    current = disk / "Current.db"
    shutil.copyfile(fixture_copy("1.1"), outdated)
    shutil.copyfile(fixture_copy(HEAD_RELEASE), current)
    remount_read_only(disk)
    before = folder_state(disk)
    with pytest.raises(CannotWrite, match="read-only"):
        upgrade(outdated)
    # Reading still works: the current document opens read-only, and says why.
    with open_document(current) as document:
        assert document.read_only
        assert "read-only" in document.read_only_reason
    done = subprocess.run(
        [str(Path(sys.executable).with_name("samplebook-doc")), "upgrade", str(outdated)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 7, done.stderr
    assert "read-only" in done.stderr
    assert folder_state(disk) == before
