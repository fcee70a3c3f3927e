"""Make the README screenshots with the real app: the main window, measurements typed into the
grid, the upgrade dialog, the export dialog, an external program's output, the import preview and the plot panel.

    xvfb-run -s "-screen 0 1400x900x24" uv run python resources/screenshots/make_screenshots.py
    ... make_screenshots.py --only import-preview,plot      (just those, the others untouched)

Runs against throw-away copies in a temporary profile (``SAMPLEBOOK_HOME``): a realistic document
made with the domain layer, and a copy of the 1.0 release fixture for the upgrade dialog.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
WORK = Path(tempfile.mkdtemp(prefix="samplebook-shots-"))
os.environ["SAMPLEBOOK_HOME"] = str(WORK / "home")

from PySide6.QtCore import QEventLoop, QItemSelectionModel, Qt, QTimer  # noqa: E402

from app.document import create, open_document  # noqa: E402
from app.domain.measurements import MeasurementFields, add_measurement  # noqa: E402
from app.domain.sample_edits import SampleFields, insert_sample  # noqa: E402
from app.domain.tags import set_tags  # noqa: E402
from app.ui import workers  # noqa: E402
from app.ui.application import make_application  # noqa: E402
from app.ui.dialogs.upgrade_dialog import UpgradeDialog  # noqa: E402
from app.ui.export.dialog import ExportDialog  # noqa: E402
from app.ui.importing.dialog import ImportDialog  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.plot.choices import EACH_UNIT  # noqa: E402

SITES = [
    ("LEM", "Lake Geneva", "Évian-les-Bains, north shore"),
    ("BOD", "Lake Constance", "Überlingen harbour"),
    ("ZUR", "Lake Zurich", "Wädenswil jetty"),
    ("THU", "Lake Thun", "Spiez bay"),
    ("AAR", "Aare river", "Bern, Marzili"),
    ("RHI", "Rhine", "Basel, Kleinbasel"),
]
KINDS = ["surface water", "sediment core", "plankton net", "groundwater"]
TAGS = ["pilot", "spring campaign", "autumn campaign", "replicate", "blank", "QC", "archived"]
QUANTITIES = [
    ("temperature", "°C", 4.0, 24.0),
    ("pH", "", 6.8, 8.6),
    ("dissolved oxygen", "mg/L", 6.0, 12.5),
    ("conductivity", "µS/cm", 180.0, 520.0),
    ("nitrate", "mg/L", 0.2, 6.0),
    ("chlorophyll a", "µg/L", 0.5, 18.0),
]


def realistic_document(path: Path) -> Path:
    rng = random.Random(7)
    create(path, "Swiss lakes survey 2026")
    with open_document(path) as document:
        for site, lake, place in SITES:
            for number in range(1, 9):
                month = rng.randint(3, 10)
                sample_id = insert_sample(
                    document,
                    SampleFields(
                        code=f"{site}-{number:03}",
                        name=f"{lake}, {rng.choice(KINDS)}",
                        collected_on=f"2026-{month:02}-{rng.randint(1, 28):02}",
                        location=place,
                        notes="Taken at 1 m depth." if rng.random() < 0.4 else None,
                    ),
                )
                set_tags(document, sample_id, rng.sample(TAGS, rng.randint(0, 3)))
                for quantity, unit, low, high in rng.sample(QUANTITIES, rng.randint(2, 6)):
                    add_measurement(
                        document,
                        sample_id,
                        MeasurementFields(
                            quantity,
                            round(rng.uniform(low, high), 2),
                            unit,
                            f"2026-{month:02}-{rng.randint(1, 28):02} {rng.randint(8, 17):02}:"
                            f"{rng.choice(['00', '15', '30', '45'])}",
                        ),
                    )
        document.save()
    return path


def wait(condition: object, limit_ms: int = 60_000) -> None:
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if condition() else None)  # type: ignore[operator]
    poll.start(50)
    QTimer.singleShot(limit_ms, loop.quit)
    loop.exec()
    poll.stop()


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def export_and_program(window: MainWindow) -> None:
    """File ▸ Export Subset with criteria chosen, then the example program on three samples."""
    selection = window.samples.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (3, 4, 5):
        selection.select(window.samples.model.index(row, 0), flags)
    window.acts.export_subset.trigger()
    dialog = window.presenter.current
    assert isinstance(dialog, ExportDialog)
    dialog.set_tags(["spring campaign"])
    dialog.codes_edit.setText("BOD-*, ZUR-*")
    dialog.codes_check.setChecked(True)
    dialog.refresh_counts()
    dialog.adjustSize()
    settle()
    dialog.grab().save(str(HERE / "export-dialog.png"))
    dialog.reject()
    settle(100)

    next(action for action in window.acts.programs_menu.actions() if action.data()).trigger()
    wait(lambda: window.program_run is None)
    settle()
    window.grab().save(str(HERE / "external-program.png"))
    window.program_panel.hide()
    window.samples.select_row(2)


#: A lab's results as its software exports them in Germany: ";" between columns, decimal commas,
#: day.month.year dates, its own column names, values below the limit, n.d., and one sample code
#: the survey does not have (the preview shows that row and why it cannot be imported).
LAB_RESULTS = "Probe;Parameter;Messwert;Einheit;Datum\r\n" + "".join(
    f"{code};nitrate;{value};{unit};{day:02}.06.2026\r\n"
    for code, value, unit, day in [
        ("LEM-001", "2,41", "mg/L", 3),
        ("LEM-002", "<0,05", "mg/L", 3),
        ("LEM-003", "1,87", "mg/L", 4),
        ("BOD-001", "n.d.", "mg/L", 4),
        ("BOD-002", "3,12", "mg/L", 5),
        ("BOD-003", "<0,05", "mg/L", 5),
        ("ZUR-001", "640", "µg/L", 6),
        ("ZUR-002", "1,2 ± 0,1", "mg/L", 6),
        ("ZUR-09", "2,05", "mg/L", 7),
        ("THU-001", "0,96", "mg/L", 8),
        ("THU-002", "<0,05", "mg/L", 8),
        ("AAR-001", "4,40", "mg/L", 9),
    ]
)


def import_and_plot(window: MainWindow, shots: set[str]) -> None:
    """File ▸ Import… of the lab's table (the preview), then View ▸ Plot of nitrate."""
    table = WORK / "Labor Ergebnisse Juni.csv"
    table.write_bytes(LAB_RESULTS.encode("cp1252"))
    flow = window.data
    from app.ui.importing.flow import ImportFlow  # noqa: PLC0415

    importing = ImportFlow(window.controller, table)
    flow._run(importing)
    wait(lambda: isinstance(window.presenter.current, ImportDialog))
    dialog = window.presenter.current
    assert isinstance(dialog, ImportDialog)
    wait(lambda: not dialog.checking)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("measurements"))
    wait(lambda: not dialog.checking)
    for column, field in (("Probe", "code"), ("Parameter", "quantity"), ("Messwert", "value")):
        dialog.set_field(column, field)
        wait(lambda: not dialog.checking)
    dialog.set_field("Einheit", "unit")
    wait(lambda: not dialog.checking)
    dialog.set_field("Datum", "measured_at")
    wait(lambda: not dialog.checking)
    dialog.date_combo.setCurrentIndex(dialog.date_combo.findData("%d.%m.%Y"))
    wait(lambda: not dialog.checking)
    dialog.resize(1040, 560)
    settle()
    if "import-preview" in shots:
        dialog.grab().save(str(HERE / "import-preview.png"))
    dialog.skip_check.setChecked(True)
    dialog.import_button.click()
    wait(lambda: flow.flow is None and not workers.busy())

    window.samples.table.clearSelection()
    window.resize(1400, 820)
    window.data.plot_action.trigger()
    plot = window.data.plot
    window.resizeDocks([plot], [640], Qt.Orientation.Horizontal)
    wait(lambda: plot.canvas is not None and plot.prepared is not None and not plot.loading)
    plot.quantity_combo.setCurrentIndex(plot.quantity_combo.findData("nitrate"))
    wait(lambda: plot.rows is not None and plot.rows.quantity == "nitrate" and not plot.loading)
    settle(300)
    plot.unit_combo.setCurrentIndex(plot.unit_combo.findData(EACH_UNIT))
    plot.unit_combo.setCurrentIndex(plot.unit_combo.findData("mg/L"))
    window.samples.select_row(9)  # a sample beside the plot, as when working
    settle()
    if "plot" in shots:
        window.grab().save(str(HERE / "plot.png"))
    plot.hide()
    window.resize(1280, 760)


ALL = {
    "main-window",
    "entry-grid",
    "export-dialog",
    "external-program",
    "upgrade-dialog",
    "import-preview",
    "plot",
}


def entry_grid(window: MainWindow) -> None:
    """Measurements typed into the grid at 1024x700: Ctrl+M, a value, Tab, Tab, a time."""
    from PySide6.QtTest import QTest  # noqa: PLC0415

    from app.ui.window_geometry import split_widths  # noqa: PLC0415

    window.resize(1024, 700)
    settle()
    window.splitter.setSizes(split_widths(1024))  # as a window opened on a 1024-pixel screen
    settle()
    window.acts.add_measurement.trigger()
    settle()

    def typed(text: str) -> None:
        widget = app_focus()
        QTest.keyClicks(widget, text)

    window.statusBar().clearMessage()
    typed("7.62")
    QTest.keyClick(app_focus(), Qt.Key.Key_Tab)  # to Unit (pH has none)
    QTest.keyClick(app_focus(), Qt.Key.Key_Tab)  # to Measured at
    settle(200)
    typed("2026-07-14 09:10")
    settle(400)
    window.grab().save(str(HERE / "entry-grid.png"))
    QTest.keyClick(app_focus(), Qt.Key.Key_Escape)
    QTest.keyClick(app_focus(), Qt.Key.Key_Escape)
    settle()
    window.resize(1280, 760)
    settle()


def app_focus() -> object:
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def main() -> int:
    shots = set(ALL)
    if "--only" in sys.argv:
        shots = set(sys.argv[sys.argv.index("--only") + 1].split(","))
        unknown = shots - ALL
        if unknown:
            print(f"unknown screenshots: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
    app = make_application(sys.argv[:1])
    document = realistic_document(WORK / "Swiss lakes survey.db")
    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    window.controller.open_path(document)
    wait(lambda: window.controller.document is not None and not workers.busy())
    window.samples.select_row(2)
    settle()
    if shots & {"import-preview", "plot"}:
        import_and_plot(window, shots)
        window.samples.select_row(2)
        settle()
    if "entry-grid" in shots:
        entry_grid(window)
    if not shots & {"main-window", "export-dialog", "external-program", "upgrade-dialog"}:
        window.controller.discard_and_close()
        window.close()
        print(f"wrote {', '.join(sorted(shots))} into {HERE}")
        return 0
    window.grab().save(str(HERE / "main-window.png"))
    export_and_program(window)

    old = WORK / "Field notes 2019.db"
    shutil.copyfile(REPO / "tests/fixtures/documents/release-1.0.db", old)
    window.controller.discard_and_close()
    window.controller.open_path(old)
    wait(lambda: isinstance(window.presenter.current, UpgradeDialog))
    dialog = window.presenter.current
    assert dialog is not None
    settle()
    # Xvfb has no window manager (no frames), so the dialog is pictured on its own.
    dialog.grab().save(str(HERE / "upgrade-dialog.png"))
    dialog.reject()
    window.controller.discard_and_close()
    window.close()
    app.processEvents()
    print(f"wrote the screenshots into {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
