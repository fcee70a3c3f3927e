"""The documents the scale benchmark runs on, built once and kept in a cache folder.

* ``release-1.0-N.db``: what a lab's 1.0 notebook grows to — N samples with ~450 characters of
  notes each, free-text tags, ten measurements per sample — written at revision 1.0 the way the
  fixtures are (migrations to that revision, then plain sqlite3).
* ``head-N.db``: the same document upgraded by Samplebook (which leaves it compact, ~125 MB at 100k
  samples): what a saved current document of that size looks like.

Collected-on dates spread evenly over 1000 days, so a date range picks an exact share of samples
(``date_range(share)``) for the export rows.
"""

from __future__ import annotations

import datetime
import random
import shutil
import sqlite3
from pathlib import Path

#: Bump when the content changes, so cached documents of an older build are not reused.
BUILD = 2
DAYS = 1000
FIRST_DAY = datetime.date(2020, 1, 1)
QUANTITIES = [
    ("pH", ""),
    ("conductivity", "µS/cm"),
    ("temperature", "°C"),
    ("nitrate", "mg/L"),
    ("turbidity", "NTU"),
    ("chlorophyll a", "µg/L"),
    ("E. coli", "MPN/100 mL"),
    ("dissolved oxygen", "mg/L"),
]
TAGS = ["lake", "river", "groundwater", "Sediment", "QC", "blank", "soil", "Field day"]
WORDS = (
    "sample taken at the outflow after heavy rain; bottle rinsed three times with site water, "
    "kept dark and cool, filtered within four hours; Secchi depth noted on the sheet; "
)


def date_of(sample_id: int) -> str:
    return (FIRST_DAY + datetime.timedelta(days=sample_id % DAYS)).isoformat()


def date_range(share: float) -> tuple[str, str]:
    """collected_from / collected_to selecting ``share`` of the samples."""
    days = max(1, round(DAYS * share))
    return FIRST_DAY.isoformat(), (FIRST_DAY + datetime.timedelta(days=days - 1)).isoformat()


def _fill_1_0(path: Path, samples: int) -> None:
    from app.document.migration import upgrade_in_place  # noqa: PLC0415

    upgrade_in_place(path, target="0f3a1c2b5d10", create=True)
    rng = random.Random(20261201)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO sample (id, code, name, collected_on, notes, tags) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    i,
                    f"LC-{i:06d}",
                    f"Lake station {i % 97} depth {i % 13} m",
                    date_of(i),
                    (WORDS * 3)[: 430 + i % 40],
                    ", ".join(rng.sample(TAGS, 1 + i % 3)) if i % 5 else None,
                )
                for i in range(1, samples + 1)
            ),
        )
        connection.executemany(
            "INSERT INTO measurement (sample_id, quantity, unit, value) VALUES (?, ?, ?, ?)",
            (
                (i // 10 + 1, *QUANTITIES[i % len(QUANTITIES)], rng.random() * 100)
                for i in range(samples * 10)
            ),
        )
        connection.execute("COMMIT")
    finally:
        connection.close()


def build(cache: Path, samples: int) -> tuple[Path, Path]:
    """The 1.0 document and its upgraded, vacuumed form (built if not cached)."""
    from app.document import upgrade  # noqa: PLC0415

    cache.mkdir(parents=True, exist_ok=True)
    old = cache / f"release-1.0-{samples}-b{BUILD}.db"
    head = cache / f"head-{samples}-b{BUILD}.db"
    if not old.exists():
        scratch = old.with_suffix(".building")
        scratch.unlink(missing_ok=True)
        _fill_1_0(scratch, samples)
        scratch.rename(old)
    if not head.exists():
        scratch = head.with_name(f"upgrading-{head.name}")
        shutil.copyfile(old, scratch)
        upgrade(scratch, backup=False)
        scratch.rename(head)
    return old, head
