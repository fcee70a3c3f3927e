"""After an export: what went, where it is, and Copy Path / Open in Samplebook / Show in Folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.domain.export import ExportResult
from app.ui import messages
from app.ui.desktop import show_in_folder


class ExportResultDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        result: ExportResult,
        description: str,
        *,
        open_document: Callable[[Path], None],
        keep_changed: Callable[[bool], None],
        kept: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportResult")
        self.setWindowTitle(f"Export Finished — {APP_NAME}")
        self.export = result
        self._open_document = open_document
        layout = QVBoxLayout(self)
        self.summary = QLabel(
            messages.exported(result.samples, result.measurements, result.tags, description)
        )
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        where = QLabel(messages.exported_where(result.temporary))
        where.setWordWrap(True)
        layout.addWidget(where)
        self.path_label = QLabel(str(result.path))
        self.path_label.setObjectName("exportedPath")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.path_label.setStyleSheet("font-family: monospace; padding: 4px 0;")
        layout.addWidget(self.path_label)
        self.keep_check = QCheckBox(messages.KEEP_TEMPORARY)
        self.keep_check.setChecked(kept)
        self.keep_check.toggled.connect(keep_changed)
        self.keep_check.setVisible(result.temporary)
        layout.addWidget(self.keep_check)
        self.note = QLabel()
        self.note.setObjectName("resultNote")
        layout.addWidget(self.note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        action = QDialogButtonBox.ButtonRole.ActionRole
        self.copy_button = self.buttons.addButton("Copy Path", action)
        self.open_button = self.buttons.addButton("Open in Samplebook", action)
        self.folder_button = self.buttons.addButton("Show in Folder", action)
        self.copy_button.clicked.connect(self.copy_path)
        self.open_button.clicked.connect(self.open_exported)
        self.folder_button.clicked.connect(lambda: show_in_folder(self.export.path))
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def copy_path(self) -> None:
        QGuiApplication.clipboard().setText(str(self.export.path))
        self.note.setText(messages.PATH_COPIED)

    def open_exported(self) -> None:
        self.accept()
        self._open_document(self.export.path)
