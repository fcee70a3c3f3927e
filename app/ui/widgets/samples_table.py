"""The samples list as a keyboard user of spreadsheets expects it to behave.

* Tab and Shift+Tab leave the list for the next and previous widget (rows are selected whole, so
  walking cell by cell moved nothing a person could see).
* Home and End (and Ctrl+Home, Ctrl+End) go to the first and the last sample — the last of all,
  not of the rows loaded so far — keeping Shift's extension of the selection.
* Select All (Ctrl+A) selects every sample the list shows, loaded or not yet.
* Copy (Ctrl+C) puts the selected rows on the clipboard as a table (``copy_rows``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QWidget

from app.domain.tables.clipboard import tsv_text
from app.ui.models.samples_model import SamplesModel, copied_cell

Move = QAbstractItemView.CursorAction


class SamplesTable(QTableView):
    def __init__(self, model: SamplesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples = model
        self.setModel(model)
        self.setTabKeyNavigation(False)
        #: Takes rows pasted into the list (set by the window's data menus: the import path).
        self.paste_handler: Callable[[str], None] | None = None

    # -- moving ---------------------------------------------------------------------------------

    def moveCursor(self, cursorAction: Move, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        column = max(self.currentIndex().column(), 0)
        if cursorAction == Move.MoveHome:
            return self.samples.index(0, column) if self.samples.rowCount() else QModelIndex()
        if cursorAction == Move.MoveEnd:
            self.samples.fetch_all()
            last = self.samples.rowCount() - 1
            return self.samples.index(last, column) if last >= 0 else QModelIndex()
        return super().moveCursor(cursorAction, modifiers)

    def selectAll(self) -> None:
        """Every sample the list shows, including those not loaded yet."""
        self.samples.fetch_all()
        rows = self.samples.rowCount()
        if not rows:
            return
        whole = QItemSelection(
            self.samples.index(0, 0), self.samples.index(rows - 1, self.samples.columnCount() - 1)
        )
        self.selectionModel().select(whole, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # -- copying --------------------------------------------------------------------------------

    def visible_columns(self) -> list[int]:
        """The logical columns shown, in the order they are shown."""
        header = self.horizontalHeader()
        ordered = (header.logicalIndex(visual) for visual in range(header.count()))
        return [column for column in ordered if not header.isSectionHidden(column)]

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})

    def rows_text(self) -> str:
        """The selected samples as a tab-separated table with a header row ("" for none).

        The columns are the ones shown, in their order: what a person sees is what they paste.
        """
        rows = [self.samples.sample_at(row) for row in self.selected_rows()]
        found = [sample for sample in rows if sample is not None]
        if not found:
            return ""
        columns = self.visible_columns()
        header = [
            str(self.samples.headerData(column, Qt.Orientation.Horizontal)) for column in columns
        ]
        return tsv_text(header, ([copied_cell(s, column) for column in columns] for s in found))

    def copy_rows(self) -> bool:
        """Copy the selected samples; False when none is selected."""
        text = self.rows_text()
        if text:
            QApplication.clipboard().setText(text)
        return bool(text)

    def can_paste(self) -> bool:
        """Rows pasted into the list go through the import path (``paste_handler``): a preview
        when more than one, all or nothing, one undo step."""
        return self.paste_handler is not None and bool(QApplication.clipboard().text())

    def paste_rows(self, text: str) -> None:
        """Hand pasted ``text`` to the import of tab-separated samples."""
        assert self.paste_handler is not None
        self.paste_handler(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Reached when no window action takes Ctrl+C (a table on its own): still rows, not a cell.
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_rows()
            event.accept()
            return
        super().keyPressEvent(event)
