"""SIGKILL during save, Save As and export: the user's file is all-old or all-new, and the next
operation in that folder removes whatever the killed process left behind.

Each test measures how long the operation takes here, then kills a fresh process at moments spread
evenly (with jitter) over that time and a little beyond, and checks the kills really landed inside
the operation.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest

from app.document import State, backup, create, file_source, inspect, open_document
from app.document.create import template_path
from app.domain import SampleFilter
from app.domain.export import export_subset
from app.paths import HOME_OVERRIDE_VARIABLE
from tests.document.conftest import leftovers

pytestmark = pytest.mark.slow

RUNS = 20
SAMPLES = 30_000
SAVED_SAMPLES = 2 * SAMPLES
MEASUREMENTS_PER_SAMPLE = 5

SAVE_CHILD = """
import sys
from pathlib import Path
from app.document import open_document
document = open_document(Path(sys.argv[1]))
with document.transaction() as connection:
    connection.execute("UPDATE document_info SET title = 'new'")
    connection.execute("INSERT INTO sample (code, name) VALUES ('NEW', 'added before saving')")
print("start", flush=True)
if sys.argv[2] == "-":
    document.save()
else:
    document.save_as(Path(sys.argv[2]))
print("done", flush=True)
"""

CLI = Path(sys.executable).with_name("samplebook-doc")


@dataclass
class Figures:
    """What the kills did, printed at the end of each test (pytest -s shows it)."""

    duration: float = 0.0
    inside: list[float] = field(
        default_factory=list
    )  # kill moment / duration, operation unfinished
    after_end: int = 0
    left_behind: int = 0  # kills after which a temporary file was left (before the next operation)
    stale_locks: int = 0  # kills after which the editor's lock file was left
    outcomes: dict[str, int] = field(default_factory=lambda: {"old": 0, "new": 0})

    def note_leftovers(self, folder: Path) -> None:
        found = leftovers(folder)
        self.left_behind += any(not name.startswith(".~lock.") for name in found)
        self.stale_locks += any(name.startswith(".~lock.") for name in found)

    def check(self, what: str) -> None:
        print(
            f"{what}: {self.runs} kills over {self.duration:.2f} s; {len(self.inside)} inside the "
            f"operation (at {min(self.inside):.2f}…{max(self.inside):.2f} of it), "
            f"{self.after_end} after it ended; {self.left_behind} left temporaries behind, "
            f"{self.stale_locks} a lock file; "
            f"outcomes {self.outcomes}; none left after the next operation"
        )
        assert sum(self.outcomes.values()) == self.runs
        # The kills really span the operation, and some of them caught it with files half-made.
        assert self.spread_enough(), "the kills did not span the operation"
        assert self.left_behind > 0

    @property
    def runs(self) -> int:
        return len(self.inside) + self.after_end

    def spread_enough(self) -> bool:
        return len(self.inside) >= RUNS // 2 and min(self.inside) < 0.25 and max(self.inside) > 0.6


def _filled(path: Path, samples: int) -> Path:
    create(path, "old")
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO sample (id, code, name, notes) VALUES (?, ?, ?, ?)",
            ((i, f"S{i:06d}", f"sample {i}", "n" * 40) for i in range(1, samples + 1)),
        )
        connection.executemany(
            "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (?, 'pH', ?, 'u')",
            ((1 + i % samples, i * 0.5) for i in range(samples * MEASUREMENTS_PER_SAMPLE)),
        )
    connection.close()
    return path


@pytest.fixture(scope="module")
def big_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A document large enough that exporting it takes a while (~8 MB)."""
    return _filled(tmp_path_factory.mktemp("big") / "Big.db", SAMPLES)


@pytest.fixture(scope="module")
def bigger_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One large enough that saving it takes a while (~16 MB): a save copies the file in the
    kernel, and in a few tens of milliseconds the kills' timing is mostly noise."""
    return _filled(tmp_path_factory.mktemp("bigger") / "Big.db", SAVED_SAMPLES)


@pytest.fixture
def child_home(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The children's own per-user folders (their working copies are thrown away after each
    kill), sharing the session's migrated template so they need not build one."""
    home = tmp_path / "child-home"
    templates = home / "cache" / "templates"
    templates.mkdir(parents=True)
    shutil.copy(template_path(), templates / template_path().name)
    yield os.environ | {HOME_OVERRIDE_VARIABLE: str(home)}
    shutil.rmtree(home, ignore_errors=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_new(path: Path) -> bool:
    """Whether ``path`` is the saved ``bigger_document``: renamed, one sample added."""
    found = inspect(path)
    assert found.state is State.CURRENT, (found.state, found.problems)
    assert found.counts is not None
    return found.title == "new" and found.counts.samples == SAVED_SAMPLES + 1


def moments(duration: float, seed: int = 20261201) -> list[float]:
    """One kill moment in each of RUNS equal slices of 0…1.1 times the duration, at random in its slice."""
    rng = random.Random(seed)
    return [duration * 1.1 * (n + rng.random()) / RUNS for n in range(RUNS)]


#: Rounds of RUNS kills at most; a shared machine can make one round miss part of the operation.
ROUNDS = 3


def kill_rounds(
    figures: Figures, measure: Callable[[], float], kill: Callable[[int, float], bool]
) -> None:
    """Kill at RUNS moments spread over the operation's duration (``measure()`` times an
    undisturbed run); while the kills did not span it — the machine was slower or faster than
    when it was measured — measure again and kill another round. ``kill(run, delay)`` returns
    whether the operation had finished."""
    run = 0
    for round_number in range(ROUNDS):
        # The fastest of three: one slow run (a cold cache, a busy disk) would put most kills
        # after the end of an operation that takes a few tens of milliseconds.
        figures.duration = min(measure() for _ in range(3))
        for delay in moments(figures.duration, seed=20261201 + round_number):
            if kill(run, delay):
                figures.after_end += 1
            else:
                figures.inside.append(delay / figures.duration)
            run += 1
        if figures.spread_enough():
            return


#: Operations that may come next in the folder of a document (each cleans up what it makes).
NEXT_OPERATIONS: list[Callable[[Path], object]] = [
    lambda document: create(document.parent / "next.db").unlink(),
    lambda document: open_document(document).close(),
    lambda document: backup(document).unlink(),
]


def _small_export(folder: Path) -> None:
    with file_source(create(folder / "small.db", "small")) as source:
        export_subset(source, SampleFilter(), folder / "small-export.db")
    for name in ("small.db", "small-export.db"):
        (folder / name).unlink()


def next_operation_sweeps(folder: Path, operation: Callable[[], object], run: int) -> None:
    """Run another operation in ``folder``: after it, no file of a dead Samplebook remains."""
    operation()
    left = leftovers(folder)
    assert left == [], f"run {run}: left behind after the next operation: {left}"


def kill_editor(
    source: Path, target: str, env: dict[str, str], delay: float | None
) -> tuple[bool, float]:
    """Start a process that saves (``target`` "-") or saves as; kill it ``delay`` s into saving.

    Returns whether the save had finished and how long it ran.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", SAVE_CHILD, str(source), target],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "start"
    began = time.monotonic()
    if delay is None:
        finished = child.stdout.readline().strip() == "done"
    else:
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        finished = "done" in child.stdout.read()
    child.wait()
    child.stdout.close()
    shutil.rmtree(Path(env[HOME_OVERRIDE_VARIABLE]) / "state", ignore_errors=True)
    return finished, time.monotonic() - began


def test_sigkill_during_save(
    bigger_document: Path, tmp_path: Path, child_home: dict[str, str]
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "Notes.db"
    shutil.copyfile(bigger_document, path)
    original = digest(path)
    figures = Figures()

    def measure() -> float:
        shutil.copyfile(bigger_document, path)
        finished, duration = kill_editor(path, "-", child_home, None)
        assert finished and is_new(path)
        return duration

    def kill(run: int, delay: float) -> bool:
        shutil.copyfile(bigger_document, path)
        finished, _ = kill_editor(path, "-", child_home, delay)
        figures.note_leftovers(folder)
        outcome = "old" if digest(path) == original else "new"
        assert outcome == "old" or is_new(path), f"run {run}: neither old nor new"
        figures.outcomes[outcome] += 1
        next_operation_sweeps(folder, partial(NEXT_OPERATIONS[run % 3], path), run)
        return finished

    kill_rounds(figures, measure, kill)
    figures.check("save")


def test_sigkill_during_save_as(
    bigger_document: Path, tmp_path: Path, child_home: dict[str, str]
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    source, target = folder / "Notes.db", folder / "Copy.db"
    shutil.copyfile(bigger_document, source)
    original = digest(source)
    figures = Figures()

    def measure() -> float:
        shutil.copyfile(bigger_document, target)
        finished, duration = kill_editor(source, str(target), child_home, None)
        assert finished and is_new(target)
        return duration

    def kill(run: int, delay: float) -> bool:
        shutil.copyfile(bigger_document, target)  # Save As over an existing file (the user agreed)
        finished, _ = kill_editor(source, str(target), child_home, delay)
        figures.note_leftovers(folder)
        assert digest(source) == original, f"run {run}: the source changed"
        outcome = "old" if digest(target) == original else "new"
        assert outcome == "old" or is_new(target), f"run {run}: neither old nor new"
        figures.outcomes[outcome] += 1
        next_operation_sweeps(folder, partial(NEXT_OPERATIONS[run % 3], target), run)
        return finished

    kill_rounds(figures, measure, kill)
    figures.check("save as")


def kill_export(source: Path, target: Path, env: dict[str, str], delay: float | None) -> bool:
    """Run ``samplebook-doc export`` and kill it ``delay`` s after it started; True if it ended."""
    child = subprocess.Popen(
        [str(CLI), "export", str(source), str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    if delay is None:
        return child.wait() == 0
    time.sleep(delay)
    finished = child.poll() == 0
    child.send_signal(signal.SIGKILL)
    child.wait()
    return finished


def test_sigkill_during_export(
    big_document: Path, tmp_path: Path, child_home: dict[str, str]
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "Subset.db"
    figures = Figures()

    def measure() -> float:
        target.unlink(missing_ok=True)
        began = time.monotonic()
        assert kill_export(big_document, target, child_home, None)
        duration = time.monotonic() - began
        assert is_new_export(target)
        return duration

    def kill(run: int, delay: float) -> bool:
        target.unlink(missing_ok=True)
        finished = kill_export(big_document, target, child_home, delay)
        figures.note_leftovers(folder)
        # All-old is "no file"; all-new is the complete export.
        outcome = "new" if target.exists() else "old"
        assert outcome == "old" or is_new_export(target), f"run {run}: a partial export"
        figures.outcomes[outcome] += 1
        if run % 2:
            next_operation_sweeps(folder, lambda: _small_export(folder), run)
        else:
            next_operation_sweeps(folder, lambda: create(folder / "next.db").unlink(), run)
        return finished

    kill_rounds(figures, measure, kill)
    figures.check("export")


def is_new_export(path: Path) -> bool:
    found = inspect(path)
    assert found.state is State.CURRENT, (found.state, found.problems)
    assert found.counts is not None
    return found.counts.samples == SAMPLES
