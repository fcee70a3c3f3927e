"""The ``samplebook-doc`` contract, run as a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import create
from app.document.locking import DocumentLock
from app.document.releases import HEAD_RELEASE
from tests.document.conftest import execute, folder_state, lock_held_elsewhere

SCRIPT = Path(sys.executable).with_name("samplebook-doc")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
        check=False,
    )


def info(path: Path) -> dict[str, object]:
    done = run("info", path, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def every_state(tmp_path: Path, fixture_copy: Callable[[str], Path]) -> dict[str, Path]:
    """One file in each of the eleven states."""
    files: dict[str, Path] = {"missing": tmp_path / "missing.db"}
    (tmp_path / "folder.db").mkdir()
    files["unreadable"] = tmp_path / "folder.db"
    files["empty"] = tmp_path / "empty.db"
    files["empty"].write_bytes(b"")
    files["not_sqlite"] = tmp_path / "photo.db"
    files["not_sqlite"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    files["corrupt"] = fixture_copy(HEAD_RELEASE)
    data = files["corrupt"].read_bytes()
    files["corrupt"].write_bytes(data[: len(data) // 3])
    files["foreign"] = tmp_path / "other.db"
    execute(files["foreign"], "CREATE TABLE t (x)")
    files["tampered"] = create(tmp_path / "tampered.db", "T")
    execute(files["tampered"], "CREATE TRIGGER evil AFTER INSERT ON sample BEGIN SELECT 1; END")
    files["newer"] = create(tmp_path / "newer.db", "N")
    execute(
        files["newer"],
        "UPDATE alembic_version SET version_num = '0a0b0c0d0e0f'",
        "UPDATE document_info SET saved_by_version = '2.3.0'",
    )
    files["outdated"] = fixture_copy("1.0")
    files["current"] = create(tmp_path / "current.db", "C")
    files["locked"] = create(tmp_path / "locked.db", "L")
    return files


def test_info_json_tells_all_eleven_states_apart(every_state: dict[str, Path]) -> None:
    with DocumentLock.acquire(every_state["locked"]):
        # The lock is held by this test process; the CLI is another process.
        states = {name: info(path) for name, path in every_state.items()}
    for name, data in states.items():
        assert data["state"] == name, (name, data["message"])
        for key in ("path", "revision", "head", "app_version", "created_by", "saved_by", "title"):
            assert key in data
        assert isinstance(data["message"], str) and data["message"]
    assert states["current"]["counts"] == {"samples": 0, "measurements": 0, "tags": 0}
    assert states["outdated"]["revision"] == "0f3a1c2b5d10"
    assert states["newer"]["saved_by"] == "2.3.0"
    assert states["missing"]["counts"] is None


CHECK_CODES = {
    "current": 0,
    "outdated": 8,
    "missing": 3,
    "unreadable": 3,
    "empty": 3,
    "not_sqlite": 3,
    "foreign": 3,
    "corrupt": 4,
    "tampered": 4,
    "newer": 5,
    "locked": 6,
}


def test_check_exit_codes(every_state: dict[str, Path]) -> None:
    with DocumentLock.acquire(every_state["locked"]):
        for name, path in every_state.items():
            done = run("check", path)
            assert done.returncode == CHECK_CODES[name], (name, done.stdout, done.stderr)
            assert "Traceback" not in done.stderr
            if CHECK_CODES[name] not in (0, 8):
                assert done.stderr.strip(), name


def test_upgrade_each_release_with_backup(fixture_copy: Callable[[str], Path]) -> None:
    for release in ("1.0", "1.1", "1.2", "2.0"):
        path = fixture_copy(release)
        done = run("upgrade", path)
        assert done.returncode == 0, done.stderr
        match = re.search(r"^Backup: (.+)$", done.stdout, re.MULTILINE)
        assert match, done.stdout
        backup = Path(match.group(1))
        assert backup.parent == path.parent and backup.exists()
        assert info(backup)["state"] == "outdated"
        assert info(path)["state"] == "current"
        assert done.stderr.count("applying") >= 1
    again = run("upgrade", path)
    assert again.returncode == 0 and "already current" in again.stdout


def test_upgrade_options(fixture_copy: Callable[[str], Path], tmp_path: Path) -> None:
    path = fixture_copy("1.0")
    target = tmp_path / "kept"
    target.mkdir()
    done = run("upgrade", path, "--backup-dir", target)
    assert done.returncode == 0, done.stderr
    assert len(list(target.iterdir())) == 1
    other = fixture_copy("1.1")
    done = run("upgrade", other, "--no-backup")
    assert done.returncode == 0 and "Backup:" not in done.stdout


def test_refusals_leave_files_byte_identical(every_state: dict[str, Path]) -> None:
    expected = {
        "empty": 3,
        "not_sqlite": 3,
        "foreign": 3,
        "corrupt": 4,
        "tampered": 4,
        "newer": 5,
        "missing": 3,
    }
    folder = every_state["empty"].parent
    before = folder_state(folder)
    for name, code in expected.items():
        # A newer document can still be backed up (it is readable); it cannot be upgraded.
        verbs = (["upgrade"],) if name == "newer" else (["upgrade"], ["backup"])
        for verb in verbs:
            done = run(*verb, every_state[name])
            assert done.returncode == code, (name, verb, done.stderr)
            assert done.stderr.strip() and "Traceback" not in done.stderr
    assert folder_state(folder) == before
    with DocumentLock.acquire(every_state["locked"]):
        done = run("upgrade", every_state["outdated"])  # not locked: proves the lock is per file
        assert done.returncode == 0


def test_new_and_backup(tmp_path: Path) -> None:
    path = tmp_path / "Fresh.db"
    done = run("new", path, "--title", "Fresh notes")
    assert done.returncode == 0, done.stderr
    assert info(path)["title"] == "Fresh notes"
    again = run("new", path)
    assert again.returncode == 7 and "already exists" in again.stderr
    made = run("backup", path, "--to", tmp_path)
    assert made.returncode == 0
    assert Path(made.stdout.strip()).name.startswith(f"Fresh.backup-{HEAD_RELEASE}-")


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    assert run("frobnicate", "x").returncode == 2
    assert run("info").returncode == 2


def test_upgrade_in_use_exits_6(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("1.0")
    with lock_held_elsewhere(path) as pid:
        before = path.read_bytes()
        done = run("upgrade", path)
        assert done.returncode == 6
        assert f"process {pid}" in done.stderr
        assert path.read_bytes() == before
