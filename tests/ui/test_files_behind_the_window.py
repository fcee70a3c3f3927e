"""What the window does about its file: temporary exports it must not lose, a file another
Samplebook saved, Save As into a folder that exists."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.document import State, inspect, open_document
from app.ui import main_window as main_window_module
from app.ui import save_dialogs
from app.ui.main_window import MainWindow, quit_all
from app.ui.messages import Choice, ChoiceBox

from .conftest import PATIENCE_MS, open_current, wait_for_dialog, wait_for_document, wait_idle
from .test_editing import edit_field, shown_name
from .test_export import export_to, open_export_dialog


def temporary_export_in_a_second_window(
    qtbot: QtBot, window: MainWindow
) -> tuple[Path, MainWindow]:
    dialog = open_export_dialog(qtbot, window)
    dialog.temporary_radio.setChecked(True)
    result = export_to(qtbot, window, dialog)
    path = result.export.path
    result.open_button.click()
    qtbot.waitUntil(
        lambda: main_window_module.find_window_showing(path) is not None, timeout=PATIENCE_MS
    )
    other = main_window_module.find_window_showing(path)
    assert other is not None and other is not window
    wait_for_document(qtbot, other)
    return path, other


def test_an_edited_temporary_export_is_saved_somewhere_real_and_never_lost(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    """Defect 1: Open in Samplebook → edit → Ctrl+S → Ctrl+Q deleted the saved work."""
    open_current(qtbot, window, current_copy)
    path, other = temporary_export_in_a_second_window(qtbot, window)
    assert other.windowTitle().endswith("(temporary export)[*] — Samplebook")
    assert other.banner.isVisible() and other.banner.keep_button.isVisible()
    assert other.banner.label.text().startswith("This is a temporary export in Samplebook's")
    edit_field(other, "name", "Edited in the export")
    other.acts.save.trigger()  # Save leads to Save As: the cache is no place to keep work
    dialog = wait_for_dialog(qtbot, other, QFileDialog)
    assert Path(dialog.directory().absolutePath()) != path.parent
    target = tmp_path / "Kept results.db"
    dialog.selectFile(str(target))
    dialog.accept()
    wait_idle(qtbot, other)
    document = other.controller.document
    assert document is not None and document.path == target
    quit_all()
    qtbot.waitUntil(lambda: not other.isVisible() and not window.isVisible(), timeout=PATIENCE_MS)
    assert inspect(target).state is State.CURRENT
    assert not path.exists()  # the export itself was never changed: it goes, as promised


def test_a_temporary_export_a_program_changed_is_not_deleted_without_asking(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    dialog = open_export_dialog(qtbot, window)
    dialog.temporary_radio.setChecked(True)
    result = export_to(qtbot, window, dialog)
    path = result.export.path
    result.reject()
    with closing(sqlite3.connect(path)) as connection:  # results written by another program
        connection.execute(
            "INSERT INTO measurement (sample_id, quantity, value, unit) "
            "SELECT min(id), 'result', 1.5, '' FROM sample"
        )
        connection.commit()
    window.close()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert path.name in box.text() and "changed after it was made" in box.text()
    box.choose(Choice.KEEP)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=PATIENCE_MS)
    assert path.exists() and inspect(path).state is State.CURRENT
    path.unlink()


def test_a_read_only_window_reloads_when_another_samplebook_saves(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    """Defect 7: the second window never learned the file changed."""
    window.controller.open_path(current_copy, read_only=True)
    wait_for_document(qtbot, window)
    assert window.controller.read_only
    sample_id = window.samples.model.sample_at(3)
    assert sample_id is not None
    window.samples.select(sample_id.id)
    with open_document(current_copy) as editor:  # "another Samplebook"
        with editor.transaction() as connection:
            connection.execute(
                "UPDATE sample SET name = 'Saved elsewhere' WHERE id = ?", (sample_id.id,)
            )
        editor.save()
    qtbot.waitUntil(lambda: shown_name(window) == "Saved elsewhere", timeout=PATIENCE_MS)
    assert window.samples.selected_ids() == [sample_id.id]  # it kept its place
    assert window.controller.read_only


def test_an_editable_window_warns_before_saving_over_outside_changes(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    edit_field(window, "name", "Mine")
    with closing(sqlite3.connect(current_copy)) as connection:  # another program writes
        connection.execute("UPDATE document_info SET title = 'theirs'")
        connection.commit()
    window.acts.save.trigger()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert (
        box.text() == f"“{current_copy.name}” was changed by another program since you opened it."
    )
    box.choose(Choice.SAVE)
    wait_idle(qtbot, window)
    assert not window.controller.modified
    with closing(sqlite3.connect(current_copy)) as connection:
        assert connection.execute("SELECT title FROM document_info").fetchone() != ("theirs",)


def test_save_as_proposes_a_folder_that_exists(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    """Defect 6: ~/Documents/Untitled.db was proposed when ~/Documents did not exist."""
    window.acts.new.trigger()
    wait_for_document(qtbot, window)
    gone = tmp_path / "gone"
    gone.mkdir()
    window.controller.last_folder = gone
    shutil.rmtree(gone)
    window.acts.save.trigger()
    dialog = wait_for_dialog(qtbot, window, QFileDialog)
    assert Path(dialog.directory().absolutePath()).is_dir()
    assert Path(dialog.directory().absolutePath()) == save_dialogs.default_folder()
    dialog.reject()
