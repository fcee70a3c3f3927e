"""Where Samplebook keeps its own files: per-user folders from platformdirs.

``SAMPLEBOOK_HOME`` overrides all of them with subfolders of one directory, so tests and portable
installs never touch the real user profile.

The folders that hold copies of users' documents (state: working copies; cache: export sources and
temporary exports; data: backups that could not go beside their document) are private to the user
(0700), and a looser existing folder is tightened the first time it is used.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
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
    private = kind in _PRIVATE
    folder.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    if private:
        make_private(folder)
    return folder


#: Folders that hold copies of users' documents.
_PRIVATE = frozenset({"state", "cache", "data"})


def make_private(path: Path, allowed: int = 0o700) -> None:
    """Take group and other permissions away from ``path`` (a folder 0700, a file 0600).

    Only what this user owns is changed; on Windows (untested) permissions work differently and
    the per-user folders are private already.
    """
    if sys.platform == "win32":  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
            return
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & allowed)


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
