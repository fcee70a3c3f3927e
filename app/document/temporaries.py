"""Temporary files: ours by name, owned by a live process, swept once that process is gone.

Every temporary file Samplebook makes — beside a user's file (save, Save As, upgrade, backup, new,
export) or in its own cache folder (templates being built, upgraded export sources) — is created by
``Temporary`` and named::

    .{NAME}.{purpose}.{pid}@{host}.{token}.samplebook-tmp        e.g.
    .Notes.db.save.4242@lab-pc.9f2c1a7b.samplebook-tmp

NAME is the file it is for (cut to 100 bytes; for people), purpose says what it is for (``save``,
``upgrade``, ``backup``, ``new``, ``export``, ``source``, ``build``, ``repair``, ``restore``, ``table``, ``record``, ``downgrade``, ``older``), pid and host are the creating
process and its machine, token is random (two temporaries never share a name). SQLite may put
``-journal`` (or ``-wal``/``-shm``) beside it; those belong to it.

**Liveness.** The creator holds the owner lock (``app.document.ownerlock``) on the file from the
moment it exists until it is removed or has become the user's file. The kernel drops that lock when
the creator dies, so a sweeper that can take it knows the creator is gone — a process id alone could
not tell (ids are reused). The creator locks the file right after creating it (``O_EXCL``) and
writes nothing before; so an unlocked file with content is an orphan, and an unlocked *empty* one is
removed only once its process id is gone (its creator may be between the two steps). A sweeper
takes the lock *before* it deletes, so no creator can lock a file that is being removed; a creator
that finds its new file locked by a sweeper, or gone, removes it and starts again under a new name.

**The sweep** (``sweep(folder)``, run by every operation that writes into a folder) removes a
temporary with its companions only when all of these hold, and touches nothing else:

* its name follows the rule above exactly, and it is a regular file (never a link or a folder);
* it was made on this machine (a process on another host cannot be judged from here) and not by
  this process;
* it is empty or a SQLite database, possibly half-written (every temporary Samplebook makes is
  one, except ``table`` and ``record`` ones, which hold a .csv/.tsv/.xlsx or JSON being written; a database being copied
  may still have zeros where its header goes), so a user's file that merely looks similar is left
  alone;
* its owner lock is free and it has content — or, for an empty file and where owner locks are
  unavailable (another platform, a file system without them, a file this user may not open for
  writing), the creator's process id no longer exists. That fallback can only err on the side of
  keeping a file while its id is reused by another process.

A companion whose temporary is already gone is removed too (SQLite never makes one without it). Stale
document lock files (``.~lock.NAME#`` of a Samplebook process on this host that has ended) are
removed by the same sweep (see ``app.document.locking.remove_if_stale``).

Windows (untested in this project) has no owner locks; there a live creator's open handle makes
deletion fail, which the sweep takes as "alive".
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import socket
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.document import ownerlock
from app.document.files import fsync_folder, publish_new, replace_atomically

log = logging.getLogger(__name__)

SUFFIX = ".samplebook-tmp"
COMPANIONS = ("-journal", "-wal", "-shm")
_SQLITE_HEADER = b"SQLite format 3\x00"
#: The purpose of temporaries that hold a spreadsheet table being written, not a database.
TABLE_PURPOSE = "table"
#: The purpose of temporaries that hold a record of Samplebook's own (JSON), not a database.
RECORD_PURPOSE = "record"
#: Temporaries that are not databases: their owner lock alone proves them ours.
_NOT_DATABASES = (TABLE_PURPOSE, RECORD_PURPOSE)
_NAME_BYTES = 100

_PATTERN = re.compile(
    r"\.(?P<name>.*)\.(?P<purpose>[a-z]+)\.(?P<pid>[1-9][0-9]{0,9})@(?P<host>[A-Za-z0-9.-]{1,64})"
    r"\.(?P<token>[0-9a-f]{8})" + re.escape(SUFFIX) + r"(?P<companion>-journal|-wal|-shm)?",
    re.DOTALL,
)


def this_host() -> str:
    """The host name as it appears in temporary names (letters, digits, dots and dashes)."""
    host = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname()).strip(".")
    return host[:64] or "localhost"


@dataclass(frozen=True)
class TemporaryName:
    """What a temporary's name says about it."""

    purpose: str
    pid: int
    host: str
    companion: str  # "" for the temporary itself


def temporary_name(name: str, purpose: str) -> str:
    """A fresh name for a temporary file for ``name`` (see the module docstring)."""
    if not re.fullmatch(r"[a-z]+", purpose):
        raise ValueError(f"bad purpose {purpose!r}")
    short = name.encode("utf-8", "surrogateescape")[:_NAME_BYTES].decode("utf-8", "ignore")
    import secrets  # noqa: PLC0415 - start-up: it pulls hmac and OpenSSL's hashlib

    return f".{short}.{purpose}.{os.getpid()}@{this_host()}.{secrets.token_hex(4)}{SUFFIX}"


def parse_name(name: str) -> TemporaryName | None:
    """The parts of a temporary's name, or None when ``name`` does not follow the rule."""
    match = _PATTERN.fullmatch(name)
    if match is None:
        return None
    return TemporaryName(
        match["purpose"], int(match["pid"]), match["host"], match["companion"] or ""
    )


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.lstat(path))
    except FileNotFoundError:
        return False


def remove_quietly(path: Path) -> bool:
    """Delete ``path`` and SQLite's companions of it; failures are logged, never raised."""
    removed = False
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in COMPANIONS)):
        try:
            candidate.unlink()
            removed = True
        except FileNotFoundError:
            continue
        except OSError as error:
            log.warning("could not remove %s: %s", candidate, error)
    return removed


class Temporary:
    """A temporary file of this process, owned (locked) from the moment it exists.

    Use as a context manager: on the way out the file and its companions are removed unless it was
    published (``replace`` or ``publish_new``). SQLite connections to ``path`` must be closed
    before the ``with`` block ends (closing our descriptor drops this process's SQLite locks).
    """

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd
        self._published = False

    @classmethod
    def beside(cls, target: Path, purpose: str, *, mode: int = 0o644) -> Temporary:
        """An empty temporary in ``target``'s folder (so the final rename stays on one disk).

        ``mode`` is the permission it is created with (minus the umask). Raises ``OSError`` when
        the folder cannot be written.
        """
        folder = Path(target).parent
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        flags |= getattr(os, "O_NOFOLLOW", 0)
        for _ in range(20):
            path = folder / temporary_name(Path(target).name, purpose)
            fd = os.open(path, flags, mode)
            try:
                owned = ownerlock.take(fd)
                if owned is None or (owned and _same_file(fd, path)):
                    return cls(path, fd)
                # A sweeper is looking at the file (it holds the lock) or removed it before we
                # could lock it: let this one go and use another name.
                if _same_file(fd, path):
                    path.unlink(missing_ok=True)
            except BaseException:
                os.close(fd)
                remove_quietly(path)
                raise
            os.close(fd)
        raise OSError(errno.EEXIST, "could not create a temporary file", str(folder))

    def __enter__(self) -> Temporary:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def replace(self, target: Path) -> None:
        """Put this file in ``target``'s place in one step (fsync, rename, fsync the folder).

        The owner lock stays on the file, now ``target``: ``hand_over`` passes it on.
        """
        if sys.platform == "win32":  # pragma: no cover - an open file cannot be renamed there
            self._close_fd()
        # No SQLite connection of ours is open on the file now, so the extra descriptor that
        # fsyncs it cannot drop a lock SQLite relies on.
        replace_atomically(self.path, target)
        self._published = True

    def publish_new(self, target: Path) -> None:
        """Give this file the new name ``target``; ``DestinationExists`` if that name is taken."""
        if sys.platform == "win32":  # pragma: no cover
            self._close_fd()
        publish_new(self.path, target)
        self._published = True

    def hand_over(self) -> int | None:
        """After ``replace``: the descriptor that holds the owner lock, for the caller to keep."""
        fd, self._fd = self._fd, None
        return fd

    def _close_fd(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        """Remove the file unless it was published, then let go of the lock (in that order)."""
        if sys.platform == "win32":  # pragma: no cover - an open file cannot be deleted there
            self._close_fd()
        if not self._published:
            remove_quietly(self.path)
        self._close_fd()


@contextlib.contextmanager
def new_file(target: Path, purpose: str, *, overwrite: bool = False) -> Iterator[Path]:
    """A temporary beside ``target`` for the ``with`` block to write; it becomes ``target``.

    For files that are not documents (a table for a spreadsheet). The folder is swept first; when
    the block ends well the file takes ``target``'s name atomically (replacing it only when
    ``overwrite``, else ``DestinationExists``); otherwise nothing is left.
    """
    sweep(Path(target).parent)
    with Temporary.beside(target, purpose) as temporary:
        yield temporary.path
        if overwrite:
            temporary.replace(target)
        else:
            temporary.publish_new(target)


# -- the sweep ----------------------------------------------------------------------------------


def _process_gone(pid: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - signal 0 would terminate the process there
        return True  # deletion then fails while the creator holds the file open
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists (another user's)
    return False


def _looks_like_ours(fd: int, purpose: str) -> bool:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        return False
    if info.st_size == 0:
        return True
    os.lseek(fd, 0, os.SEEK_SET)
    start = os.read(fd, len(_SQLITE_HEADER))
    if purpose in _NOT_DATABASES:
        # A table (.csv/.tsv text, an .xlsx zip) or a record being written: its lock is the proof.
        return True
    # SQLite writes page 1 last when a big copy spills its cache early: until then it is zeros.
    return start in (_SQLITE_HEADER, bytes(len(_SQLITE_HEADER)))


def _open_for_judging(path: Path) -> tuple[int, bool]:
    """A descriptor of ``path`` (never following a link) and whether it can carry a lock."""
    flags = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        return os.open(path, os.O_RDWR | flags), True
    except PermissionError:
        return os.open(path, os.O_RDONLY | flags), False


def _remove_if_orphaned(path: Path, name: TemporaryName) -> bool:
    try:
        fd, writable = _open_for_judging(path)
    except OSError:
        return False  # gone already, a link, or not ours to read
    try:
        if not _looks_like_ours(fd, name.purpose):
            return False
        owned = ownerlock.take(fd) if writable else None
        if owned is False:
            return False  # its creator is alive
        # An empty file may be one whose creator has made it but not locked it yet; it writes
        # nothing before it holds the lock, so an unlocked file with content is an orphan.
        empty = os.fstat(fd).st_size == 0
        if (owned is None or empty) and not _process_gone(name.pid):
            return False
        # We hold its lock (or its process is gone): no creator can take it back now.
        if sys.platform == "win32":  # pragma: no cover
            os.close(fd)
            fd = -1
        return remove_quietly(path)
    finally:
        if fd >= 0:
            os.close(fd)


def sweep(folder: Path) -> list[Path]:
    """Remove the orphaned Samplebook temporaries in ``folder``; returns what was removed.

    Never raises: a folder that cannot be read or written is simply left as it is.
    """
    from app.document.locking import remove_if_stale  # noqa: PLC0415 - locking imports files

    folder = Path(folder)
    try:
        names = {entry.name: entry for entry in os.scandir(folder)}
    except OSError:
        return []
    removed: list[Path] = []
    host, me = this_host(), os.getpid()
    for entry_name, entry in names.items():
        if not entry_name.startswith("."):
            continue
        path = folder / entry_name
        try:
            if entry_name.startswith(".~lock.") and entry_name.endswith("#"):
                if remove_if_stale(path):
                    removed.append(path)
                continue
            parsed = parse_name(entry_name)
            if parsed is None or parsed.host != host or parsed.pid == me:
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            if parsed.companion:
                # Removed with its temporary below; alone, it belongs to nothing.
                if entry_name[: -len(parsed.companion)] not in names:
                    with contextlib.suppress(OSError):
                        path.unlink()
                        removed.append(path)
                continue
            if _remove_if_orphaned(path, parsed):
                removed.append(path)
        except OSError as error:  # pragma: no cover - a folder changing under us
            log.warning("could not judge %s: %s", path, error)
    if removed:
        log.info("removed what ended Samplebook processes left behind: %s", removed)
        with contextlib.suppress(OSError):
            fsync_folder(folder)
    return removed
