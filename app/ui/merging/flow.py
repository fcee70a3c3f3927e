"""Tools ▸ Merge Results…, and the offer after a program run: check, preview, bring back.

The check reads the export and the working copy in a worker (``plan_merge``, its own
connections); bringing back writes a few rows, on the GUI thread, as one undo step. If the
document changed between the two (``MergeOutdated``), the results are checked again and shown.
After a program run (``offer``) nothing is shown unless the export holds new measurements.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog
from shiboken6 import isValid

from app.document import file_source
from app.domain.merging import MergeOutdated, MergePlan, plan_merge
from app.ui import crash
from app.ui.data_commands import MergeResults
from app.ui.document_controller import DocumentController
from app.ui.file_dialog import document_file_dialog
from app.ui.merging.dialog import MergeDialog
from app.ui.messages import data as said
from app.ui.workers import Reporter, run_in_background


class MergeFlow(QObject):
    ended = Signal()
    status = Signal(str)

    def __init__(
        self, controller: DocumentController, export: Path | None = None, *, offer: bool = False
    ) -> None:
        super().__init__(controller)
        self.controller = controller
        self.export = export
        self.offer = offer
        #: The person let new measurements wait ("Not Now"): the export should be kept.
        self.declined = False
        self.command: MergeResults | None = None

    def start(self) -> None:
        c = self.controller
        if c.document is None or c.read_only or c.busy:
            self.ended.emit()
            return
        if self.export is not None:
            self._check()
            return
        dialog = document_file_dialog(
            c.window, "Merge Results", str(c.last_folder), QFileDialog.AcceptMode.AcceptOpen
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)

        def chosen(result: int) -> None:
            files = dialog.selectedFiles()
            if not result or not files:
                self.ended.emit()
                return
            self.export = Path(files[0])
            self._check()

        c.presenter.present(dialog, chosen)

    def _check(self, note: str = "") -> None:
        document = self.controller.document
        export = self.export
        if document is None or export is None:
            self.ended.emit()
            return
        work_path, name = document.work_path, document.path or Path(self.controller.title)

        def work(_reporter: Reporter) -> MergePlan:
            with file_source(export) as readable:
                plan = plan_merge(work_path, name, readable.database)
            # Messages name the file the person chose, not a scratch copy of an older one.
            return replace(plan, export=export)

        run_in_background(
            work, on_done=lambda plan: self._checked(plan, note), on_error=self._failed
        )

    def _failed(self, error: BaseException) -> None:
        if not isValid(self.controller):  # the window closed while the results were checked
            return
        crash.report(error, presenter=self.controller.presenter, then=self.ended.emit)

    def _checked(self, plan: object, note: str) -> None:
        assert isinstance(plan, MergePlan)
        if not isValid(self.controller):
            return
        c = self.controller
        if c.document is None or c.read_only:
            self.ended.emit()
            return
        if self.offer and not plan.new and not plan.unmergeable:
            self.ended.emit()  # the program brought nothing back: nothing to offer
            return
        dialog = MergeDialog(c.window, plan, c.title, note=note)

        def answered(result: int) -> None:
            if result and plan.new and not plan.unmergeable:
                self._bring_back(plan)
                return
            self.declined = bool(plan.new or plan.unmergeable)
            self.ended.emit()

        c.presenter.present(dialog, answered)

    def _bring_back(self, plan: MergePlan) -> None:
        c = self.controller
        count = len(plan.new)
        command = MergeResults(
            c, plan, f"Bring Back {count} Measurement{'' if count == 1 else 's'}"
        )
        error = c.perform(command)
        if isinstance(error, MergeOutdated):
            self._check(said.merge_outdated(error.message))
            return
        if error is not None:
            crash.report(error, presenter=c.presenter, then=self.ended.emit)
            return
        self.command = command
        self.status.emit(said.merged(count))
        self.ended.emit()
