"""The measurements table's keyboard: Tab across a row, Enter to store it, Esc to drop it.

``QTableView`` already opens an editor on typing and commits it on Tab, Enter and focus loss; what
it does next (``closeEditor``'s hint) is decided here, because the grid's rules are not a plain
table's: Tab walks the visible columns in their order and, past the last one of the new row, stores
it; Enter stores the new row and starts the next; Esc on an untouched new row discards it; text the
domain refuses keeps its editor open for correction instead of moving on.

What storing means (undo commands, the document) is the ``Entry``'s: the view only says when.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QTableView,
    QWidget,
)

from app.ui.models.measurement_cells import PROBLEM_COLOUR
from app.ui.models.measurements_model import MeasurementsModel

Hint = QAbstractItemDelegate.EndEditHint
Index = QModelIndex | QPersistentModelIndex


class Entry(Protocol):
    """What the grid asks of the panel that owns it."""

    def enter_row(self) -> None:
        """Store the new row and start the next one (Enter, or Tab past its last cell)."""

    def leave_draft(self) -> None:
        """The cursor left the new row: store it if it is complete, drop it if untouched."""

    def discard_draft(self) -> None: ...

    def copy_rows(self) -> bool: ...

    def paste(self) -> None: ...


def is_inside(widget: QWidget | None, ancestor: QWidget) -> bool:
    """``widget`` is ``ancestor`` or below it, popups included (``isAncestorOf`` stops at windows,
    and the time picker and completion lists are windows of the grid's editors)."""
    while widget is not None:
        if widget is ancestor:
            return True
        widget = widget.parentWidget()
    return False


class MeasurementGrid(QTableView):
    def __init__(self, model: MeasurementsModel, entry: Entry) -> None:
        super().__init__()
        self.setObjectName("measurementsTable")
        self._model = model
        self._entry = entry
        self._editor: QWidget | None = None
        self._editor_index = QPersistentModelIndex()
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)

    # -- columns and moving ---------------------------------------------------------------------

    def visible_columns(self) -> list[int]:
        """The logical columns in the order shown, hidden ones left out (what Tab walks)."""
        header = self.horizontalHeader()
        logical = (header.logicalIndex(visual) for visual in range(header.count()))
        return [column for column in logical if not header.isSectionHidden(column)]

    def go_to(self, row: int, column: int, *, edit: bool = False) -> None:
        """Make a cell current (its row selected) and, with ``edit``, open it for typing."""
        index = self._model.index(row, column)
        if not index.isValid():
            return
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)
        if edit:
            self.setFocus()
            self.edit(index)

    def move_across(self, step: int) -> None:
        """Tab (+1) or Shift+Tab (-1) from the current cell, opening the cell it reaches."""
        current = self.currentIndex()
        columns = self.visible_columns()
        if not current.isValid() or not columns:
            return
        row = current.row()
        at = columns.index(current.column()) if current.column() in columns else -1
        wanted = at + step
        if wanted >= len(columns):
            if self._model.is_draft(row):
                self._entry.enter_row()
                return
            if row + 1 >= self._model.rowCount():
                return
            row, wanted = row + 1, 0
        elif wanted < 0:
            if row == 0:
                return
            row, wanted = row - 1, len(columns) - 1
        self.go_to(row, columns[wanted], edit=True)

    # -- editors --------------------------------------------------------------------------------

    def open_editor(self) -> QWidget | None:
        if self.state() != QAbstractItemView.State.EditingState:
            return None
        return self._editor

    def edit(  # type: ignore[override]
        self,
        index: Index,
        trigger: QAbstractItemView.EditTrigger = QAbstractItemView.EditTrigger.AllEditTriggers,
        event: QEvent | None = None,
    ) -> bool:
        if self.state() != QAbstractItemView.State.EditingState:
            self._editor_index = QPersistentModelIndex(index)
        # Qt calls this with no event (``edit(index)``); PySide takes None for it.
        return super().edit(index, trigger, event)  # type: ignore[arg-type]

    def editor_created(self, editor: QWidget) -> None:
        """The delegate made the editor of the cell being opened (``edit``)."""
        self._editor = editor

    def finish_edit(self) -> bool:
        """Commit the open editor, if any; False (and the editor stays) when it was refused."""
        editor = self.open_editor()
        if editor is None:
            return True
        self.commitData(editor)
        if self._model.refused:
            self._model.refused = False
            return False
        super().closeEditor(editor, Hint.NoHint)
        self._editor = None
        return True

    def closeEditor(self, editor: QWidget, hint: Hint) -> None:
        refused, self._model.refused = self._model.refused, False
        edited = self._editor_index
        index = (
            self._model.index(edited.row(), edited.column()) if edited.isValid() else QModelIndex()
        )
        row = index.row()
        same_row = index.isValid() and self.currentIndex().row() == row
        if refused and same_row and hint not in (Hint.RevertModelCache, Hint.NoHint):
            # Tab or Enter on text the domain refused: stay, so it can be corrected; the text turns
            # the problem colour until it is stored.
            editor.setStyleSheet(f"color: {PROBLEM_COLOUR.name()};")
            editor.setFocus()
            return
        # Qt's own hints (move to the next item, submit) are replaced by the grid's rules.
        super().closeEditor(editor, Hint.NoHint)
        self._editor = None
        if not index.isValid():
            return
        if hint == Hint.RevertModelCache:
            draft = self._model.draft
            if self._model.is_draft(row) and draft is not None and not draft.touched:
                self._entry.discard_draft()
            else:
                self._model.forget_pending(row, index.column())
        elif not same_row:
            return  # the cursor moved elsewhere (a click): nothing more to do here
        elif hint == Hint.EditNextItem:
            self.move_across(1)
        elif hint == Hint.EditPreviousItem:
            self.move_across(-1)
        elif hint == Hint.SubmitModelCache and self._model.is_draft(row):
            self._entry.enter_row()

    def currentChanged(self, current: Index, previous: Index) -> None:
        super().currentChanged(current, previous)
        draft_row = None if self._model.removing_draft else self._model.draft_row
        left = previous.isValid() and previous.row() == draft_row
        if draft_row is not None and left and current.row() != draft_row:
            self._entry.leave_draft()

    # -- keys without an editor -----------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Copy and Paste are the grid's while it has the focus, whatever the window binds them to.
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Copy) or event.matches(
                QKeySequence.StandardKey.Paste
            ):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() == QAbstractItemView.State.EditingState:
            # A key the editor passed on (Return: the delegate commits it right after).
            super().keyPressEvent(event)
            return
        current = self.currentIndex()
        if event.matches(QKeySequence.StandardKey.Copy):
            self._entry.copy_rows()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self._entry.paste()
            return
        key = event.key()
        if current.isValid() and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._model.is_draft(current.row()):
                self._entry.enter_row()
            else:
                self.edit(current)
            return
        if current.isValid() and key == Qt.Key.Key_Escape:
            if self._model.is_draft(current.row()):
                self._entry.discard_draft()
                return
            if self._model.forget_pending(current.row(), current.column()):
                return
        super().keyPressEvent(event)
