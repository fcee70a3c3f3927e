"""Every sort of the samples list is served by its index: no temporary B-tree, no table scan.

The statements are the ones ``page_samples`` really runs (caught with a trace callback, parameters
expanded by SQLite), explained with ``EXPLAIN QUERY PLAN`` on a document made by the migrations and
never analysed, as users' documents are. A first page may walk its index from the start (and stop
after ``limit`` rows); a page deeper down must seek into it.
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from app.domain import SORT_KEYS, SampleFilter, page_samples
from app.domain.sorting import ORDERS
from tests.domain.helpers import add_raw_sample

#: The index each sort must use.
INDEX = {
    "code": "ix_sample_code_natural",
    "name": "ix_sample_name",
    "collected_on": "ix_sample_collected_on",
    "location": "ix_sample_location",
    "measurement_count": "ix_sample_measurement_count",
}


@pytest.fixture
def filled(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("BEGIN")
    for number in range(1, 301):
        add_raw_sample(
            conn,
            f"S-{number}",
            f"Sample {number % 17}",
            collected_on=None if number % 4 == 0 else f"2024-01-{number % 28 + 1:02d}",
            location=None if number % 3 == 0 else f"Site {number % 5}",
            measurements=number % 4,
        )
    conn.execute("COMMIT")
    return conn


def statements(conn: sqlite3.Connection, run: object) -> list[str]:
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        assert callable(run)
        run()
    finally:
        conn.set_trace_callback(None)
    return [sql for sql in seen if re.search(r"\bFROM sample s WHERE\b", sql)]


def plan(conn: sqlite3.Connection, sql: str) -> list[str]:
    return [str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]


@pytest.mark.parametrize("sort", SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True])
def test_pages_use_the_sort_index(filled: sqlite3.Connection, sort: str, descending: bool) -> None:
    first = page_samples(filled, sort=sort, descending=descending, limit=50)
    # A row in the middle, one with an empty value (nullable sorts), and the last row.
    middles = [first[25], first[-1]]
    everything = page_samples(filled, sort=sort, descending=descending, limit=1000)
    middles += [row for row in everything if getattr(row, sort) is None][:1]
    runs = [lambda: page_samples(filled, sort=sort, descending=descending, limit=50)]
    runs += [
        lambda after=after: page_samples(
            filled, sort=sort, descending=descending, after=after, limit=50
        )
        for after in middles
    ]
    for number, run in enumerate(runs):
        for sql in statements(filled, run):
            lines = plan(filled, sql)
            assert not any("TEMP B-TREE" in line for line in lines), (sql, lines)
            access = [line for line in lines if re.match(r"(SCAN|SEARCH) s\b", line)]
            assert access, lines
            for line in access:
                assert INDEX[sort] in line, (sql, lines)
                # Deeper pages seek; a first page walks from the start, but seeks past the empty
                # values of a nullable sort (they come last, and the index holds them first).
                if number > 0 or ORDERS[sort].nullable:
                    assert line.startswith("SEARCH"), (sql, lines)


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_a_text_filter_still_reads_in_index_order(filled: sqlite3.Connection, sort: str) -> None:
    """The filter is checked row by row along the index: still no sort of all matching rows."""
    sample_filter = SampleFilter(text="sample 1")
    first = page_samples(filled, sample_filter, sort=sort, limit=5)
    for sql in statements(
        filled, lambda: page_samples(filled, sample_filter, sort=sort, after=first[-1])
    ):
        lines = plan(filled, sql)
        assert not any("TEMP B-TREE" in line for line in lines), (sql, lines)
        assert any(INDEX[sort] in line for line in lines), (sql, lines)
