"""View ▸ Plot: a dock with the plot of one quantity across the samples shown (against the
collected-on date, or by sample), or the selected sample's measurements over time.

The plot library loads when the dock is first shown. Rows are read in a worker on its own
connection to the working copy (so unsaved edits show) and drawn on the GUI thread; while the
dock is hidden nothing is read. Edits, a new filter or selection redraw it shortly after.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.document import open_read_only
from app.ui import crash
from app.ui.document_controller import DocumentController
from app.ui.messages import data as said
from app.ui.plot.choices import EACH_UNIT, EVERY_QUANTITY
from app.ui.workers import Reporter, run_in_background

if TYPE_CHECKING:
    from app.domain.filters import SampleFilter
    from app.domain.plot_data import PlotRows
    from app.ui.plot.canvas import PlotCanvas
    from app.ui.plot.series import Prepared
    from app.ui.widgets.samples_panel import SamplesPanel

ACROSS = "across"
SAMPLE = "sample"
X_LABELS = {"date": "collected on", "sample": "sample", "time": "measured at"}


class PlotDock(QDockWidget):
    def __init__(self, parent: QWidget, controller: DocumentController) -> None:
        super().__init__("Plot", parent)
        self.setObjectName("plotDock")
        self.controller = controller
        #: The list whose samples are plotted (``follow``; the window's, once it shows a document).
        self.samples: SamplesPanel | None = None
        self.canvas: PlotCanvas | None = None
        self.rows: PlotRows | None = None
        self.prepared: Prepared | None = None
        self._generation = 0
        self.loading = False
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("plotMode")
        self.mode_combo.addItem("Across the samples shown", ACROSS)
        self.mode_combo.addItem("Selected sample over time", SAMPLE)
        self.quantity_combo = QComboBox()
        self.quantity_combo.setObjectName("plotQuantity")
        self.quantity_combo.setMinimumWidth(120)
        self.x_combo = QComboBox()
        self.x_combo.setObjectName("plotX")
        self.x_combo.addItem("against collected on", "date")
        self.x_combo.addItem("by sample", "sample")
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("plotUnit")
        self.save_button = QPushButton("Save…")
        self.save_button.setObjectName("plotSave")
        for widget in (self.mode_combo, self.quantity_combo, self.x_combo, self.unit_combo):
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        bar.addWidget(self.mode_combo)
        bar.addWidget(self.quantity_combo)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)
        second = QHBoxLayout()
        second.addWidget(self.x_combo)
        second.addWidget(self.unit_combo)
        second.addStretch(1)
        layout.addLayout(second)
        self.area = QVBoxLayout()
        layout.addLayout(self.area, 1)
        self.note = QLabel()
        self.note.setObjectName("plotNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.legend_note = QLabel(said.PLOT_MARKERS)
        self.legend_note.setStyleSheet("color: #555;")
        self.legend_note.setWordWrap(True)
        layout.addWidget(self.legend_note)
        self.setWidget(body)
        self.setMinimumWidth(380)

        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(200)
        self._later.timeout.connect(self.reload)
        self.mode_combo.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self.quantity_combo.currentIndexChanged.connect(lambda _i: self.reload_later())
        self.x_combo.currentIndexChanged.connect(lambda _i: self.redraw())
        self.unit_combo.currentIndexChanged.connect(lambda _i: self.redraw())
        self.save_button.clicked.connect(self.ask_save)
        controller.data_changed.connect(lambda _kind, _ids: self.reload_later())
        controller.document_changed.connect(self.reload_later)
        self._mode_changed()

    def follow(self, samples: SamplesPanel) -> None:
        """Plot the samples shown (or selected) in ``samples`` from now on."""
        self.samples = samples
        samples.model.modelReset.connect(self.reload_later)
        samples.selection_changed.connect(self._selection_changed)
        self.reload_later()

    # -- showing --------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.canvas is None:
            from app.ui.plot.canvas import PlotCanvas  # noqa: PLC0415 - pyqtgraph loads here

            self.canvas = PlotCanvas(self._tip)
            self.area.addWidget(self.canvas)
        self.reload_later()

    @property
    def mode(self) -> str:
        return str(self.mode_combo.currentData())

    def _mode_changed(self) -> None:
        """A sample's plot starts with every quantity; the plot across samples with one."""
        combo = self.quantity_combo
        combo.blockSignals(True)
        every = combo.findData(EVERY_QUANTITY)
        if self.mode == SAMPLE:
            if every < 0:
                combo.insertItem(0, "every quantity", EVERY_QUANTITY)
            combo.setCurrentIndex(0)
        elif every >= 0:
            combo.removeItem(every)
            combo.setCurrentIndex(0 if combo.count() else -1)
        combo.blockSignals(False)
        self.x_combo.setVisible(self.mode == ACROSS)
        self.reload_later()

    def _selection_changed(self) -> None:
        if self.mode == SAMPLE:
            self.reload_later()

    def reload_later(self) -> None:
        if self.isVisible():
            self._later.start()

    # -- reading --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the rows for the current choices in a worker, then draw them."""
        self._later.stop()
        document = self.controller.document
        samples = self.samples
        if document is None or samples is None or self.canvas is None or self.controller.busy:
            self._show(None, said.PLOT_NO_QUANTITY if document is not None else "")
            return
        self._generation += 1
        generation = self._generation
        work_path = document.work_path
        mode = self.mode
        wanted = self.quantity_combo.currentData()
        quantity = str(wanted) if wanted is not None else None
        sample_filter: SampleFilter = samples.model.filter
        ids = samples.selected_ids()
        sample_id = ids[0] if len(ids) == 1 else None
        self.loading = True
        # Here, not in the worker: on the GUI thread, when a plot is first asked for (start-up).
        from app.domain.plot_data import quantity_counts, quantity_rows, sample_rows  # noqa: PLC0415

        def work(_reporter: Reporter) -> tuple[list[tuple[str, int]], PlotRows | None]:
            connection = open_read_only(work_path)
            try:
                counts = quantity_counts(connection)
                names = [name for name, _ in counts]
                if mode == SAMPLE:
                    if sample_id is None:
                        return counts, None
                    chosen = None if quantity in (None, EVERY_QUANTITY) else quantity
                    return counts, sample_rows(connection, sample_id, chosen)
                chosen = quantity if quantity in names else (names[0] if names else None)
                if chosen is None:
                    return counts, None
                return counts, quantity_rows(connection, sample_filter, chosen)
            finally:
                connection.close()

        run_in_background(
            work,
            on_done=lambda result: self._read(generation, result),
            on_error=lambda error: self._failed(generation, error),
        )

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation and isValid(self):
            self.loading = False
            crash.report(error, presenter=self.controller.presenter)

    def _read(self, generation: int, result: object) -> None:
        if generation != self._generation or not isValid(self):  # the window closed meanwhile
            return
        self.loading = False
        assert isinstance(result, tuple)
        counts, rows = result
        self._fill_quantities(counts, rows)
        self.rows = rows
        if rows is None:
            text = said.PLOT_NO_SAMPLE if self.mode == SAMPLE and counts else said.PLOT_NO_QUANTITY
            self._show(None, text)
            return
        self._fill_units(rows)
        self.redraw()

    def _fill_quantities(self, counts: list[tuple[str, int]], rows: PlotRows | None) -> None:
        combo = self.quantity_combo
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        if self.mode == SAMPLE:
            combo.addItem("every quantity", EVERY_QUANTITY)
        for name, count in counts:
            combo.addItem(f"{name} ({count:,})", name)
        wanted = current if current is not None else (rows.quantity if rows else None)
        if rows is not None and self.mode == ACROSS:
            wanted = rows.quantity
        index = combo.findData(wanted)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _fill_units(self, rows: PlotRows) -> None:
        combo = self.unit_combo
        current = combo.currentData()
        counts = rows.unit_counts()
        combo.blockSignals(True)
        combo.clear()
        for unit, count in counts:
            combo.addItem(f"{unit or 'no unit'} ({count:,})", unit)
        if len(counts) > 1:
            combo.addItem("each unit its own series", EACH_UNIT)
        index = combo.findData(current) if current is not None else -1
        if (
            index < 0
            and self.mode == SAMPLE
            and self.quantity_combo.currentData() == EVERY_QUANTITY
        ):
            index = combo.findData(EACH_UNIT)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        combo.setVisible(len(counts) > 1)

    # -- drawing --------------------------------------------------------------------------------

    def redraw(self) -> None:
        from app.ui.plot.series import prepare  # noqa: PLC0415

        rows = self.rows
        if rows is None or self.canvas is None:
            return
        every = self.mode == SAMPLE and self.quantity_combo.currentData() == EVERY_QUANTITY
        x_kind = "time" if self.mode == SAMPLE else str(self.x_combo.currentData())
        unit = self.unit_combo.currentData()
        chosen = EACH_UNIT if every else (str(unit) if unit is not None else None)
        prepared = prepare(rows, x_kind, chosen, by_quantity=every)  # type: ignore[arg-type]
        self._show(prepared, "")

    def _show(self, prepared: Prepared | None, text: str) -> None:
        self.prepared = prepared
        canvas = self.canvas
        if canvas is None:
            return
        if prepared is None or not prepared.series:
            canvas.getPlotItem().clear()
            canvas.legend.clear()
            canvas.scatters = []
            if prepared is not None:
                text = self._notes(prepared) or said.PLOT_EMPTY
            self.note.setText(text)
            self.save_button.setEnabled(False)
            return
        canvas.draw(prepared, X_LABELS[prepared.x_kind])
        self.note.setText(self._notes(prepared))
        self.save_button.setEnabled(True)

    def _notes(self, prepared: Prepared) -> str:
        parts = []
        if prepared.other_units and prepared.shown_unit is not None:
            parts.append(said.plot_other_units(prepared.shown_unit, prepared.other_units))
        elif len(prepared.units) > 1:
            parts.append(said.plot_each_unit(prepared.units))
        left_out = said.plot_not_plotted(
            prepared.not_detected, prepared.undated, prepared.not_detected_count
        )
        if left_out:
            parts.append(left_out)
        return " ".join(parts)

    def _tip(self, index: int) -> str:
        from app.ui.plot.series import tip  # noqa: PLC0415

        return tip(self.rows, index) if self.rows is not None else ""

    # -- saving ---------------------------------------------------------------------------------

    def ask_save(self) -> None:
        folder = self.controller.last_folder
        dialog = QFileDialog(
            self, "Save Plot", str(folder / "plot.png"), "PNG image (*.png);;SVG drawing (*.svg)"
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("png")
        if QApplication.platformName() in ("offscreen", "minimal"):
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(lambda name: self.save(Path(name)))
        self.controller.presenter.present(dialog)

    def save(self, path: Path) -> bool:
        """Save the plot as PNG, or as SVG when ``path`` ends in .svg; says so in the status."""
        canvas = self.canvas
        if canvas is None or self.prepared is None:
            return False
        if path.suffix.lower() == ".svg":
            saved = canvas.save_svg(path, self.prepared.y_label)
        else:
            saved = canvas.save_png(path if path.suffix else path.with_suffix(".png"))
        window = self.parentWidget()
        text = said.plot_saved(path) if saved else said.plot_save_failed(path)
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(text, 10_000)
        return saved
