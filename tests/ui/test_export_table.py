"""File ▸ Export Table… through the real window: selected or shown samples, samples or
measurements, the format by the extension, unsaved edits included, and the result dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.domain.tables import read_table
from app.ui import messages
from app.ui.choice_box import Choice, ChoiceBox
from app.ui.export_table.dialog import ExportTableDialog
from app.ui.export_table.result import TableResultDialog
from app.ui.main_window import MainWindow
from app.ui.messages import data as said

from .conftest import PATIENCE_MS, open_current, query, wait_for_dialog, wait_idle
from .test_export import select_ids


def open_dialog(qtbot: QtBot, window: MainWindow) -> ExportTableDialog:
    action = window.data.export_table_action
    assert action.isEnabled()
    action.trigger()
    return wait_for_dialog(qtbot, window, ExportTableDialog)


def export(qtbot: QtBot, window: MainWindow, dialog: ExportTableDialog) -> TableResultDialog:
    assert dialog.export_button.isEnabled()
    dialog.export_button.click()
    result = wait_for_dialog(qtbot, window, TableResultDialog)
    wait_idle(qtbot, window)
    return result


def test_the_selected_samples_measurements_as_xlsx(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    first, second = (window.samples.model.sample_at(row) for row in (0, 3))
    assert first is not None and second is not None
    # An unsaved edit is exported too: the table is made from the working copy.
    connection = window.controller.connection
    assert connection is not None
    connection.execute("UPDATE sample SET name = 'Renamed, unsaved' WHERE id = ?", (first.id,))
    select_ids(window, [first.id, second.id])
    dialog = open_dialog(qtbot, window)
    assert dialog.selection_radio.isChecked()
    dialog.measurements_radio.setChecked(True)
    target = tmp_path / "out" / "results.xlsx"
    target.parent.mkdir()
    dialog.path_edit.setText(str(target))
    result = export(qtbot, window, dialog)
    (expected,) = query(
        current_copy,
        "SELECT count(*) FROM measurement WHERE sample_id IN (?, ?)",
        first.id,
        second.id,
    )
    assert result.summary.text() == said.table_exported(
        int(str(expected[0])), "measurements", "results.xlsx"
    )
    table = read_table(target)
    assert table.header == (
        "code",
        "name",
        "quantity",
        "value",
        "unit",
        "measured_at",
        "qualifier",
        "uncertainty",
    )
    assert len(table.records) == expected[0]
    assert {record.cells[0] for record in table.records} <= {first.code, second.code}
    names = {record.cells[1] for record in table.records if record.cells[0] == first.code}
    assert names <= {"Renamed, unsaved"}
    result.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(target)
    assert result.note.text() == messages.PATH_COPIED
    result.reject()
    qtbot.waitUntil(lambda: window.data.flow is None, timeout=PATIENCE_MS)


def test_the_samples_shown_as_csv_and_replacing_a_file(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    window.samples.search.setText("BIG")
    window.samples.apply_filter()
    shown = window.samples.model.total
    assert 0 < shown < 72
    window.samples.table.clearSelection()
    target = tmp_path / "samples.csv"
    target.write_text("old\n", encoding="utf-8")
    dialog = open_dialog(qtbot, window)
    assert dialog.shown_radio.isChecked() and dialog.samples_radio.isChecked()
    dialog.path_edit.setText(str(tmp_path / "samples.ods"))
    assert dialog.problem.text() == said.table_suffix_problem("samples.ods")
    assert not dialog.export_button.isEnabled()
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    box.choose(Choice.REPLACE)
    result = wait_for_dialog(qtbot, window, TableResultDialog)
    wait_idle(qtbot, window)
    assert result.result_.rows == shown
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfcode,name,collected_on")  # UTF-8 with BOM, for Excel
    assert len(read_table(target).records) == shown
    result.reject()
