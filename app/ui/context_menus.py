"""The samples list's context menu: what applies to the rows it was opened on.

The entries are the window's own actions (same shortcuts, same enabled state), so the menu never
offers what Edit would refuse. The header's menu (a column chooser) is ``FittedColumns``'.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu, QTableView

from app.ui.actions import Actions


def row_menu(table: QTableView, acts: Actions) -> QMenu:
    menu = QMenu(table)
    menu.setObjectName("samplesContextMenu")
    menu.addAction(acts.copy)
    menu.addSeparator()
    menu.addActions([acts.new_sample, acts.duplicate_samples])
    menu.addSeparator()
    menu.addActions([acts.add_tag, acts.remove_tag, acts.set_location])
    menu.addSeparator()
    menu.addAction(acts.export_subset)
    menu.addAction(acts.run_program)
    menu.addSeparator()
    menu.addAction(acts.delete_samples)
    return menu


def show_row_menu(table: QTableView, acts: Actions, position: QPoint) -> QMenu:
    """Open the menu at ``position`` (viewport coordinates, as ``customContextMenuRequested``)."""
    menu = row_menu(table, acts)
    menu.aboutToHide.connect(menu.deleteLater)
    menu.popup(table.viewport().mapToGlobal(position))
    return menu
