"""Driving the real main window offscreen: open files, answer dialogs, wait for workers."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from pytestqt.qtbot import QtBot

from app.document.releases import HEAD_RELEASE
from app.paths import log_file
from app.ui import main_window as main_window_module
from app.ui import workers
from app.ui.main_window import MainWindow

T = TypeVar("T")

#: Generous safety net for background work (never a performance limit).
PATIENCE_MS = 60_000


def _put_away(created: MainWindow, qtbot: QtBot) -> None:
    """Close ``created`` (and windows it opened) without questions, once its workers are done.

    pytest-qt runs this before it closes and deletes the widgets a test added, which happens
    before fixture teardown: waiting here (an event loop) must not find the window deleted.
    """
    qtbot.waitUntil(lambda: not workers.busy(), timeout=PATIENCE_MS)
    for dialog in list(created.presenter.showing):
        dialog.reject()
    for each in [created, *(w for w in main_window_module.windows if w is not created)]:
        each.controller.discard_and_close()
        each._close_confirmed = True
        each.close()


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    created = MainWindow()
    qtbot.addWidget(created, before_close_func=lambda _widget: _put_away(created, qtbot))
    created.show()
    yield created


def wait_for_dialog(qtbot: QtBot, window: MainWindow, kind: type[T]) -> T:
    """The dialog of ``kind`` the window is showing, once it shows one."""
    qtbot.waitUntil(lambda: isinstance(window.presenter.current, kind), timeout=PATIENCE_MS)
    dialog = window.presenter.current
    assert isinstance(dialog, kind)
    return dialog


def wait_for_document(qtbot: QtBot, window: MainWindow) -> None:
    """Until a document is shown with its first rows and no work is left running."""
    qtbot.waitUntil(
        lambda: (
            window.controller.document is not None
            and not window.controller.busy
            and not workers.busy()
        ),
        timeout=PATIENCE_MS,
    )


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.controller.busy and not workers.busy(), timeout=PATIENCE_MS)


def open_current(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    window.controller.open_path(path)
    wait_for_document(qtbot, window)


def query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def execute(path: Path, *statements: str) -> None:
    """Change a file behind Samplebook's back, as another program would."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


@pytest.fixture
def fresh_layout() -> Iterator[None]:
    """No remembered window layout (columns, toolbar) before the test, and none left after it."""
    from .keys import forget_layout  # noqa: PLC0415

    forget_layout()
    yield
    forget_layout()


@pytest.fixture
def current_copy(fixture_copy: Callable[[str], Path]) -> Path:
    """A copy of the newest release fixture (a current document with realistic content)."""
    return fixture_copy(HEAD_RELEASE)


#: How the log file introduces a logged bug or failed self-check (``app.logs.log_bug``).
BUG_HEADER = "Unexpected error:"


class Log:
    """What the log file gained since the test began (it is shared by the whole session)."""

    def __init__(self) -> None:
        self.start = self._size()

    @staticmethod
    def _size() -> int:
        path = log_file()
        return path.stat().st_size if path.exists() else 0

    def new_text(self) -> str:
        path = log_file()
        if not path.exists():
            return ""
        with path.open("rb") as handle:
            handle.seek(self.start)
            return handle.read().decode("utf-8", errors="replace")


@pytest.fixture
def log() -> Log:
    return Log()
