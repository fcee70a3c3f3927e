"""The drawing itself, with pyqtgraph: scatter series, error bars, a date or sample axis, hover.

pyqtgraph (and numpy) load with this module, when the plot panel first opens: they cost about a
second and 60 MB, which the first window never pays. Saving goes through Qt itself: PNG by
grabbing the widget, SVG by rendering it into a ``QSvgGenerator`` (pyqtgraph's own SVG exporter
fails with Qt 6.11).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from app.ui.plot.series import MARKERS, OPEN, Prepared

#: Colour-blind-safe series colours (Okabe and Ito).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SIZE = 7


class SampleAxis(pg.AxisItem):  # type: ignore[misc] # pyqtgraph has no type hints
    """An x axis whose ticks are sample codes at their places (as many as fit)."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.codes: list[tuple[float, str]] = []

    def set_codes(self, codes: list[tuple[float, str]]) -> None:
        self.codes = codes
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
        inside = [(p, c) for p, c in self.codes if minVal - 0.5 <= p <= maxVal + 0.5]
        if not inside:
            return []
        room = max(int(size / 70), 1)  # about 70 px per code
        step = max(len(inside) // room + (1 if len(inside) % room else 0), 1)
        return [(step, [p for p, _ in inside[::step]])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        names = dict(self.codes)
        return [names.get(float(round(v)), "") for v in values]


class PlotCanvas(pg.PlotWidget):  # type: ignore[misc]
    """Draws a ``Prepared``; ``tip(index)`` words the hover text of a row."""

    def __init__(self, tip: Callable[[int], str], parent: QWidget | None = None) -> None:
        self._date_axis = pg.DateAxisItem(orientation="bottom")
        self._sample_axis = SampleAxis()
        self._plain_axis = pg.AxisItem("bottom")
        super().__init__(parent, background="w", axisItems={"bottom": self._date_axis})
        self.setObjectName("plotCanvas")
        self._tip = tip
        self.x_kind = "date"
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.15)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen("#444"))
            axis.setTextPen(pg.mkPen("#222"))
            axis.enableAutoSIPrefix(False)  # "m mg/L" would be wrong: units are text here
        self.legend = item.addLegend(offset=(10, 10), labelTextColor="#222")
        self.scatters: list[pg.ScatterPlotItem] = []

    def draw(self, prepared: Prepared, x_label: str) -> None:
        item = self.getPlotItem()
        item.clear()
        self.legend.clear()
        self.scatters = []
        self._use_axis(prepared)
        item.setLabel("left", prepared.y_label)
        item.setLabel("bottom", x_label)
        labelled: set[str] = set()
        for series in prepared.series:
            colour = QColor(PALETTE[series.colour % len(PALETTE)])
            open_marker = series.qualifier in OPEN
            brush = pg.mkBrush(255, 255, 255, 255) if open_marker else pg.mkBrush(colour)
            if series.errors is not None:
                bars = pg.ErrorBarItem(
                    x=series.x,
                    y=series.y,
                    height=2 * series.errors,
                    beam=0.0,
                    pen=pg.mkPen(colour, width=1),
                )
                item.addItem(bars)
            scatter = pg.ScatterPlotItem(
                x=series.x,
                y=series.y,
                data=series.rows,
                symbol=MARKERS[series.qualifier],
                size=SIZE + (1 if open_marker else 0),
                pen=pg.mkPen(colour, width=1.4 if open_marker else 1),
                brush=brush,
                hoverable=True,
                tip=self._tip_of,
                name=None if series.label in labelled else series.label,
            )
            labelled.add(series.label)
            item.addItem(scatter)
            self.scatters.append(scatter)
        item.enableAutoRange()

    def _tip_of(self, x: float, y: float, data: Any) -> str:
        return self._tip(int(data))

    def _use_axis(self, prepared: Prepared) -> None:
        item = self.getPlotItem()
        wanted = {"date": self._date_axis, "time": self._date_axis, "sample": self._sample_axis}[
            prepared.x_kind
        ]
        if item.getAxis("bottom") is not wanted:
            item.setAxisItems({"bottom": wanted})
            wanted.setPen(pg.mkPen("#444"))
            wanted.setTextPen(pg.mkPen("#222"))
        if prepared.x_kind == "sample":
            self._sample_axis.set_codes(prepared.ticks)
        self.x_kind = prepared.x_kind

    # -- saving ---------------------------------------------------------------------------------

    def save_png(self, path: Path) -> bool:
        return bool(self.grab().save(str(path), "PNG"))

    def save_svg(self, path: Path, title: str) -> bool:
        size = self.size()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(size.width(), size.height()))
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle(title)
        painter = QPainter()
        if not painter.begin(generator):
            return False
        try:
            self.render(painter)
        finally:
            painter.end()
        return path.is_file() and path.stat().st_size > 0


def point_count(canvas: PlotCanvas) -> int:
    return int(sum(len(scatter.data) for scatter in canvas.scatters))
