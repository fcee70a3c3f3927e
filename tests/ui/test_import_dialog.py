"""File ▸ Import… through the real window: a real table file, the preview, the choices, the
counts, and the import as one undo step (undo removes it all, redo brings the same ids back)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.document import create
from app.ui.importing.dialog import ImportDialog
from app.ui.main_window import MainWindow
from app.ui.messages import data as said

from .conftest import PATIENCE_MS, open_current, query, wait_for_dialog, wait_idle


def make_document(folder: Path, *codes: str) -> Path:
    """A current document holding samples with ``codes`` (made by the migrations)."""
    path = create(folder / "Lab.db", "Lab")
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        for code in codes:
            db.execute("INSERT INTO sample (code, name) VALUES (?, ?)", (code, f"Sample {code}"))
    return path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def open_import(qtbot: QtBot, window: MainWindow, table: Path) -> ImportDialog:
    action = window.data.import_action
    assert action.isEnabled()
    action.trigger()
    chooser = wait_for_dialog(qtbot, window, QFileDialog)
    chooser.selectFile(str(table))
    chooser.accept()
    dialog = wait_for_dialog(qtbot, window, ImportDialog)
    wait_checked(qtbot, dialog)
    return dialog


def wait_checked(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.checking, timeout=PATIENCE_MS)


def import_now(qtbot: QtBot, window: MainWindow, dialog: ImportDialog) -> None:
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.data.flow is None, timeout=PATIENCE_MS)
    wait_idle(qtbot, window)


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    return query(path, sql)


def work_rows(window: MainWindow, sql: str) -> list[tuple[object, ...]]:
    document = window.controller.document
    assert document is not None
    return query(document.work_path, sql)


SAMPLES_CSV = (
    "Probe;Name;collected_on;Ort;tags\r\n"
    'S-10;Weiher Nord;15.03.2024;Weiher;"wasser; frühling"\r\n'
    'S-11;"Bach\r\nmit Zeilenumbruch";16.03.2024;Bach;wasser\r\n'
    "S-1;Old sample renamed;17.03.2024;Teich;\r\n"
)


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    return make_document(tmp_path, "S-1", "S-2")


def test_mapping_options_counts_and_one_undo_step(
    qtbot: QtBot, window: MainWindow, lab: Path, tmp_path: Path
) -> None:
    table = write(tmp_path / "proben.csv", SAMPLES_CSV, "cp1252")
    open_current(qtbot, window, lab)
    dialog = open_import(qtbot, window, table)

    # What was found out is shown: delimiter, encoding, the columns matched by name.
    assert dialog.delimiter_combo.currentData() == ";"
    assert dialog.encoding_combo.currentData() == "cp1252"
    assert dialog.kind_combo.currentData() == "samples"
    assert dialog.mapping() == {
        "Probe": "",
        "Name": "name",
        "collected_on": "collected_on",
        "Ort": "",
        "tags": "tags",
    }
    # No code column yet: the person is told which field to choose, nothing is checked.
    assert dialog.problem.text() == said.mapping_missing(["code"])
    assert not dialog.import_button.isEnabled()

    dialog.set_field("Probe", "code")
    dialog.set_field("Ort", "location")
    wait_checked(qtbot, dialog)
    # Dates like 15.03.2024 are never guessed: every row is rejected until a format is chosen.
    assert dialog.plan is not None and len(dialog.plan.rejected) == 3
    assert not dialog.import_button.isEnabled()
    assert "15.03.2024" in dialog.problems.toPlainText()
    dialog.date_combo.setCurrentIndex(dialog.date_combo.findData("%d.%m.%Y"))
    wait_checked(qtbot, dialog)
    plan = dialog.plan
    assert plan is not None
    # S-1 exists: a conflict until updates are allowed.
    assert (plan.added, plan.updated, len(plan.rejected)) == (2, 0, 1)
    assert dialog.counts.text() == said.import_counts("samples", 2, 0, 1)
    # S-1 starts on line 5: the quoted line break before it makes one record span lines 3 and 4.
    assert dialog.problems.toPlainText().startswith("Line 5: ")
    assert dialog.preview.action_of_row(3) == "rejected"
    assert dialog.problem.text() == said.import_blocked(1)
    assert not dialog.import_button.isEnabled()

    dialog.update_check.setChecked(True)
    wait_checked(qtbot, dialog)
    plan = dialog.plan
    assert plan is not None and (plan.added, plan.updated, len(plan.rejected)) == (2, 1, 0)
    assert [dialog.preview.action_of_row(row) for row in (1, 2, 3)] == ["add", "add", "update"]
    before = work_rows(window, "SELECT * FROM sample ORDER BY id")
    import_now(qtbot, window, dialog)

    after = work_rows(
        window, "SELECT id, code, name, collected_on, location FROM sample ORDER BY id"
    )
    assert after == [
        (1, "S-1", "Old sample renamed", "2024-03-17", "Teich"),
        (2, "S-2", "Sample S-2", None, None),
        (3, "S-10", "Weiher Nord", "2024-03-15", "Weiher"),
        (4, "S-11", "Bach\r\nmit Zeilenumbruch", "2024-03-16", "Bach"),
    ]
    tags = "SELECT s.code, t.name FROM sample_tag st JOIN sample s ON s.id = st.sample_id JOIN tag t ON t.id = st.tag_id ORDER BY 1, 2"
    assert work_rows(window, tags) == [("S-10", "frühling"), ("S-10", "wasser"), ("S-11", "wasser")]
    assert window.samples.model.total == 4
    stack = window.controller.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Import 3 Samples"
    assert window.controller.modified

    # One Ctrl+Z takes all of it back; redo brings the same rows with the same ids.
    window.acts.undo.trigger()
    assert work_rows(window, "SELECT * FROM sample ORDER BY id") == before
    assert work_rows(window, "SELECT count(*) FROM tag") == [(0,)]
    assert window.samples.model.total == 2
    window.acts.redo.trigger()
    assert (
        work_rows(window, "SELECT id, code, name, collected_on, location FROM sample ORDER BY id")
        == after
    )
    assert work_rows(window, tags) == [("S-10", "frühling"), ("S-10", "wasser"), ("S-11", "wasser")]
    # The file itself changes only on save.
    assert rows(lab, "SELECT count(*) FROM sample") == [(2,)]


def test_skip_bad_rows_imports_the_others(
    qtbot: QtBot, window: MainWindow, lab: Path, tmp_path: Path
) -> None:
    table = write(
        tmp_path / "messwerte.csv",
        "code,quantity,value,unit\nS-1,pH,7.2,\nS-9,pH,7.1,\nS-2,nitrate,<0.05,mg/L\nS-2,pH,sour,\n",
    )
    open_current(qtbot, window, lab)
    dialog = open_import(qtbot, window, table)
    assert dialog.kind_combo.currentData() == "measurements"
    assert not dialog.update_check.isVisible()
    plan = dialog.plan
    assert plan is not None and (plan.added, len(plan.rejected)) == (2, 2)
    problems = dialog.problems.toPlainText().splitlines()
    assert problems[0] == "Line 3: the document has no sample with the code “S-9”"
    assert problems[1].startswith("Line 5: value: ")
    dialog.skip_check.setChecked(True)
    assert dialog.import_button.isEnabled()
    import_now(qtbot, window, dialog)
    assert work_rows(
        window, "SELECT sample_id, quantity, value, qualifier, unit FROM measurement ORDER BY id"
    ) == [(1, "pH", 7.2, None, ""), (2, "nitrate", 0.05, "<", "mg/L")]
    assert window.controller.undo_stack.undoText() == "Import 2 Measurements"


def test_decimal_commas_are_found_and_can_be_changed(
    qtbot: QtBot, window: MainWindow, lab: Path, tmp_path: Path
) -> None:
    table = write(
        tmp_path / "excel.csv",
        "\ufeffcode;quantity;value;unit\r\nS-1;pH;7,25;\r\nS-2;Cu;0,05;mg/L\r\n",
    )
    open_current(qtbot, window, lab)
    dialog = open_import(qtbot, window, table)
    assert dialog.encoding_combo.currentData() == "utf-8-sig"
    assert dialog.decimal_combo.currentData() == "comma"
    assert dialog.plan is not None and dialog.plan.added == 2 and not dialog.plan.rejected
    dialog.decimal_combo.setCurrentIndex(dialog.decimal_combo.findData("point"))
    wait_checked(qtbot, dialog)
    assert dialog.plan is not None and len(dialog.plan.rejected) == 2
    dialog.decimal_combo.setCurrentIndex(dialog.decimal_combo.findData("comma"))
    wait_checked(qtbot, dialog)
    import_now(qtbot, window, dialog)
    assert work_rows(window, "SELECT value FROM measurement ORDER BY id") == [(7.25,), (0.05,)]


def test_a_wrong_delimiter_is_read_again_with_the_choice(
    qtbot: QtBot, window: MainWindow, lab: Path, tmp_path: Path
) -> None:
    table = write(tmp_path / "new.txt", "code|name\nN-1|First\nN-2|Second\n")
    open_current(qtbot, window, lab)
    dialog = open_import(qtbot, window, table)
    assert dialog.delimiter_combo.currentData() == "|"
    dialog.delimiter_combo.setCurrentIndex(dialog.delimiter_combo.findData(","))
    wait_checked(qtbot, dialog)
    assert list(dialog.preview.combos) == ["code|name"]  # one column: read again with ","
    assert dialog.plan is None and dialog.problem.text() == said.mapping_missing(["code"])
    dialog.delimiter_combo.setCurrentIndex(dialog.delimiter_combo.findData("|"))
    wait_checked(qtbot, dialog)
    assert dialog.plan is not None and dialog.plan.added == 2
    import_now(qtbot, window, dialog)
    assert work_rows(window, "SELECT code FROM sample ORDER BY id") == [
        ("S-1",),
        ("S-2",),
        ("N-1",),
        ("N-2",),
    ]


def test_an_xlsx_sheet_is_chosen(
    qtbot: QtBot, window: MainWindow, lab: Path, tmp_path: Path
) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Notes"
    first.append(["nothing", "here"])
    second = book.create_sheet("Samples")
    second.append(["code", "name", "collected_on"])
    second.append(["X-1", "From Excel", "2024-05-01"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    open_current(qtbot, window, lab)
    dialog = open_import(qtbot, window, path)
    assert dialog.sheet_combo.isVisible()
    assert [dialog.sheet_combo.itemText(i) for i in range(dialog.sheet_combo.count())] == [
        "Notes",
        "Samples",
    ]
    assert not dialog.delimiter_combo.isVisible()
    dialog.sheet_combo.setCurrentIndex(1)
    wait_checked(qtbot, dialog)
    assert dialog.plan is not None and dialog.plan.added == 1
    import_now(qtbot, window, dialog)
    assert work_rows(window, "SELECT code, collected_on FROM sample WHERE id = 3") == [
        ("X-1", "2024-05-01")
    ]


def test_a_document_changed_meanwhile_is_checked_again(
    qtbot: QtBot, window: MainWindow, lab: Path, tmp_path: Path
) -> None:
    table = write(tmp_path / "m.csv", "code,quantity,value\nS-2,pH,7\n")
    open_current(qtbot, window, lab)
    dialog = open_import(qtbot, window, table)
    assert dialog.plan is not None and dialog.plan.added == 1
    # Another edit (here straight into the working copy) renames S-2 before the import runs.
    connection = window.controller.connection
    assert connection is not None
    connection.execute("UPDATE sample SET code = 'S-2b' WHERE id = 2")
    dialog.import_button.click()
    again = wait_for_dialog(qtbot, window, ImportDialog)
    assert again is not dialog
    wait_checked(qtbot, again)
    assert again.note.text().startswith("The document changed since the table was checked")
    assert again.plan is not None and again.plan.added == 0 and len(again.plan.rejected) == 1
    assert work_rows(window, "SELECT count(*) FROM measurement") == [(0,)]
    again.reject()
    qtbot.waitUntil(lambda: window.data.flow is None, timeout=PATIENCE_MS)
    assert window.controller.undo_stack.count() == 0


def test_a_file_that_is_not_a_table_says_why(
    qtbot: QtBot, window: MainWindow, lab: Path, tmp_path: Path
) -> None:
    table = tmp_path / "binary.csv"
    table.write_bytes(b"code,name\n\x00\x01\x02")
    open_current(qtbot, window, lab)
    dialog = open_import(qtbot, window, table)
    assert dialog.plan is None and dialog.problem.isVisible()
    assert "binary.csv" in dialog.problem.text()
    assert not dialog.import_button.isEnabled()
