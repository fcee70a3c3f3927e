"""After a copy for an older Samplebook: where it is, what it left out, Copy Path / Show in Folder."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app import APP_NAME
from app.document.older_copy import OlderCopyResult
from app.ui import messages
from app.ui.desktop import show_in_folder
from app.ui.messages import older_copy as say
from app.ui.older_copy.dialog import fill, lines_of, loss_list


class OlderCopyResultDialog(QDialog):
    def __init__(self, parent: QWidget | None, result: OlderCopyResult, name: str | None) -> None:
        super().__init__(parent)
        self.setObjectName("olderCopyResult")
        self.setWindowTitle(f"Copy Saved — {APP_NAME}")
        self.copy = result
        layout = QVBoxLayout(self)
        self.summary = QLabel(say.saved(result.release))
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        where = QLabel(say.opens_there(result.release, name))
        where.setWordWrap(True)
        layout.addWidget(where)
        self.path_label = QLabel(str(result.destination))
        self.path_label.setObjectName("copiedPath")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.path_label.setStyleSheet("font-family: monospace; padding: 4px 0;")
        layout.addWidget(self.path_label)
        self.heading = QLabel(
            say.left_out_heading(result.release) if result.losses else say.NOTHING_LEFT_OUT
        )
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.left_out = loss_list()
        fill(self.left_out, result.losses)
        self.left_out.setVisible(bool(result.losses))
        layout.addWidget(self.left_out, 1)
        self.note = QLabel()
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        action = QDialogButtonBox.ButtonRole.ActionRole
        self.copy_button = self.buttons.addButton("Copy Path", action)
        self.folder_button = self.buttons.addButton("Show in Folder", action)
        self.copy_button.clicked.connect(self.copy_path)
        self.folder_button.clicked.connect(lambda: show_in_folder(self.copy.destination))
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumSize(560, 420)

    def shown_losses(self) -> list[str]:
        return lines_of(self.left_out)

    def copy_path(self) -> None:
        QGuiApplication.clipboard().setText(str(self.copy.destination))
        self.note.setText(messages.PATH_COPIED)
