"""``info --json`` says whether a clean copy can be made, and ``check`` keeps its exit codes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document.releases import HEAD_RELEASE
from tests.document.conftest import execute

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


def lost_mark(source: Path, target: Path) -> Path:
    """What ``sqlite3 source .dump | sqlite3 target`` makes: no application id."""
    connection = sqlite3.connect(source)
    script = "\n".join(connection.iterdump())
    connection.close()
    copy = sqlite3.connect(target)
    copy.executescript(script)
    copy.close()
    return target


def unchanged(path: Path, _folder: Path) -> Path:
    return path


def with_extra_index(path: Path, _folder: Path) -> Path:
    execute(path, "CREATE INDEX mine ON sample (name)")
    return path


def in_wal_mode(path: Path, _folder: Path) -> Path:
    execute(path, "PRAGMA journal_mode = WAL")
    return path


def claimed_by_another_program(path: Path, _folder: Path) -> Path:
    execute(path, "PRAGMA application_id = 7")
    return path


def dump_copy(path: Path, folder: Path) -> Path:
    return lost_mark(path, folder / "dumped.db")


#: (how the file is made, its state, repairable, exit code of ``check``)
CASES = [
    (unchanged, "current", False, 0),
    (with_extra_index, "tampered", True, 4),
    (in_wal_mode, "current", False, 0),
    (dump_copy, "tampered", True, 4),
    (claimed_by_another_program, "foreign", False, 3),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0].__name__ for case in CASES])
def test_info_json_repairable_and_check_exit_codes(
    fixture_copy: Callable[[str], Path],
    tmp_path: Path,
    case: tuple[Callable[[Path, Path], Path], str, bool, int],
) -> None:
    make, state, repairable, exit_code = case
    path = make(fixture_copy(HEAD_RELEASE), tmp_path)
    done = run("info", path, "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert (found["state"], found["repairable"]) == (state, repairable)
    if repairable:
        assert "samplebook-doc repair" in found["next_step"]
    assert run("check", path).returncode == exit_code
