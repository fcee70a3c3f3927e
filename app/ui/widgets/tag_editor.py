"""A sample's tags as removable chips, plus a box to add tags (completing from existing tags).

A comma or Enter ends a tag, so typing or pasting ``field,core`` adds two tags (in one undoable
step); what follows the last comma stays in the box until it is ended too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCompleter,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from app.ui.widgets.flow_layout import FlowLayout

SEPARATOR = ","


def split_tags(text: str) -> tuple[list[str], str]:
    """``"field, core, se"`` → (["field", "core"], " se"): the ended tags and the rest."""
    *ended, rest = text.split(SEPARATOR)
    return [" ".join(tag.split()) for tag in ended if tag.strip()], rest


class TagEntry(QLineEdit):
    """The box new tags are typed into: pasted text with commas ends every tag it holds."""

    #: The box's text as it would read with the pasted text in it (commas in the paste).
    pasted = Signal(str)

    def paste(self) -> None:
        pasted = QApplication.clipboard().text()
        if SEPARATOR not in pasted:
            super().paste()
            return
        text = self.text()
        start = self.selectionStart() if self.hasSelectedText() else self.cursorPosition()
        end = start + len(self.selectedText())
        self.pasted.emit(text[:start] + pasted + text[end:])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Ctrl+V reaches QLineEdit's own paste, which this class cannot replace: route it here.
        if event.matches(QKeySequence.StandardKey.Paste) and not self.isReadOnly():
            self.paste()
            event.accept()
            return
        super().keyPressEvent(event)


class TagEditor(QWidget):
    #: The person asked for this list of tags.
    tags_edited = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: tuple[str, ...] = ()
        self._chips: list[QToolButton] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.entry = TagEntry()
        self.entry.setObjectName("tagEntry")
        self.entry.setPlaceholderText("Add tags…")
        self.entry.setToolTip("Type a tag and press Enter or a comma")
        self.entry.setFixedWidth(140)
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.entry.setCompleter(self.completer)
        self.entry.returnPressed.connect(self._add_from_entry)
        self.entry.textEdited.connect(self._ended_by_comma)
        self.entry.pasted.connect(self._pasted)
        # Chips wrap onto more rows instead of widening the panel for a sample with many tags.
        self._layout = FlowLayout(self)
        self._layout.addWidget(self.entry)

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
        self.add_all([name])

    def add_all(self, names: list[str]) -> None:
        """Ask for the tags of ``names`` the sample lacks, all at once (one edit, one undo)."""
        known = {tag.casefold() for tag in self._tags}
        new: list[str] = []
        for name in (" ".join(name.split()) for name in names):
            if name and name.casefold() not in known:
                known.add(name.casefold())
                new.append(name)
        if new:
            self.tags_edited.emit((*self._tags, *new))

    def remove(self, name: str) -> None:
        self.tags_edited.emit(tuple(tag for tag in self._tags if tag != name))

    def _ended_by_comma(self, text: str) -> None:
        if text[:1].isspace():
            self.entry.setText(text.lstrip())  # tags never start with a space ("field, core")
            return
        if SEPARATOR not in text:
            return
        ended, rest = split_tags(text)
        self.entry.setText(rest.lstrip())
        self.add_all(ended)

    def _add_from_entry(self) -> None:
        ended, rest = split_tags(self.entry.text())
        # setText, not clear(): the entry keeps no undo of its own, so Ctrl+Z undoes the tag.
        self.entry.setText("")
        self.add_all([*ended, rest])

    def _pasted(self, text: str) -> None:
        ended, _rest = split_tags(text + SEPARATOR)
        self.entry.setText("")
        self.add_all(ended)
