"""Dates and date-times in imported cells: ISO 8601 always, anything else only by a given format.

``03/04/2024`` is the 3rd of April in Berlin and the 4th of March in Boston, so nothing but ISO
8601 (``2024-03-15``, ``2024-03-15 14:30``, ``2024-03-15T14:30:15``) is read without a format.
The person gives one (``--date-format %d.%m.%Y``, strptime directives) and it is tried first, so
a declared ``%Y-%d-%m`` is not overruled by an ISO reading of the same text.

Documents keep times to the second, in local time, so fractions of a second are dropped (never
rounded: rounding could move a time into the next day) and a time zone (``Z``, ``+01:00``) is
refused rather than silently converted or ignored.
"""

from __future__ import annotations

import datetime
import re

from app.domain.errors import InvalidInput
from app.domain.tables.model import Cell

_ISO_DATE_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<h>[0-9]{2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]+))?)?"
    r"(?P<zone>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_ZONE_DIRECTIVE = re.compile(r"%[zZ:]")


class InvalidDate(InvalidInput):
    """A cell that is not a date (or date-time) in the accepted forms; ``reason`` says why."""

    def __init__(self, reason: str, field: str) -> None:
        super().__init__({field: reason})
        self.reason = reason
        self.field = field


def import_date(cell: Cell, date_format: str | None = None, *, field: str = "collected_on") -> str:
    """A date cell as ``YYYY-MM-DD``; ``InvalidDate`` with a sentence otherwise."""
    moment = _parse(cell, date_format, field, date_only=True)
    if moment.time() != datetime.time():
        raise InvalidDate(f"“{cell}” has a time of day; this column holds dates only.", field)
    return moment.date().isoformat()


def import_date_time(
    cell: Cell, date_format: str | None = None, *, field: str = "measured_at"
) -> str:
    """A date or date-time cell as ``YYYY-MM-DD HH:MM:SS`` (a date alone is midnight)."""
    return _parse(cell, date_format, field, date_only=False).isoformat(sep=" ", timespec="seconds")


def _parse(
    cell: Cell, date_format: str | None, field: str, *, date_only: bool
) -> datetime.datetime:
    if not isinstance(cell, str):
        raise InvalidDate(
            f"“{cell}” is a number, not a date: format the column as dates, or write dates "
            "like 2024-03-15.",
            field,
        )
    text = " ".join(cell.split())
    if date_format:
        if _ZONE_DIRECTIVE.search(date_format):
            raise InvalidDate(
                "Samplebook keeps times without a time zone: leave %z and %Z out of the format.",
                field,
            )
        try:
            return datetime.datetime.strptime(text, date_format)
        except ValueError:
            pass
    moment = _iso(text, field)
    if moment is not None:
        return moment
    example = "2024-03-15" if date_only else "2024-03-15 14:30"
    if date_format:
        raise InvalidDate(
            f"“{text}” is neither a date in the format {date_format} nor like {example}.", field
        )
    raise InvalidDate(
        f"“{text}” is not a date like {example}: for other forms, give the date format "
        "(like %d.%m.%Y or %m/%d/%Y).",
        field,
    )


def _iso(text: str, field: str) -> datetime.datetime | None:
    match = _ISO_DATE_TIME.fullmatch(text)
    if match is None:
        return None
    if match["zone"]:
        raise InvalidDate(
            f"“{text}” has a time zone ({match['zone']}); Samplebook keeps local times without "
            "one. Convert the times to local time, or remove the zone.",
            field,
        )
    try:
        day = datetime.date.fromisoformat(match["date"])
        clock = datetime.time(int(match["h"] or 0), int(match["m"] or 0), int(match["s"] or 0))
    except ValueError:
        raise InvalidDate(f"“{text}” is not a real date or time.", field) from None
    return datetime.datetime.combine(day, clock)
