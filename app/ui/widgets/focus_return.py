"""The keyboard focus comes back after document work: Ctrl+S, then keep typing.

Two things send the focus away when a document action starts: the window takes it from the field
being typed in, so that the field is stored first (a field stores itself when it loses the focus),
and the window's pages are disabled while a worker has the document (Qt moves the focus off a
disabled widget). Neither gives it back, so after Ctrl+S the next keys went nowhere. This remembers
where the focus was and returns it once the work is over, to that widget or, when it is gone (a
cell's editor closes when its cell is stored), to the nearest of its ancestors that takes focus.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid


class FocusReturn(QObject):
    def __init__(self, window: QWidget, pages: QWidget) -> None:
        """``pages`` are disabled while busy."""
        super().__init__(window)
        self._window = window
        self._pages = pages
        self._fields: QWidget | None = None
        #: Where the focus was, then its ancestors up to the pages (still alive ones only).
        self._way_back: list[QWidget] = []

    def watch(self, fields: QWidget) -> None:
        """``fields`` hold what stores itself on focus loss (the window's sample, once shown)."""
        self._fields = fields

    def take_focus(self) -> None:
        """Store the field being typed in by taking the focus from it; it comes back afterwards
        (at once when no work starts, else when the work is over)."""
        focused = QApplication.focusWidget()
        fields = self._fields
        if focused is not None and fields is not None and fields.isAncestorOf(focused):
            self._remember()
            focused.clearFocus()
            QTimer.singleShot(0, self.give_back)

    def set_busy(self, busy: bool) -> None:
        """Disable the pages while the document is lent to a worker; enable them and give the
        focus back after."""
        if busy:
            if self._pages.isEnabled() and not self._way_back:
                self._remember()
            self._pages.setEnabled(False)
            return
        self._pages.setEnabled(True)
        self.give_back()

    def _remember(self) -> None:
        focused = QApplication.focusWidget()
        if focused is None or not self._pages.isAncestorOf(focused):
            return
        chain: list[QWidget] = []
        widget: QWidget | None = focused
        while widget is not None and widget is not self._pages:
            chain.append(widget)
            widget = widget.parentWidget()
        self._way_back = chain

    def give_back(self) -> None:
        """Return the focus, unless the work goes on or something else took it meanwhile."""
        if not self._way_back or not self._pages.isEnabled():
            return
        chain, self._way_back = self._way_back, []
        focused = QApplication.focusWidget()
        if focused is not None and focused.window() is not self._window:
            return  # a dialog has it: leave it there
        for widget in chain:
            if not isValid(widget):
                continue  # gone meanwhile (a cell's editor), its ancestors remain
            takes_focus = widget.focusPolicy() != Qt.FocusPolicy.NoFocus
            if takes_focus and widget.isVisible() and widget.isEnabled():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
