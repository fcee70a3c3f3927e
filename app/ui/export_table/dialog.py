"""File ▸ Export Table…: which samples (selected or shown), which table, which file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.domain.errors import InvalidInput
from app.domain.export import describe_filter, subset_counts
from app.domain.filters import SampleFilter
from app.domain.importing import Kind
from app.ui import messages
from app.ui.choice_box import Choice
from app.ui.messages import data as said
from app.ui.presenter import Presenter

SUFFIXES = (".csv", ".tsv", ".xlsx")
FILTERS = "CSV for Excel (*.csv);;Tab-separated (*.tsv);;Excel workbook (*.xlsx)"


@dataclass(frozen=True)
class TableRequest:
    filter: SampleFilter
    kind: Kind
    path: Path
    overwrite: bool
    description: str


class ExportTableDialog(QDialog):
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
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportTableDialog")
        self.setWindowTitle(f"Export Table — {APP_NAME}")
        self._presenter = presenter
        self._connection = connection
        self._selected = tuple(selected_ids)
        self._shown = shown
        self.request: TableRequest | None = None
        layout = QVBoxLayout(self)

        samples = QGroupBox("Samples")
        rows = QVBoxLayout(samples)
        self.selection_radio = QRadioButton(messages.selected_samples(len(self._selected)))
        self.selection_radio.setEnabled(bool(self._selected))
        self.shown_radio = QRadioButton(
            f"The samples shown in the list ({describe_filter(self._shown)})"
        )
        self.which = QButtonGroup(self)
        for radio in (self.selection_radio, self.shown_radio):
            self.which.addButton(radio)
            rows.addWidget(radio)
        (self.selection_radio if len(self._selected) > 1 else self.shown_radio).setChecked(True)
        layout.addWidget(samples)

        table = QGroupBox("Table")
        kinds = QVBoxLayout(table)
        self.samples_radio = QRadioButton("Samples: one row each")
        self.measurements_radio = QRadioButton("Measurements: one row each, with the sample's code")
        self.kind_group = QButtonGroup(self)
        for radio in (self.samples_radio, self.measurements_radio):
            self.kind_group.addButton(radio)
            kinds.addWidget(radio)
        self.samples_radio.setChecked(True)
        layout.addWidget(table)

        target = QGroupBox("File")
        grid = QGridLayout(target)
        self.path_edit = QLineEdit(str(folder / name))
        self.path_edit.setObjectName("exportTablePath")
        self.choose_button = QPushButton("Choose…")
        grid.addWidget(self.path_edit, 0, 0)
        grid.addWidget(self.choose_button, 0, 1)
        hint = QLabel(said.TABLE_FORMATS)
        hint.setWordWrap(True)
        grid.addWidget(hint, 1, 0, 1, 2)
        layout.addWidget(target)

        self.count_label = QLabel()
        self.count_label.setObjectName("exportTableCount")
        layout.addWidget(self.count_label)
        self.problem = QLabel()
        self.problem.setObjectName("exportTableProblem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self._export_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.which.buttonToggled.connect(lambda *_: self.refresh())
        self.kind_group.buttonToggled.connect(lambda *_: self.refresh())
        self.path_edit.textChanged.connect(lambda _t: self.refresh())
        self.choose_button.clicked.connect(self._choose)
        self.setMinimumWidth(560)
        self.refresh()

    @property
    def kind(self) -> Kind:
        return Kind.MEASUREMENTS if self.measurements_radio.isChecked() else Kind.SAMPLES

    def sample_filter(self) -> SampleFilter:
        if self.selection_radio.isChecked():
            return SampleFilter(ids=self._selected)
        return self._shown

    def chosen_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.suffix:
            path = path.with_suffix(".csv")
        return path.absolute()

    def _problem(self) -> str:
        path = self.chosen_path()
        if path is not None and path.suffix.lower() not in SUFFIXES:
            return said.table_suffix_problem(path.name)
        return ""

    def refresh(self) -> None:
        try:
            samples, measurements = subset_counts(self._connection, self.sample_filter())
        except InvalidInput as error:
            samples = measurements = 0
            self.count_label.setText(error.message)
        else:
            self.count_label.setText(messages.export_count(samples, measurements))
        rows = samples if self.kind is Kind.SAMPLES else measurements
        problem = self._problem()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.export_button.setEnabled(rows > 0 and not problem and self.chosen_path() is not None)

    def _choose(self) -> None:
        dialog = QFileDialog(self, "Export Table", self.path_edit.text(), FILTERS)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        if QApplication.platformName() in ("offscreen", "minimal"):
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(self.path_edit.setText)
        dialog.open()

    def _export_clicked(self) -> None:
        path = self.chosen_path()
        if path is None or not self.export_button.isEnabled():
            return
        if path.exists():
            box = messages.replace_box(self, path.name)

            def answered(_result: int) -> None:
                if box.choice is Choice.REPLACE:
                    self._finish(path, overwrite=True)

            self._presenter.present(box, answered)
            return
        self._finish(path, overwrite=False)

    def _finish(self, path: Path, *, overwrite: bool) -> None:
        sample_filter = self.sample_filter()
        self.request = TableRequest(
            sample_filter, self.kind, path, overwrite, describe_filter(sample_filter)
        )
        self.accept()
