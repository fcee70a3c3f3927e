"""The plot panel and the import at 100,000 rows: what a person waits for.

Run: ``QT_QPA_PLATFORM=offscreen uv run python tests/benchmarks/bench_plot.py [MEASUREMENTS]``.
Not part of the test run (wall-clock figures on a shared machine are for reading, not asserting).

Prints: importing pyqtgraph (a fresh interpreter, as the first View ▸ Plot does), reading the rows
from the document, turning them into series, the first paint (drawn and rendered to an image),
a hover lookup, and a redraw; then checking and writing a 100,000-row measurements CSV import.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TypeVar

os.environ.setdefault("SAMPLEBOOK_HOME", tempfile.mkdtemp(prefix="samplebook-bench-home-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.document import create, open_document, open_read_only
from app.domain.filters import SampleFilter
from app.domain.importing import ImportOptions, apply_import, plan_import
from app.domain.plot_data import quantity_rows
from app.domain.tables import read_table

T = TypeVar("T")


def timed(label: str, action: Callable[[], T]) -> T:
    began = time.perf_counter()
    result = action()
    print(f"  {label:<44} {time.perf_counter() - began:7.3f} s", flush=True)
    return result


def make(folder: Path, measurements: int) -> Path:
    path = create(folder / "big.db", "Big")
    samples = max(measurements // 5, 1)
    rng = random.Random(7)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO sample (id, code, name, collected_on) VALUES (?, ?, ?, ?)",
            (
                (i, f"S-{i}", f"Sample {i}", f"20{20 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}")
                for i in range(1, samples + 1)
            ),
        )
        rows = []
        for n in range(measurements):
            roll = rng.random()
            qualifier = "<" if roll < 0.05 else ("nd" if roll < 0.07 else None)
            value = None if qualifier == "nd" else round(rng.lognormvariate(1, 0.6), 3)
            rows.append((1 + n % samples, "nitrate", value, "mg/L", qualifier))
        db.executemany(
            "INSERT INTO measurement (sample_id, quantity, value, unit, qualifier) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        db.execute("COMMIT")
    return path


def main() -> None:
    measurements = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(tempfile.mkdtemp(prefix="samplebook-bench-plot-"))
    print(f"plot of {measurements:,} measurements of one quantity ({folder})")
    path = timed("make the document", lambda: make(folder, measurements))
    cold = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t = time.perf_counter(); import pyqtgraph; "
            "print(time.perf_counter() - t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"  {'import pyqtgraph + numpy (fresh interpreter)':<44} {float(cold.stdout):7.3f} s")
    application = QApplication.instance() or QApplication([])
    # Imported here, after the fresh interpreter's measurement, as the panel imports them.
    from app.ui.plot.canvas import PlotCanvas, point_count  # noqa: PLC0415
    from app.ui.plot.series import prepare, tip  # noqa: PLC0415

    connection = open_read_only(path)
    rows = timed(
        "read the rows (quantity_rows)",
        lambda: quantity_rows(connection, SampleFilter(), "nitrate"),
    )
    prepared = timed("series (units, qualifiers, n.d.)", lambda: prepare(rows, "date", None))
    canvas = PlotCanvas(lambda index: tip(rows, index))
    canvas.resize(900, 600)
    canvas.show()
    application.processEvents()

    def first_paint() -> None:
        canvas.draw(prepared, "collected on")
        canvas.grab()  # renders every item: what the first paint on screen costs

    timed("first paint (draw + render)", first_paint)
    print(f"  drawn points: {point_count(canvas):,} in {len(canvas.scatters)} series")
    scatter = canvas.scatters[0]
    spot = scatter.points()[len(scatter.points()) // 2]
    timed(
        "hover lookup (pointsAt) and tip",
        lambda: [tip(rows, int(p.data())) for p in scatter.pointsAt(spot.pos())],
    )
    timed(
        "redraw (another x axis: by sample)",
        lambda: (canvas.draw(prepare(rows, "sample", None), "sample"), canvas.grab()),
    )
    timed("second paint, unchanged", canvas.grab)
    connection.close()

    print(f"import of {measurements:,} measurement rows from a CSV")
    table_path = folder / "big.csv"
    with table_path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("code,quantity,value,unit\n")
        for n in range(measurements):
            handle.write(f"S-{1 + n % max(measurements // 5, 1)},chloride,{n % 97 / 10},mg/L\n")
    table = timed("read the table", lambda: read_table(table_path))
    doc = open_document(path)
    plan = timed(
        "check every row (plan_import)", lambda: plan_import(doc.connection, table, ImportOptions())
    )
    applied = timed("write them (apply_import, one transaction)", lambda: apply_import(doc, plan))
    print(f"  added {len(applied.measurements_added):,} measurements")
    doc.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
