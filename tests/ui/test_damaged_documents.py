"""Documents Samplebook will not edit, in the window: the person always has a next step that works.

Changed outside Samplebook → shown read-only as its clean copy, with Save a Clean Copy; damaged →
Restore Backup (the damaged file kept) or Save a Clean Copy; being written by another program →
Try Again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.document import State, backup, inspect
from app.document.releases import HEAD_RELEASE
from app.ui.main_window import MainWindow
from app.ui.messages import Choice, ChoiceBox
from tests.document.test_repair import big_document, damage_pages, rows, tamper

from .conftest import wait_for_dialog, wait_for_document, wait_idle


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def choose_file(qtbot: QtBot, window: MainWindow, target: Path) -> None:
    dialog = wait_for_dialog(qtbot, window, QFileDialog)
    dialog.selectFile(str(target))
    dialog.accept()


def test_a_changed_document_is_shown_as_its_clean_copy_and_can_be_saved_as_one(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    clean = fixture_copy(HEAD_RELEASE)
    source = fixture_copy(HEAD_RELEASE)
    tamper(source)
    before = digest(source)
    window.controller.open_path(source)
    wait_for_document(qtbot, window)
    document = window.controller.document
    assert document is not None and document.read_only and document.clean_view is not None
    assert window.banner.isVisible()
    assert window.banner.clean_copy_button.isVisible()
    assert not window.banner.save_as_button.isVisible()
    text = window.banner.label.text()
    assert text == (
        f"“{source.name}” was changed outside Samplebook, so it is shown read-only as the clean "
        "copy Samplebook would save, which leaves out index 'analyst_name', view 'recent', "
        "trigger 'wipe' and 2 more. Save a clean copy to edit it."
    )
    assert window.samples.model.total == len(rows(clean)["sample"])
    assert window.acts.save_clean_copy.isEnabled()

    window.banner.clean_copy_button.click()
    target = tmp_path / "Clean.db"
    choose_file(qtbot, window, target)
    wait_idle(qtbot, window)
    report = wait_for_dialog(qtbot, window, ChoiceBox)
    assert report.text() == f"A clean copy of “{source.name}” was saved as “Clean.db”."
    assert "• trigger 'wipe' (not made by Samplebook)" in report.informativeText()
    report.choose(Choice.OK)
    assert document.path == target and not document.read_only
    assert not window.banner.isVisible()
    assert inspect(target).state is State.CURRENT
    assert rows(target) == rows(clean)
    assert digest(source) == before


def test_a_damaged_document_restores_its_backup_and_keeps_the_damaged_file(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    made = backup(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    damaged = digest(path)
    window.controller.open_path(path)
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.text() == inspect(path).message
    assert box.informativeText().startswith("Restore the most recent backup (made ")
    assert box.informativeText().endswith(
        "); the damaged file is kept beside it, or save a clean copy of what can still be read."
    )
    assert box.defaultButton() is box.buttons_by_choice[Choice.RESTORE_BACKUP]
    box.choose(Choice.RESTORE_BACKUP)
    restored = wait_for_dialog(qtbot, window, ChoiceBox)
    assert restored.text().startswith(f"“{path.name}” was restored from its backup of ")
    (kept,) = path.parent.glob(f"{path.stem}.before-restore-*.db")
    assert f"The file that was there is kept as “{kept.name}”." in restored.informativeText()
    restored.choose(Choice.OK)
    wait_idle(qtbot, window)
    document = window.controller.document
    assert document is not None and document.path == path and not document.read_only
    assert digest(kept) == damaged
    assert rows(path) == rows(made)


def test_a_damaged_document_without_a_backup_saves_a_clean_copy_and_opens_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = big_document(tmp_path / "Big.db", samples=2000)
    damage_pages(path, 40, 45)
    before = digest(path)
    window.controller.open_path(path)
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert Choice.RESTORE_BACKUP not in box.choices()
    assert box.defaultButton() is box.buttons_by_choice[Choice.SAVE_CLEAN_COPY]
    box.choose(Choice.SAVE_CLEAN_COPY)
    target = tmp_path / "Big-clean.db"
    choose_file(qtbot, window, target)
    report = wait_for_dialog(qtbot, window, ChoiceBox)
    assert "could not be read (they are damaged)" in report.informativeText()
    report.choose(Choice.OPEN_CLEAN_COPY)
    wait_for_document(qtbot, window)
    document = window.controller.document
    assert document is not None and document.path == target and not document.read_only
    assert 1900 < window.samples.model.total < 2000
    assert digest(path) == before


def test_a_file_another_program_is_writing_can_be_tried_again(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    journal = Path(f"{path}-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(500))
    window.controller.open_path(path)
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.informativeText() == "Close the other program (or let it finish), then try again."
    assert box.defaultButton() is box.buttons_by_choice[Choice.RETRY]
    journal.unlink()  # the other program finished
    box.choose(Choice.RETRY)
    wait_for_document(qtbot, window)
    document = window.controller.document
    assert document is not None and document.path == path and not document.read_only
