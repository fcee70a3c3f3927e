"""The next step a person is told to take, and when a version counts as newer than this build.

The advice must be something the person can do: "restore the most recent backup" only when there is
one, and a clean copy (``samplebook-doc repair``, File → Save a Clean Copy…) whenever Samplebook can
make one from the file.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from app import __version__
from app.document.backup_names import backups_of

_RESTORE = "restore the most recent backup of this document"


def repair_command(path: Path) -> str:
    """``samplebook-doc repair Notes.db Notes-clean.db``, quoted for a shell."""
    clean = path.with_name(f"{path.stem}-clean{path.suffix}")
    return f"samplebook-doc repair {shlex.quote(path.name)} {shlex.quote(clean.name)}"


def has_backup(path: Path) -> bool:
    try:
        return bool(backups_of(path))
    except OSError:
        return False


def for_damaged(path: Path, *, repairable: bool) -> str:
    """A damaged file: its backup when there is one, and a clean copy when it is ours."""
    backup = has_backup(path)
    if not repairable:
        return f"{_RESTORE.capitalize()}." if backup else "Choose another file."
    repair = (
        "save a clean copy of what can still be read (File → Save a Clean Copy…, or "
        f"{repair_command(path)})."
    )
    if backup:
        return f"{_RESTORE.capitalize()}, or {repair}"
    return repair[0].upper() + repair[1:]


def for_tampered(path: Path) -> str:
    """Changed outside Samplebook (or lost its mark): readable as it is, editable as a clean copy."""
    step = (
        "Samplebook can open it read-only. To edit it, save a clean copy (File → Save a Clean "
        f"Copy…, or {repair_command(path)})"
    )
    return f"{step}, or {_RESTORE}." if has_backup(path) else f"{step}."


def _numbers(version: str) -> tuple[int, ...] | None:
    match = re.match(r"\s*(\d+(?:\.\d+)*)", version)
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def is_newer_than_this_build(version: str | None) -> bool:
    """Whether ``version`` (as a document records it) is a later release than this one."""
    theirs, mine = _numbers(version or ""), _numbers(__version__)
    return theirs is not None and mine is not None and theirs > mine
