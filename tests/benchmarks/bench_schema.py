"""What accounting for every schema object costs, against raw SQLite reading ``sqlite_schema``.

Run: ``uv run python tests/benchmarks/bench_schema.py``. Not part of the test run. Three figures:
a document whose stored SQL is the recorded text (every document Samplebook 2.1 writes: the fast
path), the same schema spelled otherwise (what a future library's rendering would give: compared by
structure), and a whole inspection. Each against the raw read of ``sqlite_schema`` in the same run.
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

from app.document import inspect, schema
from app.document.connections import open_read_only
from app.document.releases import HEAD_RELEASE, HEAD_REVISION

FIXTURE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "documents" / f"release-{HEAD_RELEASE}.db"
)


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def respelled_copy(target: Path) -> Path:
    """The fixture with every statement's white space and quoting changed (same structure)."""
    shutil.copyfile(FIXTURE, target)
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute(
        "UPDATE sqlite_schema SET sql = replace(replace(sql, char(10) || char(9), ' '), ' (', '(') "
        "WHERE sql IS NOT NULL"
    )
    version = connection.execute("PRAGMA schema_version").fetchone()[0]
    connection.execute(f"PRAGMA schema_version = {version + 1}")
    connection.close()
    return target


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="samplebook-bench-"))
    respelled = respelled_copy(work / "respelled.db")
    rows = []
    for label, path in (("recorded text", FIXTURE), ("respelled", respelled)):
        connection = open_read_only(path)
        assert schema.mismatches(connection, HEAD_REVISION) == []
        raw = best_of(
            2000,
            lambda c=connection: c.execute(
                "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema"
            ).fetchall(),
        )
        rows.append(
            (
                f"schema comparison ({label})",
                best_of(2000, lambda c=connection: schema.mismatches(c, HEAD_REVISION)),
                raw,
            )
        )
        connection.close()
        rows.append((f"inspect ({label})", best_of(300, lambda p=path: inspect(p)), raw))
    print(f"{'operation':40} {'Samplebook':>12} {'raw schema read':>16} {'ratio':>7}")
    for name, ours, raw in rows:
        print(f"{name:40} {ours * 1e6:10.1f}µs {raw * 1e6:14.1f}µs {ours / raw:7.1f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
