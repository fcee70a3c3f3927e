"""Help ▸ About: the versions of everything that touches a document."""

from __future__ import annotations

import sqlite3
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from app import APP_NAME, __version__
from app.document.releases import HEAD_RELEASE, HEAD_REVISION
from app.ui import messages


def _version_of(distribution: str) -> str:
    # Scanning installed packages costs ~20 ms: only when the About box opens, not at start.
    from importlib import metadata  # noqa: PLC0415

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def versions() -> list[tuple[str, str]]:
    """Name and version of the app and its libraries (without importing SQLAlchemy or Alembic)."""
    return [
        (APP_NAME, __version__),
        ("Document format", f"{HEAD_RELEASE} (schema {HEAD_REVISION})"),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("SQLite", sqlite3.sqlite_version),
        ("SQLAlchemy", _version_of("sqlalchemy")),
        ("Alembic", _version_of("alembic")),
        ("Python", sys.version.split()[0]),
    ]


def about_box(parent: QWidget | None) -> QMessageBox:
    rows = "".join(
        f"<tr><td>{name}&nbsp;&nbsp;</td><td>{value}</td></tr>" for name, value in versions()
    )
    box = QMessageBox(parent)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setText(f"<h3>{APP_NAME} {__version__}</h3>{messages.ABOUT}")
    box.setInformativeText(f"<table>{rows}</table>")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    if parent is not None:
        box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    return box
