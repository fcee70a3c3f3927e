"""How ``app.domain``'s sample queries compare with a raw sqlite3 query on a large document.

Not part of the test run (pytest ignores tests/benchmarks). Run:

    uv run python tests/benchmarks/bench_domain.py [--samples 100000] [--per-sample 10]

It builds a document with the migrations (``app.document.create``), fills it with ``executemany``,
then prints each operation's median time as a ratio of the baseline
``SELECT * FROM sample ORDER BY code LIMIT 200`` measured in the same run: ratios, not absolute
limits, so the figures mean the same on a slow CI machine.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WORDS = [
    "alpha",
    "basalt",
    "Clay",
    "delta",
    "Écume",
    "feldspar",
    "gneiss",
    "humus",
    "iron",
    "jade",
    "karst",
    "loam",
    "mica",
]
QUANTITIES = ["pH", "Temperature", "Conductivity", "Mass", "Density", "Nitrate", "Depth"]


def build(path: Path, samples: int, per_sample: int) -> None:
    from app.document import create  # noqa: PLC0415
    from app.document.connections import open_read_write  # noqa: PLC0415

    create(path, "Benchmark")
    rng = random.Random(7)
    conn = open_read_write(path)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO sample (id, code, name, collected_on, location, notes) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                i,
                f"S-{i}",
                f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i % 977}",
                None if i % 5 == 0 else f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{i % 10}",
                None if i % 3 == 0 else f"Site {rng.randint(1, 400)}",
                None if i % 2 else f"note {rng.choice(WORDS)}",
            )
            for i in range(1, samples + 1)
        ),
    )
    conn.executemany(
        "INSERT INTO measurement (sample_id, quantity, value, unit, measured_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            (
                rng.randint(1, samples),
                rng.choice(QUANTITIES),
                rng.uniform(0, 100),
                "u",
                None if j % 7 == 0 else "2024-01-01 12:00:00",
            )
            for j in range(samples * per_sample)
        ),
    )
    conn.executemany("INSERT INTO tag (id, name) VALUES (?, ?)", enumerate(WORDS, start=1))
    conn.executemany(
        "INSERT OR IGNORE INTO sample_tag (sample_id, tag_id) VALUES (?, ?)",
        ((i, rng.randint(1, len(WORDS))) for i in range(1, samples + 1) for _ in range(i % 3)),
    )
    conn.execute("COMMIT")
    conn.close()


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    action()  # warm the page cache and the statement cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--per-sample", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("SAMPLEBOOK_HOME", folder)
        from app import domain  # noqa: PLC0415
        from app.document.connections import open_read_write  # noqa: PLC0415

        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        build(path, args.samples, args.per_sample)
        print(
            f"built {args.samples} samples / {args.samples * args.per_sample} measurements "
            f"in {time.perf_counter() - start:.1f} s"
        )
        conn = open_read_write(path)

        def baseline() -> object:
            return conn.execute("SELECT * FROM sample ORDER BY code LIMIT 200").fetchall()

        base = median_seconds(baseline, args.repeat * 3)
        print(f"baseline SELECT * FROM sample ORDER BY code LIMIT 200: {base * 1000:.2f} ms\n")
        print(f"{'operation':<52} {'ms':>9} {'x baseline':>11}")

        def report(label: str, action: Callable[[], object], repeat: int = args.repeat) -> None:
            seconds = median_seconds(action, repeat)
            print(f"{label:<52} {seconds * 1000:9.2f} {seconds / base:11.1f}")

        deep = args.samples // 2
        for sort in domain.SORT_KEYS:
            for descending in (False, True):
                name = f"{sort} {'desc' if descending else 'asc'}"
                report(
                    f"page_samples first page, {name}",
                    functools.partial(domain.page_samples, conn, sort=sort, descending=descending),
                )
                # A row about half-way down, found by walking pages once, outside the timing.
                after: domain.SampleRow | None = None
                walked = 0
                while walked < deep:
                    page = domain.page_samples(
                        conn, sort=sort, descending=descending, after=after, limit=5000
                    )
                    after, walked = page[-1], walked + len(page)
                report(
                    f"page_samples page at row {walked}, {name}",
                    functools.partial(
                        domain.page_samples, conn, sort=sort, descending=descending, after=after
                    ),
                )
        report("count_samples()", lambda: domain.count_samples(conn))
        text = domain.SampleFilter(text="écume")
        report("count_samples(text)", lambda: domain.count_samples(conn, text))
        tag = domain.SampleFilter(tags=("basalt", "clay"))
        report("count_samples(two tags)", lambda: domain.count_samples(conn, tag))
        report("page_samples(text) first page", lambda: domain.page_samples(conn, text))
        report("page_samples(two tags) first page", lambda: domain.page_samples(conn, tag))
        report("get_sample", lambda: domain.get_sample(conn, deep))
        report("list_measurements", lambda: domain.list_measurements(conn, deep))
        report("next_free_code", lambda: domain.next_free_code(conn))
        report("quantities (full scan)", lambda: domain.quantities(conn), repeat=3)
        conn.close()


if __name__ == "__main__":
    main()
