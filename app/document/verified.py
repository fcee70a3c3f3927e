"""Verify a file version once: which files Samplebook has fully checked, or written and checked.

SQLite's ``integrity_check`` reads every page and every index entry; on a 100 MB document it takes
seconds. It is needed for a file that arrived from elsewhere, and wasted on one that Samplebook
itself wrote and checked, or fully checked before, and that has not changed since. So after a full
check or a verified write, the file's identity is recorded in the per-user state folder; a file
whose identity still matches gets the cheap checks only (its header, its schema object by object,
its revision), everything else the full check.

The identity is what changes whenever anything writes or replaces the file: device and inode (a
save replaces the file, a copy is a new file), size, modification and status-change times in ns
(``touch -d`` can set the first, nothing but the kernel sets the second) and SQLite's file change
counter in the header (bumped by every committed write, even within one clock tick). A file edited
behind Samplebook's back therefore gets the full check again. The record is only ever a reason to
skip work: a lost or stale entry costs one full check, never a wrong verdict about a changed file.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from app.document.temporaries import RECORD_PURPOSE, new_file
from app.paths import make_private, state_dir

_CHANGE_COUNTER = slice(24, 28)
#: Records kept at most (the oldest go first); each is about 150 bytes.
_MAX_RECORDS = 2000


@dataclass(frozen=True)
class Fingerprint:
    device: int
    inode: int
    size: int
    modified_ns: int
    changed_ns: int
    change_counter: int


def fingerprint(path: Path, header: bytes) -> Fingerprint | None:
    """The identity of the file at ``path`` whose first bytes are ``header`` (as just read)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    counter = int.from_bytes(header[_CHANGE_COUNTER], "big") if len(header) >= 28 else -1
    return Fingerprint(
        info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, counter
    )


def read_fingerprint(path: Path) -> Fingerprint | None:
    """``fingerprint`` reading the header itself.

    Opening and closing the file drops this process's SQLite locks on it (see
    ``app.document.locking``): call it when no connection of this process is reading the file.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    return fingerprint(path, header)


def _store() -> Path:
    return state_dir() / "verified.json"


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def _read() -> dict[str, dict[str, int | float]]:
    try:
        data = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_verified(path: Path, found: Fingerprint | None) -> bool:
    """Whether ``path``, now ``found``, is a version this user's Samplebook fully checked."""
    if found is None:
        return False
    record = _read().get(_key(path))
    if not isinstance(record, dict):
        return False
    record = {name: value for name, value in record.items() if name != "at"}
    try:
        return Fingerprint(**record) == found  # type: ignore[arg-type]
    except TypeError:
        return False


def remember(path: Path, found: Fingerprint | None = None) -> None:
    """Record that the file at ``path`` (now ``found``, else read) passed a full check.

    Best effort: a state folder that cannot be written only means the next check is a full one.
    """
    found = found if found is not None else read_fingerprint(path)
    if found is None:
        return
    records = _read()
    records.pop(_key(path), None)
    records[_key(path)] = {**asdict(found), "at": time.time()}
    while len(records) > _MAX_RECORDS:
        records.pop(next(iter(records)))
    _write(records)


def _write(records: dict[str, dict[str, int | float]]) -> None:
    with contextlib.suppress(OSError), new_file(_store(), RECORD_PURPOSE, overwrite=True) as path:
        path.write_text(json.dumps(records), encoding="utf-8")
        make_private(path, 0o600)


def forget(path: Path) -> None:
    """Drop the record of ``path`` (its next check is a full one)."""
    records = _read()
    if records.pop(_key(path), None) is not None:
        _write(records)
