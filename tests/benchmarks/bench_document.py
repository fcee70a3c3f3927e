"""Document-layer costs as ratios against raw SQLite doing the same I/O in the same run.

Run: ``uv run python tests/benchmarks/bench_document.py [SAMPLES]``. Not part of the test run;
the figures are ratios so that a busy, shared machine does not make them meaningless.
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SAMPLEBOOK_HOME", tempfile.mkdtemp(prefix="samplebook-bench-home-"))

from app.document import create, inspect, open_document, upgrade
from app.document.create import ensure_template
from app.document.migration import upgrade_in_place


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def raw_copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()


def raw_check(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.execute("PRAGMA integrity_check").fetchall()
    connection.close()


def fill_1_0(path: Path, samples: int) -> None:
    """A large document written at revision 1.0, as the 1.0 app wrote them."""
    upgrade_in_place(path, target="0f3a1c2b5d10", create=True)
    rng = random.Random(1)
    connection = sqlite3.connect(path)
    connection.executemany(
        "INSERT INTO sample (id, code, name, tags) VALUES (?, ?, ?, ?)",
        (
            (i, f"S-{i}", f"Sample {i}", ", ".join(rng.sample(["soil", "Water", "lake", "ice"], 2)))
            for i in range(1, samples + 1)
        ),
    )
    connection.executemany(
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (?, 'pH', ?, '')",
        ((i % samples + 1, rng.random() * 14) for i in range(samples * 10)),
    )
    connection.commit()
    connection.close()


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    work = Path(tempfile.mkdtemp(prefix="samplebook-bench-"))
    ensure_template()
    rows = []

    made = create(work / "current.db", "bench")
    rows.append(
        (
            "inspect (empty current document)",
            best_of(20, lambda: inspect(made)),
            best_of(20, lambda: raw_check(made)),
        )
    )

    counter = iter(range(10**6))
    rows.append(
        (
            "create (new document)",
            best_of(20, lambda: create(work / f"new-{next(counter)}.db")),
            best_of(20, lambda: raw_copy(made, work / "raw-new.db")),
        )
    )

    big = work / "big-1.0.db"
    fill_1_0(big, samples)
    size_mb = big.stat().st_size / 1e6
    copies = iter(range(10**6))

    def upgrade_copy() -> None:
        target = work / f"up-{next(copies)}.db"
        raw_copy(big, target)
        began = time.perf_counter()
        upgrade(target, backup=False)
        upgrade_times.append(time.perf_counter() - began)

    upgrade_times: list[float] = []
    for _ in range(3):
        upgrade_copy()
    rows.append(
        (
            "upgrade 1.0 → head (big)",
            min(upgrade_times),
            best_of(3, lambda: raw_copy(big, work / "raw.db")),
        )
    )

    upgraded = work / "up-0.db"
    rows.append(
        (
            "inspect (big current document)",
            best_of(3, lambda: inspect(upgraded)),
            best_of(3, lambda: raw_check(upgraded)),
        )
    )

    def open_and_save() -> None:
        with open_document(upgraded) as document:
            with document.transaction() as connection:
                connection.execute("UPDATE sample SET name = 'x' WHERE id = 1")
            document.save()

    rows.append(
        (
            "open + edit + save (big)",
            best_of(3, open_and_save),
            best_of(
                3,
                lambda: (raw_copy(upgraded, work / "w.db"), raw_copy(work / "w.db", work / "s.db")),
            ),
        )
    )

    print(f"document with {samples} samples, {samples * 10} measurements, {size_mb:.1f} MB")
    print(f"{'operation':38} {'samplebook':>11} {'raw sqlite':>11} {'ratio':>7}")
    for name, ours, raw in rows:
        print(f"{name:38} {ours * 1000:9.1f}ms {raw * 1000:9.1f}ms {ours / raw:6.1f}x")
    print("(best of several runs; raw = the same I/O with plain sqlite3 in this run)")


if __name__ == "__main__":
    main()
