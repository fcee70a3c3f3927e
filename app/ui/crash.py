"""Unexpected errors: log them and tell the person where the log is (never a bare traceback).

A ``DocumentError`` that escapes a flow is not a bug: it is shown as its message and next step.
"""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QWidget

from app.document import DocumentError
from app.logs import log_bug
from app.ui import messages

_showing = False


def _parent() -> QWidget | None:
    return QApplication.activeWindow()


def handle(error: BaseException) -> None:
    global _showing  # noqa: PLW0603 - one crash dialog at a time
    if isinstance(error, DocumentError):
        messages.error_box(_parent(), error).open()
        return
    log_path = log_bug(error)
    if _showing or QApplication.instance() is None:
        return
    _showing = True
    box = messages.crash_box(_parent(), log_path)

    def closed(_result: int) -> None:
        global _showing  # noqa: PLW0603
        _showing = False

    box.finished.connect(closed)
    box.open()


def excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    if error.__traceback__ is None and trace is not None:
        error = error.with_traceback(trace)
    handle(error)


def install() -> None:
    sys.excepthook = excepthook
