"""Edit ▸ Cut, Copy, Paste and Select All: they act on the widget that has the keyboard focus.

* Text fields keep their own clipboard behaviour (they take the keys before the window does, and
  the menu entries call their ``cut``/``copy``/``paste``/``selectAll``).
* A table registered with ``add_rows`` copies its selected rows as a table (``RowClipboard``).
  The samples list is one; the measurements table can register its own.
* Any other list or table copies its current cell, as Qt's views do on their own.

Pasting rows is not offered yet: rows pasted into the samples list will go through the import
path (preview, all-or-nothing, one undo step), which is ``RowClipboard.paste``'s job once a table
supports it. Cut of rows is not offered either, because rows that cannot be pasted back would
make Cut a Delete in disguise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.ui import messages

TextWidget = QLineEdit | QPlainTextEdit | QTextEdit


class RowClipboard(Protocol):
    """What a table offers the Edit menu."""

    def copy_rows(self) -> bool:
        """Put the selected rows on the clipboard as a table; False when none is selected."""

    def selectAll(self) -> None: ...

    def can_paste(self) -> bool:
        """True once pasted rows can be taken in (through the import path)."""

    def paste_rows(self, text: str) -> None:
        """Take in rows pasted as ``text`` (only called when ``can_paste()``)."""


class EditClipboard(QObject):
    def __init__(
        self,
        window: QWidget,
        cut: QAction,
        copy: QAction,
        paste: QAction,
        select_all: QAction,
        *,
        tell: Callable[[str], None],
        edit_menu: QMenu,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tell = tell
        self._rows: dict[QWidget, RowClipboard] = {}
        self._actions = (cut, copy, paste, select_all)
        cut.triggered.connect(self.cut)
        copy.triggered.connect(self.copy)
        paste.triggered.connect(self.paste)
        select_all.triggered.connect(self.select_all)
        # Enabled while the menu shows what applies; always enabled otherwise, so the keys always
        # reach this object (a disabled action would let Ctrl+C fall through to a single cell).
        edit_menu.aboutToShow.connect(self.update_enabled)
        edit_menu.aboutToHide.connect(self.enable_all)

    def add_rows(self, view: QWidget, rows: RowClipboard) -> None:
        self._rows[view] = rows

    # -- the focused widget ---------------------------------------------------------------------

    def focused(self) -> QWidget | None:
        widget = QApplication.focusWidget()
        if widget is None or not (widget is self._window or self._window.isAncestorOf(widget)):
            return None
        return widget

    def _rows_of(self, widget: QWidget | None) -> RowClipboard | None:
        while widget is not None:
            if widget in self._rows:
                return self._rows[widget]
            widget = widget.parentWidget()
        return None

    # -- the actions ----------------------------------------------------------------------------

    def cut(self) -> None:
        widget = self.focused()
        if isinstance(widget, TextWidget):
            widget.cut()

    def copy(self) -> None:
        widget = self.focused()
        rows = self._rows_of(widget)
        if rows is not None:
            rows.copy_rows()
        elif isinstance(widget, TextWidget):
            widget.copy()
        elif isinstance(widget, QAbstractItemView):
            index = widget.currentIndex()
            if index.isValid():
                QApplication.clipboard().setText(str(index.data(Qt.ItemDataRole.DisplayRole)))

    def paste(self) -> None:
        widget = self.focused()
        rows = self._rows_of(widget)
        if rows is not None:
            if rows.can_paste():
                rows.paste_rows(QApplication.clipboard().text())
            else:
                self._tell(messages.NO_ROW_PASTE)
        elif isinstance(widget, TextWidget):
            widget.paste()

    def select_all(self) -> None:
        widget = self.focused()
        rows = self._rows_of(widget)
        if rows is not None:
            rows.selectAll()
        elif isinstance(widget, TextWidget | QAbstractItemView):
            widget.selectAll()

    # -- enabling -------------------------------------------------------------------------------

    def update_enabled(self) -> None:
        cut, copy, paste, select_all = self._actions
        widget = self.focused()
        rows = self._rows_of(widget)
        text = widget if isinstance(widget, TextWidget) else None
        editable = text is not None and not text.isReadOnly()
        selected = text is not None and _has_selection(text)
        cut.setEnabled(editable and selected)
        copy.setEnabled(rows is not None or selected or isinstance(widget, QAbstractItemView))
        paste.setEnabled(
            (rows is not None and rows.can_paste())
            or (editable and bool(QApplication.clipboard().text()))
        )
        select_all.setEnabled(
            rows is not None or text is not None or isinstance(widget, QAbstractItemView)
        )

    def enable_all(self) -> None:
        for action in self._actions:
            action.setEnabled(True)


def _has_selection(widget: TextWidget) -> bool:
    if isinstance(widget, QLineEdit):
        return widget.hasSelectedText()
    return widget.textCursor().hasSelection()
