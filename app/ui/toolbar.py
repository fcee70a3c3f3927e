"""The main toolbar: New, Open, Save, New Sample, Add Measurement, Export Subset, Run Program.

Shown or hidden from View ▸ Toolbar; the choice is remembered in Samplebook's settings.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QToolBar, QToolButton

from app.ui.actions import Actions
from app.ui.icons import icon_for
from app.ui.recent import settings

_SHOWN_KEY = "layout/toolbar_shown"

#: (action, its shorter text on the toolbar)
_ENTRIES = (
    ("new", "New"),
    ("open", "Open"),
    ("save", "Save"),
    (None, ""),
    ("new_sample", "New Sample"),
    ("add_measurement", "Add Measurement"),
    (None, ""),
    ("export_subset", "Export Subset"),
    ("run_program", "Run Program"),
)


def give_icons(acts: Actions) -> None:
    """Theme icons (with the style's as fallback) for every action that has one."""
    for field in dataclasses.fields(acts):
        action = getattr(acts, field.name)
        if isinstance(action, QAction):
            icon = icon_for(action.objectName())
            if icon is not None:
                action.setIcon(icon)


def build_toolbar(window: QMainWindow, acts: Actions) -> QToolBar:
    bar = QToolBar("Toolbar", window)
    bar.setObjectName("mainToolbar")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setMovable(False)
    for attribute, text in _ENTRIES:
        if attribute is None:
            bar.addSeparator()
            continue
        action = getattr(acts, attribute)
        action.setIconText(text)
        bar.addAction(action)
    button = bar.widgetForAction(acts.run_program)
    if isinstance(button, QToolButton):
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setObjectName("runProgramButton")
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    toggle = bar.toggleViewAction()
    toggle.setText("&Toolbar")
    toggle.setObjectName("showToolbar")
    acts.view_menu.addAction(toggle)
    shown = str(settings().value(_SHOWN_KEY, "true")).lower() != "false"
    bar.setVisible(shown)
    toggle.toggled.connect(_remember)
    return bar


def _remember(shown: bool) -> None:
    # The toggle also fires as the window first shows its toolbar: no write for what is stored.
    store = settings()
    value = "true" if shown else "false"
    if str(store.value(_SHOWN_KEY, "true")).lower() != value:
        store.setValue(_SHOWN_KEY, value)
        store.sync()
