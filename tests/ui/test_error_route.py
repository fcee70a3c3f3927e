"""Every flow's errors take one route (``app.ui.crash.report``), with real files and real failures.

A person's error (``DocumentError``) is shown as its sentences and is not logged as a bug; a bug is
logged with its traceback and gets the crash box; a failed self-check is shown *and* logged.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.document import CannotWrite, SelfCheckFailed, State, inspect
from app.paths import log_file
from app.ui import crash, messages
from app.ui.dialogs.upgrade_dialog import UpgradeDialog
from app.ui.export.dialog import ExportDialog
from app.ui.main_window import MainWindow
from app.ui.messages import Choice, ChoiceBox
from tests.document.conftest import lock_held_elsewhere

from .conftest import BUG_HEADER, Log, execute, open_current, wait_for_dialog, wait_idle
from .test_editing import edit_field


def on_busy_label(window: MainWindow, prefix: str, action: Callable[[], None]) -> None:
    """Run ``action`` on the GUI thread just before the work labelled ``prefix…`` starts.

    ``set_busy(True, label)`` runs synchronously before the worker is started, so this puts a
    change to the file exactly between two steps of a flow (a real race, made repeatable).
    """

    def busy(now_busy: bool) -> None:
        progress = window.controller.progress
        if now_busy and progress is not None and progress.labelText().startswith(prefix):
            action()

    window.controller.busy_changed.connect(busy)


# -- save ------------------------------------------------------------------------------------------


def test_a_failing_save_is_told_as_its_sentence_and_not_logged(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path, log: Log
) -> None:
    stick = tmp_path / "usb stick"
    stick.mkdir()
    path = stick / current_copy.name
    shutil.move(current_copy, path)
    open_current(qtbot, window, path)
    edit_field(window, "name", "Edited before the stick was pulled")
    stick.rename(tmp_path / "elsewhere")  # the folder is gone when Save runs
    window.acts.save.trigger()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    wait_idle(qtbot, window)
    assert box.text() == (
        f"Could not save “{path.name}”: the folder does not exist. {path.name} is unchanged."
    )
    # Never "free some space" for a folder that is not there.
    assert box.informativeText() == "Choose an existing folder, then try again."
    assert BUG_HEADER not in log.new_text()
    box.choose(Choice.OK)
    assert window.controller.modified  # nothing was lost: the edit is still there to save
    assert window.state_label.text() == messages.UNSAVED
    assert not path.exists()


# -- open ------------------------------------------------------------------------------------------


def test_a_file_gone_between_check_and_open_is_told_not_crashed(
    qtbot: QtBot, window: MainWindow, current_copy: Path, log: Log
) -> None:
    on_busy_label(window, "Opening", current_copy.unlink)
    window.controller.open_path(current_copy)
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.text().startswith("Could not open a working copy: ")
    assert box.choices() == [Choice.OK]
    assert BUG_HEADER not in log.new_text()
    box.choose(Choice.OK)
    qtbot.waitUntil(lambda: not window.controller.opening)
    assert window.controller.document is None


def test_a_lock_taken_between_check_and_open_is_checked_again(
    qtbot: QtBot, window: MainWindow, current_copy: Path, log: Log
) -> None:
    checks: list[str] = []
    on_busy_label(window, "Checking", lambda: checks.append("checked"))
    with contextlib.ExitStack() as holders:
        # Another Samplebook opens the file after this one classified it as current.
        on_busy_label(
            window,
            "Opening",
            lambda: (
                holders.enter_context(lock_held_elsewhere(current_copy))
                if len(checks) == 1
                else None
            ),
        )
        window.controller.open_path(current_copy)
        box = wait_for_dialog(qtbot, window, ChoiceBox)
        assert checks == ["checked", "checked"]  # the race was noticed and the file checked again
        assert box.text() == inspect(current_copy).message  # "… is open in Samplebook …"
        assert inspect(current_copy).state is State.LOCKED
        assert Choice.OPEN_READ_ONLY in box.choices()
        box.choose(Choice.OPEN_READ_ONLY)
        qtbot.waitUntil(lambda: window.controller.document is not None)
        wait_idle(qtbot, window)
        document = window.controller.document
        assert document is not None and document.read_only
    assert BUG_HEADER not in log.new_text()


# -- upgrade ---------------------------------------------------------------------------------------


def test_an_upgrade_refused_for_the_persons_file_is_told_not_logged(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path], log: Log
) -> None:
    path = fixture_copy("1.1")
    execute(
        path,
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (99999, 'pH', 7, '')",
    )
    before = path.read_bytes()
    window.controller.open_path(path)
    wait_for_dialog(qtbot, window, UpgradeDialog).upgrade_button.click()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.text().startswith(f"“{path.name}” could not be upgraded. The document has 1 rows")
    # Said once, although the error's own next step says it too; no log: it is not a bug.
    assert box.informativeText() == (
        "The original is unchanged. Restore a backup, or contact support with this file."
    )
    assert BUG_HEADER not in log.new_text()
    box.choose(Choice.OK)
    assert path.read_bytes() == before


# -- export ----------------------------------------------------------------------------------------


def test_a_failing_export_is_told_and_leaves_no_file(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path, log: Log
) -> None:
    open_current(qtbot, window, current_copy)
    window.acts.export_subset.trigger()
    dialog = wait_for_dialog(qtbot, window, ExportDialog)
    target = tmp_path / "subset.db"  # a folder of that name: replacing it cannot work
    target.mkdir()
    (target / "results.csv").write_text("id,value\n", encoding="utf-8")
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()
    wait_for_dialog(qtbot, window, ChoiceBox).choose(Choice.REPLACE)
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    wait_idle(qtbot, window)
    assert box.text().startswith("Could not export to “subset.db”: ")
    assert box.choices() == [Choice.OK]
    assert BUG_HEADER not in log.new_text()
    box.choose(Choice.OK)
    qtbot.waitUntil(lambda: window.export_flow is None)
    assert [p.name for p in target.iterdir()] == ["results.csv"]
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


# -- the route itself ------------------------------------------------------------------------------


def raised(error: BaseException) -> BaseException:
    """``error`` as it arrives from a worker: raised, with its traceback."""
    try:
        raise error
    except BaseException as caught:
        return caught


def test_a_failed_self_check_is_shown_and_logged_with_its_traceback(
    qtbot: QtBot, window: MainWindow, log: Log
) -> None:
    error = raised(SelfCheckFailed("The upgraded copy did not pass its checks (extra table 'x')."))
    crash.report(error, presenter=window.presenter)
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.text() == "The upgraded copy did not pass its checks (extra table 'x')."
    assert box.informativeText() == (
        "The original is unchanged. Please report this problem with the log file. "
        f"{messages.details_in_log(str(log_file()))}"
    )
    written = log.new_text()
    assert BUG_HEADER in written and "SelfCheckFailed: The upgraded copy" in written
    assert "Traceback (most recent call last)" in written
    box.choose(Choice.OK)


def test_a_bug_is_logged_and_gets_the_crash_box_then_the_flow_goes_on(
    qtbot: QtBot, window: MainWindow, log: Log
) -> None:
    ended: list[bool] = []
    crash.report(
        raised(KeyError("no such column")),
        presenter=window.presenter,
        then=lambda: ended.append(True),
    )
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.text() == "Samplebook ran into a problem it did not expect."
    assert str(log_file()) in box.informativeText()
    assert "KeyError: 'no such column'" in log.new_text()
    assert ended == []  # the flow ends once the person has seen it
    box.choose(Choice.OK)
    assert ended == [True]


def test_a_persons_error_is_not_logged(qtbot: QtBot, window: MainWindow, log: Log) -> None:
    crash.report(
        raised(CannotWrite("The disk is full.", "Free some space.")), presenter=window.presenter
    )
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert (box.text(), box.informativeText()) == ("The disk is full.", "Free some space.")
    assert log.new_text() == ""
    box.choose(Choice.OK)
