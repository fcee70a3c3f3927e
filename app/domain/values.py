"""Parsing what people type: dates, times and numbers, with the sentence to show when it is wrong.

Documents store dates as ``YYYY-MM-DD`` and times as ``YYYY-MM-DD HH:MM:SS`` text (what SQLAlchemy's
Date and DateTime write), so string comparison orders them and export readers parse them.
"""

from __future__ import annotations

import datetime
import math
import re

# [0-9], not \d: \d also matches full-width and Arabic-Indic digits, which int() and float() then
# read as numbers (2024-03-15 in full-width digits would be a date), and people never mean those.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Fractions of a second: earlier releases stored times as SQLAlchemy writes them
# ("2027-02-07 12:28:41.000000"), and such a time must stay valid when another field of its
# measurement is edited.
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?)?"
)
# float() also takes "1_000", "nan", "infinity" and full-width digits: people never mean those.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

DATE_EXAMPLE = "2024-03-15"
NUMBER_MESSAGE = "Value must be a number, like 7.25."


def blank_to_none(text: str | None) -> str | None:
    """Trimmed text, or ``None`` for missing or blank text (optional fields store NULL, not '')."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def parse_date(text: str) -> str | None:
    """``text`` as a ``YYYY-MM-DD`` date, or ``None`` when it is not a real date in that form."""
    text = text.strip()
    # fromisoformat alone would also take "20240315" and, since 3.11, week dates.
    if not _DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def parse_date_time(text: str) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM[:SS[.ffffff]]`` as ``YYYY-MM-DD HH:MM:SS``; ``None`` if
    invalid. A fraction of a second is dropped when it is zero and kept otherwise (nothing lost)."""
    match = _DATE_TIME.fullmatch(text.strip())
    if match is None:
        return None
    day, hour, minute, second, fraction = match.groups()
    microsecond = int((fraction or "0").ljust(6, "0"))
    try:
        moment = datetime.datetime.combine(
            datetime.date.fromisoformat(day),
            datetime.time(int(hour or 0), int(minute or 0), int(second or 0), microsecond),
        )
    except ValueError:
        return None
    return moment.isoformat(sep=" ", timespec="microseconds" if microsecond else "seconds")


def parse_number(value: float | str) -> float | None:
    """A finite float from a number or its text with a decimal point; ``None`` otherwise."""
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER.fullmatch(text):
            return None
        number = float(text)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        return None
    return number if math.isfinite(number) else None
