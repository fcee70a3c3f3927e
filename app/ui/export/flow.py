"""Export Subset from start to end: the dialog, the export in a worker, the result.

The export reads the open document's working copy, which every edit is committed to, so it holds
what the person sees, unsaved edits included. It runs off the GUI thread behind a window-modal
progress dialog with Cancel; a failed or cancelled export leaves no file (``export_subset``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.domain.export import ExportCancelled, ExportResult, ExportSource, export_subset
from app.domain.filters import SampleFilter
from app.ui import crash, messages
from app.ui.document_controller import DocumentController
from app.ui.export.dialog import ExportDialog, ExportRequest
from app.ui.export.result import ExportResultDialog
from app.ui.workers import Reporter, Task, run_in_background


def run_export(
    controller: DocumentController,
    sample_filter: SampleFilter,
    destination: Path | None,
    *,
    overwrite: bool = False,
    label: str,
    on_done: Callable[[ExportResult], None],
    on_error: Callable[[BaseException], None],
) -> Task | None:
    """Export ``sample_filter`` from the controller's document in a worker (None: no document / busy).

    A temporary export is registered with the controller as soon as it exists, so it is removed
    when the window closes unless it is kept.
    """
    document = controller.document
    if document is None or controller.busy:
        return None
    source = ExportSource(document.work_path, controller.title, document.path)
    stop = threading.Event()
    controller.set_busy(True, label, on_cancel=stop.set)

    def work(reporter: Reporter) -> ExportResult:
        def progress(what: str, step: int, steps: int) -> None:
            reporter.step(what)
            reporter.progress(step, steps)

        return export_subset(
            source,
            sample_filter,
            destination,
            overwrite=overwrite,
            progress=progress,
            cancelled=stop.is_set,
        )

    def step(what: object) -> None:
        if controller.progress is not None:
            controller.progress.setLabelText(messages.exporting_step(label, what))

    def done(result: object) -> None:
        controller.set_busy(False)
        assert isinstance(result, ExportResult)
        if result.temporary:
            controller.temporary_exports.add(result.path)
        on_done(result)

    def failed(error: BaseException) -> None:
        controller.set_busy(False)
        on_error(error)

    return run_in_background(
        work, on_done=done, on_error=failed, on_progress=controller.report_progress, on_step=step
    )


class ExportFlow(QObject):
    """One File ▸ Export Subset; ``ended`` once the person is done with it (or it failed)."""

    ended = Signal()
    #: A short message for the status bar (a cancelled export).
    status = Signal(str)

    def __init__(
        self,
        controller: DocumentController,
        *,
        selected_ids: list[int],
        shown: SampleFilter,
        open_document: Callable[[Path], None],
        is_open: Callable[[Path], bool],
    ) -> None:
        super().__init__(controller)
        self.controller = controller
        self._selected = selected_ids
        self._shown = shown
        self._open_document = open_document
        self._is_open = is_open
        self.result: ExportResult | None = None

    def start(self) -> None:
        c = self.controller
        document = c.document
        connection = c.connection if document is not None and not c.busy else None
        if document is None or connection is None:
            self.ended.emit()
            return
        name = f"{document.path.stem if document.path else c.title} subset.db"
        dialog = ExportDialog(
            c.window,
            c.presenter,
            connection,
            selected_ids=self._selected,
            shown=self._shown,
            folder=c.last_folder,
            name=name,
            is_open=self._is_open,
        )

        def answered(_result: int) -> None:
            if dialog.request is None:
                self.ended.emit()
            else:
                self._export(dialog.request)

        c.presenter.present(dialog, answered)

    def _export(self, request: ExportRequest) -> None:
        started = run_export(
            self.controller,
            request.filter,
            request.destination,
            overwrite=request.overwrite,
            label=messages.exporting(request.samples),
            on_done=lambda result: self._exported(result, request),
            on_error=self._failed,
        )
        if started is None:
            self.ended.emit()

    def _exported(self, result: ExportResult, request: ExportRequest) -> None:
        self.result = result
        if request.destination is not None:
            self.controller.last_folder = request.destination.parent
        registry = self.controller.temporary_exports
        box = ExportResultDialog(
            self.controller.window,
            result,
            request.description,
            open_document=self._open_document,
            keep_changed=lambda keep: registry.keep(result.path, keep),
            kept=registry.is_kept(result.path),
        )
        self.controller.presenter.present(box, lambda _result: self.ended.emit())

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ExportCancelled):  # the person's choice, not a failure
            self.status.emit(error.message)
            self.ended.emit()
            return
        crash.report(error, presenter=self.controller.presenter, then=self.ended.emit)
