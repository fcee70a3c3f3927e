"""A damaged file in the open flow: restore its most recent backup, or save a clean copy of it.

Restoring keeps the damaged file beside the document (``restore_backup``) and opens the result
like any file; a clean copy (``repair``) is offered to open once it is saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QWidget

from app.document import Inspection, RepairReport, backups_of, repair, restore_backup
from app.ui.choice_box import Choice, ChoiceBox
from app.ui.file_dialog import document_file_dialog
from app.ui.messages.documents import (
    clean_copy_box,
    clean_copy_name,
    damaged_box,
    restored_box,
    restoring,
    saving_clean_copy,
)
from app.ui.presenter import Presenter
from app.ui.workers import run_in_background


class Host(Protocol):
    """The window's document controller, as far as these choices need it."""

    presenter: Presenter

    def set_busy(self, busy: bool, label: str = "", maximum: int = 0) -> None: ...


class Flow(Protocol):
    """The open flow these choices are asked for (``app.ui.open_flow.OpenFlow``)."""

    path: Path
    after_open: ChoiceBox | None

    @property
    def controller(self) -> Host: ...

    @property
    def window_shown(self) -> QWidget: ...

    def start(self) -> None: ...

    def refused(self, choice: Choice) -> None: ...

    def end(self) -> None: ...

    def failed(self, error: BaseException) -> None: ...

    def request_open(self, path: Path) -> None: ...


class DamagedFile:
    """The choices for one damaged file, asked on behalf of its open flow."""

    def __init__(self, flow: Flow, found: Inspection) -> None:
        self.flow = flow
        self.found = found

    def offer(self) -> None:
        found = self.found
        try:
            backups = backups_of(found.path)
        except OSError:
            backups = []
        box = damaged_box(self.flow.window_shown, found, backups)

        def answered(_result: int) -> None:
            choice = box.choice
            if choice is Choice.RESTORE_BACKUP and backups:
                self._restore(backups[0])
            elif choice is Choice.SAVE_CLEAN_COPY:
                self._choose_clean_copy(found.path)
            else:
                self.flow.refused(choice)

        self.flow.controller.presenter.present(box, answered)

    def _restore(self, backup: Path) -> None:
        self.flow.controller.set_busy(True, restoring(self.flow.path.name))

        def restored(kept: object) -> None:
            self.flow.controller.set_busy(False)
            assert kept is None or isinstance(kept, Path)
            self.flow.after_open = restored_box(
                self.flow.window_shown, self.flow.path.name, backup, kept
            )
            self.flow.start()  # the restored file is checked and opened like any other

        run_in_background(
            lambda _reporter: restore_backup(self.flow.path, backup),
            on_done=restored,
            on_error=self.flow.failed,
        )

    def _choose_clean_copy(self, source: Path) -> None:
        dialog = document_file_dialog(
            self.flow.window_shown,
            "Save a Clean Copy",
            str(source.parent),
            QFileDialog.AcceptMode.AcceptSave,
        )
        dialog.selectFile(str(source.with_name(clean_copy_name(source))))

        def chosen(result: int) -> None:
            files = dialog.selectedFiles()
            if not result or not files:
                self.flow.end()
                return
            target = Path(files[0])
            self._save_clean_copy(source, target if target.suffix else target.with_suffix(".db"))

        self.flow.controller.presenter.present(dialog, chosen)

    def _save_clean_copy(self, source: Path, target: Path) -> None:
        self.flow.controller.set_busy(True, saving_clean_copy(source.name))

        def saved(report: object) -> None:
            self.flow.controller.set_busy(False)
            assert isinstance(report, RepairReport)
            box = clean_copy_box(self.flow.window_shown, report, source, offer_open=True)

            def answered(_result: int) -> None:
                self.flow.end()
                if box.choice is Choice.OPEN_CLEAN_COPY:
                    self.flow.request_open(report.destination)

            self.flow.controller.presenter.present(box, answered)

        run_in_background(
            # The file dialog already asked whether to replace an existing file.
            lambda _reporter: repair(source, target, overwrite=True),
            on_done=saved,
            on_error=self.flow.failed,
        )
