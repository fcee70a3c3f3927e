"""Edits of several samples at once and their undo: duplicate, tags, location, tag rename/merge."""

from __future__ import annotations

import pytest

from app.document import OpenDocument
from app.domain import InvalidInput, NotFound, tags_of
from app.domain.bulk_edits import (
    add_tag_to_samples,
    duplicate_samples,
    next_code_like,
    remove_tag_from_samples,
    restore_locations,
    samples_with_tag,
    set_location,
    undo_tag_added,
    undo_tag_removed,
)
from app.domain.sample_edits import delete_samples, read_fields
from app.domain.tag_edits import rename_or_merge, undo_rename
from tests.domain.helpers import add_raw_sample, dump


@pytest.mark.parametrize(
    ("existing", "code", "expected"),
    [
        (("BOD-3", "BOD-12"), "BOD-3", "BOD-13"),
        (("LEM-007", "LEM-008"), "LEM-007", "LEM-009"),
        (("Blank",), "Blank", "Blank-1"),
        (("S-1", "S-2b"), "S-1", "S-2"),
    ],
)
def test_next_code_in_the_same_series(
    doc: OpenDocument, existing: tuple[str, ...], code: str, expected: str
) -> None:
    for taken in existing:
        add_raw_sample(doc.connection, taken)
    assert next_code_like(doc.connection, code) == expected


def test_duplicate_copies_fields_and_tags_not_measurements(doc: OpenDocument) -> None:
    conn = doc.connection
    first = add_raw_sample(
        conn,
        "BOD-1",
        "Lake Constance",
        collected_on="2024-05-01",
        location="Harbour",
        notes="1 m",
        measurements=3,
        tags=("field", "core"),
    )
    second = add_raw_sample(conn, "BOD-2", "Other", tags=("field",))
    before = dump(conn)
    made = duplicate_samples(doc, [first, second, 9999])
    assert [(copy.source_id, copy.code) for copy in made] == [(first, "BOD-3"), (second, "BOD-4")]
    fields = read_fields(conn, made[0].id)
    assert fields is not None
    assert (fields.name, fields.collected_on, fields.location, fields.notes) == (
        "Lake Constance",
        "2024-05-01",
        "Harbour",
        "1 m",
    )
    assert tags_of(conn, made[0].id) == ["core", "field"]
    count = conn.execute("SELECT count(*) FROM measurement WHERE sample_id = ?", (made[0].id,))
    assert count.fetchone()[0] == 0
    # Undo (deleting the copies) gives back the document exactly; redo makes the same copies.
    delete_samples(doc, [copy.id for copy in made])
    assert dump(conn) == before
    assert duplicate_samples(doc, [first, second], made=made) == made


def test_add_and_remove_a_tag_on_many_and_undo(doc: OpenDocument) -> None:
    conn = doc.connection
    a = add_raw_sample(conn, "S-1", tags=("field",))
    b = add_raw_sample(conn, "S-2")
    c = add_raw_sample(conn, "S-3", tags=("Río",))
    before = dump(conn)
    added = add_tag_to_samples(doc, [a, b, c], "FIELD")
    assert added.tag == "field" and added.sample_ids == (b, c)  # a had it already
    assert samples_with_tag(conn, [a, b, c], "field") == {a, b, c}
    undo_tag_added(doc, added)
    assert dump(conn) == before

    # A new tag is created, and recreated with the same id on redo.
    new = add_tag_to_samples(doc, [a, b], "  core  sample ")
    assert new.tag == "core sample" and new.sample_ids == (a, b)
    undo_tag_added(doc, new)
    assert dump(conn) == before
    assert add_tag_to_samples(doc, [a, b], "core sample", tag_id=new.tag_id) == new
    undo_tag_added(doc, new)

    # Removing the last use deletes the tag; undo brings it back with its id.
    removed = remove_tag_from_samples(doc, [a, b, c], "río")
    assert removed.sample_ids == (c,)
    assert samples_with_tag(conn, [c], "Río") == set()
    undo_tag_removed(doc, removed)
    assert dump(conn) == before


def test_nothing_to_change_writes_nothing(doc: OpenDocument) -> None:
    conn = doc.connection
    a = add_raw_sample(conn, "S-1", location="Pier", tags=("field",))
    doc.modified = False
    assert add_tag_to_samples(doc, [a], "field").sample_ids == ()
    assert remove_tag_from_samples(doc, [a], "never").sample_ids == ()
    assert set_location(doc, [a], " Pier ") == {}
    assert not doc.modified
    with pytest.raises(InvalidInput):
        add_tag_to_samples(doc, [a], "   ")


def test_set_location_on_many_and_undo(doc: OpenDocument) -> None:
    conn = doc.connection
    a = add_raw_sample(conn, "S-1", location="Pier")
    b = add_raw_sample(conn, "S-2")
    c = add_raw_sample(conn, "S-3", location="Harbour")
    before = dump(conn)
    old = set_location(doc, [a, b, c], " Harbour ")
    assert old == {a: "Pier", b: None}
    locations = conn.execute("SELECT DISTINCT location FROM sample").fetchall()
    assert locations == [("Harbour",)]
    restore_locations(doc, old)
    assert dump(conn) == before
    assert set_location(doc, [a], "  ") == {a: "Pier"}  # blank: no location


def test_rename_and_its_undo(doc: OpenDocument) -> None:
    conn = doc.connection
    add_raw_sample(conn, "S-1", tags=("RIO",))
    before = dump(conn)
    change = rename_or_merge(doc, "rio", "Rio")
    assert not change.merged and change.new_name == "Rio"
    undo_rename(doc, change)
    assert dump(conn) == before
    with pytest.raises(NotFound):
        rename_or_merge(doc, "unknown", "x")


def test_merge_and_its_undo(doc: OpenDocument) -> None:
    conn = doc.connection
    a = add_raw_sample(conn, "S-1", tags=("Sediment",))
    b = add_raw_sample(conn, "S-2", tags=("Sediment", "sediment core"))
    c = add_raw_sample(conn, "S-3", tags=("sediment core",))
    before = dump(conn)
    change = rename_or_merge(doc, "Sediment", "SEDIMENT CORE")
    assert change.merged and change.new_name == "sediment core"
    assert change.moved == (a, b) and change.had_both == (b,)
    assert [tags_of(conn, s) for s in (a, b, c)] == [["sediment core"]] * 3
    assert conn.execute("SELECT count(*) FROM tag").fetchone()[0] == 1
    undo_rename(doc, change)
    assert dump(conn) == before
