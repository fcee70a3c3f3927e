"""Editing samples: validation, insert, update, delete and its undo.

Every mutation validates inside its transaction (so the code it checked is still free when it
writes) and returns what undo needs; ids can be passed back in so redo recreates the same rows.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain._sql import IDS_IN_JSON, escape_glob, ids_param
from app.domain.errors import InvalidInput, NotFound
from app.domain.measurements import COLUMNS, MeasurementRow, insert_rows, row_from
from app.domain.names import tag_index
from app.domain.tags import ensure_tag, prune
from app.domain.values import DATE_EXAMPLE, blank_to_none, parse_date

if TYPE_CHECKING:
    from app.document import OpenDocument


@dataclass(frozen=True)
class SampleFields:
    """What a person edits about a sample (tags and measurements have their own operations)."""

    code: str
    name: str
    collected_on: str | None = None
    location: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class DeletedSample:
    """Everything ``restore_samples`` needs to put a deleted sample back exactly."""

    fields: SampleFields
    id: int
    tags: tuple[str, ...]
    measurements: tuple[MeasurementRow, ...]
    #: The ids ``tags`` had, in the same order: a tag deleted with its last sample comes back with
    #: its old id when that is still free.
    tag_ids: tuple[int, ...] = ()


def _normalised(fields: SampleFields) -> tuple[SampleFields, dict[str, str]]:
    """The fields as they would be stored, and what is wrong with them without looking at others."""
    problems: dict[str, str] = {}
    code = fields.code.strip()
    if not code:
        problems["code"] = "Enter a code for the sample, like S-1."
    name = fields.name.strip()
    if not name:
        problems["name"] = "Enter a name for the sample."
    collected_on = blank_to_none(fields.collected_on)
    if collected_on is not None:
        parsed = parse_date(collected_on)
        if parsed is None:
            problems["collected_on"] = (
                f"The collection date must be a real date written YYYY-MM-DD, like {DATE_EXAMPLE}."
            )
        else:
            collected_on = parsed
    # Notes keep their inner layout; only text that is all blank becomes "no notes".
    notes = fields.notes if blank_to_none(fields.notes) is not None else None
    clean = SampleFields(code, name, collected_on, blank_to_none(fields.location), notes)
    return clean, problems


def check_sample(fields: SampleFields) -> tuple[SampleFields, dict[str, str]]:
    """The fields as they would be stored, and what is wrong with them by themselves (whether
    the code is taken is the caller's question: an import asks for many codes at once)."""
    return _normalised(fields)


def validate_sample(
    conn: sqlite3.Connection, fields: SampleFields, sample_id: int | None = None
) -> dict[str, str]:
    """Field name → the sentence to show beside it; empty when the fields can be stored.

    ``sample_id`` is the sample being edited, whose own code does not count as taken.
    """
    clean, problems = _normalised(fields)
    if "code" not in problems:
        taken = conn.execute(
            "SELECT 1 FROM sample WHERE code = ? AND id IS NOT ?", (clean.code, sample_id)
        ).fetchone()
        if taken:
            problems["code"] = f"Another sample already has the code “{clean.code}”."
    return problems


def normalise_sample(fields: SampleFields) -> SampleFields:
    """The fields as they would be stored: trimmed, blank optional fields ``None``."""
    return _normalised(fields)[0]


def _checked(conn: sqlite3.Connection, fields: SampleFields, sample_id: int | None) -> SampleFields:
    problems = validate_sample(conn, fields, sample_id)
    if problems:
        raise InvalidInput(problems)
    return normalise_sample(fields)


def read_fields(conn: sqlite3.Connection, sample_id: int) -> SampleFields | None:
    row = conn.execute(
        "SELECT code, name, collected_on, location, notes FROM sample WHERE id = ?", (sample_id,)
    ).fetchone()
    return None if row is None else SampleFields(*row)


def _insert(conn: sqlite3.Connection, fields: SampleFields, sample_id: int | None) -> int:
    cursor = conn.execute(
        "INSERT INTO sample (id, code, name, collected_on, location, notes) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (sample_id, fields.code, fields.name, fields.collected_on, fields.location, fields.notes),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def insert_sample(doc: OpenDocument, fields: SampleFields, *, sample_id: int | None = None) -> int:
    """Store a new sample and return its id (``sample_id`` given: redo with that id)."""
    with doc.transaction() as conn:
        return _insert(conn, _checked(conn, fields, None), sample_id)


def update_sample(doc: OpenDocument, sample_id: int, fields: SampleFields) -> SampleFields:
    """Change a sample; returns its old fields (for undo). No change, no transaction."""
    old = read_fields(doc.connection, sample_id)
    if old is None:
        raise NotFound(
            "sample", f"There is no sample with id {sample_id}; it may have been deleted."
        )
    if normalise_sample(fields) == old:
        return old
    with doc.transaction() as conn:
        clean = _checked(conn, fields, sample_id)
        conn.execute(
            "UPDATE sample SET code = ?, name = ?, collected_on = ?, location = ?, notes = ? "
            "WHERE id = ?",
            (clean.code, clean.name, clean.collected_on, clean.location, clean.notes, sample_id),
        )
    return old


def delete_samples(doc: OpenDocument, ids: Iterable[int]) -> list[DeletedSample]:
    """Delete samples with their measurements and tag links; returns them for ``restore_samples``.

    Unknown ids are skipped. Tags no sample carries afterwards are deleted too.
    """
    wanted = ids_param(ids)
    if wanted == "[]":
        return []
    with doc.transaction() as conn:
        deleted = _read_for_undo(conn, wanted)
        tag_ids = {tag_id for sample in deleted for tag_id in sample.tag_ids}
        # Children first and explicitly: the cascade only runs while foreign keys are on.
        conn.execute(f"DELETE FROM measurement WHERE sample_id IN ({IDS_IN_JSON})", (wanted,))
        conn.execute(f"DELETE FROM sample_tag WHERE sample_id IN ({IDS_IN_JSON})", (wanted,))
        conn.execute(f"DELETE FROM sample WHERE id IN ({IDS_IN_JSON})", (wanted,))
        prune(conn, tag_ids)
    return deleted


def _read_for_undo(conn: sqlite3.Connection, wanted: str) -> list[DeletedSample]:
    tags: defaultdict[int, list[tuple[str, int]]] = defaultdict(list)
    for sample_id, tag_id, name in conn.execute(
        "SELECT st.sample_id, t.id, t.name FROM sample_tag st JOIN tag t ON t.id = st.tag_id "
        f"WHERE st.sample_id IN ({IDS_IN_JSON}) ORDER BY st.sample_id, t.id",
        (wanted,),
    ):
        tags[sample_id].append((str(name), int(tag_id)))
    measurements: defaultdict[int, list[MeasurementRow]] = defaultdict(list)
    for row in conn.execute(
        f"SELECT {COLUMNS} FROM measurement WHERE sample_id IN ({IDS_IN_JSON}) ORDER BY id",
        (wanted,),
    ):
        measurement = row_from(row)
        measurements[measurement.sample_id].append(measurement)
    return [
        DeletedSample(
            fields=SampleFields(*values),
            id=int(sample_id),
            tags=tuple(name for name, _ in tags[sample_id]),
            measurements=tuple(measurements[sample_id]),
            tag_ids=tuple(tag_id for _, tag_id in tags[sample_id]),
        )
        for sample_id, *values in conn.execute(
            "SELECT id, code, name, collected_on, location, notes FROM sample "
            f"WHERE id IN ({IDS_IN_JSON}) ORDER BY id",
            (wanted,),
        )
    ]


def restore_samples(doc: OpenDocument, deleted: Iterable[DeletedSample]) -> None:
    """Undo ``delete_samples``: samples, measurements and tag links come back with their ids.

    Raises ``InvalidInput`` (and restores nothing) when another sample has taken a code since.
    """
    deleted = list(deleted)
    if not deleted:
        return
    with doc.transaction() as conn:
        index = tag_index(conn)
        for sample in deleted:
            # The stored fields are restored as they were, even if today's rules would reject
            # them (documents from older releases); only a code taken since stops the undo.
            taken = conn.execute(
                "SELECT 1 FROM sample WHERE code = ?", (sample.fields.code,)
            ).fetchone()
            if taken:
                raise InvalidInput(
                    {"code": f"Another sample already has the code “{sample.fields.code}”."},
                    "Change that sample's code, then undo again.",
                )
            _insert(conn, sample.fields, sample.id)
            preferred = sample.tag_ids or (None,) * len(sample.tags)
            for name, tag_id in zip(sample.tags, preferred, strict=True):
                linked_id, _ = ensure_tag(conn, name, index, preferred_id=tag_id)
                conn.execute(
                    "INSERT OR IGNORE INTO sample_tag (sample_id, tag_id) VALUES (?, ?)",
                    (sample.id, linked_id),
                )
            insert_rows(conn, sample.measurements)


def next_free_code(conn: sqlite3.Connection, prefix: str = "S-") -> str:
    """``prefix`` followed by one more than the highest number any code with that prefix has."""
    start = len(prefix) + 1
    # GLOB with a literal prefix can use the unique index on code; the NOT GLOB keeps only codes
    # that are the prefix followed by digits alone ("S-12", not "S-12b").
    row = conn.execute(
        "SELECT max(CAST(substr(code, ?) AS INTEGER)) FROM sample "
        "WHERE code GLOB ? AND substr(code, ?) NOT GLOB '*[^0-9]*'",
        (start, escape_glob(prefix) + "[0-9]*", start),
    ).fetchone()
    number = int(row[0] or 0) + 1
    while conn.execute("SELECT 1 FROM sample WHERE code = ?", (f"{prefix}{number}",)).fetchone():
        number += 1  # only after a code like "S-007", or numbers beyond 64 bits
    return f"{prefix}{number}"
