"""Helpers for document-layer tests: crafted files and byte-for-byte folder snapshots."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.document import create


def folder_state(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with a hash of its bytes: equal snapshots = nothing written."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def new_document(tmp_path: Path) -> Callable[..., Path]:
    """Create a current document (through the migrations) in ``tmp_path``."""

    def make(name: str = "Notes.db", title: str = "Notes") -> Path:
        return create(tmp_path / name, title)

    return make


def execute(path: Path, *statements: str) -> None:
    """Change a file behind Samplebook's back, as another program would."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def dump(path: Path) -> list[str]:
    """The database's content as SQL (the backup API rewrites header counters, not content)."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


_HOLD_LOCK = (
    "import sys; from pathlib import Path; from app.document.locking import DocumentLock;"
    "lock = DocumentLock.acquire(Path(sys.argv[1])); print('held', flush=True); sys.stdin.read()"
)


@contextmanager
def lock_held_elsewhere(path: Path) -> Iterator[int]:
    """Another process holds ``path``'s document lock while the block runs; yields its pid."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()


# --------------------------------------------------------------------------------------------------
# Other Samplebook processes: editors, and the temporaries they leave behind


_EDIT = """
import sys
from pathlib import Path
from app.document import DocumentError, open_document
try:
    document = open_document(Path(sys.argv[1]))
except DocumentError as error:
    print("refused", error.message, flush=True)
    raise SystemExit(0)
print("open", flush=True)
for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    if command == "save":
        with document.transaction() as connection:
            connection.execute("UPDATE document_info SET title = ?", (argument,))
        document.save()
    elif command == "save_as":
        document.save_as(Path(argument))
    print("ok", flush=True)
"""


class Editor:
    """Another Samplebook process with a document open for editing (see ``editing_elsewhere``)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.pid = process.pid

    def command(self, line: str) -> None:
        """Run one command (``save TITLE`` or ``save_as PATH``) and wait until it is done."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "ok"


def start_editor(path: Path) -> tuple[subprocess.Popen[str], str]:
    """Start a process that opens ``path`` for editing; returns it and its first line of output."""
    process = subprocess.Popen(
        [sys.executable, "-c", _EDIT, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


@contextmanager
def editing_elsewhere(path: Path) -> Iterator[Editor]:
    """Another process edits ``path`` while the block runs."""
    process, first = start_editor(path)
    try:
        assert first == "open", first
        yield Editor(process)
    finally:
        process.kill()
        process.wait()


def dead_pid() -> int:
    """The id of a process that has just ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def plant_temporary(
    folder: Path,
    *,
    name: str = "Notes.db",
    purpose: str = "save",
    pid: int | None = None,
    host: str | None = None,
    content: bytes = b"SQLite format 3\x00" + bytes(84),
) -> Path:
    """A file named like a temporary of process ``pid`` (default: one that has ended), unlocked.

    That is exactly what a killed Samplebook leaves behind: its lock went with it.
    """
    from app.document.temporaries import SUFFIX, this_host  # noqa: PLC0415

    pid = dead_pid() if pid is None else pid
    path = folder / f".{name}.{purpose}.{pid}@{host or this_host()}.0123abcd{SUFFIX}"
    path.write_bytes(content)
    return path


_HOLD_TEMPORARY = (
    "import sys; from pathlib import Path; from app.document.temporaries import Temporary;"
    "t = Temporary.beside(Path(sys.argv[1]), 'save'); print(t.path, flush=True); sys.stdin.read()"
)


@contextmanager
def temporary_held_elsewhere(target: Path) -> Iterator[Path]:
    """A live process holds a temporary beside ``target``; yields the temporary's path."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_TEMPORARY, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        yield Path(holder.stdout.readline().strip())
    finally:
        holder.kill()
        holder.wait()


def leftovers(folder: Path) -> list[str]:
    """Samplebook temporaries and lock files in ``folder`` (what a sweep may have to remove)."""
    from app.document.temporaries import parse_name  # noqa: PLC0415

    return sorted(
        path.name
        for path in folder.iterdir()
        if parse_name(path.name) is not None or path.name.startswith(".~lock.")
    )
