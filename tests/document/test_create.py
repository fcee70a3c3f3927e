"""New documents come from the migrations (through a checked template) and are written atomically."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document import DestinationExists, State, create, inspect, upgrade
from app.document.create import ensure_template, template_path
from app.document.schema import snapshot
from tests.document.conftest import execute


def schema_of(path: Path) -> list[tuple[str, str, str, str]]:
    connection = sqlite3.connect(path)
    try:
        return snapshot(connection)
    finally:
        connection.close()


def test_new_and_upgraded_documents_have_identical_schemas(
    tmp_path: Path, fixture_copy: Callable[[str], Path]
) -> None:
    made = create(tmp_path / "new.db", "New")
    upgraded = fixture_copy("1.0")
    upgrade(upgraded, backup=False)
    assert schema_of(made) == schema_of(upgraded)


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "taken.db"
    path.write_text("precious")
    with pytest.raises(DestinationExists):
        create(path, "x")
    assert path.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.db"]


def test_create_over_an_empty_file_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    create(path, "Made from empty", overwrite=True)
    found = inspect(path)
    assert (found.state, found.title) == (State.CURRENT, "Made from empty")


def test_damaged_template_is_rebuilt(tmp_path: Path) -> None:
    ensure_template()
    execute(template_path(), "CREATE TABLE sneaky (x)")
    create(tmp_path / "a.db")
    assert inspect(tmp_path / "a.db").state is State.CURRENT
    template_path().write_bytes(b"garbage")
    create(tmp_path / "b.db")
    assert inspect(tmp_path / "b.db").state is State.CURRENT


def test_created_documents_are_independent(tmp_path: Path) -> None:
    first = create(tmp_path / "one.db", "One")
    second = create(tmp_path / "two.db", "Two")
    execute(first, "INSERT INTO sample (code, name) VALUES ('S-1', 'x')")
    assert inspect(second).counts is not None
    assert inspect(second).counts.samples == 0  # type: ignore[union-attr]
    assert inspect(first).title == "One" and inspect(second).title == "Two"


def test_every_created_document_has_an_identity_of_its_own(tmp_path: Path) -> None:
    """Documents are copies of one template: each must still get its own id (what exports name)."""
    ids = set()
    for name in ("a.db", "b.db", "c.db"):
        path = create(tmp_path / name)
        with closing(sqlite3.connect(path)) as connection:
            (document_id,) = connection.execute("SELECT document_id FROM document_info").fetchone()
        ids.add(document_id)
    with closing(sqlite3.connect(template_path())) as connection:
        (template_id,) = connection.execute("SELECT document_id FROM document_info").fetchone()
    assert len(ids) == 3 and template_id not in ids
