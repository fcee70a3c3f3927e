"""Every state ``inspect`` can report, each from a crafted file; inspecting never writes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from app import __version__
from app.document import State, inspect
from app.document.releases import APPLICATION_ID, HEAD_RELEASE, HEAD_REVISION, RELEASE_OF_REVISION
from tests.document.conftest import execute, folder_state, lock_held_elsewhere


def inspect_without_writing(path: Path) -> State:
    before = folder_state(path.parent) if path.parent.exists() else {}
    found = inspect(path)
    assert folder_state(path.parent) == before if path.parent.exists() else True
    assert found.message, "every state has a sentence for people"
    return found.state


def test_missing_is_never_created(tmp_path: Path) -> None:
    path = tmp_path / "nope.db"
    assert inspect_without_writing(path) is State.MISSING
    assert not path.exists()


def test_folder_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    found = inspect(folder)
    assert found.state is State.UNREADABLE
    assert "folder" in found.message


def test_fifo_is_unreadable_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    assert inspect(fifo).state is State.UNREADABLE


@pytest.mark.permissions
def test_no_permission_is_unreadable(new_document: Callable[..., Path]) -> None:
    path = new_document()
    before = folder_state(path.parent)
    path.chmod(0)
    try:
        found = inspect(path)
        assert [p.name for p in path.parent.iterdir()] == [path.name]
    finally:
        path.chmod(0o644)  # to compare its bytes (and so the test folder can be removed)
    assert found.state is State.UNREADABLE and found.message
    assert folder_state(path.parent) == before


def test_zero_bytes_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert inspect_without_writing(path) is State.EMPTY


@pytest.mark.parametrize(
    "content",
    [b"name,code\nx,1\n", b"\x89PNG\r\n\x1a\n" + bytes(200), os.urandom(4096), b"SQLite format"],
)
def test_other_files_are_not_sqlite(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.db"
    path.write_bytes(content)
    assert inspect_without_writing(path) is State.NOT_SQLITE


def test_header_only_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "short.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(84))
    assert inspect_without_writing(path) is State.CORRUPT


def test_truncated_document_is_corrupt(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy(HEAD_RELEASE)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    assert inspect_without_writing(path) is State.CORRUPT


def test_damaged_index_is_corrupt(new_document: Callable[..., Path]) -> None:
    """Only integrity_check notices an index that disagrees with its table."""
    path = new_document()
    execute(
        path,
        "INSERT INTO sample (id, code, name) VALUES (1, 'S-1', 'one'), (2, 'S-2', 'two')",
        "PRAGMA writable_schema = ON",
    )
    # Point the unique index at nothing by swapping the table's rows behind its back.
    connection = sqlite3.connect(path, isolation_level=None)
    root = connection.execute(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'sample'"
    ).fetchone()[0]
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    page = data[start : start + page_size]
    data[start : start + page_size] = page.replace(b"S-1", b"S-9")
    path.write_bytes(bytes(data))
    found = inspect(path)
    assert found.state is State.CORRUPT
    assert found.problems


def test_other_programs_database_is_foreign(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    execute(path, "CREATE TABLE person (name TEXT)", "INSERT INTO person VALUES ('Ana')")
    found_state = inspect_without_writing(path)
    assert found_state is State.FOREIGN
    execute(path, "PRAGMA application_id = 42")
    assert inspect_without_writing(path) is State.FOREIGN


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("CREATE TRIGGER t AFTER INSERT ON sample BEGIN SELECT 1; END", "extra trigger 't'"),
        ("CREATE VIEW v AS SELECT * FROM sample", "extra view 'v'"),
        ("CREATE TABLE extra (x)", "extra table 'extra'"),
        ("DROP INDEX ix_measurement_sample_id", "missing index 'ix_measurement_sample_id'"),
        ("DELETE FROM alembic_version", "no schema revision"),
        ("ALTER TABLE sample ADD COLUMN secret TEXT", "changed table 'sample'"),
    ],
)
def test_foreign_schema_objects_are_tampered(
    new_document: Callable[..., Path], change: str, problem: str
) -> None:
    path = new_document()
    execute(path, change)
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert problem in found.message or problem in found.problems


def test_the_hidden_stat_trigger_of_issue_8_is_tampered(
    fixture_copy: Callable[[str], Path],
) -> None:
    """A trigger named like ANALYZE's tables, inserted with writable_schema, is not SQLite's."""
    path = fixture_copy(HEAD_RELEASE)
    execute(
        path,
        "PRAGMA writable_schema = ON",
        "INSERT INTO sqlite_schema VALUES('trigger', 'sqlite_stat9', 'document_info', 0, "
        "'CREATE TRIGGER sqlite_stat9 AFTER UPDATE ON document_info "
        "BEGIN UPDATE measurement SET value = -1 WHERE value IS NOT NULL; END')",
    )
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert found.problems == ["extra trigger 'sqlite_stat9'"]
    assert found.repairable


def test_an_extra_index_says_how_to_repair_and_offers_no_backup_that_does_not_exist(
    new_document: Callable[..., Path],
) -> None:
    """What DB Browser or an analyst adds: refused for editing, but the way out is named."""
    path = new_document()
    execute(path, "CREATE INDEX by_value ON measurement (value)")
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert found.problems == ["extra index 'by_value'"]
    assert found.repairable and found.as_json()["repairable"] is True
    assert "read-only" in found.next_step
    assert "File → Save a Clean Copy…" in found.next_step
    assert "samplebook-doc repair Notes.db Notes-clean.db" in found.next_step
    assert "backup" not in found.next_step


def test_restoring_a_backup_is_advised_only_when_there_is_one(
    new_document: Callable[..., Path],
) -> None:
    from app.document import backup  # noqa: PLC0415

    path = new_document()
    backup(path)
    execute(path, "CREATE VIEW everything AS SELECT * FROM sample")
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert "Save a Clean Copy" in found.next_step
    assert "restore the most recent backup" in found.next_step


def test_damaged_documents_of_ours_are_repairable_and_others_are_not(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    ours = fixture_copy(HEAD_RELEASE)
    data = ours.read_bytes()
    ours.write_bytes(data[: len(data) // 2 + 100])
    found = inspect(ours)
    assert (found.state, found.repairable) == (State.CORRUPT, True)
    assert found.next_step.startswith("Save a clean copy of what can still be read")
    assert "backup" not in found.next_step
    theirs = tmp_path / "short.db"
    theirs.write_bytes(b"SQLite format 3\x00" + bytes(84))
    found = inspect(theirs)
    assert (found.state, found.repairable) == (State.CORRUPT, False)
    assert found.next_step == "Choose another file."


@pytest.mark.parametrize("state", ["current", "outdated", "foreign", "newer"])
def test_only_damaged_or_changed_documents_are_repairable(
    state: str, new_document: Callable[..., Path], fixture_copy: Callable[[str], Path]
) -> None:
    path = fixture_copy("1.0") if state == "outdated" else new_document()
    if state == "foreign":
        execute(path, "PRAGMA application_id = 42")
    if state == "newer":
        execute(path, "UPDATE alembic_version SET version_num = 'f00dfeed2300'")
    found = inspect(path)
    assert found.state.value == state
    assert found.repairable is False
    assert found.as_json()["repairable"] is False


def _dump_round_trip(source: Path, target: Path) -> None:
    """``sqlite3 source .dump | sqlite3 target``, with the sqlite3 shell when there is one."""
    shell = shutil.which("sqlite3")
    if shell is not None:
        dumped = subprocess.run(
            [shell, str(source), ".dump"], capture_output=True, check=True
        ).stdout
        subprocess.run([shell, str(target)], input=dumped, check=True)
        return
    connection = sqlite3.connect(source)
    script = "\n".join(connection.iterdump())
    connection.close()
    copy = sqlite3.connect(target)
    copy.executescript(script)
    copy.close()


@pytest.mark.parametrize("release", [HEAD_RELEASE, "1.0"])
def test_a_dump_round_trip_lost_only_the_mark(
    fixture_copy: Callable[[str], Path], tmp_path: Path, release: str
) -> None:
    source = fixture_copy(release)
    copy = tmp_path / "copy.db"
    _dump_round_trip(source, copy)
    with open(copy, "rb") as handle:
        assert handle.read(72)[68:72] == bytes(4), "the dump does not keep application_id"
    before = folder_state(tmp_path)
    found = inspect(copy)
    assert folder_state(tmp_path) == before
    assert found.state is State.TAMPERED
    assert "lost Samplebook's mark" in found.message
    assert ".dump" in found.message
    assert found.repairable
    assert found.release == release
    original = inspect(source)
    assert found.counts == original.counts and found.title == original.title


def test_our_tables_under_another_programs_id_or_with_changes_stay_foreign(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    claimed = fixture_copy(HEAD_RELEASE)
    execute(claimed, "PRAGMA application_id = 42")
    assert inspect(claimed).state is State.FOREIGN
    changed = fixture_copy(HEAD_RELEASE)
    execute(changed, "PRAGMA application_id = 0", "CREATE TABLE notes (x)")
    assert inspect(changed).state is State.FOREIGN
    alembic_user = tmp_path / "other-app.db"
    execute(
        alembic_user,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')",
        "CREATE TABLE person (name TEXT)",
    )
    assert inspect(alembic_user).state is State.FOREIGN


def test_statistics_and_sqlite_sequence_are_not_schema(new_document: Callable[..., Path]) -> None:
    """ANALYZE's sqlite_stat1, and the sqlite_sequence an AUTOINCREMENT table leaves behind."""
    path = new_document()
    execute(
        path,
        "INSERT INTO sample (id, code, name) VALUES (1, 'S-1', 'one'), (2, 'S-2', 'two')",
        "ANALYZE",
        "CREATE TABLE scratch (id INTEGER PRIMARY KEY AUTOINCREMENT)",
        "INSERT INTO scratch DEFAULT VALUES",
        "DROP TABLE scratch",
    )
    connection = sqlite3.connect(path)
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_schema")}
    connection.close()
    assert {"sqlite_stat1", "sqlite_sequence"} <= names
    assert inspect_without_writing(path) is State.CURRENT


def test_storage_settings_are_not_schema(new_document: Callable[..., Path]) -> None:
    path = new_document()
    execute(
        path,
        "PRAGMA user_version = 7",
        "PRAGMA page_size = 8192",
        "PRAGMA auto_vacuum = FULL",
        "VACUUM",
    )
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA page_size").fetchone()[0] == 8192
    assert connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 1
    connection.close()
    assert inspect_without_writing(path) is State.CURRENT


def test_sqlite_stat4_as_a_stat4_build_makes_it_is_allowed(
    new_document: Callable[..., Path],
) -> None:
    """This build has no SQLITE_ENABLE_STAT4; a document analysed by one elsewhere is still good."""
    path = new_document()
    execute(
        path,
        "PRAGMA writable_schema = ON",  # lets this build create the table as a STAT4 build does
        "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
        "PRAGMA writable_schema = OFF",
        "ANALYZE",
    )
    assert inspect(path).state is State.CURRENT


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE sqlite_stat1(tbl,idx,stat,extra)",
        "CREATE TABLE sqlite_stat1(tbl TEXT,idx,stat)",
        "create table sqlite_stat1(tbl,idx,stat)",  # SQLite itself never stores it in lower case
    ],
)
def test_sqlite_tables_in_any_other_form_are_tampered(
    new_document: Callable[..., Path], sql: str
) -> None:
    path = new_document()
    execute(
        path,
        "PRAGMA writable_schema = ON",
        "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
        f"UPDATE sqlite_schema SET sql = '{sql}' WHERE name = 'sqlite_stat1'",
    )
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert found.problems == ["extra table 'sqlite_stat1'"]


def test_text_that_is_not_utf8_is_corrupt_not_an_error(new_document: Callable[..., Path]) -> None:
    """SQLite's error message then holds bytes Python cannot decode (UnicodeDecodeError)."""
    path = new_document()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute(
        "INSERT INTO sqlite_schema VALUES ('trigger', CAST(? AS TEXT), 'nosuch', 0, CAST(? AS TEXT))",
        (b"\xff\x41", b"CREATE TRIGGER \xff\x41 AFTER UPDATE ON nosuch BEGIN SELECT 1; END"),
    )
    connection.close()
    found = inspect(path)
    assert found.state is State.CORRUPT
    assert found.repairable
    assert "UTF-8" in found.problems[0]


def test_a_loadable_object_with_a_name_that_is_not_utf8_is_tampered(
    new_document: Callable[..., Path],
) -> None:
    path = new_document()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute(
        "INSERT INTO sqlite_schema VALUES ('trigger', CAST(? AS TEXT), 'sample', 0, CAST(? AS TEXT))",
        (b"t\xff", b'CREATE TRIGGER "t\xff" AFTER UPDATE ON sample BEGIN SELECT 1; END'),
    )
    connection.close()
    found = inspect(path)
    assert found.state is State.TAMPERED
    assert found.problems == ["extra trigger 't\\udcff'"]


def test_unknown_revision_is_newer_and_names_the_version(
    new_document: Callable[..., Path],
) -> None:
    path = new_document()
    execute(
        path,
        "UPDATE alembic_version SET version_num = 'f00dfeed2300'",
        "UPDATE document_info SET saved_by_version = '2.3.0'",
    )
    found = inspect(path)
    assert found.state is State.NEWER
    assert found.saved_by == "2.3.0"
    assert "Samplebook 2.3.0" in found.message
    assert f"this is Samplebook {__version__}" in found.message


def test_a_newer_document_whose_info_table_changed_is_still_newer(
    new_document: Callable[..., Path],
) -> None:
    path = new_document()
    execute(
        path,
        "UPDATE alembic_version SET version_num = 'f00dfeed2300'",
        "ALTER TABLE document_info RENAME COLUMN saved_by_version TO saved_by",
    )
    found = inspect(path)
    assert (found.state, found.title) == (State.NEWER, None)
    assert "a newer Samplebook" in found.message


@pytest.mark.parametrize("saved_by", [__version__, "1.0", None, "not a version"])
def test_unknown_revision_without_a_newer_version_says_a_newer_samplebook(
    new_document: Callable[..., Path], saved_by: str | None
) -> None:
    path = new_document()
    execute(path, "UPDATE alembic_version SET version_num = 'f00dfeed2300'")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("UPDATE document_info SET saved_by_version = ?", (saved_by,))
    connection.close()
    found = inspect(path)
    assert found.state is State.NEWER
    assert found.message == (
        f"“Notes.db” was saved by a newer Samplebook (its format is unknown to {__version__}); "
        "this Samplebook cannot edit it."
    )


@pytest.mark.parametrize("release", [r for r in RELEASE_OF_REVISION.values() if r != HEAD_RELEASE])
def test_older_release_is_outdated(fixture_copy: Callable[[str], Path], release: str) -> None:
    path = fixture_copy(release)
    found = inspect(path)
    assert found.state is State.OUTDATED
    assert found.release == release
    assert f"saved by Samplebook {release}" in found.message
    assert found.counts is not None and found.counts.samples >= 50


def test_newest_release_fixture_is_current(fixture_copy: Callable[[str], Path]) -> None:
    found = inspect(fixture_copy(HEAD_RELEASE))
    assert found.state is State.CURRENT
    assert found.revision == HEAD_REVISION
    assert found.title


def test_new_document_is_current(new_document: Callable[..., Path]) -> None:
    path = new_document(title="Lake")
    found = inspect(path)
    assert (found.state, found.title, found.created_by) == (State.CURRENT, "Lake", __version__)
    with open(path, "rb") as handle:
        assert int.from_bytes(handle.read(72)[68:72], "big") == APPLICATION_ID


def test_document_open_in_another_process_is_locked(new_document: Callable[..., Path]) -> None:
    path = new_document()
    with lock_held_elsewhere(path) as pid:
        found = inspect(path)
        assert found.state is State.LOCKED
        assert f"process {pid}" in found.message
        assert found.holder is not None
    # The lock file left by the killed process is not held by anyone.
    assert inspect(path).state is State.CURRENT


def test_document_being_written_is_locked(new_document: Callable[..., Path]) -> None:
    path = new_document()
    Path(f"{path}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(500))
    assert inspect(path).state is State.LOCKED


def test_counts_and_info_of_every_release(fixture_copy: Callable[[str], Path]) -> None:
    for release in RELEASE_OF_REVISION.values():
        found = inspect(fixture_copy(release))
        assert found.counts is not None
        assert found.counts.measurements >= 300
        assert found.counts.tags > 0


def test_hostile_schema_does_not_run(tmp_path: Path) -> None:
    """A view in a foreign file that would call functions is never evaluated by inspect."""
    source = tmp_path / "hostile.db"
    execute(
        source,
        f"PRAGMA application_id = {APPLICATION_ID}",
        "CREATE TABLE alembic_version (version_num TEXT)",
        f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')",
        "CREATE VIEW sample AS SELECT randomblob(1000000000) AS code",
    )
    found = inspect(source)
    assert found.state is State.TAMPERED
    shutil.rmtree(tmp_path / "none", ignore_errors=True)
