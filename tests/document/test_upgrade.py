"""Upgrading through the document layer: backups, refusals and failures leave files untouched."""

from __future__ import annotations

import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from app import __version__
from app.document import (
    CannotWrite,
    DocumentDamaged,
    DocumentError,
    DocumentInUse,
    DocumentTooNew,
    NotADocument,
    State,
    UpgradeCancelled,
    create,
    inspect,
    upgrade,
)
from app.document.locking import DocumentLock
from app.document.migration import Step, migrations_dir
from app.document.releases import HEAD_RELEASE, HEAD_REVISION
from tests.document.conftest import dump, execute, folder_state

BACKUP_NAME = re.compile(r"^release-(?P<release>\d\.\d)\.backup-(?P=release)-\d{8}-\d{4}\.db$")


@pytest.mark.parametrize("release", ["1.0", "1.1", "1.2", "2.0"])
def test_upgrade_with_backup(fixture_copy: Callable[[str], Path], release: str) -> None:
    path = fixture_copy(release)
    original = dump(path)
    steps: list[Step] = []
    result = upgrade(path, progress=steps.append)

    assert inspect(path).state is State.CURRENT
    assert result.from_release == release and result.to_release == HEAD_RELEASE
    assert [step.number for step in steps] == list(range(1, len(steps) + 1))
    assert all(step.total == len(steps) for step in steps)
    assert steps[-1].revision == HEAD_REVISION
    assert result.backup is not None and result.backup.parent == path.parent
    assert BACKUP_NAME.match(result.backup.name), result.backup.name
    assert dump(result.backup) == original
    assert not result.backup.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert inspect(result.backup).state is State.OUTDATED
    # Nothing else was left in the folder: no temporary copies, journals or lock files.
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, result.backup.name])
    assert inspect(path).saved_by == __version__


def test_upgrade_without_backup_and_into_backup_dir(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    first = fixture_copy("1.0")
    assert upgrade(first, backup=False).backup is None
    second = fixture_copy("1.1")
    elsewhere = tmp_path / "backups"
    elsewhere.mkdir()
    made = upgrade(second, backup_dir=elsewhere).backup
    assert made is not None and made.parent == elsewhere


def test_current_document_is_left_alone(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy(HEAD_RELEASE)
    before = folder_state(path.parent)
    result = upgrade(path)
    assert not result.changed and result.backup is None
    assert folder_state(path.parent) == before


def test_upgraded_twice_is_a_no_op(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("1.0")
    upgrade(path, backup=False)
    before = path.read_bytes()
    assert not upgrade(path).changed
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda p: p.write_bytes(b""), NotADocument),
        (lambda p: p.write_text("hello"), NotADocument),
        (lambda p: execute(p, "CREATE TABLE t (x)"), NotADocument),
    ],
)
def test_refuses_files_that_are_not_documents(
    tmp_path: Path, make: Callable[[Path], None], error: type[DocumentError]
) -> None:
    path = tmp_path / "x.db"
    make(path)
    before = folder_state(tmp_path)
    with pytest.raises(error):
        upgrade(path)
    assert folder_state(tmp_path) == before


def test_refuses_tampered_newer_and_locked(fixture_copy: Callable[[str], Path]) -> None:
    tampered = fixture_copy("1.1")
    execute(tampered, "CREATE VIEW v AS SELECT 1")
    newer = fixture_copy("1.2")
    execute(newer, "UPDATE alembic_version SET version_num = 'abcdef999999'")
    locked = fixture_copy("1.0")
    before = folder_state(tampered.parent)
    with pytest.raises(DocumentDamaged):
        upgrade(tampered)
    with pytest.raises(DocumentTooNew):
        upgrade(newer)
    assert folder_state(tampered.parent) == before
    # Held by this process too: a second claim on a document is refused the same way.
    with DocumentLock.acquire(locked), pytest.raises(DocumentInUse):
        upgrade(locked)


def failing_migrations(tmp_path: Path) -> Path:
    """A copy of the shipped migrations whose 2.0 revision fails after its table rebuilds."""
    copy = tmp_path / "elsewhere" / "migrations-that-fail"
    shutil.copytree(migrations_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    revision = next((copy / "versions").glob("e1a6b3c9d720_*.py"))
    text = revision.read_text(encoding="utf-8")
    marker = "def downgrade() -> None:"
    text = text.replace(
        marker,
        "def _fail() -> None:\n    raise RuntimeError('injected failure midway')\n\n\n" + marker,
    )
    # Fail after 2.0 rebuilt a table and redefined two, i.e. in the middle of the whole upgrade.
    text = text.replace(
        '    runner.redefine_table(op.get_bind(), "sample_tag", SAMPLE_TAG)\n',
        '    runner.redefine_table(op.get_bind(), "sample_tag", SAMPLE_TAG)\n    _fail()\n',
        1,
    )
    assert "    _fail()\n" in text
    revision.write_text(text, encoding="utf-8")
    return copy


@pytest.mark.parametrize("with_backup", [False, True])
def test_failure_midway_leaves_the_original_byte_identical(
    fixture_copy: Callable[[str], Path], tmp_path: Path, with_backup: bool
) -> None:
    broken = failing_migrations(tmp_path)
    path = fixture_copy("1.0")
    assert path.parent == tmp_path
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="injected failure midway"):
        upgrade(path, backup=with_backup, script_location=broken)
    assert path.read_bytes() == before
    leftovers = [p.name for p in path.parent.iterdir() if p.is_file() and p != path]
    # Only the backup the user asked for may remain: no temporary files, no lock file.
    assert all(".backup-" in name for name in leftovers), leftovers
    assert len(leftovers) == (1 if with_backup else 0)
    assert inspect(path).state is State.OUTDATED


def test_broken_foreign_keys_roll_everything_back(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("1.1")
    execute(
        path,
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (99999, 'pH', 7, '')",
    )
    before = path.read_bytes()
    with pytest.raises(DocumentDamaged, match="refer to records that do not exist"):
        upgrade(path, backup=False)
    assert path.read_bytes() == before


def test_permissions_of_the_document_survive(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("1.2")
    path.chmod(0o640)
    upgrade(path, backup=False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.permissions
def test_read_only_folder_cannot_be_upgraded(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("1.0")
    path.parent.chmod(0o555)
    try:
        with pytest.raises(CannotWrite):
            upgrade(path, backup=False)
    finally:
        path.parent.chmod(0o755)


def test_cancel_stops_the_compaction_too(tmp_path: Path) -> None:
    """The last quarter of a large upgrade is VACUUM INTO; Cancel must reach it as well."""
    import importlib  # noqa: PLC0415 - the module, not the function the package exports

    upgrading = importlib.import_module("app.document.upgrade")
    source = create(tmp_path / "doc.db", "doc")
    execute(
        source,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
        "INSERT INTO sample (code, name, notes) SELECT 'S' || i, 'sample', hex(randomblob(100)) "
        "FROM n",
    )
    ticks: list[int] = []
    target = tmp_path / "compact.db"
    with pytest.raises(UpgradeCancelled):
        upgrading._vacuum_into(source, target, lambda: ticks.append(1), lambda: len(ticks) >= 3)
    assert len(ticks) == 3
