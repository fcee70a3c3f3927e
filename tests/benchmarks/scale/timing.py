"""Interleaved A/B timing: Samplebook's work and the raw-SQLite anchor, alternately, in one run.

A shared machine speeds up and slows down while a benchmark runs; alternating A B A B after a
warm-up pair puts both sides under the same conditions, and the median of the pairwise ratios is
what the goals are judged by. Work that needs its memory measured runs in a child process, whose
peak resident set comes from ``wait4``.
"""

# The tables show ratios with the multiplication sign and ranges with an en dash.
# ruff: noqa: RUF001

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float | None = None
    extra: dict[str, float] = field(default_factory=dict)


#: One side of a pair: does its preparation untimed and returns how long the work took.
Side = Callable[[], Run]


@dataclass
class Row:
    name: str
    work: str
    anchor: str
    goal: str
    ours: list[Run] = field(default_factory=list)
    raw: list[Run] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(
            a.seconds / b.seconds for a, b in zip(self.ours, self.raw, strict=True)
        )

    def median(self, side: str) -> float:
        runs = self.ours if side == "ours" else self.raw
        return statistics.median(run.seconds for run in runs)

    def peak(self, side: str) -> float | None:
        runs = self.ours if side == "ours" else self.raw
        peaks = [run.peak_mib for run in runs if run.peak_mib is not None]
        return max(peaks) if peaks else None

    def extra(self, key: str) -> float | None:
        values = [run.extra[key] for run in self.ours if key in run.extra]
        return statistics.median(values) if values else None


def interleave(row: Row, ours: Side, raw: Side, pairs: int, *, reads: Path | None = None) -> Row:
    """Warm up with one pair, then ``pairs`` measured pairs, alternating which side goes first.

    ``reads``: the document both sides read, read through before each run (untimed), so that
    each finds it in the operating system's cache. Machines like the development one give idle
    file pages back within seconds, and then whichever side ran first read the disk for both:
    that timed the disk, differently for each side, not the work.
    """

    def run(side: Side) -> Run:
        if reads is not None:
            read_through(reads)
        return side()

    run(ours)
    run(raw)
    for number in range(pairs):
        if number % 2:
            row.raw.append(run(raw))
            row.ours.append(run(ours))
        else:
            row.ours.append(run(ours))
            row.raw.append(run(raw))
    return row


def read_through(path: Path) -> None:
    with open(path, "rb") as handle:
        while handle.read(4 * 1024 * 1024):
            pass


def timed(action: Callable[[], object]) -> Run:
    began = time.perf_counter()
    action()
    return Run(time.perf_counter() - began)


def in_child(task: str, *args: str, env: dict[str, str] | None = None) -> Run:
    """Run ``child.py TASK ARGS`` in a fresh interpreter; its own timing and its peak memory.

    The child reports how long its work took (after its imports, unless the task says otherwise)
    and anything else it measured, as one JSON line.
    """
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("child.py")), task, *args],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=env or os.environ.copy(),
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"benchmark child {task} failed ({process.returncode})")
    report = json.loads(output.decode().strip().splitlines()[-1])
    seconds = float(report.pop("seconds"))
    return Run(
        seconds, usage.ru_maxrss / 1024, {key: float(value) for key, value in report.items()}
    )


def whole_child(command: list[str], *, until: bytes | None = None) -> Run:
    """Time a whole command from start (to the line ``until`` on its stdout, or to its end)."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    elapsed = None
    if until is not None:
        for line in process.stdout:
            if line.strip() == until:
                elapsed = time.perf_counter() - began
                break
    process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    if elapsed is None:
        elapsed = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command[0]} failed")
    return Run(elapsed, usage.ru_maxrss / 1024)


def table(rows: list[Row], title: str) -> str:
    lines = [
        title,
        "",
        "| # | work | anchor | Samplebook | anchor | ratio (median of pairs) | goal |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ours, raw = row.median("ours"), row.median("raw")
        extras = []
        if (peak := row.peak("ours")) is not None:
            extras.append(f"peak {peak:.0f} MiB")
        if (free := row.extra("free_pages_percent")) is not None:
            extras.append(f"{free:.1f} % free pages")
        shown = f"{_ms(ours)}" + (f" ({', '.join(extras)})" if extras else "")
        lines.append(
            f"| {row.name} | {row.work} | {row.anchor} | {shown} | {_ms(raw)} | "
            f"{row.ratio:.2f}× | {row.goal} |"
        )
    return "\n".join(lines)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"
