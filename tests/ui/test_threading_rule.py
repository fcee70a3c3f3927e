"""The threading rule of an open document, asserted where the GUI reads its connection.

The connection is the GUI thread's, except while a worker saves with it; revert copies the file on
a worker with connections of its own and swaps the connection on the GUI thread.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.document import Reload, open_document
from app.ui.main_window import MainWindow
from app.ui.messages import Choice, ChoiceBox

from .conftest import open_current, query, wait_for_dialog, wait_idle
from .test_editing import edit_field, shown_name


def test_the_gui_may_not_read_while_a_worker_saves_with_the_connection(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    edit_field(window, "name", "Saved in the background")
    window.acts.save.trigger()  # the worker now has the connection until the save is delivered
    with pytest.raises(AssertionError, match="a worker is saving"):
        _ = window.controller.connection
    with pytest.raises(AssertionError, match="a worker is saving"):
        window.samples.model.refresh_sample(sample.id)  # views read through the controller
    with pytest.raises(AssertionError, match="a worker is saving"):
        window.samples.refresh_tags()
    with pytest.raises(AssertionError, match="a worker is saving"):
        _ = window.controller.title
    wait_idle(qtbot, window)
    assert window.controller.connection is not None  # handed back once the save is done
    assert not window.controller.modified


def test_only_the_gui_thread_reads_the_connection(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    failures: list[BaseException] = []

    def read_from_another_thread() -> None:
        try:
            _ = window.controller.connection
        except AssertionError as error:
            failures.append(error)

    reader = threading.Thread(target=read_from_another_thread)
    reader.start()
    reader.join()
    assert len(failures) == 1 and "GUI thread only" in str(failures[0])


def test_revert_swaps_the_connection_on_the_gui_thread(
    qtbot: QtBot, window: MainWindow, current_copy: Path
) -> None:
    open_current(qtbot, window, current_copy)
    sample = window.detail.sample
    assert sample is not None
    before = window.controller.connection
    edit_field(window, "name", "Thrown away")
    swapped_on: list[bool] = []
    document = window.controller.document
    assert document is not None
    finish = document.finish_revert

    def finish_and_note(replacement: Path) -> None:
        swapped_on.append(threading.current_thread() is threading.main_thread())
        finish(replacement)

    document.finish_revert = finish_and_note  # type: ignore[method-assign]
    window.acts.revert.trigger()
    wait_for_dialog(qtbot, window, ChoiceBox).choose(Choice.REVERT)
    wait_idle(qtbot, window)
    assert swapped_on == [True]
    after = window.controller.connection
    assert after is not None and after is not before
    window.samples.select(sample.id)
    assert shown_name(window) == sample.name  # the views read the new connection
    assert window.samples.model.sample_at(window.samples.model.row_of(sample.id) or 0) == sample
    assert not window.controller.modified


def test_preparing_a_revert_leaves_the_connection_alone(current_copy: Path) -> None:
    """The worker's half opens its own connections; the document stays usable meanwhile."""
    with open_document(current_copy) as document:
        with document.transaction() as connection:
            connection.execute("UPDATE sample SET name = 'unsaved' WHERE id = 1")
        prepared: list[Reload] = []
        worker = threading.Thread(target=lambda: prepared.append(document.prepare_revert()))
        worker.start()
        worker.join()
        (reload,) = prepared
        replacement = reload.replacement
        assert replacement.is_file()
        # Still open, still showing the unsaved edit: nothing was swapped yet.
        name = document.connection.execute("SELECT name FROM sample WHERE id = 1").fetchone()
        assert name == ("unsaved",)
        document.finish_revert(reload)
        assert not replacement.exists()
        saved = query(current_copy, "SELECT name FROM sample WHERE id = 1")
        assert document.connection.execute("SELECT name FROM sample WHERE id = 1").fetchall() == (
            saved
        )
        assert not document.modified
