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

from app import APP_NAME, __version__
from app.document import Inspection
from app.document.releases import HEAD_RELEASE


def upgrade_sentences(found: Inspection) -> tuple[str, str]:
    """The question and the explanation shown in the upgrade dialog."""
    saved_by = found.saved_by or found.release or "an older release"
    question = f"“{found.path.name}” was saved by Samplebook {saved_by}. Upgrade it?"
    explanation = (
        f"It will be upgraded to the Samplebook {HEAD_RELEASE} format so Samplebook {__version__} "
        f"can open it. After the upgrade, Samplebook {found.release or saved_by} and other older "
        "releases can no longer open it."
    )
    return question, explanation


class UpgradeDialog(QDialog):
    """Upgrade / Cancel, with "Make a backup first" (checked) and where the backup goes."""

    def __init__(self, parent: QWidget | None, found: Inspection, backup_folder: Path) -> None:
        super().__init__(parent)
        self.setObjectName("upgradeDialog")
        self.setWindowTitle(f"Upgrade Document — {APP_NAME}")
        self.inspection = found
        question, explanation = upgrade_sentences(found)
        self.question = QLabel(f"<b>{_escape(question)}</b>")
        self.question.setWordWrap(True)
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        self.backup_box = QCheckBox("Make a backup first")
        self.backup_box.setChecked(True)
        self.backup_where = QLabel(f"The backup goes into {backup_folder}")
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
            counts = QLabel(
                f"It holds {found.counts.samples} samples, {found.counts.measurements} "
                f"measurements and {found.counts.tags} tags."
            )
            layout.addWidget(counts)
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
