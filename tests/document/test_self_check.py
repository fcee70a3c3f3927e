"""A migration that builds the wrong schema: Samplebook's own check must catch it, say the original
is unchanged, and treat it as ours to fix (``SelfCheckFailed``: logged, CLI exit 1).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app import cli
from app.document import DocumentError, SelfCheckFailed, State, inspect, migration, upgrade
from app.document.migration import migrations_dir
from app.paths import log_file


def wrong_schema_migrations(tmp_path: Path) -> Path:
    """A copy of the shipped migrations whose last revision also makes a table it should not."""
    copy = tmp_path / "migrations-of-a-bad-build"
    shutil.copytree(migrations_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    revision = next((copy / "versions").glob("5d8f2a7c3b21_*.py"))
    text = revision.read_text(encoding="utf-8")
    marker = "\n\ndef downgrade() -> None:"
    assert marker in text
    text = text.replace(
        marker, '    op.execute("CREATE TABLE stray_from_a_bad_build (x)")\n' + marker, 1
    )
    revision.write_text(text, encoding="utf-8")
    return copy


def test_the_upgraded_copy_is_checked_and_the_original_left_alone(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """Holds today already: whatever the error class, the check refuses the copy."""
    path = fixture_copy("1.2")
    before = path.read_bytes()
    with pytest.raises(DocumentError, match="did not pass its checks"):
        upgrade(path, backup=False, script_location=wrong_schema_migrations(tmp_path))
    assert path.read_bytes() == before
    assert inspect(path).state is State.OUTDATED


def test_a_wrong_schema_after_migrating_is_a_failed_self_check(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    path = fixture_copy("1.2")
    with pytest.raises(SelfCheckFailed) as failed:
        upgrade(path, backup=False, script_location=wrong_schema_migrations(tmp_path))
    assert "original is unchanged" in failed.value.next_step


def test_the_cli_logs_a_failed_self_check_and_exits_1(
    fixture_copy: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = fixture_copy("1.2")
    before = path.read_bytes()
    broken = wrong_schema_migrations(tmp_path)
    monkeypatch.setattr(migration, "migrations_dir", lambda: broken)  # as a bad build ships it
    logged = log_file().stat().st_size if log_file().exists() else 0
    code = cli.main(["upgrade", str(path), "--no-backup"])
    err = capsys.readouterr().err
    assert code == 1
    assert "did not pass its checks" in err and "The original is unchanged." in err
    assert f"Details are in {log_file()}." in err
    with log_file().open("rb") as handle:
        handle.seek(logged)
        assert "SelfCheckFailed" in handle.read().decode("utf-8", errors="replace")
    assert path.read_bytes() == before
