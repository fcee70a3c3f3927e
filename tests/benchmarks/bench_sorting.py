"""Sorting the samples list at scale: pages of every sort against raw SQLite, before and after 2.2.

Not part of the test run (pytest ignores tests/benchmarks). Run:

    uv run python tests/benchmarks/bench_sorting.py [--samples 100000] [--per-sample 10] [--pairs 7]

It builds a document at release 2.1 with the migrations and fills it with ``executemany``
(100,000 samples, 1,000,000 measurements by default), times 2.1's page queries on it (copied
here, as 2.1 ran them: ORDER BY without an index, counts by a join over all measurements), then
upgrades it to 2.2 and times ``app.domain.page_samples``. Every figure is the median of pairwise
ratios against a raw anchor measured interleaved with it (A B A B …, after one warm-up of each):
the same columns of the same number of rows read by primary key, ``SELECT … FROM sample WHERE id
> ? ORDER BY id LIMIT 200``, the cheapest page SQLite can serve. Ratios, not milliseconds, so the
figures mean the same on a slow or busy machine.
"""

from __future__ import annotations

import argparse
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

REVISION_2_1 = "5d8f2a7c3b21"
WORDS = ["alpha", "basalt", "Clay", "delta", "Écume", "feldspar", "gneiss", "humus", "karst"]
COLUMNS = "s.id, s.code, s.name, s.collected_on, s.location, s.notes"

#: 2.1's page queries (app/domain/samples.py before release 2.2), for the "before" figures.
OLD_ORDER = {
    "code": "s.code",
    "name": "s.name COLLATE NOCASE, s.id",
    "collected_on": "s.collected_on IS NULL, s.collected_on, s.id",
    "location": "s.location IS NULL, s.location COLLATE NOCASE, s.id",
}
OLD_COUNTED = (
    f"SELECT {COLUMNS}, count(m.sample_id) AS n FROM sample s LEFT JOIN measurement m "
    "ON m.sample_id = s.id GROUP BY s.id ORDER BY n, s.id LIMIT 200"
)


def build(path: Path, samples: int, per_sample: int) -> None:
    from app.document.connections import open_read_write  # noqa: PLC0415
    from app.document.migration import upgrade_in_place  # noqa: PLC0415

    upgrade_in_place(path, target=REVISION_2_1, create=True)
    rng = random.Random(7)
    conn = open_read_write(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO sample (id, code, name, collected_on, location, notes) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                i,
                f"{rng.choice(['S', 'BIG', 'lake'])}-{i}",
                f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i % 977}",
                None if i % 5 == 0 else f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{i % 10}",
                None if i % 3 == 0 else f"Site {rng.randint(1, 400)}",
                "n" * 450,
            )
            for i in range(1, samples + 1)
        ),
    )
    conn.executemany(
        "INSERT INTO measurement (sample_id, quantity, value, unit, measured_at) "
        "VALUES (?, 'pH', ?, 'u', '2024-01-01 12:00:00')",
        ((rng.randint(1, samples), rng.uniform(0, 14)) for _ in range(samples * per_sample)),
    )
    conn.execute("COMMIT")
    conn.close()


def paired(
    action: Callable[[], object], anchor: Callable[[], object], pairs: int
) -> tuple[float, float]:
    """(median seconds of ``action``, median of the pairwise ratios action / anchor)."""
    action(), anchor()  # warm the page cache and the statement caches
    times, ratios = [], []
    for _ in range(pairs):
        start = time.perf_counter()
        action()
        middle = time.perf_counter()
        anchor()
        end = time.perf_counter()
        times.append(middle - start)
        ratios.append((middle - start) / (end - middle))
    return statistics.median(times), statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--per-sample", type=int, default=10)
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("SAMPLEBOOK_HOME", folder)
        from app.document.connections import open_read_write  # noqa: PLC0415
        from app.document.migration import upgrade_in_place  # noqa: PLC0415
        from app.domain import SORT_KEYS, page_samples  # noqa: PLC0415

        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        build(path, args.samples, args.per_sample)
        print(
            f"built a 2.1 document: {args.samples} samples, {args.samples * args.per_sample} "
            f"measurements, {path.stat().st_size / 2**20:.0f} MB, "
            f"in {time.perf_counter() - start:.1f} s"
        )
        deep_id = args.samples // 2
        print(f"\n{'2.1 (before)':<40} {'ms':>9} {'x anchor':>9}")
        conn = open_read_write(path)

        def anchor() -> object:
            return conn.execute(
                f"SELECT {COLUMNS} FROM sample s WHERE s.id > ? ORDER BY s.id LIMIT 200",
                (deep_id,),
            ).fetchall()

        for sort, order in OLD_ORDER.items():
            for descending in (False, True):
                terms = order if not descending else order.replace(", s.id", " DESC, s.id DESC")
                if descending and sort == "code":
                    terms = "s.code DESC"
                sql = f"SELECT {COLUMNS} FROM sample s ORDER BY {terms} LIMIT 200"
                seconds, ratio = paired(
                    lambda sql=sql: conn.execute(sql).fetchall(), anchor, args.pairs
                )
                label = f"first page, {sort} {'desc' if descending else 'asc'}"
                print(f"{label:<40} {seconds * 1000:9.2f} {ratio:9.1f}")
        seconds, ratio = paired(lambda: conn.execute(OLD_COUNTED).fetchall(), anchor, 3)
        print(f"{'first page, measurement_count asc':<40} {seconds * 1000:9.2f} {ratio:9.1f}")
        conn.close()

        start = time.perf_counter()
        upgrade_in_place(path)
        print(
            f"\nupgraded to 2.2 (batch rebuild of measurement, counts, indexes) in "
            f"{time.perf_counter() - start:.1f} s; {path.stat().st_size / 2**20:.0f} MB"
        )
        conn = open_read_write(path)
        print(f"\n{'2.2 page_samples':<40} {'ms':>9} {'x anchor':>9}")
        for sort in SORT_KEYS:
            for descending in (False, True):
                name = f"{sort} {'desc' if descending else 'asc'}"
                seconds, ratio = paired(
                    lambda sort=sort, descending=descending: page_samples(
                        conn, sort=sort, descending=descending
                    ),
                    anchor,
                    args.pairs,
                )
                print(f"{'first page, ' + name:<40} {seconds * 1000:9.2f} {ratio:9.1f}")
                after = None
                walked = 0
                half = args.samples // 2
                while walked < half:  # a row half-way down, found outside the timing
                    page = page_samples(
                        conn,
                        sort=sort,
                        descending=descending,
                        after=after,
                        limit=min(5000, half - walked),
                    )
                    after, walked = page[-1], walked + len(page)
                seconds, ratio = paired(
                    lambda sort=sort, descending=descending, after=after: page_samples(
                        conn, sort=sort, descending=descending, after=after
                    ),
                    anchor,
                    args.pairs,
                )
                print(f"{f'page at row {walked}, ' + name:<40} {seconds * 1000:9.2f} {ratio:9.1f}")
        conn.close()


if __name__ == "__main__":
    main()
