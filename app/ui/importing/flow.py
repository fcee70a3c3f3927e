"""An import from start to end: choose the file, preview and choose, write as one undo step.

The rows are checked in the dialog (its workers read the working copy); the import itself writes
with the document's connection in a worker (``DocumentController.edit_in_background``) behind a
progress dialog with Cancel, in one transaction, so a cancelled or failed import writes nothing.
If the document changed after the check (``ImportOutdated``), the dialog opens again with the
same choices and the rows checked against the document as it is now.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QFileDialog

from app.domain.importing import (
    AppliedImport,
    ImportCancelled,
    ImportOutdated,
    ImportPlan,
    Kind,
    apply_import,
)
from app.domain.tables import Table
from app.ui import crash
from app.ui.data_commands import ImportRows
from app.ui.document_controller import DocumentController
from app.ui.importing.check import Settings
from app.ui.importing.dialog import FixedSample, ImportDialog
from app.ui.messages import data as said
from app.ui.workers import Reporter

TABLE_FILTER = "Tables (*.csv *.tsv *.txt *.xlsx);;All files (*)"


def undo_text(plan: ImportPlan, verb: str) -> str:
    what = "Measurement" if plan.kind is Kind.MEASUREMENTS else "Sample"
    count = plan.writes
    return f"{verb} {count} {what}{'' if count == 1 else 's'}"


def table_file_dialog(controller: DocumentController) -> QFileDialog:
    dialog = QFileDialog(controller.window, "Import", str(controller.last_folder), TABLE_FILTER)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    if QApplication.platformName() in ("offscreen", "minimal"):
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


class ImportFlow(QObject):
    """One File ▸ Import… or paste; ``ended`` once it is done, whatever the outcome."""

    ended = Signal()
    #: A short message for the status bar (what was imported, a cancelled import).
    status = Signal(str)

    def __init__(
        self,
        controller: DocumentController,
        source: Path | Table | None = None,
        *,
        settings: Settings = Settings(),  # noqa: B008 - frozen
        fixed: FixedSample | None = None,
        verb: str = "Import",
    ) -> None:
        super().__init__(controller)
        self.controller = controller
        self.source = source
        self.settings = settings
        self.fixed = fixed
        self.verb = verb
        self.dialog: ImportDialog | None = None
        self.command: ImportRows | None = None

    def start(self) -> None:
        c = self.controller
        if c.document is None or c.read_only or c.busy:
            self.ended.emit()
            return
        if self.source is not None:
            self._show_dialog()
            return
        dialog = table_file_dialog(c)

        def chosen(result: int) -> None:
            files = dialog.selectedFiles()
            if not result or not files:
                self.ended.emit()
                return
            self.source = Path(files[0])
            c.last_folder = self.source.parent
            self._show_dialog()

        c.presenter.present(dialog, chosen)

    def _show_dialog(self, note: str = "") -> None:
        c = self.controller
        document = c.document
        if document is None or self.source is None:
            self.ended.emit()
            return
        dialog = ImportDialog(
            c.window,
            c.presenter,
            document.work_path,
            self.source,
            self.settings,
            note=note,
            fixed=self.fixed,
        )
        self.dialog = dialog

        def answered(result: int) -> None:
            self.dialog = None
            if not result or dialog.plan is None:
                self.ended.emit()
                return
            self.settings = dialog.settings
            self.apply(dialog.plan)

        c.presenter.present(dialog, answered)

    def apply(self, plan: ImportPlan) -> None:
        """Write ``plan`` in a worker; one undo step once it is written."""
        c = self.controller
        document = c.document
        if document is None or c.read_only or c.busy:
            self.ended.emit()
            return
        stop = threading.Event()

        def work(reporter: Reporter) -> AppliedImport:
            return apply_import(document, plan, progress=reporter.progress, cancelled=stop.is_set)

        def done(applied: object) -> None:
            assert isinstance(applied, AppliedImport)
            self.command = ImportRows(c, plan, undo_text(plan, self.verb), applied)
            c.record(self.command)
            name = said.PASTED_ROWS if isinstance(self.source, Table) else plan.table.source.name
            self.status.emit(said.imported(plan.kind.value, plan.added, plan.updated, name))
            self.ended.emit()

        def failed(error: BaseException) -> None:
            if isinstance(error, ImportOutdated):
                self._show_dialog(said.import_outdated(error.message))
            elif isinstance(error, ImportCancelled):  # the person's choice, not a failure
                self.status.emit(error.message)
                self.ended.emit()
            else:
                crash.report(error, presenter=c.presenter, then=self.ended.emit)

        what = "measurement" if plan.kind is Kind.MEASUREMENTS else "sample"
        c.edit_in_background(
            work,
            said.importing(plan.writes, what),
            on_done=done,
            on_error=failed,
            on_cancel=stop.set,
        )
