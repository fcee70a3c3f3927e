"""``samplebook-doc merge-results``, end to end: ``export``, an analysis program writing into the
export with the plain ``sqlite3`` shell, then ``merge-results`` — all real subprocesses."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document import create
from tests.cli.test_samplebook_doc import run
from tests.document.conftest import execute, lock_held_elsewhere

SQLITE3 = shutil.which("sqlite3")
pytestmark = pytest.mark.skipif(SQLITE3 is None, reason="needs the sqlite3 command-line shell")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def analysis_program(export: Path, sql: str) -> None:
    """What an analysis program does: any SQLite client, here the sqlite3 shell."""
    assert SQLITE3 is not None
    subprocess.run([SQLITE3, str(export), sql], check=True, capture_output=True, timeout=60)


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    path = create(tmp_path / "Lab.db", "Lab")
    statements = [
        f"INSERT INTO sample (id, code, name) VALUES ({n}, 'S-{n}', 'Sample {n}')"
        for n in (1, 2, 3)
    ]
    statements += [
        f"INSERT INTO measurement (sample_id, quantity, value, unit) VALUES ({n}, 'pH', 7.{n}, '')"
        for n in (1, 2, 3)
    ]
    execute(path, *statements)
    return path


@pytest.fixture
def export(lab: Path, tmp_path: Path) -> Path:
    done = run("export", lab, tmp_path / "Export.db", "--ids", "2,3")
    assert done.returncode == 0, done.stderr
    return tmp_path / "Export.db"


RESULTS = (
    "INSERT INTO measurement (sample_id, quantity, value, unit, measured_at) "
    "VALUES (2, 'TOC', 4.25, 'mg/L', '2026-12-02 10:00:00');"
    "INSERT INTO measurement (sample_id, quantity, value, unit, qualifier) "
    "VALUES (3, 'Pb', 0.01, 'mg/L', '<');"
    "INSERT INTO measurement (sample_id, quantity, value, unit, qualifier) "
    "VALUES (3, 'Hg', NULL, 'mg/L', 'nd');"
)


def test_export_program_adds_rows_merge_brings_them_back_once(lab: Path, export: Path) -> None:
    # Meanwhile the lab document gains a measurement of its own (id 4, as the export's first new).
    execute(
        lab, "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (1, 'own', 1, '')"
    )
    analysis_program(export, RESULTS)
    assert rows(export, "SELECT min(id) FROM measurement WHERE quantity = 'TOC'") == [(4,)]

    dry = run("merge-results", lab, export, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout == (
        "Would bring back 3 new measurements into Lab.db. Nothing was written (--dry-run).\n"
    )
    before = digest(lab)
    done = run("merge-results", lab, export)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Brought back 3 new measurements into Lab.db.\n"
    assert done.stderr == ""
    assert digest(lab) != before
    assert rows(
        lab,
        "SELECT s.code, m.quantity, m.value, m.unit, m.measured_at, m.qualifier FROM measurement m "
        "JOIN sample s ON s.id = m.sample_id ORDER BY m.id",
    ) == [
        ("S-1", "pH", 7.1, "", None, None),
        ("S-2", "pH", 7.2, "", None, None),
        ("S-3", "pH", 7.3, "", None, None),
        ("S-1", "own", 1.0, "", None, None),
        ("S-2", "TOC", 4.25, "mg/L", "2026-12-02 10:00:00", None),
        ("S-3", "Pb", 0.01, "mg/L", None, "<"),
        ("S-3", "Hg", None, "mg/L", None, "nd"),
    ]
    assert rows(lab, "SELECT code, measurement_count FROM sample ORDER BY id") == [
        ("S-1", 2),
        ("S-2", 2),
        ("S-3", 3),
    ]

    saved = digest(lab)
    again = run("merge-results", lab, export)
    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        "Brought back 0 new measurements into Lab.db (3 more were merged before).\n"
    )
    assert digest(lab) == saved  # nothing to add: the file is not even rewritten


def test_changed_and_deleted_exported_rows_are_reported_never_applied(
    lab: Path, export: Path
) -> None:
    analysis_program(
        export,
        "UPDATE measurement SET value = 8.5 WHERE id = 2; DELETE FROM measurement WHERE id = 3;"
        + RESULTS,
    )
    done = run("merge-results", lab, export)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"{export}: measurement 2 (S-2) was changed in the export (value 7.2 → 8.5); not "
        "applied (exported measurements are never changed by a merge).",
        f"{export}: measurement 3 (S-3) was deleted in the export; not applied (exported "
        "measurements are never changed by a merge).",
    ]
    assert rows(lab, "SELECT id, value FROM measurement WHERE id IN (2, 3)") == [(2, 7.2), (3, 7.3)]
    # The export's newest measurement was deleted before the program added its own: ids are never
    # used twice (AUTOINCREMENT), so the new ones are still new and come back.
    assert done.stdout == "Brought back 3 new measurements into Lab.db.\n"


def test_results_that_cannot_come_back_stop_the_merge(lab: Path, export: Path) -> None:
    analysis_program(
        export,
        RESULTS + "INSERT INTO sample (id, code, name) VALUES (9, 'NEW', 'made here');"
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (9, 'x', 1, '');"
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (2, 'y', 'high', '');",
    )
    before = digest(lab)
    done = run("merge-results", lab, export)
    assert done.returncode == 9
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"{export}: measurement 7: its sample (id 9) was not exported")
    assert lines[1].startswith(f"{export}: measurement 8: S-2: Value must be a number")
    assert lines[-1] == (
        f"2 new measurements of {export} cannot be brought back; nothing was added to Lab.db."
    )
    assert digest(lab) == before


def test_an_export_of_another_document_is_refused(lab: Path, tmp_path: Path) -> None:
    other = create(tmp_path / "Other.db", "Other")
    execute(other, "INSERT INTO sample (id, code, name) VALUES (1, 'S-1', 'same code, other lab')")
    assert run("export", other, tmp_path / "OtherExport.db").returncode == 0
    # Same title, same codes, even the same file name as the lab's own export would have:
    # only the document ids tell them apart.
    execute(tmp_path / "OtherExport.db", "UPDATE provenance SET source_title = 'Lab'")
    before = digest(lab)
    done = run("merge-results", lab, tmp_path / "OtherExport.db")
    assert done.returncode == 3
    assert "was not exported from “Lab.db”" in done.stderr
    assert digest(lab) == before
    done = run("merge-results", lab, other)  # not an export at all
    assert done.returncode == 3 and "records no export step" in done.stderr


def test_the_document_rules(
    lab: Path, export: Path, fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    analysis_program(export, RESULTS)
    before = digest(lab)
    with lock_held_elsewhere(lab):
        done = run("merge-results", lab, export)
        assert done.returncode == 6 and "is open in" in done.stderr
    assert digest(lab) == before
    old = fixture_copy("2.1")
    done = run("merge-results", old, export)
    assert done.returncode == 8 and "upgrade it first" in done.stderr
    done = run("merge-results", lab, tmp_path / "missing.db")
    assert done.returncode == 3
    tampered = tmp_path / "Tampered.db"
    shutil.copyfile(export, tampered)
    execute(tampered, "CREATE VIEW results AS SELECT * FROM measurement")
    done = run("merge-results", lab, tampered)
    assert done.returncode == 4 and "changed outside Samplebook" in done.stderr
    assert digest(lab) == before
