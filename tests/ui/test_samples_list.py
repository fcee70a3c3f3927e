"""The samples list as a spreadsheet user drives it: by keyboard, clipboard and context menus.

Issue 10, defects 2, 10, 11 and 12, each driven by keys (and the context-menu key) through the
real window.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu
from pytestqt.qtbot import QtBot

from app.ui.importing.dialog import ImportDialog
from app.ui.main_window import MainWindow
from app.ui.models.samples_model import PAGE

from .conftest import open_current, wait_for_dialog
from .keys import CTRL, SHIFT, Key, big_document, focus, press, type_text


def search_for(qtbot: QtBot, window: MainWindow, text: str) -> None:
    focus(qtbot, window, window.samples.search)
    type_text(qtbot, text)
    press(qtbot, Key.Key_Return)
    assert window.samples.model.filter.text == text


# -- defect 2: a new or changed sample is always shown and selected --------------------------------


def test_a_new_sample_is_shown_although_the_search_hid_it(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    total = window.samples.model.total
    search_for(qtbot, window, "BOD")
    shown = window.samples.model.total
    assert 0 < shown < total

    press(qtbot, Key.Key_N, CTRL | SHIFT)  # Edit ▸ New Sample, from the search box
    created = window.detail.sample
    assert created is not None and "BOD" not in created.code
    assert window.samples.selected_ids() == [created.id]
    assert window.samples.search.text() == ""
    assert window.samples.model.total == total + 1
    assert window.statusBar().currentMessage() == (
        f"Cleared the search “BOD” to show “{created.code}”."
    )
    assert window.detail.editors["name"].hasFocus()  # ready to type its name

    # Ctrl+Z in the search box, which has nothing of its own to undo, undoes the new sample.
    focus(qtbot, window, window.samples.search)
    press(qtbot, Key.Key_Z, CTRL)
    assert window.samples.model.total == total
    assert window.samples.model.row_of(created.id) is None
    assert len(window.samples.selected_ids()) == 1  # its neighbour, not an empty panel

    # Typing in the box is undone first (the box's own undo), the document's edits after that.
    type_text(qtbot, "LEM")
    press(qtbot, Key.Key_Z, CTRL)
    assert window.samples.search.text() == ""
    assert window.controller.undo_stack.canRedo()  # the new sample was not redone or undone
    assert window.controller.undo_stack.index() == 0


def test_a_new_sample_is_shown_although_the_tag_filter_hid_it(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    window.samples.tag_filter.set_checked(("soil",))
    assert window.samples.model.filter.tags == ("soil",)
    focus(qtbot, window, window.samples.table)
    press(qtbot, Key.Key_N, CTRL | SHIFT)
    created = window.detail.sample
    assert created is not None
    assert window.samples.selected_ids() == [created.id]
    assert window.samples.tag_filter.checked_tags() == ()
    assert window.statusBar().currentMessage() == (
        f"Cleared the tag filter to show “{created.code}”."
    )


def test_a_new_sample_beyond_the_loaded_rows_is_loaded_and_selected(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_current(qtbot, window, big_document(tmp_path, PAGE * 3))
    model = window.samples.model
    assert model.rowCount() == PAGE
    focus(qtbot, window, window.samples.table)
    press(qtbot, Key.Key_N, CTRL | SHIFT)  # "S-1" sorts after every "B-…" code
    created = window.detail.sample
    assert created is not None and created.code == "S-1"
    assert window.samples.selected_ids() == [created.id]
    assert model.row_of(created.id) == PAGE * 3


def test_undo_of_an_edit_shows_the_sample_it_changed(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    name = window.detail.editors["name"]
    focus(qtbot, window, name)
    assert isinstance(name, QLineEdit)
    name.selectAll()
    type_text(qtbot, "Renamed")
    press(qtbot, Key.Key_Return)
    assert window.controller.undo_stack.count() == 1
    search_for(qtbot, window, "LEM")  # the renamed sample is not listed any more
    assert window.samples.model.row_of(sample.id) is None
    focus(qtbot, window, window.samples.table)
    press(qtbot, Key.Key_Z, CTRL)
    assert window.samples.selected_ids() == [sample.id]
    assert window.samples.search.text() == ""
    assert window.detail.sample is not None and window.detail.sample.name == sample.name


def test_a_stored_field_undoes_the_document_edit_with_ctrl_z(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    """After Return, Ctrl+Z in the field undoes the stored edit, as in a spreadsheet cell."""
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    name = window.detail.editors["name"]
    focus(qtbot, window, name)
    type_text(qtbot, " (typed)")
    press(qtbot, Key.Key_Z, CTRL)  # not stored yet: the field's own undo
    assert window.detail.text_of("name") == sample.name
    assert window.controller.undo_stack.count() == 0
    type_text(qtbot, " (stored)")
    press(qtbot, Key.Key_Return)
    assert window.controller.undo_stack.count() == 1
    press(qtbot, Key.Key_Z, CTRL)
    assert window.controller.undo_stack.index() == 0
    assert window.detail.text_of("name") == sample.name


# -- defect 11: keyboard in the list ---------------------------------------------------------------


def test_home_end_tab_and_shift_tab_in_the_list(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_current(qtbot, window, big_document(tmp_path, PAGE * 2 + 5))
    table = window.samples.table
    model = window.samples.model
    focus(qtbot, window, table)
    press(qtbot, Key.Key_End)
    assert table.currentIndex().row() == PAGE * 2 + 4  # the last sample, not the last loaded
    assert window.samples.selected_ids() == [model.sample_at(PAGE * 2 + 4).id]  # type: ignore[union-attr]
    press(qtbot, Key.Key_Home)
    assert table.currentIndex().row() == 0
    press(qtbot, Key.Key_End, CTRL)
    assert table.currentIndex().row() == PAGE * 2 + 4
    press(qtbot, Key.Key_Home, CTRL)
    assert table.currentIndex().row() == 0
    assert table.currentIndex().column() == 0
    press(qtbot, Key.Key_End, SHIFT)  # extends the selection to the end
    assert len(window.samples.selected_ids()) == PAGE * 2 + 5

    press(qtbot, Key.Key_Tab)
    assert not table.hasFocus()  # Tab leaves the list for the next field
    assert QApplication.focusWidget() is not None
    press(qtbot, Key.Key_Tab, SHIFT)
    assert table.hasFocus()


def test_escape_clears_the_search_then_returns_to_the_list(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    total = window.samples.model.total
    search_for(qtbot, window, "BOD")
    assert window.samples.model.total < total
    press(qtbot, Key.Key_Escape)
    assert window.samples.search.text() == ""
    qtbot.waitUntil(lambda: window.samples.model.total == total)
    press(qtbot, Key.Key_Z, CTRL)  # the cleared search can be had back
    assert window.samples.search.text() == "BOD"
    press(qtbot, Key.Key_Escape)
    press(qtbot, Key.Key_Escape)  # empty box: back to the list
    assert window.samples.table.hasFocus()


# -- defect 10: the clipboard ----------------------------------------------------------------------


def copied_table() -> list[list[str]]:
    text = QApplication.clipboard().text()
    return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))


def test_ctrl_c_copies_the_selected_rows_as_a_table(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    model = window.samples.model
    focus(qtbot, window, window.samples.table)
    press(qtbot, Key.Key_Home)
    press(qtbot, Key.Key_Down, SHIFT)
    press(qtbot, Key.Key_Down, SHIFT)
    assert len(window.samples.selected_ids()) == 3
    press(qtbot, Key.Key_C, CTRL)
    rows = copied_table()
    assert rows[0] == ["Code", "Name", "Collected on", "Location", "Tags", "Measurements"]
    assert len(rows) == 4
    for position, row in enumerate(rows[1:]):
        sample = model.sample_at(position)
        assert sample is not None
        assert row == [
            sample.code,
            sample.name,
            sample.collected_on or "",
            sample.location or "",
            "; ".join(sample.tags),
            str(sample.measurement_count),
        ]
    assert "\r\n" in QApplication.clipboard().text()  # a spreadsheet reads it as rows


def test_a_text_field_keeps_its_own_clipboard(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    name = window.detail.editors["name"]
    focus(qtbot, window, name)
    press(qtbot, Key.Key_A, CTRL)
    press(qtbot, Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == sample.name
    # Edit ▸ Copy and Edit ▸ Select All do the same from the menu.
    QApplication.clipboard().setText("")
    window.acts.select_all.trigger()
    window.acts.copy.trigger()
    assert QApplication.clipboard().text() == sample.name
    # Edit ▸ Paste pastes into the field, Edit ▸ Cut cuts from it.
    QApplication.clipboard().setText("Pasted")
    assert isinstance(name, QLineEdit)
    name.selectAll()
    window.acts.paste.trigger()
    assert name.text() == "Pasted"
    name.selectAll()
    window.acts.cut.trigger()
    assert name.text() == "" and QApplication.clipboard().text() == "Pasted"


def test_edit_menu_acts_on_the_list(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    open_current(qtbot, window, big_document(tmp_path, PAGE + 10))
    focus(qtbot, window, window.samples.table)
    menu = window.acts.edit_menu
    names = [action.objectName() for action in menu.actions()]
    for name in ("cut", "copy", "paste", "selectAll"):
        assert name in names
    QApplication.clipboard().clear()
    window.editing_features.clipboard.update_enabled()  # what the open Edit menu shows
    assert window.acts.copy.isEnabled() and window.acts.select_all.isEnabled()
    assert not window.acts.cut.isEnabled()  # deleting rows is Delete Samples, never a Cut
    assert not window.acts.paste.isEnabled()  # nothing on the clipboard
    window.editing_features.clipboard.enable_all()  # as when the menu closes

    press(qtbot, Key.Key_A, CTRL)  # every sample shown, loaded or not
    assert len(window.samples.selected_ids()) == PAGE + 10
    window.acts.copy.trigger()
    assert len(copied_table()) == PAGE + 11
    window.editing_features.clipboard.update_enabled()
    assert window.acts.paste.isEnabled()  # rows on the clipboard: they can come in
    window.editing_features.clipboard.enable_all()
    before = window.samples.model.total
    press(qtbot, Key.Key_V, CTRL)  # many rows: the import's preview first, nothing written yet
    preview = wait_for_dialog(qtbot, window, ImportDialog)
    assert window.samples.model.total == before
    preview.reject()


# -- defect 12: context menus ----------------------------------------------------------------------


def test_a_right_click_on_the_selection_opens_the_rows_context_menu(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    table = window.samples.table
    focus(qtbot, window, table)
    press(qtbot, Key.Key_Down, SHIFT)
    assert len(window.samples.selected_ids()) == 2
    cell = table.visualRect(window.samples.model.index(1, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.RightButton, pos=cell)
    assert len(window.samples.selected_ids()) == 2  # the click kept the selection it was on
    # The window system turns the right click (or the menu key) into this event; QTest cannot.
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, cell, table.viewport().mapToGlobal(cell)
    )
    QApplication.sendEvent(table.viewport(), event)
    menu = window.samples.table.findChild(QMenu, "samplesContextMenu")
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible)
    offered = [action for action in menu.actions() if not action.isSeparator()]
    a = window.acts
    assert offered == [
        a.copy,
        a.new_sample,
        a.duplicate_samples,
        a.add_tag,
        a.remove_tag,
        a.set_location,
        a.export_subset,
        a.run_program,
        a.delete_samples,
    ]
    assert all(action.isEnabled() for action in offered)
    press(qtbot, Key.Key_Escape)  # closes it; it is deleted once closed
    qtbot.waitUntil(lambda: table.findChild(QMenu, "samplesContextMenu") is None)


def test_the_header_menu_chooses_columns(
    qtbot: QtBot, window: MainWindow, current_copy: Path, fresh_layout: None
) -> None:
    open_current(qtbot, window, current_copy)
    header = window.samples.table.horizontalHeader()
    header.customContextMenuRequested.emit(QPoint(10, 5))
    menu = header.parent().findChild(QMenu, "columnChooser")
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible)
    entries = {action.text(): action for action in menu.actions() if action.text()}
    assert list(entries) == [
        "Code",
        "Name",
        "Collected on",
        "Location",
        "Tags",
        "Measurements",
        "Reset Columns",
    ]
    entries["Location"].trigger()
    menu.close()
    assert header.isSectionHidden(3)
    # The copy leaves the hidden column out: what is seen is what is pasted.
    focus(qtbot, window, window.samples.table)
    press(qtbot, Key.Key_C, CTRL)
    assert "Location" not in copied_table()[0]
    # Remembered: the next window hides it too, until Reset Columns.
    window.samples.columns.save()
    other = MainWindow()
    qtbot.addWidget(other)
    assert other.samples.table.horizontalHeader().isSectionHidden(3)
    # View ▸ Columns offers the same choice.
    columns = other.editing_features.columns_menu
    columns.aboutToShow.emit()
    entry = next(action for action in columns.actions() if action.text() == "Location")
    assert not entry.isChecked()
    entry.trigger()
    assert not other.samples.table.horizontalHeader().isSectionHidden(3)
    other.samples.columns.reset()
    other.close()
