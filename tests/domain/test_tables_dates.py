"""Dates in imported cells: ISO 8601 always, other forms only with the format the person gives."""

from __future__ import annotations

import pytest

from app.domain.errors import InvalidInput
from app.domain.tables import InvalidDate, import_date, import_date_time


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-15", "2024-03-15"),
        (" 2024-03-15 ", "2024-03-15"),
        ("2024-03-15 00:00:00", "2024-03-15"),  # what the .xlsx reader gives for a midnight
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_iso_dates(cell: str, expected: str) -> None:
    assert import_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-15", "2024-03-15 00:00:00"),
        ("2024-03-15 14:30", "2024-03-15 14:30:00"),
        ("2024-03-15T14:30", "2024-03-15 14:30:00"),
        ("2024-03-15T14:30:15", "2024-03-15 14:30:15"),
        ("2024-03-15 14:30:15.999", "2024-03-15 14:30:15"),  # dropped, never rounded up
        ("2024-12-31 23:59:59,9", "2024-12-31 23:59:59"),
    ],
)
def test_iso_date_times(cell: str, expected: str) -> None:
    assert import_date_time(cell) == expected


@pytest.mark.parametrize(
    ("cell", "date_format", "expected"),
    [
        ("15.03.2024", "%d.%m.%Y", "2024-03-15"),
        ("03/04/2024", "%d/%m/%Y", "2024-04-03"),
        ("03/04/2024", "%m/%d/%Y", "2024-03-04"),
        ("2024-03-15", "%d.%m.%Y", "2024-03-15"),  # ISO still reads when it does not fit
        ("2024-04-03", "%Y-%d-%m", "2024-03-04"),  # the declared format is tried first
    ],
)
def test_dates_with_a_given_format(cell: str, date_format: str, expected: str) -> None:
    assert import_date(cell, date_format) == expected


def test_date_times_with_a_given_format() -> None:
    assert import_date_time("15.03.2024 14:30", "%d.%m.%Y %H:%M") == "2024-03-15 14:30:00"
    assert import_date_time("15.03.2024", "%d.%m.%Y") == "2024-03-15 00:00:00"


@pytest.mark.parametrize(
    ("cell", "date_format", "says"),
    [
        (
            "03/04/2024",
            None,
            "is not a date like 2024-03-15: for other forms, give the date format",
        ),
        ("15.03.2024", None, "give the date format"),
        ("20240315", None, "is not a date like"),  # ISO's basic form looks like a number
        ("2024-02-30", None, "not a real date"),
        ("2024-03-15 25:00", None, "not a real date or time"),
        ("", None, "is not a date like"),
        ("15.03.2024", "%m/%d/%Y", "neither a date in the format %m/%d/%Y nor like 2024-03-15"),
        ("2024-03-15 14:30", None, "has a time of day; this column holds dates only"),
        ("2024-03-15T14:30:00Z", None, "has a time zone (Z)"),
        ("2024-03-15 14:30+01:00", None, "has a time zone (+01:00)"),
        ("15.03.2024", "%d.%m.%Y %z", "leave %z and %Z out"),
    ],
)
def test_dates_that_are_refused(cell: str, date_format: str | None, says: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        import_date(cell, date_format)
    assert says in caught.value.reason
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.problems == {"collected_on": caught.value.reason}


def test_numbers_are_not_dates() -> None:
    """A spreadsheet column of serial numbers (45366) is refused, not read as days since 1900."""
    with pytest.raises(InvalidDate, match="is a number, not a date") as caught:
        import_date_time(45366, field="measured_at")
    assert caught.value.field == "measured_at"
    with pytest.raises(InvalidDate, match="has a time zone"):
        import_date_time("2024-03-15T14:30:00-05:00")
