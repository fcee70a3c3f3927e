"""Ctrl+Z reaches the document's undo from every widget, as in a spreadsheet.

A text field keeps its own undo while it has something of its own to undo (typing not stored
yet); once it has nothing left — or it is read-only — Ctrl+Z (and redo) go to the window's Edit ▸
Undo instead of being swallowed by the field. Qt asks the focused widget first with a
``ShortcutOverride`` event; text fields accept it for Undo and Redo always, which is what made
Ctrl+Z in the search box undo nothing while the new sample stayed. One filter on the
application serves every window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

Std = QKeySequence.StandardKey


def has_own(widget: QObject, undo: bool) -> bool | None:
    """Whether a text widget has its own undo (``undo``) or redo left; None for other widgets."""
    if isinstance(widget, QLineEdit):
        if widget.isReadOnly():
            return False
        return widget.isUndoAvailable() if undo else widget.isRedoAvailable()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        if widget.isReadOnly():
            return False
        document = widget.document()
        return document.isUndoAvailable() if undo else document.isRedoAvailable()
    return None


class _UndoRouting(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if event.matches(Std.Undo):
            own = has_own(watched, undo=True)
        elif event.matches(Std.Redo):
            own = has_own(watched, undo=False)
        else:
            return False
        if own is False:
            # Not accepted: Qt then looks for a shortcut, and finds the window's Undo/Redo.
            event.ignore()
            return True
        return False


_routing: _UndoRouting | None = None


def install() -> None:
    """Route Undo/Redo keys as described above (once per application; later calls do nothing)."""
    global _routing  # noqa: PLW0603 - one filter for the whole application
    application = QApplication.instance()
    if _routing is not None or application is None:
        return
    _routing = _UndoRouting(application)
    application.installEventFilter(_routing)
