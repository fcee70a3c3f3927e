"""Save a Clean Copy: every readable row of Samplebook's own tables, nothing else, SRC untouched.

Every source here is a real file made from the committed fixtures and then changed the way other
programs change files: foreign objects added with DDL and with ``writable_schema``, a ``.dump``
round trip, pages overwritten, text that is not UTF-8.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document import (
    CannotWrite,
    DestinationExists,
    NotADocument,
    State,
    create,
    inspect,
    upgrade,
)
from app.document.releases import HEAD_RELEASE
from app.document.repair import repair
from tests.cli.test_samplebook_doc import run
from tests.document.conftest import execute, lock_held_elsewhere

#: Samplebook's tables at head and the columns a clean copy must carry over unchanged.
COMPARED = {
    "sample": "id, code, name, collected_on, notes, location, measurement_count",
    "measurement": "id, sample_id, quantity, value, unit, measured_at, qualifier, uncertainty",
    "tag": "id, name",
    "sample_tag": "sample_id, tag_id",
    "provenance": "id, source_title, source_file, filter, description, exported_at, "
    "exported_by_version, samples, measurements, source_document_id, export_document_id",
    "document_info": "id, title, created_at, created_by_version, document_id",
    "exported_sample": "id, code",
    "exported_measurement": "id, sample_id, quantity, value, unit, measured_at, qualifier, "
    "uncertainty",
    "merged_measurement": "export_document_id, export_measurement_id, measurement_id, merged_at",
}


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        return {
            table: connection.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
            for table, columns in COMPARED.items()
        }


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: A trigger that would rewrite every measurement, hidden under a name SQLite itself uses.
HIDDEN_TRIGGER = (
    "INSERT INTO sqlite_schema VALUES ('trigger', 'sqlite_stat9', 'document_info', 0, "
    "'CREATE TRIGGER sqlite_stat9 AFTER UPDATE ON document_info BEGIN "
    "UPDATE measurement SET value = -1 WHERE value IS NOT NULL; END')"
)


def tamper(path: Path) -> None:
    """What an analyst with DB Browser (and someone less kind) might leave in a document."""
    execute(
        path,
        "CREATE INDEX analyst_name ON sample (name)",
        "CREATE VIEW recent AS SELECT * FROM sample WHERE collected_on > '2025-01-01'",
        "ALTER TABLE sample ADD COLUMN remark TEXT",
        "UPDATE sample SET remark = 'checked'",
        "CREATE TRIGGER wipe AFTER INSERT ON measurement BEGIN DELETE FROM sample; END",
        "PRAGMA writable_schema = ON",
        HIDDEN_TRIGGER,
    )


def test_tampered_document(fixture_copy: Callable[[str], Path], tmp_path: Path) -> None:
    clean = fixture_copy(HEAD_RELEASE)
    source = fixture_copy(HEAD_RELEASE)
    tamper(source)
    before = digest(source)
    report = repair(source, tmp_path / "Clean.db")
    assert digest(source) == before
    assert inspect(report.destination).state is State.CURRENT
    assert rows(report.destination) == rows(clean)  # no trigger ran, nothing foreign came along
    left_out = "\n".join(report.left_out)
    for foreign in (
        "index 'analyst_name'",
        "view 'recent'",
        "trigger 'wipe'",
        "trigger 'sqlite_stat9'",
        "sample.remark",
    ):
        assert foreign in left_out
    assert report.kept["sample"] == len(rows(clean)["sample"])


def test_counts_another_program_wrote_are_recounted(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """The copy's counts are the triggers' work, never the source's (nor twice the source's)."""
    clean = fixture_copy(HEAD_RELEASE)
    source = fixture_copy(HEAD_RELEASE)
    execute(
        source,
        "DROP TRIGGER measurement_counted_on_delete",
        "UPDATE sample SET measurement_count = measurement_count * 3 + 7",
        "DELETE FROM measurement WHERE id IN (SELECT id FROM measurement LIMIT 5)",
    )
    report = repair(source, tmp_path / "Clean.db")
    with closing(sqlite3.connect(report.destination)) as copy:
        wrong = copy.execute(
            "SELECT id FROM sample s WHERE measurement_count <> "
            "(SELECT count(*) FROM measurement m WHERE m.sample_id = s.id)"
        ).fetchall()
        measurements = copy.execute("SELECT count(*) FROM measurement").fetchone()[0]
    assert wrong == []
    assert measurements == len(rows(clean)["measurement"]) - 5


def test_a_table_replaced_by_a_view_is_not_read(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    source = fixture_copy(HEAD_RELEASE)
    execute(
        source,
        "ALTER TABLE provenance RENAME TO provenance_old",
        # A view that would take for ever, and show made-up rows, if anything read it.
        "CREATE VIEW provenance AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
        "FROM n) SELECT i AS id, 'x' AS source_title FROM n",
    )
    report = repair(source, tmp_path / "Clean.db")
    assert report.kept["provenance"] == 0
    assert any("no table “provenance”" in what for what in report.left_out)
    assert rows(report.destination)["provenance"] == []


def test_mark_lost_in_a_dump_round_trip(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    original = fixture_copy(HEAD_RELEASE)
    dumped = tmp_path / "Dumped.db"
    with closing(sqlite3.connect(original)) as source, closing(sqlite3.connect(dumped)) as copy:
        copy.executescript("\n".join(source.iterdump()))
    report = repair(dumped, tmp_path / "Clean.db")
    assert rows(report.destination) == rows(original)
    assert report.left_out == []


@pytest.mark.parametrize("release", ["1.0", "1.1", "1.2", "2.0"])
def test_outdated_and_tampered(
    release: str, fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """Read in the source's own format, then upgraded by the migrations like any upgrade."""
    upgraded = fixture_copy(release)
    upgrade(upgraded, backup=False)
    source = fixture_copy(release)
    execute(source, "CREATE TRIGGER t AFTER UPDATE ON sample BEGIN DELETE FROM measurement; END")
    assert inspect(source).state is State.TAMPERED
    report = repair(source, tmp_path / "Clean.db")
    assert report.release == release
    expected, repaired = rows(upgraded), rows(report.destination)
    # The document description is made by the upgrade; only the saved-by stamp differs.
    assert {k: v for k, v in repaired.items() if k != "document_info"} == {
        k: v for k, v in expected.items() if k != "document_info"
    }


def big_document(path: Path, samples: int = 3000) -> Path:
    create(path, "Big")
    execute(
        path,
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {samples}) "
        "INSERT INTO sample (code, name, notes) SELECT 'S-' || i, 'Sample ' || i, "
        "printf('%.300c', 'n') FROM n",
        "INSERT INTO measurement (sample_id, quantity, value, unit) "
        "SELECT id, 'pH', id * 0.01, '' FROM sample",
    )
    return path


def damage_pages(path: Path, first: int, last: int) -> None:
    data = bytearray(path.read_bytes())
    for page in range(first, last + 1):
        data[(page - 1) * 4096 : page * 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))


def test_damaged_pages_cost_only_their_rows(tmp_path: Path) -> None:
    source = big_document(tmp_path / "Big.db")
    damage_pages(source, 40, 45)  # leaves of the sample table
    assert inspect(source).state is State.CORRUPT
    before = digest(source)
    report = repair(source, tmp_path / "Clean.db")
    assert digest(source) == before
    assert inspect(report.destination).state is State.CURRENT
    kept = rows(report.destination)
    lost = 3000 - len(kept["sample"])
    # Six pages of about 12 samples each; probing past the damage (in doubling steps) may skip
    # about as many readable ones again.
    assert 0 < lost < 100  # six pages of a 380-page file, about 12 samples a page
    (unreadable,) = [what for what in report.left_out if "could not be read" in what]
    assert unreadable.startswith("samples with ids ")
    # Measurements of the lost samples cannot be attached to anything: counted, not silently lost.
    assert f"{lost} measurements: they refer to rows that could not be recovered" in (
        report.left_out
    )
    assert len(kept["measurement"]) == len(kept["sample"])


def test_text_that_is_not_utf8_is_kept_as_far_as_it_goes(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    source = fixture_copy("1.1")
    execute(source, "UPDATE sample SET name = CAST(x'ff4c616b65' AS TEXT) WHERE id = 1")
    report = repair(source, tmp_path / "Clean.db")
    with closing(sqlite3.connect(report.destination)) as connection:
        assert connection.execute("SELECT name FROM sample WHERE id = 1").fetchone() == (
            "\ufffdLake",
        )
    assert any("replaced by" in what for what in report.left_out)


def test_nothing_of_ours(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database")
    other = tmp_path / "other.db"
    execute(other, "CREATE TABLE sample (id INTEGER PRIMARY KEY, code, name)")
    for source in (text, other, tmp_path / "missing.db"):
        with pytest.raises(NotADocument):
            repair(source, tmp_path / "Clean.db")
    assert not (tmp_path / "Clean.db").exists()


def test_destination_rules(fixture_copy: Callable[[str], Path], tmp_path: Path) -> None:
    source = fixture_copy(HEAD_RELEASE)
    taken = tmp_path / "Taken.db"
    taken.write_bytes(b"mine")
    with pytest.raises(DestinationExists):
        repair(source, taken)
    assert taken.read_bytes() == b"mine"
    repair(source, taken, overwrite=True)
    assert inspect(taken).state is State.CURRENT
    before = digest(source)
    with pytest.raises(CannotWrite, match="document being repaired"):
        repair(source, source, overwrite=True)
    assert digest(source) == before


def test_a_document_open_in_another_samplebook_can_be_repaired(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    source = fixture_copy(HEAD_RELEASE)
    with lock_held_elsewhere(source):
        report = repair(source, tmp_path / "Clean.db")
    assert rows(report.destination) == rows(source)


def test_cli(fixture_copy: Callable[[str], Path], tmp_path: Path) -> None:
    source = fixture_copy(HEAD_RELEASE)
    tamper(source)
    before = digest(source)
    done = run("repair", source, tmp_path / "Clean.db")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Clean copy: {tmp_path / 'Clean.db'}")
    assert "Kept: " in done.stdout and "samples" in done.stdout
    assert "  - view 'recent' (not made by Samplebook)" in done.stdout
    assert run("repair", source, tmp_path / "Clean.db").returncode == 7  # exists
    assert run("repair", source, tmp_path / "Clean.db", "--force").returncode == 0
    text = tmp_path / "text.db"
    text.write_text("hello")
    assert run("repair", text, tmp_path / "Other.db").returncode == 3
    assert run("repair", source).returncode == 2
    assert digest(source) == before
