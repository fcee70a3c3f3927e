"""Bringing results back: after a real program run that wrote into its export with plain
sqlite3, and by Tools ▸ Merge Results… for an export the person chooses."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.domain.programs import ExternalProgram
from app.ui.choice_box import Choice, ChoiceBox
from app.ui.main_window import MainWindow
from app.ui.merging.dialog import MergeDialog
from app.ui.messages import data as said

from .conftest import PATIENCE_MS, open_current, wait_for_dialog, wait_idle
from .test_export import select_ids
from .test_external_programs import configure, own_home, program_actions
from .test_import_dialog import make_document, work_rows

__all__ = ["own_home"]  # the fixture, used by name

#: An analysis program: reads the export, adds a result for each sample, changes one exported
#: value and deletes another (which must be reported, never applied), with plain sqlite3.
ANALYSIS = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ids = [row[0] for row in db.execute("SELECT id FROM sample ORDER BY id")]
for number, sample_id in enumerate(ids):
    db.execute(
        "INSERT INTO measurement (sample_id, quantity, value, unit, qualifier) VALUES (?, ?, ?, ?, ?)",
        (sample_id, "Cu (analysed)", 0.05 if number else 3.25, "mg/L", "<" if number else None),
    )
first, second = [row[0] for row in db.execute("SELECT id FROM measurement ORDER BY id LIMIT 2")]
db.execute("UPDATE measurement SET value = value + 1 WHERE id = ?", (first,))
db.execute("DELETE FROM measurement WHERE id = ?", (second,))
db.commit()
print("analysed", len(ids), "samples")
"""


def start_analysis(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MergeDialog:
    script = tmp_path / "analysis.py"
    script.write_text(ANALYSIS, encoding="utf-8")
    configure(
        window,
        ExternalProgram(
            "Analysis", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {{db}}"
        ),
    )
    (action,) = [a for a in program_actions(window) if a.data() == "Analysis"]
    action.trigger()
    return wait_for_dialog(qtbot, window, MergeDialog)


def merged_rows(window: MainWindow) -> list[tuple[object, ...]]:
    return work_rows(
        window,
        "SELECT id, sample_id, quantity, value, qualifier FROM measurement "
        "WHERE quantity = 'Cu (analysed)' ORDER BY id",
    )


def test_bring_back_after_a_program_run_as_one_undo_step(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    shown = [window.samples.model.sample_at(row) for row in (0, 1)]
    first, second = sorted((s for s in shown if s is not None), key=lambda s: s.id)
    select_ids(window, [first.id, second.id])
    dialog = start_analysis(qtbot, window, tmp_path)
    run = window.program_run
    assert run is not None and run.export is not None
    export = run.export.path
    assert export.exists()  # kept while the offer is open

    assert dialog.bring_button.text() == said.bring_back(2)
    assert dialog.bring_button.isEnabled()
    shown = [
        tuple(dialog.new_table.item(row, column).text() for column in range(3))
        for row in range(dialog.new_table.rowCount())
    ]
    assert sorted(shown) == sorted(
        [(first.code, "Cu (analysed)", "3.25"), (second.code, "Cu (analysed)", "<0.05")]
    )
    details = dialog.details.toPlainText()
    assert said.MERGE_CHANGED in details
    assert "deleted" in details and "value" in details

    before = work_rows(window, "SELECT * FROM measurement ORDER BY id")
    records = work_rows(window, "SELECT * FROM merged_measurement ORDER BY 1")
    dialog.bring_button.click()
    qtbot.waitUntil(lambda: window.program_run is None, timeout=PATIENCE_MS)
    wait_idle(qtbot, window)
    assert not export.exists()  # the run cleaned up once the offer was answered
    rows = merged_rows(window)
    assert sorted((r[1], r[3], r[4]) for r in rows) == sorted(
        [(first.id, 3.25, None), (second.id, 0.05, "<")]
    )
    # The changed and deleted exported measurements were not applied.
    assert [
        r
        for r in work_rows(window, "SELECT * FROM measurement ORDER BY id")
        if r[2] != "Cu (analysed)"
    ] == before
    stack = window.controller.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Bring Back 2 Measurements"
    window.acts.undo.trigger()
    assert merged_rows(window) == []
    assert work_rows(window, "SELECT * FROM merged_measurement ORDER BY 1") == records
    window.acts.redo.trigger()
    assert merged_rows(window) == rows  # the same ids again


def test_not_now_keeps_the_export_for_merge_results(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    first = window.samples.model.sample_at(2)
    assert first is not None
    select_ids(window, [first.id])
    dialog = start_analysis(qtbot, window, tmp_path)
    run = window.program_run
    assert run is not None and run.export is not None
    export = run.export.path
    dialog.close_button.click()
    qtbot.waitUntil(lambda: window.program_run is None, timeout=PATIENCE_MS)
    assert export.exists()
    assert window.controller.temporary_exports.is_kept(export)
    assert merged_rows(window) == []

    # Later: Tools ▸ Merge Results… with that export.
    def merge_from_menu() -> MergeDialog:
        assert window.data.merge_action.isEnabled()
        window.data.merge_action.trigger()
        chooser = wait_for_dialog(qtbot, window, QFileDialog)
        chooser.selectFile(str(export))
        chooser.accept()
        return wait_for_dialog(qtbot, window, MergeDialog)

    again = merge_from_menu()
    assert again.bring_button.text() == said.bring_back(1)
    again.bring_button.click()
    qtbot.waitUntil(lambda: window.data.flow is None, timeout=PATIENCE_MS)
    assert [(r[1], r[3]) for r in merged_rows(window)] == [(first.id, 3.25)]
    # Merging the same export again adds nothing.
    third = merge_from_menu()
    assert not third.bring_button.isVisible()
    assert third.heading.text() == said.merge_nothing(export.name, 1)
    third.reject()
    qtbot.waitUntil(lambda: window.data.flow is None, timeout=PATIENCE_MS)
    assert len(merged_rows(window)) == 1


def test_an_export_of_another_document_is_refused(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    (tmp_path / "other").mkdir()
    other = make_document(tmp_path / "other")
    open_current(qtbot, window, current_copy)
    window.data.merge_action.trigger()
    chooser = wait_for_dialog(qtbot, window, QFileDialog)
    chooser.selectFile(str(other))
    chooser.accept()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert "not an export" in box.text()
    box.reject()
    qtbot.waitUntil(lambda: window.data.flow is None, timeout=PATIENCE_MS)
    assert window.controller.undo_stack.count() == 0


def test_closing_the_window_during_a_run_offers_nothing(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    # The program has written a result and is still running when the window closes: the run is
    # stopped and its export removed, and no offer starts for a window that is going away.
    script = tmp_path / "slow.py"
    script.write_text(ANALYSIS + "\nimport time\ntime.sleep(600)\n", encoding="utf-8")
    configure(
        window,
        ExternalProgram("Slow", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {{db}}"),
    )
    open_current(qtbot, window, current_copy)
    (action,) = [a for a in program_actions(window) if a.data() == "Slow"]
    action.trigger()
    running = window.program_run
    assert running is not None
    qtbot.waitUntil(
        lambda: "analysed" in window.program_panel.output.toPlainText(), timeout=PATIENCE_MS
    )
    assert running.export is not None
    path = running.export.path
    window.close()
    # The program changed its export: closing asks whether to delete it (the person's data).
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    box.choose(Choice.DELETE)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=PATIENCE_MS)
    assert window.data.flow is None
    assert running.finished and not path.exists()
