"""The measurements grid beyond typing: locales, clipboard, completion, the time picker, columns and
context menus (through the real window, keys where a person would use keys)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.ui.importing.dialog import ImportDialog
from app.ui.main_window import MainWindow
from app.ui.widgets.measurement_columns import SETTINGS_GROUP
from app.ui.widgets.measurement_editors import MeasuredAtEdit
from app.ui.window_geometry import split_widths

from .conftest import PATIENCE_MS, open_current, query, wait_for_dialog, wait_idle
from .grid_keys import CTRL, enter_row, focus_grid, focused, press, settle, start_row, type_text
from .test_import_dialog import wait_checked, work_rows
from .test_measurement_entry import count_measurements, select_sample_with_measurements

GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)


@pytest.fixture
def german_locale() -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(GERMAN)
    try:
        yield
    finally:
        QLocale.setDefault(previous)


@pytest.fixture
def fresh_columns() -> Iterator[None]:
    """No column layout remembered from another test (the settings file is the session's)."""
    from app.ui import recent  # noqa: PLC0415

    store = recent.settings()
    store.remove(SETTINGS_GROUP)
    store.sync()
    yield
    store.remove(SETTINGS_GROUP)
    store.sync()


def new_values(path: Path, before: int) -> list[tuple[object, ...]]:
    return query(
        path,
        "SELECT value, qualifier, uncertainty FROM measurement WHERE id > ? ORDER BY id",
        before,
    )


def max_id(path: Path) -> int:
    return int(query(path, "SELECT max(id) FROM measurement")[0][0])


def test_decimal_commas_where_the_locale_writes_them(
    qtbot: QtBot, german_locale: None, current_copy: Path
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    try:
        open_current(qtbot, window, current_copy)
        before = max_id(current_copy)
        model = window.detail.measurements
        assert model.decimal_comma
        focus_grid(qtbot, window)
        start_row()
        enter_row("0,05", "", "")
        enter_row("<0,05", "", "")
        enter_row("1,2 ± 0,1", "", "")
        type_text("0.05")  # a point where commas are in use is refused, never guessed
        press(Qt.Key.Key_Return)
        assert window.detail.measurements_problem.text() == (
            "“0.05” has a point, but decimal commas are in use: write 0,05."
        )
        press(Qt.Key.Key_Escape)
        press(Qt.Key.Key_Escape)
        window.acts.save.trigger()
        wait_idle(qtbot, window)
        assert new_values(current_copy, before) == [
            (0.05, None, None),
            (0.05, "<", None),
            (1.2, None, 0.1),
        ]
        shown = [model.index(row, 1).data() for row in range(model.rowCount())][-3:]
        assert shown == ["0,05", "<0,05", "1,2 ± 0,1"]
    finally:
        window.controller.discard_and_close()
        window._close_confirmed = True
        window.close()


def test_decimal_points_where_the_locale_writes_them(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    assert QLocale().decimalPoint() == "."
    open_current(qtbot, window, current_copy)
    before = max_id(current_copy)
    focus_grid(qtbot, window)
    start_row()
    type_text("0,05")
    press(Qt.Key.Key_Return)
    assert "decimal comma" in window.detail.measurements_problem.text()
    editor = focused()
    assert isinstance(editor, QLineEdit)
    editor.setText("0.05")
    press(Qt.Key.Key_Return)
    window.acts.save.trigger()
    wait_idle(qtbot, window)
    assert new_values(current_copy, before) == [(0.05, None, None)]


def test_ctrl_c_copies_the_selected_rows_as_a_table(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    select_sample_with_measurements(window, 3)
    sample = window.detail.sample
    assert sample is not None
    model = window.detail.measurements
    table = window.detail.measurements_table
    focus_grid(qtbot, window)
    table.selectRow(0)
    table.selectionModel().select(
        model.index(2, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    QApplication.clipboard().clear()
    press(Qt.Key.Key_C, CTRL)
    lines = QApplication.clipboard().text().split("\n")
    assert lines[0] == "code\tquantity\tvalue\tunit\tmeasured_at"
    expected = [
        "\t".join([sample.code, *(str(model.index(row, c).data()) for c in range(4))])
        for row in (0, 2)
    ]
    assert lines[1:] == [*expected, ""]


def test_ctrl_v_in_the_grid_pastes_through_the_import(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    before = count_measurements(window)
    sample = window.detail.sample
    assert sample is not None
    focus_grid(qtbot, window)
    window.detail.measurements_table.setCurrentIndex(window.detail.measurements.index(0, 0))
    # One row copied from this table (with its sample's code, which names another sample here:
    # a paste into a sample's table belongs to that sample).
    QApplication.clipboard().setText(
        "code\tquantity\tvalue\tunit\tmeasured_at\n"
        "SOMEWHERE-ELSE\tnitrate\t<0.5\tmg/L\t2024-05-15 10:30\n"
    )
    press(Qt.Key.Key_V, CTRL)
    assert window.presenter.current is None  # one clean row: no preview
    assert count_measurements(window) == before + 1
    stack = window.controller.undo_stack
    assert stack.undoText() == "Paste 1 Measurement"
    newest = "SELECT sample_id, quantity, value, qualifier, unit, measured_at FROM measurement"
    newest += " ORDER BY id DESC LIMIT 1"
    assert work_rows(window, newest) == [
        (sample.id, "nitrate", 0.5, "<", "mg/L", "2024-05-15 10:30:00")
    ]
    # A row of an export table, with the qualifier in its own column.
    QApplication.clipboard().setText("quantity\tvalue\tunit\tqualifier\nnitrate\t\tmg/L\tnd\n")
    press(Qt.Key.Key_V, CTRL)
    assert work_rows(window, newest) == [(sample.id, "nitrate", None, "nd", "mg/L", None)]
    assert count_measurements(window) == before + 2
    # Several rows (no header: the grid's column order) show the import preview.
    QApplication.clipboard().setText("nitrate\t1\tmg/L\nnitrate\t2\tmg/L\n")
    press(Qt.Key.Key_V, CTRL)
    dialog = wait_for_dialog(qtbot, window, ImportDialog)
    wait_checked(qtbot, dialog)
    assert dialog.plan is not None and dialog.plan.added == 2
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.presenter.current is None, timeout=PATIENCE_MS)
    wait_idle(qtbot, window)
    assert count_measurements(window) == before + 4
    assert stack.undoText() == "Paste 2 Measurements"
    window.acts.undo.trigger()
    assert count_measurements(window) == before + 2
    # One cell pastes into the current cell, as if typed.
    QApplication.clipboard().setText("8.5\n")
    focus_grid(qtbot, window)
    window.detail.measurements_table.setCurrentIndex(window.detail.measurements.index(0, 1))
    press(Qt.Key.Key_V, CTRL)
    assert window.detail.measurements.index(0, 1).data() == "8.5"


def test_paste_keeps_the_new_row_being_typed(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    """Rows pasted while a new row is half typed: the typed row is stored first, not lost."""
    open_current(qtbot, window, current_copy)
    before = count_measurements(window)
    focus_grid(qtbot, window)
    start_row()
    type_text("3.5")
    press(Qt.Key.Key_Tab)  # the unit's editor opens
    press(Qt.Key.Key_Escape)  # and closes; the new row stays, its value typed
    assert window.detail.measurements.draft is not None
    QApplication.clipboard().setText("nitrate\t4\tmg/L\t2024-05-16\n")
    press(Qt.Key.Key_V, CTRL)
    assert count_measurements(window) == before + 2
    values = "SELECT value FROM measurement ORDER BY id DESC LIMIT 2"
    assert work_rows(window, values) == [(4.0,), (3.5,)]
    assert window.detail.measurements.draft is None


def test_completion_offers_the_documents_spellings_whatever_the_case(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    focus_grid(qtbot, window)
    start_row()
    press(Qt.Key.Key_Tab)  # to Unit
    editor = focused()
    assert isinstance(editor, QLineEdit)
    completer = editor.completer()
    assert completer is not None
    completer.setCompletionPrefix("MG/")
    offered = [
        completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())
    ]
    assert sorted(offered) == ["mg/L", "mg/l"]
    press(Qt.Key.Key_Backtab)
    press(Qt.Key.Key_Backtab)  # to Quantity
    quantity_editor = focused()
    assert isinstance(quantity_editor, QLineEdit)
    quantity_completer = quantity_editor.completer()
    assert quantity_completer is not None
    quantity_completer.setCompletionPrefix("DISS")
    assert quantity_completer.currentCompletion() == "dissolved oxygen"


def test_the_time_picker_fills_the_cell(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    before = max_id(current_copy)
    focus_grid(qtbot, window)
    start_row()
    type_text("3")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    editor = focused()
    assert isinstance(editor, MeasuredAtEdit)
    type_text("2024-05-15 10:30")
    QTest.keyClick(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle()
    picker = editor.picker
    assert picker.isVisible()
    assert picker.calendar.selectedDate() == QDate(2024, 5, 15)
    assert picker.with_time.isChecked()
    picker.calendar.clicked.emit(QDate(2024, 6, 3))
    settle()
    assert not picker.isVisible()
    assert editor.text() == "2024-06-03 10:30"
    assert window.detail.measurements_table.open_editor() is editor  # still being edited
    press(Qt.Key.Key_Return)
    window.acts.save.trigger()
    wait_idle(qtbot, window)
    assert query(current_copy, "SELECT measured_at FROM measurement WHERE id > ?", before) == [
        ("2024-06-03 10:30:00",)
    ]


def test_columns_fit_what_they_hold_and_the_quantity_takes_the_rest(
    qtbot: QtBot, window: MainWindow, current_copy: Path, fresh_columns: None
) -> None:
    """Units are not cut ("MPN/100 mL") while Measured at is only as wide as a time."""
    open_current(qtbot, window, current_copy)
    window.resize(1024, 700)
    select_sample_with_unit(window, "MPN/100 mL")
    settle()
    table = window.detail.measurements_table
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    assert header.sectionSize(2) >= metrics.horizontalAdvance("MPN/100 mL")
    assert header.sectionSize(3) < 2 * metrics.horizontalAdvance("2024-05-15 10:30:00")
    longest = max(
        metrics.horizontalAdvance(str(row.quantity))
        for row in window.detail.measurements.stored_rows()
    )
    assert header.sectionSize(0) >= min(longest, metrics.horizontalAdvance("dissolved oxygen"))
    # With room to spare the quantity takes it: the columns fill the table.
    window.resize(1900, 1000)
    settle()
    used = sum(header.sectionSize(column) for column in range(4))
    assert used == table.viewport().width()


def test_short_quantities_need_no_sideways_scrolling_when_rows_fill_the_table(
    qtbot: QtBot, window: MainWindow, current_copy: Path, fresh_columns: None
) -> None:
    """At 1024x700 a column of "turbidity" rows used to keep room for "temperature": once the
    rows filled the table's height, its scroll bar pushed the columns past the edge by a few
    pixels and a sideways scroll bar covered the last row."""
    open_current(qtbot, window, current_copy)
    window.resize(1024, 700)
    window.splitter.setSizes(split_widths(1024))  # as a window opened on a 1024-pixel screen
    sample_id = query(current_copy, "SELECT id FROM sample WHERE code = '2024'")[0][0]
    assert window.samples.select(sample_id)
    focus_grid(qtbot, window)
    table = window.detail.measurements_table
    start_row()
    while not table.verticalScrollBar().isVisible():
        enter_row("1.5", "", "2024-05-15 10:30")
    press(Qt.Key.Key_Escape)  # the empty row Enter started
    settle()
    header = table.horizontalHeader()
    # The panel a little wider than what the rows hold (fonts differ between machines).
    needed = table.sizeHintForColumn(0) + sum(header.sectionSize(column) for column in (1, 2, 3))
    for _ in range(10):  # the splitter gives what the panel's layouts allow: close in on it
        gap = table.viewport().width() - needed
        if 0 <= gap <= 20:
            break
        shift = (gap - 10) // 2 or (1 if gap > 0 else -1)
        list_width, panel = window.splitter.sizes()
        window.splitter.setSizes([list_width + shift, panel - shift])
        settle()
    assert 0 <= table.viewport().width() - needed <= 20
    assert sum(header.sectionSize(column) for column in range(4)) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    assert header.sectionSize(0) >= header.fontMetrics().horizontalAdvance("turbidity")


def select_sample_with_unit(window: MainWindow, unit: str) -> None:
    connection = window.controller.connection
    assert connection is not None
    (sample_id,) = connection.execute(
        "SELECT sample_id FROM measurement WHERE unit = ? LIMIT 1", (unit,)
    ).fetchone()
    assert window.samples.select(sample_id)


def test_column_widths_order_and_hidden_columns_are_remembered(
    qtbot: QtBot, fresh_columns: None
) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    header = first.detail.measurements_table.horizontalHeader()
    unit = header.sectionSize(2)
    header.resizeSection(2, unit + 37)  # as a drag of the edge does
    header.moveSection(3, 0)
    first.detail.measurements_grid.columns.set_shown(0, False)
    first.detail.measurements_grid.columns.set_shown(1, False)  # Value stays
    second = MainWindow()
    qtbot.addWidget(second)
    again = second.detail.measurements_table.horizontalHeader()
    assert again.sectionSize(2) == unit + 37
    assert again.logicalIndex(0) == 3
    assert again.isSectionHidden(0) and not again.isSectionHidden(1)
    assert second.detail.measurements_table.visible_columns() == [3, 1, 2]
    second.detail.measurements_grid.columns.reset()
    assert second.detail.measurements_table.visible_columns() == [0, 1, 2, 3]
    assert second.detail.measurements_grid.columns.chosen == set()


def test_tab_follows_the_columns_as_shown(
    qtbot: QtBot, window: MainWindow, current_copy: Path, fresh_columns: None
) -> None:
    open_current(qtbot, window, current_copy)
    columns = window.detail.measurements_grid.columns
    columns.set_shown(2, False)  # no Unit
    try:
        focus_grid(qtbot, window)
        start_row()
        table = window.detail.measurements_table
        type_text("1")
        press(Qt.Key.Key_Tab)
        assert table.currentIndex().column() == 3
    finally:
        columns.reset()


def test_context_menus_of_rows_and_header(
    qtbot: QtBot, window: MainWindow, current_copy: Path, fresh_columns: None
) -> None:
    open_current(qtbot, window, current_copy)
    select_sample_with_measurements(window, 2)
    panel = window.detail.measurements_grid
    table = window.detail.measurements_table
    table.selectRow(0)
    menu = panel.row_menu()
    entries = {action.text(): action for action in menu.actions()}
    assert list(entries) == ["Add Measurement", "Delete Measurement", "Copy", "Paste"]
    assert entries["Add Measurement"].isEnabled() and entries["Copy"].isEnabled()
    before = count_measurements(window)
    entries["Delete Measurement"].trigger()
    assert count_measurements(window) == before - 1
    header_menu = panel.columns.chooser(table.horizontalHeader())
    titles = [action.text() for action in header_menu.actions() if action.text()]
    assert titles == ["Quantity", "Value", "Unit", "Measured at", "Reset Columns"]
    value = header_menu.actions()[1]
    assert value.isChecked() and not value.isEnabled()
    header_menu.actions()[3].trigger()  # untick Measured at
    assert table.isColumnHidden(3)
    panel.columns.reset()


def test_a_read_only_document_shows_measurements_but_takes_no_entry(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    window.controller.open_path(current_copy, read_only=True)
    qtbot.waitUntil(lambda: window.controller.document is not None and not window.controller.busy)
    wait_idle(qtbot, window)
    model = window.detail.measurements
    rows = model.rowCount()
    focus_grid(qtbot, window)
    start_row()
    assert model.rowCount() == rows and model.draft is None
    menu = window.detail.measurements_grid.row_menu()
    enabled = {action.text(): action.isEnabled() for action in menu.actions()}
    assert not enabled["Add Measurement"] and not enabled["Paste"]
