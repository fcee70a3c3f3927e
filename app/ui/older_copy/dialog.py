"""Choosing the older release, and seeing what a copy for it loses of *this* document.

The losses are counted in the open document's working copy (so unsaved edits count), on the GUI
thread through the controller's connection: a handful of ``count(*)`` queries.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.document.losses import Loss, losses
from app.document.older_copy import releases_before
from app.document.releases import HEAD_RELEASE, HEAD_REVISION, last_revision_of
from app.ui.messages import older_copy as say


def loss_list() -> QListWidget:
    """A read-only, scrolling list of losses (a long one must not stretch the dialog)."""
    widget = QListWidget()
    widget.setObjectName("lossList")
    widget.setWordWrap(True)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setSelectionMode(QListWidget.SelectionMode.NoSelection)
    widget.setSpacing(3)
    return widget


def fill(widget: QListWidget, found: list[Loss]) -> None:
    widget.clear()
    for loss in found:
        item = QListWidgetItem(say.loss_line(loss.text))
        item.setData(Qt.ItemDataRole.UserRole, loss.kind)
        widget.addItem(item)


def lines_of(widget: QListWidget) -> list[str]:
    return [widget.item(row).text() for row in range(widget.count())]


class OlderCopyDialog(QDialog):
    """Pick the release ("Samplebook 2.1", newest first) and read what the copy cannot hold."""

    def __init__(
        self, parent: QWidget | None, connection: sqlite3.Connection, name: str, modified: bool
    ) -> None:
        super().__init__(parent)
        self.setObjectName("olderCopyDialog")
        self.setWindowTitle(f"{say.TITLE} — {APP_NAME}")
        self._connection = connection
        self._counted: dict[str, list[Loss]] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(say.introduction(HEAD_RELEASE, name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.release_box = QComboBox()
        self.release_box.setObjectName("releaseBox")
        for release in reversed(releases_before(HEAD_REVISION)):
            self.release_box.addItem(f"Samplebook {release}", release)
        form.addRow("Save a copy &for:", self.release_box)
        layout.addLayout(form)
        self.heading = QLabel()
        self.heading.setObjectName("lossHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.loss_list = loss_list()
        layout.addWidget(self.loss_list, 1)
        self.unsaved = QLabel(say.UNSAVED_INCLUDED)
        self.unsaved.setVisible(modified)
        layout.addWidget(self.unsaved)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert save_button is not None
        self.save_button: QPushButton = save_button
        self.save_button.setText("Save Copy…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.release_box.currentIndexChanged.connect(lambda _index: self._show_losses())
        self.setMinimumSize(560, 380)
        self._show_losses()

    @property
    def release(self) -> str:
        return str(self.release_box.currentData())

    @property
    def losses(self) -> list[Loss]:
        """What the copy for the chosen release loses (counted once per release)."""
        release = self.release
        if release not in self._counted:
            target = last_revision_of(release)
            assert target is not None
            self._counted[release] = losses(self._connection, HEAD_REVISION, target)
        return self._counted[release]

    def choose(self, release: str) -> None:
        index = self.release_box.findData(release)
        assert index >= 0, release
        self.release_box.setCurrentIndex(index)

    def _show_losses(self) -> None:
        found = self.losses
        fill(self.loss_list, found)
        self.heading.setText(say.losses_heading(self.release, bool(found)))
        self.loss_list.setVisible(bool(found))

    def shown_losses(self) -> list[str]:
        """The lines of the list as a person reads them (tests read them too)."""
        return lines_of(self.loss_list)
