"""One measured piece of work in a fresh interpreter (so its peak memory is its own).

    python tests/benchmarks/scale/child.py TASK ARGS...

Prints one JSON line: ``seconds`` (the work itself, after the imports it needs, unless the task
is about starting up) and whatever else the task measured.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))


def report(seconds: float, **extra: float) -> None:
    print(json.dumps({"seconds": seconds, **extra}), flush=True)


def upgrade(path: str) -> None:
    from app.document import upgrade as run  # noqa: PLC0415

    began = time.perf_counter()
    run(Path(path), backup=False)
    seconds = time.perf_counter() - began
    connection = sqlite3.connect(path)
    free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.close()
    report(seconds, free_pages_percent=100 * free / pages, size_mb=Path(path).stat().st_size / 1e6)


def vacuum_into(source: str, target: str) -> None:
    began = time.perf_counter()
    connection = sqlite3.connect(source)
    connection.execute("VACUUM INTO ?", (target,))
    connection.close()
    report(time.perf_counter() - began)


def raw_export(source: str, template: str, target: str, start: str, end: str) -> None:
    """What an export does, by hand: the real schema (a copy of the template), the same rows."""
    began = time.perf_counter()
    copy = sqlite3.connect(template)
    out = sqlite3.connect(target)
    copy.backup(out)
    copy.close()
    out.close()
    connection = sqlite3.connect(source, isolation_level=None)
    connection.execute("ATTACH DATABASE ? AS export", (target,))
    connection.execute("BEGIN")
    connection.execute(
        "CREATE TEMP TABLE chosen AS SELECT id FROM sample WHERE collected_on BETWEEN ? AND ?",
        (start, end),
    )
    connection.execute(
        "INSERT INTO export.sample (id, code, name, collected_on, notes, location) "
        "SELECT s.id, s.code, s.name, s.collected_on, s.notes, s.location "
        "FROM temp.chosen c CROSS JOIN sample s ON s.id = c.id"
    )
    connection.execute(
        "INSERT INTO export.measurement (id, sample_id, quantity, value, unit, measured_at, "
        "qualifier, uncertainty) SELECT m.id, m.sample_id, m.quantity, m.value, m.unit, "
        "m.measured_at, m.qualifier, m.uncertainty FROM temp.chosen c "
        "CROSS JOIN measurement m ON m.sample_id = c.id"
    )
    connection.execute(
        "INSERT INTO export.tag (id, name) SELECT t.id, t.name FROM tag t WHERE t.id IN "
        "(SELECT st.tag_id FROM temp.chosen c CROSS JOIN sample_tag st ON st.sample_id = c.id)"
    )
    connection.execute(
        "INSERT INTO export.sample_tag (sample_id, tag_id) SELECT st.sample_id, st.tag_id "
        "FROM temp.chosen c CROSS JOIN sample_tag st ON st.sample_id = c.id"
    )
    connection.execute("COMMIT")
    connection.close()
    report(time.perf_counter() - began)


def startup_app() -> None:
    """``samplebook`` up to its first window shown (imports included: that is the point)."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415

    from app.ui import application  # noqa: PLC0415

    real_start = application.start

    def start(file: Path | None) -> object:
        window = real_start(file)
        QTimer.singleShot(0, lambda: (print("shown", flush=True), window.close()))
        return window

    application.start = start  # type: ignore[assignment]
    sys.exit(application.run(["samplebook"]))


def startup_bare() -> None:
    """A bare PySide6 window, the same way."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: PLC0415

    application = QApplication(["bare"])
    window = QMainWindow()
    window.resize(1180, 720)
    window.show()
    QTimer.singleShot(0, lambda: (print("shown", flush=True), window.close()))
    sys.exit(application.exec())


def gui_first_rows(path: str) -> None:
    """The window opens a document and shows its first rows (after the app's imports)."""
    from PySide6.QtCore import QEventLoop, QTimer  # noqa: PLC0415

    from app.ui.application import make_application  # noqa: PLC0415
    from app.ui.main_window import MainWindow  # noqa: PLC0415

    application = make_application(["samplebook"])
    window = MainWindow()
    window.show()
    application.processEvents()
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)
    began = time.perf_counter()
    poll.timeout.connect(
        lambda: (
            loop.quit()
            if window.samples.model.rowCount() > 0 and not window.controller.busy
            else None
        )
    )
    window.controller.open_path(Path(path))
    poll.start()
    loop.exec()
    seconds = time.perf_counter() - began
    window.controller.discard_and_close()
    report(seconds)


def raw_first_rows(path: str, work: str) -> None:
    """The same I/O by hand: a backup-API copy, its quick_check, the first page of rows."""
    began = time.perf_counter()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(work)
    source.backup(target)
    source.close()
    target.execute("PRAGMA quick_check").fetchall()
    target.execute("SELECT * FROM sample ORDER BY code LIMIT 200").fetchall()
    target.close()
    report(time.perf_counter() - began)
    os.unlink(work)


TASKS = {
    "upgrade": upgrade,
    "vacuum-into": vacuum_into,
    "raw-export": raw_export,
    "startup-app": startup_app,
    "startup-bare": startup_bare,
    "gui-first-rows": gui_first_rows,
    "raw-first-rows": raw_first_rows,
}

if __name__ == "__main__":
    TASKS[sys.argv[1]](*sys.argv[2:])
