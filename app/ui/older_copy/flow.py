"""Save a Copy for an Older Samplebook, from start to end: release, file, copy, result.

The copy is made from the open document's working copy, which every edit is committed to, so it
holds what the person sees, unsaved edits included. It runs in a worker behind the window's
progress dialog (one step to read, one per release undone, two to write; it cannot be
cancelled: it is one transaction, and nothing is written until its last step). A failure leaves
no file; the document and its file are never changed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from app.document.older_copy import OlderCopyResult, copy_working_copy_for
from app.document.releases import HEAD_REVISION
from app.ui import crash, save_dialogs
from app.ui.document_controller import DocumentController
from app.ui.messages import older_copy as say
from app.ui.older_copy.dialog import OlderCopyDialog
from app.ui.older_copy.result import OlderCopyResultDialog
from app.ui.workers import Reporter, run_in_background


def _revision(connection: sqlite3.Connection) -> str | None:
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


class OlderCopyFlow(QObject):
    """One File ▸ Save a Copy for an Older Samplebook; ``ended`` once the person is done."""

    ended = Signal()

    def __init__(self, controller: DocumentController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.result: OlderCopyResult | None = None

    def start(self) -> None:
        c = self.controller
        document = c.document
        connection = c.connection if document is not None and not c.busy else None
        if document is None or connection is None:
            self.ended.emit()
            return
        if _revision(connection) != HEAD_REVISION:
            # A newer document shown read-only: this build does not know its format.
            c.show_error(
                say.newer_document(),
                then=self.ended.emit,
            )
            return
        name = document.path.name if document.path else c.title or "Untitled"
        dialog = OlderCopyDialog(c.window, connection, name, c.modified)
        self.dialog = dialog

        def answered(result: int) -> None:
            if result:
                self._choose_file(dialog.release)
            else:
                self.ended.emit()

        c.presenter.present(dialog, answered)

    def _choose_file(self, release: str) -> None:
        c = self.controller
        document = c.document
        if document is None:
            self.ended.emit()
            return
        dialog = save_dialogs.file_dialog(
            c, say.file_dialog_title(release), QFileDialog.AcceptMode.AcceptSave
        )
        path = document.path
        folder = path.parent if path is not None and path.parent.is_dir() else None
        stem = path.stem if path is not None else (c.title or "Untitled")
        dialog.selectFile(
            str((folder or save_dialogs.start_folder(c)) / say.suggested_name(stem, release))
        )

        def chosen(result: int) -> None:
            files = dialog.selectedFiles()
            if result and files:
                target = Path(files[0])
                self._write(target if target.suffix else target.with_suffix(".db"), release)
            else:
                self.ended.emit()

        c.presenter.present(dialog, chosen)

    def _write(self, target: Path, release: str) -> None:
        c = self.controller
        document = c.document
        if document is None or c.busy:
            self.ended.emit()
            return
        label = say.saving(release)
        work_path, original = document.work_path, document.path
        # The file dialog asked before it let an existing file be chosen.
        overwrite = target.exists()
        c.set_busy(True, label)

        def work(reporter: Reporter) -> OlderCopyResult:
            def progress(what: str, step: int, steps: int) -> None:
                reporter.step(what)
                reporter.progress(step, steps)

            return copy_working_copy_for(
                work_path,
                target,
                release,
                original=original,
                overwrite=overwrite,
                progress=progress,
            )

        def step(what: object) -> None:
            if c.progress is not None:
                c.progress.setLabelText(say.saving(release, what))

        run_in_background(
            work,
            on_done=lambda result: self._saved(result, target),
            on_error=self._failed,
            on_progress=c.report_progress,
            on_step=step,
        )

    def _saved(self, result: object, target: Path) -> None:
        c = self.controller
        c.set_busy(False)
        assert isinstance(result, OlderCopyResult)
        self.result = result
        c.last_folder = target.parent
        document = c.document
        name = document.path.name if document is not None and document.path else None
        box = OlderCopyResultDialog(c.window, result, name)
        c.presenter.present(box, lambda _result: self.ended.emit())

    def _failed(self, error: BaseException) -> None:
        self.controller.set_busy(False)
        crash.report(error, presenter=self.controller.presenter, then=self.ended.emit)
