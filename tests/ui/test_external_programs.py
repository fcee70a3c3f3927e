"""Tools ▸ External Programs: real subprocesses on temporary exports, their output, cleanup."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from app.document import State, inspect
from app.domain.errors import InvalidInput
from app.domain.programs import (
    COUNT_SAMPLES_SCRIPT,
    ExternalProgram,
    example_programs,
    invocation,
    split_command,
)
from app.paths import HOME_OVERRIDE_VARIABLE
from app.ui import messages
from app.ui.main_window import MainWindow
from app.ui.programs.preferences import PreferencesDialog
from app.ui.programs.runner import ProgramRun
from app.ui.programs.settings import load_programs, save_programs

from .conftest import PATIENCE_MS, open_current, query, wait_for_dialog
from .test_export import select_ids

PYTHON = shlex.quote(sys.executable)


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A profile of the test's own (no programs configured yet), with a space in its path.

    Request it before ``window`` so the window reads this profile's settings.
    """
    home = tmp_path / "home with spaces"
    monkeypatch.setenv(HOME_OVERRIDE_VARIABLE, str(home))
    yield home


def program_actions(window: MainWindow) -> list[QAction]:
    """The Tools ▸ External Programs entries that run a program (as a person sees the menu: it
    is filled as it opens)."""
    window.acts.programs_menu.aboutToShow.emit()
    return [action for action in window.acts.programs_menu.actions() if action.data()]


def configure(window: MainWindow, *programs: ExternalProgram) -> None:
    save_programs(list(programs))
    window.acts.programs_menu.aboutToShow.emit()  # what opening the menu does


def run(qtbot: QtBot, window: MainWindow, name: str) -> ProgramRun:
    """Trigger the program's menu entry; returns the run once it has ended."""
    (action,) = [action for action in program_actions(window) if action.data() == name]
    assert action.isEnabled()
    action.trigger()
    started = window.program_run
    assert started is not None
    qtbot.waitUntil(lambda: window.program_run is None, timeout=PATIENCE_MS)
    assert started.finished
    return started


def output(window: MainWindow) -> str:
    return window.program_panel.output.toPlainText()


def test_the_shipped_example_counts_the_samples_shown(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    (example,) = load_programs()
    assert example.name == "Count samples (Python)"
    ((samples,),) = query(current_copy, "SELECT count(*) FROM sample")
    open_current(qtbot, window, current_copy)
    window.samples.table.clearSelection()  # nothing selected: the samples shown
    done = run(qtbot, window, example.name)

    assert window.program_panel.isVisible()
    assert f"{samples} samples\n" in output(window)
    assert done.exit_code == 0
    assert window.program_panel.status.text() == messages.program_finished(example.name, 0)
    assert done.export is not None
    assert done.export.samples == samples
    assert not done.export.path.exists()  # removed when the program ended
    assert window.controller.temporary_exports.paths() == []
    assert messages.export_removed(done.export.path) in output(window)
    assert program_actions(window)[0].isEnabled()  # ready for the next run


def test_the_selection_is_what_the_program_gets(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    first, second = (window.samples.model.sample_at(row) for row in (0, 5))
    assert first is not None and second is not None
    select_ids(window, [first.id, second.id])
    done = run(qtbot, window, "Count samples (Python)")
    assert "2 samples\n" in output(window)
    assert done.exit_code == 0


def test_placeholders_stay_one_argument_each(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    # No shell runs the command: "$HOME" and ";" reach the program as they are, and the export's
    # path (which has spaces: see ``own_home``) and the title are one argument each.
    show = "import sys; print(sys.argv[1:])"
    configure(
        window,
        ExternalProgram("Arguments", f'{PYTHON} -c "{show}" {{db}} "title: {{title}}" "$HOME;" x'),
    )
    open_current(qtbot, window, current_copy)
    assert window.controller.document is not None
    title = window.controller.document.title
    done = run(qtbot, window, "Arguments")
    assert done.export is not None
    assert " " in str(done.export.path)
    expected = [str(done.export.path), f"title: {title}", "$HOME;", "x"]
    assert f"{expected!r}\n" in output(window)


def test_a_failing_program_reports_its_exit_status(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    script = "import sys; print('to stdout'); print('to stderr', file=sys.stderr); sys.exit(3)"
    configure(window, ExternalProgram("Fails", f'{PYTHON} -c "{script}"'))
    open_current(qtbot, window, current_copy)
    done = run(qtbot, window, "Fails")
    assert done.exit_code == 3
    assert window.program_panel.status.text() == messages.program_finished("Fails", 3)
    assert "to stdout\n" in output(window)
    assert "to stderr\n" in output(window)
    assert done.export is not None and not done.export.path.exists()


def test_a_program_that_does_not_exist_is_explained_and_cleaned_up(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no such tool"
    configure(window, ExternalProgram("Analysis", f"{shlex.quote(str(missing))} {{db}}"))
    open_current(qtbot, window, current_copy)
    done = run(qtbot, window, "Analysis")
    status = window.program_panel.status.text()
    assert status.startswith(f"“Analysis” could not be started: “{missing}” was not found")
    assert status.endswith("Check its command line in Tools ▸ Preferences.")
    assert done.exit_code is None
    assert done.export is not None and not done.export.path.exists()
    assert window.controller.temporary_exports.paths() == []


def test_keep_leaves_the_exported_document(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    window.samples.table.clearSelection()
    window.program_panel.keep_check.setChecked(True)
    done = run(qtbot, window, "Count samples (Python)")
    assert done.export is not None
    kept = done.export.path
    assert kept.exists()
    assert messages.export_kept(kept) in output(window)
    assert inspect(kept).state is State.CURRENT
    window.close()  # quitting leaves a kept export too
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=PATIENCE_MS)
    assert kept.exists()


def test_closing_the_window_stops_a_running_program_and_cleans_up(
    own_home: Path, qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    wait = "import sys, time; print('started', flush=True); time.sleep(600)"
    configure(window, ExternalProgram("Slow", f'{PYTHON} -c "{wait}" {{db}}'))
    open_current(qtbot, window, current_copy)
    (action,) = program_actions(window)
    action.trigger()
    running = window.program_run
    assert running is not None
    qtbot.waitUntil(lambda: "started" in output(window), timeout=PATIENCE_MS)
    assert not action.isEnabled()  # one program at a time
    assert running.export is not None
    path = running.export.path
    assert path.exists()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=PATIENCE_MS)
    assert running.finished
    assert not path.exists()


def test_preferences_configure_the_programs(
    own_home: Path, qtbot: QtBot, window: MainWindow
) -> None:
    window.acts.preferences.trigger()
    dialog = wait_for_dialog(qtbot, window, PreferencesDialog)
    assert [dialog.list.item(row).text() for row in range(dialog.list.count())] == [
        "Count samples (Python)"
    ]
    dialog.add_button.click()
    dialog.name_edit.setText("Report")
    dialog.command_edit.setText('report --out "{title}.pdf" {db')
    assert "[report]  [--out]  [Title.pdf]  [{db]" in dialog.preview.text()
    dialog.command_edit.setText('report "unclosed {db}')
    assert "cannot be read" in dialog.preview.text()
    dialog.save()
    assert dialog.problem.isVisible() and "“Report”" in dialog.problem.text()
    assert window.presenter.current is dialog  # not saved
    dialog.command_edit.setText("report {db}")
    dialog.folder_edit.setText("~/reports")
    dialog.save()
    qtbot.waitUntil(lambda: window.presenter.current is None)
    assert load_programs() == [
        *example_programs(),
        ExternalProgram("Report", "report {db}", "~/reports"),
    ]
    assert [action.text() for action in program_actions(window)] == [
        "Count samples (Python)",
        "Report",
    ]

    # Removing every program is a configuration too: the example does not come back.
    window.acts.preferences.trigger()
    dialog = wait_for_dialog(qtbot, window, PreferencesDialog)
    while dialog.list.count():
        dialog.remove_button.click()
    dialog.save()
    assert load_programs() == []
    assert program_actions(window) == []
    assert next(action.text() for action in window.acts.programs_menu.actions()) == (
        messages.NO_PROGRAMS
    )


# -- the command line, without Qt -------------------------------------------------------------------


def test_the_example_is_the_apps_own_python() -> None:
    (example,) = example_programs(sys.executable, frozen=False)
    found = invocation(example, db=Path("/tmp/with space/x.db"), title="T")
    assert found.program == sys.executable
    assert found.arguments == ("-c", COUNT_SAMPLES_SCRIPT, "/tmp/with space/x.db")


def test_a_frozen_build_uses_samplebook_doc_or_offers_no_example(tmp_path: Path) -> None:
    executable = tmp_path / "samplebook"
    assert example_programs(str(executable), frozen=True) == []
    (tmp_path / "samplebook-doc").write_text("")
    (example,) = example_programs(str(executable), frozen=True)
    found = invocation(example, db=Path("/x.db"), title="T")
    assert (found.program, found.arguments) == (str(tmp_path / "samplebook-doc"), ("info", "/x.db"))


def test_command_line_problems_are_sentences() -> None:
    with pytest.raises(InvalidInput) as empty:
        split_command("   ")
    assert empty.value.problems == {"command": "The command line is empty."}
    with pytest.raises(InvalidInput) as quotes:
        split_command('tool "open')
    assert "cannot be read" in quotes.value.problems["command"]
    with pytest.raises(InvalidInput) as folder:
        invocation(ExternalProgram("x", "tool", "/no/such/folder"), db=Path("/x.db"), title="T")
    assert "“/no/such/folder” does not exist" in folder.value.problems["working_folder"]
