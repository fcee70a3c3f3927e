"""Which version of a file this is: the identity a file keeps until something writes it.

Device, inode, size and modification time (ns) change whenever the file is written or replaced: a
save by another Samplebook (a new inode), another program's write, a copy put in its place. SQLite's
file change counter (header offset 24, bumped by every committed write) adds certainty where the
file system's clock is coarse; reading it means opening the file, so it is read only when asked
(closing a descriptor of a file drops this process's SQLite locks on it — see app.document.locking).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_CHANGE_COUNTER = slice(24, 28)


@dataclass(frozen=True)
class FileIdentity:
    device: int
    inode: int
    size: int
    modified_ns: int
    change_counter: int | None = None


def identity_of(path: Path, *, with_change_counter: bool = False) -> FileIdentity | None:
    """The identity of the file at ``path`` (links followed); ``None`` when there is none."""
    try:
        info = os.stat(path)
        counter = None
        if with_change_counter:
            with open(path, "rb") as handle:
                header = handle.read(28)
            counter = int.from_bytes(header[_CHANGE_COUNTER], "big") if len(header) == 28 else 0
    except OSError:
        return None
    return FileIdentity(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, counter)
