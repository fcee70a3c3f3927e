"""The cells of the measurements grid: its columns, how stored values are shown, the new row."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor

from app.domain.measurements import MeasurementFields, MeasurementRow

COLUMNS = [
    ("Quantity", "quantity"),
    ("Value", "value"),
    ("Unit", "unit"),
    ("Measured at", "measured_at"),
]
FIELDS = tuple(name for _title, name in COLUMNS)
QUANTITY_COLUMN, VALUE_COLUMN, UNIT_COLUMN, MEASURED_AT_COLUMN = range(len(COLUMNS))

#: The colour of refused text (the problem labels' colour).
PROBLEM_COLOUR = QColor("#b3261e")


def uses_decimal_comma(locale: QLocale | None = None) -> bool:
    """True when the person's locale writes 0,05 (numbers are then typed and shown that way)."""
    return (locale or QLocale()).decimalPoint() == ","


def shown_time(stored: str | None) -> str:
    """A stored time as the grid shows it: ``2024-05-15 10:30:00`` → ``2024-05-15 10:30``.

    Seconds are shown when they are not zero; a zero fraction (written by earlier releases) is
    left out. What is shown parses back to what is stored.
    """
    if not stored:
        return ""
    text = stored.removesuffix(".000000")
    if len(text) == len("2024-05-15 10:30:00") and text.endswith(":00"):
        text = text[:-3]
    return text


def exact_fields(row: MeasurementRow) -> MeasurementFields:
    """A row's fields with its value as a ``LabValue``: an update with them keeps what the value
    means (a bare number would keep a stored qualifier, by ``update_measurement``'s rule)."""
    return MeasurementFields(row.quantity, row.lab_value, row.unit, row.measured_at)


@dataclass
class Draft:
    """The new row: the texts as typed, field by field, and what is wrong with them."""

    texts: dict[str, str]
    #: Something was typed that differs from what the row started with.
    touched: bool = False
    problems: dict[str, str] = field(default_factory=dict)

    @classmethod
    def like(cls, quantity: str, unit: str) -> Draft:
        return cls({"quantity": quantity, "value": "", "unit": unit, "measured_at": ""})
