"""Finding the shipped resources (icons) from a source checkout or a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path

import app


def resources_dir() -> Path | None:
    """``<repo>/resources``, else (frozen) ``resources`` beside the executable; None if neither."""
    candidates = [Path(app.__file__).resolve().parents[1] / "resources"]
    if getattr(sys, "frozen", False):
        candidates.append(Path(sys.executable).resolve().parent / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None


def resource(*parts: str) -> Path | None:
    """The path of a resource file, or None when this installation does not have it."""
    folder = resources_dir()
    if folder is None:
        return None
    path = folder.joinpath(*parts)
    return path if path.is_file() else None


def app_icon_path() -> Path | None:
    return resource("icons", "samplebook.svg") or resource("icons", "samplebook.png")
