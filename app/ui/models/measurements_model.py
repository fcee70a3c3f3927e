"""The measurements of one sample, editable in place; every edit goes through the undo stack."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.domain import InvalidInput
from app.domain.lab_values import format_lab_value, parse_lab_value
from app.domain.measurements import (
    MeasurementFields,
    MeasurementRow,
    list_measurements,
    validate_measurement,
)
from app.ui.models.headers import column_title

Index = QModelIndex | QPersistentModelIndex

COLUMNS = [
    ("Quantity", "quantity"),
    ("Value", "value"),
    ("Unit", "unit"),
    ("Measured at", "measured_at"),
]
VALUE_COLUMN = 1

#: Commits an edit of one measurement; returns the sentence to show when it was refused.
Commit = Callable[[MeasurementRow, MeasurementFields], str | None]


def format_value(row: MeasurementRow) -> str:
    """The value as the person typed it: ``<0.05``, ``1.2 ± 0.1``, ``n.d.`` (parses back to it)."""
    return format_lab_value(row.lab_value)


def fields_of(row: MeasurementRow) -> MeasurementFields:
    return row.fields()


class MeasurementsModel(QAbstractTableModel):
    #: The sentence of a refused edit, or "" once an edit went through.
    problem_changed = Signal(str)

    def __init__(self, commit: Commit) -> None:
        super().__init__()
        self._commit = commit
        self._rows: list[MeasurementRow] = []
        self.read_only = False
        #: The sentence of the last refused edit ("" when the last edit was fine).
        self.problem = ""

    def load(self, connection: sqlite3.Connection | None, sample_id: int | None) -> None:
        self.beginResetModel()
        self._rows = (
            list_measurements(connection, sample_id)
            if connection is not None and sample_id is not None
            else []
        )
        self.endResetModel()

    def measurement_at(self, row: int) -> MeasurementRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, measurement_id: int) -> int | None:
        for row, measurement in enumerate(self._rows):
            if measurement.id == measurement_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = [row.quantity, format_value(row), row.unit, row.measured_at or ""]
            return values[column]
        if role == Qt.ItemDataRole.EditRole:
            values = [row.quantity, repr(row.value), row.unit, row.measured_at or ""]
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == VALUE_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_title(COLUMNS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        old = fields_of(row)
        text = str(value).strip()
        field = COLUMNS[index.column()][1]
        changes: dict[str, Any] = {field: text}
        if field == "measured_at":
            changes[field] = text or None
        new = dataclasses.replace(old, **changes)
        if new == old or (field == "value" and _same_value(text, row)):
            self._set_problem("")
            return False
        problems = validate_measurement(new)
        if problems:
            self._set_problem(" ".join(problems.values()))
            return False
        refused = self._commit(row, new)
        self._set_problem(refused or "")
        return refused is None

    def _set_problem(self, sentence: str) -> None:
        self.problem = sentence
        self.problem_changed.emit(sentence)


def _same_value(text: str, row: MeasurementRow) -> bool:
    """Typing what is already there (``7.250`` for ``7.25``) is not an edit."""
    try:
        return parse_lab_value(text) == row.lab_value
    except InvalidInput:
        return False
