"""Editing samples: validation, insert/update, delete and restore, and what failures leave."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.document import CannotWrite, OpenDocument, open_document
from app.domain import (
    InvalidInput,
    MeasurementFields,
    NotFound,
    SampleFields,
    add_measurement,
    add_tag,
    all_tags,
    delete_samples,
    get_sample,
    insert_sample,
    next_free_code,
    restore_samples,
    update_sample,
    validate_sample,
)
from tests.domain.helpers import add_raw_sample, dump


def test_validation_messages(conn: sqlite3.Connection) -> None:
    add_raw_sample(conn, "S-7")
    problems = validate_sample(
        conn, SampleFields(code=" S-7 ", name=" ", collected_on="2024-02-30")
    )
    assert problems == {
        "code": "Another sample already has the code “S-7”.",
        "name": "Enter a name for the sample.",
        "collected_on": "The collection date must be a real date written YYYY-MM-DD, "
        "like 2024-03-15.",
    }
    assert validate_sample(conn, SampleFields("  ", "x"))["code"].startswith("Enter a code")
    assert validate_sample(conn, SampleFields("S-8", "x", "2024-3-5")).keys() == {"collected_on"}
    assert validate_sample(conn, SampleFields("S-8", "x", "20240305")).keys() == {"collected_on"}
    assert validate_sample(conn, SampleFields("S-8", "x", "2024-02-29")) == {}
    assert validate_sample(conn, SampleFields("s-7", "x")) == {}  # codes are case-sensitive


def test_own_code_is_not_taken(conn: sqlite3.Connection) -> None:
    sample_id = add_raw_sample(conn, "S-7")
    assert validate_sample(conn, SampleFields("S-7", "x"), sample_id) == {}
    assert validate_sample(conn, SampleFields("S-7", "x"), sample_id + 1) != {}


def test_insert_normalises_and_marks_modified(doc: OpenDocument) -> None:
    assert not doc.modified
    sample_id = insert_sample(
        doc, SampleFields(" S-1 ", " Basalt ", " 2024-03-15 ", location="  ", notes=" \n ")
    )
    assert doc.modified
    row = get_sample(doc.connection, sample_id)
    assert row is not None
    assert (row.code, row.name, row.collected_on, row.location, row.notes) == (
        "S-1",
        "Basalt",
        "2024-03-15",
        None,
        None,
    )
    assert insert_sample(doc, SampleFields("S-2", "x"), sample_id=40) == 40


def test_update_returns_old_fields(doc: OpenDocument) -> None:
    sample_id = insert_sample(doc, SampleFields("S-1", "Basalt", location="Ridge"))
    old = update_sample(doc, sample_id, SampleFields("S-1", "Clay", notes="wet\n  layer"))
    assert old == SampleFields("S-1", "Basalt", location="Ridge")
    row = get_sample(doc.connection, sample_id)
    assert row is not None
    assert (row.name, row.location, row.notes) == ("Clay", None, "wet\n  layer")
    # Undo is the same call with the old fields.
    update_sample(doc, sample_id, old)
    assert get_sample(doc.connection, sample_id) == row.__class__(
        sample_id, "S-1", "Basalt", None, "Ridge", None, (), 0
    )


def test_update_without_change_does_not_mark_modified(doc: OpenDocument) -> None:
    sample_id = add_raw_sample(doc.connection, "S-1", "Basalt")
    assert update_sample(doc, sample_id, SampleFields(" S-1", "Basalt ")) == SampleFields(
        "S-1", "Basalt"
    )
    assert not doc.modified
    with pytest.raises(NotFound):
        update_sample(doc, 999, SampleFields("S-9", "x"))


def test_invalid_input_leaves_document_unchanged(doc: OpenDocument) -> None:
    first = add_raw_sample(doc.connection, "S-1")
    add_raw_sample(doc.connection, "S-2")
    before = dump(doc.connection)
    with pytest.raises(InvalidInput) as raised:
        insert_sample(doc, SampleFields("S-1", ""))
    assert raised.value.problems.keys() == {"code", "name"}
    assert raised.value.exit_code == 2
    with pytest.raises(InvalidInput):
        update_sample(doc, first, SampleFields("S-2", "x"))
    assert dump(doc.connection) == before
    assert not doc.modified


def test_constraint_error_leaves_document_unchanged(doc: OpenDocument) -> None:
    first = add_raw_sample(doc.connection, "S-1")
    before = dump(doc.connection)
    with pytest.raises(sqlite3.IntegrityError):
        insert_sample(doc, SampleFields("S-2", "x"), sample_id=first)
    assert dump(doc.connection) == before
    assert not doc.modified
    assert not doc.connection.in_transaction


def test_read_only_document_refuses_edits(doc_path: Path) -> None:
    with open_document(doc_path, read_only=True) as viewer:
        with pytest.raises(CannotWrite):
            insert_sample(viewer, SampleFields("S-1", "x"))
        assert not viewer.modified


def _populate(doc: OpenDocument) -> list[int]:
    ids = []
    for number, tags in ((1, ("rock", "Écume")), (2, ("rock",)), (3, ("soil",))):
        sample_id = insert_sample(
            doc, SampleFields(f"S-{number}", f"Sample {number}", "2024-01-0" + str(number))
        )
        for tag in tags:
            add_tag(doc, sample_id, tag)
        for value in range(number):
            add_measurement(doc, sample_id, MeasurementFields("pH", value, "", None))
        ids.append(sample_id)
    return ids


def test_delete_and_restore_round_trip(doc: OpenDocument) -> None:
    ids = _populate(doc)
    before = dump(doc.connection)
    deleted = delete_samples(doc, [ids[0], ids[2], 12345])
    assert [sample.id for sample in deleted] == [ids[0], ids[2]]
    assert deleted[0].tags == ("rock", "Écume")
    assert len(deleted[1].measurements) == 3
    # Measurements and links went with the samples; tags nobody uses any more were pruned.
    after = dump(doc.connection)
    assert [row[0] for row in after["sample"]] == [ids[1]]
    assert {row[1] for row in after["measurement"]} == {ids[1]}
    assert all_tags(doc.connection) == ["rock"]
    restore_samples(doc, deleted)
    assert dump(doc.connection) == before


def test_restore_refuses_a_code_taken_since(doc: OpenDocument) -> None:
    ids = _populate(doc)
    deleted = delete_samples(doc, ids[:2])
    insert_sample(doc, SampleFields("S-2", "newcomer"))
    before = dump(doc.connection)
    with pytest.raises(InvalidInput, match="S-2"):
        restore_samples(doc, deleted)
    assert dump(doc.connection) == before


def test_delete_nothing_is_a_no_op(doc: OpenDocument) -> None:
    assert delete_samples(doc, []) == []
    restore_samples(doc, [])
    assert not doc.modified


def test_next_free_code(conn: sqlite3.Connection) -> None:
    assert next_free_code(conn) == "S-1"
    for code in ("S-9", "S-57", "S-100b", "S-x", "T-900", "S-007"):
        add_raw_sample(conn, code)
    assert next_free_code(conn) == "S-58"
    assert next_free_code(conn, "T-") == "T-901"
    assert next_free_code(conn, "[a]*") == "[a]*1"
    add_raw_sample(conn, "[a]*4")
    assert next_free_code(conn, "[a]*") == "[a]*5"
