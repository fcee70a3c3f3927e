"""File ▸ Export Subset through the real window: live counts, the export, its result, cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from pytestqt.qtbot import QtBot

from app.document import State, inspect, temporary_exports_dir
from app.ui import main_window as main_window_module
from app.ui import messages
from app.ui.export.dialog import ExportDialog
from app.ui.export.result import ExportResultDialog
from app.ui.main_window import MainWindow, quit_all
from app.ui.messages import Choice, ChoiceBox

from .conftest import PATIENCE_MS, open_current, query, wait_for_dialog, wait_idle
from .test_editing import edit_field

Flt = tuple[str, tuple[object, ...]]


def select_ids(window: MainWindow, ids: list[int]) -> None:
    """Select exactly the rows of ``ids`` (like Ctrl+clicking them)."""
    selection = window.samples.table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for sample_id in ids:
        row = window.samples.model.row_of(sample_id)
        assert row is not None
        selection.select(window.samples.model.index(row, 0), flags)
    assert sorted(window.samples.selected_ids()) == sorted(ids)


def expected(path: Path, where: str, *params: object) -> tuple[int, int]:
    """Samples and measurements matching ``where`` (over ``sample s``), counted independently."""
    samples = query(path, f"SELECT count(*) FROM sample s WHERE {where}", *params)[0][0]
    measurements = query(
        path,
        f"SELECT count(*) FROM measurement m JOIN sample s ON s.id = m.sample_id WHERE {where}",
        *params,
    )[0][0]
    assert isinstance(samples, int) and isinstance(measurements, int)
    return samples, measurements


def open_export_dialog(qtbot: QtBot, window: MainWindow) -> ExportDialog:
    assert window.acts.export_subset.isEnabled()
    window.acts.export_subset.trigger()
    return wait_for_dialog(qtbot, window, ExportDialog)


def wait_counts(qtbot: QtBot, dialog: ExportDialog, counts: tuple[int, int]) -> None:
    qtbot.waitUntil(lambda: dialog.counts == counts, timeout=PATIENCE_MS)
    assert dialog.count_label.text() == messages.export_count(*counts)


def export_to(qtbot: QtBot, window: MainWindow, dialog: ExportDialog) -> ExportResultDialog:
    assert dialog.export_button.isEnabled()
    dialog.export_button.click()
    result = wait_for_dialog(qtbot, window, ExportResultDialog)
    wait_idle(qtbot, window)
    return result


def ids_in(path: Path) -> list[int]:
    return [int(str(row[0])) for row in query(path, "SELECT id FROM sample ORDER BY id")]


def test_counts_follow_the_chosen_samples(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    chosen = [int(str(row[0])) for row in query(current_copy, "SELECT id FROM sample LIMIT 3")]
    select_ids(window, chosen)
    dialog = open_export_dialog(qtbot, window)

    # Several selected samples: the selection is the default.
    assert dialog.selection_radio.isChecked()
    assert dialog.selection_radio.text() == "The selected 3 samples"
    wait_counts(qtbot, dialog, expected(current_copy, f"s.id IN {tuple(chosen)}"))

    # Nothing filtered: the samples shown are all of them.
    dialog.shown_radio.setChecked(True)
    wait_counts(qtbot, dialog, expected(current_copy, "1"))

    # Tags: every checked tag must be on the sample.
    dialog.set_tags(["soil"])
    assert dialog.matching_radio.isChecked() and dialog.tags_check.isChecked()
    tagged = "s.id IN (SELECT sample_id FROM sample_tag JOIN tag ON tag.id = tag_id WHERE name = ?)"
    wait_counts(qtbot, dialog, expected(current_copy, tagged, "soil"))
    dialog.set_tags(["soil", "River water"])
    wait_counts(
        qtbot, dialog, expected(current_copy, f"{tagged} AND {tagged}", "soil", "River water")
    )
    dialog.tags_check.setChecked(False)

    # A collected-on range (either end may be open).
    qtbot.keyClicks(dialog.from_edit, "2026-06-01")
    assert dialog.dates_check.isChecked()
    wait_counts(qtbot, dialog, expected(current_copy, "s.collected_on >= '2026-06-01'"))
    qtbot.keyClicks(dialog.to_edit, "2026-08-31")
    wait_counts(
        qtbot,
        dialog,
        expected(current_copy, "s.collected_on BETWEEN '2026-06-01' AND '2026-08-31'"),
    )
    dialog.dates_check.setChecked(False)

    # Code patterns: any of them.
    qtbot.keyClicks(dialog.codes_edit, "KAL-*, OSL-01?")
    assert dialog.codes_check.isChecked()
    wait_counts(
        qtbot,
        dialog,
        expected(current_copy, "(s.code GLOB 'KAL-*' OR s.code GLOB 'OSL-01?')"),
    )

    # Criteria combine; nothing matching cannot be exported.
    dialog.set_tags(["never used"])
    wait_counts(qtbot, dialog, (0, 0))
    assert not dialog.export_button.isEnabled()

    # A date that is not one is explained, not counted.
    dialog.tags_check.setChecked(False)
    dialog.from_edit.clear()
    qtbot.keyClicks(dialog.from_edit, "June")
    qtbot.waitUntil(dialog.problem.isVisible, timeout=PATIENCE_MS)
    assert "“June” is not a date" in dialog.problem.text()
    assert not dialog.export_button.isEnabled()


def test_current_search_is_offered_and_counted(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    window.samples.search.setText("Ebro")
    window.samples.apply_filter()
    dialog = open_export_dialog(qtbot, window)
    assert dialog.shown_radio.isChecked()  # one selected sample is not a choice of samples
    assert "matching “Ebro”" in dialog.shown_radio.text()
    like = "(s.code LIKE ? OR s.name LIKE ? OR s.location LIKE ? OR s.notes LIKE ?)"
    counts = expected(current_copy, like, *["%Ebro%"] * 4)
    assert counts[0] > 0
    wait_counts(qtbot, dialog, counts)


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def file_urls() -> Iterator[list[QUrl]]:
    """URLs Samplebook asks the desktop to open (instead of starting a file manager)."""
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "handle")  # type: ignore[arg-type]
    yield catcher.urls
    QDesktopServices.unsetUrlHandler("file")


def test_export_to_a_chosen_file_and_what_comes_after(
    qtbot: QtBot,
    window: MainWindow,
    current_copy: Path,
    tmp_path: Path,
    file_urls: list[QUrl],
) -> None:
    open_current(qtbot, window, current_copy)
    chosen = [int(str(row[0])) for row in query(current_copy, "SELECT id FROM sample LIMIT 4")]
    select_ids(window, chosen)
    dialog = open_export_dialog(qtbot, window)
    target = tmp_path / "out folder" / "Chosen samples"  # no suffix: .db is added
    target.parent.mkdir()
    dialog.path_edit.setText(str(target))
    result = export_to(qtbot, window, dialog)

    path = target.with_suffix(".db")
    assert result.path_label.text() == str(path)
    samples, measurements = expected(current_copy, f"s.id IN {tuple(chosen)}")
    assert result.summary.text().startswith(f"Exported {samples} samples, {measurements} meas")
    assert not result.keep_check.isVisible()  # a chosen file is the person's own
    assert inspect(path).state is State.CURRENT
    assert ids_in(path) == sorted(chosen)
    assert not list(path.parent.glob(".*"))  # no scratch file left beside it

    result.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(path)

    result.folder_button.click()
    assert [url.toLocalFile() for url in file_urls] == [str(path.parent)]

    result.open_button.click()
    qtbot.waitUntil(lambda: window.presenter.current is None, timeout=PATIENCE_MS)
    qtbot.waitUntil(
        lambda: main_window_module.find_window_showing(path) not in (None, window),
        timeout=PATIENCE_MS,
    )
    other = main_window_module.find_window_showing(path)
    assert other is not None
    qtbot.waitUntil(lambda: other.samples.model.total == len(chosen), timeout=PATIENCE_MS)
    assert window.controller.document is not None
    assert window.controller.document.path == current_copy  # the source stays open


def test_export_holds_unsaved_edits(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    edit_field(window, "name", "Edited, not saved")
    assert window.isWindowModified()
    dialog = open_export_dialog(qtbot, window)
    dialog.selection_radio.setChecked(True)
    wait_counts(qtbot, dialog, expected(current_copy, "s.id = ?", sample.id))
    target = tmp_path / "edited.db"
    dialog.path_edit.setText(str(target))
    export_to(qtbot, window, dialog).reject()
    assert query(target, "SELECT id, name FROM sample") == [(sample.id, "Edited, not saved")]
    assert query(current_copy, "SELECT name FROM sample WHERE id = ?", sample.id) == [
        (sample.name,)
    ]
    assert window.isWindowModified()  # exporting is not saving


def test_an_existing_file_is_replaced_only_when_confirmed(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    target = tmp_path / "taken.db"
    target.write_text("someone's notes")
    dialog = open_export_dialog(qtbot, window)
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    assert box.text() == "“taken.db” already exists. Do you want to replace it?"
    box.choose(Choice.CANCEL)
    assert window.presenter.current is dialog
    assert target.read_text() == "someone's notes"

    dialog.export_button.click()
    wait_for_dialog(qtbot, window, ChoiceBox).choose(Choice.REPLACE)
    wait_for_dialog(qtbot, window, ExportResultDialog).reject()
    assert inspect(target).state is State.CURRENT
    assert len(ids_in(target)) == query(current_copy, "SELECT count(*) FROM sample")[0][0]


def test_the_open_document_is_not_a_destination(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    dialog = open_export_dialog(qtbot, window)
    dialog.path_edit.setText(str(current_copy))
    dialog.export_button.click()
    assert dialog.problem.text() == messages.export_is_open_document(current_copy.name)
    assert window.presenter.current is dialog
    assert inspect(current_copy).state is State.CURRENT


def test_a_failed_export_shows_why_and_leaves_no_file(
    qtbot: QtBot, window: MainWindow, current_copy: Path, tmp_path: Path
) -> None:
    open_current(qtbot, window, current_copy)
    dialog = open_export_dialog(qtbot, window)
    target = tmp_path / "no such folder" / "subset.db"
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()
    box = wait_for_dialog(qtbot, window, ChoiceBox)
    wait_idle(qtbot, window)
    assert box.text() == f"The folder {target.parent} does not exist."  # DocumentError.message
    assert not target.parent.exists()
    box.choose(Choice.OK)


def export_temporary(qtbot: QtBot, window: MainWindow, *, keep: bool) -> Path:
    dialog = open_export_dialog(qtbot, window)
    dialog.temporary_radio.setChecked(True)
    assert not dialog.path_edit.isEnabled()
    result = export_to(qtbot, window, dialog)
    assert result.keep_check.isVisible()
    assert result.export.temporary
    path = result.export.path
    assert result.path_label.text() == str(path)
    assert path.parent == temporary_exports_dir()
    assert inspect(path).state is State.CURRENT
    result.keep_check.setChecked(keep)
    result.reject()
    qtbot.waitUntil(lambda: window.presenter.current is None)
    return path


def test_temporary_exports_are_removed_on_quit_unless_kept(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    dropped = export_temporary(qtbot, window, keep=False)
    kept = export_temporary(qtbot, window, keep=True)
    assert dropped.exists() and kept.exists()
    quit_all()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=PATIENCE_MS)
    assert not dropped.exists()
    assert kept.exists()
    assert inspect(kept).state is State.CURRENT
    kept.unlink()


def test_a_temporary_export_open_in_another_window_outlives_its_source_window(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
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
    wait_idle(qtbot, other)
    window.close()
    assert path.exists()  # still open over there
    other.close()
    qtbot.waitUntil(lambda: not other.isVisible(), timeout=PATIENCE_MS)
    assert not path.exists()
