"""The right side of the window: the selected sample's fields, tags and measurements.

Each field is stored when editing it finishes (Return or leaving the field); a value the domain
refuses (a code already taken, a date that is not one) shows its sentence beside the field and is
not stored. Every stored change is one undoable command.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
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
from app.ui.widgets.date_field import DateField
from app.ui.widgets.measurements_table import MeasurementsTable
from app.ui.widgets.selection_summary import SelectionSummary
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
    #: Someone typed into a field of a read-only document (the window says why nothing happens).
    typing_refused = Signal()

    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read_only = False
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
                editor = DateField() if field == "collected_on" else QLineEdit()
                editor.editingFinished.connect(lambda f=field: self.commit_field(f))
            editor.setObjectName(f"{field}Edit")
            editor.installEventFilter(self)
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
        placeholder.setObjectName("noSample")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setWordWrap(True)
        placeholder.setStyleSheet("color: palette(placeholder-text);")
        self.placeholder = placeholder
        self.selection_summary = SelectionSummary()
        self.stack = QStackedWidget()
        self.stack.addWidget(placeholder)
        self.stack.addWidget(details)
        self.stack.addWidget(self.selection_summary)
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

    def show_nothing(self, *, document_empty: bool) -> None:
        """No sample selected; an empty document says how to add the first one."""
        self.show_sample(None)
        self.placeholder.setText(
            messages.NO_SAMPLES_YET if document_empty else messages.NO_SAMPLE_SELECTED
        )

    def show_several(self, count: int) -> None:
        """Several samples are selected: say how many and offer what applies to all of them."""
        self.show_sample(None)
        self.selection_summary.show_count(count)
        self.stack.setCurrentWidget(self.selection_summary)

    def refresh(self) -> None:
        """Re-read the shown sample (after an edit, undo or redo)."""
        if self.stack.currentWidget() is self.selection_summary:
            return
        self.show_sample(self.sample.id if self.sample is not None else None)

    def set_read_only(self, read_only: bool) -> None:
        """Read-only fields do not look editable: no frame, no edit background, and typing into
        them says why nothing happens (``typing_refused``) instead of silently doing nothing."""
        self._read_only = read_only
        for editor in self.editors.values():
            editor.setReadOnly(read_only)
            if isinstance(editor, QLineEdit):
                editor.setFrame(not read_only)
            else:
                editor.setFrameShape(
                    QFrame.Shape.NoFrame if read_only else QFrame.Shape.StyledPanel
                )
            if read_only:
                palette = QPalette(editor.palette())
                window = self.palette().color(QPalette.ColorRole.Window)
                palette.setColor(QPalette.ColorRole.Base, window)
                editor.setPalette(palette)
            else:
                editor.setPalette(QPalette())  # back to the inherited look
        self.tag_editor.setEnabled(not read_only)
        self.measurements.read_only = read_only

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._read_only
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            erasing = event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
            typing = event.text().isprintable() and bool(event.text())
            plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
            if plain and (typing or erasing):
                self.typing_refused.emit()
        return False

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
        self._forget_typing(field)
        return True

    def _forget_typing(self, field: str) -> None:
        """The field's own undo ends where its text was stored: the next Ctrl+Z undoes the stored
        edit in the document (``keyboard_undo``), as in a spreadsheet after Enter."""
        editor = self.editors[field]
        if isinstance(editor, NotesEdit):
            editor.document().clearUndoRedoStacks()
        else:
            position = editor.cursorPosition()
            editor.setText(editor.text())
            editor.setCursorPosition(position)

    def commit_tags(self, names: tuple[str, ...]) -> None:
        sample = self.sample
        if sample is None or self.controller.read_only:
            return
        added = [name for name in names if name not in sample.tags]
        text = f"Add Tag {added[0]}" if len(added) == 1 else f"Add Tags {', '.join(added)}"
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
