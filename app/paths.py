"""Where Samplebook keeps its own files: per-user folders from platformdirs.

``SAMPLEBOOK_HOME`` overrides all of them with subfolders of one directory, so tests and portable
installs never touch the real user profile.
"""

from __future__ import annotations

import os
from pathlib import Path

from app import APP_NAME

HOME_OVERRIDE_VARIABLE = "SAMPLEBOOK_HOME"


def _folder(kind: str) -> Path:
    override = os.environ.get(HOME_OVERRIDE_VARIABLE)
    if override:
        folder = Path(override) / kind
    else:
        import platformdirs  # noqa: PLC0415 - only needed without the override

        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        folder = Path(
            {
                "data": dirs.user_data_dir,
                "state": dirs.user_state_dir,
                "cache": dirs.user_cache_dir,
                "log": dirs.user_log_dir,
                "config": dirs.user_config_dir,
            }[kind]
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def data_dir() -> Path:
    """Backups that cannot go beside their document."""
    return _folder("data")


def state_dir() -> Path:
    """Working copies of open documents and their locks (kept for crash recovery)."""
    return _folder("state")


def cache_dir() -> Path:
    """Migrated templates and reference schemas; safe to delete at any time."""
    return _folder("cache")


def log_dir() -> Path:
    """The log file that bug reports point to."""
    return _folder("log")


def config_dir() -> Path:
    """Preferences."""
    return _folder("config")


def log_file() -> Path:
    return log_dir() / "samplebook.log"
