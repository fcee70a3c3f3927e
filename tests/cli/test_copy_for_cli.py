"""``samplebook-doc copy-for`` as a real subprocess: output, exit codes, nothing partial left."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import State, inspect
from app.document.releases import HEAD_RELEASE
from tests.cli.test_samplebook_doc import run
from tests.document.conftest import execute, lock_held_elsewhere
from tests.document.disks import BALLAST, fill_up, remount_read_only


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def current(fixture_copy: Callable[[str], Path]) -> Path:
    return fixture_copy(HEAD_RELEASE)


def test_prints_the_losses_before_it_writes_then_the_copy(current: Path, tmp_path: Path) -> None:
    before = digest(current)
    done = run("copy-for", current, tmp_path / "For 2.0.db", "--release", "2.0")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"A copy for Samplebook 2.0 cannot hold everything in {current.name}:"
    assert (
        "  - 2 provenance rows are left out: Samplebook 2.0 has no record of where exports came "
        "from." in lines
    )
    assert any(line.startswith("  - qualifiers of 46 measurements are dropped") for line in lines)
    assert any(line.startswith("  - 27 measurements not detected (n.d.)") for line in lines)
    assert lines[-1].startswith(f"Saved {tmp_path / 'For 2.0.db'}: a copy for Samplebook 2.0")
    # Progress on stderr: one step to read, one per release undone, two to write.
    assert done.stderr.splitlines() == [
        "  [1/5] reading the document",
        "  [2/5] taking out what Samplebook 2.2 added",
        "  [3/5] taking out what Samplebook 2.1 added",
        "  [4/5] writing the copy",
        "  [5/5] checking the copy",
    ]
    assert digest(current) == before
    found = inspect(tmp_path / "For 2.0.db")
    assert found.state is State.OUTDATED and found.release == "2.0"


def test_tags_as_text_for_1_1(current: Path, tmp_path: Path) -> None:
    done = run("copy-for", current, tmp_path / "Old.db", "--release", "1.1")
    assert done.returncode == 0, done.stderr
    assert "  - tags become comma-separated text in Samplebook 1.1 (on 51 samples)." in (
        done.stdout.splitlines()
    )


def test_an_older_source_that_loses_nothing_says_so(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """A 2.0 document that was never given a title or dates by a Samplebook: nothing to lose."""
    source = fixture_copy("2.0")
    execute(
        source,
        "UPDATE document_info SET title = '', created_at = NULL, created_by_version = NULL, "
        "saved_at = NULL, saved_by_version = NULL",
    )
    done = run("copy-for", source, tmp_path / "Old.db", "--release", "1.2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"Samplebook 1.2 holds everything in {source.name}: nothing is lost."
    )


@pytest.mark.parametrize(
    ("release", "words"),
    [
        ("3.0", "can write copies for Samplebook 1.0, 1.1, 1.2, 2.0 and 2.1"),
        (HEAD_RELEASE, "Choose Samplebook 1.0, 1.1, 1.2, 2.0 or 2.1."),
    ],
)
def test_a_release_it_cannot_write_is_exit_2(
    current: Path, tmp_path: Path, release: str, words: str
) -> None:
    done = run("copy-for", current, tmp_path / "Old.db", "--release", release)
    assert done.returncode == 2, done.stderr
    assert words in done.stderr
    assert not (tmp_path / "Old.db").exists()


def test_without_release_is_a_usage_error(current: Path, tmp_path: Path) -> None:
    done = run("copy-for", current, tmp_path / "Old.db")
    assert done.returncode == 2
    assert "--release" in done.stderr


@pytest.mark.parametrize(
    ("spoil", "code"),
    [
        (lambda p: p.unlink(), 3),
        (lambda p: p.write_text("not a database"), 3),
        (lambda p: execute(p, "CREATE TRIGGER t AFTER INSERT ON sample BEGIN SELECT 1; END"), 4),
        (lambda p: execute(p, "UPDATE alembic_version SET version_num = 'abcdef999999'"), 5),
        (lambda p: Path(f"{p}-journal").write_bytes(b"x" * 512), 6),
    ],
    ids=["missing", "not-sqlite", "tampered", "newer", "being-written"],
)
def test_source_problems_have_the_codes_of_every_verb(
    current: Path, tmp_path: Path, spoil: Callable[[Path], None], code: int
) -> None:
    spoil(current)
    done = run("copy-for", current, tmp_path / "Old.db", "--release", "2.1")
    assert done.returncode == code, done.stderr
    assert "internal error" not in done.stderr
    assert not (tmp_path / "Old.db").exists()


def test_an_existing_destination_is_exit_7_unless_forced(current: Path, tmp_path: Path) -> None:
    taken = tmp_path / "Taken.db"
    taken.write_bytes(b"keep")
    done = run("copy-for", current, taken, "--release", "2.1")
    assert done.returncode == 7 and "already exists" in done.stderr
    assert taken.read_bytes() == b"keep"
    assert run("copy-for", current, taken, "--release", "2.1", "--force").returncode == 0
    assert inspect(taken).release == "2.1"
    done = run("copy-for", current, current, "--release", "2.1", "--force")
    assert done.returncode == 7 and "the document being copied" in done.stderr


def test_a_source_open_in_another_samplebook_is_read(current: Path, tmp_path: Path) -> None:
    with lock_held_elsewhere(current):
        done = run("copy-for", current, tmp_path / "Old.db", "--release", "2.1")
    assert done.returncode == 0, done.stderr


def test_full_disk(small_disk: Callable[[int], Path], current: Path) -> None:
    disk = small_disk(1024)
    source = disk / "Notes.db"
    shutil.copyfile(current, source)
    before = digest(source)
    fill_up(disk)
    done = run("copy-for", source, disk / "Old.db", "--release", "1.1")
    assert done.returncode == 7, done.stderr
    assert "disk is full" in done.stderr and "Notes.db is unchanged" in done.stderr
    assert digest(source) == before
    assert {entry.name for entry in disk.iterdir()} == {"Notes.db", BALLAST}


def test_read_only_file_system(small_disk: Callable[[int], Path], current: Path) -> None:
    disk = small_disk(1024)
    source = disk / "Notes.db"
    shutil.copyfile(current, source)
    before = digest(source)
    remount_read_only(disk)
    done = run("copy-for", source, disk / "Old.db", "--release", "2.0")
    assert done.returncode == 7, done.stderr
    assert "read-only" in done.stderr
    assert digest(source) == before
    assert {entry.name for entry in disk.iterdir()} == {"Notes.db"}
