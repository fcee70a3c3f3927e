"""Keyset paging: every row exactly once, in the order a Python sort of all rows gives."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.document import create
from app.document.connections import open_read_write
from app.domain import SORT_KEYS, SampleFilter, SampleRow, get_sample, page_samples
from tests.domain.helpers import add_raw_sample

#: SQLite's NOCASE folds ASCII letters only.
_NOCASE = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
_TRAILING_DIGITS = re.compile(r"[0-9]*\Z")
_LARGEST_INTEGER = 2**63 - 1  # SQLite's CAST saturates there


def natural(code: str) -> tuple[str, int, str]:
    """The documented natural order: the code without its trailing digits (case-insensitively,
    ASCII), the trailing digits as a number (0 when there are none), then the code itself."""
    digits = _TRAILING_DIGITS.search(code)
    assert digits is not None
    number = min(int(digits[0] or 0), _LARGEST_INTEGER)
    return code[: digits.start()].translate(_NOCASE), number, code


def _key(row: SampleRow, sort: str) -> object:
    value = getattr(row, sort)
    if sort == "code":
        return natural(value)
    return value.translate(_NOCASE) if sort in ("name", "location") and value else value


def expected_order(rows: list[SampleRow], sort: str, descending: bool) -> list[int]:
    """The documented order: empty values last in both directions, ties by id."""
    present = [row for row in rows if getattr(row, sort) is not None]
    empty = [row for row in rows if getattr(row, sort) is None]
    present.sort(key=lambda row: (_key(row, sort), row.id), reverse=descending)
    empty.sort(key=lambda row: row.id, reverse=descending)
    return [row.id for row in present + empty]


def walk(
    conn: sqlite3.Connection, sort: str, descending: bool, limit: int, sample_filter: SampleFilter
) -> list[SampleRow]:
    seen: list[SampleRow] = []
    after: SampleRow | None = None
    while page := page_samples(
        conn, sample_filter, sort=sort, descending=descending, after=after, limit=limit
    ):
        assert len(page) <= limit
        seen.extend(page)
        after = page[-1]
    return seen


def all_rows(conn: sqlite3.Connection) -> list[SampleRow]:
    ids = [sample_id for (sample_id,) in conn.execute("SELECT id FROM sample")]
    rows = [get_sample(conn, sample_id) for sample_id in ids]
    return [row for row in rows if row is not None]


def check_every_order(conn: sqlite3.Connection, limits: tuple[int, ...]) -> None:
    rows = all_rows(conn)
    for sort in SORT_KEYS:
        for descending in (False, True):
            expected = expected_order(rows, sort, descending)
            for limit in limits:
                got = walk(conn, sort, descending, limit, SampleFilter())
                assert [row.id for row in got] == expected, (sort, descending, limit)


@pytest.fixture
def tricky(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Duplicated sort values, NULLs, case variants and non-ASCII names."""
    samples = [
        ("S-1", "beta", "2024-05-01", "Hill", 2),
        ("S-2", "Beta", None, None, 0),
        ("S-3", "alpha", "2024-05-01", "hill", 2),
        ("S-10", "Écume", None, "Zeta", 5),
        ("s-4", "écume", "2023-01-01", None, 0),
        ("S-5", "beta", "2024-05-01", "Hill", 2),
        ("a", "_", "2025-12-31", "", 1),
        ("Z", "Zulu", None, "hill", 0),
    ]
    for code, name, day, place, count in samples:
        add_raw_sample(conn, code, name, collected_on=day, location=place, measurements=count)
    return conn


def test_every_sort_key_both_directions(tricky: sqlite3.Connection) -> None:
    check_every_order(tricky, limits=(1, 2, 3, 100))


def test_paging_with_a_filter(tricky: sqlite3.Connection) -> None:
    sample_filter = SampleFilter(text="e")
    matching = {row.id for row in walk(tricky, "code", False, 100, sample_filter)}
    rows = [row for row in all_rows(tricky) if row.id in matching]
    assert {row.code for row in rows} == {"S-1", "S-2", "S-10", "s-4", "S-5"}
    for sort in SORT_KEYS:
        got = walk(tricky, sort, True, 2, sample_filter)
        assert [row.id for row in got] == expected_order(rows, sort, True)


def test_rows_carry_counts_and_sorted_tags(conn: sqlite3.Connection) -> None:
    sample_id = add_raw_sample(conn, "S-1", measurements=3, tags=("zinc", "Alpha", "écume"))
    (row,) = page_samples(conn)
    assert row == get_sample(conn, sample_id)
    assert row.measurement_count == 3
    assert row.tags == ("Alpha", "écume", "zinc")
    assert get_sample(conn, 999) is None


def test_bad_arguments(conn: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="Unknown sort key"):
        page_samples(conn, sort="notes")
    add_raw_sample(conn, "S-1")
    assert page_samples(conn, limit=0) == []


# -- property -------------------------------------------------------------------------------------

_TEXT = st.text(alphabet="aAbBzZéÉ _-", max_size=3)
_DAYS = st.sampled_from([None, "2024-01-01", "2024-01-02", "2023-12-31"])
_SAMPLES = st.lists(
    st.tuples(
        st.text(alphabet="SsXx-0123456789", min_size=1, max_size=4),
        _TEXT,
        _DAYS,
        st.one_of(st.none(), _TEXT),
        st.integers(min_value=0, max_value=3),
    ),
    max_size=25,
    unique_by=lambda sample: sample[0],
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """One document reused by every example (reads need no OpenDocument)."""
    path = create(Path(tmp_path_factory.mktemp("paging")) / "scratch.db")
    connection = open_read_write(path)
    connection.execute("PRAGMA synchronous = OFF")  # a scratch file: no fsync per example
    yield connection
    connection.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(samples=_SAMPLES, limit=st.integers(min_value=1, max_value=6))
def test_paging_property(
    scratch: sqlite3.Connection,
    samples: list[tuple[str, str, str | None, str | None, int]],
    limit: int,
) -> None:
    scratch.execute("BEGIN")
    scratch.execute("DELETE FROM sample")
    for code, name, day, place, count in samples:
        add_raw_sample(scratch, code, name, collected_on=day, location=place, measurements=count)
    scratch.execute("COMMIT")
    check_every_order(scratch, limits=(limit,))


# -- natural codes --------------------------------------------------------------------------------


def test_codes_sort_naturally(conn: sqlite3.Connection) -> None:
    codes = [
        "BIG-10",
        "S-100000000000000000000",
        "BIG-2",
        "S-7 (2)",
        "big-3",
        "2024",
        "S-007",
        "BIG-02",
        "NO-DIGITS",
        "S-99999999999999999999",
        "S-7",
        "15",
        "Ünïcode-5",
        "S-",
    ]
    for code in codes:
        add_raw_sample(conn, code)
    ascending = [row.code for row in walk(conn, "code", False, 4, SampleFilter())]
    assert ascending == [
        "15",
        "2024",
        "BIG-02",
        "BIG-2",
        "big-3",
        "BIG-10",
        "NO-DIGITS",
        "S-",
        "S-007",
        "S-7",
        # Both beyond 64 bits: SQLite's CAST gives both the largest integer, so the code decides.
        "S-100000000000000000000",
        "S-99999999999999999999",
        "S-7 (2)",
        "Ünïcode-5",
    ]
    descending = [row.code for row in walk(conn, "code", True, 3, SampleFilter())]
    assert descending == ascending[::-1]
