"""A small question with one answer (a name, a tag, a location), wide enough to read and type.

``QInputDialog`` sizes itself to its label and a short input field, so titles were cut off and
tag names did not fit; its field is made wide enough here once its mode is set.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QInputDialog, QLineEdit, QWidget

FIELD_WIDTH = 320


def widened(dialog: QInputDialog) -> QInputDialog:
    """``dialog`` with its input field at least ``FIELD_WIDTH`` wide (call after setting it up)."""
    for field in dialog.findChildren(QLineEdit) + dialog.findChildren(QComboBox):
        field.setMinimumWidth(FIELD_WIDTH)
    return dialog


def question(parent: QWidget, title: str, label: str) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    return dialog
