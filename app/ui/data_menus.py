"""Data in and out of one window: File ▸ Import… and Export Table…, Tools ▸ Merge Results…,
View ▸ Plot, Ctrl+V on the samples list and on a sample's measurements, and the offer to bring back a program's results.

``DataMenus(window)`` adds all of it to a main window, given its menus, controller, samples
panel and programs menu; nothing else in the window needs to know about it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStatusBar

from app.ui.actions import Actions
from app.ui.document_controller import DocumentController
from app.ui.plot.dock import PlotDock
from app.ui.programs.menu import ProgramsMenu

if TYPE_CHECKING:
    from app.ui.document_page import DocumentPage
    from app.ui.export_table.flow import ExportTableFlow
    from app.ui.importing.flow import ImportFlow
    from app.ui.merging.flow import MergeFlow
    from app.ui.programs.runner import ProgramRun


class DataWindow(Protocol):
    """What the data menus need from the main window (``MainWindow`` has all of it)."""

    controller: DocumentController
    acts: Actions
    programs: ProgramsMenu

    @property
    def page(self) -> DocumentPage: ...

    def statusBar(self) -> QStatusBar: ...


def _menu(window: QMainWindow, title: str, before: str | None = None) -> QMenu:
    """The menu bar's menu called ``title`` (made, before the menu ``before``, if missing)."""
    bar = window.menuBar()
    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title.replace("&", ""):
            return menu
    menu = QMenu(title, window)
    anchor = next(
        (a for a in bar.actions() if before and a.text().replace("&", "") == before), None
    )
    if anchor is not None:
        bar.insertMenu(anchor, menu)
    else:
        bar.addMenu(menu)
    return menu


class DataMenus(QObject):
    def __init__(self, window: QMainWindow, host: DataWindow) -> None:
        super().__init__(window)
        self.window = window
        self.host = host
        self.controller = host.controller
        self.flow: QObject | None = None
        file_menu = _menu(window, "&File")
        self.import_action = self._action("&Import…", "Ctrl+Shift+I", "import")
        self.export_table_action = self._action("Export &Table…", "Ctrl+Shift+E", "exportTable")
        self.merge_action = self._action("&Merge Results…", None, "mergeResults")
        anchor = host.acts.properties
        file_menu.insertActions(anchor, [self.import_action, self.export_table_action])
        file_menu.insertSeparator(anchor)
        tools = host.acts.tools_menu
        tools.insertAction(host.acts.preferences, self.merge_action)
        tools.insertSeparator(host.acts.preferences)
        self.plot = PlotDock(window, self.controller)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.plot)
        self.plot.hide()
        self.plot_action = self.plot.toggleViewAction()
        self.plot_action.setText("&Plot")
        self.plot_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.plot_action.setObjectName("plot")
        _menu(window, "&View", before="Tools").addAction(self.plot_action)

        self.import_action.triggered.connect(self.import_file)
        self.export_table_action.triggered.connect(self.export_table)
        self.merge_action.triggered.connect(self.merge_results)
        self.controller.state_changed.connect(self.update_actions)
        self.controller.busy_changed.connect(lambda _busy: self.update_actions())
        host.programs.run_finished.connect(self.offer_results)
        self.update_actions()

    def attach(self, page: DocumentPage) -> None:
        """Serve the window's document page, once it has one (``MainWindow.page``)."""
        self.plot.follow(page.samples)
        # Ctrl+V and Edit ▸ Paste on the list go through the window's clipboard actions to this.
        page.samples.table.paste_handler = self.paste_into_list
        page.detail.measurements_grid.paste_handler = self.paste_into_sample

    def _action(self, text: str, shortcut: str | None, name: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setObjectName(name)
        return action

    def update_actions(self) -> None:
        c = self.controller
        document = c.document is not None
        editable = document and not c.read_only and not c.busy and self.flow is None
        self.import_action.setEnabled(editable)
        self.merge_action.setEnabled(editable)
        self.export_table_action.setEnabled(document and not c.busy and self.flow is None)

    # -- the flows ------------------------------------------------------------------------------

    def _run(self, flow: ImportFlow | ExportTableFlow | MergeFlow) -> None:
        self.flow = flow

        def ended() -> None:
            if self.flow is flow:
                self.flow = None
            flow.deleteLater()
            self.update_actions()

        flow.ended.connect(ended)
        flow.status.connect(lambda text: self.host.statusBar().showMessage(text, 10_000))
        self.update_actions()
        flow.start()

    # The flows load when first used: importing them at start costs the window ~60 ms.

    def import_file(self) -> None:
        from app.ui.importing.flow import ImportFlow  # noqa: PLC0415

        if self.flow is None:
            self._run(ImportFlow(self.controller))

    def export_table(self) -> None:
        from app.ui.export_table.flow import ExportTableFlow  # noqa: PLC0415

        if self.flow is None:
            samples = self.host.page.samples
            self._run(
                ExportTableFlow(
                    self.controller,
                    selected_ids=samples.selected_ids(),
                    shown=samples.model.filter,
                )
            )

    def merge_results(self) -> None:
        from app.ui.merging.flow import MergeFlow  # noqa: PLC0415

        if self.flow is None:
            self._run(MergeFlow(self.controller))

    def offer_results(self, run: ProgramRun) -> None:
        """A program run ended: offer its export's new measurements (the run waits for it)."""
        if run.export is None:
            return
        if self.flow is not None or self.controller.read_only or self.controller.busy:
            return
        from app.ui.merging.flow import MergeFlow  # noqa: PLC0415

        run.hold_export()
        flow = MergeFlow(self.controller, run.export.path, offer=True)
        # Results the person did not bring back now stay in the kept export, for later.
        flow.ended.connect(lambda: run.release_export(keep=flow.declined))
        self._run(flow)

    def paste_into_list(self, text: str) -> None:
        from app.ui.paste import paste_samples  # noqa: PLC0415

        if self.flow is None:
            paste_samples(self.host, text)

    def paste_into_sample(self, sample_id: int, text: str) -> None:
        from app.ui.paste import paste_measurements  # noqa: PLC0415

        if self.flow is None:
            paste_measurements(self.host, sample_id, text)
