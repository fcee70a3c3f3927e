"""Handing things to the desktop: the file manager."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def show_in_folder(path: Path) -> bool:
    """Open the folder holding ``path`` in the platform's file manager (False if none could)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))
