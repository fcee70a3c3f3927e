"""Restoring a backup over a damaged document keeps the damaged file beside it."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import (
    CannotWrite,
    DocumentInUse,
    NotADocument,
    State,
    backup,
    inspect,
    restore_backup,
)
from app.document.releases import HEAD_RELEASE
from tests.document.conftest import execute, folder_state, lock_held_elsewhere
from tests.document.disks import remount_read_only
from tests.document.test_repair import rows


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\xa5" * (len(data) - len(data) // 2))


def test_restore_puts_the_backup_in_place_and_keeps_the_damaged_file(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    made = backup(path)
    execute(path, "UPDATE sample SET name = 'after the backup'")
    damage(path)
    damaged, saved = digest(path), digest(made)
    assert inspect(path).state is State.CORRUPT
    kept = restore_backup(path, made)
    assert kept is not None and kept.parent == path.parent
    assert kept.name.startswith(f"{path.stem}.before-restore-")
    assert digest(kept) == damaged  # every byte of the damaged file is still there
    assert digest(made) == saved  # the backup is only read
    assert inspect(path).state is State.CURRENT
    assert rows(path) == rows(made)
    assert path.stat().st_mode & 0o200  # editable again, unlike the read-only backup


def test_a_second_restore_in_the_same_minute_keeps_both(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    made = backup(path)
    first = restore_backup(path, made)
    second = restore_backup(path, made)
    assert first is not None and second is not None and first != second


def test_only_a_sound_backup_is_restored(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy(HEAD_RELEASE)
    broken = path.with_name("broken.backup.db")
    broken.write_text("not a database")
    before = folder_state(path.parent)
    with pytest.raises(NotADocument):
        restore_backup(path, broken)
    assert folder_state(path.parent) == before


def test_not_while_another_samplebook_has_it_open(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy(HEAD_RELEASE)
    made = backup(path)
    before = digest(path)
    with lock_held_elsewhere(path), pytest.raises(DocumentInUse):
        restore_backup(path, made)
    assert digest(path) == before


def test_a_read_only_folder_changes_nothing(
    small_disk: Callable[[int], Path], fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    disk = small_disk(1024)
    path = disk / "Notes.db"
    shutil.copyfile(fixture_copy(HEAD_RELEASE), path)
    made = backup(path, tmp_path)
    remount_read_only(disk)
    before = folder_state(disk)
    with pytest.raises(CannotWrite):
        restore_backup(path, made)
    assert folder_state(disk) == before
