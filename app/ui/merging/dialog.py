"""The preview of bringing results back: what comes back to which sample, and what does not."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.domain.lab_values import LabValue, format_lab_value
from app.domain.merging import MergePlan, NewMeasurement
from app.ui.messages import data as said

MAX_ROWS = 2000


def shown_value(item: NewMeasurement) -> str:
    """The value as the measurements table will show it (``<0.05``, ``1.2 ± 0.1``, ``n.d.``)."""
    fields = item.fields
    value = fields.value if isinstance(fields.value, float) or fields.value is None else None
    uncertainty = fields.uncertainty if isinstance(fields.uncertainty, float) else None
    try:
        return format_lab_value(LabValue.from_columns(value, fields.qualifier, uncertainty))
    except (ValueError, TypeError):
        return str(fields.value)


class MergeDialog(QDialog):
    """Shows ``plan``; accepted means "bring them back"."""

    def __init__(
        self, parent: QWidget | None, plan: MergePlan, document: str, *, note: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(f"Merge Results — {APP_NAME}")
        self.plan = plan
        layout = QVBoxLayout(self)
        count = len(plan.new)
        export = plan.export.name
        self.heading = heading = QLabel(
            said.merge_heading(count, export, document)
            if count
            else said.merge_nothing(export, plan.already_merged)
        )
        heading.setObjectName("mergeHeading")
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        notes = [note] if note else []
        if plan.already_merged and count:
            notes.append(said.merge_already(plan.already_merged))
        if plan.unmergeable:
            notes.append(said.merge_unmergeable(len(plan.unmergeable)))
        if plan.added_samples:
            notes.append(said.merge_added_samples(plan.added_samples))
        self.note = QLabel(" ".join(notes))
        self.note.setObjectName("mergeNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(notes))
        layout.addWidget(self.note)

        self.new_table = QTableWidget(min(count, MAX_ROWS), 5)
        self.new_table.setObjectName("mergeNew")
        self.new_table.setHorizontalHeaderLabels(
            ["Sample", "Quantity", "Value", "Unit", "Measured at"]
        )
        self.new_table.verticalHeader().setVisible(False)
        self.new_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, item in enumerate(plan.new[:MAX_ROWS]):
            cells = (
                item.code,
                item.fields.quantity,
                shown_value(item),
                item.fields.unit,
                item.fields.measured_at or "",
            )
            for column, text in enumerate(cells):
                self.new_table.setItem(row, column, QTableWidgetItem(text))
        self.new_table.resizeColumnsToContents()
        self.new_table.horizontalHeader().setStretchLastSection(True)
        self.new_table.setVisible(bool(count))
        layout.addWidget(self.new_table, 1)

        lines = [f"measurement {u.export_id}: {u.reason}" for u in plan.unmergeable]
        if plan.changed:
            lines.append(said.MERGE_CHANGED)
            lines += [f"  measurement {c.export_id} ({c.code}): {c.what}" for c in plan.changed]
        self.details = QPlainTextEdit("\n".join(lines))
        self.details.setObjectName("mergeDetails")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(140)
        self.details.setVisible(bool(lines))
        layout.addWidget(self.details)

        self.buttons = QDialogButtonBox()
        self.bring_button = self.buttons.addButton(
            said.bring_back(count), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.bring_button.setEnabled(count > 0 and not plan.unmergeable)
        self.bring_button.setVisible(count > 0 or bool(plan.unmergeable))
        self.bring_button.setDefault(True)
        close = "Not Now" if count else "Close"
        self.close_button = self.buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, 460 if count or lines else 200)
