"""Showing dialogs without blocking: every dialog is opened with ``open()`` and answered by callback.

The presenter remembers which dialogs are showing (``current``), so tests find and drive them just
like a person would, and nothing ever waits in a nested ``exec()`` loop.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog


class Presenter(QObject):
    """Shows dialogs window-modally; ``shown`` fires for each one (tests listen to it)."""

    shown = Signal(QDialog)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.showing: list[QDialog] = []

    @property
    def current(self) -> QDialog | None:
        """The most recently shown dialog that is still open."""
        return self.showing[-1] if self.showing else None

    def present(self, dialog: QDialog, on_finished: Callable[[int], None] | None = None) -> None:
        """Show ``dialog``; ``on_finished(result)`` runs once it is closed."""

        def finished(result: int) -> None:
            if dialog in self.showing:
                self.showing.remove(dialog)
            dialog.deleteLater()
            if on_finished is not None:
                on_finished(result)

        self.showing.append(dialog)
        dialog.finished.connect(finished)
        dialog.open()
        self.shown.emit(dialog)
