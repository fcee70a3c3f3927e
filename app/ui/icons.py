"""Icons for actions: the desktop's icon theme first, a standard icon of the Qt style otherwise.

A bare X session (no desktop environment) has only the "hicolor" theme, which holds application
icons but no action icons; if a full theme is installed (Adwaita, Breeze…) it is used as the
fallback theme, so the toolbar looks like the desktop's own programs wherever that is possible.
Newer themes ship some icons only as ``-symbolic`` variants, so both names are tried.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

SP = QStyle.StandardPixmap

#: Full themes worth falling back to, in order of preference.
FALLBACK_THEMES = ("Adwaita", "breeze", "Papirus", "gnome", "oxygen", "Tango")

_prepared = False


def _prepare_theme() -> None:
    global _prepared  # noqa: PLW0603 - once per process
    if _prepared:
        return
    _prepared = True
    if QIcon.themeName() not in ("", "hicolor") or QIcon.fallbackThemeName() not in ("", "hicolor"):
        return
    for folder in QIcon.themeSearchPaths():
        for theme in FALLBACK_THEMES:
            if (Path(folder) / theme / "index.theme").is_file():
                QIcon.setFallbackThemeName(theme)
                return


def themed(names: str, fallback: SP) -> QIcon:
    """The first of the theme's icons ``names`` (space-separated; each also as
    ``name-symbolic``) that the theme has, else the style's ``fallback``."""
    _prepare_theme()
    for name in names.split():
        for candidate in (name, f"{name}-symbolic"):
            if QIcon.hasThemeIcon(candidate):
                return QIcon.fromTheme(candidate)
    return QApplication.style().standardIcon(fallback)


#: Action object name → (theme icon names, best first; the style's fallback).
ACTION_ICONS: dict[str, tuple[str, SP]] = {
    "new": ("document-new", SP.SP_FileIcon),
    "open": ("document-open", SP.SP_DialogOpenButton),
    "save": ("document-save", SP.SP_DialogSaveButton),
    "newSample": ("list-add", SP.SP_FileDialogNewFolder),
    "duplicateSamples": ("edit-duplicate window-duplicate edit-copy", SP.SP_FileLinkIcon),
    "addTag": ("tag-new list-add", SP.SP_FileDialogNewFolder),
    "removeTag": ("tag-delete list-remove", SP.SP_DialogDiscardButton),
    "setLocation": ("find-location mark-location", SP.SP_DirHomeIcon),
    "addMeasurement": ("insert-object", SP.SP_FileDialogDetailedView),
    "exportSubset": ("document-send", SP.SP_ArrowForward),
    "runProgram": ("system-run", SP.SP_MediaPlay),
    "undo": ("edit-undo", SP.SP_ArrowBack),
    "redo": ("edit-redo", SP.SP_ArrowForward),
    "cut": ("edit-cut", SP.SP_DialogDiscardButton),
    "copy": ("edit-copy", SP.SP_FileLinkIcon),
    "paste": ("edit-paste", SP.SP_DialogApplyButton),
    "deleteSamples": ("edit-delete", SP.SP_TrashIcon),
    "find": ("edit-find", SP.SP_FileDialogContentsView),
    "userGuide": ("help-contents", SP.SP_DialogHelpButton),
}


def icon_for(action_name: str) -> QIcon | None:
    found = ACTION_ICONS.get(action_name)
    return themed(*found) if found is not None else None
