"""Make the README screenshots with the real app: the main window, the upgrade dialog, the export
dialog and an external program's output.

    xvfb-run -s "-screen 0 1400x900x24" uv run python resources/screenshots/make_screenshots.py

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

from PySide6.QtCore import QEventLoop, QItemSelectionModel, QTimer  # noqa: E402

from app.document import create, open_document  # noqa: E402
from app.domain.measurements import MeasurementFields, add_measurement  # noqa: E402
from app.domain.sample_edits import SampleFields, insert_sample  # noqa: E402
from app.domain.tags import set_tags  # noqa: E402
from app.ui import workers  # noqa: E402
from app.ui.application import make_application  # noqa: E402
from app.ui.dialogs.upgrade_dialog import UpgradeDialog  # noqa: E402
from app.ui.export.dialog import ExportDialog  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

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


def main() -> int:
    app = make_application(sys.argv)
    document = realistic_document(WORK / "Swiss lakes survey.db")
    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    window.controller.open_path(document)
    wait(lambda: window.controller.document is not None and not workers.busy())
    window.samples.select_row(2)
    settle()
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
