"""Dates, times and numbers people type: digits are 0 to 9, whatever else Unicode calls a digit."""

# The look-alike digits are the point of these tests.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from app.domain.values import parse_date, parse_date_time, parse_number

FULL_WIDTH = "２０２４-０３-１５"
ARABIC_INDIC = "٢٠٢٤-٠٣-١٥"


@pytest.mark.parametrize("text", ["１２", "١٢", "۱۲", "1２", "7.２５", "१२"])
def test_numbers_in_other_digits_are_not_numbers(text: str) -> None:
    assert float(text) > 0  # Python itself reads them as numbers
    assert parse_number(text) is None


@pytest.mark.parametrize("text", [FULL_WIDTH, ARABIC_INDIC, "2024-03-１５"])
def test_dates_in_other_digits_are_not_dates(text: str) -> None:
    assert parse_date(text) is None
    assert parse_date_time(text) is None
    assert parse_date_time("2024-03-15 １４:３０") is None


def test_ascii_still_parses() -> None:
    assert parse_number(" 7.25 ") == 7.25
    assert parse_date("2024-03-15") == "2024-03-15"
    assert parse_date_time("2024-03-15T14:30") == "2024-03-15 14:30:00"


def test_times_stored_by_earlier_releases_still_parse() -> None:
    """Releases before 2.2 wrote ".000000"; editing another field of such a row must not fail."""
    assert parse_date_time("2027-02-07 12:28:41.000000") == "2027-02-07 12:28:41"
    assert parse_date_time("2027-02-07 12:28:41.25") == "2027-02-07 12:28:41.250000"
    assert parse_date_time("2027-02-07 12:28.5") is None
    assert parse_date_time("2027-02-07 12:28:41.1234567") is None
