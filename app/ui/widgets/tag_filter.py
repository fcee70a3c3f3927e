"""The main window's tag filter: check several tags, and show samples with all of them or any.

A button beside the search box says what is filtered ("All tags", "Tags: field + core",
"Tags: field or core"); clicking it (or Alt+Down on it) opens a list of the document's tags with
how many samples carry each, check boxes to tick with the mouse or Space, and "All of" / "Any of".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

ALL_TAGS = "All tags"


class TagFilter(QToolButton):
    #: The checked tags or the all/any choice changed.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagFilter")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setToolTip("Show only samples with the checked tags")
        self.setMinimumWidth(130)
        self.panel = QWidget()
        self.all_radio = QRadioButton("All of the checked tags")
        self.any_radio = QRadioButton("Any of them")
        self.all_radio.setChecked(True)
        self.list = QListWidget()
        self.list.setObjectName("tagFilterList")
        self.clear_button = QPushButton("Show All Tags")
        modes = QHBoxLayout()
        modes.addWidget(self.all_radio)
        modes.addWidget(self.any_radio)
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(modes)
        layout.addWidget(self.list)
        layout.addWidget(self.clear_button)
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.panel)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._about_to_show)
        self.setMenu(menu)
        self.list.itemChanged.connect(lambda _item: self._changed())
        self.all_radio.toggled.connect(lambda _on: self._changed())
        self.clear_button.clicked.connect(self.clear)
        self._update_text()

    # -- contents -------------------------------------------------------------------------------

    def set_tags(self, counts: list[tuple[str, int]]) -> None:
        """The document's tags with their uses; checked tags that still exist stay checked."""
        checked = {tag.casefold() for tag in self.checked_tags()}
        self.list.blockSignals(True)
        self.list.clear()
        for name, uses in counts:
            item = QListWidgetItem(f"{name} ({uses})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if name.casefold() in checked else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._update_text()

    def checked_tags(self) -> tuple[str, ...]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return tuple(
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        )

    @property
    def match_any(self) -> bool:
        return self.any_radio.isChecked()

    def set_checked(self, tags: tuple[str, ...], *, match_any: bool = False) -> None:
        """Check exactly ``tags`` (as a person ticking them would); emits ``changed`` once."""
        wanted = {tag.casefold() for tag in tags}
        self.list.blockSignals(True)
        self.any_radio.blockSignals(True)
        self.all_radio.blockSignals(True)
        for row in range(self.list.count()):
            item = self.list.item(row)
            name = str(item.data(Qt.ItemDataRole.UserRole))
            item.setCheckState(
                Qt.CheckState.Checked if name.casefold() in wanted else Qt.CheckState.Unchecked
            )
        (self.any_radio if match_any else self.all_radio).setChecked(True)
        self.list.blockSignals(False)
        self.any_radio.blockSignals(False)
        self.all_radio.blockSignals(False)
        self._changed()

    def clear(self) -> None:
        """No tag checked: every sample passes."""
        if self.checked_tags():
            self.set_checked((), match_any=self.match_any)

    # -- showing --------------------------------------------------------------------------------

    def summary(self) -> str:
        tags = self.checked_tags()
        if not tags:
            return ALL_TAGS
        joiner = " or " if self.match_any and len(tags) > 1 else " + "
        return "Tags: " + joiner.join(tags)

    def _update_text(self) -> None:
        text = self.summary()
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, 220))
        self.setToolTip(text if text != ALL_TAGS else "Show only samples with the checked tags")
        self.clear_button.setEnabled(bool(self.checked_tags()))

    def _changed(self) -> None:
        self._update_text()
        self.changed.emit()

    def _about_to_show(self) -> None:
        rows = min(max(self.list.count(), 3), 12)
        row = self.list.sizeHintForRow(0) if self.list.count() else self.fontMetrics().height()
        self.list.setFixedHeight(rows * row + 2 * self.list.frameWidth() + 2)
        self.list.setMinimumWidth(max(self.width(), 220))
        self.list.setFocus()
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.showMenu()
            return
        super().keyPressEvent(event)
