"""The right side of the window: the selected sample's fields, tags and measurements.

Each field is stored when editing it finishes (Return or leaving the field); a value the domain
refuses (a code already taken, a date that is not one) shows its sentence beside the field and is
not stored. Every stored change is one undoable command.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.sample_edits import SampleFields, validate_sample
from app.domain.samples import SampleRow, get_sample
from app.domain.tags import all_tags
from app.ui import messages
from app.ui.document_controller import DocumentController
from app.ui.undo import EditSample, SetTags
from app.ui.widgets.measurements_table import MeasurementsTable
from app.ui.widgets.tag_editor import TagEditor

FIELDS = ("code", "name", "collected_on", "location", "notes")
LABELS = {
    "code": "Code:",
    "name": "Name:",
    "collected_on": "Collected on:",
    "location": "Location:",
    "notes": "Notes:",
}


class NotesEdit(QPlainTextEdit):
    """A multi-line field that, like QLineEdit, says when editing finished (focus left)."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


def _problem_label() -> QLabel:
    label = QLabel()
    label.setObjectName("problem")
    label.setStyleSheet("color: #b3261e;")
    label.setWordWrap(True)
    label.hide()
    return label


class SampleDetail(QWidget):
    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.sample: SampleRow | None = None
        self.editors: dict[str, QLineEdit | NotesEdit] = {}
        self.problems: dict[str, QLabel] = {}

        form_box = QGroupBox("Sample")
        form = QFormLayout(form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in FIELDS:
            editor: QLineEdit | NotesEdit
            if field == "notes":
                editor = NotesEdit()
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(64)
                editor.editing_finished.connect(lambda f=field: self.commit_field(f))
            else:
                editor = QLineEdit()
                editor.editingFinished.connect(lambda f=field: self.commit_field(f))
            editor.setObjectName(f"{field}Edit")
            if field == "collected_on":
                editor.setPlaceholderText("YYYY-MM-DD")
            self.editors[field] = editor
            self.problems[field] = _problem_label()
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(editor)
            cell.addWidget(self.problems[field])
            form.addRow(LABELS[field], cell)
        self.tag_editor = TagEditor()
        self.tag_editor.tags_edited.connect(self.commit_tags)
        self.tags_problem = _problem_label()
        tags_column = QVBoxLayout()
        tags_column.setSpacing(2)
        tags_column.addWidget(self.tag_editor)
        tags_column.addWidget(self.tags_problem)
        form.addRow("Tags:", tags_column)

        self.measurements_grid = MeasurementsTable(controller)
        self.measurements = self.measurements_grid.model
        self.measurements_table = self.measurements_grid.grid
        self.measurements_problem = self.measurements_grid.problem

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(form_box)
        details_layout.addWidget(self.measurements_grid, 1)

        placeholder = QLabel(messages.NO_SAMPLE_SELECTED)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setStyleSheet("color: palette(placeholder-text);")
        self.stack = QStackedWidget()
        self.stack.addWidget(placeholder)
        self.stack.addWidget(details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- showing --------------------------------------------------------------------------------

    def show_sample(self, sample_id: int | None) -> None:
        connection = self.controller.connection
        sample = (
            get_sample(connection, sample_id)
            if connection is not None and sample_id is not None
            else None
        )
        self.sample = sample
        self.stack.setCurrentIndex(0 if sample is None else 1)
        for label in (*self.problems.values(), self.tags_problem):
            label.hide()
        self.measurements_grid.show_sample(connection, sample, self.controller.read_only)
        if sample is None:
            return
        self._fill(sample)
        self.tag_editor.set_known_tags(all_tags(connection) if connection is not None else [])
        self.set_read_only(self.controller.read_only)

    def _fill(self, sample: SampleRow) -> None:
        values = {
            "code": sample.code,
            "name": sample.name,
            "collected_on": sample.collected_on or "",
            "location": sample.location or "",
            "notes": sample.notes or "",
        }
        for field, editor in self.editors.items():
            if isinstance(editor, NotesEdit):
                if editor.toPlainText() != values[field]:
                    editor.setPlainText(values[field])
            elif editor.text() != values[field]:
                editor.setText(values[field])
        self.tag_editor.set_tags(sample.tags)

    def refresh(self) -> None:
        """Re-read the shown sample (after an edit, undo or redo)."""
        self.show_sample(self.sample.id if self.sample is not None else None)

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.editors.values():
            editor.setReadOnly(read_only)
        self.tag_editor.setEnabled(not read_only)
        self.measurements.read_only = read_only

    # -- editing --------------------------------------------------------------------------------

    def text_of(self, field: str) -> str:
        editor = self.editors[field]
        return editor.toPlainText() if isinstance(editor, NotesEdit) else editor.text()

    def current_fields(self) -> SampleFields:
        def optional(field: str) -> str | None:
            text = self.text_of(field).strip()
            return text or None

        return SampleFields(
            code=self.text_of("code").strip(),
            name=self.text_of("name").strip(),
            collected_on=optional("collected_on"),
            location=optional("location"),
            notes=self.text_of("notes").strip() or None,
        )

    def commit_field(self, field: str) -> bool:
        """Store the edited field; returns False when it was refused (its sentence is shown)."""
        sample = self.sample
        connection = self.controller.connection
        if sample is None or connection is None or self.controller.read_only:
            return False
        stored = SampleFields(
            sample.code, sample.name, sample.collected_on, sample.location, sample.notes
        )
        wanted = dataclasses.replace(stored, **{field: getattr(self.current_fields(), field)})
        if wanted == stored:
            self.problems[field].hide()
            return True
        problems = validate_sample(connection, wanted, sample.id)
        if field in problems or problems:
            sentence = problems.get(field) or " ".join(problems.values())
            self.problems[field].setText(sentence)
            self.problems[field].show()
            return False
        self.problems[field].hide()
        error = self.controller.perform(
            EditSample(self.controller, sample.id, wanted, LABELS[field].rstrip(":"))
        )
        if error is not None:
            self.problems[field].setText(error.message)
            self.problems[field].show()
            return False
        return True

    def commit_tags(self, names: tuple[str, ...]) -> None:
        sample = self.sample
        if sample is None or self.controller.read_only:
            return
        added = set(names) - set(sample.tags)
        text = f"Add Tag {next(iter(added))}" if len(added) == 1 else "Edit Tags"
        if not added:
            removed = set(sample.tags) - set(names)
            text = f"Remove Tag {next(iter(removed))}" if len(removed) == 1 else "Edit Tags"
        error = self.controller.perform(SetTags(self.controller, sample.id, names, text))
        if error is not None:
            self.tags_problem.setText(error.message)
            self.tags_problem.show()
        else:
            self.tags_problem.hide()

    def selected_measurement_ids(self) -> tuple[int, ...]:
        return self.measurements_grid.selected_ids()
