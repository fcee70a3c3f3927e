"""``samplebook-doc export-table``: formats by extension, the filters of ``export``, exit codes,
and the round trip through ``samplebook-doc import`` into a new document."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document.releases import HEAD_RELEASE
from tests.cli.test_samplebook_doc import run
from tests.domain.test_export_table import as_entered, content


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx"])
def test_export_then_import_gives_the_same_samples_and_measurements(
    suffix: str, fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    source = fixture_copy(HEAD_RELEASE)
    before = digest(source)
    samples, measurements = tmp_path / f"s{suffix}", tmp_path / f"m{suffix}"
    done = run("export-table", source, samples)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Exported to {samples}\n"
    done = run("export-table", source, measurements, "--kind", "measurements")
    assert done.returncode == 0, done.stderr
    assert digest(source) == before
    again = tmp_path / "Again.db"
    assert run("new", again).returncode == 0
    for table in (samples, measurements):
        done = run("import", again, table)
        assert done.returncode == 0, done.stderr
    got, got_measurements = content(again)
    expected, expected_measurements = content(source)
    assert got == {code: as_entered(row) for code, row in expected.items()}
    # Times to the second (the fixture's were written with ".000000"), everything else exact.
    assert got_measurements == Counter(
        (*row[:4], None if row[4] is None else str(row[4])[:19], *row[5:])
        for row in expected_measurements.elements()
    )


def test_csv_is_for_excel(fixture_copy: Callable[[str], Path], tmp_path: Path) -> None:
    source = fixture_copy(HEAD_RELEASE)
    out = tmp_path / "big.csv"
    done = run("export-table", source, out, "--code", "BIG-*")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "3 samples (code like “BIG-*”).\n"
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcode,name,collected_on,location,notes,tags\r\n")
    assert [line.split(b",")[0] for line in data.splitlines()[1:]] == [
        b"BIG-02",
        b"BIG-2",
        b"BIG-10",
    ]


def test_filters_and_kind(fixture_copy: Callable[[str], Path], tmp_path: Path) -> None:
    source = fixture_copy(HEAD_RELEASE)
    with closing(sqlite3.connect(source)) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM sample ORDER BY id LIMIT 2")]
        expected = db.execute(
            "SELECT count(*) FROM measurement WHERE sample_id IN (?, ?)", ids
        ).fetchone()[0]
    out = tmp_path / "m.tsv"
    done = run(
        "export-table", source, out, "--kind", "measurements", "--ids", ",".join(map(str, ids))
    )
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code\tname\tquantity\tvalue\tunit\tmeasured_at\tqualifier\tuncertainty"
    assert done.stderr.startswith(f"{expected} measurements")


def test_an_outdated_source_is_exported_from_an_upgraded_copy(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    old = fixture_copy("1.0")
    before = digest(old)
    done = run("export-table", old, tmp_path / "old.xlsx")
    assert done.returncode == 0, done.stderr
    assert digest(old) == before


def test_exit_codes(fixture_copy: Callable[[str], Path], tmp_path: Path) -> None:
    source = fixture_copy(HEAD_RELEASE)
    taken = tmp_path / "taken.csv"
    taken.write_text("mine")
    done = run("export-table", source, taken)
    assert done.returncode == 7 and "already exists" in done.stderr
    assert taken.read_text() == "mine"
    assert run("export-table", source, taken, "--force").returncode == 0
    assert taken.read_bytes().startswith(b"\xef\xbb\xbfcode,")
    done = run("export-table", source, tmp_path / "out.ods")
    assert done.returncode == 2 and ".csv, .tsv or .xlsx" in done.stderr
    assert not (tmp_path / "out.ods").exists()
    done = run("export-table", tmp_path / "missing.db", tmp_path / "out.csv")
    assert done.returncode == 3 and not (tmp_path / "out.csv").exists()
    done = run("export-table", source, tmp_path / "out.csv", "--collected-from", "soon")
    assert done.returncode == 2 and "is not a date" in done.stderr
    done = run("export-table", source, tmp_path / "nowhere" / "out.csv")
    assert done.returncode == 7, done.stderr
