"""File ▸ Import… (and paste of several rows): the preview, the choices, the counts, the problems.

Every change of a choice checks the table again in a worker (``check``); a later check replaces
an earlier one still running (its result is dropped). The dialog writes nothing: accepted, it
hands the plan it shows (``plan``) and the choices (``settings``) to the import flow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import APP_NAME
from app.domain.importing import FIELDS, ImportPlan, Kind
from app.domain.tables import Table
from app.ui import crash, messages
from app.ui.importing.check import (
    DATE_FORMATS,
    DELIMITERS,
    ENCODINGS,
    Checked,
    Reading,
    Settings,
    check,
    codec_name,
    guessed_mapping,
    mapping_sentence,
)
from app.ui.importing.preview import PreviewTable
from app.ui.messages import data as said
from app.ui.presenter import Presenter
from app.ui.workers import Reporter, run_in_background

MAX_PROBLEMS = 300
_RED = "color: #b3261e;"


@dataclass(frozen=True)
class FixedSample:
    """Pasted measurements of one sample: ``column`` (added to the table) holds its id."""

    column: str
    code: str


def _combo(name: str, items: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for data, label in items:
        combo.addItem(label, data)
    return combo


class ImportDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        presenter: Presenter,
        work_path: Path,
        source: Path | Table,
        settings: Settings = Settings(),  # noqa: B008 - frozen
        *,
        note: str = "",
        fixed: FixedSample | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(
            f"{'Paste Rows' if isinstance(source, Table) else 'Import'} — {APP_NAME}"
        )
        self._presenter = presenter
        self._work_path = work_path
        self._source = source
        self._fixed = fixed
        self.settings = settings
        self.table: Table | None = source if isinstance(source, Table) else None
        self.plan: ImportPlan | None = None
        self.checking = False
        self._generation = 0
        self._closed = False
        self._shown: tuple[Table, Kind] | None = None
        self._build(note)
        self._set_controls()
        self.finished.connect(self._stop)
        self.resize(980, 640)
        self.recheck()

    # -- construction ---------------------------------------------------------------------------

    def _build(self, note: str) -> None:
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("importHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        notes = [note] if note else []
        if self._fixed is not None:
            notes.append(said.pasted_for_sample(self._fixed.code))
        self.note = QLabel(" ".join(notes))
        self.note.setObjectName("importNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(notes))
        layout.addWidget(self.note)

        grid = QGridLayout()
        self.kind_combo = _combo(
            "importKind",
            ((Kind.SAMPLES.value, "Samples"), (Kind.MEASUREMENTS.value, "Measurements")),
        )
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("importSheet")
        self.delimiter_combo = _combo("importDelimiter", DELIMITERS)
        self.encoding_combo = _combo("importEncoding", ENCODINGS)
        self.decimal_combo = _combo(
            "importDecimal", (("point", "Point 0.05"), ("comma", "Comma 0,05"))
        )
        self.date_combo = _combo("importDates", DATE_FORMATS)
        self.sheet_label = QLabel("Sheet:")
        self.delimiter_label = QLabel("Delimiter:")
        self.encoding_label = QLabel("Encoding:")
        for column, (label, widget) in enumerate(
            (
                (QLabel("Rows are:"), self.kind_combo),
                (self.sheet_label, self.sheet_combo),
                (self.delimiter_label, self.delimiter_combo),
                (self.encoding_label, self.encoding_combo),
            )
        ):
            grid.addWidget(label, 0, column * 2)
            grid.addWidget(widget, 0, column * 2 + 1)
        grid.addWidget(QLabel("Decimal mark:"), 1, 0)
        grid.addWidget(self.decimal_combo, 1, 1)
        grid.addWidget(QLabel("Dates:"), 1, 2)
        grid.addWidget(self.date_combo, 1, 3, 1, 3)
        grid.setColumnStretch(8, 1)
        layout.addLayout(grid)

        self.preview = PreviewTable(self._mapping_changed)
        layout.addWidget(self.preview, 1)
        self.counts = QLabel()
        self.counts.setObjectName("importCounts")
        self.counts.setFont(font)
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.problem = QLabel()
        self.problem.setObjectName("importProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(_RED)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("importProblems")
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(110)
        self.problems.hide()
        layout.addWidget(self.problems)
        self.update_check = QCheckBox("Update existing samples (codes the document has)")
        self.update_check.setObjectName("importUpdate")
        self.skip_check = QCheckBox("Skip bad rows (import the others)")
        self.skip_check.setObjectName("importSkipBad")
        layout.addWidget(self.update_check)
        layout.addWidget(self.skip_check)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self._import_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _set_controls(self) -> None:
        """Show the settings in the controls, then listen to them (no check for each one set)."""
        options = self.settings.options
        for widget in (
            self.delimiter_label,
            self.delimiter_combo,
            self.encoding_label,
            self.encoding_combo,
            self.sheet_label,
            self.sheet_combo,
        ):
            widget.setVisible(self._is_text())
        self.sheet_label.hide()
        self.sheet_combo.hide()
        self._select(self.decimal_combo, "comma" if options.decimal_comma else "point")
        self._select(self.date_combo, options.date_format or "")
        if options.date_format and self.date_combo.currentData() != options.date_format:
            self.date_combo.addItem(options.date_format, options.date_format)
            self._select(self.date_combo, options.date_format)
        if options.kind is not None:
            self._select(self.kind_combo, options.kind.value)
        self.kind_combo.setEnabled(self._fixed is None)
        self.update_check.setChecked(options.update)
        self.skip_check.setChecked(self.settings.skip_bad)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.sheet_combo.currentIndexChanged.connect(lambda _i: self._reading_changed())
        self.delimiter_combo.currentIndexChanged.connect(lambda _i: self._reading_changed())
        self.encoding_combo.currentIndexChanged.connect(lambda _i: self._reading_changed())
        self.decimal_combo.currentIndexChanged.connect(lambda _i: self._decimal_changed())
        self.date_combo.currentIndexChanged.connect(lambda _i: self._options_changed())
        self.update_check.toggled.connect(lambda _on: self._options_changed())
        self.skip_check.toggled.connect(lambda _on: self._show_state())

    @staticmethod
    def _select(combo: QComboBox, data: str) -> None:
        combo.blockSignals(True)
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)
        combo.blockSignals(False)

    # -- what the person changes ----------------------------------------------------------------

    @property
    def kind(self) -> Kind:
        return Kind(str(self.kind_combo.currentData()))

    def _kind_changed(self) -> None:
        options = replace(self.settings.options, kind=self.kind, mapping={})
        self.settings = replace(self.settings, options=options)
        self.recheck()

    def _reading_changed(self) -> None:
        if isinstance(self._source, Table):
            return
        sheet = self.sheet_combo.currentData() if self.sheet_combo.count() else None
        reading = Reading(
            sheet=str(sheet) if sheet else None,
            delimiter=str(self.delimiter_combo.currentData()) if self._is_text() else None,
            encoding=str(self.encoding_combo.currentData()) if self._is_text() else None,
        )
        # Another reading may give other columns: match them by their names again.
        options = replace(self.settings.options, mapping={})
        self.settings = replace(self.settings, reading=reading, options=options)
        self.recheck(read_again=True)

    def _is_text(self) -> bool:
        return isinstance(self._source, Path) and self._source.suffix.lower() != ".xlsx"

    def _decimal_changed(self) -> None:
        self.settings = replace(self.settings, decimal_chosen=True)
        self._options_changed()

    def _options_changed(self) -> None:
        options = replace(
            self.settings.options,
            decimal_comma=self.decimal_combo.currentData() == "comma",
            date_format=str(self.date_combo.currentData()) or None,
            update=self.update_check.isChecked(),
        )
        self.settings = replace(self.settings, options=options)
        self.recheck()

    def _mapping_changed(self, column: str, field: str) -> None:
        mapping = dict(self.settings.options.mapping)
        mapping[column] = field
        self.settings = replace(
            self.settings, options=replace(self.settings.options, mapping=mapping)
        )
        self.recheck()

    def mapping(self) -> dict[str, str]:
        """Each column's field as the combos show it ("" = skipped)."""
        return {name: str(combo.currentData() or "") for name, combo in self.preview.combos.items()}

    def set_field(self, column: str, field: str) -> None:
        """Choose ``field`` for ``column`` as a person would in its combo."""
        combo = self.preview.combos[column]
        index = combo.findData(field)
        assert index >= 0, f"{field} is not offered for {self.kind.value}"
        combo.setCurrentIndex(index)

    # -- checking -------------------------------------------------------------------------------

    def recheck(self, *, read_again: bool = False) -> None:
        """Check the table again with the current choices (reading the file again if asked)."""
        self._generation += 1
        generation = self._generation
        self.plan = None
        options = self.settings.options
        if self._fixed is not None:
            options = replace(options, kind=Kind.MEASUREMENTS)
        table = None if read_again else self.table
        if table is not None and options.mapping:
            problem = mapping_sentence(dict(options.mapping), options.kind or self.kind)
            if problem:
                self.checking = False
                self._show_problem(problem)
                self.preview.show_plan(None)
                self._show_state()
                return
        elif table is not None and self._fixed is not None:
            options = replace(options, mapping=self._fixed_mapping(table))
        source: Path | Table = table if table is not None else self._source
        self.checking = True
        self.progress.setRange(0, 0)
        self.progress.show()
        self._show_state()
        work_path, reading = self._work_path, self.settings.reading
        find_mark = not self.settings.decimal_chosen

        def work(reporter: Reporter) -> Checked:
            return check(work_path, source, reading, options, reporter, find_decimal_mark=find_mark)

        run_in_background(
            work,
            on_done=lambda result: self._checked(generation, result),
            on_error=lambda error: self._failed(generation, error),
            on_progress=lambda done, total: self._progress(generation, done, total),
        )

    def _fixed_mapping(self, table: Table) -> dict[str, str]:
        """Pasted measurements of one sample: its id column, and no other sample reference."""
        assert self._fixed is not None
        mapping = guessed_mapping(table.header, Kind.MEASUREMENTS)
        for name, field in mapping.items():
            if field in ("code", "sample_id"):
                mapping[name] = ""
        mapping[self._fixed.column] = "sample_id"
        return mapping

    def _progress(self, generation: int, done: int, total: int) -> None:
        if self._closed or generation != self._generation or not isValid(self):
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.counts.setText(said.checking_rows(done, total))

    def _failed(self, generation: int, error: BaseException) -> None:
        if self._closed or generation != self._generation or not isValid(self):
            return
        self.checking = False
        self.progress.hide()
        crash.report(error, presenter=self._presenter)

    def _checked(self, generation: int, result: object) -> None:
        if self._closed or generation != self._generation or not isValid(self):
            return
        assert isinstance(result, Checked)
        self.checking = False
        self.progress.hide()
        if result.table is not None and result.table is not self.table:
            self.table = result.table
            self._show_reading(result.table)
        if result.options is not None:
            self.settings = replace(self.settings, options=result.options)
            self._select(self.kind_combo, (result.options.kind or self.kind).value)
            self._select(self.decimal_combo, "comma" if result.options.decimal_comma else "point")
        if result.table is not None:
            self._show_columns(result.table)
        self.plan = result.plan
        self._show_problem(result.problem)
        self.preview.show_plan(result.plan)
        self._show_state()

    # -- showing --------------------------------------------------------------------------------

    def _show_reading(self, table: Table) -> None:
        source = table.source
        rows = messages.plural(len(table.records), "row")
        name = said.PASTED_ROWS.capitalize() if isinstance(self._source, Table) else source.name
        self.heading.setText(f"{name} — {rows}")
        sheets = source.sheets
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for sheet in sheets:
            self.sheet_combo.addItem(sheet, sheet)
        if source.sheet:
            self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findData(source.sheet), 0))
        self.sheet_combo.blockSignals(False)
        self.sheet_label.setVisible(bool(sheets))
        self.sheet_combo.setVisible(bool(sheets))
        text = self._is_text()
        for widget in (
            self.delimiter_label,
            self.delimiter_combo,
            self.encoding_label,
            self.encoding_combo,
        ):
            widget.setVisible(text)
        if source.delimiter and self._is_text():
            self._select(self.delimiter_combo, source.delimiter)
        if source.encoding:
            self._select(self.encoding_combo, codec_name(source.encoding))

    def _show_columns(self, table: Table) -> None:
        kind = self.settings.options.kind or self.kind
        offered = None
        hidden: frozenset[str] = frozenset()
        if self._fixed is not None:
            hidden = frozenset({self._fixed.column})
            offered = tuple(f for f in FIELDS[Kind.MEASUREMENTS] if f not in ("code", "sample_id"))
        mapping = dict(self.settings.options.mapping)
        shown = (table, kind)
        if shown == self._shown:  # the same columns: keep the widgets (and the scroll position)
            for name, combo in self.preview.combos.items():
                self._select(combo, mapping.get(name, ""))
            return
        self._shown = shown
        self.preview.show_table(table, kind, mapping, offered=offered, hidden=hidden)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _show_state(self) -> None:
        plan = self.plan
        kind = plan.kind if plan is not None else self.kind
        self.update_check.setVisible(kind is Kind.SAMPLES)
        if self.checking:
            self.import_button.setEnabled(False)
            return
        if plan is None:
            self.counts.setText("")
            self.problems.hide()
            self.import_button.setEnabled(False)
            return
        self.counts.setText(
            said.import_counts(kind.value, plan.added, plan.updated, len(plan.rejected))
        )
        lines = plan.problems()
        pasted = isinstance(self._source, Table)
        shown = [said.problem_line(line, reason, pasted) for line, reason in lines[:MAX_PROBLEMS]]
        if len(lines) > MAX_PROBLEMS:
            shown.append(said.more_problems(len(lines) - MAX_PROBLEMS))
        self.problems.setPlainText("\n".join(shown))
        self.problems.setVisible(bool(shown))
        blocked = bool(plan.rejected) and not self.skip_check.isChecked()
        if blocked:
            self._show_problem(said.import_blocked(len(plan.rejected)))
        elif plan.writes == 0:
            self._show_problem(said.NOTHING_TO_IMPORT)
        else:
            self._show_problem("")
        self.import_button.setEnabled(plan.writes > 0 and not blocked)

    # -- ending ---------------------------------------------------------------------------------

    def _import_clicked(self) -> None:
        if self.import_button.isEnabled() and self.plan is not None:
            self.settings = replace(self.settings, skip_bad=self.skip_check.isChecked())
            self.accept()

    def _stop(self, _result: int) -> None:
        self._closed = True
