"""Keyboard entry of measurements, driven by keys (never by calling the model).

Issue 10's defects 3 and 4 and its done-when: ten measurements typed with Tab and Enter only,
then Ctrl+S, store exactly what was typed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow

from .conftest import open_current, query, wait_idle
from .grid_keys import (
    CTRL,
    enter_row,
    focus_grid,
    focused,
    press,
    qt_warnings,
    start_row,
    type_text,
)

MEASUREMENT = "SELECT quantity, value, qualifier, uncertainty, unit, measured_at FROM measurement"


def shown_sample(window: MainWindow) -> tuple[int, str]:
    sample = window.detail.sample
    assert sample is not None
    return sample.id, sample.code


def last_quantity(path: Path, sample_id: int) -> str:
    rows = query(
        path,
        "SELECT quantity FROM measurement WHERE sample_id = ? "
        "ORDER BY measured_at IS NULL, measured_at, id",
        sample_id,
    )
    return str(rows[-1][0])


def test_tab_moves_across_the_row_and_return_keeps_the_cell(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    """Defect 3: Ctrl+M, 2.65, Tab, g/cm3, Tab, 2024-05-15 10:30, Return. Every Tab used to go
    back to Quantity (the table was reset under the open editor), so the quantity became the
    date and the unit was lost, and Qt warned about an editor that did not belong to the view."""
    open_current(qtbot, window, current_copy)
    sample_id, _code = shown_sample(window)
    quantity = last_quantity(current_copy, sample_id)
    connection = window.controller.connection
    assert connection is not None
    before = connection.execute("SELECT max(id) FROM measurement").fetchone()[0]
    focus_grid(qtbot, window)
    with qt_warnings() as warnings:
        start_row()
        type_text("2.65")
        press(Qt.Key.Key_Tab)
        table = window.detail.measurements_table
        assert table.currentIndex().column() == 2  # Unit, not back at Quantity
        type_text("g/cm3")
        press(Qt.Key.Key_Tab)
        assert table.currentIndex().column() == 3
        type_text("2024-05-15 10:30")
        press(Qt.Key.Key_Return)
    assert not [text for text in warnings if "commitData" in text]
    rows = connection.execute(f"{MEASUREMENT} WHERE id > ?", (before,)).fetchall()
    assert rows == [(quantity, 2.65, None, None, "g/cm3", "2024-05-15 10:30:00")]
    # After Return the table still has its current cell: the next row, its value being typed.
    current = table.currentIndex()
    assert current.isValid()
    assert (current.row(), current.column()) == (window.detail.measurements.rowCount() - 1, 1)
    assert isinstance(focused(), QLineEdit)


def test_ten_measurements_by_tab_and_enter_then_save_store_what_was_typed(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    """Issue 10's done-when, by keys only: Ctrl+M once, then Tab and Enter, then Ctrl+S."""
    open_current(qtbot, window, current_copy)
    sample_id, _code = shown_sample(window)
    quantity = last_quantity(current_copy, sample_id)
    (before,) = query(current_copy, "SELECT max(id) FROM measurement")[0]
    typed = [
        ("2.65", "g/cm3", "2024-05-15 10:30"),
        ("<0.05", "mg/L", "2024-05-15 10:45"),
        ("1.2 ± 0.1", "", "2024-05-15"),  # the unit as the row above; a date without a time
        ("n.d.", "", "2024-05-16 08:00"),
        (">100", "MPN/100 mL", "2024-05-16 08:05"),
        ("~3", "", ""),
        ("1.2+/-0.1", "mg/l", "2024-05-17 23:59"),
        ("-4.5e-3", "", "2024-05-18 00:00"),
        ("7.25", "pH", ""),
        ("0.1", "", "2024-05-19 12:00:30"),
    ]
    focus_grid(qtbot, window)
    start_row()
    for cells in typed:
        enter_row(*cells)
    press(Qt.Key.Key_S, CTRL)
    wait_idle(qtbot, window)
    assert not window.isWindowModified()
    stored = query(current_copy, f"{MEASUREMENT} WHERE id > ? ORDER BY id", before)
    assert stored == [
        (quantity, 2.65, None, None, "g/cm3", "2024-05-15 10:30:00"),
        (quantity, 0.05, "<", None, "mg/L", "2024-05-15 10:45:00"),
        (quantity, 1.2, None, 0.1, "mg/L", "2024-05-15 00:00:00"),
        (quantity, None, "nd", None, "mg/L", "2024-05-16 08:00:00"),
        (quantity, 100.0, ">", None, "MPN/100 mL", "2024-05-16 08:05:00"),
        (quantity, 3.0, "~", None, "MPN/100 mL", None),
        (quantity, 1.2, None, 0.1, "mg/l", "2024-05-17 23:59:00"),
        (quantity, -0.0045, None, None, "mg/l", "2024-05-18 00:00:00"),
        (quantity, 7.25, None, None, "pH", None),
        (quantity, 0.1, None, None, "pH", "2024-05-19 12:00:30"),
    ]
    # The grid shows them as they were typed (± spelled one way); the empty row that Enter
    # started last was dropped when Save took the focus from it.
    model = window.detail.measurements
    assert model.draft is None
    shown = [model.index(row, 1).data() for row in range(model.rowCount())]
    assert shown[-10:] == [
        "2.65", "<0.05", "1.2 ± 0.1", "n.d.", ">100", "~3", "1.2 ± 0.1", "-0.0045", "7.25", "0.1"
    ]  # fmt: skip
    # Ten rows, ten undo steps.
    assert window.controller.undo_stack.count() == 10


def select_sample_with_measurements(window: MainWindow, at_least: int) -> None:
    model = window.samples.model
    for row in range(model.rowCount()):
        sample = model.sample_at(row)
        if sample is not None and sample.measurement_count >= at_least:
            window.samples.select(sample.id)
            return
    raise AssertionError(f"no sample with {at_least} measurements")


def count_measurements(window: MainWindow) -> int:
    connection = window.controller.connection
    assert connection is not None
    return int(connection.execute("SELECT count(*) FROM measurement").fetchone()[0])


def test_no_measurement_exists_until_a_valid_value_is_typed(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    """Defect 4: Ctrl+M stored a measurement of 0 before anything was typed, and a refused
    value (<0,05 without decimal commas) left that 0 looking like data."""
    open_current(qtbot, window, current_copy)
    before = count_measurements(window)
    model = window.detail.measurements
    rows = model.rowCount()
    focus_grid(qtbot, window)
    start_row()
    assert count_measurements(window) == before
    assert model.rowCount() == rows + 1  # the new row is shown, not stored
    assert window.controller.undo_stack.count() == 0
    assert not window.isWindowModified()
    type_text("<0,05")
    press(Qt.Key.Key_Tab)
    # Refused: its sentence beside the table, the typed text kept for correction, nothing stored.
    problem = window.detail.measurements_problem
    assert problem.isVisible()
    assert problem.text() == "“0,05” has a decimal comma: write 0.05, or choose decimal commas."
    editor = focused()
    assert isinstance(editor, QLineEdit) and editor.text() == "<0,05"
    assert window.detail.measurements_table.currentIndex().column() == 1
    assert count_measurements(window) == before
    assert "0" not in [model.index(row, 1).data() for row in range(model.rowCount())]
    press(Qt.Key.Key_A, CTRL)  # the typed text, selected and typed over
    type_text("<0.05")
    press(Qt.Key.Key_Return)
    assert count_measurements(window) == before + 1
    assert not problem.isVisible()
    assert model.index(rows, 1).data() == "<0.05"


def test_esc_on_an_untouched_new_row_discards_it(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    before = count_measurements(window)
    model = window.detail.measurements
    rows = model.rowCount()
    focus_grid(qtbot, window)
    start_row()
    assert model.rowCount() == rows + 1
    press(Qt.Key.Key_Escape)
    assert model.rowCount() == rows
    assert model.draft is None
    assert count_measurements(window) == before
    assert window.controller.undo_stack.count() == 0
    # A row something was typed into keeps it on the first Esc (that cell goes back), and goes
    # on the second, from the table.
    start_row()
    type_text("12")
    press(Qt.Key.Key_Tab)
    type_text("mg")
    press(Qt.Key.Key_Escape)
    assert model.draft is not None and model.draft.texts["value"] == "12"
    press(Qt.Key.Key_Escape)
    assert model.rowCount() == rows
    assert count_measurements(window) == before


def test_a_new_row_starts_like_the_one_above_with_the_value_being_typed(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    model = window.detail.measurements
    above = model.measurement_at(model.rowCount() - 1)
    assert above is not None
    focus_grid(qtbot, window)
    start_row()
    row = model.rowCount() - 1
    assert model.index(row, 0).data() == above.quantity
    assert model.index(row, 2).data() == above.unit
    table = window.detail.measurements_table
    assert (table.currentIndex().row(), table.currentIndex().column()) == (row, 1)
    editor = focused()
    assert isinstance(editor, QLineEdit) and editor.text() == ""
    # Shift+Tab goes back to Quantity (an empty value may wait), typing replaces it.
    press(Qt.Key.Key_Backtab)
    assert table.currentIndex().column() == 0
    type_text("turbidity")
    press(Qt.Key.Key_Tab)
    type_text("4.5")
    press(Qt.Key.Key_Tab)
    type_text("NTU")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)  # past the last cell: stored, and the next row starts
    stored = model.measurement_at(row)
    assert stored is not None
    assert (stored.quantity, stored.value, stored.unit) == ("turbidity", 4.5, "NTU")
    assert model.index(row + 1, 0).data() == "turbidity"
    assert (table.currentIndex().row(), table.currentIndex().column()) == (row + 1, 1)


def test_enter_on_an_empty_value_says_what_is_missing(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    before = count_measurements(window)
    focus_grid(qtbot, window)
    start_row()
    press(Qt.Key.Key_Tab)
    type_text("mg/L")
    press(Qt.Key.Key_Return)
    assert count_measurements(window) == before
    assert window.detail.measurements_problem.text() == "Enter a value, like 7.25, <0.05 or n.d."
    table = window.detail.measurements_table
    assert table.currentIndex().column() == 1  # back in Value, open for typing
    assert isinstance(focused(), QLineEdit)
    type_text("9")
    press(Qt.Key.Key_Return)
    assert count_measurements(window) == before + 1


def test_every_row_is_one_undo_step_and_a_rows_edit_is_one_step(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    before = count_measurements(window)
    model = window.detail.measurements
    focus_grid(qtbot, window)
    start_row()
    enter_row("1", "u", "2024-01-01")
    enter_row("2", "", "")
    enter_row("3", "", "")
    stack = window.controller.undo_stack
    assert stack.count() == 3
    assert [stack.text(i) for i in range(3)] == ["Add Measurement"] * 3
    # Edit the first new row: all three of its cells, one step.
    press(Qt.Key.Key_Escape)  # drop the empty row Enter started
    first = model.rowCount() - 3
    table = window.detail.measurements_table
    table.setCurrentIndex(model.index(first, 1))
    press(Qt.Key.Key_F2)
    type_text("<1")
    press(Qt.Key.Key_Tab)
    type_text("mg")
    press(Qt.Key.Key_Tab)
    type_text("2024-01-02 03:04")
    press(Qt.Key.Key_Return)
    assert stack.count() == 4 and stack.text(3) == "Edit Measurement"
    edited = model.measurement_at(first)
    assert edited is not None
    assert (edited.qualifier, edited.unit, edited.measured_at) == ("<", "mg", "2024-01-02 03:04:00")
    table.setFocus()
    press(Qt.Key.Key_Z, CTRL)
    edited = model.measurement_at(first)
    assert edited is not None
    assert (edited.lab_value.qualifier, edited.unit, edited.measured_at) == (
        None,
        "u",
        "2024-01-01 00:00:00",
    )
    for _ in range(3):
        press(Qt.Key.Key_Z, CTRL)
    assert count_measurements(window) == before
    assert not window.isWindowModified()


def test_ctrl_z_in_the_next_rows_empty_value_undoes_the_row_just_entered(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    before = count_measurements(window)
    focus_grid(qtbot, window)
    start_row()
    enter_row("5", "", "")
    assert count_measurements(window) == before + 1
    assert isinstance(focused(), QLineEdit)  # the next row's value
    press(Qt.Key.Key_Z, CTRL)
    assert count_measurements(window) == before
    # With something typed, Ctrl+Z undoes the typing first.
    type_text("77")
    press(Qt.Key.Key_Z, CTRL)
    editor = focused()
    assert isinstance(editor, QLineEdit) and editor.text() == ""
    assert count_measurements(window) == before


def test_a_refused_edit_of_a_stored_value_keeps_the_typed_text(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    model = window.detail.measurements
    table = window.detail.measurements_table
    stored = model.measurement_at(0)
    assert stored is not None
    shown = model.index(0, 1).data()
    focus_grid(qtbot, window)
    table.setCurrentIndex(model.index(0, 1))
    type_text("<LOD")  # typing opens the cell
    press(Qt.Key.Key_Return)
    editor = focused()
    assert isinstance(editor, QLineEdit) and editor.text() == "<LOD"  # still open, for correction
    assert "names a limit without its value" in window.detail.measurements_problem.text()
    # Leaving the cell (a click elsewhere) keeps the text in the cell, marked, not stored.
    table.setFocus()
    settle_rows = model.index(0, 1).data()
    assert settle_rows == "<LOD"
    assert model.measurement_at(0) == stored
    assert window.controller.undo_stack.count() == 0
    press(Qt.Key.Key_Escape)  # and Esc brings the stored value back
    assert model.index(0, 1).data() == shown
    assert not window.detail.measurements_problem.isVisible()
    # Return keeps the current cell after a good edit.
    type_text("42")
    press(Qt.Key.Key_Return)
    assert model.index(0, 1).data() == "42"
    assert (table.currentIndex().row(), table.currentIndex().column()) == (0, 1)
    assert window.controller.undo_stack.count() == 1


def test_delete_removes_the_selected_rows_in_one_step(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    select_sample_with_measurements(window, 3)
    model = window.detail.measurements
    table = window.detail.measurements_table
    rows = model.rowCount()
    before = count_measurements(window)
    focus_grid(qtbot, window)
    table.setCurrentIndex(model.index(0, 0))
    press(Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # two rows selected
    press(Qt.Key.Key_Delete)
    assert count_measurements(window) == before - 2
    assert model.rowCount() == rows - 2
    assert window.controller.undo_stack.text(0) == "Delete 2 Measurements"
    press(Qt.Key.Key_Z, CTRL)
    assert count_measurements(window) == before
    assert model.rowCount() == rows


def test_after_ctrl_s_the_keys_go_on_where_they_were(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    """Save took the focus (to store what was being typed) and disabled the window while its worker
    wrote, and never gave the focus back: the keys after Ctrl+S went nowhere."""
    open_current(qtbot, window, current_copy)
    before = count_measurements(window)
    focus_grid(qtbot, window)
    start_row()
    type_text("2.5")
    press(Qt.Key.Key_S, CTRL)  # stores the row being typed, then saves it
    wait_idle(qtbot, window)
    assert not window.isWindowModified()
    assert query(current_copy, "SELECT count(*) FROM measurement") == [(before + 1,)]
    table = window.detail.measurements_table
    qtbot.waitUntil(table.hasFocus)
    start_row()
    type_text("3.5")
    press(Qt.Key.Key_Return)
    assert count_measurements(window) == before + 2
    # A sample's field the same way: Save stores it, and the typing goes on in it.
    name = window.detail.editors["name"]
    name.setFocus()
    qtbot.waitUntil(name.hasFocus)
    press(Qt.Key.Key_End)
    type_text(" A")
    press(Qt.Key.Key_S, CTRL)
    wait_idle(qtbot, window)
    qtbot.waitUntil(name.hasFocus)
    type_text("B")
    assert name.text().endswith(" AB")
