"""Fluent entry of samples: tags ended by commas, a calendar, duplicates, edits of the selection,
tag rename and merge, and the any-of / all-of tag filter — each one undo step, driven by keys."""

from __future__ import annotations

import datetime
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from app.domain.samples import get_sample
from app.domain.tags import tag_counts
from app.ui.main_window import MainWindow
from app.ui.tags_dialog import TagsDialog
from app.ui.widgets.date_field import DateField

from .conftest import open_current, query, wait_for_dialog
from .keys import ALT, CTRL, SHIFT, Key, focus, press, type_text


def select_rows(qtbot: QtBot, window: MainWindow, count: int) -> list[int]:
    """The first ``count`` rows, selected with Home and Shift+Down."""
    focus(qtbot, window, window.samples.table)
    press(qtbot, Key.Key_Home)
    for _ in range(count - 1):
        press(qtbot, Key.Key_Down, SHIFT)
    ids = window.samples.selected_ids()
    assert len(ids) == count
    return ids


def answer(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type ``text`` into the question the window asks, and press Return."""
    dialog = wait_for_dialog(qtbot, window, QInputDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and dialog.isActiveWindow())
    press(qtbot, Key.Key_A, CTRL)
    type_text(qtbot, text)
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: window.presenter.current is not dialog)
    focus(qtbot, window, window.samples.table)  # back where the person was


# -- defect 13: a comma or Enter ends a tag --------------------------------------------------------


def test_a_comma_or_enter_ends_a_tag(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    editor = window.detail.tag_editor
    focus(qtbot, window, editor.entry)
    type_text(qtbot, "field,core, deep ")
    assert {"field", "core"} <= set(editor.tags)
    assert "field,core" not in editor.tags
    assert editor.entry.text() == "deep "  # not ended yet
    press(qtbot, Key.Key_Return)
    assert {"field", "core", "deep"} <= set(editor.tags)
    row = window.samples.model.sample_at(window.samples.model.row_of(sample.id) or 0)
    assert row is not None and "field,core" not in ", ".join(row.tags)
    press(qtbot, Key.Key_Z, CTRL)  # the entry has nothing left to undo: the document's edit
    assert "deep" not in window.detail.tag_editor.tags


def test_pasting_two_tags_makes_two_tags_in_one_step(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    before = window.detail.tag_editor.tags
    count = window.controller.undo_stack.count()
    focus(qtbot, window, window.detail.tag_editor.entry)
    QApplication.clipboard().setText("field,core")
    press(qtbot, Key.Key_V, CTRL)
    press(qtbot, Key.Key_Return)
    assert set(window.detail.tag_editor.tags) == {*before, "field", "core"}
    assert window.controller.undo_stack.count() == count + 1
    assert window.acts.undo.text() == "&Undo Add Tags field, core"


# -- a calendar for Collected on -------------------------------------------------------------------


def test_collected_on_from_the_calendar_by_keyboard(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    field = window.detail.editors["collected_on"]
    assert isinstance(field, DateField)
    focus(qtbot, window, field)
    field.selectAll()
    type_text(qtbot, "2024-05-15")
    press(qtbot, Key.Key_Down, ALT)
    calendar = field.calendar
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.selectedDate() == QDate(2024, 5, 15)  # opens on the typed date
    press(qtbot, Key.Key_Right)  # the popup has the keyboard now
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert field.text() == "2024-05-23"
    connection = window.controller.connection
    assert connection is not None
    found = get_sample(connection, sample.id)
    assert found is not None and found.collected_on == "2024-05-23"
    # Typing, then opening the calendar, stored the typed date first: two steps to undo.
    window.acts.undo.trigger()
    found = get_sample(connection, sample.id)
    assert found is not None and found.collected_on == "2024-05-15"
    window.acts.undo.trigger()
    found = get_sample(connection, sample.id)
    assert found is not None and found.collected_on == sample.collected_on


def test_the_calendar_opens_on_today_for_an_empty_field(qtbot: QtBot) -> None:
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    field.open_calendar()
    today = datetime.date.today()
    assert field.calendar.selectedDate() == QDate(today.year, today.month, today.day)
    field.calendar.hide()
    field.setReadOnly(True)
    assert not field.pick_action.isVisible()


# -- duplicate and the selection's edits -----------------------------------------------------------


def test_ctrl_d_duplicates_the_selection_in_one_step(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    total = window.samples.model.total
    originals = select_rows(qtbot, window, 2)
    press(qtbot, Key.Key_D, CTRL)
    assert window.samples.model.total == total + 2
    copies = window.samples.selected_ids()
    assert len(copies) == 2 and not set(copies) & set(originals)
    connection = window.controller.connection
    assert connection is not None
    for original, copy in zip(originals, sorted(copies), strict=True):
        a, b = get_sample(connection, original), get_sample(connection, copy)
        assert a is not None and b is not None
        assert (b.name, b.collected_on, b.location, b.tags) == (
            a.name,
            a.collected_on,
            a.location,
            a.tags,
        )
        assert b.code != a.code and b.measurement_count == 0
    assert window.acts.undo.text() == "&Undo Duplicate 2 Samples"
    press(qtbot, Key.Key_Z, CTRL)
    assert window.samples.model.total == total
    assert sorted(window.samples.selected_ids()) == sorted(originals)


def test_add_and_remove_a_tag_and_set_the_location_of_the_selection(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    ids = select_rows(qtbot, window, 3)
    assert window.detail.selection_summary.isVisible()
    stack = window.controller.undo_stack

    press(qtbot, Key.Key_T, CTRL)
    answer(qtbot, window, "campaign 7")
    connection = window.controller.connection
    assert connection is not None
    assert ("campaign 7", 3) in tag_counts(connection)
    assert stack.count() == 1

    press(qtbot, Key.Key_L, CTRL)
    answer(qtbot, window, "Pier 4")
    assert {get_sample(connection, i).location for i in ids} == {"Pier 4"}  # type: ignore[union-attr]
    assert stack.count() == 2

    press(qtbot, Key.Key_T, CTRL | SHIFT)
    dialog = wait_for_dialog(qtbot, window, QInputDialog)
    assert "campaign 7" in dialog.comboBoxItems()
    dialog.setTextValue("campaign 7")
    dialog.accept()
    assert "campaign 7" not in dict(tag_counts(connection))
    assert stack.count() == 3

    # Each was one step: three undos give back the document as it was.
    before = {i: query(current_copy, "SELECT location FROM sample WHERE id = ?", i) for i in ids}
    for _ in range(3):
        window.acts.undo.trigger()
    for sample_id in ids:
        row = get_sample(connection, sample_id)
        assert row is not None
        assert [(row.location,)] == before[sample_id]
        assert "campaign 7" not in row.tags


def test_an_edit_that_changes_nothing_says_so(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    model = window.samples.model
    row = next(r for r in range(model.rowCount()) if model.sample_at(r).tags)  # type: ignore[union-attr]
    sample = model.sample_at(row)
    assert sample is not None
    window.samples.select(sample.id)
    focus(qtbot, window, window.samples.table)
    press(qtbot, Key.Key_T, CTRL)
    answer(qtbot, window, sample.tags[0])
    assert window.controller.undo_stack.count() == 0
    assert "already." in window.statusBar().currentMessage()
    assert (
        window.statusBar().currentMessage()
        == f"The selected sample has the tag “{sample.tags[0]}” already."
    )


# -- tag rename and merge --------------------------------------------------------------------------


def test_merge_two_spellings_and_undo(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    connection = window.controller.connection
    assert connection is not None
    counts = dict(tag_counts(connection))
    # The fixture's own spellings: the name offered is the one more samples use.
    assert 0 < counts["sediment"] < counts["soil"]
    window.acts.manage_tags.trigger()
    dialog = wait_for_dialog(qtbot, window, TagsDialog)
    dialog.select(["sediment", "soil"])
    assert dialog.merge_button.isEnabled() and not dialog.rename_button.isEnabled()
    dialog.merge_button.click()
    question = wait_for_dialog(qtbot, window, QInputDialog)
    assert question.textValue() == "soil"  # the most used name is offered
    question.accept()
    merged = dict(tag_counts(connection))
    assert "sediment" not in merged
    tagged = query(
        current_copy,
        "SELECT count(DISTINCT sample_id) FROM sample_tag JOIN tag ON tag.id = tag_id "
        "WHERE tag.name IN ('sediment', 'soil')",
    )[0][0]
    assert merged["soil"] == tagged  # every sample with either tag has "soil" now
    assert window.acts.undo.text() == "&Undo Merge Tags sediment, soil into soil"
    window.acts.undo.trigger()
    assert dict(tag_counts(connection)) == counts
    gone: list[bool] = []
    dialog.destroyed.connect(lambda: gone.append(True))
    dialog.reject()
    qtbot.waitUntil(lambda: bool(gone))
    window.acts.redo.trigger()  # with the dialog gone (it used to refresh a deleted list)
    assert "sediment" not in dict(tag_counts(connection))


def test_rename_a_tag_by_keyboard(qtbot: QtBot, window: MainWindow, current_copy: Path) -> None:
    open_current(qtbot, window, current_copy)
    connection = window.controller.connection
    assert connection is not None
    used = dict(tag_counts(connection))["río"]
    window.acts.manage_tags.trigger()
    dialog = wait_for_dialog(qtbot, window, TagsDialog)
    dialog.select(["río"])
    dialog.rename_button.click()
    rename = wait_for_dialog(qtbot, window, QInputDialog)
    assert rename.textValue() == "río"
    qtbot.waitUntil(rename.isActiveWindow)
    press(qtbot, Key.Key_End)
    type_text(qtbot, " Tinto")  # (QTest types ASCII only)
    press(qtbot, Key.Key_Return)
    assert "río Tinto" in dict(tag_counts(connection))
    shown = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    assert f"río Tinto ({used})" in shown
    assert window.acts.undo.text() == "&Undo Rename Tag río to río Tinto"
    window.acts.undo.trigger()
    assert "río" in dict(tag_counts(connection))
    dialog.reject()


# -- the multi-tag filter --------------------------------------------------------------------------


def test_the_tag_filter_shows_all_of_or_any_of_the_checked_tags(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    sample_filter = window.samples.tag_filter

    def tagged(where: str) -> set[int]:
        sql = "SELECT s.id FROM sample s WHERE " + where.replace(
            "{}",
            "s.id IN (SELECT sample_id FROM sample_tag JOIN tag ON tag.id = tag_id "
            "WHERE tag.name = ?)",
        )
        return {int(str(row[0])) for row in query(current_copy, sql, "lake", "soil")}

    def listed() -> set[int]:
        model = window.samples.model
        model.fetch_all()
        return {model.sample_at(row).id for row in range(model.rowCount())}  # type: ignore[union-attr]

    sample_filter.set_checked(("lake", "soil"))
    assert sample_filter.text() == "Tags: lake + soil"
    assert listed() == tagged("{} AND {}")
    sample_filter.any_radio.setChecked(True)  # as a click on "Any of them"
    assert sample_filter.text() == "Tags: lake or soil"
    assert listed() == tagged("{} OR {}")
    assert len(listed()) > 10
    sample_filter.clear_button.click()
    assert sample_filter.text() == "All tags"
    assert window.samples.model.total == len(query(current_copy, "SELECT id FROM sample"))
