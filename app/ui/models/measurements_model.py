"""The measurements of one sample as a grid: stored rows edited in place, and a new row being typed.

Three rules make keyboard entry work:

* **No reset while the person works.** After any change (an edit, an undo, an import) ``sync``
  reads the sample's measurements again and changes rows in place (``dataChanged``, row inserts
  and removals). A reset would close the editor being committed and lose the current cell: Tab
  then started over at the first cell, which is how the quantity once became the typed date.
* **Rows keep their places while the sample is shown.** A measurement whose time was just typed
  does not jump to its sorted place under the cursor; the order by time comes back the next time
  the sample is shown (``load``).
* **A new row is a draft** (``Draft``) that lives only here until it is complete and valid; then
  the grid stores it as one Add Measurement and the draft becomes that row (``adopting``).
  Nothing is stored before a valid value is typed, and an untouched draft leaves nothing behind.

Text the domain refuses stays where it was typed, in red with its sentence (``pending`` for stored
rows, the draft's own texts), so the person can correct it: it is never replaced by a stored value.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from app.domain.lab_values import InvalidLabValue, LabValue, format_lab_value, parse_lab_value
from app.domain.measurements import (
    MeasurementFields,
    MeasurementRow,
    list_measurements,
    normalise_measurement,
    validate_measurement,
)
from app.domain.values import blank_to_none
from app.ui.messages.measurements import NEW_ROW_TIP, not_stored
from app.ui.models.headers import column_title
from app.ui.models.measurement_cells import (
    COLUMNS,
    FIELDS,
    MEASURED_AT_COLUMN,
    PROBLEM_COLOUR,
    QUANTITY_COLUMN,
    VALUE_COLUMN,
    Draft,
    exact_fields,
    shown_time,
    uses_decimal_comma,
)

Index = QModelIndex | QPersistentModelIndex

#: Stores an edit of one stored measurement; returns the sentence to show when it was refused.
Commit = Callable[[MeasurementRow, MeasurementFields], str | None]


class MeasurementsModel(QAbstractTableModel):
    #: The sentence of a refused edit, or "" once an edit went through.
    problem_changed = Signal(str)

    def __init__(self, commit: Commit) -> None:
        super().__init__()
        self._commit = commit
        self._rows: list[MeasurementRow] = []
        self._sample_id: int | None = None
        self.draft: Draft | None = None
        #: Refused text typed into stored rows: (measurement id, field) → (text, sentence).
        self._pending: dict[tuple[int, str], tuple[str, str]] = {}
        self._adopting = False
        #: The draft row is being removed (``discard_draft``).
        self.removing_draft = False
        self.read_only = False
        self.decimal_comma = uses_decimal_comma()
        #: The sentence of the last refused edit ("" when the last edit was fine).
        self.problem = ""
        #: The last ``setData`` was refused (the grid keeps the editor open for correction).
        self.refused = False

    # -- reading --------------------------------------------------------------------------------

    @property
    def sample_id(self) -> int | None:
        return self._sample_id

    def load(self, connection: sqlite3.Connection | None, sample_id: int | None) -> None:
        """Show ``sample_id``'s measurements in time order (another sample, or none)."""
        self.beginResetModel()
        self._sample_id = sample_id if connection is not None else None
        self._rows = (
            list_measurements(connection, sample_id)
            if connection is not None and sample_id is not None
            else []
        )
        self.draft = None
        self._pending.clear()
        self.decimal_comma = uses_decimal_comma()
        self.endResetModel()
        self._set_problem("")

    def sync(self, connection: sqlite3.Connection | None, sample_id: int | None) -> None:
        """Take in what changed in the document, row by row, keeping editors and the current cell.

        Rows that are gone are removed, changed rows are updated where they are, new rows are
        inserted after the row that precedes them in time order (while ``adopting``, the newest
        one takes the draft's place instead).
        """
        if connection is None or sample_id is None or sample_id != self._sample_id:
            self.load(connection, sample_id)
            return
        fresh = list_measurements(connection, sample_id)
        by_id = {row.id: row for row in fresh}
        for position in reversed(range(len(self._rows))):
            if self._rows[position].id not in by_id:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._rows[position]
                self.endRemoveRows()
        self._pending = {key: pending for key, pending in self._pending.items() if key[0] in by_id}
        last = len(COLUMNS) - 1
        for position, old in enumerate(self._rows):
            new = by_id[old.id]
            if new != old:
                self._rows[position] = new
                self.dataChanged.emit(self.index(position, 0), self.index(position, last))
        present = {row.id for row in self._rows}
        added = [row for row in fresh if row.id not in present]
        if self._adopting and self.draft is not None and added:
            adopted = max(added, key=lambda row: row.id)
            added.remove(adopted)
            self._adopt(adopted)
        for row in added:
            self._insert_in_order(row, fresh)

    def _adopt(self, row: MeasurementRow) -> None:
        position = len(self._rows)
        self._rows.append(row)
        self.draft = None
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(COLUMNS) - 1))

    def _insert_in_order(self, row: MeasurementRow, fresh: list[MeasurementRow]) -> None:
        positions = {shown.id: position for position, shown in enumerate(self._rows)}
        at = 0
        for earlier in fresh[: fresh.index(row)]:
            if earlier.id in positions:
                at = positions[earlier.id] + 1
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, row)
        self.endInsertRows()

    @contextmanager
    def adopting(self) -> Iterator[None]:
        """While the draft is being stored: the measurement that appears is the draft."""
        self._adopting = True
        try:
            yield
        finally:
            self._adopting = False

    def measurement_at(self, row: int) -> MeasurementRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, measurement_id: int) -> int | None:
        for row, measurement in enumerate(self._rows):
            if measurement.id == measurement_id:
                return row
        return None

    def stored_rows(self) -> list[MeasurementRow]:
        return list(self._rows)

    # -- the draft ------------------------------------------------------------------------------

    @property
    def draft_row(self) -> int | None:
        return len(self._rows) if self.draft is not None else None

    def is_draft(self, row: int) -> bool:
        return self.draft is not None and row == len(self._rows)

    def start_draft(self, quantity: str, unit: str) -> int:
        """Add the new row (at the end) and return its row number."""
        if self.draft is not None:
            self.discard_draft()
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self.draft = Draft.like(quantity, unit)
        self.endInsertRows()
        return position

    def discard_draft(self) -> None:
        if self.draft is None:
            return
        position = len(self._rows)
        # The view moves its current cell off the row while it goes: that is not "leaving" it.
        self.removing_draft = True
        try:
            self.beginRemoveRows(QModelIndex(), position, position)
            self.draft = None
            self.endRemoveRows()
        finally:
            self.removing_draft = False
        self._set_problem("")

    def check_draft(self) -> dict[str, str]:
        """What keeps the draft from being stored (field → sentence); marks those cells."""
        draft = self.draft
        assert draft is not None
        problems = validate_measurement(
            self._draft_text_fields(draft), decimal_comma=self.decimal_comma
        )
        draft.problems = problems
        self._draft_changed()
        if problems:
            self._set_problem(next(iter(problems.values())))
        return problems

    def draft_fields(self) -> MeasurementFields:
        """The draft as it will be stored (call after ``check_draft`` found nothing wrong)."""
        draft = self.draft
        assert draft is not None
        texts = draft.texts
        value = parse_lab_value(texts["value"], decimal_comma=self.decimal_comma)
        return MeasurementFields(
            texts["quantity"], value, texts["unit"], blank_to_none(texts["measured_at"])
        )

    @staticmethod
    def _draft_text_fields(draft: Draft) -> MeasurementFields:
        texts = draft.texts
        return MeasurementFields(
            texts["quantity"], texts["value"], texts["unit"], blank_to_none(texts["measured_at"])
        )

    def _draft_changed(self) -> None:
        row = self.draft_row
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- showing --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        if parent.isValid():
            return 0
        return len(self._rows) + (1 if self.draft is not None else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def shown_text(self, row: MeasurementRow, column: int) -> str:
        """A stored cell as shown (and copied): the value as typed, the time without seconds."""
        if column == VALUE_COLUMN:
            return format_lab_value(row.lab_value, decimal_comma=self.decimal_comma)
        if column == MEASURED_AT_COLUMN:
            return shown_time(row.measured_at)
        return row.quantity if column == QUANTITY_COLUMN else row.unit

    def problem_at(self, row: int, column: int) -> str:
        """The sentence of refused text in a cell ("" when there is none)."""
        name = FIELDS[column] if 0 <= column < len(FIELDS) else ""
        if self.is_draft(row):
            assert self.draft is not None
            return self.draft.problems.get(name, "")
        stored = self.measurement_at(row)
        if stored is None:
            return ""
        return self._pending.get((stored.id, name), ("", ""))[1]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        column = index.column()
        name = FIELDS[column]
        if self.is_draft(index.row()):
            return self._draft_data(name, role)
        row = self._rows[index.row()]
        pending = self._pending.get((row.id, name))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return pending[0] if pending is not None else self.shown_text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and pending is not None:
            return PROBLEM_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and pending is not None:
            return not_stored(pending[1])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == VALUE_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _draft_data(self, name: str, role: int) -> Any:
        draft = self.draft
        assert draft is not None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return draft.texts[name]
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and name in draft.problems:
            return PROBLEM_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole:
            problem = draft.problems.get(name)
            return f"{problem} {NEW_ROW_TIP}" if problem else NEW_ROW_TIP
        if role == Qt.ItemDataRole.TextAlignmentRole and name == "value":
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

    # -- editing --------------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        text = str(value).strip()
        name = FIELDS[index.column()]
        if self.is_draft(index.row()):
            return self._set_draft_text(name, text)
        if index.row() >= len(self._rows):
            return False
        return self._set_stored_text(self._rows[index.row()], name, text)

    def _set_draft_text(self, name: str, text: str) -> bool:
        draft = self.draft
        assert draft is not None
        if text != draft.texts[name]:
            draft.touched = True
        draft.texts[name] = text
        # A cell may stay empty while the row is typed (Shift+Tab back over an empty value):
        # what the whole row still needs is said when it is stored (``check_draft``).
        sentence = ""
        if text:
            problems = validate_measurement(
                self._draft_text_fields(draft), decimal_comma=self.decimal_comma
            )
            sentence = problems.get(name, "")
        if sentence:
            draft.problems[name] = sentence
        else:
            draft.problems.pop(name, None)
        self._draft_changed()
        return self._outcome(sentence)

    def _set_stored_text(self, row: MeasurementRow, name: str, text: str) -> bool:
        key = (row.id, name)
        wanted, sentence = self._edited(row, name, text)
        if wanted is None:
            self._pending[key] = (text, sentence)
            self._cell_changed(row)
            return self._outcome(sentence)
        had_pending = self._pending.pop(key, None) is not None
        if normalise_measurement(wanted) == normalise_measurement(exact_fields(row)):
            if had_pending:
                self._cell_changed(row)
            self._outcome("")
            return False
        refused = self._commit(row, wanted)
        if refused:
            self._pending[key] = (text, refused)
        if refused or had_pending:
            self._cell_changed(row)
        return self._outcome(refused or "")

    def _edited(
        self, row: MeasurementRow, name: str, text: str
    ) -> tuple[MeasurementFields | None, str]:
        """The row with one field as typed, or ``None`` and the sentence that refuses it."""
        fields = exact_fields(row)
        if name == "value":
            try:
                value: LabValue = parse_lab_value(text, decimal_comma=self.decimal_comma)
            except InvalidLabValue as error:
                return None, error.reason
            fields = dataclasses.replace(fields, value=value)
        elif name == "measured_at":
            fields = dataclasses.replace(fields, measured_at=text or None)
        else:
            fields = dataclasses.replace(fields, **{name: text})
        problems = validate_measurement(fields, decimal_comma=self.decimal_comma)
        if problems:
            return None, problems.get(name) or " ".join(problems.values())
        return fields, ""

    def forget_pending(self, row: int, column: int) -> bool:
        """Drop refused text typed into a stored cell (Esc): it shows its stored value again."""
        stored = self.measurement_at(row)
        if stored is None or self._pending.pop((stored.id, FIELDS[column]), None) is None:
            return False
        self._cell_changed(stored)
        self._set_problem("")
        return True

    def _cell_changed(self, row: MeasurementRow) -> None:
        position = self.row_of(row.id)
        if position is not None:
            self.dataChanged.emit(self.index(position, 0), self.index(position, len(COLUMNS) - 1))

    def _outcome(self, sentence: str) -> bool:
        self.refused = bool(sentence)
        self._set_problem(sentence)
        return not sentence

    def _set_problem(self, sentence: str) -> None:
        self.problem = sentence
        self.problem_changed.emit(sentence)
