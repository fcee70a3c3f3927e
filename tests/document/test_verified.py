"""Verify a file version once: a file Samplebook checked or wrote, unchanged since, gets the cheap
checks; any change behind its back brings the full check back.

Whether the full check ran is what a person sees too: only the full check reports progress.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document import (
    InspectionCancelled,
    State,
    backup,
    create,
    inspect,
    open_document,
    upgrade,
)
from app.document.inspection import Inspection
from app.document.releases import HEAD_RELEASE
from tests.document.conftest import execute


def full_check_ran(path: Path) -> tuple[bool, Inspection]:
    reports: list[tuple[int, int]] = []
    found = inspect(path, progress=lambda done, total: reports.append((done, total)))
    return bool(reports), found


def test_a_file_checked_once_is_not_checked_in_full_again(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    assert full_check_ran(path)[0]  # arrived from elsewhere
    ran, found = full_check_ran(path)
    assert not ran and found.state is State.CURRENT


def test_what_samplebook_writes_is_verified(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    made = create(tmp_path / "New.db", "new")
    assert not full_check_ran(made)[0]
    source = fixture_copy(HEAD_RELEASE)
    with open_document(source) as document:  # its first check, in full
        with document.transaction() as connection:
            connection.execute("UPDATE document_info SET title = 'edited'")
        document.save()
    assert not full_check_ran(source)[0]
    assert not full_check_ran(backup(source))[0]
    old = fixture_copy("1.1")
    upgrade(old, backup=False)
    ran, found = full_check_ran(old)
    assert not ran and found.state is State.CURRENT


def test_a_write_behind_samplebooks_back_brings_the_full_check_back(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    inspect(path)
    execute(
        path, "UPDATE sample SET name = 'changed elsewhere' WHERE id = (SELECT min(id) FROM sample)"
    )
    assert full_check_ran(path)[0]


def test_restoring_the_modification_time_does_not_hide_a_change(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    inspect(path)
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[-200] ^= 0xFF  # a byte-level edit that keeps the size (and the change counter)
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert full_check_ran(path)[0]  # the status-change time cannot be set back


def test_a_copy_is_a_file_of_its_own(fixture_copy: Callable[[str], Path], tmp_path: Path) -> None:
    path = fixture_copy(HEAD_RELEASE)
    inspect(path)
    copy = tmp_path / "copy.db"
    shutil.copy2(path, copy)  # same bytes and times, another file
    assert full_check_ran(copy)[0]


def test_index_damage_done_behind_its_back_is_found(
    fixture_copy: Callable[[str], Path],
) -> None:
    """Only the full check sees an index that disagrees with its table: it must run again."""
    path = fixture_copy(HEAD_RELEASE)
    assert inspect(path).state is State.CURRENT
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        # Write the table behind the index's back: the index keeps the old names.
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, 'ix_sample_name', 'ix_sample_name') "
            "WHERE name = 'ix_sample_name'"
        )
        root = connection.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'ix_sample_name'"
        ).fetchone()[0]
        connection.execute(
            "UPDATE sqlite_schema SET rootpage = "
            "(SELECT rootpage FROM sqlite_schema WHERE name = 'ix_sample_location') "
            "WHERE name = 'ix_sample_name'"
        )
        connection.execute(
            "UPDATE sqlite_schema SET rootpage = ? WHERE name = 'ix_sample_location'", (root,)
        )
        version = connection.execute("PRAGMA schema_version").fetchone()[0]
        connection.execute(f"PRAGMA schema_version = {version + 1}")
    assert inspect(path).state is State.CORRUPT


def test_the_full_check_can_be_cancelled_and_is_not_remembered(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    with pytest.raises(InspectionCancelled):
        inspect(path, cancelled=lambda: True)
    assert full_check_ran(path)[0]


def test_what_a_file_says_it_is_comes_before_its_full_check(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    seen: list[tuple[str, int]] = []

    def peek(found: Inspection) -> None:
        assert found.counts is not None and found.title is not None
        seen.append((found.title, found.counts.samples))

    found = inspect(path, peek=peek)
    assert found.counts is not None and found.title is not None
    assert seen == [(found.title, found.counts.samples)]


def test_a_saved_copy_is_checked_against_its_source(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """Save checks its backup-API copy by its header facts, not a second full read."""
    from app.document.soundness import copy_differences  # noqa: PLC0415

    source = sqlite3.connect(fixture_copy(HEAD_RELEASE))
    copy = tmp_path / "copy.db"
    with closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    assert copy_differences(source, copy) == []
    execute(copy, "CREATE TABLE written_over_by_something_else (x)")
    assert copy_differences(source, copy)  # its page count differs
    source.close()
