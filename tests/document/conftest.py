"""Helpers for document-layer tests: crafted files and byte-for-byte folder snapshots."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
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
