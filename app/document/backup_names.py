"""How backups are named, and which backups of a document exist (no I/O beyond listing folders).

Kept apart from ``backup`` so that ``classify`` can say "restore the most recent backup" only when
there is one, without importing the module that makes backups (which needs ``classify``).
"""

from __future__ import annotations

import contextlib
import datetime
from pathlib import Path

from app.paths import data_dir

#: Where backups go when the document's own folder cannot be written (below the user data folder).
FALLBACK_FOLDER_NAME = "backups"


def backup_name(document: Path, release: str | None, when: datetime.datetime, n: int = 1) -> str:
    """``Notes.backup-1.1-20261121-1405.db`` (``-2``, ``-3`` … for a second backup that minute)."""
    counter = "" if n == 1 else f"-{n}"
    stamp = when.strftime("%Y%m%d-%H%M")
    return f"{document.stem}.backup-{release or 'unknown'}-{stamp}{counter}{document.suffix}"


def backups_of(path: Path) -> list[Path]:
    """Existing backups of ``path`` (beside it and in the fallback folder), newest first."""
    import glob  # noqa: PLC0415 - start-up: only when backups are looked for

    path = Path(path)
    pattern = f"{glob.escape(path.stem)}.backup-*{glob.escape(path.suffix)}"
    folders = [path.parent]
    # No user data folder (a read-only home) means no backups in it either.
    with contextlib.suppress(OSError):
        folders.append(data_dir() / FALLBACK_FOLDER_NAME)
    found: list[tuple[float, Path]] = []
    for folder in folders:
        try:
            candidates = list(folder.glob(pattern))
        except OSError:
            continue
        for candidate in candidates:
            try:
                if candidate.is_file():
                    found.append((candidate.stat().st_mtime, candidate))
            except OSError:
                continue
    return [candidate for _, candidate in sorted(found, key=lambda item: item[0], reverse=True)]
