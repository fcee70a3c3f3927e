"""Restoring a backup: the backup's content takes the document's name, nothing is thrown away.

The file that was there (damaged, or changed outside Samplebook) may still hold work the backup
does not, so it is kept beside the document as ``Notes.before-restore-20261201-1405.db`` — by a hard
link made before the replacement, so at every moment the document's name holds either the old file
or the restored one, and the old file is never lost. The backup itself is only read.
"""

from __future__ import annotations

import datetime
import errno
import os
import shutil
import stat
from pathlib import Path

from app.document import verified
from app.document.classify import State, inspect
from app.document.errors import CannotWrite
from app.document.files import copy_database, fsync_folder, reporting_failures
from app.document.locking import DocumentLock
from app.document.soundness import copy_problems
from app.document.temporaries import Temporary, sweep

_RESTORABLE = (State.CURRENT, State.OUTDATED)


def kept_name(document: Path, when: datetime.datetime, n: int = 1) -> str:
    """``Notes.before-restore-20261201-1405.db`` (``-2``, ``-3`` … for a second one that minute)."""
    counter = "" if n == 1 else f"-{n}"
    return f"{document.stem}.before-restore-{when:%Y%m%d-%H%M}{counter}{document.suffix}"


def restore_backup(document: Path, backup: Path) -> Path | None:
    """Put ``backup``'s content at ``document``; returns where the file that was there is kept
    (``None`` when there was none).

    Raises the backup's own error when it is not a sound Samplebook document, ``DocumentInUse``
    when another Samplebook has the document open, ``CannotWrite`` when the folder cannot be
    written (then nothing changed).
    """
    document, backup = Path(document), Path(backup)
    found = inspect(backup)
    if found.state not in _RESTORABLE:
        raise found.error()
    with reporting_failures(f"restore “{document.name}”", original_unchanged=document):
        lock = DocumentLock.acquire(document)
    with lock:
        target = lock.target
        sweep(target.parent)
        try:
            mode = stat.S_IMODE(target.stat().st_mode) | stat.S_IWUSR
        except FileNotFoundError:
            mode = 0o644
        with (
            reporting_failures(f"restore “{document.name}”", original_unchanged=document),
            Temporary.beside(target, "restore", mode=mode) as temporary,
        ):
            copy_database(backup, temporary.path)
            problems = copy_problems(temporary.path)
            if problems:
                raise CannotWrite(
                    f"The copy of the backup did not pass its integrity check ({problems[0]}); "
                    f"“{document.name}” is unchanged.",
                    "Check the disk, then try again.",
                    path=document,
                )
            os.chmod(temporary.path, mode)  # a backup is read-only; the restored document is not
            kept = _keep_aside(target) if target.exists() else None
            temporary.replace(target)
            lock.adopt(temporary.hand_over())
    verified.remember(target)
    return kept


def _keep_aside(target: Path) -> Path:
    """Give the file at ``target`` a second name beside it (a hard link, else a byte copy)."""
    when = datetime.datetime.now()
    for n in range(1, 100):
        kept = target.with_name(kept_name(target, when, n))
        try:
            os.link(target, kept)
        except FileExistsError:
            continue
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            if kept.exists():
                continue
            # No hard links here (FAT, some shares): a byte copy keeps exactly what was there,
            # damaged pages included (SQLite would refuse to copy those).
            shutil.copyfile(target, kept)
        fsync_folder(target.parent)
        return kept
    raise CannotWrite(f"Too many earlier versions of “{target.name}” were kept this minute.")
