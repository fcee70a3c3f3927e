"""Column widths that suit the screen, text columns that take the free width, and a layout that is
remembered per user.

* Initial widths come from the font: a short column (a code, a date, a count) gets the width of
  a typical value or of its title, whichever is wider; a text column gets a share of what is left.
* Text columns stretch: whenever the table's width changes, or a person drags another column, the
  free width goes to (or comes from) the visible text columns, in proportion to their widths and
  never below a minimum. Unlike ``QHeaderView.Stretch`` a person can still resize every column.
* Widths, order (columns can be dragged) and which columns are shown are saved in Samplebook's
  settings file and restored the next time; the sort order is not (a new window sorts by code).
* ``chooser_menu`` is the header's context menu: a check box per column and Reset Columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from app.ui.recent import settings

#: Room for the sort arrow and the cell margins, beside a column's text.
PADDING = 24


@dataclass(frozen=True)
class Column:
    """How a column is sized: ``sample`` is a typical value; ``stretch`` marks a text column."""

    title: str
    sample: str = ""
    stretch: float = 0.0
    minimum: int = 48


class FittedColumns(QObject):
    def __init__(
        self,
        table: QTableView,
        columns: Sequence[Column],
        settings_key: str,
        *,
        default_sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder),
    ) -> None:
        super().__init__(table)
        self._table = table
        self._columns = list(columns)
        self._key = settings_key
        self._default_sort = default_sort
        self._fitting = False
        #: The widths the text columns share the free width in proportion to: their initial
        #: widths, or what a person made them. Proportions, not current widths, so the same
        #: table width always gives the same columns (no drift from rounding).
        self._base: dict[int, int] = {}
        header = self.header
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(min(column.minimum for column in self._columns))
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_chooser)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(300)
        self._save_timer.timeout.connect(self.save)
        if not self.restore():
            self.set_initial_widths()
        header.sectionResized.connect(self._resized_by_person)
        header.sectionMoved.connect(lambda *_: self._save_timer.start())
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)

    @property
    def header(self) -> QHeaderView:
        return self._table.horizontalHeader()

    # -- widths ---------------------------------------------------------------------------------

    def natural_width(self, column: int) -> int:
        """The width a short column needs for its title or a typical value (the font decides)."""
        spec = self._columns[column]
        metrics = self.header.fontMetrics()
        cell = self._table.fontMetrics().horizontalAdvance(spec.sample) if spec.sample else 0
        return max(spec.minimum, metrics.horizontalAdvance(spec.title) + PADDING, cell + PADDING)

    def _initial_width(self, column: int) -> int:
        spec = self._columns[column]
        width = self.natural_width(column)
        return max(spec.minimum, int(width * spec.stretch)) if spec.stretch else width

    def set_initial_widths(self) -> None:
        self._fitting = True
        try:
            for column, spec in enumerate(self._columns):
                width = self._initial_width(column)
                if spec.stretch:
                    self._base[column] = width
                self.header.resizeSection(column, width)
        finally:
            self._fitting = False
        self.fit()

    def _stretching(self, excluding: int | None = None) -> list[int]:
        return [
            column
            for column, spec in enumerate(self._columns)
            if spec.stretch and not self.header.isSectionHidden(column) and column != excluding
        ]

    def fit(self, excluding: int | None = None) -> None:
        """Share the width the other columns leave among the visible text columns (all but
        ``excluding``, which a person just resized), in proportion to their base widths."""
        header = self.header
        stretching = self._stretching(excluding)
        available = self._table.viewport().width()
        if not stretching or available <= 0:
            return
        fixed = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if not header.isSectionHidden(column) and column not in stretching
        )
        bases = {
            column: self._base.get(column) or header.sectionSize(column) for column in stretching
        }
        minimums = {column: self._columns[column].minimum for column in stretching}
        wanted = share_width(available - fixed, bases, minimums)
        self._fitting = True
        try:
            for column, width in wanted.items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False

    def _resized_by_person(self, column: int, _old: int, _new: int) -> None:
        if self._fitting:
            return
        # The other text columns make room for (or take up) what the person changed; then the
        # widths as they are now are the proportions to keep.
        self.fit(excluding=column)
        self._rebase()
        self._save_timer.start()

    def _rebase(self) -> None:
        """Take the visible text columns' widths as their new proportions (a hidden column's is
        scaled alike, so it comes back in proportion when it is shown again)."""
        header = self.header
        visible = self._stretching()
        old = sum(self._base.get(column, 0) for column in visible)
        new = sum(header.sectionSize(column) for column in visible)
        scale = new / old if old else 1.0
        for column, spec in enumerate(self._columns):
            if not spec.stretch:
                continue
            if column in visible:
                self._base[column] = header.sectionSize(column)
            elif column in self._base:
                self._base[column] = max(spec.minimum, round(self._base[column] * scale))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self.fit()
        return False

    # -- remembering ----------------------------------------------------------------------------

    def save(self) -> None:
        store = settings()
        store.setValue(self._key, self.header.saveState())
        store.sync()

    def restore(self) -> bool:
        """Apply the saved layout; False when there is none that fits these columns."""
        value = settings().value(self._key)
        if not isinstance(value, QByteArray) or value.isEmpty():
            return False
        self._fitting = True
        try:
            restored = self.header.restoreState(value)
            if not restored or self.header.count() != len(self._columns):
                return False
            for column, spec in enumerate(self._columns):
                if spec.stretch:
                    # A hidden section reports 0: it comes back at its natural share.
                    size = self.header.sectionSize(column) or self._initial_width(column)
                    self._base[column] = size
            if self.header.hiddenSectionCount() == self.header.count():
                self.header.showSection(0)
            column, order = self._default_sort
            self._table.sortByColumn(column, order)
        finally:
            self._fitting = False
        return True

    def reset(self) -> None:
        """Back to the initial layout: every column shown, in its first place and width."""
        header = self.header
        self._fitting = True
        try:
            for column in range(header.count()):
                header.showSection(column)
                header.moveSection(header.visualIndex(column), column)
        finally:
            self._fitting = False
        settings().remove(self._key)
        self.set_initial_widths()

    # -- choosing columns -----------------------------------------------------------------------

    def set_shown(self, column: int, shown: bool) -> None:
        header = self.header
        if not shown and header.count() - header.hiddenSectionCount() <= 1:
            return  # the last visible column stays
        header.setSectionHidden(column, not shown)
        self.fit()
        self._save_timer.start()

    def chooser_menu(self, parent: QMenu | None = None) -> QMenu:
        menu = parent if parent is not None else QMenu(self._table)
        header = self.header
        visible = header.count() - header.hiddenSectionCount()
        for column, spec in enumerate(self._columns):
            action = QAction(spec.title, menu)
            action.setCheckable(True)
            shown = not header.isSectionHidden(column)
            action.setChecked(shown)
            action.setEnabled(not shown or visible > 1)
            action.toggled.connect(_bind(self.set_shown, column))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Reset Columns").triggered.connect(self.reset)
        return menu

    def _show_chooser(self, position: QPoint) -> None:
        menu = self.chooser_menu()
        menu.setObjectName("columnChooser")
        menu.popup(self.header.mapToGlobal(position))


def share_width(space: int, bases: dict[int, int], minimums: dict[int, int]) -> dict[int, int]:
    """``space`` split among columns in proportion to ``bases``, none below its minimum.

    A column whose share would be below its minimum gets the minimum, and the others share what
    is left; the widths add up to ``space`` exactly unless the minimums alone need more.
    """
    result: dict[int, int] = {}
    active = list(bases)
    while active:
        left = space - sum(result.values())
        total = sum(bases[column] for column in active) or 1
        clamped = [c for c in active if left * bases[c] / total < minimums[c]]
        if not clamped:
            break
        for column in clamped:
            result[column] = minimums[column]
            active.remove(column)
    left = space - sum(result.values())
    total = sum(bases[column] for column in active) or 1
    given = 0
    for position, column in enumerate(active):
        last = position == len(active) - 1
        width = left - given if last else left * bases[column] // total  # last: the rounding
        result[column] = width
        given += width
    return {column: result[column] for column in bases}


def _bind(slot: Callable[[int, bool], None], column: int) -> Callable[[bool], None]:
    return lambda checked: slot(column, checked)
