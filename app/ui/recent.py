"""Open Recent: a short list of documents, persisted with QSettings in Samplebook's config folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

from app.paths import config_dir

MAX_RECENT = 10
_KEY = "recent/files"


def settings() -> QSettings:
    """Samplebook's settings file (an INI file under ``app.paths.config_dir()``)."""
    return QSettings(str(config_dir() / "samplebook.ini"), QSettings.Format.IniFormat)


def _read(store: QSettings) -> list[str]:
    value = store.value(_KEY, [])
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [str(item) for item in value if item]
    return []


def recent_files() -> list[Path]:
    """Recent documents that still exist, newest first (missing ones are pruned and forgotten)."""
    store = settings()
    kept = [entry for entry in _read(store) if Path(entry).is_file()]
    if kept != _read(store):
        store.setValue(_KEY, kept)
        store.sync()
    return [Path(entry) for entry in kept]


def add_recent(path: Path) -> None:
    store = settings()
    entry = str(Path(path).absolute())
    entries = [entry, *(item for item in _read(store) if item != entry)][:MAX_RECENT]
    store.setValue(_KEY, entries)
    store.sync()


def clear_recent() -> None:
    store = settings()
    store.setValue(_KEY, [])
    store.sync()


def fill_menu(menu: QMenu, open_path: Callable[[Path], None]) -> None:
    """File ▸ Open Recent: the recent documents (``open_path`` opens one), then Clear Menu."""
    menu.clear()
    files = recent_files()
    for path in files:
        action = menu.addAction(path.name)
        action.setToolTip(str(path))
        action.setStatusTip(str(path))
        action.triggered.connect(lambda _checked=False, p=path: open_path(p))
    if not files:
        menu.addAction("No recent documents").setEnabled(False)
    else:
        menu.addSeparator()
        menu.addAction("Clear Menu").triggered.connect(clear_recent)
