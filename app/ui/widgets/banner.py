"""A strip above the data that explains why the document is read-only and offers Save As."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.setStyleSheet(
            "#readOnlyBanner { background: #fff4ce; border: 1px solid #e0c060; border-radius: 4px; }"
            "#readOnlyBanner QLabel { color: #3d3000; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton("Save As…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.show()
