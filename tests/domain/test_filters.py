"""SampleFilter: each criterion alone and combined, through count, page and raw SQL."""

from __future__ import annotations

import sqlite3

import pytest

from app.domain import (
    InvalidInput,
    SampleFilter,
    count_samples,
    filter_sql,
    page_samples,
    resolve_filter,
)
from tests.domain.helpers import add_raw_sample


@pytest.fixture
def ids(conn: sqlite3.Connection) -> dict[str, int]:
    rows = {
        "S-1": ("Basalt chip", "2024-01-01", "Ridge", "fresh", ("rock", "Écume")),
        "S-2": ("Clay 100% pure", "2024-01-31", "Valley", None, ("rock",)),
        "S-3": ("Sand_grain", "2024-02-01", None, "near the RIDGE", ("soil",)),
        "S-10": ("Loam", None, "ridge top", None, ()),
        "X-1": ("Peat", "2023-12-31", None, "C:\\path", ("soil", "rock")),
    }
    return {
        code: add_raw_sample(
            conn, code, name, collected_on=day, location=place, notes=notes, tags=tags
        )
        for code, (name, day, place, notes, tags) in rows.items()
    }


def codes(conn: sqlite3.Connection, sample_filter: SampleFilter) -> set[str]:
    """The codes the filter lets through, checked three ways that must agree."""
    found = {row.code for row in page_samples(conn, sample_filter, limit=1000)}
    assert count_samples(conn, sample_filter) == len(found)
    where, params = filter_sql(resolve_filter(conn, sample_filter))
    raw = conn.execute(f"SELECT s.code FROM sample s WHERE {where}", params).fetchall()
    assert {code for (code,) in raw} == found
    return found


def test_no_filter_lets_everything_through(conn: sqlite3.Connection, ids: dict[str, int]) -> None:
    assert codes(conn, SampleFilter()) == set(ids)
    assert filter_sql(SampleFilter()) == ("1", [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ridge", {"S-1", "S-3", "S-10"}),  # location, notes, any case
        ("BASALT", {"S-1"}),  # name
        ("s-1", {"S-1", "S-10"}),  # code
        ("100%", {"S-2"}),  # LIKE wildcards are literal
        ("%", {"S-2"}),
        ("_", {"S-3"}),
        ("C:\\", {"X-1"}),  # the escape character itself
        ("  loam ", {"S-10"}),  # trimmed
        ("nothing like this", set()),
    ],
)
def test_text(conn: sqlite3.Connection, ids: dict[str, int], text: str, expected: set[str]) -> None:
    assert codes(conn, SampleFilter(text=text)) == expected


def test_tags_must_all_match_case_insensitively(
    conn: sqlite3.Connection, ids: dict[str, int]
) -> None:
    assert codes(conn, SampleFilter(tags=("ROCK",))) == {"S-1", "S-2", "X-1"}
    assert codes(conn, SampleFilter(tags=("rock", "soil"))) == {"X-1"}
    assert codes(conn, SampleFilter(tags=("rock", "Rock"))) == {"S-1", "S-2", "X-1"}
    assert codes(conn, SampleFilter(tags=("rock", "unknown"))) == set()


def test_any_of_the_tags(conn: sqlite3.Connection, ids: dict[str, int]) -> None:
    assert codes(conn, SampleFilter(any_tags=("soil", "ÉCUME"))) == {"S-1", "S-3", "X-1"}
    assert codes(conn, SampleFilter(any_tags=("SOIL",))) == {"S-3", "X-1"}
    assert codes(conn, SampleFilter(any_tags=("unknown",))) == set()
    # Combined with "all of": both must hold.
    assert codes(conn, SampleFilter(tags=("rock",), any_tags=("soil", "écume"))) == {"S-1", "X-1"}
    assert resolve_filter(conn, SampleFilter(any_tags=("écume",))).any_tags == ("Écume",)


def test_tags_fold_beyond_ascii(conn: sqlite3.Connection, ids: dict[str, int]) -> None:
    # NOCASE alone would not match "écume" with the stored "Écume".
    assert codes(conn, SampleFilter(tags=("écume",))) == {"S-1"}
    assert resolve_filter(conn, SampleFilter(tags=("ÉCUME", "x"))).tags == ("Écume", "x")


def test_dates_are_inclusive(conn: sqlite3.Connection, ids: dict[str, int]) -> None:
    january = SampleFilter(collected_from="2024-01-01", collected_to="2024-01-31")
    assert codes(conn, january) == {"S-1", "S-2"}
    assert codes(conn, SampleFilter(collected_from="2024-01-31")) == {"S-2", "S-3"}
    assert codes(conn, SampleFilter(collected_to="2024-01-01")) == {"S-1", "X-1"}
    assert codes(conn, SampleFilter(collected_from=" ", collected_to="")) == set(ids)


def test_invalid_dates_are_reported(conn: sqlite3.Connection, ids: dict[str, int]) -> None:
    with pytest.raises(InvalidInput) as raised:
        count_samples(conn, SampleFilter(collected_from="2024-02-30", collected_to="1/2/2024"))
    assert set(raised.value.problems) == {"collected_from", "collected_to"}
    assert "like 2024-03-15" in raised.value.problems["collected_to"]
    assert raised.value.exit_code == 2


def test_code_glob(conn: sqlite3.Connection, ids: dict[str, int]) -> None:
    assert codes(conn, SampleFilter(code_globs=("S-1*",))) == {"S-1", "S-10"}
    assert codes(conn, SampleFilter(code_globs=("S-?",))) == {"S-1", "S-2", "S-3"}
    assert codes(conn, SampleFilter(code_globs=("s-*",))) == set()  # GLOB is case-sensitive
    assert codes(conn, SampleFilter(code_globs=("S-2", "S-3"))) == {"S-2", "S-3"}  # any of them


def test_ids(conn: sqlite3.Connection, ids: dict[str, int]) -> None:
    assert codes(conn, SampleFilter(ids=(ids["S-2"], ids["X-1"], 9999))) == {"S-2", "X-1"}
    assert codes(conn, SampleFilter(ids=())) == set()
    # More ids than SQLite allows parameters: passed as one JSON array.
    assert codes(conn, SampleFilter(ids=tuple(range(1, 40_000)))) == set(ids)


def test_combinations(conn: sqlite3.Connection, ids: dict[str, int]) -> None:
    sample_filter = SampleFilter(text="ridge", tags=("rock",), collected_from="2024-01-01")
    assert codes(conn, sample_filter) == {"S-1"}
    sample_filter = SampleFilter(code_globs=("S-*",), tags=("soil",), text="ridge")
    assert codes(conn, sample_filter) == {"S-3"}
    sample_filter = SampleFilter(
        ids=(ids["S-1"], ids["S-10"]), text="ridge", collected_to="2030-01-01"
    )
    assert codes(conn, sample_filter) == {"S-1"}


def test_overlong_search_text_is_reported(conn: sqlite3.Connection) -> None:
    with pytest.raises(InvalidInput) as raised:
        filter_sql(SampleFilter(text="x" * 251, code_globs=("y" * 251,)))
    assert set(raised.value.problems) == {"text", "code_globs"}
