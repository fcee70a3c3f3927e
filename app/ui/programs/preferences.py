"""Tools ▸ Preferences: the external programs (name, command line with placeholders, folder)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.domain.errors import InvalidInput
from app.domain.programs import PLACEHOLDERS, ExternalProgram, invocation, split_command, validate
from app.ui import messages
from app.ui.programs.settings import load_programs, save_programs

PREVIEW_PATH = Path("/path/to/export.db")


class PreferencesDialog(QDialog):
    """Edits a copy of the configured programs; OK checks and saves them."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(f"Preferences — {APP_NAME}")
        self.programs: list[ExternalProgram] = load_programs()
        self._loading = False

        group = QGroupBox("External programs (Tools ▸ External Programs)")
        self.list = QListWidget()
        self.list.setObjectName("programList")
        self.list.setMaximumWidth(220)
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)

        self.name_edit = QLineEdit()
        self.command_edit = QLineEdit()
        self.command_edit.setObjectName("programCommand")
        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText("the document's folder")
        self.browse_button = QPushButton("Choose…")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        hint = QLabel(messages.command_line_help(PLACEHOLDERS))
        hint.setWordWrap(True)
        hint.setContentsMargins(0, 8, 0, 0)
        self.preview = QLabel()
        self.preview.setObjectName("commandPreview")
        self.preview.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name:", self.name_edit)
        form.addRow("Command line:", self.command_edit)
        form.addRow("Working folder:", folder_row)
        form.addRow("Runs:", self.preview)
        self.editor = QWidget()
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(form)
        editor_layout.addWidget(hint)
        editor_layout.addStretch(1)

        columns = QHBoxLayout(group)
        columns.addLayout(left)
        columns.addWidget(self.editor, 1)

        self.problem = QLabel()
        self.problem.setObjectName("preferencesProblem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(group, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

        for program in self.programs:
            self.list.addItem(program.name)
        self.list.currentRowChanged.connect(self._show)
        self.add_button.clicked.connect(lambda _checked=False: self.add_program())
        self.remove_button.clicked.connect(self.remove_program)
        self.browse_button.clicked.connect(self._choose_folder)
        for edit in (self.name_edit, self.command_edit, self.folder_edit):
            edit.textChanged.connect(lambda _text: self._edited())
        self.list.setCurrentRow(0 if self.programs else -1)
        self._show(self.list.currentRow())
        self.resize(760, 380)

    # -- editing --------------------------------------------------------------------------------

    def add_program(self, program: ExternalProgram | None = None) -> None:
        program = program or ExternalProgram("New program", "")
        self.programs.append(program)
        self.list.addItem(program.name)
        self.list.setCurrentRow(len(self.programs) - 1)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def remove_program(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.programs):
            del self.programs[row]
            self.list.takeItem(row)
            self._show(self.list.currentRow())

    def _show(self, row: int) -> None:
        program = self.programs[row] if 0 <= row < len(self.programs) else None
        self._loading = True
        self.name_edit.setText(program.name if program else "")
        self.command_edit.setText(program.command if program else "")
        self.folder_edit.setText(program.working_folder if program else "")
        self.command_edit.setCursorPosition(0)  # a long command line shows its program
        self._loading = False
        self.editor.setEnabled(program is not None)
        self.remove_button.setEnabled(program is not None)
        self._update_preview()

    def _edited(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self.programs):
            return
        self.programs[row] = ExternalProgram(
            self.name_edit.text(), self.command_edit.text(), self.folder_edit.text()
        )
        self.list.item(row).setText(self.name_edit.text())
        self._update_preview()

    def _update_preview(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.programs):
            self.preview.setText("")
            return
        program = replace(self.programs[row], working_folder="")  # checked when it runs
        try:
            split_command(program.command)
            found = invocation(program, db=PREVIEW_PATH, title="Title")
        except InvalidInput as error:
            self.preview.setText(" ".join(error.problems.values()))
            return
        words = [found.program, *found.arguments]
        self.preview.setText("  ".join(f"[{word}]" for word in words))

    def _choose_folder(self) -> None:
        dialog = QFileDialog(self, "Working Folder", self.folder_edit.text() or str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(self.folder_edit.setText)
        dialog.open()

    # -- saving ---------------------------------------------------------------------------------

    def save(self) -> None:
        programs = [
            ExternalProgram(p.name.strip(), p.command.strip(), p.working_folder.strip())
            for p in self.programs
        ]
        try:
            validate(programs)
        except InvalidInput as error:
            self.problem.setText(error.message)
            self.problem.show()
            return
        save_programs(programs)
        self.accept()
