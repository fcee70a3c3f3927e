"""The owner lock: one locked byte that says "a live Samplebook process owns this file".

Two things rest on it: the editor of a document holds it on the document file itself (so every name
of that file — symlink, hard link, ``..``, bind mount — meets the same lock, because it belongs to the
inode, not to a path), and the creator of a temporary file holds it on that file (so a sweeper can
tell a live process's temporary from an orphan, whatever became of the creator's process id).

Why this kind of lock (verified on Linux 6.x, ext4):

* It is an open-file-description ("OFD") write lock on the single byte ``OWNER_BYTE``, far from the
  bytes SQLite locks (``0x40000000`` onwards, 512 bytes), so it never conflicts with SQLite's own
  locks, in this process or any other: another process's SQLite reads and writes the file as usual.
* It belongs to the open file, not to the process, so the POSIX rule "closing any descriptor of a file
  drops all of this process's fcntl locks on it" does not drop it, and SQLite opening and closing its
  own descriptors does not either. The kernel drops it when the last descriptor of that open file is
  closed — at the latest when the process dies, however it dies — so it cannot outlive its owner and
  process-id reuse cannot fake it.
* Unlike ``flock``, which Linux emulates over NFS as a POSIX lock on the *whole* file (and which would
  then collide with SQLite's locks, even this process's own), a byte-range lock behaves the same on
  local disks and on NFS.
* ``F_OFD_GETLK`` tells whether someone holds it without taking anything, so looking never disturbs.

The other direction of the POSIX rule still applies to code that uses this module: opening and then
closing a descriptor of a file drops *SQLite's* (classic fcntl) locks of this process on that file.
So the descriptor that carries the owner lock is opened once and kept for the lock's lifetime, and
no probe may open a file that a SQLite connection of this process may hold a lock on.

Elsewhere (Windows, macOS, kernels before 3.15) there are no OFD locks: ``supported()`` is False,
``take`` and ``is_held`` answer ``None`` ("cannot tell") and callers fall back to what a path or a
process id can prove. Those platforms are untested in this project.
"""

from __future__ import annotations

import errno
import os
import struct
import sys

#: The byte that is locked ("SB" in the high bytes): past SQLite's lock bytes, below 2 GiB so that
#: 32-bit lock protocols (old NFS lock managers) can carry it.
OWNER_BYTE = 0x5342_0000

# struct flock on 64-bit Linux: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid
# (l_pid must be 0 for OFD locks), padded to 32 bytes.
_FLOCK = "hhqqi4x"

#: Errors meaning "this file system or kernel cannot do OFD locks" rather than "someone holds it".
_UNSUPPORTED = {errno.EINVAL, errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS}

if sys.platform == "linux":
    import fcntl

    _SUPPORTED = hasattr(fcntl, "F_OFD_SETLK") and struct.calcsize("P") == 8
else:  # pragma: no cover - untested platforms
    _SUPPORTED = False


def supported() -> bool:
    """Whether this platform has owner locks at all (a file system may still refuse them)."""
    return _SUPPORTED


def _request(lock_type: int) -> bytes:
    return struct.pack(_FLOCK, lock_type, os.SEEK_SET, OWNER_BYTE, 1, 0)


def take(fd: int) -> bool | None:
    """Lock the owner byte of the file open as ``fd`` (opened for writing), without waiting.

    True: this open file holds it now. False: another open file (another process, or another
    descriptor of this one) holds it. None: owner locks are not available here.
    """
    if not _SUPPORTED:
        return None
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _request(fcntl.F_WRLCK))
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES):
            return False
        if error.errno in _UNSUPPORTED:
            return None
        raise
    return True


def is_held(fd: int) -> bool | None:
    """Whether any other open file holds the owner byte of ``fd``'s file; None when it cannot tell.

    Takes nothing, so it never makes a concurrent ``take`` fail. ``fd`` may be read-only.
    """
    if not _SUPPORTED:
        return None
    try:
        answer = fcntl.fcntl(fd, fcntl.F_OFD_GETLK, _request(fcntl.F_WRLCK))
    except OSError as error:
        if error.errno in _UNSUPPORTED:
            return None
        raise
    return bool(struct.unpack(_FLOCK, answer)[0] != fcntl.F_UNLCK)
