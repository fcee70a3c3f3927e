"""The main window: one document, its samples on the left and the selected sample on the right."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from app import APP_NAME
from app.ui import actions as action_module
from app.ui import keyboard_undo, messages, recent
from app.ui.closing_exports import ClosingExports
from app.ui.data_menus import DataMenus
from app.ui.document_controller import DocumentController
from app.ui.messages.documents import title_note
from app.ui.older_copy.entry import OlderCopyEntry
from app.ui.presenter import Presenter
from app.ui.programs.menu import ProgramsMenu
from app.ui.resources import app_icon_path
from app.ui.temporary_exports import TemporaryExports
from app.ui.toolbar import build_toolbar, give_icons
from app.ui.widgets.focus_return import FocusReturn
from app.ui.widgets.status_line import StatusLine
from app.ui.widgets.welcome import Welcome
from app.ui.window_editing import WindowEditing
from app.ui.window_geometry import fit_to_screen, split_widths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSplitter

    from app.ui.document_page import DocumentPage
    from app.ui.export.flow import ExportFlow
    from app.ui.programs.runner import ProgramRun
    from app.ui.widgets.banner import Banner
    from app.ui.widgets.sample_detail import SampleDetail
    from app.ui.widgets.samples_panel import SamplesPanel

#: How long a passing remark stays in the status bar.
REMARK_MS = 10_000

#: Every open main window (a window removes itself when it closes).
windows: list[MainWindow] = []


def app_icon() -> QIcon:
    path = app_icon_path()
    return QIcon(str(path)) if path is not None else QIcon()


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.presenter = Presenter(self)
        self.controller = DocumentController(self, self.presenter)
        self._close_confirmed = False
        self.closing_exports = ClosingExports(self, self, find_window_showing)
        self.export_flow: ExportFlow | None = None

        stack = self.controller.undo_stack
        self.acts = action_module.build(
            self, stack.createUndoAction(self, "&Undo"), stack.createRedoAction(self, "&Redo")
        )
        give_icons(self.acts)
        self.toolbar = build_toolbar(self, self.acts)
        keyboard_undo.install()
        self._build_central()
        self.status = StatusLine(
            self.statusBar(), self.controller, lambda: self.samples.model.total
        )
        self.format_label = self.status.format_label
        self.counts_label = self.status.counts_label
        self.state_label = self.status.state_label
        self.programs = ProgramsMenu(self, self.controller, self.acts, lambda: self.samples)
        self.program_panel = self.programs.panel
        self.editing_features = WindowEditing(
            self,
            self.controller,
            self.acts,
            lambda: self.page,
            remark=self.remark,
            store_field=self._store_field_being_edited,
        )
        self.data = DataMenus(self, self)  # Import, Export Table, Merge Results, Plot, paste
        self._connect()
        fit_to_screen(self)
        windows.append(self)
        self._document_changed()

    # -- construction ---------------------------------------------------------------------------

    def _build_central(self) -> None:
        self.welcome = Welcome()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.setCentralWidget(self.pages)
        self.focus_return = FocusReturn(self, self.pages)
        self._page: DocumentPage | None = None

    @property
    def page(self) -> DocumentPage:
        """The document's page (the banner, the samples, the selected sample), made when first
        needed: the first window shows the welcome page only, and appears sooner without it."""
        if self._page is None:
            from app.ui.document_page import DocumentPage  # noqa: PLC0415 - start-up, as above

            page = self._page = DocumentPage(self.controller)
            self.pages.addWidget(page)
            page.splitter.setSizes(split_widths(self.width()))
            self.focus_return.watch(page.detail)
            self.editing_features.attach(page)
            self.data.attach(page)
            self._connect_page(page)
        return self._page

    @property
    def samples(self) -> SamplesPanel:
        return self.page.samples

    @property
    def detail(self) -> SampleDetail:
        return self.page.detail

    @property
    def banner(self) -> Banner:
        return self.page.banner

    @property
    def splitter(self) -> QSplitter:
        return self.page.splitter

    def _connect(self) -> None:
        a = self.acts
        c = self.controller
        # Connected first, so these run before the document work they start: a field still being
        # typed in is stored first (it is stored when it loses focus), not silently left out.
        for action in (a.new, a.open, a.save, a.save_as, a.revert, a.properties, a.export_subset):
            action.triggered.connect(self._store_field_being_edited)
        for action in (a.close, a.quit):
            action.triggered.connect(self._store_field_being_edited)
        a.programs_menu.aboutToShow.connect(self._store_field_being_edited)
        a.new.triggered.connect(c.new)
        a.open.triggered.connect(c.open_dialog)
        a.save.triggered.connect(lambda: c.save())  # noqa: PLW0108 - drop `checked`
        a.save_as.triggered.connect(lambda: c.save_as_dialog())  # noqa: PLW0108
        a.save_clean_copy.triggered.connect(lambda: c.save_clean_copy_dialog())  # noqa: PLW0108
        a.revert.triggered.connect(c.revert)
        self.older_copy = OlderCopyEntry(c, a.revert, self._store_field_being_edited)
        a.properties.triggered.connect(self.show_properties)
        a.export_subset.triggered.connect(self.export_subset)
        a.close.triggered.connect(self.close_document)
        a.quit.triggered.connect(quit_all)
        a.new_sample.triggered.connect(self._store_field_being_edited)
        a.find.triggered.connect(self._focus_search)
        a.about.triggered.connect(self.show_about)
        a.recent_menu.aboutToShow.connect(lambda: recent.fill_menu(a.recent_menu, c.open_path))
        self.welcome.new_requested.connect(c.new)
        self.welcome.open_requested.connect(c.open_dialog)
        self.welcome.recent_requested.connect(c.open_path)
        c.document_changed.connect(self._document_changed)
        c.document_reloaded.connect(self._document_reloaded)
        c.state_changed.connect(self._state_changed)
        c.data_changed.connect(self._data_changed)
        c.busy_changed.connect(lambda _busy: self._state_changed())
        c.busy_changed.connect(self._make_page_meanwhile)
        self.programs.changed.connect(self._update_actions)
        c.find_open_window = find_window_showing

    def _connect_page(self, page: DocumentPage) -> None:
        a, e = self.acts, page.editing
        a.new_sample.triggered.connect(e.new_sample)
        a.delete_samples.triggered.connect(e.delete_samples)
        a.add_measurement.triggered.connect(e.add_measurement)
        a.delete_measurements.triggered.connect(e.delete_measurements)
        page.samples.selection_changed.connect(self._selection_changed)
        page.samples.model.total_changed.connect(lambda _total: self.status.count_later())
        page.detail.measurements_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_actions()
        )
        # The Delete key deletes what is selected in the table that has the focus.
        for table, slot in (
            (page.samples.table, e.delete_samples),
            (page.detail.measurements_table, e.delete_measurements),
        ):
            shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # -- reacting to the document ---------------------------------------------------------------

    def _make_page_meanwhile(self, busy: bool) -> None:
        """Make the document page while the first document is read on a worker, not after it."""
        if busy and self._page is None:
            self.page  # noqa: B018 - made, not used yet

    def _document_changed(self) -> None:
        document = self.controller.document
        if document is None:
            if self._page is not None:
                self._page.samples.show_document()
            self.pages.setCurrentWidget(self.welcome)
            self.welcome.refresh()
        else:
            page = self.page
            page.samples.show_document()
            self.pages.setCurrentWidget(page)
            page.samples.select_row(0)
        self._selection_changed()
        self._state_changed()

    def _document_reloaded(self) -> None:
        """The file was read again (it changed on disk): keep the place in the list."""
        selected = self.samples.selected_ids()
        self.samples.reload(select=selected[0] if selected else None)
        self._selection_changed()

    def _state_changed(self) -> None:
        document = self.controller.document
        if document is None:
            self.setWindowTitle(APP_NAME)
            self.setWindowModified(False)
            self.setWindowFilePath("")
            if self._page is not None:
                self._page.banner.show_for(None)
        else:
            title = f"{self.controller.title}{title_note(document)}"
            self.setWindowTitle(messages.window_title(title, document.read_only))
            self.setWindowModified(self.controller.modified)
            self.setWindowFilePath(str(document.path) if document.path else "")
            self.banner.show_for(document)
        self.status.show_state()
        self.focus_return.set_busy(self.controller.busy)
        self._update_actions()

    def _update_actions(self) -> None:
        c = self.controller
        document = c.document
        page = self._page  # none before the first document: nothing in it to act on
        action_module.update(
            self.acts,
            action_module.WindowState(
                has_document=document is not None,
                read_only=c.read_only,
                clean_view=document is not None and document.clean_view is not None,
                busy=c.busy,
                modified=c.modified,
                has_file=document is not None and document.path is not None,
                has_sample=page is not None and page.detail.sample is not None,
                samples_selected=page is not None and bool(page.samples.selected_ids()),
                measurements_selected=(
                    page is not None and bool(page.detail.selected_measurement_ids())
                ),
                can_undo=c.undo_stack.canUndo(),
                can_redo=c.undo_stack.canRedo(),
                has_tags=page is not None and page.samples.tag_filter.list.count() > 0,
            ),
        )
        self.programs.set_enabled(document is not None and not c.busy)

    def _selection_changed(self) -> None:
        if self._page is None:
            self._update_actions()
            return
        ids = self.samples.selected_ids()
        shown = self.detail.sample.id if self.detail.sample is not None else None
        if len(ids) > 1:
            self.detail.show_several(len(ids))
        elif not ids:
            read_only = self.controller.read_only
            empty = self.controller.document is not None and not read_only
            self.detail.show_nothing(document_empty=empty and self.samples.document_is_empty())
        elif ids[0] != shown:
            self.detail.show_sample(ids[0])
        self._update_actions()

    def _data_changed(self, kind: str, ids: tuple[int, ...]) -> None:
        model = self.samples.model
        was_at = min((row for i in ids if (row := model.row_of(i)) is not None), default=0)
        if kind == "samples":
            self.samples.refresh_tags()
            self.samples.reload()
            self.detail.refresh()
        elif kind in ("sample", "measurements", "tags"):
            for sample_id in ids:
                self.samples.model.refresh_sample(sample_id)
            if kind == "tags":
                self.samples.refresh_tags()
            shown = self.detail.sample
            if shown is not None and shown.id in ids:
                self.detail.refresh()
        if kind != "title":
            self._show_changed(ids)
        if not self.samples.selected_ids() and model.rowCount():
            # What was selected is gone (an undone New Sample, say): its neighbour takes its place.
            self.samples.select_row(min(was_at, model.rowCount() - 1))
        self.status.count_later()
        self._update_actions()

    def _show_changed(self, ids: tuple[int, ...]) -> None:
        """A new or changed sample is always shown and selected: the filter is cleared as far
        as needed (and the status bar says so), and the list loads down to it."""
        remark = self.samples.show_samples(ids)
        if remark:
            self.remark(remark)

    def remark(self, text: str) -> None:
        """A passing remark in the status bar (what just happened, or why nothing did)."""
        self.statusBar().showMessage(text, REMARK_MS)

    def _store_field_being_edited(self) -> None:
        self.focus_return.take_focus()  # and back once the action (Save: its worker) is done

    def _focus_search(self) -> None:
        self.samples.search.setFocus()
        self.samples.search.selectAll()

    # -- dialogs --------------------------------------------------------------------------------

    def show_properties(self) -> None:
        from app.ui.dialogs.properties_dialog import edit_properties  # noqa: PLC0415 - first use (start-up)

        edit_properties(self, self.controller)

    def show_about(self) -> None:
        from app.ui.dialogs.about_dialog import about_box  # noqa: PLC0415 - first use (start-up)

        self.presenter.present(about_box(self))

    # -- export and external programs ----------------------------------------------------------

    def export_subset(self) -> None:
        if self.controller.document is None or self.controller.busy or self.export_flow:
            return
        from app.ui.export.flow import ExportFlow  # noqa: PLC0415 - first use (start-up)

        flow = ExportFlow(
            self.controller,
            selected_ids=self.samples.selected_ids(),
            shown=self.samples.model.filter,
            open_document=self.open_in_new_window,
            is_open=lambda path: find_window_showing(path) is not None,
        )
        self.export_flow = flow

        def ended() -> None:
            self.export_flow = None
            flow.deleteLater()

        flow.ended.connect(ended)
        flow.status.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        flow.start()

    @property
    def temporary_exports(self) -> TemporaryExports:
        return self.controller.temporary_exports

    @property
    def program_run(self) -> ProgramRun | None:
        """The external program running for this window, if any."""
        return self.programs.run

    def open_in_new_window(self, path: Path) -> None:
        showing = find_window_showing(path)
        if showing is not None:
            showing.raise_()
            showing.activateWindow()
            return
        window = MainWindow()
        window.show()
        window.controller.open_path(path)

    # -- closing --------------------------------------------------------------------------------

    def close_document(self) -> None:
        self.controller.close_document()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._store_field_being_edited()
        if self.controller.busy:
            event.ignore()
            return
        if self.closing_exports.ask_first(self.close):
            event.ignore()
            return
        if self._close_confirmed or not self.controller.modified:
            self.programs.abandon()
            self.controller.discard_and_close()
            self.closing_exports.remove()
            if self in windows:
                windows.remove(self)
            event.accept()
            return
        event.ignore()
        self.controller.confirm_discard(self._confirmed_close)

    def _confirmed_close(self) -> None:
        self._close_confirmed = True
        self.close()

    # -- drag and drop --------------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile():
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.controller.open_path(path)


def find_window_showing(path: Path) -> MainWindow | None:
    """The window that has the document at ``path`` open, if any."""
    wanted = Path(path).absolute()
    for window in windows:
        document = window.controller.document
        if document is not None and document.path is not None and document.path == wanted:
            return window
    return None


def quit_all() -> None:
    """Quit: close every window; each asks about its unsaved changes (Cancel keeps it open)."""
    for window in list(windows):
        window.close()


__all__ = ["MainWindow", "find_window_showing", "quit_all", "windows"]
