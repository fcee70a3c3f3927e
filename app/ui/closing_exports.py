"""What becomes of a window's temporary exports when it closes.

Not kept → removed; open in another window → handed to that window, which removes it when it
closes; changed after it was made (a program wrote its results into it) → the person is asked
first, once, before the window goes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QWidget

from app.ui.choice_box import Choice
from app.ui.messages.documents import changed_temporary_exports_box
from app.ui.presenter import Presenter
from app.ui.temporary_exports import TemporaryExports


class ExportsHost(Protocol):
    """A window as far as its temporary exports are concerned."""

    presenter: Presenter

    @property
    def temporary_exports(self) -> TemporaryExports: ...


#: Finds the window that shows a file (``None``: no window does).
FindWindow = Callable[[Path], ExportsHost | None]


class ClosingExports:
    def __init__(self, window: QWidget, host: ExportsHost, find_window: FindWindow) -> None:
        self._window = window
        self._host = host
        self._find_window = find_window
        self._answered = False

    def ask_first(self, close_again: Callable[[], object]) -> bool:
        """Ask about changed temporary exports (once); True while the question is open."""
        registry = self._host.temporary_exports
        changed = [] if self._answered else registry.changed()
        changed = [path for path in changed if self._find_window(path) in (None, self._host)]
        if not changed:
            return False
        box = changed_temporary_exports_box(self._window, changed)

        def answered(_result: int) -> None:
            for path in changed:
                registry.keep(path, box.choice is not Choice.DELETE)
            self._answered = True
            close_again()

        self._host.presenter.present(box, answered)
        return True

    def remove(self) -> None:
        """Delete the exports nobody kept; one another window shows is handed over to it."""
        registry = self._host.temporary_exports
        spare: list[Path] = []
        for path in registry.unkept():
            showing = self._find_window(path)
            if showing is not None and showing is not self._host:
                showing.temporary_exports.add(path, made=registry.made(path))
                registry.forget(path)
                spare.append(path)
        registry.remove_unkept(spare, changed_too=True)
