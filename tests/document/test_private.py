"""Samplebook's own folders hold copies of users' documents: only the user may read them."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.document import new_document as new_untitled
from app.document import open_document, recover, recoverable
from app.paths import HOME_OVERRIDE_VARIABLE, cache_dir, data_dir, state_dir

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    monkeypatch.setenv(HOME_OVERRIDE_VARIABLE, str(home))
    old = os.umask(0o022)  # the usual umask, which would make everything world-readable
    try:
        yield home
    finally:
        os.umask(old)


def test_state_cache_and_data_folders_are_private(fresh_home: Path) -> None:
    for folder in (state_dir(), cache_dir(), data_dir()):
        assert mode(folder) == 0o700, folder


def test_a_looser_existing_folder_is_tightened_on_first_use(fresh_home: Path) -> None:
    for kind in ("state", "cache", "data"):
        (fresh_home / kind).mkdir(parents=True)
        os.chmod(fresh_home / kind, 0o755)
    assert (mode(state_dir()), mode(cache_dir()), mode(data_dir())) == (0o700, 0o700, 0o700)


def workspace_of(work_path: Path) -> Path:
    return work_path.parent


def test_working_copies_and_their_session_are_private(
    fresh_home: Path, new_document: Callable[..., Path]
) -> None:
    with open_document(new_document()) as document:
        with document.transaction() as connection:
            connection.execute("INSERT INTO sample (code, name) VALUES ('S-1', 'x')")
        folder = workspace_of(document.work_path)
        assert mode(folder) == 0o700
        for name in ("work.db", "session.json", "owner.lock"):
            assert mode(folder / name) == 0o600, name
        document.revert()  # a working copy made again from the file is private too
        assert mode(document.work_path) == 0o600
    with new_untitled("Untitled") as untitled:
        assert mode(untitled.work_path) == 0o600


# A Samplebook that leaves its unsaved work readable by everyone (as releases before 2.2 did), then
# is killed.
_LOOSE_AND_KILLED = """
import os, sys
from pathlib import Path
from app.document import open_document
document = open_document(Path(sys.argv[1]))
with document.transaction() as connection:
    connection.execute("INSERT INTO sample (code, name) VALUES ('S-1', 'unsaved')")
folder = document.work_path.parent
os.chmod(folder, 0o755)
for name in ("work.db", "session.json"):
    os.chmod(folder / name, 0o644)
print(folder, flush=True)
os.kill(os.getpid(), 9)
"""


def test_unsaved_work_left_with_loose_permissions_is_tightened_on_recovery(
    fresh_home: Path, new_document: Callable[..., Path]
) -> None:
    path = new_document()
    child = subprocess.run(
        [sys.executable, "-c", _LOOSE_AND_KILLED, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    folder = Path(child.stdout.strip())
    assert mode(folder / "work.db") == 0o644

    (found,) = [r for r in recoverable() if r.document == path]
    with recover(found) as recovered:
        assert mode(folder) == 0o700
        for name in ("work.db", "session.json"):
            assert mode(folder / name) == 0o600, name
        recovered.save()
