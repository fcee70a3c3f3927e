"""Bringing results back: new measurements recognised by the export's own records, never by ids.

Every export here is a real one made by ``export_subset``, then changed with plain ``sqlite3`` the
way an analysis program changes it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.document import NotADocument, OpenDocument, create, open_document
from app.domain import MeasurementFields, add_measurement
from app.domain.export import ExportSource, export_subset
from app.domain.filters import SampleFilter
from app.domain.merging import (
    CannotMerge,
    MergeOutdated,
    MergePlan,
    apply_merge,
    plan_merge,
    revert_merge,
)
from tests.domain.helpers import add_raw_sample, dump


def program(path: Path, *statements: str) -> None:
    """An analysis program writing into the export with a plain SQLite client."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        for statement in statements:
            db.execute(statement)


@pytest.fixture
def source(tmp_path: Path) -> Iterator[OpenDocument]:
    path = create(tmp_path / "Lab.db", "Lab")
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        for number in (1, 2, 3):
            db.execute(
                "INSERT INTO sample (id, code, name) VALUES (?, ?, ?)",
                (number, f"S-{number}", f"Sample {number}"),
            )
            db.executemany(
                "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (?, 'pH', ?, '')",
                [(number, 7.0 + n / 10) for n in range(3)],
            )
    with open_document(path) as document:
        yield document


def export_of(doc: OpenDocument, folder: Path, ids: tuple[int, ...] = (1, 2)) -> Path:
    origin = ExportSource(doc.work_path, doc.title, doc.path)
    return export_subset(origin, SampleFilter(ids=ids), folder / "export.db").path


def plan(doc: OpenDocument, export: Path) -> MergePlan:
    assert doc.path is not None
    return plan_merge(doc.work_path, doc.path, export)


def measurements(doc: OpenDocument) -> list[tuple[object, ...]]:
    return doc.connection.execute(
        "SELECT sample_id, quantity, value, unit, qualifier FROM measurement ORDER BY id"
    ).fetchall()


def test_new_measurements_come_back_even_when_their_ids_collide(
    source: OpenDocument, tmp_path: Path
) -> None:
    export = export_of(source, tmp_path, ids=(2, 3))  # holds the source's newest measurement
    # The source gains a measurement of its own: it takes the id the program will use too.
    own = add_measurement(source, 1, MeasurementFields("own", 1.0))
    program(
        export,
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (2, 'Cd', 0.5, 'mg')",
        "INSERT INTO measurement (sample_id, quantity, value, unit, qualifier) "
        "VALUES (3, 'Pb', 0.01, 'mg', '<')",
    )
    with closing(sqlite3.connect(export)) as db:
        new_ids = [row[0] for row in db.execute("SELECT id FROM measurement ORDER BY id DESC")]
    assert own in new_ids[:2]  # the collision really happens
    found = plan(source, export)
    assert [(item.code, item.fields.quantity) for item in found.new] == [
        ("S-2", "Cd"),
        ("S-3", "Pb"),
    ]
    assert found.changed == () and found.unmergeable == ()
    applied = apply_merge(source, found)
    assert measurements(source)[-2:] == [(2, "Cd", 0.5, "mg", None), (3, "Pb", 0.01, "mg", "<")]
    assert own not in applied.measurement_ids
    assert measurements(source)[own - 1] == (1, "own", 1.0, "", None)  # its own row untouched
    counts = dict(source.connection.execute("SELECT code, measurement_count FROM sample"))
    assert counts == {"S-1": 4, "S-2": 4, "S-3": 4}


def test_merging_twice_adds_nothing_even_after_a_merged_row_is_deleted(
    source: OpenDocument, tmp_path: Path
) -> None:
    export = export_of(source, tmp_path)
    program(
        export,
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (1, 'Cd', 0.5, 'mg')",
    )
    applied = apply_merge(source, plan(source, export))
    source.connection.execute("DELETE FROM measurement WHERE id = ?", applied.measurement_ids)
    again = plan(source, export)
    assert again.new == () and again.already_merged == 1
    before = dump(source.connection)
    apply_merge(source, again)
    assert dump(source.connection) == before


def test_changed_and_deleted_exported_rows_are_reported_not_applied(
    source: OpenDocument, tmp_path: Path
) -> None:
    export = export_of(source, tmp_path)
    with closing(sqlite3.connect(export)) as db:
        first, second, third = (row[0] for row in db.execute("SELECT id FROM measurement LIMIT 3"))
    program(
        export,
        f"UPDATE measurement SET value = 9.5 WHERE id = {first}",
        f"UPDATE measurement SET sample_id = 2, unit = 'pH' WHERE id = {second}",
        f"DELETE FROM measurement WHERE id = {third}",
    )
    before = dump(source.connection)
    found = plan(source, export)
    assert [(c.export_id, c.code, c.what) for c in found.changed] == [
        (first, "S-1", "value 7 → 9.5"),
        (second, "S-1", "moved from S-1 to S-2, unit “” → “pH”"),
        (third, "S-1", "deleted"),
    ]
    assert found.new == ()
    apply_merge(source, found)
    assert dump(source.connection) == before


def test_only_results_for_samples_that_are_still_the_same_come_back(
    source: OpenDocument, tmp_path: Path
) -> None:
    export = export_of(source, tmp_path)
    program(
        export,
        "INSERT INTO sample (id, code, name) VALUES (50, 'NEW-1', 'made by the program')",
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (50, 'x', 1, '')",
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (2, 'x', 1, '')",
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (1, 'x', 'NA', '')",
    )
    # Sample 2 is deleted in the source and its id given to another sample.
    with source.transaction() as conn:
        conn.execute("DELETE FROM sample WHERE id = 2")
        conn.execute("INSERT INTO sample (id, code, name) VALUES (2, 'OTHER', 'reused id')")
    found = plan(source, export)
    reasons = [item.reason for item in found.unmergeable]
    assert reasons[0].startswith("its sample (id 50) was not exported")
    assert reasons[1].startswith("the sample exported as S-2 (id 2) is now OTHER")
    assert reasons[2].startswith("S-1: Value must be a number")
    assert found.added_samples == 1
    before = dump(source.connection)
    with pytest.raises(CannotMerge):
        apply_merge(source, found)
    assert dump(source.connection) == before


def test_an_export_of_another_document_is_refused(source: OpenDocument, tmp_path: Path) -> None:
    other = create(tmp_path / "Other.db", "Other")
    with open_document(other) as document:
        add_raw_sample(document.connection, "S-1")
        foreign = export_subset(
            ExportSource(document.work_path, "Other", other), SampleFilter(), tmp_path / "o.db"
        ).path
    with pytest.raises(
        NotADocument, match=r"was not exported from “Lab\.db”: it came from “Other”"
    ):
        plan(source, foreign)
    # A document that is no export at all, and the source itself.
    with pytest.raises(NotADocument, match="records no export step"):
        plan(source, other)
    assert source.path is not None
    with pytest.raises(NotADocument, match="records no export step"):
        plan(source, source.path)


def test_an_export_of_an_export_comes_back_into_the_export_it_came_from(
    source: OpenDocument, tmp_path: Path
) -> None:
    first = export_of(source, tmp_path)
    (tmp_path / "second").mkdir()
    second = export_subset(
        ExportSource(first, "first", first), SampleFilter(ids=(1,)), tmp_path / "second" / "s.db"
    ).path
    program(
        second, "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (1, 'x', 1, '')"
    )
    with pytest.raises(NotADocument, match="it came from “first”"):
        plan(source, second)
    with open_document(first) as parent:
        found = plan(parent, second)
        assert len(found.new) == 1
        apply_merge(parent, found)
        parent.save()
    found = plan(source, first)  # and from there into the source
    assert [item.fields.quantity for item in found.new] == ["x"]


def test_undo_and_a_plan_the_document_outgrew(source: OpenDocument, tmp_path: Path) -> None:
    export = export_of(source, tmp_path)
    program(
        export, "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (1, 'x', 1, '')"
    )
    found = plan(source, export)
    before = dump(source.connection)
    applied = apply_merge(source, found)
    revert_merge(source, applied)
    assert dump(source.connection) == before
    with source.transaction() as conn:
        conn.execute("UPDATE sample SET code = 'RENAMED' WHERE id = 1")
    with pytest.raises(MergeOutdated):
        apply_merge(source, found)


def test_redo_gives_the_merged_measurements_the_same_ids(
    source: OpenDocument, tmp_path: Path
) -> None:
    export = export_of(source, tmp_path)
    program(
        export,
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (1, 'Cu', 3.5, 'mg/L')",
        "INSERT INTO measurement (sample_id, quantity, value, unit) VALUES (2, 'Cu', 4.5, 'mg/L')",
    )
    found = plan(source, export)
    first = apply_merge(source, found)
    rows = measurements(source)
    merged = "SELECT export_measurement_id, measurement_id FROM merged_measurement ORDER BY 1"
    records = source.connection.execute(merged).fetchall()
    revert_merge(source, first)
    again = apply_merge(source, found, again=first)
    assert again.measurement_ids == first.measurement_ids
    assert measurements(source) == rows
    assert source.connection.execute(merged).fetchall() == records
