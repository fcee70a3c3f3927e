"""A strip above the data that says what is special about this document and what to do about it.

Read-only (Save As), changed outside Samplebook and shown as its clean copy (Save a Clean Copy),
a temporary export in the cache (Save As, Keep). The sentences come from ``document_messages``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.document import OpenDocument, mark_kept
from app.ui.messages.documents import SAVE_CLEAN_COPY, banner_text
from app.ui.temporary_exports import TemporaryExports


class Banner(QFrame):
    def __init__(
        self,
        *,
        save_as: Callable[[], None],
        save_clean_copy: Callable[[], None],
        registry: TemporaryExports,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.setStyleSheet(
            "#readOnlyBanner { background: #fff4ce; border: 1px solid #e0c060; border-radius: 4px; }"
            "#readOnlyBanner QLabel { color: #3d3000; }"
        )
        self._registry = registry
        self._document: OpenDocument | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.save_as_button = QPushButton("Save As…")
        self.save_as_button.clicked.connect(lambda: save_as())  # noqa: PLW0108 - drop `checked`
        self.clean_copy_button = QPushButton(SAVE_CLEAN_COPY)
        self.clean_copy_button.clicked.connect(lambda: save_clean_copy())  # noqa: PLW0108
        self.keep_button = QPushButton("Keep")
        self.keep_button.setToolTip("Keep this temporary export when its window closes")
        self.keep_button.clicked.connect(self._keep)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        for button in (self.clean_copy_button, self.keep_button, self.save_as_button):
            layout.addWidget(button)
        self.hide()

    def show_for(self, document: OpenDocument | None) -> None:
        """Show what ``document`` needs said, with its buttons; hide when nothing needs saying."""
        self._document = document
        text = None
        if document is not None:
            kept = document.path is not None and self._registry.is_kept(document.path)
            text = banner_text(document, temporary_kept=kept)
        if document is None or text is None:
            self.hide()
            return
        self.label.setText(text)
        clean = document.clean_view is not None
        temporary = document.is_temporary_export and not clean
        self.clean_copy_button.setVisible(clean)
        self.save_as_button.setVisible(not clean)
        kept = document.path is not None and self._registry.is_kept(document.path)
        self.keep_button.setVisible(temporary and not kept)
        self.show()

    def _keep(self) -> None:
        document = self._document
        if document is None or document.path is None:
            return
        self._registry.keep(document.path)
        mark_kept(document.path)  # also when another window made it
        self.show_for(document)
