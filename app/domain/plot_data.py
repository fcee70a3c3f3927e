"""What the plot panel draws: measurements read as columns, with their units and qualifiers.

Two views: one quantity across the samples a filter chooses (the samples list's), in the list's
default order (codes naturally), and one sample's measurements over time. Nothing is converted:
a quantity measured in two units comes back as two units (``units``), and the panel decides
whether to show one of them or each as its own series. Not-detected measurements have no value
(``None``), and measurements without a date have no time; the panel says what it leaves out.
No Qt, no numpy: plain lists, which the panel turns into arrays.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from app.domain.filters import SampleFilter, filter_sql, resolve_filter
from app.domain.sorting import ORDERS


@dataclass
class PlotRows:
    """One entry per measurement, as parallel columns."""

    quantity: str
    sample_ids: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    collected_on: list[str | None] = field(default_factory=list)
    measured_at: list[str | None] = field(default_factory=list)
    quantities: list[str] = field(default_factory=list)
    values: list[float | None] = field(default_factory=list)
    qualifiers: list[str | None] = field(default_factory=list)
    uncertainties: list[float | None] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.values)

    def unit_counts(self) -> list[tuple[str, int]]:
        """Each unit and how many measurements carry it, the most common first."""
        counts = Counter(self.units)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def _add(self, row: Any) -> None:
        sample_id, code, collected, measured, quantity, value, qualifier, uncertainty, unit = row
        self.sample_ids.append(sample_id)
        self.codes.append(code)
        self.collected_on.append(collected)
        self.measured_at.append(measured)
        self.quantities.append(quantity)
        self.values.append(value)
        self.qualifiers.append(qualifier)
        self.uncertainties.append(uncertainty)
        self.units.append(unit or "")


_COLUMNS = (
    "s.id, s.code, s.collected_on, m.measured_at, m.quantity, m.value, m.qualifier, "
    "m.uncertainty, m.unit"
)


def quantity_rows(
    connection: sqlite3.Connection, sample_filter: SampleFilter, quantity: str
) -> PlotRows:
    """Every measurement of ``quantity`` of the samples ``sample_filter`` chooses, in the list's order."""
    where, params = filter_sql(resolve_filter(connection, sample_filter))
    order = ", ".join(ORDERS["code"].terms)
    rows = PlotRows(quantity)
    for row in connection.execute(
        f"SELECT {_COLUMNS} FROM sample s JOIN measurement m ON m.sample_id = s.id "
        f"WHERE ({where}) AND m.quantity = ? "
        f"ORDER BY {order}, m.measured_at IS NULL, m.measured_at, m.id",
        [*params, quantity],
    ):
        rows._add(row)
    return rows


def sample_rows(connection: sqlite3.Connection, sample_id: int, quantity: str | None) -> PlotRows:
    """The measurements of one sample (of ``quantity``, or all) in the order they were taken."""
    condition, params = ("AND m.quantity = ?", [quantity]) if quantity is not None else ("", [])
    rows = PlotRows(quantity or "")
    for row in connection.execute(
        f"SELECT {_COLUMNS} FROM sample s JOIN measurement m ON m.sample_id = s.id "
        f"WHERE s.id = ? {condition} "
        "ORDER BY m.quantity, m.measured_at IS NULL, m.measured_at, m.id",
        [sample_id, *params],
    ):
        rows._add(row)
    return rows


def quantity_counts(connection: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every quantity and its number of measurements, the most measured first."""
    return [
        (str(quantity), int(count))
        for quantity, count in connection.execute(
            "SELECT quantity, count(*) FROM measurement WHERE quantity <> '' "
            "GROUP BY quantity ORDER BY count(*) DESC, quantity COLLATE NOCASE"
        )
    ]
