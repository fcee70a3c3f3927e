"""File ▸ Save a Copy for an Older Samplebook through the real window, as a person uses it."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu
from pytestqt.qtbot import QtBot

from app.document import State, inspect
from app.ui.choice_box import ChoiceBox
from app.ui.dialogs.upgrade_dialog import UpgradeDialog
from app.ui.main_window import MainWindow
from app.ui.messages import Choice
from app.ui.older_copy.dialog import OlderCopyDialog
from app.ui.older_copy.result import OlderCopyResultDialog
from tests.document.disks import remount_read_only

from .conftest import open_current, query, wait_for_dialog, wait_idle


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entry(window: MainWindow) -> QAction:
    action = window.findChild(QAction, "saveCopyForOlder")
    assert isinstance(action, QAction)
    return action


def file_menu_texts(window: MainWindow) -> list[str]:
    (menu,) = [
        action.menu()
        for action in window.menuBar().actions()
        if isinstance(action.menu(), QMenu) and action.text() == "&File"
    ]
    assert isinstance(menu, QMenu)
    return [action.text() for action in menu.actions()]


def open_dialog(qtbot: QtBot, window: MainWindow) -> OlderCopyDialog:
    assert entry(window).isEnabled()
    entry(window).trigger()
    return wait_for_dialog(qtbot, window, OlderCopyDialog)


def test_the_entry_sits_in_the_file_menu_and_needs_a_document(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    texts = file_menu_texts(window)
    assert (
        texts.index("Save a Copy for an Ol&der Samplebook…") == texts.index("&Revert to Saved") - 1
    )
    assert not entry(window).isEnabled()
    open_current(qtbot, window, current_copy)
    assert entry(window).isEnabled()


def test_the_losses_of_this_document_then_the_copy_with_unsaved_edits(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    saved = digest(current_copy)
    samples = query(current_copy, "SELECT count(*) FROM sample")[0][0]
    window.acts.new_sample.trigger()  # an unsaved edit
    wait_idle(qtbot, window)
    assert window.controller.modified

    dialog = open_dialog(qtbot, window)
    releases = [dialog.release_box.itemText(i) for i in range(dialog.release_box.count())]
    assert releases == [
        "Samplebook 2.1",
        "Samplebook 2.0",
        "Samplebook 1.2",
        "Samplebook 1.1",
        "Samplebook 1.0",
    ]
    assert dialog.unsaved.isVisibleTo(dialog)
    # 2.1 keeps the provenance rows but not the ids that tie them to documents.
    assert dialog.heading.text() == "What Samplebook 2.1 cannot hold of this document:"
    assert any("provenance row loses the ids" in line for line in dialog.shown_losses())
    dialog.choose("2.0")
    lines = dialog.shown_losses()
    assert (
        "•  2 provenance rows are left out: Samplebook 2.0 has no record of where exports came "
        "from." in lines
    )
    assert (
        "•  27 measurements not detected (n.d.) are left out: Samplebook 2.0 needs a number "
        "for every measurement." in lines
    )
    assert any(line.startswith("•  Qualifiers of 46 measurements are dropped") for line in lines)

    dialog_lines = dialog.shown_losses()
    steps: list[tuple[int, int]] = []
    report = window.controller.report_progress

    def recorded(done: int, total: int) -> None:
        steps.append((done, total))
        report(done, total)

    window.controller.report_progress = recorded  # type: ignore[method-assign]
    dialog.save_button.click()
    files = wait_for_dialog(qtbot, window, QFileDialog)
    assert Path(files.selectedFiles()[0]).name == f"{current_copy.stem} (Samplebook 2.0).db"
    target = tmp_path / "For the lab PC.db"
    files.selectFile(str(target))
    files.accept()
    result = wait_for_dialog(qtbot, window, OlderCopyResultDialog)
    wait_idle(qtbot, window)

    # In the background, one progress step to read, one per release undone, two to write.
    assert steps == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert result.summary.text() == "Saved a copy for Samplebook 2.0."
    assert result.path_label.text() == str(target)
    assert result.shown_losses() == dialog_lines
    result.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(target)
    result.reject()

    found = inspect(target)
    assert found.state is State.OUTDATED and found.release == "2.0"
    with closing(sqlite3.connect(target)) as db:
        assert db.execute("SELECT count(*) FROM sample").fetchone() == (samples + 1,)
        assert db.execute("SELECT count(*) FROM measurement WHERE value IS NULL").fetchone() == (0,)
    assert digest(current_copy) == saved
    assert window.controller.modified  # the copy is not a save of the document
    assert window.controller.last_folder == tmp_path


def test_cancelling_writes_nothing(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    before = sorted(p.name for p in tmp_path.iterdir())
    open_dialog(qtbot, window).reject()
    assert entry(window).isEnabled()
    dialog = open_dialog(qtbot, window)
    # Return goes on to the file (Save Copy is the default button, not Cancel).
    dialog.release_box.setFocus()
    qtbot.keyClick(dialog.release_box, Qt.Key.Key_Return)
    wait_for_dialog(qtbot, window, QFileDialog).reject()
    wait_idle(qtbot, window)
    assert window.presenter.current is None
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert entry(window).isEnabled()


def test_a_document_without_losses_says_so(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """A document opened from a 2.1 file without provenance has nothing 2.1 cannot hold."""
    path = fixture_copy("2.1")
    with closing(sqlite3.connect(path)) as db:
        db.execute("DELETE FROM provenance")
        db.commit()
    window.controller.open_path(path)
    wait_for_dialog(qtbot, window, UpgradeDialog).upgrade_button.click()
    wait_for_dialog(qtbot, window, ChoiceBox).choose(Choice.OK)  # "was upgraded"
    wait_idle(qtbot, window)
    assert window.controller.document is not None
    dialog = open_dialog(qtbot, window)
    dialog.choose("2.1")
    # Only the identity the upgrade gave it is lost.
    assert [loss.kind for loss in dialog.losses] == ["identity"]
    dialog.reject()


def test_a_failure_is_told_and_leaves_nothing(
    qtbot: QtBot, window: MainWindow, current_copy: Path, small_disk: Callable[[int], Path]
) -> None:
    disk = small_disk(1024)
    remount_read_only(disk)
    open_current(qtbot, window, current_copy)
    saved = digest(current_copy)
    dialog = open_dialog(qtbot, window)
    dialog.save_button.click()
    files = wait_for_dialog(qtbot, window, QFileDialog)
    files.selectFile(str(disk / "Old.db"))
    files.accept()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    wait_idle(qtbot, window)
    assert "read-only" in box.text()
    box.choose(Choice.OK)
    assert list(disk.iterdir()) == []
    assert digest(current_copy) == saved
    assert entry(window).isEnabled()
