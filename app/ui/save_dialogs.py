"""Where a save goes: the Save As and Save a Clean Copy dialogs, and saving over outside changes.

They ask through the window's presenter and hand the chosen path back to the controller, which
does the writing (``DocumentController.save_as``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from app.document import OpenDocument
from app.ui.choice_box import Choice
from app.ui.file_dialog import document_file_dialog
from app.ui.messages.documents import changed_behind_box, clean_copy_box, clean_copy_name
from app.ui.presenter import Presenter

Then = Callable[[], None] | None


class SaveHost(Protocol):
    """What the dialogs need from the window's document controller."""

    window: QWidget
    presenter: Presenter
    document: OpenDocument | None
    last_folder: Path

    @property
    def title(self) -> str: ...

    def save_as(self, path: Path, then: Then = None) -> None: ...


def default_folder() -> Path:
    """The person's documents folder when there is one, else their home folder."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def start_folder(host: SaveHost) -> Path:
    """Where file dialogs start: the last folder used, while it still exists."""
    return host.last_folder if host.last_folder.is_dir() else default_folder()


def file_dialog(host: SaveHost, caption: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
    return document_file_dialog(host.window, caption, str(start_folder(host)), mode)


def ask_save_as(host: SaveHost, then: Then = None) -> None:
    document = host.document
    if document is None:
        return
    dialog = file_dialog(host, "Save As", QFileDialog.AcceptMode.AcceptSave)
    suggested = document.path.name if document.path else f"{host.title}.db"
    dialog.selectFile(str(start_folder(host) / suggested))

    def chosen(result: int) -> None:
        files = dialog.selectedFiles()
        if result and files:
            host.save_as(Path(files[0]), then)

    host.presenter.present(dialog, chosen)


def ask_save_clean_copy(host: SaveHost, then: Then = None) -> None:
    """For a document shown as its clean copy: save that copy as a new, editable document."""
    document = host.document
    if document is None or document.clean_view is None or document.path is None:
        return
    report, source = document.clean_view, document.path
    dialog = file_dialog(host, "Save a Clean Copy", QFileDialog.AcceptMode.AcceptSave)
    folder = source.parent if source.parent.is_dir() else start_folder(host)
    dialog.selectFile(str(folder / clean_copy_name(source)))

    def saved() -> None:
        now_shown = host.document
        if now_shown is None or now_shown.path is None:
            return
        box = clean_copy_box(
            host.window, replace(report, destination=now_shown.path), source, offer_open=False
        )
        host.presenter.present(box, lambda _result: then() if then else None)

    def chosen(result: int) -> None:
        files = dialog.selectedFiles()
        if result and files:
            host.save_as(Path(files[0]), saved)

    host.presenter.present(dialog, chosen)


def ask_save_over_changes(host: SaveHost, save: Callable[[], None], then: Then) -> None:
    """The file changed behind the window's back: save over it, Save As, or leave it."""
    document = host.document
    assert document is not None and document.path is not None
    box = changed_behind_box(host.window, document.path.name)

    def answered(_result: int) -> None:
        if box.choice is Choice.SAVE:
            save()
        elif box.choice is Choice.SAVE_AS:
            ask_save_as(host, then)

    host.presenter.present(box, answered)
