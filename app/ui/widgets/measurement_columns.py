"""The measurements table's columns: widths that fit what they hold, a chooser, remembered per user.

Value, Unit and Measured at are as wide as what the sample shows in them (``fit``; Value and Unit
up to a cap, beyond which a rare 17-digit number or long unit is elided rather than squeezing
the rest), so "MPN/100 mL" is not cut while the time is wide. Quantity, the text column, takes
the room that is left, but never less than its own content (up to "dissolved oxygen"): when the
table is too narrow for all of it (1024 pixels, long values), it scrolls sideways instead of
cutting every column. A width the person set by dragging stays, and is kept in Samplebook's
settings file with the order and the hidden columns.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView, QWidget

from app.ui import recent
from app.ui.models.measurement_cells import (
    COLUMNS,
    MEASURED_AT_COLUMN,
    QUANTITY_COLUMN,
    UNIT_COLUMN,
    VALUE_COLUMN,
)

SETTINGS_GROUP = "measurementsTable"
#: The least each column is sized for (besides its title), whatever a sample holds.
LEAST = {
    QUANTITY_COLUMN: "temperature",
    VALUE_COLUMN: "12.25",
    UNIT_COLUMN: "mg/L",
    MEASURED_AT_COLUMN: "2024-05-15 10:30:00",
}
#: The most a column is fitted to (the person can still drag it wider).
MOST = {
    QUANTITY_COLUMN: "dissolved oxygen",
    VALUE_COLUMN: "1234.567 ± 0.05",
    UNIT_COLUMN: "MPN/100 mL",
}
#: Room for a cell's margins (and in Measured at for its editor's picker button, so the time
#: being typed is not cut).
PADDING = 14
PICKER_BUTTON = 24
SPREAD = QUANTITY_COLUMN
FITTED = (VALUE_COLUMN, UNIT_COLUMN, MEASURED_AT_COLUMN)
#: Always shown: a measurement without its value says nothing.
ALWAYS_SHOWN = frozenset({VALUE_COLUMN})
RESET_COLUMNS = "Reset Columns"


def _numbers(value: object) -> list[int]:
    """Comma-separated integers as stored (INI files give text back, whatever was stored)."""
    try:
        return [int(part) for part in str(value or "").split(",") if part.strip()]
    except ValueError:
        return []


class MeasurementColumns(QObject):
    def __init__(self, table: QTableView, store: QSettings | None = None) -> None:
        super().__init__(table)
        self.table = table
        self.header = header = table.horizontalHeader()
        # One settings object for the table's life: dragging a column edge saves on every step,
        # and QSettings writes the file once, later, not on each change.
        self._store = store if store is not None else recent.settings()
        self._restoring = False
        #: Columns whose width the person set (dragged): ``fit`` and ``spread`` leave them alone.
        self.chosen: set[int] = set()
        #: What the rows shown need in the spread column (``fit`` measures it).
        self._spread_least = self.least_width(SPREAD)
        #: What the rows shown need in the capped columns, beyond their cap (given when there
        #: is room to spare).
        self._beyond_cap: dict[int, int] = {}
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.apply_defaults()
        self.restore()
        header.sectionResized.connect(self._resized)
        header.sectionMoved.connect(lambda *_: self.save())
        table.viewport().installEventFilter(self)

    def settings(self) -> QSettings:
        return self._store

    # -- widths ---------------------------------------------------------------------------------

    def _text_width(self, text: str) -> int:
        return self.header.fontMetrics().horizontalAdvance(text) + PADDING

    def least_width(self, column: int) -> int:
        least = max(self._text_width(COLUMNS[column][0]), self._text_width(LEAST[column]))
        return least + (PICKER_BUTTON if column == MEASURED_AT_COLUMN else 0)

    def most_width(self, column: int) -> int | None:
        return self._text_width(MOST[column]) if column in MOST else None

    def _fitted(self, column: int, content: int) -> int:
        most = self.most_width(column)
        wanted = max(self.least_width(column), content)
        return min(wanted, most) if most is not None else wanted

    def fit(self, content_width: Callable[[int], int], *, shrink: bool = True) -> None:
        """Size the columns to ``content_width`` (what the rows shown need, Qt's size hint of
        the column), within their least and most; the columns the person sized keep their
        width. ``shrink=False`` only widens (while rows are typed, columns do not jump)."""
        self._restoring = True
        try:
            if shrink:
                self._beyond_cap.clear()
            for column in FITTED:
                if column not in self.chosen:
                    content = content_width(column)
                    wanted = self._fitted(column, content)
                    if content > wanted:
                        self._beyond_cap[column] = max(content, self._beyond_cap.get(column, 0))
                    if shrink or wanted > self.header.sectionSize(column):
                        self.header.resizeSection(column, wanted)
            least = self._spread_need(content_width(SPREAD))
            self._spread_least = least if shrink else max(least, self._spread_least)
        finally:
            self._restoring = False
        self.spread()

    def _spread_need(self, content: int) -> int:
        """The least the spread column gives way to: its title and what its rows hold (up to its
        most), not the default least, which is for a table with nothing to measure yet. A few
        pixels more than the rows need would put a sideways scroll bar under short
        quantities ("pH", "turbidity") as soon as the rows fill the height."""
        most = self.most_width(SPREAD)
        held = min(content, most) if most is not None else content
        return max(self._text_width(COLUMNS[SPREAD][0]), held)

    def spread(self) -> None:
        """Give the spread column the room the others leave, but not less than it needs; room
        to spare first widens a capped column to its content (a 17-digit value at 1920 pixels)."""
        header = self.header
        spread = SPREAD not in self.chosen and not header.isSectionHidden(SPREAD)
        shown = [column for column in range(len(COLUMNS)) if not header.isSectionHidden(column)]
        width = self.table.viewport().width()
        self._restoring = True
        try:
            for column, content in self._beyond_cap.items():
                if column in self.chosen or column not in shown:
                    continue
                least = self._spread_least if spread else 0
                others = sum(header.sectionSize(c) for c in shown if c not in (SPREAD, column))
                room = width - others - least
                capped = self._fitted(column, content)
                header.resizeSection(column, max(capped, min(content, room)))
            if spread:
                others = sum(header.sectionSize(c) for c in shown if c != SPREAD)
                header.resizeSection(SPREAD, max(self._spread_least, width - others))
        finally:
            self._restoring = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.spread()
        return False

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if self._restoring:
            return
        self.chosen.add(column)
        self.save()
        if column != SPREAD:
            self.spread()

    # -- defaults, settings ---------------------------------------------------------------------

    def apply_defaults(self) -> None:
        header = self.header
        self.chosen.clear()
        self._restoring = True
        try:
            for column in range(len(COLUMNS)):
                header.setSectionHidden(column, False)
                header.moveSection(header.visualIndex(column), column)
                header.resizeSection(column, self.least_width(column))
        finally:
            self._restoring = False
        self.spread()

    def restore(self) -> None:
        store = self.settings()
        store.beginGroup(SETTINGS_GROUP)
        widths = _numbers(store.value("widths"))
        order = _numbers(store.value("order"))
        hidden = _numbers(store.value("hidden"))
        store.endGroup()
        header = self.header
        count = len(COLUMNS)
        self._restoring = True
        try:
            if sorted(order) == list(range(count)):
                for visual, column in enumerate(order):
                    header.moveSection(header.visualIndex(column), visual)
            if len(widths) == count:
                for column, width in enumerate(widths):
                    # 0: not chosen by the person (fitted to the rows).
                    if width >= header.minimumSectionSize():
                        header.resizeSection(column, width)
                        self.chosen.add(column)
            for column in hidden:
                if 0 <= column < count and column not in ALWAYS_SHOWN:
                    header.setSectionHidden(column, True)
        finally:
            self._restoring = False
        self.spread()

    def save(self) -> None:
        if self._restoring:
            return
        header = self.header
        count = len(COLUMNS)
        store = self.settings()
        store.beginGroup(SETTINGS_GROUP)
        widths = [header.sectionSize(c) if c in self.chosen else 0 for c in range(count)]
        store.setValue("widths", ",".join(str(width) for width in widths))
        store.setValue("order", ",".join(str(header.logicalIndex(v)) for v in range(count)))
        hidden = [str(c) for c in range(count) if header.isSectionHidden(c)]
        store.setValue("hidden", ",".join(hidden))
        store.endGroup()

    def set_shown(self, column: int, shown: bool) -> None:
        if column in ALWAYS_SHOWN:
            return
        self._restoring = True  # hiding "resizes" the section to 0: not a width the person chose
        try:
            self.header.setSectionHidden(column, not shown)
        finally:
            self._restoring = False
        self.save()
        self.spread()

    def reset(self) -> None:
        self.apply_defaults()
        self.fit(self.table.sizeHintForColumn)
        self.save()

    def chooser(self, parent: QWidget) -> QMenu:
        """The header's context menu: a tick for each column, and Reset Columns."""
        menu = QMenu(parent)
        menu.setObjectName("measurementColumnsMenu")
        for column, (title, _field) in enumerate(COLUMNS):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not self.header.isSectionHidden(column))
            action.setEnabled(column not in ALWAYS_SHOWN)
            action.toggled.connect(lambda shown, c=column: self.set_shown(c, shown))
        menu.addSeparator()
        menu.addAction(RESET_COLUMNS).triggered.connect(self.reset)
        return menu
