"""The samples table: fetched lazily in keyset pages, so a huge document opens at once.

Qt asks ``canFetchMore``/``fetchMore`` as the view scrolls near the end; each fetch reads one page
after the last row shown (``app.domain.samples.page_samples``), never the whole table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.domain.filters import SampleFilter
from app.domain.samples import SampleRow, count_samples, get_sample, page_samples
from app.ui.models.headers import column_title

Index = QModelIndex | QPersistentModelIndex

PAGE = 200

#: Where a view reads the open document from, each time it reads (None: no document). The
#: window passes its controller's ``connection``, which checks the threading rule on every read.
ConnectionSource = Callable[[], sqlite3.Connection | None]

#: (header, sort key or None when the column cannot be sorted)
COLUMNS: list[tuple[str, str | None]] = [
    ("Code", "code"),
    ("Name", "name"),
    ("Collected on", "collected_on"),
    ("Location", "location"),
    ("Tags", None),
    ("Measurements", "measurement_count"),
]
TAGS_COLUMN = 4
COUNT_COLUMN = 5


def _cell(row: SampleRow, column: int) -> str | int:
    values: list[str | int] = [
        row.code,
        row.name,
        row.collected_on or "",
        row.location or "",
        ", ".join(row.tags),
        row.measurement_count,
    ]
    return values[column]


def copied_cell(row: SampleRow, column: int) -> str | int | None:
    """A cell as Copy puts it on the clipboard: empty is empty, tags joined with "; " as export
    tables and import write and read them (a comma can be part of an old tag's name)."""
    if column == TAGS_COLUMN:
        return "; ".join(row.tags)
    value = _cell(row, column)
    return value if value != "" else None


class SamplesModel(QAbstractTableModel):
    #: The number of samples matching the filter changed.
    total_changed = Signal(int)

    def __init__(self, source: ConnectionSource) -> None:
        super().__init__()
        self._source = source
        self._filter = SampleFilter()
        self._sort = "code"
        self._descending = False
        self._rows: list[SampleRow] = []
        #: Sample id → row, for the rows loaded so far.
        self._row_of: dict[int, int] = {}
        self._exhausted = True
        self.total = 0

    # -- configuration --------------------------------------------------------------------------

    @property
    def _connection(self) -> sqlite3.Connection | None:
        return self._source()

    def set_filter(self, sample_filter: SampleFilter) -> None:
        self._filter = sample_filter
        self.reload()

    @property
    def filter(self) -> SampleFilter:
        return self._filter

    def reload(self, *, keep: int = 0) -> None:
        """Start again from the first page (loading at least ``keep`` rows)."""
        self.beginResetModel()
        self._rows = []
        self._row_of = {}
        self._exhausted = self._connection is None
        self.total = 0
        if self._connection is not None:
            self.total = count_samples(self._connection, self._filter)
            self._fetch(max(PAGE, keep))
        self.endResetModel()
        self.total_changed.emit(self.total)

    def _fetch(self, wanted: int) -> None:
        """Read pages until ``wanted`` rows are loaded (inside a model reset)."""
        while len(self._rows) < wanted and not self._exhausted:
            self._append(self._next_page())

    def _append(self, page: list[SampleRow]) -> None:
        first = len(self._rows)
        self._rows.extend(page)
        self._row_of.update((sample.id, first + offset) for offset, sample in enumerate(page))

    def _next_page(self) -> list[SampleRow]:
        """The page after the last loaded row (keyset paging); marks the end when it is short."""
        assert self._connection is not None
        page = page_samples(
            self._connection,
            self._filter,
            sort=self._sort,
            descending=self._descending,
            after=self._rows[-1] if self._rows else None,
            limit=PAGE,
        )
        if len(page) < PAGE:
            self._exhausted = True
        return page

    # -- lazy loading ---------------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._exhausted or self._connection is None:
            return
        page = self._next_page()
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._append(page)
        self.endInsertRows()

    def fetch_all(self) -> None:
        """Load every remaining page (End, Select All: they mean the last of all samples)."""
        while self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def load_until(self, sample_ids: set[int]) -> None:
        """Load pages until every one of ``sample_ids`` the filter lets through is loaded."""
        while not sample_ids <= self._row_of.keys() and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    # -- table ----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return _cell(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1 and row.notes:
            return row.notes
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COUNT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_title(COLUMNS, section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][1]
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    # -- rows -----------------------------------------------------------------------------------

    def sample_at(self, row: int) -> SampleRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, sample_id: int) -> int | None:
        return self._row_of.get(sample_id)

    def refresh_sample(self, sample_id: int) -> None:
        """Re-read one sample in place (after an edit that does not change the set of rows)."""
        row = self.row_of(sample_id)
        if row is None or self._connection is None:
            return
        fresh = get_sample(self._connection, sample_id)
        if fresh is None:
            self.reload(keep=len(self._rows))
            return
        self._rows[row] = fresh
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def loaded(self) -> int:
        return len(self._rows)
