"""Temporary export documents: where they live, which ones a person kept, and their clean-up.

A temporary export (handed to an analysis program, or made with ``export --temp``) lives in the user
cache folder. The app removes its own when it quits unless the person keeps them; whatever is left
and not kept is removed after ``TEMPORARY_EXPORT_DAYS``. A kept export is marked by an empty
``NAME.db.kept`` file beside it and is never removed by Samplebook.
"""

from __future__ import annotations

import datetime
import re
import time
from pathlib import Path

from app.document.files import remove_database_file
from app.document.identity import FileIdentity, identity_of
from app.document.locking import holder_of
from app.paths import cache_dir

#: Temporary exports nobody kept are removed after this long (the app also removes its own on quit).
TEMPORARY_EXPORT_DAYS = 7


def temporary_exports_dir() -> Path:
    folder = cache_dir() / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _slug(title: str) -> str:
    slug = re.sub(r"[^\w-]+", "-", title, flags=re.UNICODE).strip("-")
    return slug[:40].rstrip("-") or "export"


def temporary_export_path(title: str) -> Path:
    """A fresh name in the temporary exports folder, after the document's title and the time."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    import secrets  # noqa: PLC0415 - start-up: it pulls hmac and OpenSSL's hashlib

    return temporary_exports_dir() / f"{_slug(title)}-{stamp}-{secrets.token_hex(2)}.db"


def is_temporary_export(path: Path) -> bool:
    """Whether ``path`` is in the temporary exports folder (without creating that folder)."""
    folder = cache_dir() / "exports"
    try:
        return Path(path).resolve().parent == folder.resolve()
    except OSError:
        return False


def _kept_marker(path: Path) -> Path:
    return path.with_name(path.name + ".kept")


def mark_kept(path: Path, keep: bool = True) -> None:
    """Say whether a temporary export is to be kept: kept ones are never cleaned up."""
    marker = _kept_marker(Path(path))
    if keep:
        marker.touch()
    else:
        marker.unlink(missing_ok=True)


def is_kept(path: Path) -> bool:
    return _kept_marker(Path(path)).exists()


def remove_stale_temporary_exports(now: float | None = None) -> list[Path]:
    """Delete temporary exports older than ``TEMPORARY_EXPORT_DAYS`` that nobody chose to keep.

    Returns what was removed. Exports a person kept (``mark_kept``) stay until they delete them.
    """
    limit = (now or time.time()) - TEMPORARY_EXPORT_DAYS * 86400
    removed: list[Path] = []
    for marker in temporary_exports_dir().glob("*.db.kept"):
        if not marker.with_suffix("").exists():
            marker.unlink(missing_ok=True)
    for candidate in temporary_exports_dir().glob("*.db"):
        try:
            if candidate.stat().st_mtime < limit and not is_kept(candidate):
                if holder_of(candidate) is not None:
                    continue  # a Samplebook has it open
                remove_database_file(candidate)
                removed.append(candidate)
        except OSError:
            continue
    return removed


def changed_since(path: Path, made: FileIdentity | None) -> bool:
    """Whether the export at ``path`` was written after it was made (``made``: its identity then).

    A program the export was handed to may have written its results into it.
    """
    return made is not None and identity_of(path) not in (None, made)


def remove_temporary_export(path: Path) -> bool:
    """Delete a temporary export; not when it is kept or another Samplebook has it open.

    Returns whether it was removed. The caller decides about exports changed after they were made
    (``changed_since``): those are the person's to throw away.
    """
    if is_kept(path):
        return False
    holder = holder_of(path)
    if holder is not None and not holder.is_this_process():
        return False
    remove_database_file(path)
    _kept_marker(path).unlink(missing_ok=True)
    return True
