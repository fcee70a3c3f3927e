"""After a crash: offer to recover the unsaved work of each document that was open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.document import Recovery
from app.ui import messages


class RecoveryDialog(QDialog):
    """A checklist of unsaved work; Recover, Discard (asks nothing more) or Later."""

    RECOVER = 1
    DISCARD = 2
    LATER = 0

    def __init__(self, parent: QWidget | None, recoveries: list[Recovery]) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle(f"Recover Unsaved Work — {APP_NAME}")
        self.recoveries = recoveries
        self.answer = self.LATER
        heading = QLabel(f"<b>{messages.RECOVERY_HEADING}</b><br>{messages.RECOVERY_QUESTION}")
        heading.setWordWrap(True)
        self.list = QListWidget()
        for recovery in recoveries:
            item = QListWidgetItem(messages.recovery_entry(recovery))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.buttons = QDialogButtonBox()
        self.recover_button: QPushButton = self.buttons.addButton(
            "Recover", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.discard_button: QPushButton = self.buttons.addButton(
            "Discard", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.later_button: QPushButton = self.buttons.addButton(
            "Later", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.recover_button.setDefault(True)
        self.recover_button.clicked.connect(lambda: self._answer(self.RECOVER))
        self.discard_button.clicked.connect(lambda: self._answer(self.DISCARD))
        self.later_button.clicked.connect(lambda: self._answer(self.LATER))
        note = QLabel(messages.RECOVERY_NOTE)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _answer(self, answer: int) -> None:
        self.answer = answer
        if answer == self.LATER:
            self.reject()
        else:
            self.accept()

    def checked(self) -> list[Recovery]:
        return [
            recovery
            for row, recovery in enumerate(self.recoveries)
            if (item := self.list.item(row)) is not None
            and item.checkState() == Qt.CheckState.Checked
        ]
