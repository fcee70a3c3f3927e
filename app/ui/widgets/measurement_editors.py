"""The editors of the measurements grid: completion for quantities and units, a picker for times.

Every editor is a ``QLineEdit``, so typing works the same in every cell and Tab, Enter and Esc
reach the grid (a ``QDateTimeEdit`` would take Tab for its own sections and cannot be empty).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QAction, QIcon, QKeyEvent, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.values import parse_date_time
from app.ui.messages.measurements import VALUE_EXAMPLES
from app.ui.models.measurement_cells import (
    MEASURED_AT_COLUMN,
    QUANTITY_COLUMN,
    UNIT_COLUMN,
    VALUE_COLUMN,
)

Index = QModelIndex | QPersistentModelIndex

#: The completion lists for a column, read when an editor opens (the grid caches them).
Completions = Callable[[int], Sequence[str]]

TIME_PLACEHOLDER = "YYYY-MM-DD HH:MM"
PICK_TIME = "Choose a date and time (Alt+Down)"


class UndoPassThrough(QObject):
    """Lets Ctrl+Z / Ctrl+Shift+Z reach the window's Undo and Redo when an editor has nothing of
    its own to undo: right after a row is entered the cursor waits in the next row's empty Value
    cell, and Ctrl+Z there means "undo that row", not "undo no typing"."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QLineEdit):
            assert isinstance(event, QKeyEvent)
            if (event.matches(QKeySequence.StandardKey.Undo) and not watched.isUndoAvailable()) or (
                event.matches(QKeySequence.StandardKey.Redo) and not watched.isRedoAvailable()
            ):
                event.ignore()
                return True
        return False


def calendar_icon() -> QIcon:
    """A small calendar drawn here: Qt's own icons have none, and no icon theme is assumed."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(Qt.GlobalColor.darkGray)
    painter.drawRect(1, 2, 13, 12)
    painter.fillRect(2, 3, 12, 3, Qt.GlobalColor.darkGray)
    for row in (8, 11):
        for column in (4, 7, 10):
            painter.fillRect(column, row, 2, 2, Qt.GlobalColor.darkGray)
    painter.end()
    return QIcon(pixmap)


class TimePicker(QFrame):
    """The popup of ``MeasuredAtEdit``: a calendar and an optional time of day."""

    def __init__(self, edit: MeasuredAtEdit) -> None:
        # A child of the editor (a popup window of it): the delegate then takes focus moving
        # into the popup as focus staying inside the editor, and keeps the editor open.
        super().__init__(edit, Qt.WindowType.Popup)
        self.setObjectName("timePicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._edit = edit
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.with_time = QCheckBox("Time:")
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.with_time.toggled.connect(self.time.setEnabled)
        now = QPushButton("Now")
        now.setAutoDefault(False)
        now.clicked.connect(self._now)
        row = QHBoxLayout()
        row.addWidget(self.with_time)
        row.addWidget(self.time)
        row.addStretch(1)
        row.addWidget(now)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.calendar)
        layout.addLayout(row)
        self.calendar.clicked.connect(self._chosen)
        self.calendar.activated.connect(self._chosen)

    def open_for(self, text: str) -> None:
        stored = parse_date_time(text)
        if stored is not None:
            moment = datetime.datetime.fromisoformat(stored)
            has_time = len(text.strip()) > len("2024-05-15")
        else:
            moment = datetime.datetime.now().replace(second=0, microsecond=0)
            has_time = False
        self.calendar.setSelectedDate(QDate(moment.year, moment.month, moment.day))
        self.time.setTime(QTime(moment.hour, moment.minute))
        self.with_time.setChecked(has_time)
        self.time.setEnabled(has_time)
        self.adjustSize()
        self.move(self._place())
        self.show()
        self.calendar.setFocus()

    def _place(self) -> QPoint:
        """Below the editor, its right edge at the editor's (the time is the last column), kept
        on the screen; above the editor when there is no room below."""
        edit = self._edit
        below = edit.mapToGlobal(QPoint(edit.width() - self.width(), edit.height()))
        screen = edit.screen().availableGeometry()
        x = min(max(below.x(), screen.left()), screen.right() - self.width())
        y = below.y()
        if y + self.height() > screen.bottom():
            y = edit.mapToGlobal(QPoint(0, 0)).y() - self.height()
        return QPoint(x, max(y, screen.top()))

    def _chosen(self, date: QDate) -> None:
        text = date.toString("yyyy-MM-dd")
        if self.with_time.isChecked():
            text += " " + self.time.time().toString("HH:mm")
        self._edit.setText(text)
        self.hide()
        self._edit.setFocus()

    def _now(self) -> None:
        now = datetime.datetime.now()
        self.with_time.setChecked(True)
        self.time.setTime(QTime(now.hour, now.minute))
        self._chosen(QDate(now.year, now.month, now.day))


class MeasuredAtEdit(QLineEdit):
    """A time typed (``2024-05-15``, ``2024-05-15 10:30``) or picked from a calendar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(TIME_PLACEHOLDER)
        self.picker = TimePicker(self)
        self.pick_action = QAction(calendar_icon(), PICK_TIME, self)
        self.pick_action.triggered.connect(self.open_picker)
        self.addAction(self.pick_action, QLineEdit.ActionPosition.TrailingPosition)

    def open_picker(self) -> None:
        self.picker.open_for(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and (
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.open_picker()
            return
        super().keyPressEvent(event)


def completer_for(words: Sequence[str], parent: QObject) -> QCompleter:
    """Completion from the document's own spellings, matched whatever their case: typing "mg/l"
    offers both "mg/L" and "mg/l" when the document has both, so the person picks one."""
    completer = QCompleter(list(words), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
    return completer


class MeasurementDelegate(QStyledItemDelegate):
    #: An editor was made (the grid keeps it, to commit it when it must).
    editor_created = Signal(QWidget)

    def __init__(self, completions: Completions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._completions = completions
        self._undo_pass_through = UndoPassThrough(self)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = index.column()
        editor = MeasuredAtEdit(parent) if column == MEASURED_AT_COLUMN else QLineEdit(parent)
        editor.setFrame(False)
        editor.setObjectName(f"measurementEditor{column}")
        if column in (QUANTITY_COLUMN, UNIT_COLUMN):
            editor.setCompleter(completer_for(self._completions(column), editor))
        elif column == VALUE_COLUMN:
            editor.setPlaceholderText(VALUE_EXAMPLES)
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        editor.installEventFilter(self._undo_pass_through)
        self.editor_created.emit(editor)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        else:  # pragma: no cover - every editor is a QLineEdit
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:  # pragma: no cover
            super().setModelData(editor, model, index)
