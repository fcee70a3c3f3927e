"""The on-open hook, driven through the real window: each state gets its own answer."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app import __version__
from app.document import State, backups_of, create, inspect, upgrade
from app.document.releases import HEAD_RELEASE
from app.paths import log_file
from app.ui import messages
from app.ui import open_flow as open_flow_module
from app.ui.dialogs.upgrade_dialog import UpgradeDialog
from app.ui.main_window import MainWindow
from app.ui.messages import Choice, ChoiceBox
from tests.document.test_upgrade import failing_migrations

from .conftest import (
    BUG_HEADER,
    PATIENCE_MS,
    Log,
    execute,
    open_current,
    query,
    wait_for_dialog,
    wait_for_document,
    wait_idle,
)


def test_current_document_opens_with_rows_and_status(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    window.controller.open_path(current_copy)
    wait_for_document(qtbot, window)
    assert window.samples.model.rowCount() > 0
    assert window.windowTitle().endswith("[*] — Samplebook")
    assert not window.isWindowModified()
    assert window.state_label.text() == messages.SAVED
    assert f"Samplebook {HEAD_RELEASE} format" == window.format_label.text()
    qtbot.waitUntil(lambda: "samples" in window.counts_label.text())
    assert window.detail.sample is not None  # the first sample is selected and shown


@pytest.mark.parametrize("release", ["1.0", "1.1", "1.2"])
def test_outdated_document_is_upgraded_with_a_backup(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path], release: str
) -> None:
    path = fixture_copy(release)
    samples_before = inspect(path).counts
    window.controller.open_path(path)
    dialog = wait_for_dialog(qtbot, window, UpgradeDialog)
    assert f"saved by Samplebook {release}" in dialog.question.text()
    assert f"Samplebook {HEAD_RELEASE} format" in dialog.explanation.text()
    assert "can no longer open it" in dialog.explanation.text()
    assert dialog.backup_box.isChecked()
    assert str(path.parent) in dialog.backup_where.text()
    steps: list[int] = []
    window.controller.busy_changed.connect(
        lambda busy: (
            steps.append(window.controller.progress.maximum())
            if busy and window.controller.progress is not None
            else None
        )
    )
    dialog.upgrade_button.click()
    done = wait_for_dialog(qtbot, window, ChoiceBox)
    backups = backups_of(path)
    assert len(backups) == 1
    assert done.text() == (
        f"“{path.name}” was upgraded from Samplebook {release} to {HEAD_RELEASE}."
    )
    assert done.informativeText() == f"A backup of the original is at {backups[0]}."
    assert Choice.SHOW_IN_FOLDER in done.choices()
    assert inspect(backups[0]).release == release
    done.choose(Choice.OK)
    wait_for_document(qtbot, window)
    assert inspect(path).state is State.CURRENT
    assert window.samples.model.total == samples_before.samples  # type: ignore[union-attr]
    # How far it is, in thousandths (long revisions report from inside), with a Cancel button.
    assert steps and steps[0] == open_flow_module.PROGRESS_STEPS


def test_an_upgrade_can_be_cancelled_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy("1.0")
    before = path.read_bytes()
    window.controller.open_path(path)
    dialog = wait_for_dialog(qtbot, window, UpgradeDialog)
    dialog.backup_box.setChecked(False)

    def cancel_at_once(busy: bool) -> None:
        progress = window.controller.progress
        if busy and progress is not None and "Upgrading" in progress.labelText():
            (button,) = [b for b in progress.findChildren(QPushButton) if b.text() == "Cancel"]
            button.click()

    window.controller.busy_changed.connect(cancel_at_once)
    dialog.upgrade_button.click()
    qtbot.waitUntil(lambda: not window.controller.opening, timeout=PATIENCE_MS)
    assert window.controller.document is None
    assert path.read_bytes() == before
    assert sorted(entry.name for entry in path.parent.iterdir()) == [path.name]


def test_the_full_check_of_a_new_file_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy(HEAD_RELEASE)  # arrived from elsewhere: checked in full
    before = path.read_bytes()

    def cancel_at_once(busy: bool) -> None:
        progress = window.controller.progress
        if busy and progress is not None and progress.labelText().startswith("Checking"):
            assert progress.maximum() == open_flow_module.PROGRESS_STEPS
            (button,) = [b for b in progress.findChildren(QPushButton) if b.text() == "Cancel"]
            button.click()

    window.controller.busy_changed.connect(cancel_at_once)
    window.controller.open_path(path)
    qtbot.waitUntil(lambda: not window.controller.opening, timeout=PATIENCE_MS)
    assert window.controller.document is None
    assert path.read_bytes() == before
    window.controller.busy_changed.disconnect(cancel_at_once)
    open_current(qtbot, window, path)  # not cancelled: it opens
    assert window.controller.document is not None


def test_upgrade_without_backup(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy("1.1")
    window.controller.open_path(path)
    dialog = wait_for_dialog(qtbot, window, UpgradeDialog)
    dialog.backup_box.setChecked(False)
    dialog.upgrade_button.click()
    done = wait_for_dialog(qtbot, window, ChoiceBox)
    assert done.informativeText() == "No backup was made."
    assert Choice.SHOW_IN_FOLDER not in done.choices()
    done.choose(Choice.OK)
    wait_for_document(qtbot, window)
    assert backups_of(path) == []


def test_cancelled_upgrade_leaves_the_file_alone(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy("1.0")
    before = path.read_bytes()
    window.controller.open_path(path)
    dialog = wait_for_dialog(qtbot, window, UpgradeDialog)
    dialog.reject()
    qtbot.waitUntil(lambda: not window.controller.opening)
    assert window.controller.document is None
    assert path.read_bytes() == before


@pytest.fixture
def upgrades_fail_midway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's upgrades are real, with a schema history whose 2.0 revision fails midway."""
    monkeypatch.setattr(
        open_flow_module,
        "upgrade",
        functools.partial(upgrade, script_location=failing_migrations(tmp_path)),
    )


@pytest.mark.usefixtures("upgrades_fail_midway")
def test_failed_upgrade_says_the_original_is_unchanged(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path], log: Log
) -> None:
    path = fixture_copy("1.2")
    before = path.read_bytes()
    window.controller.open_path(path)
    wait_for_dialog(qtbot, window, UpgradeDialog).upgrade_button.click()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.text() == (
        f"“{path.name}” could not be upgraded: Samplebook ran into a problem it did not expect."
    )
    assert box.informativeText() == (
        f"The original is unchanged. {messages.details_in_log(str(log_file()))}"
    )
    written = log.new_text()
    assert BUG_HEADER in written and "RuntimeError: injected failure midway" in written
    assert "Traceback (most recent call last)" in written
    box.choose(Choice.OK)
    assert path.read_bytes() == before
    assert inspect(path).state is State.OUTDATED
    assert window.controller.document is None


def _refused(qtbot: QtBot, window: MainWindow, path: Path) -> ChoiceBox:
    expected = inspect(path)
    window.controller.open_path(path)
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.text() == expected.message
    return box


def _not_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("just some notes\n", encoding="utf-8")
    return path


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.db"
    execute(path, "CREATE TABLE person (name TEXT)", "INSERT INTO person VALUES ('Ana')")
    return path


def _corrupt(tmp_path: Path) -> Path:
    path = tmp_path / "short.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(84))
    return path


def _tampered(tmp_path: Path) -> Path:
    path = create(tmp_path / "tampered.db", "T")
    execute(path, "CREATE TRIGGER t AFTER INSERT ON sample BEGIN SELECT 1; END")
    return path


def _locked(tmp_path: Path) -> Path:
    path = create(tmp_path / "busy.db", "B")
    Path(f"{path}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(500))
    return path


def _unreadable(tmp_path: Path) -> Path:
    path = tmp_path / "folder.db"
    path.mkdir()
    return path


@pytest.mark.parametrize(
    ("state", "make"),
    [
        (State.MISSING, lambda tmp: tmp / "nowhere.db"),
        (State.UNREADABLE, _unreadable),
        (State.NOT_SQLITE, _not_sqlite),
        (State.FOREIGN, _foreign),
        (State.CORRUPT, _corrupt),
    ],
)
def test_every_refused_state_shows_its_own_message(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    state: State,
    make: Callable[[Path], Path],
) -> None:
    path = make(tmp_path)
    found = inspect(path)
    assert found.state is state
    box = _refused(qtbot, window, path)
    if state is State.CORRUPT:  # nothing of ours can be read from it, and no backup exists
        assert not found.repairable
        assert box.informativeText() == (
            "There is no backup of this document beside it. Choose another file."
        )
    else:
        assert box.informativeText() == found.next_step
    assert Choice.CHOOSE_OTHER in box.choices()
    assert Choice.OPEN_READ_ONLY not in box.choices()
    box.choose(Choice.CANCEL)
    qtbot.waitUntil(lambda: not window.controller.opening)
    assert window.controller.document is None


def test_choose_another_file_opens_the_file_dialog(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QFileDialog  # noqa: PLC0415

    box = _refused(qtbot, window, _not_sqlite(tmp_path))
    box.choose(Choice.CHOOSE_OTHER)
    dialog = wait_for_dialog(qtbot, window, QFileDialog)
    dialog.reject()


def test_newer_document_names_the_version_and_refuses(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = create(tmp_path / "future.db", "Future")
    execute(
        path,
        "UPDATE alembic_version SET version_num = 'f00dfeed2300'",
        "UPDATE document_info SET saved_by_version = '2.3.0'",
        # A newer release renamed something this one reads: it cannot be shown safely.
        "ALTER TABLE measurement RENAME COLUMN unit TO units",
    )
    box = _refused(qtbot, window, path)
    assert "saved by Samplebook 2.3.0" in box.text()
    assert box.informativeText() == "Update Samplebook to open it."
    box.choose(Choice.CANCEL)
    qtbot.waitUntil(lambda: not window.controller.opening)
    assert window.controller.document is None


def test_newer_document_that_only_adds_things_opens_read_only(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = create(tmp_path / "future.db", "Future")
    execute(
        path,
        "UPDATE alembic_version SET version_num = 'f00dfeed2300'",
        "UPDATE document_info SET saved_by_version = '2.3.0'",
        "CREATE TABLE instrument (id INTEGER PRIMARY KEY, name TEXT)",
    )
    before = path.read_bytes()
    box = _refused(qtbot, window, path)
    assert "saved by Samplebook 2.3.0" in box.text()
    assert box.informativeText() == "Update Samplebook to open it, or open it read-only."
    box.choose(Choice.OPEN_READ_ONLY)
    wait_for_document(qtbot, window)
    document = window.controller.document
    assert document is not None and document.read_only
    assert not window.acts.save.isEnabled() and window.acts.save_as.isEnabled()
    # Never "Samplebook 2.1 format" for a format this build does not know (issue 10, defect 5).
    assert window.format_label.text() == f"A newer Samplebook's format (unknown to {__version__})"
    assert path.read_bytes() == before


def test_empty_file_becomes_a_new_document(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "fresh.db"
    path.touch()
    box = _refused(qtbot, window, path)
    assert box.informativeText() == inspect(path).next_step
    box.choose(Choice.MAKE_NEW)
    wait_for_document(qtbot, window)
    assert inspect(path).state is State.CURRENT
    assert window.samples.model.total == 0
    assert query(path, "SELECT title FROM document_info") == [("fresh",)]


def test_drop_a_file_on_the_window_opens_it(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl  # noqa: PLC0415
    from PySide6.QtGui import QDropEvent  # noqa: PLC0415

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(current_copy))])
    event = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    wait_for_document(qtbot, window)
    assert window.controller.document is not None
    assert window.controller.document.path == current_copy


def test_recent_files_are_remembered_and_missing_ones_pruned(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path]
) -> None:
    from app.ui import recent  # noqa: PLC0415

    first = fixture_copy(HEAD_RELEASE)
    second = fixture_copy(HEAD_RELEASE)
    for path in (first, second):
        window.controller.open_path(path)
        wait_for_document(qtbot, window)
        qtbot.waitUntil(lambda p=path: window.controller.document.path == p)  # type: ignore[union-attr]
    assert recent.recent_files()[:2] == [second, first]
    window.controller.discard_and_close()
    first.unlink()
    assert first not in recent.recent_files()
    window.acts.recent_menu.aboutToShow.emit()
    names = [action.text() for action in window.acts.recent_menu.actions()]
    assert second.name in names
    wait_idle(qtbot, window)
