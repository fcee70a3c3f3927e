"""View ▸ Plot with the real release fixture: one quantity across the samples shown, a sample
over time, units never mixed, qualifiers as markers, n.d. listed as not plotted, hover, saving."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.messages import data as said
from app.ui.plot.choices import EACH_UNIT, EVERY_QUANTITY
from app.ui.plot.dock import SAMPLE, PlotDock

from .conftest import PATIENCE_MS, open_current, query
from .test_export import select_ids

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "freeze"))
import pngcheck


def point_count(canvas: object) -> int:
    # Imported when a plot test runs, not when tests are collected: the rest of the suite runs
    # without pyqtgraph loaded, as the app does until its plot panel first opens.
    from app.ui.plot.canvas import PlotCanvas, point_count  # noqa: PLC0415

    assert isinstance(canvas, PlotCanvas)
    return point_count(canvas)


def settled(dock: PlotDock) -> bool:
    return dock.canvas is not None and not dock.loading and not dock._later.isActive()


def show_plot(qtbot: QtBot, window: MainWindow) -> PlotDock:
    window.data.plot_action.trigger()
    dock = window.data.plot
    assert dock.isVisible()
    qtbot.waitUntil(lambda: settled(dock) and dock.prepared is not None, timeout=PATIENCE_MS)
    return dock


def choose(qtbot: QtBot, dock: PlotDock, combo_name: str, data: object) -> None:
    combo = getattr(dock, combo_name)
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    qtbot.waitUntil(lambda: settled(dock), timeout=PATIENCE_MS)


def count(path: Path, sql: str, *params: object) -> int:
    ((found,),) = query(path, sql, *params)
    return int(str(found))


def test_one_quantity_across_samples_units_and_qualifiers(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    dock = show_plot(qtbot, window)
    choose(qtbot, dock, "quantity_combo", "conductivity")
    prepared = dock.prepared
    assert prepared is not None and dock.canvas is not None
    # Two spellings of the unit are two units: the commoner one is shown, the other said.
    drawn = (
        "SELECT count(*) FROM measurement m JOIN sample s ON s.id = m.sample_id "
        "WHERE m.quantity = 'conductivity' AND m.unit = ? AND m.qualifier IS NOT 'nd' "
        "AND s.collected_on IS NOT NULL"
    )
    assert prepared.shown_unit == "µS/cm"
    assert point_count(dock.canvas) == count(current_copy, drawn, "µS/cm") > 0
    others = count(
        current_copy,
        "SELECT count(*) FROM measurement WHERE quantity = 'conductivity' AND unit = 'μS/cm'",
    )
    assert said.plot_other_units("µS/cm", [("μS/cm", others)]) in dock.note.text()
    assert dock.canvas.getPlotItem().getAxis("left").labelText == "conductivity (µS/cm)"
    # < is an open downward triangle at its limit; plain values are filled circles.
    symbols = {s.opts["symbol"]: s for s in dock.canvas.scatters}
    assert set(symbols) == {"o", "t"}
    assert symbols["t"].opts["brush"].color().name() == "#ffffff"
    # Not detected: not plotted, and said.
    assert prepared.not_detected_count == 1
    assert "Not detected, so not plotted: " in dock.note.text()

    choose(qtbot, dock, "unit_combo", EACH_UNIT)
    prepared = dock.prepared
    assert prepared is not None
    assert {s.label for s in prepared.series} == {"conductivity (µS/cm)", "conductivity (μS/cm)"}
    assert len({s.colour for s in prepared.series}) == 2
    assert point_count(dock.canvas) == count(current_copy, drawn, "µS/cm") + count(
        current_copy, drawn, "μS/cm"
    )
    assert said.plot_each_unit(["µS/cm", "μS/cm"]) in dock.note.text()

    # Hover: the sample and the value as typed.
    scatter = next(s for s in dock.canvas.scatters if s.opts["symbol"] == "t")
    spot = scatter.points()[0]
    row = int(spot.data())
    rows = dock.rows
    assert rows is not None
    text = scatter.opts["tip"](x=spot.pos().x(), y=spot.pos().y(), data=spot.data())
    assert text.splitlines()[0] == rows.codes[row]
    assert f"conductivity: <{rows.values[row]:g}" in text
    assert scatter.pointsAt(spot.pos())  # the point is found where it is drawn

    # By sample: the x axis names the samples.
    choose(qtbot, dock, "x_combo", "sample")
    prepared = dock.prepared
    assert prepared is not None and prepared.x_kind == "sample"
    assert [code for _, code in prepared.ticks][:1] == [rows.codes[0]]

    png, svg = tmp_path / "plot.png", tmp_path / "plot.svg"
    assert dock.save(png) and dock.save(svg)
    picture = pngcheck.analyse_file(png)
    assert picture.problems(min_width=200, min_height=150) == []
    tree = ElementTree.parse(svg)
    drawn_items = [e for e in tree.iter() if e.tag.endswith(("path", "polyline", "rect", "text"))]
    assert len(drawn_items) > 20
    assert "conductivity" in svg.read_text(encoding="utf-8")
    assert window.statusBar().currentMessage() == said.plot_saved(svg)


def test_the_selected_sample_over_time(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    (sample_id,) = query(
        current_copy,
        "SELECT sample_id FROM measurement WHERE measured_at IS NOT NULL AND qualifier IS NOT 'nd' "
        "GROUP BY sample_id ORDER BY count(DISTINCT quantity) DESC, sample_id LIMIT 1",
    )[0]
    open_current(qtbot, window, current_copy)
    select_ids(window, [int(str(sample_id))])
    dock = show_plot(qtbot, window)
    choose(qtbot, dock, "mode_combo", SAMPLE)
    assert dock.quantity_combo.currentData() == EVERY_QUANTITY
    prepared = dock.prepared
    assert prepared is not None and prepared.x_kind == "time"
    expected = count(
        current_copy,
        "SELECT count(*) FROM measurement WHERE sample_id = ? AND measured_at IS NOT NULL "
        "AND qualifier IS NOT 'nd'",
        sample_id,
    )
    assert dock.canvas is not None and point_count(dock.canvas) == expected
    quantities = query(
        current_copy,
        "SELECT DISTINCT quantity, unit FROM measurement WHERE sample_id = ? AND measured_at IS NOT NULL AND qualifier IS NOT 'nd'",
        sample_id,
    )
    assert len({s.label for s in prepared.series}) == len(quantities)

    # An edit shows at once (the plot reads the working copy, unsaved edits included).
    window.samples.table.clearSelection()
    qtbot.waitUntil(lambda: settled(dock), timeout=PATIENCE_MS)
    assert dock.note.text() == said.PLOT_NO_SAMPLE


def test_the_plot_library_loads_only_with_the_panel() -> None:
    """The first window never pays for pyqtgraph and numpy (about a second and 60 MB)."""
    script = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from app.ui.main_window import MainWindow; w = MainWindow(); w.show(); app.processEvents();"
        "print(sorted({'numpy', 'pyqtgraph'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
