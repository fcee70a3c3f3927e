"""Edits of several samples at once: duplicate, put a tag on or take it off, set the location.

Each is one transaction (so one undo step in the GUI) that returns exactly what its undo needs,
and ids can be passed back in so a redo recreates the same rows. An edit that would change
nothing writes nothing (the document is not marked modified).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain._sql import IDS_IN_JSON, ids_param
from app.domain.errors import InvalidInput
from app.domain.names import clean_tag, fold, tag_index
from app.domain.sample_edits import next_free_code, read_fields
from app.domain.tags import EMPTY_NAME, ensure_tag, prune
from app.domain.values import blank_to_none

if TYPE_CHECKING:
    from app.document import OpenDocument

_NUMBERED = re.compile(r"(.*?)(\d+)")


# -- duplicating -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """One copy ``duplicate_samples`` made: of which sample, with which id and code."""

    source_id: int
    id: int
    code: str


def next_code_like(conn: sqlite3.Connection, code: str) -> str:
    """The next free code in ``code``'s series: ``BOD-3`` → ``BOD-13`` when BOD-12 is the highest.

    Zero padding is kept (``LEM-007`` → ``LEM-009``); a code without a number starts a series
    (``Blank`` → ``Blank-1``).
    """
    match = _NUMBERED.fullmatch(code)
    if match is None:
        prefix, width = f"{code}-", 1
    else:
        prefix, digits = match[1], match[2]
        width = len(digits) if digits.startswith("0") else 1
    number = int(next_free_code(conn, prefix)[len(prefix) :])
    while conn.execute(
        "SELECT 1 FROM sample WHERE code = ?", (f"{prefix}{number:0{width}d}",)
    ).fetchone():
        number += 1
    return f"{prefix}{number:0{width}d}"


def duplicate_samples(
    doc: OpenDocument, ids: Iterable[int], *, made: Sequence[Duplicate] | None = None
) -> list[Duplicate]:
    """Copy each sample — its name, date, location, notes and tags — under the next free code.

    Measurements are not copied: they were made on the original sample. ``made`` (what an earlier
    call returned) recreates the same copies with the same ids and codes, for redo. Unknown ids
    are skipped.
    """
    wanted = list(dict.fromkeys(int(i) for i in ids))
    planned = {copy.source_id: copy for copy in made or ()}
    done: list[Duplicate] = []
    with doc.transaction() as conn:
        for source_id in wanted:
            fields = read_fields(conn, source_id)
            if fields is None:
                continue
            again = planned.get(source_id)
            code = again.code if again is not None else next_code_like(conn, fields.code)
            if conn.execute("SELECT 1 FROM sample WHERE code = ?", (code,)).fetchone():
                raise InvalidInput({"code": f"Another sample already has the code “{code}”."})
            cursor = conn.execute(
                "INSERT INTO sample (id, code, name, collected_on, location, notes) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    again.id if again is not None else None,
                    code,
                    fields.name,
                    fields.collected_on,
                    fields.location,
                    fields.notes,
                ),
            )
            assert cursor.lastrowid is not None
            new_id = cursor.lastrowid
            conn.execute(
                "INSERT INTO sample_tag (sample_id, tag_id) "
                "SELECT ?, tag_id FROM sample_tag WHERE sample_id = ?",
                (new_id, source_id),
            )
            done.append(Duplicate(source_id, new_id, code))
    return done


# -- tags on many samples --------------------------------------------------------------------------


@dataclass(frozen=True)
class TagChange:
    """A tag put on (or taken off) some samples: the tag as stored, and the samples that changed."""

    tag: str
    tag_id: int
    sample_ids: tuple[int, ...]


def samples_with_tag(conn: sqlite3.Connection, ids: Iterable[int], name: str) -> set[int]:
    """Those of ``ids`` that carry the tag ``name`` (compared folded)."""
    found = tag_index(conn).get(fold(name))
    if found is None:
        return set()
    rows = conn.execute(
        f"SELECT sample_id FROM sample_tag WHERE tag_id = ? AND sample_id IN ({IDS_IN_JSON})",
        (found[0], ids_param(ids)),
    )
    return {int(sample_id) for (sample_id,) in rows}


def _existing(conn: sqlite3.Connection, ids: Iterable[int]) -> list[int]:
    rows = conn.execute(
        f"SELECT id FROM sample WHERE id IN ({IDS_IN_JSON}) ORDER BY id", (ids_param(ids),)
    )
    return [int(sample_id) for (sample_id,) in rows]


def add_tag_to_samples(
    doc: OpenDocument, ids: Iterable[int], name: str, *, tag_id: int | None = None
) -> TagChange:
    """Put the tag on every sample of ``ids`` that lacks it; an existing tag's spelling wins.

    ``tag_id``: recreate the tag with that id when it has to be created (redo).
    """
    cleaned = clean_tag(name)
    if not cleaned:
        raise InvalidInput({"tag": EMPTY_NAME})
    ids = list(ids)
    conn = doc.connection
    index = tag_index(conn)
    known = index.get(fold(cleaned))
    have = samples_with_tag(conn, ids, cleaned)
    missing = [sample_id for sample_id in _existing(conn, ids) if sample_id not in have]
    if not missing:
        return TagChange(known[1] if known else cleaned, known[0] if known else 0, ())
    with doc.transaction() as conn:
        linked_id, stored = ensure_tag(conn, cleaned, index, preferred_id=tag_id)
        conn.executemany(
            "INSERT INTO sample_tag (sample_id, tag_id) VALUES (?, ?)",
            [(sample_id, linked_id) for sample_id in missing],
        )
    return TagChange(stored, linked_id, tuple(missing))


def remove_tag_from_samples(doc: OpenDocument, ids: Iterable[int], name: str) -> TagChange:
    """Take the tag off every sample of ``ids`` that carries it (deleting it when unused)."""
    found = tag_index(doc.connection).get(fold(name))
    if found is None:
        return TagChange(clean_tag(name), 0, ())
    carrying = sorted(samples_with_tag(doc.connection, ids, name))
    if not carrying:
        return TagChange(found[1], found[0], ())
    with doc.transaction() as conn:
        conn.execute(
            f"DELETE FROM sample_tag WHERE tag_id = ? AND sample_id IN ({IDS_IN_JSON})",
            (found[0], ids_param(carrying)),
        )
        prune(conn, [found[0]])
    return TagChange(found[1], found[0], tuple(carrying))


def undo_tag_added(doc: OpenDocument, change: TagChange) -> None:
    """Undo ``add_tag_to_samples``: off the samples it was put on (the tag goes when unused)."""
    if not change.sample_ids:
        return
    with doc.transaction() as conn:
        conn.execute(
            f"DELETE FROM sample_tag WHERE tag_id = ? AND sample_id IN ({IDS_IN_JSON})",
            (change.tag_id, ids_param(change.sample_ids)),
        )
        prune(conn, [change.tag_id])


def undo_tag_removed(doc: OpenDocument, change: TagChange) -> None:
    """Undo ``remove_tag_from_samples``: the tag (with its old id when free) back on its samples."""
    if not change.sample_ids:
        return
    with doc.transaction() as conn:
        tag_id, _ = ensure_tag(conn, change.tag, preferred_id=change.tag_id)
        conn.executemany(
            "INSERT OR IGNORE INTO sample_tag (sample_id, tag_id) VALUES (?, ?)",
            [(sample_id, tag_id) for sample_id in change.sample_ids],
        )


# -- the location of many samples ------------------------------------------------------------------


def set_location(
    doc: OpenDocument, ids: Iterable[int], location: str | None
) -> dict[int, str | None]:
    """Give every sample of ``ids`` this location (blank: none); returns the old ones it changed."""
    wanted = blank_to_none(location)
    rows = doc.connection.execute(
        f"SELECT id, location FROM sample WHERE id IN ({IDS_IN_JSON}) ORDER BY id",
        (ids_param(ids),),
    ).fetchall()
    old = {int(sample_id): place for sample_id, place in rows if place != wanted}
    if not old:
        return {}
    with doc.transaction() as conn:
        conn.execute(
            f"UPDATE sample SET location = ? WHERE id IN ({IDS_IN_JSON})",
            (wanted, ids_param(old)),
        )
    return old


def restore_locations(doc: OpenDocument, old: Mapping[int, str | None]) -> None:
    """Undo ``set_location``: each sample gets back the location it had."""
    if not old:
        return
    with doc.transaction() as conn:
        conn.executemany(
            "UPDATE sample SET location = ? WHERE id = ?",
            [(place, sample_id) for sample_id, place in old.items()],
        )
