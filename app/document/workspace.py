"""Working-copy folders: one per open document, in the user state folder, owned while open.

Each folder holds ``work.db`` (the working copy), ``session.json`` (what it is a copy of, whether it
has unsaved changes) and ``owner.lock``, which the owning process keeps locked: a folder whose lock
nobody holds belongs to a process that has ended (its work can be recovered). The folders are 0700
and their files 0600: they hold copies of users' documents.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sys
from pathlib import Path

from app.paths import make_private, state_dir

if sys.platform != "win32":
    import fcntl


def workspaces_folder() -> Path:
    folder = state_dir() / "open"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Workspace:
    """One working-copy folder, claimed by this process for as long as it is open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._owner_fd: int | None = None

    @classmethod
    def new(cls) -> Workspace:
        import secrets  # noqa: PLC0415 - start-up: it pulls hmac and OpenSSL's hashlib

        folder = workspaces_folder() / f"{datetime.date.today():%Y%m%d}-{secrets.token_hex(6)}"
        folder.mkdir(parents=True, mode=0o700)
        workspace = cls(folder)
        if not workspace.claim():  # pragma: no cover - the folder name is fresh
            raise RuntimeError(f"Could not claim new working folder {folder}")
        # Made empty and private before SQLite fills it (SQLite would create it 0644).
        os.close(os.open(workspace.work, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return workspace

    @property
    def work(self) -> Path:
        return self.folder / "work.db"

    @property
    def session_file(self) -> Path:
        return self.folder / "session.json"

    def claim(self) -> bool:
        """Lock ``owner.lock``; False when a live process owns this folder."""
        fd = os.open(self.folder / "owner.lock", os.O_RDWR | os.O_CREAT, 0o600)
        if sys.platform == "win32":
            import msvcrt  # noqa: PLC0415

            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                os.close(fd)
                return False
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
        self._owner_fd = fd
        self.make_private()
        return True

    def make_private(self) -> None:
        """The folder 0700, its files 0600 (copies of a user's document and what they are of)."""
        make_private(self.folder)
        for name in ("work.db", "work.db-journal", "session.json", "owner.lock"):
            make_private(self.folder / name, 0o600)

    def read_session(self) -> dict[str, object]:
        try:
            data = json.loads(self.session_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_session(self, **values: object) -> None:
        data = self.read_session() | values
        temporary = self.session_file.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=1))
        os.replace(temporary, self.session_file)

    def release_claim(self) -> None:
        if self._owner_fd is not None:
            os.close(self._owner_fd)
            self._owner_fd = None

    def remove(self) -> None:
        if self._owner_fd is not None:
            os.close(self._owner_fd)
            self._owner_fd = None
        shutil.rmtree(self.folder, ignore_errors=True)
