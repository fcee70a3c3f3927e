"""After Export Table: how many rows went where, with Copy Path and Show in Folder."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app import APP_NAME
from app.domain.export_table import TableExportResult
from app.ui import messages
from app.ui.desktop import show_in_folder
from app.ui.messages import data as said


class TableResultDialog(QDialog):
    def __init__(self, parent: QWidget | None, result: TableExportResult) -> None:
        super().__init__(parent)
        self.setObjectName("exportTableResult")
        self.setWindowTitle(f"Export Finished — {APP_NAME}")
        self.result_ = result
        layout = QVBoxLayout(self)
        self.summary = QLabel(said.table_exported(result.rows, result.kind.value, result.path.name))
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.path_label = QLabel(str(result.path))
        self.path_label.setObjectName("exportedPath")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.path_label.setStyleSheet("font-family: monospace; padding: 4px 0;")
        layout.addWidget(self.path_label)
        self.note = QLabel()
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        action = QDialogButtonBox.ButtonRole.ActionRole
        self.copy_button = self.buttons.addButton("Copy Path", action)
        self.folder_button = self.buttons.addButton("Show in Folder", action)
        self.copy_button.clicked.connect(self.copy_path)
        self.folder_button.clicked.connect(lambda: show_in_folder(result.path))
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def copy_path(self) -> None:
        QGuiApplication.clipboard().setText(str(self.result_.path))
        self.note.setText(messages.PATH_COPIED)
