"""Other processes: unsaved work left by a killed Samplebook, and a document another one holds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import __version__
from app.document import recoverable
from app.document.releases import HEAD_RELEASE
from app.paths import HOME_OVERRIDE_VARIABLE, config_dir
from app.ui import application
from app.ui.dialogs.recovery_dialog import RecoveryDialog
from app.ui.main_window import MainWindow
from app.ui.messages import Choice, ChoiceBox

from .conftest import PATIENCE_MS, query, wait_for_dialog, wait_for_document

EDIT_AND_WAIT = """
import sys
from pathlib import Path
from app.document import open_document
from app.domain import SampleFields, get_sample, page_samples, update_sample

document = open_document(Path(sys.argv[1]))
if sys.argv[2] == "edit":
    first = page_samples(document.connection, limit=1)[0]
    update_sample(document, first.id, SampleFields(
        first.code, "Edited before the crash", first.collected_on, first.location, first.notes))
    print(first.id, flush=True)
else:
    print("holding", flush=True)
sys.stdin.read()
"""


def start_child(path: Path, mode: str) -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen(
        [sys.executable, "-c", EDIT_AND_WAIT, str(path), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert child.stdout is not None
    return child, child.stdout.readline().strip()


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A profile of this test's own, so only its child's unsaved work is found."""
    home = tmp_path / "home"
    monkeypatch.setenv(HOME_OVERRIDE_VARIABLE, str(home))
    yield home


def test_unsaved_work_of_a_killed_process_is_recovered(
    qtbot: QtBot, own_home: Path, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    child, sample_id = start_child(path, "edit")
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert [found.document for found in recoverable()] == [path]

    window = application.start(None)
    qtbot.addWidget(window)
    dialog = wait_for_dialog(qtbot, window, RecoveryDialog)
    assert dialog.list.count() == 1
    assert str(path) in dialog.list.item(0).text()
    dialog.recover_button.click()
    qtbot.waitUntil(lambda: window.controller.document is not None, timeout=PATIENCE_MS)
    document = window.controller.document
    assert document is not None and document.path == path
    assert window.isWindowModified()  # recovered work is unsaved until saved
    window.samples.select(int(sample_id))
    assert window.detail.sample is not None
    assert window.detail.sample.name == "Edited before the crash"
    window.acts.save.trigger()
    qtbot.waitUntil(lambda: not window.controller.busy, timeout=PATIENCE_MS)
    assert query(path, "SELECT name FROM sample WHERE id = ?", int(sample_id)) == [
        ("Edited before the crash",)
    ]
    assert recoverable() == []
    window.controller.discard_and_close()
    window.close()


def test_discarding_recovered_work(
    qtbot: QtBot, own_home: Path, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    child, _sample_id = start_child(path, "edit")
    child.kill()
    child.wait()
    window = application.start(None)
    qtbot.addWidget(window)
    dialog = wait_for_dialog(qtbot, window, RecoveryDialog)
    dialog.discard_button.click()
    qtbot.waitUntil(lambda: window.presenter.current is None)
    assert window.controller.document is None
    assert recoverable() == []
    window.close()


def test_document_held_by_another_process_offers_read_only(
    qtbot: QtBot, window: MainWindow, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    child, ready = start_child(path, "hold")
    try:
        assert ready == "holding"
        window.controller.open_path(path)
        box = wait_for_dialog(qtbot, window, ChoiceBox)
        assert f"open in Samplebook {__version__} (process {child.pid}" in box.text()
        assert box.informativeText() == "Close it there first, or open it read-only."
        assert Choice.OPEN_READ_ONLY in box.choices()
        box.choose(Choice.OPEN_READ_ONLY)
        wait_for_document(qtbot, window)
        document = window.controller.document
        assert document is not None and document.read_only
        assert not window.acts.save.isEnabled()
        assert window.acts.save_as.isEnabled()
        assert not window.acts.new_sample.isEnabled()
        assert window.banner.isVisible()
        assert "open in another Samplebook" in window.banner.label.text()
    finally:
        child.kill()
        child.wait()


def test_smoke_renders_an_upgraded_document(
    tmp_path: Path, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy("1.0")
    out = tmp_path / "window.png"
    result = subprocess.run(
        [sys.executable, "-m", "app", "--smoke", str(out), str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000
    assert len(list(tmp_path.glob("*.backup-1.0-*.db"))) == 1


def test_smoke_fails_with_a_message_for_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "text.db"
    path.write_text("hello", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "app", "--smoke", str(tmp_path / "x.png"), str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert result.returncode == 1
    assert "is not a Samplebook document" in result.stderr


#: Only document work needs these; the first window must not pay for them (start-up time).
NOT_AT_START = (
    "alembic",
    "sqlalchemy",
    "app.document.migration",
    # The domain layer and the document page: the welcome window reads and shows no samples.
    "app.domain",
    "app.ui.document_page",
    "app.ui.widgets.samples_panel",
    "app.ui.widgets.sample_detail",
    # Dialogs and flows load when first used.
    "app.ui.export.flow",
    "app.ui.programs.runner",
    "app.ui.older_copy.flow",
    "app.ui.tags_dialog",
    "app.ui.dialogs.upgrade_dialog",
    "app.ui.dialogs.properties_dialog",
    # Standard library the document layer uses when it names, creates or locks a file.
    "secrets",
    "uuid",
    "subprocess",
    "getpass",
)


def test_first_window_imports_only_what_it_shows() -> None:
    code = (
        "import sys; from app.ui import application; from app.ui.main_window import MainWindow;"
        "application.make_application(sys.argv); w = MainWindow(); w.show();"
        f"bad = [m for m in {NOT_AT_START!r} if m in sys.modules];"
        "print(bad)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_showing_the_first_window_writes_no_settings(qtbot: QtBot, own_home: Path) -> None:
    window = application.start(None)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    qtbot.wait(50)  # what follows the first show (the recovery offer) has run
    assert window.toolbar.isVisible()
    assert not (config_dir() / "samplebook.ini").exists()
    window.close()


def test_the_document_page_is_made_while_the_first_document_is_read(
    qtbot: QtBot, own_home: Path, fixture_copy: Callable[[str], Path]
) -> None:
    window = application.start(None)
    qtbot.addWidget(window)
    assert window.pages.count() == 1
    assert window.pages.currentWidget() is window.welcome
    window.controller.open_path(fixture_copy(HEAD_RELEASE))
    # Made while the file is read on a worker, before the document arrives; shown when it has.
    assert window.controller.document is None and window.pages.count() == 2
    assert window.pages.currentWidget() is window.welcome
    wait_for_document(qtbot, window)
    page = window.page
    assert window.pages.currentWidget() is page
    assert window.samples.model.total > 0
    window.controller.discard_and_close()
    assert window.pages.currentWidget() is window.welcome
    window.controller.open_path(fixture_copy(HEAD_RELEASE))
    wait_for_document(qtbot, window)
    assert window.page is page  # made once, kept for the window's next documents
    assert window.pages.count() == 2
    window.controller.discard_and_close()
    window.close()


def test_starting_with_a_file_opens_it(
    qtbot: QtBot, own_home: Path, fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    window = application.start(path)
    qtbot.addWidget(window)
    wait_for_document(qtbot, window)
    assert window.controller.document is not None
    assert window.controller.document.path == path
    window.controller.discard_and_close()
    window.close()
