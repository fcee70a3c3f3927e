"""What the right side shows while several samples are selected: how many, and what applies.

Each button is the window's own action (same text, shortcut and enabled state as in the menus),
so what it offers here is exactly what would happen from the menu or the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.ui import messages


class SelectionSummary(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("selectionSummary")
        self.count_label = QLabel()
        self.count_label.setObjectName("selectionCount")
        font = self.count_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.count_label.setFont(font)
        self.hint = QLabel(messages.SEVERAL_SELECTED_HINT)
        self.buttons: list[QToolButton] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 16, 16, 16)
        self._layout.setSpacing(6)
        self._layout.addWidget(self.count_label)
        self._layout.addWidget(self.hint)
        self._layout.addStretch(1)

    def set_actions(self, actions: list[QAction | None]) -> None:
        """The actions offered, in order (``None``: a gap between groups)."""
        position = self._layout.count() - 1  # before the stretch
        for action in actions:
            if action is None:
                self._layout.insertSpacing(position, 8)
            else:
                button = QToolButton()
                button.setDefaultAction(action)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                button.setMaximumWidth(320)
                if action.menu() is not None:  # Run Program: its menu opens at once
                    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
                self._layout.insertWidget(position, button)
                self.buttons.append(button)
            position += 1

    def show_count(self, count: int) -> None:
        self.count_label.setText(messages.samples_selected(count))
