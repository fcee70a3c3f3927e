"""The main window: one document, its samples on the left and the selected sample on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.document.info import read_counts
from app.document.releases import HEAD_RELEASE
from app.domain.export import describe_filter
from app.domain.filters import SampleFilter
from app.domain.measurements import MeasurementFields, list_measurements, quantities
from app.domain.programs import ExternalProgram
from app.domain.sample_edits import SampleFields, next_free_code
from app.ui import actions as action_module
from app.ui import messages, recent
from app.ui.dialogs.about_dialog import about_box
from app.ui.dialogs.properties_dialog import PropertiesDialog
from app.ui.document_controller import DocumentController
from app.ui.export.flow import ExportFlow
from app.ui.presenter import Presenter
from app.ui.programs.output_panel import OutputPanel
from app.ui.programs.preferences import PreferencesDialog
from app.ui.programs.runner import ProgramRun
from app.ui.programs.settings import load_programs
from app.ui.resources import app_icon_path
from app.ui.undo import AddMeasurement, DeleteMeasurements, DeleteSamples, NewSample, SetTitle
from app.ui.widgets.banner import Banner
from app.ui.widgets.sample_detail import SampleDetail
from app.ui.widgets.samples_panel import SamplesPanel
from app.ui.widgets.welcome import Welcome

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
        self.export_flow: ExportFlow | None = None
        self.program_run: ProgramRun | None = None

        stack = self.controller.undo_stack
        self.acts = action_module.build(
            self, stack.createUndoAction(self, "&Undo"), stack.createRedoAction(self, "&Redo")
        )
        self._build_central()
        self._build_status_bar()
        self._build_program_panel()
        self._connect()
        self.resize(1180, 720)
        windows.append(self)
        self._document_changed()

    # -- construction ---------------------------------------------------------------------------

    def _build_central(self) -> None:
        self.welcome = Welcome()
        self.samples = SamplesPanel(lambda: self.controller.connection)
        self.detail = SampleDetail(self.controller)
        self.banner = Banner()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.samples)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 480])
        splitter.setChildrenCollapsible(False)
        document_page = QWidget()
        layout = QVBoxLayout(document_page)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(document_page)
        self.setCentralWidget(self.pages)

    def _build_status_bar(self) -> None:
        self.format_label = QLabel()
        self.counts_label = QLabel()
        self.state_label = QLabel()
        self.state_label.setObjectName("saveState")
        bar = self.statusBar()
        bar.addWidget(self.counts_label, 1)
        bar.addPermanentWidget(self.format_label)
        bar.addPermanentWidget(self.state_label)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(0)
        self._counts_timer.timeout.connect(self._update_counts)

    def _build_program_panel(self) -> None:
        self.program_panel = OutputPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.program_panel)
        self.program_panel.hide()
        toggle = self.program_panel.toggleViewAction()
        toggle.setText("Program &Output")
        self.acts.tools_menu.insertAction(self.acts.preferences, toggle)
        self._fill_programs_menu()

    def _connect(self) -> None:
        a = self.acts
        c = self.controller
        a.new.triggered.connect(c.new)
        a.open.triggered.connect(c.open_dialog)
        a.save.triggered.connect(lambda: c.save())  # noqa: PLW0108 - drop `checked`
        a.save_as.triggered.connect(lambda: c.save_as_dialog())  # noqa: PLW0108
        a.revert.triggered.connect(c.revert)
        a.properties.triggered.connect(self.show_properties)
        a.export_subset.triggered.connect(self.export_subset)
        a.preferences.triggered.connect(self.show_preferences)
        a.programs_menu.aboutToShow.connect(self._fill_programs_menu)
        self.program_panel.stop_button.clicked.connect(self._stop_program)
        a.close.triggered.connect(self.close_document)
        a.quit.triggered.connect(quit_all)
        a.new_sample.triggered.connect(self.new_sample)
        a.delete_samples.triggered.connect(self.delete_samples)
        a.add_measurement.triggered.connect(self.add_measurement)
        a.delete_measurements.triggered.connect(self.delete_measurements)
        a.find.triggered.connect(self._focus_search)
        a.about.triggered.connect(self.show_about)
        a.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.welcome.new_requested.connect(c.new)
        self.welcome.open_requested.connect(c.open_dialog)
        self.welcome.recent_requested.connect(c.open_path)
        self.banner.button.clicked.connect(lambda: c.save_as_dialog())  # noqa: PLW0108
        c.document_changed.connect(self._document_changed)
        c.state_changed.connect(self._state_changed)
        c.data_changed.connect(self._data_changed)
        c.busy_changed.connect(lambda _busy: self._state_changed())
        self.samples.selection_changed.connect(self._selection_changed)
        self.samples.model.total_changed.connect(lambda _total: self._counts_timer.start())
        self.detail.measurements_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_actions()
        )
        # The Delete key deletes what is selected in the table that has the focus.
        for table, slot in (
            (self.samples.table, self.delete_samples),
            (self.detail.measurements_table, self.delete_measurements),
        ):
            shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        c.find_open_window = find_window_showing

    # -- reacting to the document ---------------------------------------------------------------

    def _document_changed(self) -> None:
        document = self.controller.document
        self.samples.show_document()
        self.pages.setCurrentIndex(0 if document is None else 1)
        if document is None:
            self.welcome.refresh()
        else:
            self.samples.select_row(0)
        self._selection_changed()
        self._state_changed()

    def _state_changed(self) -> None:
        document = self.controller.document
        if document is None:
            self.setWindowTitle(APP_NAME)
            self.setWindowModified(False)
            self.setWindowFilePath("")
            self.format_label.setText("")
            self.counts_label.setText("")
            self.state_label.setText("")
            self.banner.hide()
        else:
            self.setWindowTitle(f"{self.controller.title}[*] — {APP_NAME}")
            self.setWindowModified(self.controller.modified)
            self.setWindowFilePath(str(document.path) if document.path else "")
            self.format_label.setText(f"Samplebook {HEAD_RELEASE} format")
            if document.read_only:
                self.state_label.setText(messages.READ_ONLY)
                self.banner.show_text(messages.read_only_banner(document.read_only_reason))
            else:
                self.banner.hide()
                self.state_label.setText(
                    messages.UNSAVED if self.controller.modified else messages.SAVED
                )
            self._counts_timer.start()
        self.pages.setEnabled(not self.controller.busy)
        self._update_actions()

    def _update_counts(self) -> None:
        if self.controller.busy:
            return  # a worker is using the document; counted again when it is done
        connection = self.controller.connection
        counts = read_counts(connection) if connection is not None else None
        if counts is None:
            self.counts_label.setText("")
            return
        shown = self.samples.model.total
        text = f"{counts.samples} samples · {counts.measurements} measurements · {counts.tags} tags"
        if shown != counts.samples:
            text += f"  —  {shown} shown"
        self.counts_label.setText(text)

    def _update_actions(self) -> None:
        c = self.controller
        a = self.acts
        has_document = c.document is not None
        editable = has_document and not c.read_only and not c.busy
        has_sample = self.detail.sample is not None
        a.save.setEnabled(has_document and not c.read_only and not c.busy)
        a.save_as.setEnabled(has_document and not c.busy)
        a.revert.setEnabled(
            has_document and c.modified and c.document is not None and c.document.path is not None
        )
        a.properties.setEnabled(has_document and not c.busy)
        a.export_subset.setEnabled(has_document and not c.busy)
        can_run = has_document and not c.busy and self.program_run is None
        for action in a.programs_menu.actions():
            if action.data() is not None:
                action.setEnabled(can_run)
        a.close.setEnabled(has_document)
        a.new_sample.setEnabled(editable)
        a.delete_samples.setEnabled(editable and bool(self.samples.selected_ids()))
        a.add_measurement.setEnabled(editable and has_sample)
        a.delete_measurements.setEnabled(
            editable and has_sample and bool(self.detail.selected_measurement_ids())
        )
        a.find.setEnabled(has_document)
        a.undo.setEnabled(editable and c.undo_stack.canUndo())
        a.redo.setEnabled(editable and c.undo_stack.canRedo())

    def _selection_changed(self) -> None:
        ids = self.samples.selected_ids()
        shown = self.detail.sample.id if self.detail.sample is not None else None
        wanted = ids[0] if len(ids) == 1 else None
        if wanted != shown or wanted is None:
            self.detail.show_sample(wanted)
        self._update_actions()

    def _data_changed(self, kind: str, ids: tuple[int, ...]) -> None:
        if kind == "samples":
            self.samples.refresh_tags()
            self.samples.reload(select=ids[0] if len(ids) == 1 else None)
            self.detail.refresh()
        elif kind in ("sample", "measurements", "tags"):
            for sample_id in ids:
                self.samples.model.refresh_sample(sample_id)
            if kind == "tags":
                self.samples.refresh_tags()
            shown = self.detail.sample
            if shown is not None and shown.id in ids:
                self.detail.refresh()
            elif len(ids) == 1:
                self.samples.select(ids[0])
        self._counts_timer.start()
        self._update_actions()

    # -- editing actions ------------------------------------------------------------------------

    def new_sample(self) -> None:
        connection = self.controller.connection
        if connection is None or self.controller.read_only:
            return
        fields = SampleFields(code=next_free_code(connection), name="New sample")
        command = NewSample(self.controller, fields)
        error = self.controller.perform(command)
        if error is not None:
            self.controller.show_error(error)
            return
        if command.sample_id is not None:
            self.samples.select(command.sample_id)
            self.detail.editors["name"].setFocus()
            editor = self.detail.editors["name"]
            if hasattr(editor, "selectAll"):
                editor.selectAll()

    def delete_samples(self) -> None:
        ids = tuple(self.samples.selected_ids())
        if not ids or self.controller.read_only:
            return
        row = self.samples.model.row_of(ids[0]) or 0
        error = self.controller.perform(DeleteSamples(self.controller, ids))
        if error is not None:
            self.controller.show_error(error)
            return
        self.samples.select_row(min(row, self.samples.model.rowCount() - 1))

    def add_measurement(self) -> None:
        connection = self.controller.connection
        sample = self.detail.sample
        if connection is None or sample is None or self.controller.read_only:
            return
        existing = list_measurements(connection, sample.id)
        if existing:
            quantity, unit = existing[-1].quantity, existing[-1].unit
        else:
            known = quantities(connection)
            quantity, unit = (known[0] if known else "value"), ""
        command = AddMeasurement(
            self.controller, sample.id, MeasurementFields(quantity=quantity, value=0.0, unit=unit)
        )
        error = self.controller.perform(command)
        if error is not None:
            self.controller.show_error(error)
            return
        if command.measurement_id is not None:
            row = self.detail.measurements.row_of(command.measurement_id)
            if row is not None:
                index = self.detail.measurements.index(row, 1)
                self.detail.measurements_table.setCurrentIndex(index)
                self.detail.measurements_table.edit(index)

    def delete_measurements(self) -> None:
        sample = self.detail.sample
        ids = self.detail.selected_measurement_ids()
        if sample is None or not ids:
            return
        error = self.controller.perform(DeleteMeasurements(self.controller, sample.id, ids))
        if error is not None:
            self.controller.show_error(error)

    def _focus_search(self) -> None:
        self.samples.search.setFocus()
        self.samples.search.selectAll()

    # -- dialogs --------------------------------------------------------------------------------

    def show_properties(self) -> None:
        document = self.controller.document
        if document is None:
            return
        connection = self.controller.connection
        assert connection is not None
        dialog = PropertiesDialog(self, document, connection, self.controller.title)

        def answered(result: int) -> None:
            if result and not document.read_only and dialog.title != self.controller.title:
                error = self.controller.perform(SetTitle(self.controller, dialog.title))
                if error is not None:
                    self.controller.show_error(error)

        self.presenter.present(dialog, answered)

    def show_about(self) -> None:
        self.presenter.present(about_box(self))

    def _fill_recent_menu(self) -> None:
        menu = self.acts.recent_menu
        menu.clear()
        files = recent.recent_files()
        for path in files:
            action = menu.addAction(path.name)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.controller.open_path(p))
        if not files:
            menu.addAction("No recent documents").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear Menu").triggered.connect(recent.clear_recent)

    # -- export and external programs ----------------------------------------------------------

    def export_subset(self) -> None:
        if self.controller.document is None or self.controller.busy or self.export_flow:
            return
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

    def open_in_new_window(self, path: Path) -> None:
        showing = find_window_showing(path)
        if showing is not None:
            showing.raise_()
            showing.activateWindow()
            return
        window = MainWindow()
        window.show()
        window.controller.open_path(path)

    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self)
        self.presenter.present(dialog, lambda _result: self._fill_programs_menu())

    def _fill_programs_menu(self) -> None:
        menu = self.acts.programs_menu
        menu.clear()
        programs = load_programs()
        for program in programs:
            action = menu.addAction(program.name)
            action.setData(program.name)
            action.setStatusTip(program.command)
            action.triggered.connect(lambda _checked=False, p=program: self.run_program(p))
        if not programs:
            menu.addAction(messages.NO_PROGRAMS).setEnabled(False)
        menu.addSeparator()
        menu.addAction("Configure…").triggered.connect(self.show_preferences)
        self._update_actions()

    def run_program(self, program: ExternalProgram) -> ProgramRun | None:
        """Run ``program`` on the selected samples, or the ones shown when none is selected."""
        c = self.controller
        if c.document is None or c.busy or self.program_run is not None:
            return None
        ids = self.samples.selected_ids()
        if ids:
            flt = SampleFilter(ids=tuple(ids))
            description = messages.selected_samples(len(ids)).lower()
        else:
            flt = self.samples.model.filter
            description = f"the {messages.plural(self.samples.model.total, 'sample')} shown"
            if flt != SampleFilter():
                description += f" ({describe_filter(flt)})"
        run = ProgramRun(c, self.program_panel, program, flt, description)
        self.program_run = run

        def ended() -> None:
            self.program_run = None
            run.deleteLater()
            self._update_actions()

        run.ended.connect(ended)
        first_time = self.program_panel.isHidden()
        if not run.start():
            self.program_run = None
            run.deleteLater()
            return None
        if first_time:
            self.resizeDocks([self.program_panel], [220], Qt.Orientation.Vertical)
        self._update_actions()
        return run

    def _stop_program(self) -> None:
        if self.program_run is not None:
            self.program_run.stop()

    def _remove_temporary_exports(self) -> None:
        """Delete this window's temporary exports nobody kept.

        One that another window has open is handed to that window, which removes it when it
        closes.
        """
        registry = self.controller.temporary_exports
        spare: list[Path] = []
        for path in registry.unkept():
            showing = find_window_showing(path)
            if showing is not None and showing is not self:
                showing.controller.temporary_exports.add(path)
                registry.forget(path)
                spare.append(path)
        registry.remove_unkept(spare)

    # -- closing --------------------------------------------------------------------------------

    def close_document(self) -> None:
        self.controller.close_document()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.busy:
            event.ignore()
            return
        if self._close_confirmed or not self.controller.modified:
            if self.program_run is not None:
                self.program_run.abandon()
            self.controller.discard_and_close()
            self._remove_temporary_exports()
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
