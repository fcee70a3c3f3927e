"""Rows pasted into the measurements table (Ctrl+V with tab-separated text on the clipboard).

Several rows are to go through the import path, with its preview (File → Import…). Until that
path takes pasted text, this does the one thing that needs no preview: a single row becomes a new
measurement through the table's own entry (checked like a typed row, one undo step); several
rows are told to come through File → Import….

The table is reached by what it can do (``PasteTarget``), not by its class, so this module stays
free of the widgets that call it (no import cycle inside ``app.ui``).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.domain.lab_values import InvalidLabValue, format_lab_value, lab_value_from_columns
from app.domain.tables import TableError, read_pasted_table
from app.ui.messages.measurements import PASTE_NOT_A_ROW, PASTE_SEVERAL_ROWS

#: The object name of the measurements panel in a window.
TARGET_NAME = "measurementsPanel"
#: The grid's columns, for rows pasted without a header row (cells in the order shown).
GRID_FIELDS = ("quantity", "value", "unit", "measured_at")
#: Header names of measurement tables (the import's fields); others are left out.
KNOWN_HEADERS = frozenset(
    {
        "code",
        "sample_id",
        "name",
        "quantity",
        "value",
        "unit",
        "measured_at",
        "qualifier",
        "uncertainty",
    }
)


@runtime_checkable
class PasteTarget(Protocol):
    def add_pasted_row(self, texts: dict[str, str]) -> bool:
        """Enter one row (field → text) as if typed and store it; False when refused."""

    def show_problem(self, sentence: str) -> None: ...


def paste_measurements(window: QWidget, sample_id: int, text: str) -> None:
    """Paste tab-separated ``text`` into the measurements of sample ``sample_id``."""
    target = window.findChild(QObject, TARGET_NAME)
    if not isinstance(target, PasteTarget):
        return
    rows = _rows(text)
    if rows is None:
        target.show_problem(PASTE_NOT_A_ROW)
    elif len(rows) > 1:
        target.show_problem(PASTE_SEVERAL_ROWS)
    elif rows:
        target.add_pasted_row(rows[0])


def _rows(text: str) -> list[dict[str, str]] | None:
    """The pasted records as field → text; ``None`` when the text is not a table of them."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    cells = [cell.strip().casefold() for cell in first_line.rstrip("\r").split("\t")]
    has_header = bool(cells) and set(cells) <= KNOWN_HEADERS and "value" in cells
    if not has_header:
        text = "\t".join(GRID_FIELDS) + "\n" + text
    try:
        table = read_pasted_table(text)
    except TableError:
        return None
    header = [name.casefold() for name in table.header]
    rows = []
    for record in table.records:
        values = dict(zip(header, (str(cell) for cell in record.cells), strict=False))
        if len(record.cells) > len(header) and any(
            str(c).strip() for c in record.cells[len(header) :]
        ):
            return None
        row = {name: values[name] for name in GRID_FIELDS if name in values}
        row["value"] = _value_text(values)
        rows.append(row)
    return rows


def _value_text(values: dict[str, str]) -> str:
    """The value cell, with a separate qualifier and uncertainty (an export table's) put into it
    as typed (``<0.05``, ``1.2 ± 0.1``); left as it is when they do not fit, to be refused."""
    value = values.get("value", "")
    qualifier = values.get("qualifier", "").strip()
    uncertainty = values.get("uncertainty", "").strip()
    if not qualifier and not uncertainty:
        return value
    try:
        return format_lab_value(lab_value_from_columns(value, qualifier, uncertainty or None))
    except InvalidLabValue:
        return value
