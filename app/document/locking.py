"""The document lock: two Samplebook processes never edit one document.

The lock is a small file beside the document (``.~lock.Notes.db#``) that the holder keeps open with an
OS lock on it and that names the holder. The OS lock, not the file's existence, decides: a file left
behind by a crashed process is not held by anyone and is taken over. Reading the holder never writes.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import getpass
import json
import os
import socket
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from app import APP_NAME, __version__
from app.document.errors import DocumentInUse

if sys.platform == "win32":
    import msvcrt

    # Windows locks are mandatory: lock a byte far past the holder text so others can still read it.
    _LOCK_OFFSET = 1 << 20
else:
    import fcntl


@dataclass(frozen=True)
class Holder:
    """Who holds a document open for editing."""

    pid: int
    host: str
    app: str
    user: str
    since: str

    def describe(self) -> str:
        since = self.since[11:16] if len(self.since) >= 16 else self.since
        return f"{self.app} (process {self.pid}, user {self.user} on {self.host}, since {since})"

    def is_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()


def lock_path(document: Path) -> Path:
    return document.with_name(f".~lock.{document.name}#")


def _this_holder() -> Holder:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    return Holder(
        pid=os.getpid(),
        host=socket.gethostname(),
        app=f"{APP_NAME} {__version__}",
        user=user,
        since=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    )


def _try_lock(fd: int, exclusive: bool) -> bool:
    if sys.platform == "win32":
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        if not exclusive:
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return True
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    if not exclusive:
        fcntl.flock(fd, fcntl.LOCK_UN)
    return True


def _read_holder(fd: int) -> Holder | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 4096)
    try:
        data = json.loads(raw.decode("utf-8"))
        return Holder(
            pid=int(data["pid"]),
            host=str(data["host"]),
            app=str(data["app"]),
            user=str(data["user"]),
            since=str(data["since"]),
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def holder_of(document: Path) -> Holder | None:
    """Who holds ``document`` for editing right now, without writing anything; ``None`` if nobody."""
    try:
        fd = os.open(lock_path(document), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if _try_lock(fd, exclusive=False):
            return None  # a file left behind by a process that has ended
        return _read_holder(fd) or Holder(0, "unknown", "another program", "unknown", "")
    finally:
        os.close(fd)


def in_use_error(document: Path, holder: Holder) -> DocumentInUse:
    return DocumentInUse(
        f"“{document.name}” is open in {holder.describe()}.",
        "Close it there first, or open it read-only.",
        path=document,
        holder=holder.describe(),
    )


class DocumentLock:
    """An exclusive claim on a document for as long as this object is held (or until release)."""

    def __init__(self, document: Path, fd: int, path: Path) -> None:
        self.document = document
        self._fd: int | None = fd
        self._path = path

    @classmethod
    def acquire(cls, document: Path) -> DocumentLock:
        """Take the lock or raise ``DocumentInUse`` naming the holder.

        Raises ``OSError`` when the folder is not writable; such documents open read-only.
        """
        path = lock_path(document)
        for _ in range(10):
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
            if not _try_lock(fd, exclusive=True):
                holder = _read_holder(fd) or Holder(0, "unknown", "another program", "?", "")
                os.close(fd)
                raise in_use_error(document, holder)
            # The previous holder may have removed the file between our open and our lock: make
            # sure the file we locked is still the one at the path, or try again.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                lock = cls(document, fd, path)
                try:
                    lock._write_holder()
                except BaseException:
                    lock.release()  # e.g. a full disk: leave no empty lock file behind
                    raise
                return lock
            os.close(fd)
        raise in_use_error(document, Holder(0, "unknown", "another program", "?", ""))

    def _write_holder(self) -> None:
        assert self._fd is not None
        text = json.dumps(asdict(_this_holder())).encode("utf-8")
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        if os.write(self._fd, text) != len(text):
            raise OSError(errno.ENOSPC, "short write")
        os.fsync(self._fd)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self._path.unlink()
        os.close(self._fd)
        self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> DocumentLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
