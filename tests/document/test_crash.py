"""Killing an upgrade at random moments leaves every file all-old or all-new, never half-done.

Half the kills land at random moments spread over the whole upgrade before the new file is put in
place (copy, migrations, checks), half right after the swap while the process is still finishing;
so both outcomes must occur, and each kill must have hit a live upgrade.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.document import State, inspect, upgrade
from app.document.releases import HEAD_REVISION
from tests.document.conftest import dump

RUNS = 24

UPGRADE_CHILD = """
import sys
from pathlib import Path
from app.document import upgrade
import app.document.migration  # import Alembic first, so the kills land inside the upgrade
print("start", flush=True)
upgrade(Path(sys.argv[1]), backup=False)
print("done", flush=True)
"""


def start_upgrade(path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", UPGRADE_CHILD, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "start"
    return child


def wait_for_swap(path: Path, child: subprocess.Popen[str]) -> bool:
    """Until the upgraded copy has replaced ``path`` (a new inode); False if the child ended first."""
    before = path.stat().st_ino
    while child.poll() is None:
        if path.stat().st_ino != before:
            return True
        time.sleep(0.0005)  # leave the CPU to the upgrade; its ending takes far longer
    return path.stat().st_ino != before


def test_sigkill_during_upgrade_leaves_all_old_or_all_new(
    fixture_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Measure how long the upgrade takes here until its result replaces the file.
    calibration = fixture_copy("1.0")
    child = start_upgrade(calibration)
    began = time.monotonic()
    assert wait_for_swap(calibration, child)
    until_swap = time.monotonic() - began
    assert child.wait() == 0
    assert inspect(calibration).state is State.CURRENT

    old_content = dump(fixture_copy("1.0"))
    rng = random.Random(20261121)
    outcomes = {"old": 0, "new": 0}
    finished_before_the_kill = 0
    for run in range(RUNS):
        path = fixture_copy("1.0")
        child = start_upgrade(path)
        if run % 2 == 0:  # anywhere in the upgrade before the swap, spread over all of it
            share = (run // 2 + rng.random()) / (RUNS // 2)
            time.sleep(share * until_swap)
        else:  # just after the swap, while the upgrade is still finishing
            wait_for_swap(path, child)
        child.send_signal(signal.SIGKILL)
        if child.wait() != -signal.SIGKILL:
            finished_before_the_kill += 1
        found = inspect(path)
        if found.state is State.OUTDATED:
            assert dump(path) == old_content, f"run {run}: old revision but changed content"
            outcomes["old"] += 1
        else:
            assert found.state is State.CURRENT, f"run {run}: {found.state} {found.problems}"
            assert found.revision == HEAD_REVISION
            outcomes["new"] += 1
        # Whatever was left behind (a temporary copy, a stale lock file) does not block the next try.
        stray = [p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")]
        upgrade(path, backup=False)
        assert inspect(path).state is State.CURRENT, f"run {run}: retry after kill failed"
        for name in stray:
            (path.parent / name).unlink(missing_ok=True)
    with capsys.disabled():  # the split belongs in every run's log, not only a failing one's
        print(
            f"\nkilled upgrades ({until_swap:.2f} s to the swap): {outcomes['old']} all-old, "
            f"{outcomes['new']} all-new, {finished_before_the_kill} had finished before the kill"
        )
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
    # The kills must test something: nearly all of them have to hit a running upgrade.
    assert finished_before_the_kill <= RUNS // 4, finished_before_the_kill
