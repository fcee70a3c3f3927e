"""Column titles shared by the table models."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt


def column_title(
    columns: Sequence[tuple[str, object]], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """The title of column ``section`` for a horizontal header's display role, else ``None``."""
    if (
        role == Qt.ItemDataRole.DisplayRole
        and orientation == Qt.Orientation.Horizontal
        and 0 <= section < len(columns)
    ):
        return columns[section][0]
    return None
