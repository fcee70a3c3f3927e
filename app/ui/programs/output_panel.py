"""The Program Output dock: what an external program prints, live, and how it ended."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui import messages

ERROR_STYLE = "color: #b3261e;"


class OutputPanel(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Program Output", parent)
        self.setObjectName("programOutput")
        self.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        self.status = QLabel("")
        self.status.setObjectName("programStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.output = QPlainTextEdit()
        self.output.setObjectName("programText")
        self.output.setReadOnly(True)
        self.output.setMaximumBlockCount(10_000)
        self.output.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.output.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.keep_check = QCheckBox(messages.KEEP_EXPORT)
        self.keep_check.setObjectName("keepExport")
        self.keep_check.setToolTip(messages.KEEP_EXPORT_OTHERWISE)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.output.clear)
        row = QHBoxLayout()
        row.addWidget(self.keep_check)
        row.addStretch(1)
        row.addWidget(self.stop_button)
        row.addWidget(self.clear_button)
        layout.addWidget(self.status)
        layout.addWidget(self.output, 1)
        layout.addLayout(row)
        self.setWidget(body)

    def begin(self, text: str) -> None:
        """A new run: a rule in the output, and its first status line."""
        if self.output.document().characterCount() > 1:
            self.append("\n")
        self.set_status(text)
        self.append(f"── {text}\n")
        self.show()
        self.raise_()

    def append(self, text: str) -> None:
        cursor = self.output.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.output.setTextCursor(cursor)
        self.output.ensureCursorVisible()

    def note(self, text: str) -> None:
        """A line of Samplebook's own (not the program's), on a line of its own."""
        plain = self.output.toPlainText()
        self.append(("" if not plain or plain.endswith("\n") else "\n") + f"── {text}\n")

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def set_running(self, running: bool) -> None:
        self.stop_button.setEnabled(running)
