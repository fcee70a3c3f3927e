"""Driving the window by keyboard as a person does: focus a widget, press keys, read the result."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.document import create, open_document
from app.ui.main_window import MainWindow
from app.ui.recent import settings

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
Key = Qt.Key

#: Settings a window remembers between runs; tests start and end without them.
LAYOUT_KEYS = ("layout/samples_columns", "layout/toolbar_shown")


def forget_layout() -> None:
    """No remembered column layout or toolbar choice (see the ``fresh_layout`` fixture)."""
    store = settings()
    for key in LAYOUT_KEYS:
        store.remove(key)
    store.sync()


def focus(qtbot: QtBot, window: MainWindow, widget: QWidget) -> None:
    """Give ``widget`` the keyboard focus in the active ``window`` (as a click would)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def press(
    qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Press ``key`` in the window that has the focus, as the window system delivers a key: the
    focused widget gets it, after shortcuts had their say (and the menu key opens a context
    menu, which only the window system's path does)."""
    target = QApplication.focusWindow()
    assert target is not None, "no window has the keyboard focus"
    qtbot.keyClick(target, key, modifiers)


def type_text(qtbot: QtBot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClicks(widget, text)


def big_document(folder: Path, samples: int) -> Path:
    """A current document with ``samples`` samples B-00000…, more than one page of the list."""
    path = create(folder / "big.db", "Big")
    with open_document(path) as document:
        with document.transaction() as connection:
            connection.executemany(
                "INSERT INTO sample (code, name) VALUES (?, ?)",
                [(f"B-{n:05}", f"Sample {n}") for n in range(samples)],
            )
        document.save()
    return path
