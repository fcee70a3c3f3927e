"""Tools ▸ External Programs of one window: the menu, the output dock, and one run at a time.

The menu is filled each time it opens (the configuration may have changed), never at start: the
programs are the domain layer's, and the first window appears without loading it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow

from app.ui import messages
from app.ui.actions import Actions
from app.ui.document_controller import DocumentController
from app.ui.programs.output_panel import OutputPanel

if TYPE_CHECKING:
    from app.domain.programs import ExternalProgram
    from app.ui.programs.runner import ProgramRun
    from app.ui.widgets.samples_panel import SamplesPanel


class ProgramsMenu(QObject):
    """Runs the configured programs on the selection (or the samples shown) of ``samples``."""

    #: The menu was filled again, or a run started or ended: the window updates its actions.
    changed = Signal()
    #: A run's program ended (``ProgramRun.program_ended``): its export can still be read.
    run_finished = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        controller: DocumentController,
        acts: Actions,
        samples: Callable[[], SamplesPanel],
    ) -> None:
        """``samples`` gives the window's samples list (made with its first document)."""
        super().__init__(window)
        self._window = window
        self._controller = controller
        self._acts = acts
        self._samples = samples
        self.run: ProgramRun | None = None
        self.panel = OutputPanel(window)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.panel.hide()
        toggle = self.panel.toggleViewAction()
        toggle.setText("Program &Output")
        acts.tools_menu.insertAction(acts.preferences, toggle)
        acts.preferences.triggered.connect(self.show_preferences)
        acts.programs_menu.aboutToShow.connect(self.fill_menu)
        self.panel.stop_button.clicked.connect(self.stop)

    def fill_menu(self) -> None:
        menu = self._acts.programs_menu
        from app.ui.programs.settings import load_programs  # noqa: PLC0415 - see the docstring

        menu.clear()
        programs = load_programs()
        for program in programs:
            action = menu.addAction(program.name)
            action.setData(program.name)
            action.setStatusTip(program.command)
            action.triggered.connect(lambda _checked=False, p=program: self.start(p))
        if not programs:
            menu.addAction(messages.NO_PROGRAMS).setEnabled(False)
        menu.addSeparator()
        menu.addAction("Configure…").triggered.connect(self.show_preferences)
        self.changed.emit()

    def set_enabled(self, can_run: bool) -> None:
        """Enable the entries that run a program (not "Configure…")."""
        for action in self._acts.programs_menu.actions():
            if action.data() is not None:
                action.setEnabled(can_run and self.run is None)

    def show_preferences(self) -> None:
        from app.ui.programs.preferences import PreferencesDialog  # noqa: PLC0415 - first use (start-up)

        dialog = PreferencesDialog(self._window)
        self._controller.presenter.present(dialog, lambda _result: self.fill_menu())

    def start(self, program: ExternalProgram) -> ProgramRun | None:
        """Run ``program`` on the selected samples, or the ones shown when none is selected."""
        c = self._controller
        if c.document is None or c.busy or self.run is not None:
            return None
        # Loaded by the menu's first run (start-up: see the docstring).
        from app.domain.filter_words import describe_filter  # noqa: PLC0415
        from app.domain.filters import SampleFilter  # noqa: PLC0415

        samples = self._samples()
        ids = samples.selected_ids()
        if ids:
            sample_filter = SampleFilter(ids=tuple(ids))
            description = messages.selected_samples(len(ids)).lower()
        else:
            sample_filter = samples.model.filter
            description = f"the {messages.plural(samples.model.total, 'sample')} shown"
            if sample_filter != SampleFilter():
                description += f" ({describe_filter(sample_filter)})"
        from app.ui.programs.runner import ProgramRun  # noqa: PLC0415 - first use (start-up)

        run = ProgramRun(c, self.panel, program, sample_filter, description)
        self.run = run

        def ended() -> None:
            self.run = None
            run.deleteLater()
            self.changed.emit()

        run.ended.connect(ended)
        run.program_ended.connect(self.run_finished.emit)
        first_time = self.panel.isHidden()
        if not run.start():
            self.run = None
            run.deleteLater()
            return None
        if first_time:
            self._window.resizeDocks([self.panel], [220], Qt.Orientation.Vertical)
        self.changed.emit()
        return run

    def stop(self) -> None:
        """The Stop button: stop the running program."""
        if self.run is not None:
            self.run.stop()

    def abandon(self) -> None:
        """The window is closing: stop a running program now and clean up its export."""
        if self.run is not None:
            self.run.abandon()
