"""The left side of the window: search box, tag filter and the lazily loaded samples table."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.filters import SampleFilter
from app.domain.tags import tag_counts
from app.ui.models.samples_model import COLUMNS, ConnectionSource, SamplesModel

ALL_TAGS = "All tags"


class SamplesPanel(QWidget):
    #: The selected sample ids changed.
    selection_changed = Signal()

    def __init__(self, source: ConnectionSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.model = SamplesModel(source)
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("Search code, name, location, notes")
        self.search.setClearButtonEnabled(True)
        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("tagFilter")
        self.tag_filter.setMinimumWidth(150)
        self.table = QTableView()
        self.table.setObjectName("samplesTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate([80, 200, 96, 140, 150, 104]):
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit()
        )
        self.model.modelReset.connect(self.selection_changed.emit)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.tag_filter.currentIndexChanged.connect(lambda _index: self.apply_filter())
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.tag_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    # -- data -----------------------------------------------------------------------------------

    def show_document(self) -> None:
        """Start over for the document the source now gives (another one, or a reverted one)."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.refresh_tags()
        self.model.reload()

    def refresh_tags(self) -> None:
        connection = self._source()
        counts = tag_counts(connection) if connection is not None else []
        current = self.selected_tag()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem(ALL_TAGS, "")
        for name, count in counts:
            self.tag_filter.addItem(f"{name} ({count})", name)
        position = self.tag_filter.findData(current) if current else 0
        self.tag_filter.setCurrentIndex(max(position, 0))
        self.tag_filter.blockSignals(False)

    def selected_tag(self) -> str:
        return str(self.tag_filter.currentData() or "")

    def apply_filter(self) -> None:
        self._debounce.stop()
        tag = self.selected_tag()
        flt = SampleFilter(text=self.search.text().strip(), tags=(tag,) if tag else ())
        if flt != self.model.filter:
            selected = self.selected_ids()
            self.model.set_filter(flt)
            if selected:
                self.select(selected[0])

    def reload(self, select: int | None = None) -> None:
        """Re-read the list (after samples were added or deleted), keeping the loaded length."""
        ids = self.selected_ids()
        selected = select if select is not None else (ids[0] if ids else None)
        self.model.reload(keep=self.model.loaded())
        if selected is not None:
            self.select(selected)

    # -- selection ------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        found = [self.model.sample_at(row) for row in rows]
        return [sample.id for sample in found if sample is not None]

    def select(self, sample_id: int) -> bool:
        row = self.model.row_of(sample_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            sample = self.model.sample_at(row)
            if sample is not None:
                self.select(sample.id)


__all__ = ["COLUMNS", "SamplesPanel"]
