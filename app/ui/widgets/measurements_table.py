"""The measurements of the selected sample, entered and reviewed as a grid.

Add Measurement (Ctrl+M) starts a new row like the one above it (same quantity and unit) with the
cursor in Value; Tab and Shift+Tab walk the cells, Enter stores the row and starts the next, Esc on
an untouched new row drops it. Each stored row is one undo step (Add Measurement), and the edits
of one stored row made while the cursor stays on it are one step (Edit Measurement). A refused
value shows its sentence below the table and stays where it was typed. Ctrl+C copies the selected
rows for a spreadsheet. Ctrl+V of rows goes to ``paste_handler`` (the window's import path,
``app.ui.paste``: one clean row goes in, more show the preview); a single cell is pasted into
the current cell as if typed. Edit ▸ Copy/Paste/Select All reach the same methods (``RowClipboard``).

The keyboard rules are ``MeasurementGrid``'s; this panel decides what storing means.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from app.document import DocumentError
from app.domain.measurements import (
    MeasurementFields,
    MeasurementRow,
    quantities,
    units,
)
from app.domain.samples import SampleRow
from app.ui import crash
from app.ui.document_controller import DocumentController
from app.ui.models.measurement_cells import (
    COLUMNS,
    FIELDS,
    QUANTITY_COLUMN,
    UNIT_COLUMN,
    VALUE_COLUMN,
)
from app.ui.models.measurements_model import MeasurementsModel
from app.ui.undo import AddMeasurement, DeleteMeasurements, EditMeasurement
from app.ui.widgets.measurement_clipboard import measurements_text
from app.ui.widgets.measurement_columns import MeasurementColumns
from app.ui.widgets.measurement_editors import MeasurementDelegate
from app.ui.widgets.measurement_grid import MeasurementGrid, is_inside

ADD = "Add Measurement"
COPY = "Copy"
PASTE = "Paste"


def delete_text(count: int) -> str:
    return "Delete Measurement" if count == 1 else f"Delete {count} Measurements"


class MeasurementsTable(QGroupBox):
    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__("Measurements", parent)
        self.setObjectName("measurementsPanel")
        self.controller = controller
        #: Takes rows pasted into the table, with the shown sample's id (set by the window's data
        #: menus: the import path). Without it, rows cannot be pasted here.
        self.paste_handler: Callable[[int, str], None] | None = None
        self.sample: SampleRow | None = None
        self.model = MeasurementsModel(self._store_edit)
        self.grid = MeasurementGrid(self.model, self)
        self.delegate = MeasurementDelegate(self._completions, self.grid)
        self.delegate.editor_created.connect(self.grid.editor_created)
        self.grid.setItemDelegate(self.delegate)
        self.columns = MeasurementColumns(self.grid)
        self.problem = QLabel()
        self.problem.setObjectName("measurementProblem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(self.problem)
        #: Which visit of the cursor to a stored row its edits belong to (they merge into one
        #: undo step); a new number whenever the cursor moves to another row.
        self._row_edit = 0
        #: The quantity and unit last entered, for a new row of a sample without measurements.
        self._last_entered: tuple[str, str] | None = None
        self._completion_lists: dict[int, list[str]] = {}
        self.model.problem_changed.connect(self._problem_changed)
        self.grid.selectionModel().currentChanged.connect(self._current_changed)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._row_menu)
        header = self.grid.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    # -- showing --------------------------------------------------------------------------------

    def show_sample(
        self, connection: sqlite3.Connection | None, sample: SampleRow | None, read_only: bool
    ) -> None:
        """Show ``sample``'s measurements: the same sample again is updated in place (after an
        edit or undo), keeping the cursor, the open editor and the new row."""
        self.sample = sample
        self.model.read_only = read_only
        sample_id = sample.id if sample is not None else None
        if sample_id is not None and sample_id == self.model.sample_id:
            self.model.sync(connection, sample_id)
            self.columns.fit(self.grid.sizeHintForColumn, shrink=False)
        else:
            self.model.load(connection, sample_id)
            self._completion_lists.clear()
            self._row_edit += 1
            self.columns.fit(self.grid.sizeHintForColumn)

    def _completions(self, column: int) -> list[str]:
        # Read once per sample shown, not per editor: every Tab opens one.
        if column not in self._completion_lists:
            connection = self.controller.connection
            if connection is None:
                return []
            self._completion_lists[QUANTITY_COLUMN] = quantities(connection)
            self._completion_lists[UNIT_COLUMN] = units(connection)
        return self._completion_lists.get(column, [])

    def _remember_spellings(self, fields: MeasurementFields) -> None:
        for column, word in ((QUANTITY_COLUMN, fields.quantity), (UNIT_COLUMN, fields.unit)):
            known = self._completion_lists.get(column)
            if known is not None and word.strip() and word.strip() not in known:
                known.append(word.strip())
                known.sort(key=lambda text: (text.casefold(), text))

    def show_problem(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.setVisible(bool(sentence))

    def _problem_changed(self, sentence: str) -> None:
        if sentence:
            self.show_problem(sentence)
        else:
            current = self.grid.currentIndex()
            self.show_problem(self.model.problem_at(current.row(), current.column()))

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.row() != previous.row():
            self._row_edit += 1
        self.show_problem(self.model.problem_at(current.row(), current.column()))

    def _show_error(self, error: DocumentError) -> None:
        crash.report(
            error,
            presenter=self.controller.presenter,
            inline=lambda message, next_step: self.show_problem(f"{message} {next_step}".strip()),
        )

    # -- storing --------------------------------------------------------------------------------

    def _store_edit(self, row: MeasurementRow, fields: MeasurementFields) -> str | None:
        command = EditMeasurement(
            self.controller, row.sample_id, row.id, fields, row_edit=self._row_edit
        )
        error = self.controller.perform(command)
        if error is None:
            self._remember_spellings(fields)
        return error.message if error is not None else None

    def store_draft(self, *, go_to_problem: bool = True) -> bool:
        """Store the new row as one Add Measurement; False when it cannot be (and the cursor goes
        to what is wrong, with ``go_to_problem``)."""
        model = self.model
        sample_id = model.sample_id
        if model.draft is None or sample_id is None or self.controller.read_only:
            return model.draft is None
        problems = model.check_draft()
        if problems:
            if go_to_problem:
                row = model.draft_row
                assert row is not None
                self.grid.go_to(row, FIELDS.index(next(iter(problems))), edit=True)
            return False
        fields = model.draft_fields()
        with model.adopting():
            error = self.controller.perform(AddMeasurement(self.controller, sample_id, fields))
            if error is None:
                # The window refreshes the panel when told of the change; this makes sure.
                model.sync(self.controller.connection, sample_id)
        if error is not None:
            self._show_error(error)
            return False
        if model.draft is not None:
            return False  # nothing was stored (the document is read-only or busy)
        self._last_entered = (fields.quantity.strip(), fields.unit.strip())
        self._remember_spellings(fields)
        return True

    def _like_the_row_above(self) -> tuple[str, str]:
        rows = self.model.stored_rows()
        if rows:
            return rows[-1].quantity, rows[-1].unit
        return self._last_entered or ("", "")

    def start_new_row(self) -> None:
        """Add Measurement: a new row like the one above, the cursor editing its value."""
        model = self.model
        if model.sample_id is None or self.controller.read_only or not self.grid.finish_edit():
            return
        draft = model.draft
        if draft is not None and draft.touched and not self.store_draft():
            return
        row = model.draft_row
        if row is None:
            row = model.start_draft(*self._like_the_row_above())
        assert model.draft is not None
        column = VALUE_COLUMN if model.draft.texts["quantity"] else QUANTITY_COLUMN
        self.grid.go_to(row, column, edit=True)

    # -- what the grid asks (``Entry``) ---------------------------------------------------------

    def enter_row(self) -> None:
        if self.store_draft():
            self.start_new_row()

    def leave_draft(self) -> None:
        draft = self.model.draft
        if draft is None:
            return
        if not draft.touched:
            self.model.discard_draft()
        else:
            self.store_draft(go_to_problem=False)

    def discard_draft(self) -> None:
        row = self.model.draft_row
        self.model.discard_draft()
        if row:
            self.grid.go_to(row - 1, max(self.grid.currentIndex().column(), 0))

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Focus left the grid for another part of the window: the new row is finished (stored
        when complete; an untouched one is dropped). Not when the whole app loses focus."""
        if self.model.draft is None or not is_inside(old, self.grid) or is_inside(new, self.grid):
            return
        if QApplication.activeWindow() is None:
            return
        self.leave_draft()

    def selected_rows(self) -> list[int]:
        rows = {index.row() for index in self.grid.selectionModel().selectedRows()}
        current = self.grid.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        return sorted(rows)

    def selected_ids(self) -> tuple[int, ...]:
        found = [self.model.measurement_at(row) for row in self.selected_rows()]
        return tuple(row.id for row in found if row is not None)

    def delete_selected(self) -> None:
        """Delete the selected rows (one undo step); a selected new row is simply dropped."""
        model = self.model
        rows = self.selected_rows()
        if not rows or self.controller.read_only or not self.grid.finish_edit():
            return
        column = max(self.grid.currentIndex().column(), 0)
        if any(model.is_draft(row) for row in rows):
            model.discard_draft()
        ids = self.selected_ids()
        if ids and model.sample_id is not None:
            error = self.controller.perform(
                DeleteMeasurements(self.controller, model.sample_id, ids)
            )
            if error is not None:
                self._show_error(error)
                return
        if model.rowCount():
            self.grid.go_to(min(rows[0], model.rowCount() - 1), column)

    def _open_text_editor(self) -> QLineEdit | None:
        """The cell editor being typed in: Edit ▸ Cut/Copy/Paste/Select All are its then."""
        editor = self.grid.open_editor()
        return editor if isinstance(editor, QLineEdit) else None

    def copy_rows(self) -> bool:
        """Put the selected rows on the clipboard with their sample's code and a header row."""
        editor = self._open_text_editor()
        if editor is not None:
            editor.copy()
            return True
        rows = [self.model.measurement_at(row) for row in self.selected_rows()]
        shown = [
            [self.model.shown_text(row, column) for column in range(len(COLUMNS))]
            for row in rows
            if row is not None
        ]
        if not shown or self.sample is None:
            return False
        QApplication.clipboard().setText(measurements_text(self.sample.code, shown))
        return True

    def selectAll(self) -> None:
        editor = self._open_text_editor()
        if editor is not None:
            editor.selectAll()
        else:
            self.grid.selectAll()

    def can_paste(self) -> bool:
        editable = self.sample is not None and not self.controller.read_only
        return editable and bool(QApplication.clipboard().text().strip())

    def paste(self) -> None:
        if self.can_paste():
            self.paste_rows(QApplication.clipboard().text())

    def paste_rows(self, text: str) -> None:
        """One cell goes into the current cell as if typed; rows go to the import path."""
        if self.sample is None or self.controller.read_only or not text.strip():
            return
        editor = self._open_text_editor()
        if editor is not None:
            editor.insert(text.strip("\r\n"))
            return
        single_cell = "\t" not in text and "\n" not in text.strip("\r\n")
        current = self.grid.currentIndex()
        if single_cell and current.isValid():
            self.model.setData(current, text.strip("\r\n"), Qt.ItemDataRole.EditRole)
            return
        if self.paste_handler is None or not self.grid.finish_edit():
            return
        # The new row is finished first (stored when complete, dropped when untouched), so the
        # pasted rows land after it and nothing typed is lost or mixed with them.
        draft = self.model.draft
        if draft is not None and draft.touched and not self.store_draft():
            return
        if self.model.draft is not None:
            self.discard_draft()
        self.paste_handler(self.sample.id, text)

    # -- menus ----------------------------------------------------------------------------------

    def _row_menu(self, position: QPoint) -> None:
        menu = self.row_menu()
        menu.exec(self.grid.viewport().mapToGlobal(position))
        menu.deleteLater()

    def row_menu(self) -> QMenu:
        """The rows' context menu: what applies to the selected rows."""
        menu = QMenu(self.grid)
        menu.setObjectName("measurementRowsMenu")
        editable = not self.controller.read_only and self.model.sample_id is not None
        count = len(self.selected_ids()) + (
            1 if any(self.model.is_draft(row) for row in self.selected_rows()) else 0
        )
        entries: list[tuple[str, QKeySequence, bool, object]] = [
            (ADD, QKeySequence("Ctrl+M"), editable, self.start_new_row),
            (
                delete_text(max(count, 1)),
                QKeySequence(QKeySequence.StandardKey.Delete),
                editable and count > 0,
                self.delete_selected,
            ),
            (
                COPY,
                QKeySequence(QKeySequence.StandardKey.Copy),
                bool(self.selected_ids()),
                self.copy_rows,
            ),
            (
                PASTE,
                QKeySequence(QKeySequence.StandardKey.Paste),
                editable and self.can_paste(),
                self.paste,
            ),
        ]
        for text, keys, enabled, slot in entries:
            action = QAction(text, menu)
            # Shown for the reader; the keys themselves belong to the window and the grid.
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
            menu.addAction(action)
        return menu

    def _header_menu(self, position: QPoint) -> None:
        header = self.grid.horizontalHeader()
        menu = self.columns.chooser(header)
        menu.exec(header.mapToGlobal(position))
        menu.deleteLater()
