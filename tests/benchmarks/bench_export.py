"""Export cost follows the subset, not the document.

Run: ``uv run python tests/benchmarks/bench_export.py``. Exports the same 20 samples from a small
and from a large document and prints the times as ratios against raw SQLite copying the same rows
(``ATTACH`` + ``INSERT … SELECT`` into a plain file) in the same run.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SAMPLEBOOK_HOME", tempfile.mkdtemp(prefix="samplebook-bench-home-"))

from app.document import create
from app.domain import SampleFilter
from app.domain.export import ExportSource, export_subset

SUBSET = 20


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
        "INSERT INTO sample (id, code, name) VALUES (?, ?, ?)",
        ((i, f"S-{i}", f"Sample {i}") for i in range(1, samples + 1)),
    )
    connection.executemany(
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (?, 'pH', ?, '')",
        ((i % samples + 1, i * 0.001) for i in range(samples * 10)),
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


def raw_copy(source: Path, target: Path, ids: tuple[int, ...]) -> None:
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(source)
    connection.execute("ATTACH DATABASE ? AS out", (str(target),))
    connection.execute("CREATE TABLE out.sample AS SELECT * FROM sample WHERE 0")
    connection.execute("CREATE TABLE out.measurement AS SELECT * FROM measurement WHERE 0")
    marks = ",".join("?" * len(ids))
    connection.execute(f"INSERT INTO out.sample SELECT * FROM sample WHERE id IN ({marks})", ids)
    connection.execute(
        f"INSERT INTO out.measurement SELECT * FROM measurement WHERE sample_id IN ({marks})", ids
    )
    connection.commit()
    connection.close()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="samplebook-bench-export-"))
    ids = tuple(range(1, SUBSET + 1))
    counter = iter(range(10**6))
    print(f"exporting {SUBSET} samples")
    print(f"{'document':>22} {'export':>10} {'raw copy':>10} {'ratio':>7}")
    for samples in (1_000, 100_000):
        source = make_document(folder, samples)
        origin = ExportSource(source, "bench", source)
        ours = best_of(
            5,
            lambda origin=origin: export_subset(
                origin, SampleFilter(ids=ids), folder / f"out-{next(counter)}.db"
            ),
        )
        raw = best_of(5, lambda source=source: raw_copy(source, folder / "raw.db", ids))
        print(f"{samples:>14} samples {ours * 1000:8.1f}ms {raw * 1000:8.1f}ms {ours / raw:6.1f}x")


if __name__ == "__main__":
    main()
