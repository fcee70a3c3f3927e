"""Every verb that writes, on a full disk and on a read-only file system, as a real subprocess.

The contract: exit 7 with a sentence that says why, the original byte-identical, and nothing
partial left behind (no temporary file, no journal, no half-made destination).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import CannotWrite, State, create, file_source, inspect, upgrade
from app.document.releases import HEAD_RELEASE
from app.domain import SampleFilter
from app.domain.export import export_subset
from tests.cli.test_samplebook_doc import run
from tests.document.conftest import execute
from tests.document.disks import BALLAST, empty_out, fill_up, remount_read_only


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def left_behind(folder: Path, *expected: str) -> set[str]:
    """Files in ``folder`` other than the ballast and the ``expected`` ones."""
    return {entry.name for entry in folder.iterdir()} - {BALLAST, *expected}


def command(verb: str, source: Path, target_folder: Path) -> list[str | Path]:
    if verb == "upgrade":
        return ["upgrade", "--no-backup", source]
    if verb == "backup":
        return ["backup", source, "--to", target_folder]
    if verb == "new":
        return ["new", target_folder / "New.db"]
    if verb == "repair":
        return ["repair", source, target_folder / "Clean.db"]
    assert verb == "export"
    return ["export", source, target_folder / "Subset.db"]


@pytest.mark.parametrize("verb", ["upgrade", "backup", "export", "new", "repair"])
def test_full_disk(
    verb: str, small_disk: Callable[[int], Path], fixture_copy: Callable[[str], Path]
) -> None:
    disk = small_disk(1024)
    source = disk / "Notes.db"
    shutil.copyfile(fixture_copy("1.1" if verb == "upgrade" else HEAD_RELEASE), source)
    before = digest(source)
    fill_up(disk)
    done = run(*command(verb, source, disk))
    assert done.returncode == 7, done.stderr
    assert "disk is full" in done.stderr
    assert "internal error" not in done.stderr
    assert digest(source) == before
    assert left_behind(disk, "Notes.db") == set()


@pytest.mark.parametrize("verb", ["upgrade", "backup", "export", "new", "repair"])
def test_read_only_file_system(
    verb: str,
    small_disk: Callable[[int], Path],
    fixture_copy: Callable[[str], Path],
) -> None:
    disk = small_disk(1024)
    source = disk / "Notes.db"
    shutil.copyfile(fixture_copy("1.1" if verb == "upgrade" else HEAD_RELEASE), source)
    before = digest(source)
    remount_read_only(disk)
    done = run(*command(verb, source, disk))
    assert done.returncode == 7, done.stderr
    assert "internal error" not in done.stderr
    assert any(
        words in done.stderr for words in ("read-only", "could not be created", "can write")
    ), done.stderr
    assert digest(source) == before
    assert left_behind(disk, "Notes.db") == set()


def test_temporary_export_with_a_full_cache(
    small_disk: Callable[[int], Path], fixture_copy: Callable[[str], Path]
) -> None:
    """``export --temp`` writes into the user cache folder: a full one is exit 7 too."""
    home = small_disk(1024)
    source = fixture_copy(HEAD_RELEASE)
    environment = os.environ | {"SAMPLEBOOK_HOME": str(home)}
    # A first run puts the template into the cache; then the disk fills up.
    assert run_with(environment, "new", source.with_name("first.db")).returncode == 0
    fill_up(home)
    before = {path: digest(path) for path in home.rglob("*") if path.is_file()}
    done = run_with(environment, "export", source, "--temp")
    assert done.returncode == 7, done.stderr
    assert "disk is full" in done.stderr
    assert {path: digest(path) for path in home.rglob("*") if path.is_file()} == before


def run_with(environment: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("samplebook-doc")), *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


def space_sweep(
    disk: Path,
    sizes: range,
    attempt: Callable[[], None],
    prepare: Callable[[], None] = lambda: None,
) -> list[str]:
    """Run ``attempt`` with each amount of free space; returns the outcomes in order."""
    outcomes = []
    for leave in sizes:
        prepare()
        fill_up(disk, leave=leave)
        try:
            attempt()
        except CannotWrite as error:
            assert "disk is full" in error.message, error.message
            outcomes.append("refused")
        else:
            outcomes.append("done")
        finally:
            empty_out(disk)
    return outcomes


def test_upgrade_that_runs_out_of_space_during_the_migration(
    small_disk: Callable[[int], Path], fixture_copy: Callable[[str], Path]
) -> None:
    """The copy fits, the migration does not: SQLAlchemy wraps SQLite's SQLITE_FULL."""
    disk = small_disk(1024)
    source = disk / "Notes.db"
    original = fixture_copy("1.0")
    size = original.stat().st_size

    before = digest(original)

    def attempt() -> None:
        try:
            upgrade(source, backup=False)
        except CannotWrite:
            assert digest(source) == before
            assert left_behind(disk, "Notes.db") == set()
            raise
        assert inspect(source).state is State.CURRENT

    # From "not even the copy fits" to "everything fits" (the migrated copy, its journal and the
    # compact copy that replaces the original), in steps of a few pages.
    outcomes = space_sweep(
        disk,
        range(size - 8192, 12 * size, 12288),
        attempt,
        prepare=lambda: shutil.copyfile(original, source),
    )
    assert "refused" in outcomes and "done" in outcomes, outcomes


def test_export_that_runs_out_of_space_while_copying_rows(
    small_disk: Callable[[int], Path], tmp_path: Path
) -> None:
    """SQLite rolls back by itself on SQLITE_FULL; the export must report the full disk."""
    disk = small_disk(2048)
    source = create(tmp_path / "Big.db", "Big")
    execute(
        source,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
        "INSERT INTO sample (code, name, notes) SELECT 'S-' || i, 'Sample ' || i, "
        "printf('%.400c', 'x') FROM n",
    )
    target = disk / "Subset.db"

    def attempt() -> None:
        with file_source(source) as where:
            try:
                export_subset(where, SampleFilter(), target)
            except CannotWrite:
                assert left_behind(disk) == set()
                raise
        target.unlink()

    outcomes = space_sweep(disk, range(64 * 1024, 1600 * 1024, 96 * 1024), attempt)
    assert "refused" in outcomes and "done" in outcomes, outcomes


@pytest.fixture
def undecodable_tags(fixture_copy: Callable[[str], Path]) -> Path:
    """A 1.1 document whose free-text tags hold bytes that are not UTF-8 (a damaged file)."""
    path = fixture_copy("1.1")
    execute(path, "UPDATE sample SET tags = CAST(x'ff6669656c64' AS TEXT) WHERE id = 1")
    return path


@pytest.mark.parametrize("verb", ["upgrade", "export"])
def test_text_that_is_not_utf8_is_damage_not_a_bug(
    verb: str, undecodable_tags: Path, tmp_path: Path
) -> None:
    before = digest(undecodable_tags)
    if verb == "upgrade":
        done = run("upgrade", "--no-backup", undecodable_tags)
    else:
        done = run("export", undecodable_tags, tmp_path / "Subset.db")
    assert done.returncode == 4, done.stderr
    assert "not valid UTF-8" in done.stderr
    assert "internal error" not in done.stderr
    assert digest(undecodable_tags) == before
    assert not (tmp_path / "Subset.db").exists()


def test_a_reader_that_stops_reading_is_not_an_internal_error(
    fixture_copy: Callable[[str], Path],
) -> None:
    """``samplebook-doc info X | head -1``: the pipe closes before everything is written."""
    script = Path(sys.executable).with_name("samplebook-doc")
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first byte is written
    try:
        done = subprocess.run(
            [str(script), "info", str(fixture_copy(HEAD_RELEASE))],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(writer)
    assert done.returncode == 141
    assert done.stderr == ""
