"""The window around the data: column widths, words, read-only looks, the export dialog's keys,
the toolbar, the user guide, and starting without a display (issue 10, defects 8, 14, 16-19)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton
from pytestqt.qtbot import QtBot

from app.ui import messages
from app.ui.dialogs.guide_window import guide_path, show_guide
from app.ui.dialogs.properties_dialog import PropertiesDialog
from app.ui.display_check import NO_DISPLAY, debian_package, display_problem, xcb_problem
from app.ui.export.dialog import ExportDialog
from app.ui.export.result import ExportResultDialog
from app.ui.main_window import MainWindow
from app.ui.models.samples_model import COLUMNS
from app.ui.recent import settings
from app.ui.widgets.columns import share_width
from app.ui.window_geometry import split_widths

from .conftest import open_current, wait_for_dialog, wait_for_document, wait_idle
from .keys import CTRL, SHIFT, Key, focus, press, type_text

ROOT = Path(__file__).resolve().parents[2]


# -- defect 8: columns and the window's size -------------------------------------------------------


def widths(window: MainWindow) -> list[int]:
    header = window.samples.table.horizontalHeader()
    return [header.sectionSize(column) for column in range(header.count())]


def settle(qtbot: QtBot, window: MainWindow, size: QSize) -> list[int]:
    """The column widths of a window that opened at ``size`` (the offscreen screen is smaller)."""
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size)
    window.splitter.setSizes(split_widths(size.width()))
    viewport = window.samples.table.viewport()
    qtbot.waitUntil(lambda: sum(widths(window)) == viewport.width())
    return widths(window)


def test_columns_fit_at_1024_by_700_and_stretch_at_1920_by_1080(
    qtbot: QtBot, window: MainWindow, current_copy: Path, fresh_layout: None
) -> None:
    open_current(qtbot, window, current_copy)
    header = window.samples.table.horizontalHeader()
    metrics = header.fontMetrics()
    small = settle(qtbot, window, QSize(1024, 700))
    for column, (title, _key) in enumerate(COLUMNS):
        # Every title reads whole ("Iam" for Name was the defect), nothing scrolls sideways.
        assert small[column] >= metrics.horizontalAdvance(title) + 12, title
    name, location, tags = small[1], small[3], small[4]
    assert name >= location and name >= tags  # the name gets the largest share
    assert name >= window.samples.table.fontMetrics().horizontalAdvance("Bodensee - Überl")
    large = settle(qtbot, window, QSize(1920, 1080))
    assert large[0] == small[0] and large[2] == small[2] and large[5] == small[5]
    assert large[1] > small[1] and large[3] > small[3] and large[4] > small[4]
    # Shrinking again gives back the same widths: the text columns share the width.
    assert settle(qtbot, window, QSize(1024, 700)) == small


def test_sharing_the_free_width() -> None:
    assert share_width(300, {1: 200, 3: 100}, {1: 50, 3: 50}) == {1: 200, 3: 100}
    assert share_width(101, {1: 100, 3: 100, 4: 100}, {1: 10, 3: 10, 4: 10}) == {
        1: 33,
        3: 33,
        4: 35,  # the last takes the rounding: the widths add up exactly
    }
    # A share below a minimum gets the minimum; the others share what is left.
    assert share_width(200, {1: 300, 3: 100}, {1: 50, 3: 80}) == {1: 120, 3: 80}
    assert share_width(60, {1: 300, 3: 100}, {1: 50, 3: 80}) == {1: 50, 3: 80}
    assert split_widths(1008) == [608, 400]  # 1024 x 700: the list gets the room it needs
    assert split_widths(1904) == [1264, 640]


def test_a_dragged_column_keeps_its_proportion_to_the_others(
    qtbot: QtBot, window: MainWindow, current_copy: Path, fresh_layout: None
) -> None:
    open_current(qtbot, window, current_copy)
    header = window.samples.table.horizontalHeader()
    before = settle(qtbot, window, QSize(1920, 1080))
    header.resizeSection(3, before[3] - 100)  # as a person drags Location's edge
    after = widths(window)
    assert after[3] == before[3] - 100
    assert sum(after) == sum(before)  # Name and Tags took up the difference
    ratio = after[1] / after[3]
    window.samples.columns.set_shown(4, False)  # hide Tags: Name and Location share its room
    qtbot.waitUntil(lambda: sum(widths(window)) == window.samples.table.viewport().width())
    hidden = widths(window)
    assert abs(hidden[1] / hidden[3] - ratio) < 0.05 * ratio
    window.samples.columns.set_shown(4, True)
    smaller = settle(qtbot, window, QSize(1024, 700))
    assert smaller[1] > 2 * smaller[3]  # the proportion holds as far as minimums allow


def test_a_person_s_column_widths_and_order_are_remembered(
    qtbot: QtBot, window: MainWindow, current_copy: Path, fresh_layout: None
) -> None:
    open_current(qtbot, window, current_copy)
    header = window.samples.table.horizontalHeader()
    header.resizeSection(0, 140)  # as dragging the Code column's edge does
    header.moveSection(header.visualIndex(2), 0)  # Collected on first
    header.setSectionHidden(5, True)
    qtbot.waitUntil(lambda: settings().value("layout/samples_columns") is not None)
    window.samples.columns.save()
    other = MainWindow()
    qtbot.addWidget(other)
    again = other.samples.table.horizontalHeader()
    assert again.sectionSize(0) == 140
    assert again.logicalIndex(0) == 2
    assert again.isSectionHidden(5)
    assert again.sortIndicatorSection() == 0  # the sort is not remembered: by code
    other.close()


def test_the_window_fits_the_screen_it_opens_on(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    screen = window.screen()
    assert screen is not None
    available = screen.availableGeometry()
    assert window.width() <= available.width() and window.height() <= available.height()
    assert window.geometry().top() >= available.top()
    window.close()


# -- defect 14: words --------------------------------------------------------------------------------


def test_a_new_document_is_not_saved_yet_and_counts_read_properly(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.acts.new.trigger()
    wait_for_document(qtbot, window)
    assert window.state_label.text() == messages.NOT_SAVED_YET
    assert window.detail.placeholder.text() == messages.NO_SAMPLES_YET
    window.acts.new_sample.trigger()
    assert window.state_label.text() == messages.UNSAVED
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("1 sample ·"))
    assert window.counts_label.text() == "1 sample · 0 measurements · 0 tags"
    window.acts.new_sample.trigger()
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("2 samples ·"))


def test_several_selected_samples_show_their_count_and_what_applies(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    focus(qtbot, window, window.samples.table)
    press(qtbot, Key.Key_Home)
    press(qtbot, Key.Key_Down, SHIFT)
    press(qtbot, Key.Key_Down, SHIFT)
    summary = window.detail.selection_summary
    assert summary.isVisible()
    assert summary.count_label.text() == "3 samples selected"
    offered = [button.defaultAction() for button in summary.buttons]
    a = window.acts
    assert offered[:3] == [a.add_tag, a.remove_tag, a.set_location]
    assert a.delete_samples in offered and a.duplicate_samples in offered
    assert all(action.isEnabled() for action in offered)
    visible = [label.text() for label in window.detail.findChildren(QLabel) if label.isVisible()]
    assert messages.NO_SAMPLE_SELECTED not in visible


def test_times_are_shown_in_local_time(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    window.acts.properties.trigger()
    dialog = wait_for_dialog(qtbot, window, PropertiesDialog)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "+00:00" not in shown and "UTC" not in shown
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d by Samplebook", shown)
    dialog.reject()


def test_the_export_summary_reads_properly(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    window.acts.export_subset.trigger()
    dialog = wait_for_dialog(qtbot, window, ExportDialog)
    dialog.matching_radio.setChecked(True)
    dialog.dates_check.setChecked(True)
    dialog.from_edit.setText("2026-06-01")
    dialog.path_edit.setText(str(tmp_path / "summer.db"))
    dialog.refresh_counts()
    dialog.export_button.click()
    result = wait_for_dialog(qtbot, window, ExportResultDialog)
    wait_idle(qtbot, window)
    assert "(collected on or after 2026-06-01)." in result.summary.text()
    assert "…)" not in result.summary.text()
    result.reject()


# -- defect 16: read-only documents ----------------------------------------------------------------


def test_a_read_only_document_does_not_look_editable(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    window.controller.open_path(current_copy, read_only=True)
    wait_for_document(qtbot, window)
    assert window.windowTitle().endswith(" (read-only)[*] — Samplebook")
    name = window.detail.editors["name"]
    assert isinstance(name, QLineEdit)
    assert name.isReadOnly() and not name.hasFrame()
    base = name.palette().color(QPalette.ColorRole.Base)
    assert base == window.detail.palette().color(QPalette.ColorRole.Window)  # not white
    assert not window.detail.editors["collected_on"].pick_action.isVisible()  # type: ignore[union-attr]
    assert not window.detail.tag_editor.isEnabled()
    before = name.text()
    focus(qtbot, window, name)
    type_text(qtbot, "x")
    assert name.text() == before
    assert window.statusBar().currentMessage() == messages.READ_ONLY_TYPING
    # Editable again after Save As: the look comes back.
    window.detail.set_read_only(False)
    assert name.hasFrame()
    assert name.palette().color(QPalette.ColorRole.Base) != base


# -- defect 17: the export dialog ------------------------------------------------------------------


def test_return_presses_export_and_a_problem_does_not_move_the_dialog(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    window.acts.export_subset.trigger()
    dialog = wait_for_dialog(qtbot, window, ExportDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.matching_radio.setChecked(True)
    height = dialog.height()
    buttons = dialog.buttons.geometry()
    focus_widget = dialog.from_edit
    focus_widget.setFocus()
    qtbot.waitUntil(focus_widget.hasFocus)
    type_text(qtbot, "June")
    qtbot.waitUntil(dialog.problem.isVisible)
    assert "“June” is not a date" in dialog.problem.text()
    assert dialog.height() == height and dialog.buttons.geometry() == buttons
    press(qtbot, Key.Key_A, CTRL)
    press(qtbot, Key.Key_Delete)
    qtbot.waitUntil(dialog.count_label.isVisible)
    assert dialog.height() == height and dialog.buttons.geometry() == buttons

    dialog.path_edit.setText(str(tmp_path / "by return.db"))
    dialog.path_edit.setFocus()
    qtbot.waitUntil(dialog.path_edit.hasFocus)
    press(qtbot, Key.Key_Return)
    result = wait_for_dialog(qtbot, window, ExportResultDialog)
    wait_idle(qtbot, window)
    assert (tmp_path / "by return.db").is_file()
    result.reject()


# -- the toolbar and the user guide ----------------------------------------------------------------


def test_the_toolbar_and_its_view_menu_entry(
    qtbot: QtBot, window: MainWindow, current_copy: Path, fresh_layout: None
) -> None:
    open_current(qtbot, window, current_copy)
    bar = window.toolbar
    a = window.acts
    assert [action for action in bar.actions() if not action.isSeparator()] == [
        a.new,
        a.open,
        a.save,
        a.new_sample,
        a.add_measurement,
        a.export_subset,
        a.run_program,
    ]
    for action in bar.actions():
        assert action.isSeparator() or not action.icon().isNull(), action.text()
    button = bar.widgetForAction(a.run_program)
    assert isinstance(button, QToolButton)
    assert button.defaultAction().menu() is a.programs_menu
    assert button.popupMode() == QToolButton.ToolButtonPopupMode.InstantPopup
    toggle = next(
        action for action in a.view_menu.actions() if action.objectName() == "showToolbar"
    )
    assert bar.isVisible()
    toggle.trigger()
    assert not bar.isVisible()
    other = MainWindow()  # remembered
    qtbot.addWidget(other)
    other.show()
    assert not other.toolbar.isVisible()
    other.close()
    toggle.trigger()
    assert bar.isVisible()


def test_the_user_guide_is_shipped_and_lists_every_shortcut(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = guide_path()
    assert page is not None and page.parent == ROOT / "resources" / "guide"
    text = page.read_text(encoding="utf-8")
    missing = []
    for action in window.findChildren(QAction):
        # Standard actions also answer to special keys (Undo, Copy…) and to platform
        # alternatives; the guide names at least one way to type each.
        keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
        if keys and not any(f"<kbd>{key}</kbd>" in text for key in keys):
            missing.append(f"{action.text()}: {keys}")
    assert missing == []
    for keys in ("Tab", "Home", "End", "Esc", "Delete", "Alt+Down"):  # keys without an action
        assert f"<kbd>{keys}</kbd>" in text
    guide = show_guide()
    assert guide is not None and guide.isVisible()
    assert "Keyboard shortcuts" in guide.browser.toPlainText()
    assert window.acts.user_guide.shortcut().toString() == "F1"
    guide.close()


# -- defect 18: the README -------------------------------------------------------------------------


def test_the_readme_says_what_the_app_does(window: MainWindow) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    delete = window.acts.delete_samples.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    assert f"**Delete Samples** ({delete}" in readme
    # Samples have no "links" (the README once said exports copy them); file-system links exist.
    assert not re.search(r"\b(?:tags and|sample) links\b", readme)
    # The example program differs between source and installed builds, and the README says why.
    assert re.search(r"source\s+checkout", readme) and "`samplebook-doc info {db}`" in readme
    for package in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"):
        assert package in readme


# -- defect 19: no display -------------------------------------------------------------------------


def test_without_a_display_samplebook_says_so_and_exits_2(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    done = subprocess.run(
        [sys.executable, "-m", "app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"samplebook: {NO_DISPLAY}"
    version = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert version.returncode == 0  # --help and --version need no display


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, NO_DISPLAY),
        ({"QT_QPA_PLATFORM": "xcb"}, NO_DISPLAY),
        ({"QT_QPA_PLATFORM": "wayland"}, NO_DISPLAY),
        ({"QT_QPA_PLATFORM": "offscreen"}, None),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, None),
    ],
)
def test_which_environments_have_a_display(environ: dict[str, str], expected: str | None) -> None:
    assert display_problem(environ, "linux") == expected
    assert display_problem(environ, "win32") is None


def test_a_missing_xcb_library_is_named(tmp_path: Path) -> None:
    """A copy of Qt's xcb plugin that needs a library this machine lacks (one name changed)."""
    from PySide6.QtCore import QLibraryInfo  # noqa: PLC0415

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    real = plugins / "platforms" / "libqxcb.so"
    if not real.is_file():
        pytest.skip("this Qt has no xcb plugin")
    assert xcb_problem(real) is None  # the real one loads here (CI installs its libraries)
    (tmp_path / "plugins" / "platforms").mkdir(parents=True)
    (tmp_path / "lib").symlink_to(plugins.parent / "lib")  # its RUNPATH: $ORIGIN/../../lib
    copy = tmp_path / "plugins" / "platforms" / "libqxcb.so"
    data = real.read_bytes()
    assert data.count(b"libxcb-icccm.so.4\0") == 1
    copy.write_bytes(data.replace(b"libxcb-icccm.so.4\0", b"libxcb-qqqqq.so.4\0"))
    problem = xcb_problem(copy)
    assert problem is not None
    assert "needs libxcb-qqqqq.so.4, which is not installed" in problem
    assert "sudo apt-get install libxcb-qqqqq4" in problem
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
