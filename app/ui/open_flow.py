"""The on-open hook: classify the file off the GUI thread, then do the right thing for its state.

current → open; outdated → upgrade dialog, upgrade in a worker with per-revision progress, open;
newer → name the version and offer read-only when that is safe; empty → offer a new document;
locked by another Samplebook → name the holder and offer read-only; being written by another
program → try again; changed outside Samplebook → shown read-only as its clean copy; damaged →
restore the most recent backup or save a clean copy; everything else → its own message with the
next step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.document import (
    DocumentError,
    DocumentInUse,
    DocumentTooNew,
    Inspection,
    InspectionCancelled,
    OpenDocument,
    State,
    UpgradeCancelled,
    UpgradeNeeded,
    UpgradeResult,
    create,
    inspect,
    open_document,
    upgrade,
)
from app.document.backup import backup_folder_for
from app.ui import crash, messages
from app.ui.choice_box import Choice, ChoiceBox
from app.ui.damaged_file import DamagedFile
from app.ui.desktop import show_in_folder
from app.ui.messages.documents import (
    busy_elsewhere_box,
)
from app.ui.presenter import Presenter
from app.ui.workers import Reporter, run_in_background

if TYPE_CHECKING:
    from app.document.migration import Step

log = logging.getLogger(__name__)

#: Checks and upgrades report how far they are in thousandths (estimates).
PROGRESS_STEPS = 1000


class OpenHost(Protocol):
    """What an open flow needs from the window it opens a file in (its document controller).

    The flow never reaches into the controller: what it wants next (open a backup, choose
    another file) it asks for through its signals.
    """

    window: QWidget
    presenter: Presenter
    progress: QProgressDialog | None

    def set_busy(
        self,
        busy: bool,
        label: str = "",
        maximum: int = 0,
        *,
        on_cancel: Callable[[], None] | None = None,
    ) -> None: ...

    def report_progress(self, done: int, total: int) -> None: ...

    def set_document(self, document: OpenDocument | None) -> None: ...


class _Probe:
    """What the worker found out: the inspection, and for a newer document a read-only copy."""

    def __init__(self, inspection: Inspection, readable: OpenDocument | None = None) -> None:
        self.inspection = inspection
        self.readable = readable


def _probe(path: Path, reporter: Reporter, cancelled: Callable[[], bool]) -> _Probe:
    # A file this Samplebook checked or wrote before is checked quickly; any other gets the full
    # check, which on a large file takes a while: progress, Cancel, and what the file says it is.
    found = inspect(path, progress=reporter.progress, cancelled=cancelled, peek=reporter.step)
    if found.state is State.NEWER:
        try:  # the document layer decides whether a newer document can be read safely
            return _Probe(found, open_document(path, read_only=True, inspection=found))
        except DocumentError:
            return _Probe(found)
    return _Probe(found)


class OpenFlow(QObject):
    """One attempt to open one file in a window; ``ended`` fires when it is over, either way."""

    ended = Signal()
    #: The person chose to pick another file; sent after ``ended``.
    choose_other_requested = Signal()
    #: The person chose to open this file (a clean copy just saved); sent after ``ended``.
    open_requested = Signal(Path)

    def __init__(
        self,
        controller: OpenHost,
        path: Path,
        *,
        read_only: bool = False,
        quiet: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.path = path
        self.read_only = read_only
        self.quiet = quiet
        self.inspection: Inspection | None = None
        self.after_open: ChoiceBox | None = None
        self._retried = False
        self.error: BaseException | None = None
        self.upgrade_result: UpgradeResult | None = None

    @property
    def window_shown(self) -> QWidget:
        return self.controller.window

    # -- classify -------------------------------------------------------------------------------

    def start(self) -> None:
        self._cancelled = False
        self.controller.set_busy(
            True, messages.checking(self.path.name), PROGRESS_STEPS, on_cancel=self._cancel
        )
        run_in_background(
            lambda reporter: _probe(self.path, reporter, lambda: self._cancelled),
            on_progress=self.controller.report_progress,
            on_step=self._peeked,
            on_done=self._classified,
            on_error=self.failed,
        )

    def _cancel(self) -> None:
        """Cancel pressed: the check or upgrade stops at its next step (nothing is written)."""
        self._cancelled = True

    def _peeked(self, found: object) -> None:
        """The file said what it is before its full check: show it meanwhile."""
        progress = self.controller.progress
        if progress is not None and isinstance(found, Inspection):
            progress.setLabelText(messages.checking_document(self.path.name, found))

    def _classified(self, probe: object) -> None:
        self.controller.set_busy(False)
        assert isinstance(probe, _Probe)
        found = probe.inspection
        self.inspection = found
        state = found.state
        if state is State.CURRENT:
            self._open(found, self.read_only)
        elif state is State.OUTDATED:
            if self.quiet:
                self._upgrade(found, make_backup=True)
            else:
                self._offer_upgrade(found)
        elif self.quiet:
            self._finish_with_error(found.error())
        elif state is State.NEWER:
            self._offer_newer(found, probe.readable)
        elif state is State.TAMPERED:
            # Reading is safe; editing is not: shown read-only, as its clean copy (see the banner).
            self._open(found, read_only=True)
        elif state is State.CORRUPT:
            self._offer_repair(found)
        elif state is State.LOCKED and found.holder is None:
            self._offer_retry(found)
        else:
            self._refuse(found)

    # -- states that need a question ------------------------------------------------------------

    def _offer_upgrade(self, found: Inspection) -> None:
        from app.ui.dialogs.upgrade_dialog import UpgradeDialog  # noqa: PLC0415 - first use (start-up)

        dialog = UpgradeDialog(self.window_shown, found, backup_folder_for(found.path))

        def answered(result: int) -> None:
            if result:
                self._upgrade(found, make_backup=dialog.make_backup)
            else:
                self.end()

        self.controller.presenter.present(dialog, answered)

    def _offer_newer(self, found: Inspection, readable: OpenDocument | None) -> None:
        box = messages.inspection_box(self.window_shown, found, readable=readable is not None)

        def answered(_result: int) -> None:
            choice = box.choice
            if choice is Choice.OPEN_READ_ONLY and readable is not None:
                self.controller.set_document(readable)
                self.end()
                return
            if readable is not None:
                readable.close()
            self.refused(choice)

        self.controller.presenter.present(box, answered)

    def _refuse(self, found: Inspection) -> None:
        box = messages.inspection_box(self.window_shown, found)

        def answered(_result: int) -> None:
            choice = box.choice
            if choice is Choice.OPEN_READ_ONLY:
                self._open(found, read_only=True)
            elif choice is Choice.MAKE_NEW:
                self._make_new(found.path)
            else:
                self.refused(choice)

        self.controller.presenter.present(box, answered)

    def _offer_repair(self, found: Inspection) -> None:
        DamagedFile(self, found).offer()

    def _offer_retry(self, found: Inspection) -> None:
        box = busy_elsewhere_box(self.window_shown, found)

        def answered(_result: int) -> None:
            if box.choice is Choice.RETRY:
                self.start()
            else:
                self.refused(box.choice)

        self.controller.presenter.present(box, answered)

    def refused(self, choice: Choice) -> None:
        self.end()
        if choice is Choice.CHOOSE_OTHER:
            self.choose_other_requested.emit()

    # -- work -----------------------------------------------------------------------------------

    def _make_new(self, path: Path) -> None:
        self.controller.set_busy(True, messages.making_document(path.name))

        def work(_reporter: Reporter) -> Inspection:
            create(path, path.stem, overwrite=True)
            return inspect(path)

        run_in_background(
            work, on_done=lambda found: self._open(found, False), on_error=self.failed
        )

    def _upgrade(self, found: Inspection, *, make_backup: bool) -> None:
        self._cancelled = False
        self.controller.set_busy(
            True,
            messages.upgrading(found.path.name, found.release),
            PROGRESS_STEPS,
            on_cancel=self._cancel,  # safe: the upgrade works on a copy
        )

        def work(reporter: Reporter) -> UpgradeResult:
            return upgrade(
                found.path,
                backup=make_backup,
                progress=reporter.step,
                work_progress=reporter.progress,
                cancelled=lambda: self._cancelled,
            )

        run_in_background(
            work,
            on_step=self._step,
            on_progress=self.controller.report_progress,
            on_done=self._upgraded,
            on_error=self._upgrade_failed,
        )

    def _step(self, step: object) -> None:
        progress = self.controller.progress
        if progress is None:
            return
        current: Step = step  # type: ignore[assignment]
        progress.setLabelText(
            messages.upgrade_step(self.path.name, current.number, current.total, current.release)
        )

    def _upgraded(self, result: object) -> None:
        self.controller.set_busy(False)
        assert isinstance(result, UpgradeResult)
        if not self.quiet:
            box = messages.upgraded_box(
                self.window_shown,
                self.path.name,
                result.from_release,
                result.to_release,
                result.backup,
            )
            self.after_open = box
        self.upgrade_result = result
        self._open(None, self.read_only)

    def _upgrade_failed(self, error: BaseException) -> None:
        self.controller.set_busy(False)
        if isinstance(error, UpgradeCancelled):  # the person's choice: nothing was changed
            self.end()
            return
        if self.quiet:
            self._finish_with_error(error)
            return
        crash.report(
            error,
            presenter=self.controller.presenter,
            then=self.end,
            box=lambda failed, log_path: messages.upgrade_failed_box(
                self.window_shown, self.path.name, failed, log_path
            ),
        )

    def _open(self, found: Inspection | None, read_only: bool) -> None:
        self.controller.set_busy(True, messages.opening(self.path.name))

        def work(reporter: Reporter) -> OpenDocument:
            return open_document(
                self.path, read_only=read_only, inspection=found, progress=reporter.progress
            )

        run_in_background(
            work,
            on_progress=self.controller.report_progress,
            on_done=self._opened,
            on_error=self.failed,
        )

    def _opened(self, document: object) -> None:
        self.controller.set_busy(False)
        assert isinstance(document, OpenDocument)
        self.controller.set_document(document)
        box = self.after_open
        if box is None:
            self.end()
            return
        result = self.upgrade_result

        def answered(_result: int) -> None:
            if box.choice is Choice.SHOW_IN_FOLDER and result is not None and result.backup:
                show_in_folder(result.backup)
            self.end()

        self.controller.presenter.present(box, answered)

    # -- endings --------------------------------------------------------------------------------

    def failed(self, error: BaseException) -> None:
        self.controller.set_busy(False)
        if isinstance(error, InspectionCancelled):  # the person's choice: nothing was opened
            self.end()
            return
        if self.quiet:
            self._finish_with_error(error)
            return
        if isinstance(error, DocumentInUse | UpgradeNeeded | DocumentTooNew) and not self._retried:
            # The file changed between the check and the open: classify it again (once).
            self._retried = True
            self.start()
            return
        crash.report(error, presenter=self.controller.presenter, then=self.end)

    def _finish_with_error(self, error: BaseException) -> None:
        """Quietly (``--smoke``): keep the error for the caller, logged when it is ours."""
        crash.log_if_ours(error)
        self.error = error
        self.end()

    def request_open(self, path: Path) -> None:
        """Ask the window to open ``path`` (a clean copy just saved), once this flow has ended."""
        self.open_requested.emit(path)

    def end(self) -> None:
        self.ended.emit()
