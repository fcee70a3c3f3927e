"""A sample's tags as removable chips, plus a box to add one (completing from existing tags)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)


class TagEditor(QWidget):
    #: The person asked for this list of tags.
    tags_edited = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: tuple[str, ...] = ()
        self._chips: list[QToolButton] = []
        self.entry = QLineEdit()
        self.entry.setObjectName("tagEntry")
        self.entry.setPlaceholderText("Add tag…")
        self.entry.setMaximumWidth(160)
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.entry.setCompleter(self.completer)
        self.entry.returnPressed.connect(self._add_from_entry)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addWidget(self.entry)
        self._layout.addStretch(1)

    @property
    def tags(self) -> tuple[str, ...]:
        return self._tags

    def set_known_tags(self, names: list[str]) -> None:
        self.completer.model().setStringList(names)  # type: ignore[attr-defined]

    def set_tags(self, names: tuple[str, ...]) -> None:
        self._tags = tuple(names)
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for position, name in enumerate(self._tags):
            chip = QToolButton()
            chip.setObjectName("tagChip")
            chip.setText(f"{name}  \u00d7")
            chip.setToolTip(f"Remove the tag “{name}”")
            chip.setAutoRaise(False)
            chip.clicked.connect(lambda _checked=False, tag=name: self.remove(tag))
            self._layout.insertWidget(position, chip)
            self._chips.append(chip)

    def add(self, name: str) -> None:
        name = " ".join(name.split())
        if not name:
            return
        if name.casefold() in (tag.casefold() for tag in self._tags):
            return
        self.tags_edited.emit((*self._tags, name))

    def remove(self, name: str) -> None:
        self.tags_edited.emit(tuple(tag for tag in self._tags if tag != name))

    def _add_from_entry(self) -> None:
        text = self.entry.text()
        self.entry.clear()
        self.add(text)
