"""Message boxes whose buttons stand for what the person chose (``Choice``).

The sentences in them come from ``app.ui.messages``.
"""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from app import APP_NAME


class Choice(enum.Enum):
    """What a person chose in a message box."""

    CANCEL = "cancel"
    OPEN_READ_ONLY = "open read-only"
    MAKE_NEW = "make new"
    CHOOSE_OTHER = "choose other"
    RESTORE_BACKUP = "restore backup"
    SAVE_CLEAN_COPY = "save a clean copy"
    OPEN_CLEAN_COPY = "open the clean copy"
    RETRY = "try again"
    KEEP = "keep"
    DELETE = "delete"
    SAVE = "save"
    SAVE_AS = "save as"
    DISCARD = "discard"  # unsaved changes, before New, Open, Close or Quit
    REVERT = "revert"
    REPLACE = "replace"
    SHOW_IN_FOLDER = "show in folder"
    OK = "ok"


class ChoiceBox(QMessageBox):
    """A message box whose buttons map to ``Choice`` values (read ``choice`` once finished)."""

    def __init__(
        self, parent: QWidget | None, icon: QMessageBox.Icon, text: str, info: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.setIcon(icon)
        self.setText(text)
        self.setInformativeText(info)
        self._choices: dict[int, Choice] = {}
        self.buttons_by_choice: dict[Choice, QPushButton] = {}

    def add_choice(
        self,
        label: str,
        choice: Choice,
        role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole,
        *,
        default: bool = False,
    ) -> None:
        button = self.addButton(label, role)
        self._choices[id(button)] = choice
        self.buttons_by_choice[choice] = button
        if default:
            self.setDefaultButton(button)

    def add_standard(
        self, standard: QMessageBox.StandardButton, choice: Choice, *, default: bool = False
    ) -> None:
        button = self.addButton(standard)
        self._choices[id(button)] = choice
        self.buttons_by_choice[choice] = button
        if default:
            self.setDefaultButton(button)

    @property
    def choice(self) -> Choice:
        clicked = self.clickedButton()
        return self._choices.get(id(clicked), Choice.CANCEL) if clicked else Choice.CANCEL

    def choose(self, choice: Choice) -> None:
        """Press the button for ``choice`` (what a person's click does; used by tests)."""
        button = self.buttons_by_choice[choice]
        button.click()

    def choices(self) -> list[Choice]:
        return list(self.buttons_by_choice)
