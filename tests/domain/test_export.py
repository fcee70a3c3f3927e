"""Exports: real, current documents holding exactly the chosen rows, with their ids."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.document import (
    DestinationExists,
    ExportSource,
    State,
    file_source,
    inspect,
    mark_kept,
    open_document,
    remove_stale_temporary_exports,
    temporary_exports_dir,
)
from app.document.releases import HEAD_RELEASE
from app.domain import SampleFilter
from app.domain.export import ExportCancelled, export_subset
from tests.document.conftest import folder_state

TABLES = {
    # With the maintained count: an export must count its own measurements, once.
    "sample": "SELECT s.id, code, name, collected_on, notes, location, "
    "(SELECT count(*) FROM {db}measurement m WHERE m.sample_id = s.id) "
    "FROM {db}sample s ORDER BY s.id",
    "measurement": "SELECT id, sample_id, quantity, value, unit, measured_at, qualifier, "
    "uncertainty FROM {db}measurement ORDER BY id",
    "tag": "SELECT id, name FROM {db}tag ORDER BY id",
    "sample_tag": "SELECT sample_id, tag_id FROM {db}sample_tag ORDER BY sample_id, tag_id",
}


def rows(path: Path, table: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(TABLES[table].format(db="")).fetchall()
    finally:
        connection.close()


def expected_rows(source: Path, sample_ids: set[int]) -> dict[str, list[tuple[object, ...]]]:
    """What an export of ``sample_ids`` must hold, computed from the source's rows in Python."""
    samples = [row for row in rows(source, "sample") if row[0] in sample_ids]
    links = [row for row in rows(source, "sample_tag") if row[0] in sample_ids]
    used_tags = {tag_id for _, tag_id in links}
    return {
        "sample": samples,
        "measurement": [row for row in rows(source, "measurement") if row[1] in sample_ids],
        "tag": [row for row in rows(source, "tag") if row[0] in used_tags],
        "sample_tag": links,
    }


def assert_exported(source: Path, export: Path, sample_ids: set[int]) -> None:
    found = inspect(export)
    assert found.state is State.CURRENT, found.message
    for table, expected in expected_rows(source, sample_ids).items():
        assert rows(export, table) == expected, table


def provenance(path: Path) -> list[dict[str, object]]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute("SELECT * FROM provenance ORDER BY id")]
    finally:
        connection.close()


@pytest.fixture
def source(fixture_copy: Callable[[str], Path]) -> Path:
    return fixture_copy(HEAD_RELEASE)


def ids_where(path: Path, condition: str, *params: object) -> set[int]:
    connection = sqlite3.connect(path)
    try:
        return {
            row[0]
            for row in connection.execute(f"SELECT s.id FROM sample s WHERE {condition}", params)
        }
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("sample_filter", "condition", "params"),
    [
        (SampleFilter(), "1", ()),
        (SampleFilter(ids=(1, 2, 5)), "s.id IN (1, 2, 5)", ()),
        (
            SampleFilter(code_globs=("BOD-*", "LEM-*")),
            "s.code GLOB 'BOD-*' OR s.code GLOB 'LEM-*'",
            (),
        ),
        (
            SampleFilter(collected_from="2025-01-01", collected_to="2025-12-31"),
            "s.collected_on BETWEEN '2025-01-01' AND '2025-12-31'",
            (),
        ),
    ],
)
def test_export_holds_exactly_the_chosen_rows(
    source: Path,
    tmp_path: Path,
    sample_filter: SampleFilter,
    condition: str,
    params: tuple[object, ...],
) -> None:
    chosen = ids_where(source, condition, *params)
    destination = tmp_path / "subset.db"
    with file_source(source) as origin:
        result = export_subset(origin, sample_filter, destination)
    assert result.samples == len(chosen) and result.path == destination
    assert_exported(source, destination, chosen)
    *earlier, step = provenance(destination)
    assert earlier == provenance(source)  # the source's own history comes along
    assert step["source_file"] == str(source.absolute())
    assert json.loads(str(step["filter"]))["code_globs"] == list(sample_filter.code_globs)
    assert step["exported_by_version"] and step["samples"] == len(chosen)


def test_an_export_records_its_source_and_what_it_held(source: Path, tmp_path: Path) -> None:
    """What merge-results needs: the documents' ids, and the export's contents when it was made."""
    destination = tmp_path / "subset.db"
    with file_source(source) as origin:
        export_subset(origin, SampleFilter(collected_from="2026-01-01"), destination)
    with closing(sqlite3.connect(destination)) as export, closing(sqlite3.connect(source)) as src:
        (source_id,) = src.execute("SELECT document_id FROM document_info").fetchone()
        (export_id,) = export.execute("SELECT document_id FROM document_info").fetchone()
        counts_right = export.execute(
            "SELECT count(*) = 0 FROM sample s WHERE measurement_count <> "
            "(SELECT count(*) FROM measurement m WHERE m.sample_id = s.id)"
        ).fetchone()[0]
        snapshot = export.execute(
            "SELECT * FROM exported_measurement EXCEPT SELECT id, sample_id, quantity, value, "
            "unit, measured_at, qualifier, uncertainty FROM measurement"
        ).fetchall()
        sizes = export.execute(
            "SELECT (SELECT count(*) FROM exported_measurement), (SELECT count(*) FROM "
            "measurement), (SELECT count(*) FROM exported_sample), (SELECT count(*) FROM sample),"
            " (SELECT count(*) FROM exported_sample e JOIN sample s USING (id, code)),"
            " (SELECT count(*) FROM merged_measurement)"
        ).fetchone()
        qualifiers = {row[0] for row in export.execute("SELECT qualifier FROM measurement")}
    step = provenance(destination)[-1]
    assert export_id != source_id
    assert (step["source_document_id"], step["export_document_id"]) == (source_id, export_id)
    assert counts_right and snapshot == []
    samples, measurements = sizes[3], sizes[1]
    assert sizes == (measurements, measurements, samples, samples, samples, 0)
    assert {"<", ">", "~", "nd", None} <= qualifiers  # the lab values came along


def test_export_by_tag_is_case_insensitive(source: Path, tmp_path: Path) -> None:
    connection = sqlite3.connect(source)
    tag_id, name = connection.execute(
        "SELECT id, name FROM tag WHERE id IN (SELECT tag_id FROM sample_tag) ORDER BY id"
    ).fetchone()
    connection.close()
    chosen = ids_where(
        source, "s.id IN (SELECT sample_id FROM sample_tag WHERE tag_id = ?)", tag_id
    )
    with file_source(source) as origin:
        export_subset(origin, SampleFilter(tags=(name.upper(),)), tmp_path / "tagged.db")
    assert_exported(source, tmp_path / "tagged.db", chosen)


def test_export_of_an_export_keeps_the_chain(source: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.db"
    second = tmp_path / "second.db"
    with file_source(source) as origin:
        export_subset(origin, SampleFilter(code_globs=("B*",)), first)
    with file_source(first) as origin:
        export_subset(origin, SampleFilter(ids=tuple(sorted(ids_where(first, "1"))[:3])), second)
    chosen = set(sorted(ids_where(first, "1"))[:3])
    assert_exported(source, second, chosen)
    chain = provenance(second)
    assert chain[: len(provenance(source))] == provenance(source)
    assert [step["source_file"] for step in chain[-2:]] == [
        str(source.absolute()),
        str(first.absolute()),
    ]


def test_export_includes_unsaved_edits(source: Path, tmp_path: Path) -> None:
    with open_document(source) as document:
        with document.transaction() as connection:
            connection.execute("UPDATE sample SET name = 'edited, not saved' WHERE id = 1")
        origin = ExportSource(document.work_path, document.title, document.path)
        export_subset(origin, SampleFilter(ids=(1,)), tmp_path / "unsaved.db")
    assert rows(tmp_path / "unsaved.db", "sample")[0][2] == "edited, not saved"
    assert rows(source, "sample")[0][2] != "edited, not saved"


def test_failure_midway_leaves_no_destination(source: Path, tmp_path: Path) -> None:
    destination = tmp_path / "out" / "never.db"
    destination.parent.mkdir()

    def fail_on_measurements(what: str, step: int, steps: int) -> None:
        if what == "measurements":
            raise RuntimeError("injected failure midway")

    before = folder_state(source.parent)
    with file_source(source) as origin, pytest.raises(RuntimeError, match="injected"):
        export_subset(origin, SampleFilter(), destination, progress=fail_on_measurements)
    assert list(destination.parent.iterdir()) == []
    assert folder_state(source.parent) == before


def test_cancel_leaves_no_destination(source: Path, tmp_path: Path) -> None:
    destination = tmp_path / "cancelled.db"
    calls = {"n": 0}

    def cancel_soon() -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    with file_source(source) as origin, pytest.raises(ExportCancelled):
        export_subset(origin, SampleFilter(), destination, cancelled=cancel_soon)
    assert not destination.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]


def test_existing_destination_is_refused_unless_replacing(source: Path, tmp_path: Path) -> None:
    destination = tmp_path / "taken.db"
    destination.write_text("mine")
    with file_source(source) as origin:
        with pytest.raises(DestinationExists):
            export_subset(origin, SampleFilter(), destination)
        assert destination.read_text() == "mine"
        export_subset(origin, SampleFilter(ids=(1,)), destination, overwrite=True)
    assert inspect(destination).state is State.CURRENT


def test_temporary_export(source: Path) -> None:
    with file_source(source) as origin:
        result = export_subset(origin, SampleFilter(ids=(1, 2)), None)
    assert result.temporary and result.path.parent == temporary_exports_dir()
    assert inspect(result.path).state is State.CURRENT


def test_outdated_source_is_exported_from_an_upgraded_copy(
    fixture_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    old = fixture_copy("1.1")
    before = old.read_bytes()
    with file_source(old) as origin:
        result = export_subset(origin, SampleFilter(ids=(1, 2, 3)), tmp_path / "from-old.db")
    assert old.read_bytes() == before
    assert inspect(result.path).state is State.CURRENT
    assert [row[0] for row in rows(result.path, "sample")] == sorted(
        ids_where(old, "s.id IN (1, 2, 3)")
    )


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("samplebook-doc")), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_cli_export(source: Path, tmp_path: Path) -> None:
    destination = tmp_path / "cli.db"
    done = run_cli("export", source, destination, "--code", "BOD-*", "--code", "LEM-*")
    assert done.returncode == 0, done.stderr
    assert_exported(
        source, destination, ids_where(source, "s.code GLOB 'BOD-*' OR s.code GLOB 'LEM-*'")
    )
    again = run_cli("export", source, destination, "--ids", "1")
    assert again.returncode == 7 and "already exists" in again.stderr
    forced = run_cli("export", source, destination, "--ids", "1,2", "--force")
    assert forced.returncode == 0, forced.stderr
    assert_exported(source, destination, {1, 2} & ids_where(source, "1"))
    temp = run_cli("export", source, "--temp", "--collected-from", "2024-01-01")
    assert temp.returncode == 0, temp.stderr
    made = Path(temp.stdout.strip())
    assert made.exists() and inspect(made).state is State.CURRENT
    bad = run_cli("export", source, "--temp", "--collected-from", "yesterday")
    assert bad.returncode == 2 and "not a date" in bad.stderr
    missing = run_cli("export", tmp_path / "nope.db", "--temp")
    assert missing.returncode == 3


def test_week_old_temporary_exports_are_removed_unless_kept(source: Path) -> None:
    with file_source(source) as origin:
        old = export_subset(origin, SampleFilter(ids=(1,)), None).path
        kept = export_subset(origin, SampleFilter(ids=(2,)), None).path
    mark_kept(kept)
    long_ago = time.time() - 8 * 86400
    for path in (old, kept):
        os.utime(path, (long_ago, long_ago))
    removed = remove_stale_temporary_exports()
    assert old in removed and not old.exists()
    assert kept.exists() and kept not in removed
    mark_kept(kept, keep=False)
    assert kept in remove_stale_temporary_exports()
