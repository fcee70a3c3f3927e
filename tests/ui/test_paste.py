"""Rows pasted from a spreadsheet into the samples list or a sample's measurements: one clean row
goes straight in, several rows show the import preview; either way one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.ui.importing.dialog import ImportDialog
from app.ui.main_window import MainWindow
from app.ui.paste import paste_measurements, paste_samples

from .conftest import PATIENCE_MS, open_current, wait_for_dialog, wait_idle
from .test_import_dialog import make_document, wait_checked, work_rows


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    return make_document(tmp_path, "S-1", "S-2")


def test_one_clean_row_goes_straight_in(qtbot: QtBot, window: MainWindow, lab: Path) -> None:
    open_current(qtbot, window, lab)
    # A row copied from a spreadsheet without its header: read in the order of Samplebook's tables.
    assert paste_samples(window, "N-1\tNew one\t2024-06-01\tHarbour\r\n") is None
    assert window.presenter.current is None  # no preview for one clean row
    assert work_rows(
        window, "SELECT code, name, collected_on, location FROM sample WHERE id = 3"
    ) == [("N-1", "New one", "2024-06-01", "Harbour")]
    stack = window.controller.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Paste 1 Sample"
    window.acts.undo.trigger()
    assert work_rows(window, "SELECT count(*) FROM sample") == [(2,)]
    window.acts.redo.trigger()
    assert work_rows(window, "SELECT id, code FROM sample WHERE code = 'N-1'") == [(3, "N-1")]


def test_several_rows_show_the_preview_first(qtbot: QtBot, window: MainWindow, lab: Path) -> None:
    open_current(qtbot, window, lab)
    text = "Code\tName\tCollected on\nP-1\tFirst\t2024-01-02\nP-2\tSecond\t\nS-1\tTaken\t\n"
    flow = paste_samples(window, text)
    assert flow is not None
    dialog = wait_for_dialog(qtbot, window, ImportDialog)
    wait_checked(qtbot, dialog)
    # The list's own column titles name fields too ("Collected on").
    assert dialog.mapping() == {"Code": "code", "Name": "name", "Collected on": "collected_on"}
    plan = dialog.plan
    assert plan is not None and (plan.added, len(plan.rejected)) == (2, 1)
    assert dialog.problems.toPlainText().startswith("Row 4: the document already has")
    assert work_rows(window, "SELECT count(*) FROM sample") == [(2,)]  # nothing yet
    dialog.skip_check.setChecked(True)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.presenter.current is None, timeout=PATIENCE_MS)
    wait_idle(qtbot, window)
    assert work_rows(window, "SELECT code, collected_on FROM sample ORDER BY id") == [
        ("S-1", None),
        ("S-2", None),
        ("P-1", "2024-01-02"),
        ("P-2", None),
    ]
    assert window.controller.undo_stack.undoText() == "Paste 2 Samples"
    window.acts.undo.trigger()
    assert work_rows(window, "SELECT count(*) FROM sample") == [(2,)]


def test_ctrl_v_on_the_samples_list_pastes(qtbot: QtBot, window: MainWindow, lab: Path) -> None:
    open_current(qtbot, window, lab)
    QGuiApplication.clipboard().setText("code\tname\nK-1\tKeyboard\n")
    window.samples.table.setFocus()
    qtbot.keyClick(window.samples.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert work_rows(window, "SELECT code, name FROM sample WHERE id = 3") == [("K-1", "Keyboard")]


def test_measurements_pasted_into_a_sample(qtbot: QtBot, window: MainWindow, lab: Path) -> None:
    open_current(qtbot, window, lab)
    # One headerless row: quantity, value, unit, measured at — with a decimal comma.
    assert paste_measurements(window, 2, "pH\t7,4\t\t2024-03-01 10:00\n") is None
    assert work_rows(window, "SELECT sample_id, quantity, value, measured_at FROM measurement") == [
        (2, "pH", 7.4, "2024-03-01 10:00:00")
    ]
    # Several rows copied with a header that names another sample: they still go to sample 1.
    text = "code\tquantity\tvalue\tunit\nS-2\tCu\t<0.05\tmg/L\nS-2\tZn\tn.d.\tmg/L\nS-2\tFe\tlots\tmg/L\n"
    flow = paste_measurements(window, 1, text)
    assert flow is not None
    dialog = wait_for_dialog(qtbot, window, ImportDialog)
    wait_checked(qtbot, dialog)
    assert "S-1" in dialog.note.text()
    assert "\u2063sample" not in dialog.preview.combos  # the sample's own column is not shown
    assert dialog.mapping()["code"] == ""
    plan = dialog.plan
    assert plan is not None and (plan.added, len(plan.rejected)) == (2, 1)
    dialog.skip_check.setChecked(True)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.presenter.current is None, timeout=PATIENCE_MS)
    wait_idle(qtbot, window)
    assert work_rows(
        window, "SELECT sample_id, quantity, value, qualifier FROM measurement ORDER BY id"
    ) == [(2, "pH", 7.4, None), (1, "Cu", 0.05, "<"), (1, "Zn", None, "nd")]
    stack = window.controller.undo_stack
    assert stack.count() == 2 and stack.undoText() == "Paste 2 Measurements"
    window.acts.undo.trigger()
    assert work_rows(window, "SELECT count(*) FROM measurement") == [(1,)]
