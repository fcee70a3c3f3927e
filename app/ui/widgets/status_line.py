"""The status bar: the counts (and how many are shown), the document format, and its save state."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from app.document.info import read_counts
from app.ui import messages
from app.ui.document_controller import DocumentController
from app.ui.messages.documents import document_format


class StatusLine(QObject):
    """Fills ``bar`` from the controller; ``shown()`` is how many samples the list shows."""

    def __init__(
        self, bar: QStatusBar, controller: DocumentController, shown: Callable[[], int]
    ) -> None:
        super().__init__(bar)
        self._controller = controller
        self._shown = shown
        self.format_label = QLabel()
        self.counts_label = QLabel()
        self.state_label = QLabel()
        self.state_label.setObjectName("saveState")
        bar.addWidget(self.counts_label, 1)
        bar.addPermanentWidget(self.format_label)
        bar.addPermanentWidget(self.state_label)
        # Counting reads the whole document: once per burst of changes, after they are shown.
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(0)
        self._counts_timer.timeout.connect(self._update_counts)

    def show_state(self) -> None:
        """Format and Saved / Unsaved changes / Read-only for the document shown (if any)."""
        c = self._controller
        document = c.document
        if document is None:
            for label in (self.format_label, self.counts_label, self.state_label):
                label.setText("")
            return
        self.format_label.setText(document_format(c.connection))
        if document.read_only:
            self.state_label.setText(messages.READ_ONLY)
        elif c.modified:
            self.state_label.setText(messages.UNSAVED)
        else:
            # A new document was never saved: it has no file, so "Saved" would be untrue.
            saved = document.path is not None
            self.state_label.setText(messages.SAVED if saved else messages.NOT_SAVED_YET)
        self.count_later()

    def count_later(self) -> None:
        self._counts_timer.start()

    def _update_counts(self) -> None:
        if self._controller.busy:
            return  # a worker is using the document; counted again when it is done
        connection = self._controller.connection
        counts = read_counts(connection) if connection is not None else None
        if counts is None:
            self.counts_label.setText("")
            return
        self.counts_label.setText(messages.document_counts(counts, self._shown()))
