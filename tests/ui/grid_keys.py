"""Driving the measurements grid by keys, as a person does (QTest key events to the focused widget)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow

NO_MODIFIER = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def settle() -> None:
    # Enter in an editor commits through a queued call (Qt lets the editor see the key first).
    for _ in range(3):
        QApplication.processEvents()


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    QTest.keyClick(focused(), key, modifier)
    settle()


def type_text(text: str) -> None:
    # Key by key to whatever has the focus then: the first key may open an editor.
    for character in text:
        QTest.keyClicks(focused(), character)
    settle()


def focus_grid(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table = window.detail.measurements_table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)


def start_row() -> None:
    press(Qt.Key.Key_M, CTRL)


def enter_row(*cells: str) -> None:
    """Type a row from its Value cell: value, Tab, unit, Tab, time, Enter (a cell given as None
    is left as it is)."""
    for position, text in enumerate(cells):
        if text:
            type_text(text)
        press(Qt.Key.Key_Tab if position < len(cells) - 1 else Qt.Key.Key_Return)


@contextmanager
def qt_warnings() -> Iterator[list[str]]:
    """Qt's warnings while the block runs (pytest-qt's capture does not see them here)."""
    seen: list[str] = []

    def handler(mode: QtMsgType, _context: object, message: str) -> None:
        if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg):
            seen.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        yield seen
    finally:
        qInstallMessageHandler(previous)
