"""The import preview: the table's first rows, a field chooser above each column, and what
happens to each row (added, updated, or why it cannot be imported)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTableWidget, QTableWidgetItem, QWidget

from app.domain.importing import FIELDS, ImportPlan, Kind
from app.domain.importing.cells import text
from app.domain.tables import Table

PREVIEW_ROWS = 50
SKIP = "— skip —"
_REJECTED = QColor("#fde7e4")
_UPDATED = QColor("#e8f0fe")
_ACTION = {"add": "Add", "update": "Update", "rejected": "Rejected"}


class PreviewTable(QTableWidget):
    """Row 0 holds a combo per column (its field, or skip); the rows below are records."""

    def __init__(self, on_mapping: Callable[[str, str], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importPreview")
        self._on_mapping = on_mapping
        self.combos: dict[str, QComboBox] = {}
        self.hidden: set[str] = set()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setMinimumSectionSize(60)
        self.horizontalHeader().setStretchLastSection(True)

    def show_table(
        self,
        table: Table,
        kind: Kind,
        mapping: dict[str, str],
        *,
        offered: tuple[str, ...] | None = None,
        hidden: frozenset[str] = frozenset(),
    ) -> None:
        """Show ``table``'s header and first records with ``mapping``'s choices in the combos."""
        self.clear()
        self.combos = {}
        self.hidden = set(hidden)
        columns = [name for name in table.header if name not in hidden]
        records = table.records[:PREVIEW_ROWS]
        self.setColumnCount(len(columns) + 1)
        self.setRowCount(len(records) + 1)
        self.setHorizontalHeaderLabels(["Result", *(name or "(no name)" for name in columns)])
        self.setVerticalHeaderLabels(["Import as", *(str(record.line) for record in records)])
        fields = offered if offered is not None else FIELDS[kind]
        for position, name in enumerate(columns, start=1):
            combo = QComboBox()
            combo.setObjectName(f"mapping:{name}")
            combo.addItem(SKIP, "")
            for field in fields:
                combo.addItem(field, field)
            chosen = mapping.get(name, "")
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.currentIndexChanged.connect(
                lambda _index, n=name, c=combo: self._on_mapping(n, str(c.currentData() or ""))
            )
            self.setCellWidget(0, position, combo)
            self.combos[name] = combo
        indexes = [index for index, name in enumerate(table.header) if name not in hidden]
        for row, record in enumerate(records, start=1):
            self.setItem(row, 0, QTableWidgetItem(""))
            for position, index in enumerate(indexes, start=1):
                cell = record.cells[index] if index < len(record.cells) else ""
                shown = text(cell).replace("\r\n", "⏎").replace("\n", "⏎")
                self.setItem(row, position, QTableWidgetItem(shown))
        self.resizeColumnsToContents()
        for position in range(1, self.columnCount()):
            self.setColumnWidth(position, min(max(self.columnWidth(position), 110), 260))

    def show_plan(self, plan: ImportPlan | None) -> None:
        """Mark each previewed record with what the plan does to it (nothing while unchecked)."""
        rejected = {item.line: item.reasons for item in plan.rejected} if plan else {}
        updates = {r.line for r in plan.samples if r.existing_id is not None} if plan else set()
        for row in range(1, self.rowCount()):
            header = self.verticalHeaderItem(row)
            line = int(header.text()) if header is not None else 0
            reasons: tuple[str, ...] = ()
            if plan is None:
                action = ""
            elif line in rejected:
                action, reasons = "rejected", rejected[line]
            else:
                action = "update" if line in updates else "add"
            colour = {"rejected": _REJECTED, "update": _UPDATED}.get(action)
            tip = "\n".join(reasons)
            for column in range(self.columnCount()):
                item = self.item(row, column)
                if item is None:
                    continue
                item.setBackground(QBrush(colour) if colour else QBrush())
                item.setToolTip(tip)
            result = self.item(row, 0)
            if result is not None:
                result.setText(_ACTION.get(action, ""))
                result.setData(Qt.ItemDataRole.UserRole, action)

    def action_of_row(self, row: int) -> str:
        """What happens to the ``row``-th previewed record (1 = the first): add, update, rejected."""
        item = self.item(row, 0)
        return str(item.data(Qt.ItemDataRole.UserRole) or "") if item is not None else ""
