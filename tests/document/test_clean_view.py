"""A document changed outside Samplebook opens read-only, as the clean copy of it.

Nothing of the file's own (triggers, views, extra columns) is ever in the working copy, so nothing
the app reads or writes there can run it; "Save a Clean Copy" is then a Save As of that copy.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document import CannotWrite, DocumentDamaged, State, inspect, open_document
from app.document.releases import HEAD_RELEASE
from tests.document.conftest import execute, folder_state
from tests.document.test_repair import rows, tamper


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema_names(path: Path) -> set[str]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        return {str(row[0]) for row in connection.execute("SELECT name FROM sqlite_schema")}


def test_a_tampered_document_opens_read_only_as_its_clean_copy(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    clean = fixture_copy(HEAD_RELEASE)
    source = fixture_copy(HEAD_RELEASE)
    tamper(source)
    before = folder_state(source.parent)
    with open_document(source, read_only=True) as document:
        assert document.read_only
        assert document.read_only_reason == "it was changed outside Samplebook"
        assert document.clean_view is not None
        assert any("trigger 'wipe'" in what for what in document.clean_view.left_out)
        assert rows(document.work_path) == rows(clean)
        assert not {"wipe", "sqlite_stat9", "recent", "analyst_name"} & schema_names(
            document.work_path
        )
        with pytest.raises(CannotWrite), document.transaction():
            pass
        # Reloading reads the file again the same way.
        document.finish_revert(document.prepare_revert())
        assert document.clean_view is not None
        assert rows(document.work_path) == rows(clean)
    assert folder_state(source.parent) == before
    assert inspect(source).state is State.TAMPERED


def test_an_outdated_tampered_document_is_shown_at_head(
    fixture_copy: Callable[[str], Path],
) -> None:
    source = fixture_copy("1.1")
    execute(source, "CREATE VIEW everything AS SELECT * FROM sample")
    before = digest(source)
    with open_document(source, read_only=True) as document:
        assert document.clean_view is not None and document.clean_view.release == "1.1"
        assert inspect(document.work_path).state is State.CURRENT
    assert digest(source) == before


def test_saving_the_clean_copy_makes_an_editable_document(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    source = fixture_copy(HEAD_RELEASE)
    tamper(source)
    before = digest(source)
    target = tmp_path / "Clean.db"
    with open_document(source, read_only=True) as document:
        document.save_as(target)
        assert not document.read_only and document.clean_view is None
        with document.transaction() as connection:
            connection.execute(
                "UPDATE sample SET name = 'edited' WHERE id = (SELECT min(id) FROM sample)"
            )
        document.save()
    assert inspect(target).state is State.CURRENT
    assert digest(source) == before


def test_editing_a_tampered_document_is_still_refused(
    fixture_copy: Callable[[str], Path],
) -> None:
    source = fixture_copy(HEAD_RELEASE)
    tamper(source)
    with pytest.raises(DocumentDamaged, match="changed outside Samplebook"):
        open_document(source)


def test_a_file_replaced_behind_an_open_document_is_noticed(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    path = fixture_copy(HEAD_RELEASE)
    with open_document(path) as document:
        assert not document.changed_on_disk()
        with document.transaction() as connection:
            connection.execute("UPDATE document_info SET title = 'mine'")
        document.save()
        assert not document.changed_on_disk()  # its own save is not a change behind its back
        execute(path, "UPDATE sample SET name = 'theirs' WHERE id = (SELECT min(id) FROM sample)")
        assert document.changed_on_disk()
