"""File ▸ Export Subset: which samples go (with a live count) and where the new document goes."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.domain.errors import InvalidInput
from app.domain.export import subset_counts
from app.domain.filter_words import describe_filter
from app.domain.filters import SampleFilter
from app.domain.tags import tag_counts
from app.ui import messages
from app.ui.choice_box import Choice
from app.ui.file_dialog import document_file_dialog
from app.ui.presenter import Presenter


def code_globs(text: str) -> tuple[str, ...]:
    """``"KAL-*, S-1?"`` → ``("KAL-*", "S-1?")``: patterns separated by commas or spaces."""
    return tuple(word for word in re.split(r"[,\s]+", text.strip()) if word)


@dataclass(frozen=True)
class ExportRequest:
    filter: SampleFilter
    destination: Path | None  # None: a temporary document
    overwrite: bool
    description: str
    samples: int


class ExportDialog(QDialog):
    """Choose the samples and the destination; ``request`` is set once it is accepted."""

    def __init__(
        self,
        parent: QWidget | None,
        presenter: Presenter,
        connection: sqlite3.Connection,
        *,
        selected_ids: list[int],
        shown: SampleFilter,
        folder: Path,
        name: str,
        is_open: Callable[[Path], bool],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(f"Export Subset — {APP_NAME}")
        self._presenter = presenter
        self._connection = connection
        self._selected = tuple(selected_ids)
        self._shown = shown
        self._is_open = is_open
        self._confirmed: Path | None = None  # a path whose replacement was already confirmed
        self.request: ExportRequest | None = None
        self.counts: tuple[int, int] | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_samples())
        layout.addWidget(self._build_destination(folder, name))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self._export_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Only a button already inside the dialog can be its default (Return presses it).
        self.export_button.setDefault(True)

        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(150)
        self._recount.timeout.connect(self.refresh_counts)
        self._connect()
        if len(self._selected) > 1:
            self.selection_radio.setChecked(True)
        else:
            self.shown_radio.setChecked(True)
        self._update_enabled()
        self.refresh_counts()
        self.setMinimumWidth(560)

    # -- construction ---------------------------------------------------------------------------

    def _build_samples(self) -> QGroupBox:
        box = QGroupBox("Samples")
        grid = QGridLayout(box)
        grid.setColumnMinimumWidth(0, 18)
        grid.setColumnStretch(2, 1)
        count = len(self._selected)
        self.selection_radio = QRadioButton(messages.selected_samples(count))
        self.selection_radio.setEnabled(count > 0)
        self.shown_radio = QRadioButton(
            f"The samples shown in the list ({describe_filter(self._shown)})"
        )
        self.matching_radio = QRadioButton("Samples matching all of:")
        self.mode = QButtonGroup(self)
        for radio in (self.selection_radio, self.shown_radio, self.matching_radio):
            self.mode.addButton(radio)
        grid.addWidget(self.selection_radio, 0, 0, 1, 3)
        grid.addWidget(self.shown_radio, 1, 0, 1, 3)
        grid.addWidget(self.matching_radio, 2, 0, 1, 3)

        self.tags_check = QCheckBox("Tagged with every checked tag:")
        self.tags_list = QListWidget()
        self.tags_list.setObjectName("exportTags")
        self.tags_list.setMaximumHeight(110)
        for tag, uses in tag_counts(self._connection):
            item = QListWidgetItem(f"{tag} ({uses})")
            item.setData(Qt.ItemDataRole.UserRole, tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.tags_list.addItem(item)
        self.dates_check = QCheckBox("Collected from")
        self.from_edit = QLineEdit()
        self.to_edit = QLineEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setPlaceholderText("YYYY-MM-DD")
            edit.setMaximumWidth(120)
        dates = QHBoxLayout()
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.to_edit)
        dates.addWidget(QLabel("(either may be empty)"))
        dates.addStretch(1)
        self.codes_check = QCheckBox("Code like")
        self.codes_edit = QLineEdit()
        self.codes_edit.setPlaceholderText("KAL-*, S-1??   (* any text, ? one character)")
        grid.addWidget(self.tags_check, 3, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.tags_list, 3, 2)
        grid.addWidget(self.dates_check, 4, 1)
        grid.addLayout(dates, 4, 2)
        grid.addWidget(self.codes_check, 5, 1)
        grid.addWidget(self.codes_edit, 5, 2)
        self.count_label = QLabel()
        self.count_label.setObjectName("exportCount")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.problem = QLabel()
        self.problem.setObjectName("exportProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        # The count and a problem take turns in one place of a fixed height, so the dialog does
        # not jump when a problem replaces the count (or goes away again).
        self.outcome = QStackedWidget()
        self.outcome.addWidget(self.count_label)
        self.outcome.addWidget(self.problem)
        self.outcome.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 6)
        grid.addWidget(self.outcome, 6, 0, 1, 3)
        return box

    def _build_destination(self, folder: Path, name: str) -> QGroupBox:
        box = QGroupBox("Export to")
        grid = QGridLayout(box)
        self.file_radio = QRadioButton("A new document:")
        self.path_edit = QLineEdit(str(folder / name))
        self.path_edit.setObjectName("exportPath")
        self.choose_button = QPushButton("Choose…")
        self.temporary_radio = QRadioButton(
            "A temporary document (removed when Samplebook quits unless you keep it)"
        )
        self.destination = QButtonGroup(self)
        self.destination.addButton(self.file_radio)
        self.destination.addButton(self.temporary_radio)
        self.file_radio.setChecked(True)
        grid.addWidget(self.file_radio, 0, 0)
        grid.addWidget(self.path_edit, 0, 1)
        grid.addWidget(self.choose_button, 0, 2)
        grid.addWidget(self.temporary_radio, 1, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        return box

    def _connect(self) -> None:
        self.mode.buttonToggled.connect(lambda *_: self._criteria_changed())
        self.destination.buttonToggled.connect(lambda *_: self._update_enabled())
        for check in (self.tags_check, self.dates_check, self.codes_check):
            check.toggled.connect(lambda _on: self._criteria_changed())
        self.tags_list.itemChanged.connect(lambda _item: self._field_edited(self.tags_check))
        for edit, check in (
            (self.from_edit, self.dates_check),
            (self.to_edit, self.dates_check),
            (self.codes_edit, self.codes_check),
        ):
            edit.textEdited.connect(lambda _text, c=check: self._field_edited(c))
        self.path_edit.textChanged.connect(lambda _text: self._update_enabled())
        self.choose_button.clicked.connect(self._choose_file)

    # -- the criteria ---------------------------------------------------------------------------

    def checked_tags(self) -> tuple[str, ...]:
        items = (self.tags_list.item(row) for row in range(self.tags_list.count()))
        return tuple(
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        )

    def set_tags(self, tags: list[str]) -> None:
        """Check exactly ``tags`` (and choose "matching"), as a person clicking them would."""
        for row in range(self.tags_list.count()):
            item = self.tags_list.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in tags
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def sample_filter(self) -> SampleFilter:
        if self.selection_radio.isChecked():
            return SampleFilter(ids=self._selected)
        if self.shown_radio.isChecked():
            return self._shown
        sample_filter = SampleFilter()
        if self.tags_check.isChecked():
            sample_filter = replace(sample_filter, tags=self.checked_tags())
        if self.dates_check.isChecked():
            sample_filter = replace(
                sample_filter,
                collected_from=self.from_edit.text().strip() or None,
                collected_to=self.to_edit.text().strip() or None,
            )
        if self.codes_check.isChecked():
            sample_filter = replace(sample_filter, code_globs=code_globs(self.codes_edit.text()))
        return sample_filter

    def _field_edited(self, check: QCheckBox) -> None:
        self.matching_radio.setChecked(True)
        if not check.isChecked():
            check.setChecked(True)  # toggled → _criteria_changed
        else:
            self._criteria_changed()

    def _criteria_changed(self) -> None:
        self._update_enabled()
        self._recount.start()

    def refresh_counts(self) -> None:
        """Count what the current criteria select (runs shortly after every change)."""
        self._recount.stop()
        try:
            self.counts = subset_counts(self._connection, self.sample_filter())
        except InvalidInput as error:
            self.counts = None
            self.count_label.setText("")
            self._show_problem(" ".join(error.problems.values()) or error.message)
        else:
            self._show_problem("")
            self.count_label.setText(messages.export_count(*self.counts))
        self._update_enabled()

    # -- the destination ------------------------------------------------------------------------

    def chosen_path(self) -> Path | None:
        """The file to export to, or None for a temporary document."""
        if self.temporary_radio.isChecked():
            return None
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.suffix:
            path = path.with_suffix(".db")
        return path.absolute()

    def _choose_file(self) -> None:
        dialog = document_file_dialog(
            self, "Export Subset", self.path_edit.text(), QFileDialog.AcceptMode.AcceptSave
        )
        dialog.selectFile(self.path_edit.text())

        def chosen(path: str) -> None:
            self.path_edit.setText(path)
            self.file_radio.setChecked(True)
            self._confirmed = self.chosen_path()  # the save dialog asked about replacing it

        dialog.fileSelected.connect(chosen)
        dialog.open()

    # -- state ----------------------------------------------------------------------------------

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.outcome.setCurrentWidget(self.problem if text else self.count_label)

    def _update_enabled(self) -> None:
        matching = self.matching_radio.isChecked()
        for check, widgets in (
            (self.tags_check, [self.tags_list]),
            (self.dates_check, [self.from_edit, self.to_edit]),
            (self.codes_check, [self.codes_edit]),
        ):
            check.setEnabled(matching)
            for widget in widgets:
                widget.setEnabled(matching)
        to_file = self.file_radio.isChecked()
        self.path_edit.setEnabled(to_file)
        self.choose_button.setEnabled(to_file)
        has_target = not to_file or bool(self.path_edit.text().strip())
        self.export_button.setEnabled(self.counts is not None and self.counts[0] > 0 and has_target)

    def _export_clicked(self) -> None:
        self.refresh_counts()
        if self.counts is None or self.counts[0] == 0:
            return
        path = self.chosen_path()
        if path is not None and self._is_open(path):
            self._show_problem(messages.export_is_open_document(path.name))
            return
        if path is not None and path.exists() and path != self._confirmed:
            box = messages.replace_box(self, path.name)

            def answered(_result: int) -> None:
                if box.choice is Choice.REPLACE:
                    self._confirmed = path
                    self._finish(path, overwrite=True)

            self._presenter.present(box, answered)
            return
        self._finish(path, overwrite=path is not None and path == self._confirmed)

    def _finish(self, path: Path | None, *, overwrite: bool) -> None:
        sample_filter = self.sample_filter()
        assert self.counts is not None
        self.request = ExportRequest(
            sample_filter,
            path,
            overwrite and path is not None and path.exists(),
            describe_filter(sample_filter),
            self.counts[0],
        )
        self.accept()
