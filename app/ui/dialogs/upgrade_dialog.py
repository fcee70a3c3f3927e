"""Asking before an outdated document is upgraded: from which release, to which, and a backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.document import Inspection
from app.ui import messages


class UpgradeDialog(QDialog):
    """Upgrade / Cancel, with "Make a backup first" (checked) and where the backup goes."""

    def __init__(self, parent: QWidget | None, found: Inspection, backup_folder: Path) -> None:
        super().__init__(parent)
        self.setObjectName("upgradeDialog")
        self.setWindowTitle(f"Upgrade Document — {APP_NAME}")
        self.inspection = found
        question, explanation = messages.upgrade_question(found)
        self.question = QLabel(f"<b>{_escape(question)}</b>")
        self.question.setWordWrap(True)
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        self.backup_box = QCheckBox("Make a backup first")
        self.backup_box.setChecked(True)
        self.backup_where = QLabel(messages.backup_goes_into(backup_folder))
        self.backup_where.setWordWrap(True)
        self.backup_where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_where.setContentsMargins(24, 0, 0, 0)
        self.backup_where.setStyleSheet("color: palette(placeholder-text);")
        self.backup_box.toggled.connect(self.backup_where.setEnabled)
        self.buttons = QDialogButtonBox()
        self.upgrade_button: QPushButton = self.buttons.addButton(
            "Upgrade", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.upgrade_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.question)
        layout.addWidget(self.explanation)
        if found.counts is not None:
            layout.addWidget(QLabel(messages.upgrade_holds(found.counts)))
        layout.addSpacing(6)
        layout.addWidget(self.backup_box)
        layout.addWidget(self.backup_where)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)

    @property
    def make_backup(self) -> bool:
        return self.backup_box.isChecked()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
