"""Export Table from start to end: the dialog, the export in a worker, the result.

``export_table`` reads the working copy (so unsaved edits are in the table) on its own
connection, and writes the file whole or not at all.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.domain.export import ExportSource
from app.domain.export_table import TableExportResult, export_table
from app.domain.filters import SampleFilter
from app.ui import crash
from app.ui.document_controller import DocumentController
from app.ui.export_table.dialog import ExportTableDialog, TableRequest
from app.ui.export_table.result import TableResultDialog
from app.ui.messages import data as said
from app.ui.workers import Reporter, run_in_background


class ExportTableFlow(QObject):
    ended = Signal()
    status = Signal(str)

    def __init__(
        self, controller: DocumentController, *, selected_ids: list[int], shown: SampleFilter
    ) -> None:
        super().__init__(controller)
        self.controller = controller
        self._selected = selected_ids
        self._shown = shown
        self.result: TableExportResult | None = None

    def start(self) -> None:
        c = self.controller
        document = c.document
        connection = c.connection if document is not None and not c.busy else None
        if document is None or connection is None:
            self.ended.emit()
            return
        stem = document.path.stem if document.path else c.title
        dialog = ExportTableDialog(
            c.window,
            c.presenter,
            connection,
            selected_ids=self._selected,
            shown=self._shown,
            folder=c.last_folder,
            name=f"{stem}.csv",
        )

        def answered(_result: int) -> None:
            if dialog.request is None:
                self.ended.emit()
            else:
                self._export(dialog.request)

        c.presenter.present(dialog, answered)

    def _export(self, request: TableRequest) -> None:
        c = self.controller
        document = c.document
        if document is None or c.busy:
            self.ended.emit()
            return
        source = ExportSource(document.work_path, c.title, document.path)
        c.set_busy(True, said.exporting_table(request.description))

        def work(_reporter: Reporter) -> TableExportResult:
            return export_table(
                source, request.path, request.filter, kind=request.kind, overwrite=request.overwrite
            )

        def done(result: object) -> None:
            c.set_busy(False)
            assert isinstance(result, TableExportResult)
            self.result = result
            c.last_folder = request.path.parent
            box = TableResultDialog(c.window, result)
            c.presenter.present(box, lambda _r: self.ended.emit())

        def failed(error: BaseException) -> None:
            c.set_busy(False)
            crash.report(error, presenter=c.presenter, then=self.ended.emit)

        run_in_background(work, on_done=done, on_error=failed)
