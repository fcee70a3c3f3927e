"""Backups: verified, read-only copies named after the document, its release and the time."""

from __future__ import annotations

import datetime
import os
import stat
from pathlib import Path

from app.document import verified
from app.document.backup_names import FALLBACK_FOLDER_NAME, backup_name
from app.document.classify import Inspection, State, inspect
from app.document.errors import CannotWrite, DestinationExists
from app.document.files import copy_database, reporting_failures
from app.document.soundness import copy_problems
from app.document.temporaries import Temporary, sweep
from app.paths import data_dir

_BACKUP_STATES = (State.CURRENT, State.OUTDATED, State.NEWER)


def fallback_folder() -> Path:
    """Where backups go when the document's own folder cannot be written."""
    folder = data_dir() / FALLBACK_FOLDER_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _writable_folder(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def backup_folder_for(document: Path) -> Path:
    """Where ``backup()`` puts a backup of ``document`` when no folder is given."""
    folder = Path(document).parent
    return folder if _writable_folder(folder) else fallback_folder()


def backup(path: Path, to: Path | None = None, *, inspection: Inspection | None = None) -> Path:
    """Make a verified, read-only backup of the document at ``path``; returns the backup's path.

    The backup goes into ``to`` when given, else beside the document, else (when that folder is
    not writable) into the user data folder. An earlier backup is never overwritten or deleted.
    A document open in another Samplebook is backed up as saved (reading it is safe: an editor
    changes the file only by replacing it whole).
    """
    path = Path(path)
    found = inspection or inspect(path)
    if found.state is State.LOCKED and found.holder is not None:
        found = inspect(path, ignore_holder=True)  # the saved file, checked like any other
    if found.state not in _BACKUP_STATES:
        raise found.error()
    if to is not None:
        folder = Path(to)
        if not _writable_folder(folder):
            raise CannotWrite(
                f"Cannot write a backup into {folder}: it is not a folder Samplebook can write to.",
                f"Choose another folder. “{path.name}” is unchanged.",
                path=path,
            )
    else:
        folder = backup_folder_for(path)
    release = found.release or found.saved_by
    when = datetime.datetime.now()
    sweep(folder)
    with (
        reporting_failures("make a backup", original_unchanged=path),
        Temporary.beside(folder / path.name, "backup") as temporary,
    ):
        copy_database(path, temporary.path)
        problems = copy_problems(temporary.path)
        if problems:
            raise CannotWrite(
                f"The backup of “{path.name}” did not pass its integrity check ({problems[0]}).",
                "Check the disk, then try again. The document is unchanged.",
                path=path,
            )
        os.chmod(temporary.path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        made: Path | None = None
        for n in range(1, 1000):
            target = folder / backup_name(path, release, when, n)
            try:
                temporary.publish_new(target)
            except DestinationExists:
                continue
            made = target
            break
    if made is None:
        raise CannotWrite(f"Too many backups of “{path.name}” in {folder} this minute.")
    verified.remember(made)  # a checked copy of a checked document: opening it is quick
    return made
