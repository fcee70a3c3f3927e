"""Editing through the real window: every edit undoable, saved on Save, asked about on close."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from app.document import State, inspect, open_document
from app.document.releases import HEAD_RELEASE
from app.domain.sample_edits import SampleFields, insert_sample
from app.ui import messages
from app.ui.dialogs.properties_dialog import PropertiesDialog
from app.ui.main_window import MainWindow
from app.ui.messages import Choice, ChoiceBox
from app.ui.models.samples_model import PAGE

from .conftest import open_current, query, wait_for_dialog, wait_idle


def edit_field(window: MainWindow, field: str, text: str) -> None:
    editor = window.detail.editors[field]
    assert isinstance(editor, QLineEdit)
    editor.setText(text)
    editor.editingFinished.emit()


def shown_name(window: MainWindow) -> str:
    assert window.detail.sample is not None
    return window.detail.sample.name


def test_edit_marks_modified_save_and_reopen_shows_it(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    edit_field(window, "name", "Renamed in a test")
    assert window.isWindowModified()
    assert window.windowTitle().endswith("[*] — Samplebook")
    assert window.state_label.text() == messages.UNSAVED
    assert window.samples.model.sample_at(0).name == "Renamed in a test"  # type: ignore[union-attr]
    # The file changes only on Save.
    assert query(current_copy, "SELECT name FROM sample WHERE id = ?", sample.id) == [
        (sample.name,)
    ]
    window.acts.save.trigger()
    wait_idle(qtbot, window)
    assert not window.isWindowModified()
    assert window.state_label.text() == messages.SAVED
    assert inspect(current_copy).state is State.CURRENT
    window.acts.close.trigger()
    qtbot.waitUntil(lambda: window.controller.document is None)
    open_current(qtbot, window, current_copy)
    window.samples.select(sample.id)
    assert shown_name(window) == "Renamed in a test"


def test_undo_and_redo_an_edit(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    before = shown_name(window)
    edit_field(window, "name", "Changed")
    assert window.acts.undo.isEnabled()
    assert window.acts.undo.text() == "&Undo Edit Name"
    window.acts.undo.trigger()
    assert shown_name(window) == before
    assert window.detail.editors["name"].text() == before  # type: ignore[union-attr]
    assert not window.isWindowModified()  # back at the saved state
    window.acts.redo.trigger()
    assert shown_name(window) == "Changed"
    assert window.isWindowModified()


def test_duplicate_code_is_refused_inline(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    other = window.samples.model.sample_at(1)
    assert other is not None
    edit_field(window, "code", other.code)
    problem = window.detail.problems["code"]
    assert problem.isVisible()
    assert other.code in problem.text() or "taken" in problem.text() or "already" in problem.text()
    assert not window.isWindowModified()
    assert window.controller.undo_stack.count() == 0


def test_bad_date_is_refused_inline(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    edit_field(window, "collected_on", "next tuesday")
    assert window.detail.problems["collected_on"].isVisible()
    assert window.controller.undo_stack.count() == 0


def test_new_sample_delete_and_undo(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    total = window.samples.model.total
    window.acts.new_sample.trigger()
    assert window.samples.model.total == total + 1
    created = window.detail.sample
    assert created is not None and created.name == "New sample"
    window.acts.delete_samples.trigger()
    assert window.samples.model.total == total
    window.acts.undo.trigger()
    assert window.samples.model.total == total + 1
    window.acts.undo.trigger()
    assert window.samples.model.total == total
    window.acts.redo.trigger()
    assert window.samples.model.row_of(created.id) is not None  # same id on redo


def test_measurements_add_edit_delete_with_inline_validation(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    model = window.detail.measurements
    count = model.rowCount()
    window.acts.add_measurement.trigger()
    assert model.rowCount() == count + 1
    assert model.is_draft(count)  # shown, not stored: nothing to undo yet
    assert window.controller.undo_stack.count() == 0
    added = model.index(count, 1)
    assert not model.setData(added, "not a number", Qt.ItemDataRole.EditRole)
    assert window.detail.measurements_problem.isVisible()
    assert model.problem
    assert model.setData(added, "12.5", Qt.ItemDataRole.EditRole)
    assert not window.detail.measurements_problem.isVisible()
    assert window.detail.measurements_grid.store_draft()
    qtbot.waitUntil(lambda: window.samples.model.sample_at(0).measurement_count == count + 1)  # type: ignore[union-attr]
    assert model.data(added) == "12.5"
    assert model.setData(added, "<12.5", Qt.ItemDataRole.EditRole)
    window.detail.measurements_table.selectRow(count)
    window.acts.delete_measurements.trigger()
    assert model.rowCount() == count
    window.acts.undo.trigger()
    assert model.data(model.index(count, 1)) == "<12.5"
    window.acts.undo.trigger()
    assert model.data(model.index(count, 1)) == "12.5"  # the qualifier goes with the undo
    window.acts.undo.trigger()
    assert model.rowCount() == count


def test_tags_add_remove_and_undo(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    editor = window.detail.tag_editor
    before = editor.tags
    editor.entry.setText("  brand new   tag ")
    editor.entry.returnPressed.emit()
    assert "brand new tag" in editor.tags
    assert window.acts.undo.text() == "&Undo Add Tag brand new tag"
    tag_list = window.samples.tag_filter.list
    assert "brand new tag" in [
        tag_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(tag_list.count())
    ]
    editor.remove("brand new tag")
    assert editor.tags == before
    window.acts.undo.trigger()
    assert "brand new tag" in editor.tags
    window.acts.undo.trigger()
    assert editor.tags == before
    completions = editor.completer.model().stringList()  # type: ignore[attr-defined]
    assert completions  # existing tags are offered


def test_search_and_tag_filter(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    total = window.samples.model.total
    first = window.samples.model.sample_at(0)
    assert first is not None
    window.samples.search.setText(first.code)
    window.samples.apply_filter()
    assert 1 <= window.samples.model.total < total
    assert window.samples.model.sample_at(0).code == first.code  # type: ignore[union-attr]
    window.samples.search.clear()
    tag = window.samples.tag_filter.list.item(0).data(Qt.ItemDataRole.UserRole)
    window.samples.tag_filter.set_checked((tag,))
    assert window.samples.model.filter.tags == (tag,)
    assert window.samples.tag_filter.text() == f"Tags: {tag}"
    for row in range(window.samples.model.rowCount()):
        tags = window.samples.model.sample_at(row).tags  # type: ignore[union-attr]
        assert tag.casefold() in (t.casefold() for t in tags)


def test_sorting_by_measurements(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    window.samples.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    model = window.samples.model
    counts = [model.sample_at(row).measurement_count for row in range(model.rowCount())]  # type: ignore[union-attr]
    assert counts == sorted(counts, reverse=True)


def test_unsaved_changes_are_asked_about_on_close(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    edit_field(window, "name", "Unsaved")
    window.close()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert (
        box.text()
        == f"Do you want to save the changes you made to “{window.controller.document.title}”?"
    )  # type: ignore[union-attr]
    assert set(box.choices()) == {Choice.SAVE, Choice.DISCARD, Choice.CANCEL}
    box.choose(Choice.CANCEL)
    assert window.isVisible()
    assert window.controller.document is not None
    window.close()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    box.choose(Choice.DISCARD)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.controller.document is None
    assert "Unsaved" not in [row[0] for row in query(current_copy, "SELECT name FROM sample")]


def test_save_from_the_close_prompt(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    edit_field(window, "name", "Saved on close")
    window.close()
    wait_for_dialog(qtbot, window, ChoiceBox).choose(Choice.SAVE)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert ("Saved on close",) in query(current_copy, "SELECT name FROM sample")


def test_open_asks_about_unsaved_changes_first(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path]
) -> None:
    first = fixture_copy(HEAD_RELEASE)
    second = fixture_copy(HEAD_RELEASE)
    open_current(qtbot, window, first)
    edit_field(window, "name", "Pending")
    window.controller.open_path(second)
    wait_for_dialog(qtbot, window, ChoiceBox).choose(Choice.DISCARD)
    qtbot.waitUntil(
        lambda: (
            window.controller.document is not None
            and window.controller.document.path == second
            and not window.controller.busy
        )
    )
    assert not window.isWindowModified()


def test_new_document_is_untitled_until_save_as(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.acts.new.trigger()
    qtbot.waitUntil(lambda: window.controller.document is not None and not window.controller.busy)
    document = window.controller.document
    assert document is not None and document.path is None
    assert window.windowTitle() == "Untitled[*] — Samplebook"
    window.acts.new_sample.trigger()
    assert window.isWindowModified()
    window.acts.save.trigger()
    dialog = wait_for_dialog(qtbot, window, QFileDialog)
    target = tmp_path / "Fresh notebook.db"
    dialog.selectFile(str(target))
    dialog.accept()
    wait_idle(qtbot, window)
    assert document.path == target
    assert not window.isWindowModified()
    found = inspect(target)
    assert found.state is State.CURRENT
    assert found.counts is not None and found.counts.samples == 1


def test_revert_to_saved(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    before = shown_name(window)
    edit_field(window, "name", "To be reverted")
    window.acts.revert.trigger()
    wait_for_dialog(qtbot, window, ChoiceBox).choose(Choice.REVERT)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.detail.sample is not None)
    assert shown_name(window) == before
    assert not window.isWindowModified()
    assert not window.acts.undo.isEnabled()


def test_title_is_changed_in_properties_and_undoable(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    old = window.controller.document.title  # type: ignore[union-attr]
    window.acts.properties.trigger()
    dialog = wait_for_dialog(qtbot, window, PropertiesDialog)
    dialog.title_edit.setText("Lake survey 2026")
    dialog.accept()
    assert window.windowTitle() == "Lake survey 2026[*] — Samplebook"
    assert window.isWindowModified()
    window.acts.undo.trigger()
    assert window.windowTitle() == f"{old}[*] — Samplebook"


def test_about_names_the_versions(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    window.acts.about.trigger()
    box = wait_for_dialog(qtbot, window, QMessageBox)
    for name in ("Qt", "SQLite", "SQLAlchemy", "Alembic", "Document format"):
        assert name in box.informativeText()
    box.accept()


def test_big_document_loads_in_pages(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from app.document import create  # noqa: PLC0415

    path = create(tmp_path / "big.db", "Big")
    with open_document(path) as document:
        with document.transaction() as connection:
            connection.executemany(
                "INSERT INTO sample (code, name) VALUES (?, ?)",
                [(f"B-{n:05}", f"Sample {n}") for n in range(PAGE * 3 + 7)],
            )
        insert_sample(document, SampleFields(code="Z-1", name="last"))
        document.save()
    open_current(qtbot, window, path)
    model = window.samples.model
    assert model.total == PAGE * 3 + 8
    assert model.rowCount() == PAGE  # only the first page is read
    assert model.canFetchMore(model.index(-1, -1))
    window.samples.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > PAGE)
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == model.total
    assert model.sample_at(model.rowCount() - 1).code == "Z-1"  # type: ignore[union-attr]


def test_quit_asks_about_unsaved_changes(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    from app.ui.main_window import quit_all  # noqa: PLC0415

    open_current(qtbot, window, current_copy)
    edit_field(window, "name", "Quit pending")
    quit_all()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    box.choose(Choice.CANCEL)
    assert window.isVisible()
    window.acts.quit.trigger()
    wait_for_dialog(qtbot, window, ChoiceBox).choose(Choice.DISCARD)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_delete_key_deletes_the_selected_samples(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    total = window.samples.model.total
    window.samples.table.setFocus()
    qtbot.waitUntil(window.samples.table.hasFocus)
    qtbot.keyClick(window.samples.table, Qt.Key.Key_Delete)
    assert window.samples.model.total == total - 1


def type_without_leaving(qtbot: QtBot, window: MainWindow, field: str, text: str) -> None:
    """Type into a field as a person would, and stay in it (no Enter, no Tab)."""
    editor = window.detail.editors[field]
    assert isinstance(editor, QLineEdit)
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    editor.selectAll()
    qtbot.keyClicks(editor, text)


def test_a_field_still_being_typed_in_is_saved(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    """Typing a name and pressing Save at once stores and saves it (it used to be dropped)."""
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    type_without_leaving(qtbot, window, "name", "Typed, then saved")
    window.acts.save.trigger()
    wait_idle(qtbot, window)
    assert query(current_copy, "SELECT name FROM sample WHERE id = ?", sample.id) == [
        ("Typed, then saved",)
    ]
    assert not window.isWindowModified()


def test_a_field_still_being_typed_in_is_asked_about_on_close(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    type_without_leaving(qtbot, window, "name", "Typed, then closed")
    window.acts.close.trigger()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.text().startswith("Do you want to save the changes")
    box.choose(Choice.CANCEL)
    assert window.controller.document is not None and window.controller.modified
