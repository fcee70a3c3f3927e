"""``samplebook-doc import``: the contract, run as a real subprocess on real files.

Tables written by other programs (tests/fixtures/tables/), every exit code, each bad row on stderr
as ``FILE:ROW: reason``, and DOC byte-identical whenever nothing was to be written.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document import create
from tests.cli.test_samplebook_doc import run
from tests.cli.test_write_failures import left_behind
from tests.document.conftest import execute, lock_held_elsewhere
from tests.document.disks import fill_up

TABLES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"
GERMAN_SAMPLES = [
    "--map",
    "Probe=code",
    "--map",
    "Entnahme=collected_on",
    "--map",
    "Notiz=notes",
    "--map",
    "Wert=",
    "--map",
    "Einheit=",
    "--date-format",
    "%d.%m.%Y",
]
GERMAN_MEASUREMENTS = [
    "--map",
    "Probe=code",
    "--map",
    "Messgröße=quantity",
    "--map",
    "Wert=value",
    "--map",
    "Einheit=unit",
    "--map",
    "Zeitpunkt=measured_at",
    "--decimal-comma",
    "--date-format",
    "%d.%m.%Y %H:%M",
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    return create(tmp_path / "Lab.db", "Lab")


def test_excel_csvs_with_semicolons_decimal_commas_bom_crlf_and_quoted_newlines(
    doc: Path,
) -> None:
    samples = run("import", doc, TABLES / "excel-de-utf8-bom.csv", *GERMAN_SAMPLES)
    assert samples.returncode == 0, samples.stderr
    assert samples.stdout.startswith("Imported 5 samples into Lab.db (read excel-de-utf8-bom.csv")
    assert "encoding utf-8-sig, delimiter “;”" in samples.stdout
    assert rows(doc, "SELECT code, name, collected_on, notes FROM sample WHERE id = 1") == [
        ("S-001", "Müller-See", "2024-03-15", "erste Zeile\nzweite Zeile")
    ]
    measured = run("import", doc, TABLES / "excel-de-messwerte.csv", *GERMAN_MEASUREMENTS)
    assert measured.returncode == 0, measured.stderr
    assert measured.stderr == (
        f"{TABLES / 'excel-de-messwerte.csv'}: column “Bemerkung” is not imported: it matches "
        "no field (give one with --map “Bemerkung”=FIELD).\n"
    )
    assert rows(
        doc,
        "SELECT s.code, m.quantity, m.value, m.unit, m.measured_at, m.qualifier, m.uncertainty "
        "FROM measurement m JOIN sample s ON s.id = m.sample_id ORDER BY m.id",
    ) == [
        ("S-001", "pH", 7.25, "", "2024-03-15 14:30:00", None, None),
        ("S-001", "Nitrat", 0.05, "mg/l", "2024-03-15 14:35:00", "<", None),
        ("S-002", "Leitfähigkeit\n(25 °C)", 312.5, "µS/cm", "2024-03-16 09:00:00", None, None),
        ("S-002", "Blei", None, "µg/l", None, "nd", None),
        ("S-003", "Temperatur", -0.035, "°C", "2024-03-17 00:00:00", None, None),
        ("S-003", "Trübung", 1.2, "NTU", None, None, 0.1),
    ]
    assert rows(doc, "SELECT code, measurement_count FROM sample ORDER BY id")[:3] == [
        ("S-001", 2),
        ("S-002", 2),
        ("S-003", 2),
    ]


def test_a_windows_1252_file_and_a_workbook(doc: Path) -> None:
    done = run("import", doc, TABLES / "excel-de-1252.csv", *GERMAN_SAMPLES)
    assert done.returncode == 0, done.stderr
    assert "encoding windows-1252" in done.stdout
    assert rows(doc, "SELECT name FROM sample WHERE code = 'S-002'") == [("Bach (€)",)]
    other = create(doc.with_name("Other.db"), "Other")
    done = run("import", other, TABLES / "libreoffice-samples.xlsx", "--kind", "samples")
    assert done.returncode == 0, done.stderr
    assert "as xlsx" in done.stdout and "sheet “" in done.stdout
    assert rows(other, "SELECT code, collected_on FROM sample ORDER BY code") == [
        ("S-001", "2024-03-15"),
        ("S-002", "2024-03-16"),
        ("S-003", None),
        ("S-004", "2024-02-29"),
    ]


BAD = (
    "code;name;collected_on\r\n"
    "S-1;Good;2024-03-15\r\n"  # line 2
    'S-2;"two\r\nlines";2024-02-30\r\n'  # lines 3-4: an impossible date
    ";Nameless;\r\n"  # line 5
    "S-1;Again;\r\n"  # line 6
    "S-3;Fine;\r\n"  # line 7
)


def test_bad_rows_are_reported_by_line_and_nothing_is_written(doc: Path, tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_bytes(BAD.encode("utf-8"))
    before = digest(doc)
    done = run("import", doc, table)
    assert done.returncode == 9
    assert done.stderr.splitlines() == [
        f"{table}:3: collected_on: “2024-02-30” is not a real date or time.",
        f"{table}:5: code: Enter a code for the sample, like S-1.",
        f"{table}:6: the code “S-1” is also on line 2",
        f"3 rows of {table} cannot be imported; nothing was written to Lab.db. Correct them, or "
        "give --skip-bad to import the others.",
    ]
    assert done.stdout == ""
    assert digest(doc) == before
    dry = run("import", doc, table, "--dry-run")
    assert dry.returncode == 9 and digest(doc) == before

    done = run("import", doc, table, "--skip-bad")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(f"{table}:") == 3
    assert "Imported 2 samples" in done.stdout and "3 rows were skipped" in done.stdout
    assert rows(doc, "SELECT code FROM sample ORDER BY code") == [("S-1",), ("S-3",)]


def test_dry_run_reports_and_writes_nothing(doc: Path) -> None:
    before = digest(doc)
    done = run("import", doc, TABLES / "excel-de-utf8-bom.csv", *GERMAN_SAMPLES, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Would import 5 samples into Lab.db")
    assert "Nothing was written (--dry-run)." in done.stdout
    assert digest(doc) == before


def test_existing_codes_conflict_unless_update(doc: Path, tmp_path: Path) -> None:
    execute(doc, "INSERT INTO sample (code, name, location) VALUES ('S-1', 'Old', 'Hill')")
    table = tmp_path / "update.tsv"
    table.write_text("code\tname\nS-1\tNew name\nS-2\tSecond\n", encoding="utf-8")
    done = run("import", doc, table)
    assert done.returncode == 9
    assert done.stderr.splitlines()[0] == (
        f"{table}:2: the document already has a sample with the code “S-1” (allow updates, "
        "--update, to change it)"
    )
    done = run("import", doc, table, "--update")
    assert done.returncode == 0, done.stderr
    assert "Imported 1 sample, 1 sample updated" in done.stdout
    assert rows(doc, "SELECT code, name, location FROM sample ORDER BY code") == [
        ("S-1", "New name", "Hill"),
        ("S-2", "Second", None),
    ]


# --------------------------------------------------------------------------------------------------
# The document rules of every verb


def test_an_outdated_document_is_upgraded_first(fixture_copy: Callable[[str], Path]) -> None:
    old = fixture_copy("2.1")
    before = digest(old)
    done = run("import", old, TABLES / "excel-de-utf8-bom.csv", *GERMAN_SAMPLES)
    assert done.returncode == 8
    assert "upgrade it first" in done.stderr
    assert digest(old) == before


def test_a_document_open_in_another_samplebook(doc: Path) -> None:
    before = digest(doc)
    with lock_held_elsewhere(doc):
        done = run("import", doc, TABLES / "excel-de-utf8-bom.csv", *GERMAN_SAMPLES)
        assert done.returncode == 6, done.stderr
        assert "is open in" in done.stderr
        # A dry run only reads: allowed while the document is open elsewhere.
        dry = run("import", doc, TABLES / "excel-de-utf8-bom.csv", *GERMAN_SAMPLES, "--dry-run")
        assert dry.returncode == 0, dry.stderr
    assert digest(doc) == before


@pytest.mark.parametrize(
    ("kind", "code"),
    [("missing", 3), ("not_sqlite", 3), ("tampered", 4), ("newer", 5)],
)
def test_documents_that_are_not_current(tmp_path: Path, kind: str, code: int) -> None:
    path = tmp_path / "Doc.db"
    if kind == "not_sqlite":
        path.write_text("code,name\n")
    elif kind == "tampered":
        create(path)
        execute(path, "CREATE TRIGGER t AFTER INSERT ON sample BEGIN SELECT 1; END")
    elif kind == "newer":
        create(path)
        execute(path, "UPDATE alembic_version SET version_num = 'ffffffffffff'")
    before = path.read_bytes() if path.exists() else None
    done = run("import", path, TABLES / "measurements.tsv")
    assert done.returncode == code, done.stderr
    assert (path.read_bytes() if path.exists() else None) == before


def test_a_full_disk_leaves_the_document_as_it_was(
    small_disk: Callable[[int], Path], tmp_path: Path
) -> None:
    disk = small_disk(1024)
    doc = create(disk / "Lab.db", "Lab")
    table = tmp_path / "many.csv"
    table.write_text(
        "code,name,notes\n" + "".join(f"S-{n},Sample {n},{'x' * 400}\n" for n in range(2000)),
        encoding="utf-8",
    )
    before = digest(doc)
    fill_up(disk, leave=64 * 1024)
    done = run("import", doc, table)
    assert done.returncode == 7, done.stderr
    assert "disk is full" in done.stderr
    assert digest(doc) == before
    assert left_behind(disk, "Lab.db") == set()  # no half-written copy, no lock file


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--map", "code"], "is not COLUMN=FIELD"),
        (["--map", "Nope=code"], "no column “Nope”"),
        (["--kind", "tags"], "invalid choice"),
        (["--sheet", "Data"], "has no sheets"),
    ],
)
def test_usage_errors(doc: Path, arguments: list[str], message: str) -> None:
    before = digest(doc)
    done = run("import", doc, TABLES / "measurements.tsv", *arguments)
    assert done.returncode == 2
    assert message in done.stderr
    assert digest(doc) == before


def test_a_file_that_is_no_table(doc: Path, tmp_path: Path) -> None:
    picture = tmp_path / "photo.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    done = run("import", doc, picture)
    assert done.returncode == 2
    assert "binary data" in done.stderr
    done = run("import", doc, tmp_path / "nowhere.csv")
    assert done.returncode == 2
    assert "cannot be read" in done.stderr
