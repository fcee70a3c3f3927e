"""The document a window shows, and the flows that change it: new, open, save, revert, close.

Every flow that can take long runs its disk work in a worker (``workers``) and asks its questions
through the window's ``Presenter`` (never a nested event loop). Unsaved changes are asked about
before New, Open, Revert, Close and Quit.

The threading rule (``OpenDocument``): the document's connection is the GUI thread's, except while
a worker saves with it. The GUI reads it only through ``connection`` and ``title`` here, which
assert both halves of that rule, so a view that reads at the wrong moment fails loudly in tests.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from app.document import DocumentError, OpenDocument, Reload, new_document
from app.ui import crash, messages, recent, save_dialogs
from app.ui.choice_box import Choice
from app.ui.file_watch import FileWatch
from app.ui.open_flow import OpenFlow
from app.ui.presenter import Presenter
from app.ui.progress import progress_dialog, report
from app.ui.temporary_exports import TemporaryExports
from app.ui.workers import Reporter, run_in_background

if TYPE_CHECKING:
    from app.ui.undo import DocumentCommand

log = logging.getLogger(__name__)

Then = Callable[[], None] | None


class DocumentController(QObject):
    """Owns the open document (if any), its undo stack, and the file flows of one window."""

    #: A different document (or none) is now shown.
    document_changed = Signal()
    #: Modified / read-only / path / title changed.
    state_changed = Signal()
    #: Data changed: kind ("samples", "sample", "measurements", "tags", "title") and sample ids.
    data_changed = Signal(str, tuple)
    #: Background document work started or ended.
    busy_changed = Signal(bool)
    #: A read-only document was read again because its file changed (the view keeps its place).
    document_reloaded = Signal()

    def __init__(self, window: QWidget, presenter: Presenter) -> None:
        super().__init__(window)
        self.window = window
        self.presenter = presenter
        self.document: OpenDocument | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(lambda _clean: self.state_changed.emit())
        self._modified_outside_stack = False
        self.busy = False
        #: A worker is saving with the document's connection: the GUI must not touch it.
        self._lent = False
        self.progress: QProgressDialog | None = None
        self._flows: list[QObject] = []
        #: Temporary exports this window made (removed when it closes, unless kept).
        self.temporary_exports = TemporaryExports()
        #: Finds the window that already shows a file (set by the window; None: not open).
        self.find_open_window: Callable[[Path], QWidget | None] = lambda _path: None
        #: The file dialog's starting folder (see ``start_folder``).
        self.last_folder = save_dialogs.default_folder()
        #: Tells when the document's file changes behind this window's back.
        self.file_watch = FileWatch(self)
        self.file_watch.changed.connect(self._file_changed)

    # -- state ----------------------------------------------------------------------------------

    @property
    def modified(self) -> bool:
        """Unsaved changes: edits since the last save, or recovered work never saved."""
        if self.document is None:
            return False
        return self._modified_outside_stack or not self.undo_stack.isClean()

    def _check_threading_rule(self) -> None:
        assert QThread.currentThread() is self.thread(), (
            "the document's connection is read on the GUI thread only"
        )
        assert not self._lent, "a worker is saving with the document's connection"

    @property
    def connection(self) -> sqlite3.Connection | None:
        """The open document's connection, for the GUI thread's reads and edits."""
        self._check_threading_rule()
        return self.document.connection if self.document is not None else None

    @property
    def title(self) -> str:
        """The open document's title (read from its connection, so under the same rule)."""
        self._check_threading_rule()
        return self.document.title if self.document is not None else ""

    @property
    def read_only(self) -> bool:
        return self.document is not None and self.document.read_only

    def set_busy(
        self,
        busy: bool,
        label: str = "",
        maximum: int = 0,
        *,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        """Mark background document work; ``on_cancel`` gives the progress dialog a Cancel button."""
        self.busy = busy
        if busy:
            if self.progress is None:
                self.progress = progress_dialog(self.window, label, maximum, on_cancel=on_cancel)
            else:
                self.progress.setLabelText(label)
                self.progress.setRange(0, maximum)
        elif self.progress is not None:
            self.progress.reset()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None
        self.busy_changed.emit(busy)

    def report_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            report(self.progress, done, total)

    def notify(self, kind: str, ids: tuple[int, ...]) -> None:
        """Commands call this after changing the document (views refresh from it)."""
        self.data_changed.emit(kind, ids)
        self.state_changed.emit()

    # -- installing a document ------------------------------------------------------------------

    def set_document(self, document: OpenDocument | None) -> None:
        """Show ``document`` (replacing and closing the current one, already confirmed)."""
        previous = self.document
        self.undo_stack.clear()
        self.document = document
        self._modified_outside_stack = bool(document and document.modified)
        if previous is not None and previous is not document:
            self._close_quietly(previous)
        self._remember(document)
        self.document_changed.emit()
        self.state_changed.emit()

    def _remember(self, document: OpenDocument | None) -> None:
        """Watch the document's file; a real one goes into Open Recent and the dialogs' folder."""
        self.file_watch.watch(document.path if document is not None else None)
        if document is None or document.path is None or document.is_temporary_export:
            return
        recent.add_recent(document.path)
        self.last_folder = document.path.parent

    @staticmethod
    def _close_quietly(document: OpenDocument) -> None:
        try:
            document.close()
        except (OSError, sqlite3.Error):  # pragma: no cover - the working copy is already gone
            log.exception("closing the working copy failed")

    # -- editing --------------------------------------------------------------------------------

    def perform(self, command: DocumentCommand) -> DocumentError | None:
        """Apply ``command`` and put it on the undo stack; returns the error if it was refused."""
        if self.document is None or self.document.read_only or self.busy:
            return None
        try:
            command.apply()
        except DocumentError as error:
            return error
        command.skip_next_redo = True
        self.undo_stack.push(command)
        self.notify(command.kind, command.changed_ids())
        return None

    def record(self, command: DocumentCommand) -> None:
        """Put an edit that was already applied (in a worker) on the undo stack."""
        command.skip_next_redo = True
        self.undo_stack.push(command)
        self.notify(command.kind, command.changed_ids())

    # -- asking about unsaved changes -----------------------------------------------------------

    def confirm_discard(self, then: Callable[[], None]) -> None:
        """Run ``then`` once unsaved changes are saved or knowingly discarded (not on Cancel)."""
        if self.busy:
            return
        if not self.modified or self.document is None:
            then()
            return
        box = messages.unsaved_box(self.window, self.title)

        def answered(_result: int) -> None:
            choice = box.choice
            if choice is Choice.SAVE:
                self.save(then=then)
            elif choice is Choice.DISCARD:
                then()

        self.presenter.present(box, answered)

    # -- new / open -----------------------------------------------------------------------------

    def new(self) -> None:
        self.confirm_discard(self._new)

    def _new(self) -> None:
        self.set_busy(True, messages.creating_document())
        run_in_background(
            lambda _reporter: new_document(""),
            on_done=self._created,
            on_error=self._failed,
        )

    def _created(self, document: object) -> None:
        self.set_busy(False)
        assert isinstance(document, OpenDocument)
        self.set_document(document)

    def open_dialog(self) -> None:
        self.confirm_discard(self._choose_file_to_open)

    def _choose_file_to_open(self) -> None:
        dialog = self._file_dialog("Open Document", QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)

        def chosen(result: int) -> None:
            files = dialog.selectedFiles()
            if result and files and not self._bring_forward(Path(files[0])):
                self._open_path(Path(files[0]))

        self.presenter.present(dialog, chosen)

    def open_path(self, path: Path, *, read_only: bool = False) -> None:
        """Open ``path`` in this window (after asking about unsaved changes).

        A document this process already has open is not opened twice: its window comes forward.
        """
        if self._bring_forward(path):
            return

        def go() -> None:
            self._open_path(path, read_only=read_only)

        self.confirm_discard(go)

    def _bring_forward(self, path: Path) -> bool:
        showing = self.find_open_window(Path(path).absolute())
        if showing is None:
            return False
        showing.show()
        showing.raise_()
        showing.activateWindow()
        return True

    def _open_path(self, path: Path, *, read_only: bool = False, quiet: bool = False) -> OpenFlow:
        flow = OpenFlow(self, Path(path).absolute(), read_only=read_only, quiet=quiet, parent=self)
        self._flows.append(flow)
        flow.ended.connect(lambda: self._flows.remove(flow) if flow in self._flows else None)
        flow.open_requested.connect(self._open_path)
        flow.choose_other_requested.connect(self._choose_file_to_open)
        flow.start()
        return flow

    def open_quietly(self, path: Path) -> OpenFlow:
        """Open without questions: an outdated document is upgraded with a backup (``--smoke``)."""
        return self._open_path(path, quiet=True)

    @property
    def opening(self) -> bool:
        return bool(self._flows)

    # -- save -----------------------------------------------------------------------------------

    def save(self, then: Then = None) -> None:
        document = self.document
        if document is None or self.busy:
            return
        if document.clean_view is not None:
            save_dialogs.ask_save_clean_copy(self, then)
            return
        if document.path is None or document.read_only or document.is_temporary_export:
            # A temporary export lives in Samplebook's cache: saving keeps it somewhere real.
            save_dialogs.ask_save_as(self, then)
            return
        path = document.path

        def write() -> None:
            self._write(lambda reporter: document.save(reporter.progress), path, then)

        if document.changed_on_disk():
            save_dialogs.ask_save_over_changes(self, write, then)
        else:
            write()

    def save_as_dialog(self, then: Then = None) -> None:
        if self.document is not None and not self.busy:
            save_dialogs.ask_save_as(self, then)

    def save_clean_copy_dialog(self, then: Then = None) -> None:
        if self.document is not None and not self.busy:
            save_dialogs.ask_save_clean_copy(self, then)

    def save_as(self, path: Path, then: Then = None) -> None:
        document = self.document
        if document is None or self.busy:
            return
        if not path.suffix:
            path = path.with_suffix(".db")
        self._write(lambda reporter: document.save_as(path, reporter.progress), path, then)

    def _write(self, work: Callable[[Reporter], object], target: Path, then: Then) -> None:
        """Save in a worker, which uses the document's connection until it is done."""
        self.set_busy(True, messages.saving(target.name))
        self._lent = True
        run_in_background(
            work,
            on_progress=self.report_progress,
            on_done=lambda _result: self._saved(then),
            on_error=self._failed,
        )

    def edit_in_background(
        self,
        work: Callable[[Reporter], object],
        label: str,
        *,
        on_done: Callable[[object], None],
        on_error: Callable[[BaseException], None],
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        """Run a long edit (a big import) in a worker with the document's connection.

        Like a save, the worker has the connection to itself until it ends: the window is busy
        (nothing reads or edits meanwhile) and ``connection`` refuses the GUI thread. The
        callbacks run on the GUI thread once the connection is back.
        """
        self.set_busy(True, label, on_cancel=on_cancel)
        self._lent = True

        def finished(result: object) -> None:
            self._lent = False
            self.set_busy(False)
            on_done(result)

        def failed(error: BaseException) -> None:
            self._lent = False
            self.set_busy(False)
            on_error(error)

        run_in_background(work, on_progress=self.report_progress, on_done=finished, on_error=failed)

    def _saved(self, then: Then) -> None:
        self._lent = False
        self.set_busy(False)
        self._modified_outside_stack = False
        self.undo_stack.setClean()
        self._remember(self.document)
        self.state_changed.emit()
        if then is not None:
            then()

    # -- revert / close -------------------------------------------------------------------------

    def revert(self) -> None:
        document = self.document
        if document is None or document.path is None or not self.modified or self.busy:
            return
        box = messages.revert_box(self.window, self.title)

        def answered(_result: int) -> None:
            if box.choice is Choice.REVERT:
                self._revert(document)

        self.presenter.present(box, answered)

    def _revert(self, document: OpenDocument) -> None:
        self._read_again(document, self.set_document_reverted)

    def _file_changed(self) -> None:
        """The file changed on disk: a read-only window reads it again; an editable one asks
        before its next save (``save``)."""
        document = self.document
        if document is None or self.busy or not document.read_only:
            return
        if document.path is None or not document.changed_on_disk():
            return

        def reloaded() -> None:
            self.document_reloaded.emit()
            self.state_changed.emit()

        self._read_again(document, reloaded)

    def _read_again(self, document: OpenDocument, then: Callable[[], None]) -> None:
        """Read the document's file again into its working copy (revert, or reload)."""
        self.set_busy(True, messages.reverting(self.title))

        def prepared(reload: object) -> None:
            assert isinstance(reload, Reload)
            try:  # the swap of the connection happens here, on the thread that owns it
                document.finish_revert(reload)
            except Exception as error:
                self._failed(error)
                return
            self.set_busy(False)
            then()

        run_in_background(
            lambda _reporter: document.prepare_revert(), on_done=prepared, on_error=self._failed
        )

    def set_document_reverted(self) -> None:
        self.undo_stack.clear()
        self._modified_outside_stack = False
        self.document_changed.emit()
        self.state_changed.emit()

    def close_document(self, then: Then = None) -> None:
        def close() -> None:
            self.set_document(None)
            if then is not None:
                then()

        self.confirm_discard(close)

    def discard_and_close(self) -> None:
        """Close without asking (the person already answered)."""
        self.set_document(None)

    # -- errors ---------------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        self._lent = False
        self.set_busy(False)
        crash.report(error, presenter=self.presenter)

    def show_error(self, error: DocumentError, then: Then = None) -> None:
        """Tell the person why something they asked for was refused (the one error route)."""
        crash.report(error, presenter=self.presenter, then=then)

    # -- helpers --------------------------------------------------------------------------------

    def _file_dialog(self, caption: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        return save_dialogs.file_dialog(self, caption, mode)
