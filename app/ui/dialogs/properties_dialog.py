"""File ▸ Document Properties: the title (editable, undoable) and what the document says about itself."""

from __future__ import annotations

import sqlite3
from typing import Protocol

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app import APP_NAME
from app.document import DocumentError, OpenDocument
from app.document.info import read_counts, read_info
from app.document.releases import HEAD_RELEASE
from app.ui import messages
from app.ui.presenter import Presenter
from app.ui.times import local_time
from app.ui.undo import DocumentCommand, Editor, SetTitle


class Titled(Editor, Protocol):
    """What Document Properties needs of the window's document controller."""

    presenter: Presenter

    @property
    def title(self) -> str: ...

    def perform(self, command: DocumentCommand) -> DocumentError | None: ...

    def show_error(self, error: DocumentError) -> None: ...


class PropertiesDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        document: OpenDocument,
        connection: sqlite3.Connection,
        title: str,
    ) -> None:
        """``connection`` and ``title``: the document's, read by the caller on the GUI thread."""
        super().__init__(parent)
        self.setObjectName("propertiesDialog")
        self.setWindowTitle(f"Document Properties — {APP_NAME}")
        info = read_info(connection)
        counts = read_counts(connection)
        self.title_edit = QLineEdit(info.title if info and info.title else "")
        self.title_edit.setPlaceholderText(title)
        self.title_edit.setReadOnly(document.read_only)
        form = QFormLayout(self)
        form.addRow("Title:", self.title_edit)
        form.addRow("File:", _label(str(document.path) if document.path else "Not saved yet"))
        form.addRow("Format:", _label(f"Samplebook {HEAD_RELEASE}"))
        if info is not None:
            form.addRow("Created:", _label(_when(info.created_at, info.created_by)))
            form.addRow("Last saved:", _label(_when(info.saved_at, info.saved_by)))
        if counts is not None:
            form.addRow("Contents:", _label(messages.contents(counts)))
        if document.read_only:
            form.addRow("", _label(f"Read-only: {document.read_only_reason or 'opened read-only'}"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(480)

    @property
    def title(self) -> str:
        return self.title_edit.text().strip()


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _when(at: str | None, version: str | None) -> str:
    parts = [local_time(at) if at else "unknown time"]
    if version:
        parts.append(f"by Samplebook {version}")
    return " ".join(parts)


def edit_properties(parent: QWidget, controller: Titled) -> None:
    """File ▸ Document Properties: show them; a changed title is stored as one undoable step."""
    document = controller.document
    if document is None:
        return
    connection = controller.connection
    assert connection is not None
    dialog = PropertiesDialog(parent, document, connection, controller.title)

    def answered(result: int) -> None:
        if result and not document.read_only and dialog.title != controller.title:
            error = controller.perform(SetTitle(controller, dialog.title))
            if error is not None:
                controller.show_error(error)

    controller.presenter.present(dialog, answered)
