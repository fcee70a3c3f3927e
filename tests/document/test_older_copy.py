"""Copies for an older Samplebook through the document layer: the source is only ever read.

The row-by-row round trips of every fixture are in tests/migrations/test_copy_rows.py; here are
the refusals, the failures that must leave nothing behind, older sources, open documents, and
the tag names that 1.1's text cannot hold.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document import (
    CannotWrite,
    DestinationExists,
    DocumentDamaged,
    DocumentInUse,
    DocumentTooNew,
    NotADocument,
    State,
    create,
    inspect,
    open_document,
)
from app.document.losses import Loss, losses
from app.document.migration import upgrade_in_place
from app.document.older_copy import (
    ReleaseNotWritable,
    copy_for,
    copy_working_copy_for,
)
from app.document.releases import HEAD_RELEASE, RELEASE_OF_REVISION
from app.paths import cache_dir
from tests.document.conftest import execute, folder_state, leftovers, lock_held_elsewhere
from tests.document.disks import fill_up, remount_read_only
from tests.migrations.test_downgrades import failing_downgrades
from tests.migrations.test_upgrade_rows import read_tables

REVISION_OF = {release: revision for revision, release in RELEASE_OF_REVISION.items()}


@pytest.fixture
def current(fixture_copy: Callable[[str], Path]) -> Path:
    """The newest fixture: a current document with lab values and provenance rows."""
    return fixture_copy(HEAD_RELEASE)


def cache_leftovers() -> list[str]:
    return leftovers(cache_dir())


# --------------------------------------------------------------------------------------------------
# What is written, and what is not


def test_the_source_is_only_read_and_nothing_else_is_left(current: Path, tmp_path: Path) -> None:
    before = folder_state(tmp_path)
    heard: list[list[Loss]] = []

    def before_writing(losses: list[Loss]) -> None:
        assert not (tmp_path / "Old.db").exists()  # told before anything is written
        heard.append(losses)

    result = copy_for(current, tmp_path / "Old.db", "2.0", before_writing=before_writing)
    assert heard == [result.losses]
    assert {loss.kind for loss in result.losses} >= {"provenance", "not_detected"}
    assert result.destination == tmp_path / "Old.db"
    assert result.undone == [REVISION_OF["2.2"], REVISION_OF["2.1"]]
    after = folder_state(tmp_path)
    assert after.pop("Old.db") and after == before
    assert cache_leftovers() == []
    found = inspect(tmp_path / "Old.db")
    assert found.state is State.OUTDATED and found.release == "2.0"


def test_the_copy_is_remembered_as_verified(current: Path, tmp_path: Path) -> None:
    """Written and fully checked here, like every file Samplebook writes: opening it again in
    this Samplebook (to check what it holds) skips the full check until it changes."""
    copy = copy_for(current, tmp_path / "Old.db", "2.1").destination
    reports: list[tuple[int, int]] = []
    found = inspect(copy, progress=lambda done, total: reports.append((done, total)))
    assert reports == [] and found.state is State.OUTDATED and found.release == "2.1"
    execute(
        copy, "UPDATE sample SET name = 'changed elsewhere' WHERE id = (SELECT min(id) FROM sample)"
    )
    inspect(copy, progress=lambda done, total: reports.append((done, total)))
    assert reports


def test_an_existing_destination_is_refused_unless_forced(current: Path, tmp_path: Path) -> None:
    taken = tmp_path / "Taken.db"
    taken.write_bytes(b"keep me")
    with pytest.raises(DestinationExists) as refused:
        copy_for(current, taken, "2.1")
    assert refused.value.exit_code == 7
    assert taken.read_bytes() == b"keep me"
    copy_for(current, taken, "2.1", overwrite=True)
    assert inspect(taken).release == "2.1"


def test_the_source_itself_is_never_the_destination(current: Path) -> None:
    before = current.read_bytes()
    for name in (current, current.parent / ".." / current.parent.name / current.name):
        with pytest.raises(CannotWrite, match="the document being copied"):
            copy_for(name, current, "2.1", overwrite=True)
    link = current.with_name("link.db")
    link.symlink_to(current)
    with pytest.raises(CannotWrite, match="the document being copied"):
        copy_for(current, link, "2.1", overwrite=True)
    assert current.read_bytes() == before


def test_a_destination_open_in_a_samplebook_is_not_replaced(current: Path, tmp_path: Path) -> None:
    other = create(tmp_path / "Open.db", "open")
    before = other.read_bytes()
    with lock_held_elsewhere(other), pytest.raises(CannotWrite, match="is open in"):
        copy_for(current, other, "2.1", overwrite=True)
    assert other.read_bytes() == before


def test_a_missing_folder_is_refused(current: Path, tmp_path: Path) -> None:
    with pytest.raises(CannotWrite, match="does not exist"):
        copy_for(current, tmp_path / "nowhere" / "Old.db", "2.1")


# --------------------------------------------------------------------------------------------------
# Releases


@pytest.mark.parametrize("release", ["3.0", "1.5", "", "2.2.0", "latest"])
def test_an_unknown_release_names_the_ones_it_can_write(
    current: Path, tmp_path: Path, release: str
) -> None:
    with pytest.raises(ReleaseNotWritable) as refused:
        copy_for(current, tmp_path / "Old.db", release)
    assert refused.value.exit_code == 2
    assert "can write copies for Samplebook 1.0, 1.1, 1.2, 2.0 and 2.1" in str(refused.value)
    assert not (tmp_path / "Old.db").exists()


@pytest.mark.parametrize(
    ("source", "release", "offered"),
    [
        (HEAD_RELEASE, HEAD_RELEASE, "Choose Samplebook 1.0, 1.1, 1.2, 2.0 or 2.1."),
        ("2.0", "2.1", "Choose Samplebook 1.0, 1.1 or 1.2."),
        ("2.0", "2.0", "Choose Samplebook 1.0, 1.1 or 1.2."),
        ("1.1", "1.2", "Choose Samplebook 1.0."),
        ("1.0", "1.0", "Samplebook 1.0 is the oldest release; there is none older."),
    ],
)
def test_a_release_not_older_than_the_source_is_refused(
    fixture_copy: Callable[[str], Path], tmp_path: Path, source: str, release: str, offered: str
) -> None:
    path = fixture_copy(source)
    before = folder_state(tmp_path)
    with pytest.raises(ReleaseNotWritable) as refused:
        copy_for(path, tmp_path / "Old.db", release)
    assert refused.value.message.startswith(f"“{path.name}” is in the Samplebook {source} format")
    assert refused.value.next_step == offered
    assert folder_state(tmp_path) == before


def test_an_older_source_is_copied_from_its_own_format(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """A 1.2 document copied for 1.1 is not upgraded on the way: its duplicate codes, which an
    upgrade to 2.0 would rename, stay as they are, and only 1.2's changes are counted."""
    source = fixture_copy("1.2")
    before = source.read_bytes()
    original = read_tables(source)
    result = copy_for(source, tmp_path / "For 1.1.db", "1.1")
    assert source.read_bytes() == before
    assert result.source_release == "1.2" and result.undone == [REVISION_OF["1.2"]]
    assert [loss.kind for loss in result.losses] == ["tags_as_text", "unused_tags"]
    copied = read_tables(tmp_path / "For 1.1.db")
    assert [(s["id"], s["code"]) for s in copied["sample"]] == [
        (s["id"], s["code"]) for s in original["sample"]
    ]
    codes = [s["code"] for s in copied["sample"]]
    assert codes.count("S-7") == 3  # the duplicates the 1.2 fixture was made with
    assert copied["measurement"] == original["measurement"]


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda p: p.write_text("hello"), NotADocument),
        (lambda p: execute(p, "CREATE VIEW v AS SELECT 1"), DocumentDamaged),
        (
            lambda p: execute(p, "UPDATE alembic_version SET version_num = 'abcdef999999'"),
            DocumentTooNew,
        ),
        (lambda p: Path(f"{p}-journal").write_bytes(b"x" * 512), DocumentInUse),
    ],
    ids=["not-a-document", "tampered", "newer", "being-written"],
)
def test_sources_that_cannot_be_read_are_refused_as_for_every_verb(
    current: Path, tmp_path: Path, make: Callable[[Path], None], error: type[Exception]
) -> None:
    make(current)
    before = folder_state(tmp_path)
    with pytest.raises(error):
        copy_for(current, tmp_path / "Old.db", "2.1")
    assert folder_state(tmp_path) == before


def test_a_source_open_in_another_samplebook_can_be_copied(current: Path, tmp_path: Path) -> None:
    with lock_held_elsewhere(current):
        copy_for(current, tmp_path / "Old.db", "2.1")
    assert inspect(tmp_path / "Old.db").release == "2.1"


# --------------------------------------------------------------------------------------------------
# Failures leave nothing


def test_a_downgrade_failing_midway_leaves_no_destination(current: Path, tmp_path: Path) -> None:
    broken = failing_downgrades(tmp_path)
    before = current.read_bytes()
    folder = folder_state(current.parent)
    with pytest.raises(RuntimeError, match="injected failure midway"):
        copy_for(current, current.parent / "Old.db", "1.1", script_location=broken)
    assert current.read_bytes() == before
    assert folder_state(current.parent) == folder
    assert not (current.parent / "Old.db").exists()
    assert cache_leftovers() == []


def test_a_full_disk_leaves_no_destination(
    small_disk: Callable[[int], Path], current: Path
) -> None:
    disk = small_disk(1024)
    source = disk / "Notes.db"
    shutil.copyfile(current, source)
    fill_up(disk)
    before = folder_state(disk)
    with pytest.raises(CannotWrite, match="disk is full") as failed:
        copy_for(source, disk / "Old.db", "1.2")
    assert "Notes.db is unchanged" in failed.value.message
    assert folder_state(disk) == before
    assert cache_leftovers() == []


def test_a_read_only_destination_leaves_nothing(
    small_disk: Callable[[int], Path], current: Path
) -> None:
    disk = small_disk(1024)
    remount_read_only(disk)
    before = current.read_bytes()
    with pytest.raises(CannotWrite, match="read-only"):
        copy_for(current, disk / "Old.db", "2.0")
    assert current.read_bytes() == before
    assert list(disk.iterdir()) == []
    assert cache_leftovers() == []


# --------------------------------------------------------------------------------------------------
# An open document: its working copy, unsaved edits included


def test_an_open_document_is_copied_with_its_unsaved_edits(current: Path, tmp_path: Path) -> None:
    saved = current.read_bytes()
    with open_document(current) as document:
        with document.transaction() as connection:
            connection.execute("UPDATE sample SET name = 'edited, not saved' WHERE id = 1")
            connection.execute("DELETE FROM provenance")
        counted = losses(document.connection, REVISION_OF["2.2"], REVISION_OF["2.0"])
        assert [loss.kind for loss in counted] == [
            "not_detected",
            "qualifiers",
            "uncertainties",
            "identity",
            "export_record",
            "merge_record",
        ]
        result = copy_working_copy_for(
            document.work_path, tmp_path / "Old.db", "2.0", original=current
        )
        assert "provenance" not in {loss.kind for loss in result.losses}
        with pytest.raises(CannotWrite, match="the document being copied"):
            copy_working_copy_for(
                document.work_path, current, "2.0", original=current, overwrite=True
            )
    assert current.read_bytes() == saved
    with closing(sqlite3.connect(tmp_path / "Old.db")) as db:
        assert db.execute("SELECT name FROM sample WHERE id = 1").fetchone() == (
            "edited, not saved",
        )


# --------------------------------------------------------------------------------------------------
# Tag names 1.1's text cannot hold


@pytest.fixture
def awkward_tags(tmp_path: Path) -> Path:
    """A current document whose tags hold a comma, stray spaces (another program wrote them),
    and two spellings that differ only in case beyond ASCII (NOCASE keeps them apart)."""
    path = tmp_path / "Tags.db"
    upgrade_in_place(path, create=True)
    execute(
        path,
        "INSERT INTO sample (id, code, name) VALUES (1, 'A', 'a'), (2, 'B', 'b'), (3, 'C', 'c')",
        "INSERT INTO tag (id, name) VALUES (1, 'Fe, Mn'), (2, 'Écume'), (3, 'écume'), "
        "(4, '  spaced  out '), (5, 'fe'), (6, 'plain'), (7, 'nobody')",
        "INSERT INTO sample_tag (sample_id, tag_id) VALUES (1, 1), (1, 6), (2, 2), (3, 3), "
        "(3, 4), (2, 5)",
    )
    return path


def test_tag_names_text_cannot_hold_are_named_and_counted(
    awkward_tags: Path, tmp_path: Path
) -> None:
    result = copy_for(awkward_tags, tmp_path / "Old.db", "1.1")
    by_kind = {loss.kind: loss for loss in result.losses}
    assert by_kind["tags_as_text"].count == 3
    assert by_kind["unused_tags"].count == 1 and "“nobody”" in by_kind["unused_tags"].text
    # "Fe, Mn" is two tags in text; "  spaced  out " is read back as "spaced out".
    assert by_kind["tags_split"].count == 2
    assert "reads “Fe, Mn” as 2 tags, “Fe” and “Mn”" in by_kind["tags_split"].text
    # "Écume"/"écume" fold alike, and so do "Fe" (out of "Fe, Mn") and "fe".
    assert by_kind["tags_merged"].count == 4
    with closing(sqlite3.connect(tmp_path / "Old.db")) as db:
        assert db.execute("SELECT id, tags FROM sample ORDER BY id").fetchall() == [
            (1, "Fe, Mn, plain"),
            (2, "Écume, fe"),
            (3, "écume,   spaced  out "),
        ]
    again = tmp_path / "again.db"
    shutil.copyfile(tmp_path / "Old.db", again)
    upgrade_in_place(again)
    tables = read_tables(again)
    name_of = {tag["id"]: tag["name"] for tag in tables["tag"]}
    tags_of = {
        sample_id: sorted(
            name_of[link["tag_id"]]
            for link in tables["sample_tag"]
            if link["sample_id"] == sample_id
        )
        for sample_id in (1, 2, 3)
    }
    # Exactly what the report said: split, respaced, merged (the first spelling seen wins a tie).
    assert tags_of == {1: ["Fe", "Mn", "plain"], 2: ["Fe", "Écume"], 3: ["spaced out", "Écume"]}
