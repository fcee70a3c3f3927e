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
