"""The document lock: one editor per file, whatever name the file is reached by.

A file's identity is its inode, not its path: ``doc.db``, a symlink to it, a hard link, ``sub/../doc.db``
and the same file through a bind mount are one document. The lock has two parts:

* **The holder file** ``.~lock.Notes.db#`` beside the *resolved* path (symlinks and ``..`` followed),
  which the editor keeps ``flock``-ed and which names it (process, user, host, since, and the file's
  device and inode), like LibreOffice's. The lock on it, not its existence, decides: a file left
  behind by a crashed process is not held by anyone and is taken over (or swept, see
  ``remove_if_stale``). Samplebook 2.1 and earlier use the same file and the same ``flock``.
* **The owner lock on the document file itself** (``app.document.ownerlock``: a byte-range lock
  that belongs to the inode), held for as long as the editor edits. It is what a hard link or a bind
  mount meets, because those reach the same inode under a name whose holder file is elsewhere.
  Saving replaces the file (``os.replace``), so the inode changes: the saver holds the owner lock on
  the new file *before* it takes the document's name, and drops the old one after
  (``DocumentLock.adopt``), so there is no moment in which another editor could get in.

``holder_of`` looks at both without writing or taking anything that lasts, so inspection never
changes a file. The owner lock's descriptor stays open for the lock's whole life, and nothing here
opens a document while a SQLite connection of this process may hold a lock on it: under POSIX,
closing any descriptor of a file drops all of this process's fcntl locks on it (SQLite's own).

Limits: on Windows and macOS (untested in this project) there are no owner locks, so only the path
(resolved) identifies a document there; hard links and second mounts are not recognised. A save
replaces the file, which ends a hard link: afterwards the other name is a different file.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import json
import logging
import os
import socket
import stat
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from app import APP_NAME, __version__
from app.document import ownerlock
from app.document.errors import DocumentInUse
from app.document.releases import APPLICATION_ID

if sys.platform == "win32":
    import msvcrt

    # Windows locks are mandatory: lock a byte far past the holder text so others can still read it.
    _LOCK_OFFSET = 1 << 20
else:
    import fcntl

log = logging.getLogger(__name__)

#: How long a lock that looks held is tried again: someone merely looking (``holder_of``, a sweep)
#: holds it for microseconds, an editor for as long as it edits.
_RETRY_SECONDS = 0.05


@dataclass(frozen=True)
class Holder:
    """Who holds a document open for editing."""

    pid: int
    host: str
    app: str
    user: str
    since: str
    device: int = 0
    inode: int = 0

    def describe(self) -> str:
        if self.pid <= 0:
            return self.app
        since = self.since[11:16] if len(self.since) >= 16 else self.since
        return f"{self.app} (process {self.pid}, user {self.user} on {self.host}, since {since})"

    def is_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()


_UNREADABLE_HOLDER = Holder(0, "unknown", "another program", "unknown", "")
#: An editor reached through another name of the file, whose holder file we cannot find.
_ELSEWHERE = Holder(0, "unknown", "another Samplebook (under another name of this file)", "", "")

#: (device, inode) → holder, for the documents this process holds (their holder file may be beside
#: another name of the file; this process's own locks never block it in ``inspect``).
_HELD_HERE: dict[tuple[int, int], Holder] = {}


def lock_path(document: Path) -> Path:
    return document.with_name(f".~lock.{document.name}#")


def resolved(document: Path) -> Path:
    """The path a document really is at: absolute, symlinks and ``..`` followed."""
    return Path(os.path.realpath(Path(document).absolute()))


def same_document(first: Path, second: Path) -> bool:
    """Whether two paths lead to the same file (any alias, including hard links)."""
    if resolved(first) == resolved(second):
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _this_holder(identity: tuple[int, int]) -> Holder:
    import getpass  # noqa: PLC0415 - start-up: only when taking a lock

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
        device=identity[0],
        inode=identity[1],
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
            device=int(data.get("device", 0)),
            inode=int(data.get("inode", 0)),
        )
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _holder_in(lock_file: Path) -> Holder | None:
    """The holder named in ``lock_file`` if someone holds it, else None."""
    try:
        fd = os.open(lock_file, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if _try_lock(fd, exclusive=False):
            return None  # a file left behind by a process that has ended
        return _read_holder(fd) or _UNREADABLE_HOLDER
    finally:
        os.close(fd)


def _holder_by_identity(folder: Path, identity: tuple[int, int]) -> Holder | None:
    """The holder whose holder file in ``folder`` names the file ``identity`` (another name)."""
    try:
        names = [name for name in os.listdir(folder) if name.startswith(".~lock.")]
    except OSError:
        return None
    for name in names:
        holder = _holder_in(folder / name)
        if holder is not None and (holder.device, holder.inode) == identity:
            return holder
    return None


def holder_of(document: Path) -> Holder | None:
    """Who holds ``document`` for editing right now, under any of its names; ``None`` if nobody.

    Writes nothing. It opens the document for a moment (to ask about the owner lock), so it must not
    be called while a SQLite connection of this process may hold a lock on that file.
    """
    document = Path(document).absolute()
    real = resolved(document)
    for lock_file in dict.fromkeys((lock_path(real), lock_path(document))):
        holder = _holder_in(lock_file)
        if holder is not None:
            return holder
    try:
        info = os.stat(real)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    here = _HELD_HERE.get(_identity(info))
    if here is not None:
        return here
    if not ownerlock.supported():
        return None
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        held = ownerlock.is_held(fd)
    finally:
        os.close(fd)
    if not held:
        return None
    return _holder_by_identity(real.parent, _identity(info)) or _ELSEWHERE


def in_use_error(document: Path, holder: Holder) -> DocumentInUse:
    return DocumentInUse(
        f"“{document.name}” is open in {holder.describe()}.",
        "Close it there first, or open it read-only.",
        path=document,
        holder=holder.describe(),
    )


def _take_holder_file(document: Path, path: Path) -> int:
    """Open and ``flock`` the holder file, or raise ``DocumentInUse`` naming who holds it."""
    deadline = time.monotonic() + _RETRY_SECONDS
    for _ in range(100):
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        if not _try_lock(fd, exclusive=True):
            holder = _read_holder(fd) or _UNREADABLE_HOLDER
            os.close(fd)
            if time.monotonic() < deadline:
                time.sleep(0.005)
                continue
            raise in_use_error(document, holder)
        # The previous holder (or a sweep) may have removed the file between our open and our lock:
        # make sure the file we locked is still the one at the path, or try again.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)
    raise in_use_error(document, _UNREADABLE_HOLDER)  # pragma: no cover - a folder never settling


def _take_owner_lock(document: Path, real: Path) -> int | None:
    """Hold the owner lock on the document file itself; None where there is no file or no lock.

    Raises ``DocumentInUse`` when another editor holds the file under another name.
    """
    if not ownerlock.supported():
        return None
    try:
        fd = os.open(real, os.O_RDWR | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None  # Save As to a new name: the lock comes with the file (``adopt``)
    except PermissionError:
        # The lock needs a writable descriptor. Such a file opens read-only; an upgrade, which
        # may still replace it, is guarded by the holder file alone.
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        deadline = time.monotonic() + _RETRY_SECONDS
        while (taken := ownerlock.take(fd)) is False and time.monotonic() < deadline:
            time.sleep(0.005)
    except BaseException:
        os.close(fd)
        raise
    if taken is None:
        os.close(fd)
        return None
    if taken is False:
        identity = _identity(os.fstat(fd))
        os.close(fd)
        holder = _HELD_HERE.get(identity) or _holder_by_identity(real.parent, identity)
        raise in_use_error(document, holder or _ELSEWHERE)
    return fd


class DocumentLock:
    """An exclusive claim on a document for as long as this object is held (or until release).

    ``document`` is the path as given; ``target`` is the resolved file that saves replace.
    """

    def __init__(self, document: Path, target: Path, holder_fd: int, owner_fd: int | None) -> None:
        self.document = document
        self.target = target
        self._holder_fd: int | None = holder_fd
        self._owner_fd = owner_fd
        self._path = lock_path(target)
        self._identity: tuple[int, int] = (0, 0)

    @classmethod
    def acquire(cls, document: Path) -> DocumentLock:
        """Take the lock or raise ``DocumentInUse`` naming the holder.

        Raises ``OSError`` when the folder is not writable; such documents open read-only.
        """
        document = Path(document).absolute()
        real = resolved(document)
        holder_fd = _take_holder_file(document, lock_path(real))
        try:
            owner_fd = _take_owner_lock(document, real)
        except BaseException:
            cls._drop_holder_file(holder_fd, lock_path(real))
            raise
        lock = cls(document, real, holder_fd, owner_fd)
        try:
            lock._note_identity()
            lock._write_holder()
        except BaseException:
            lock.release()  # e.g. a full disk: leave no empty lock file behind
            raise
        return lock

    def _note_identity(self) -> None:
        _HELD_HERE.pop(self._identity, None)
        self._identity = (0, 0)
        with contextlib.suppress(OSError):
            if self._owner_fd is not None:
                self._identity = _identity(os.fstat(self._owner_fd))
            elif sys.platform != "win32":
                self._identity = _identity(os.stat(self.target))
        if self._identity != (0, 0):
            _HELD_HERE[self._identity] = _this_holder(self._identity)

    def _write_holder(self) -> None:
        assert self._holder_fd is not None
        text = json.dumps(asdict(_this_holder(self._identity))).encode("utf-8")
        # Overwrite in place, then cut: a full disk never leaves an empty holder file behind a save.
        os.lseek(self._holder_fd, 0, os.SEEK_SET)
        if os.write(self._holder_fd, text) != len(text):
            raise OSError(errno.ENOSPC, "short write")
        os.ftruncate(self._holder_fd, len(text))
        os.fsync(self._holder_fd)

    def adopt(self, owner_fd: int | None) -> None:
        """The document was just replaced by the file ``owner_fd`` holds the owner lock on.

        Keep that lock and drop the old file's (the new file held it before it took the name).
        """
        old, self._owner_fd = self._owner_fd, owner_fd
        if old is not None:
            os.close(old)  # the replaced file: no SQLite connection of ours is open on it
        self._note_identity()
        try:
            self._write_holder()
        except OSError as error:  # the save itself succeeded; the holder text names the old inode
            log.warning("could not update the holder of %s: %s", self.target, error)

    @staticmethod
    def _drop_holder_file(fd: int, path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)

    def release(self) -> None:
        if self._holder_fd is None:
            return
        _HELD_HERE.pop(self._identity, None)
        self._drop_holder_file(self._holder_fd, self._path)
        self._holder_fd = None
        if self._owner_fd is not None:
            os.close(self._owner_fd)
            self._owner_fd = None

    def __enter__(self) -> DocumentLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def _document_of(lock_file: Path) -> Path:
    """The document a holder file ``.~lock.NAME#`` is for: NAME beside it."""
    return lock_file.with_name(lock_file.name.removeprefix(".~lock.").removesuffix("#"))


def _is_samplebook_document(path: Path) -> bool:
    """Whether ``path`` starts like a Samplebook document (SQLite header, our application id).

    Opening and closing the file drops this process's SQLite locks on it (see ``holder_of``);
    it is only read for a holder file found empty, which no live editor leaves.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(72)
    except OSError:
        return False
    return header.startswith(b"SQLite format 3\x00") and header[68:72] == APPLICATION_ID.to_bytes(
        4, "big"
    )


def remove_if_stale(lock_file: Path) -> bool:
    """Delete a holder file that a Samplebook process on this host left behind when it ended.

    Only a regular file whose text names a Samplebook holder on this host, and whose lock nobody
    holds; it is deleted while locked, so an editor taking it at the same time starts afresh.
    """
    if sys.platform == "win32":  # pragma: no cover - a locked file cannot be deleted there
        return False
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(lock_file, flags)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode) or not _try_lock(fd, exclusive=True):
            return False
        if os.fstat(fd).st_size == 0:
            # A Samplebook killed between creating its holder file and writing it: nothing names
            # the holder, so the document beside it must show the file is ours.
            if not _is_samplebook_document(_document_of(lock_file)):
                return False
            lock_file.unlink()
            return True
        holder = _read_holder(fd)
        if holder is None or holder.host != socket.gethostname():
            return False
        if not holder.app.startswith(f"{APP_NAME} "):
            return False
        lock_file.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
