"""Backups: verified, read-only, never overwriting an earlier one."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import CannotWrite, NotADocument, State, backup, backups_of, inspect
from app.document.releases import HEAD_RELEASE
from tests.document.conftest import dump, folder_state


def test_two_backups_in_one_minute_both_survive(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("1.1")
    first = backup(path)
    second = backup(path)
    third = backup(path)
    assert len({first, second, third}) == 3
    assert first.name.startswith("release-1.1.backup-1.1-")
    assert second.stem.endswith("-2") and third.stem.endswith("-3")
    for made in (first, second, third):
        assert dump(made) == dump(path)
        assert not made.stat().st_mode & stat.S_IWUSR
    assert backups_of(path)[0] in {first, second, third}
    assert len(backups_of(path)) == 3


def test_backup_of_current_document_names_its_release(fixture_copy: Callable[[str], Path]) -> None:
    made = backup(fixture_copy(HEAD_RELEASE))
    assert f".backup-{HEAD_RELEASE}-" in made.name
    assert inspect(made).state is State.CURRENT


def test_backup_into_a_folder(fixture_copy: Callable[[str], Path], tmp_path: Path) -> None:
    target = tmp_path / "safe"
    target.mkdir()
    made = backup(fixture_copy("1.0"), target)
    assert made.parent == target


def test_backup_into_a_missing_folder_is_refused(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    path = fixture_copy("1.0")
    before = folder_state(path.parent)
    with pytest.raises(CannotWrite):
        backup(path, tmp_path / "does-not-exist")
    assert folder_state(path.parent) == before


def test_backup_of_a_non_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(NotADocument):
        backup(path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
