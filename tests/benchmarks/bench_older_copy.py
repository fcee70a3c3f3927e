"""What a copy for an older Samplebook costs, against copying the file with raw SQLite.

Run: ``uv run python tests/benchmarks/bench_older_copy.py``. Makes documents of 1,000 to 100,000
samples (three measurements each, one in three with a lab value, tags), then times ``copy_for``
for 2.1 (one release undone) and 1.0 (five) and prints each as a ratio to ``VACUUM INTO`` of the
same document (one full read and write) in the same run. A copy reads the document, downgrades a
private copy in one transaction, moves its rows into a template and checks it twice, so a
handful of full passes is what to expect; what must not happen is a cost that grows faster than
the document.

The first copy of each document is timed on its own ("1st 2.1"): the document was just written
by raw SQLite, so, like a file that arrived by mail, it gets the full integrity check. Reading
it remembers it as verified, so the best of the next three is what copies of a document this
Samplebook already checked cost.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SAMPLEBOOK_HOME", tempfile.mkdtemp(prefix="samplebook-bench-home-"))

from app.document import create
from app.document.older_copy import copy_for


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def make_document(folder: Path, samples: int) -> Path:
    path = create(folder / f"doc-{samples}.db", f"{samples} samples")
    connection = sqlite3.connect(path)
    connection.executemany(
        "INSERT INTO sample (id, code, name, location) VALUES (?, ?, ?, 'Lake')",
        ((i, f"S-{i}", f"Sample {i}") for i in range(1, samples + 1)),
    )
    connection.executemany(
        "INSERT INTO measurement (sample_id, quantity, value, unit, qualifier, measured_at) "
        "VALUES (?, 'pH', ?, '', ?, '2026-01-01 10:00:00')",
        ((i % samples + 1, i * 0.001, "<" if i % 3 == 0 else None) for i in range(samples * 3)),
    )
    connection.executemany(
        "INSERT INTO tag (id, name) VALUES (?, ?)", ((i, f"tag{i}") for i in range(1, 51))
    )
    connection.executemany(
        "INSERT INTO sample_tag (sample_id, tag_id) VALUES (?, ?)",
        ((i, i % 50 + 1) for i in range(1, samples + 1)),
    )
    connection.commit()
    connection.close()
    return path


def vacuum_into(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(source)
    connection.execute("VACUUM INTO ?", (str(target),))
    connection.close()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="samplebook-bench-older-"))
    print(
        f"{'samples':>8} {'MB':>6} {'raw':>7} {'1st 2.1':>8} {'ratio':>6}"
        f" {'for 2.1':>9} {'ratio':>6} {'for 1.0':>9} {'ratio':>6}"
    )
    try:
        for samples in (1_000, 10_000, 100_000):
            source = make_document(folder, samples)
            size = source.stat().st_size / 1e6
            raw = best_of(3, lambda s=source: vacuum_into(s, folder / "raw.db"))
            timings = []
            for release in ("2.1", "2.1", "1.0"):
                target = folder / f"for-{release}.db"

                def once(s: Path = source, r: str = release, t: Path = target) -> None:
                    t.unlink(missing_ok=True)
                    copy_for(s, t, r)

                timings.append(best_of(1 if not timings else 3, once))
            print(
                f"{samples:>8} {size:>6.1f} {raw:>6.3f}s"
                + "".join(f" {t:>8.3f}s {t / raw:>6.1f}" for t in timings)
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
