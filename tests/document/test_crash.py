"""Killing an upgrade at random moments leaves every file all-old or all-new, never half-done."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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


def test_sigkill_during_upgrade_leaves_all_old_or_all_new(
    fixture_copy: Callable[[str], Path],
) -> None:
    # Measure how long a whole upgrade takes here, then kill at random points inside it.
    calibration = fixture_copy("1.0")
    child = start_upgrade(calibration)
    began = time.monotonic()
    assert child.wait() == 0
    duration = time.monotonic() - began
    assert inspect(calibration).state is State.CURRENT

    old_content = dump(fixture_copy("1.0"))
    rng = random.Random(20261121)
    outcomes = {"old": 0, "new": 0}
    for run in range(RUNS):
        path = fixture_copy("1.0")
        child = start_upgrade(path)
        time.sleep(rng.uniform(0, duration * 1.1))
        child.send_signal(signal.SIGKILL)
        child.wait()
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
    print(f"killed upgrades: {outcomes}")
    assert sum(outcomes.values()) == RUNS
