"""Samplebook: a desktop notebook of samples, measurements and tags kept in one SQLite document."""

from __future__ import annotations

from importlib import metadata as _metadata

APP_NAME = "Samplebook"
#: Folder name used by platformdirs and the environment-variable prefix.
APP_SLUG = "samplebook"


def _version() -> str:
    try:
        return _metadata.version(APP_SLUG)
    except _metadata.PackageNotFoundError:  # frozen builds carry no dist-info
        return "2.2.0"


__version__ = _version()
