"""The left side of the window: search box, tag filter and the lazily loaded samples table."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.filters import SampleFilter
from app.domain.samples import count_samples, page_samples
from app.domain.tags import tag_counts
from app.ui import messages
from app.ui.models.samples_model import COLUMNS, ConnectionSource, SamplesModel
from app.ui.widgets.columns import Column, FittedColumns
from app.ui.widgets.samples_table import SamplesTable
from app.ui.widgets.tag_filter import TagFilter

#: How the samples list sizes its columns (see ``FittedColumns``); text columns stretch.
SAMPLE_COLUMNS = [
    Column("Code", sample="BOD-1000", minimum=56),
    Column("Name", sample="Lake Constance, sediment", stretch=1.0, minimum=90),
    Column("Collected on", sample="2024-12-31", minimum=72),
    Column("Location", sample="Überlingen harbour", stretch=0.8, minimum=70),
    Column("Tags", sample="field, core", stretch=0.8, minimum=60),
    Column("Measurements", sample="999", minimum=48),
]
assert [column.title for column in SAMPLE_COLUMNS] == [title for title, _ in COLUMNS]


class SearchBox(QLineEdit):
    """Esc clears the search (undoably, Ctrl+Z brings it back); Esc on an empty box leaves it."""

    leave = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            if self.text():
                self.selectAll()
                self.del_()
            else:
                self.leave.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class SamplesPanel(QWidget):
    #: The selected sample ids changed.
    selection_changed = Signal()

    def __init__(self, source: ConnectionSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.model = SamplesModel(source)
        self.search = SearchBox()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("Search code, name, location, notes")
        self.search.setClearButtonEnabled(True)
        self.tag_filter = TagFilter()
        self.table = SamplesTable(self.model)
        self.table.setObjectName("samplesTable")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.columns = FittedColumns(self.table, SAMPLE_COLUMNS, "layout/samples_columns")
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
        self.search.leave.connect(self.table.setFocus)
        self.tag_filter.changed.connect(self.apply_filter)
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
        self._set_search("")
        self._clear_tags()
        self.refresh_tags()
        self.model.set_filter(self.wanted_filter())

    def _set_search(self, text: str) -> None:
        """Replace the search text without starting a search, and without an undo of its own
        (so Ctrl+Z in the box undoes the document's last edit, not this)."""
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)

    def refresh_tags(self) -> None:
        connection = self._source()
        counts = tag_counts(connection) if connection is not None else []
        self.tag_filter.blockSignals(True)
        self.tag_filter.set_tags(counts)
        self.tag_filter.blockSignals(False)

    def wanted_filter(self) -> SampleFilter:
        """The filter the search box and the tag filter ask for."""
        tags = self.tag_filter.checked_tags()
        text = self.search.text().strip()
        if self.tag_filter.match_any and len(tags) > 1:
            return SampleFilter(text=text, any_tags=tags)
        return SampleFilter(text=text, tags=tags)

    def apply_filter(self) -> None:
        self._debounce.stop()
        sample_filter = self.wanted_filter()
        if sample_filter != self.model.filter:
            selected = self.selected_ids()
            self.model.set_filter(sample_filter)
            if selected:
                self.select(selected[0])

    def reload(self, select: int | None = None) -> None:
        """Re-read the list (after samples were added or deleted), keeping the loaded length."""
        ids = self.selected_ids()
        selected = select if select is not None else (ids[0] if ids else None)
        self.model.reload(keep=self.model.loaded())
        if selected is not None:
            self.select(selected)

    # -- showing what changed -------------------------------------------------------------------

    def show_samples(self, ids: tuple[int, ...]) -> str:
        """List and select the samples of ``ids`` that exist, clearing what of the search or tag
        filter hides them; returns the sentence that says what was cleared ("" if nothing was)."""
        connection = self._source()
        if connection is None or not ids:
            return ""
        wanted = tuple(sorted(set(ids)))
        exist = count_samples(connection, SampleFilter(ids=wanted))
        existing = set(wanted)
        if 0 < exist < len(wanted):  # some were deleted: which remain (rare, so read them)
            found = page_samples(connection, SampleFilter(ids=wanted), limit=len(wanted))
            existing = {row.id for row in found}
        elif exist == 0:
            existing = set()
        if not existing or existing == set(self.selected_ids()):
            return ""
        cleared = ""
        listed = count_samples(connection, replace(self.model.filter, ids=tuple(existing)))
        if listed < len(existing):
            cleared = self._clear_hiding(connection, existing)
        self.model.load_until(existing)
        self.select_ids(sorted(existing))
        if not cleared:
            return ""
        rows = (self.model.sample_at(row) for row in self.table.selected_rows())
        return messages.shown_after_clearing(cleared, [row.code for row in rows if row])

    def _clear_hiding(self, connection: sqlite3.Connection, ids: set[int]) -> str:
        """Clear the search, the tag filter or both: the least that lets ``ids`` through."""
        sample_filter = self.model.filter
        search = self.search.text().strip()
        no_text = replace(sample_filter, text="", ids=tuple(ids))
        no_tags = replace(sample_filter, tags=(), any_tags=(), ids=tuple(ids))
        if search and count_samples(connection, no_text) == len(ids):
            self._set_search("")
            what = messages.cleared(search, tags=False)
        elif (sample_filter.tags or sample_filter.any_tags) and count_samples(
            connection, no_tags
        ) == len(ids):
            self._clear_tags()
            what = messages.cleared("", tags=True)
        else:
            self._set_search("")
            self._clear_tags()
            what = messages.cleared(search, tags=True)
        self.model.set_filter(self.wanted_filter())
        return what

    def _clear_tags(self) -> None:
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.blockSignals(False)

    def document_is_empty(self) -> bool:
        """Nothing is listed, and not because of a filter: the document has no samples."""
        return self.model.total == 0 and self.model.filter == SampleFilter()

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

    def select_ids(self, ids: list[int]) -> None:
        """Select exactly the listed rows of ``ids``; the first becomes the current row."""
        rows = [row for sample_id in ids if (row := self.model.row_of(sample_id)) is not None]
        if not rows:
            return
        if len(rows) == 1:
            self.select(ids[0] if self.model.row_of(ids[0]) is not None else ids[-1])
            return
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        model = self.table.selectionModel()
        first = self.model.index(min(rows), 0)
        model.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
        model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(first)

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            sample = self.model.sample_at(row)
            if sample is not None:
                self.select(sample.id)


__all__ = ["COLUMNS", "SamplesPanel"]
