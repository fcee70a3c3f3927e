"""Errors reach people as sentences; read-only documents say why; the same file is not opened twice."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.document import CannotWrite
from app.ui import crash, messages
from app.ui.main_window import MainWindow
from app.ui.messages import ChoiceBox

from .conftest import open_current, wait_for_document


def _shown_box(qtbot: QtBot) -> ChoiceBox:
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    def found() -> ChoiceBox | None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, ChoiceBox) and widget.isVisible():
                return widget
        return None

    qtbot.waitUntil(lambda: found() is not None)
    box = found()
    assert box is not None
    return box


def test_an_unexpected_error_shows_the_crash_dialog_with_the_log(
    qtbot: QtBot, window: MainWindow
) -> None:
    try:
        raise RuntimeError("a bug")
    except RuntimeError as error:
        crash.excepthook(RuntimeError, error, error.__traceback__)
    box = _shown_box(qtbot)
    assert box.text() == "Samplebook ran into a problem it did not expect."
    assert "samplebook.log" in box.informativeText()
    log = Path(box.informativeText().split("written to ")[1].split(". Please")[0])
    assert "RuntimeError: a bug" in log.read_text(encoding="utf-8")
    box.accept()


def test_a_document_error_is_shown_as_its_sentences_not_a_traceback(
    qtbot: QtBot, window: MainWindow
) -> None:
    error = CannotWrite("The disk is full.", "Free some space and try again.")
    crash.excepthook(CannotWrite, error, None)
    box = _shown_box(qtbot)
    assert (box.text(), box.informativeText()) == messages.text_of(error)
    box.accept()


@pytest.fixture
def restore_permissions(tmp_path: Path) -> Iterator[None]:
    """Give every file and folder under ``tmp_path`` its write permission back afterwards."""
    yield
    for path in [tmp_path, *tmp_path.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def assert_opened_read_only(qtbot: QtBot, window: MainWindow, path: Path, reason: str) -> None:
    before = path.read_bytes()
    open_current(qtbot, window, path)
    document = window.controller.document
    assert document is not None and document.read_only
    assert document.read_only_reason == reason
    assert window.banner.label.text() == (
        f"This document is open read-only because {reason}. Use Save As to keep a copy you can edit."
    )
    assert window.state_label.text() == messages.READ_ONLY
    assert not window.acts.save.isEnabled()
    assert window.acts.save_as.isEnabled()
    assert not window.detail.tag_editor.isEnabled()
    assert window.detail.editors["name"].isReadOnly()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # not even a lock file


@pytest.mark.permissions
@pytest.mark.usefixtures("restore_permissions")
def test_unwritable_file_opens_read_only_with_the_reason(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    current_copy.chmod(0o444)
    assert_opened_read_only(qtbot, window, current_copy, "the file is read-only")


@pytest.mark.permissions
@pytest.mark.usefixtures("restore_permissions")
def test_a_document_in_a_read_only_folder_opens_read_only_with_the_reason(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    current_copy.parent.chmod(0o555)  # the file itself may be written, but nothing beside it
    assert_opened_read_only(qtbot, window, current_copy, "its folder is read-only")


def test_the_same_file_is_not_opened_twice(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    first = window.controller.document
    window.controller.open_path(current_copy)
    wait_for_document(qtbot, window)
    assert window.controller.document is first
    assert window.presenter.current is None
