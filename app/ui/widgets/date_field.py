"""A date field: type a date (anything the domain reads, ``2024-05-15``) or pick it in a calendar.

The calendar opens from the button at the field's end, or with Alt+Down or F4 as in a combo box;
in it the arrow keys move, Return picks and Esc closes. Picking a date puts it into the field as
``YYYY-MM-DD`` and finishes editing, so it is stored (and undoable) like a typed one.
"""

from __future__ import annotations

import datetime

from PySide6.QtCore import QDate, QPoint, QRect, Qt
from PySide6.QtGui import QAction, QIcon, QKeyEvent
from PySide6.QtWidgets import QApplication, QCalendarWidget, QLineEdit, QStyle, QWidget

from app.domain.values import parse_date


def calendar_icon() -> QIcon:
    fallback = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
    return QIcon.fromTheme("x-office-calendar", QIcon.fromTheme("office-calendar", fallback))


class DateField(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD")
        self.pick_action = QAction(calendar_icon(), "Choose a Date", self)
        self.pick_action.setObjectName("chooseDate")
        self.pick_action.setToolTip("Choose a date in a calendar (Alt+Down)")
        self.pick_action.triggered.connect(self.open_calendar)
        self.addAction(self.pick_action, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("dateCalendar")
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)

    def setReadOnly(self, read_only: bool) -> None:
        super().setReadOnly(read_only)
        self.pick_action.setVisible(not read_only)

    def shown_date(self) -> QDate:
        """The date in the field (partial dates read as the domain reads them), else today."""
        parsed = parse_date(self.text()) if self.text().strip() else None
        day = datetime.date.fromisoformat(parsed) if parsed else datetime.date.today()
        return QDate(day.year, day.month, day.day)

    def open_calendar(self) -> None:
        if self.isReadOnly():
            return
        self.calendar.setSelectedDate(self.shown_date())
        self.calendar.adjustSize()
        # Below the field, kept on the screen (a field at the screen's edge opens it inwards).
        place = QRect(self.mapToGlobal(QPoint(0, self.height())), self.calendar.size())
        screen = self.screen().availableGeometry()
        if place.right() > screen.right():
            place.moveRight(screen.right())
        if place.bottom() > screen.bottom():
            place.moveBottom(self.mapToGlobal(QPoint(0, 0)).y())
        self.calendar.move(place.topLeft())
        self.calendar.show()
        self.calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        self.calendar.hide()
        self.setText(day.toString(Qt.DateFormat.ISODate))
        self.setFocus()
        self.editingFinished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or (event.key() == Qt.Key.Key_F4 and not event.modifiers()):
            self.open_calendar()
            event.accept()
            return
        super().keyPressEvent(event)
