"""Writing a checked import: one transaction, all of it or nothing, and what undo needs.

The plan is written only to the document it describes: inside the transaction the codes and ids
it looked up are looked up again, and if any changed (the person edited the document while the
import dialog was open) nothing is written and the plan must be made again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain._sql import IDS_IN_JSON, ids_param
from app.domain.errors import InvalidInput
from app.domain.importing.lookups import looked_up
from app.domain.importing.model import ImportPlan, SampleRecord
from app.domain.measurements import insert_measurement
from app.domain.names import fold, tag_index
from app.domain.sample_edits import SampleFields, read_fields
from app.domain.tags import ensure_tag, prune, tags_of

if TYPE_CHECKING:
    from app.document import OpenDocument

#: (records written, records to write).
ApplyProgress = Callable[[int, int], None]
_PROGRESS_EVERY = 500


class ImportOutdated(InvalidInput):
    """The document changed since the plan was made; nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            {"document": "The document changed since the table was checked; nothing was imported."},
            "Check the table again, then import.",
        )


class ImportCancelled(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"import": "The import was cancelled; nothing was imported."})


@dataclass(frozen=True)
class UpdatedSample:
    """A sample an import changed, as it was before (for undo)."""

    id: int
    fields: SampleFields
    tags: tuple[str, ...]


@dataclass(frozen=True)
class AppliedImport:
    """What an import wrote: ids of what it added, and what it changed as it was."""

    samples_added: tuple[int, ...] = ()
    samples_updated: tuple[UpdatedSample, ...] = ()
    measurements_added: tuple[int, ...] = ()


def apply_import(
    doc: OpenDocument,
    plan: ImportPlan,
    *,
    progress: ApplyProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
    again: AppliedImport | None = None,
) -> AppliedImport:
    """Write ``plan``'s good records to ``doc`` in one transaction (its rejected ones never).

    ``again`` (what an earlier ``apply_import`` of this plan returned, undone since) makes redo
    give the rows the same ids. Raises ``ImportOutdated`` when the document is no longer what
    the plan saw, ``ImportCancelled`` when ``cancelled`` says so; either way nothing is written.
    """
    with doc.transaction() as conn:
        codes = [key for _, key, _ in plan.looked_up if isinstance(key, str)]
        ids = [key for _, key, _ in plan.looked_up if isinstance(key, int)]
        if looked_up(conn, codes, ids) != plan.looked_up:
            raise ImportOutdated
        total = plan.writes

        def step(done: int) -> None:
            if done % _PROGRESS_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelled
                if progress is not None:
                    progress(done, total)

        if plan.samples:
            result = _write_samples(conn, plan.samples, again, step)
        else:
            reuse = list(again.measurements_added) if again else []
            added = []
            for done, record in enumerate(plan.measurements, start=1):
                wanted = reuse[done - 1] if done <= len(reuse) else None
                added.append(insert_measurement(conn, record.sample_id, record.fields, wanted))
                step(done)
            result = AppliedImport(measurements_added=tuple(added))
        if progress is not None:
            progress(total, total)
    return result


def _write_samples(
    conn: sqlite3.Connection,
    records: tuple[SampleRecord, ...],
    again: AppliedImport | None,
    step: Callable[[int], None],
) -> AppliedImport:
    index = tag_index(conn)
    reuse = list(again.samples_added) if again else []
    added: list[int] = []
    updated: list[UpdatedSample] = []
    for done, record in enumerate(records, start=1):
        fields = record.fields
        values = (fields.code, fields.name, fields.collected_on, fields.location, fields.notes)
        if record.existing_id is None:
            wanted = reuse[len(added)] if len(added) < len(reuse) else None
            cursor = conn.execute(
                "INSERT INTO sample (id, code, name, collected_on, location, notes) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (wanted, *values),
            )
            assert cursor.lastrowid is not None
            sample_id = cursor.lastrowid
            added.append(sample_id)
        else:
            sample_id = record.existing_id
            old = read_fields(conn, sample_id)
            assert old is not None  # the plan's lookups were checked in this transaction
            updated.append(UpdatedSample(sample_id, old, tuple(tags_of(conn, sample_id))))
            conn.execute(
                "UPDATE sample SET code = ?, name = ?, collected_on = ?, location = ?, notes = ? "
                "WHERE id = ?",
                (*values, sample_id),
            )
        if record.tags is not None:
            _set_tags(conn, sample_id, record.tags, index)
        step(done)
    return AppliedImport(samples_added=tuple(added), samples_updated=tuple(updated))


def _set_tags(
    conn: sqlite3.Connection,
    sample_id: int,
    names: tuple[str, ...],
    index: dict[str, tuple[int, str]],
) -> None:
    """Make the sample's tags exactly ``names`` (they are clean and unique by fold)."""
    linked = {
        fold(str(name)): int(tag_id)
        for tag_id, name in conn.execute(
            "SELECT t.id, t.name FROM sample_tag st JOIN tag t ON t.id = st.tag_id "
            "WHERE st.sample_id = ?",
            (sample_id,),
        )
    }
    wanted = {fold(name): name for name in names}
    gone = [tag_id for key, tag_id in linked.items() if key not in wanted]
    if gone:
        conn.execute(
            f"DELETE FROM sample_tag WHERE sample_id = ? AND tag_id IN ({IDS_IN_JSON})",
            (sample_id, ids_param(gone)),
        )
    for key, name in wanted.items():
        if key not in linked:
            tag_id, _ = ensure_tag(conn, name, index)
            conn.execute(
                "INSERT INTO sample_tag (sample_id, tag_id) VALUES (?, ?)", (sample_id, tag_id)
            )
    if gone:
        prune(conn, gone)
        kept = {
            int(row[0])
            for row in conn.execute(
                f"SELECT id FROM tag WHERE id IN ({IDS_IN_JSON})", (ids_param(gone),)
            )
        }
        for key in [key for key, (tag_id, _) in index.items() if tag_id in gone]:
            if index[key][0] not in kept:
                del index[key]  # pruned: a later record must create it anew


def revert_import(doc: OpenDocument, applied: AppliedImport) -> None:
    """Undo ``apply_import``: added rows deleted, changed samples as they were (one transaction)."""
    with doc.transaction() as conn:
        if applied.measurements_added:
            conn.execute(
                f"DELETE FROM measurement WHERE id IN ({IDS_IN_JSON})",
                (ids_param(applied.measurements_added),),
            )
        index = tag_index(conn)
        for sample in applied.samples_updated:
            fields = sample.fields
            conn.execute(
                "UPDATE sample SET code = ?, name = ?, collected_on = ?, location = ?, notes = ? "
                "WHERE id = ?",
                (
                    fields.code,
                    fields.name,
                    fields.collected_on,
                    fields.location,
                    fields.notes,
                    sample.id,
                ),
            )
            _set_tags(conn, sample.id, sample.tags, index)
        if applied.samples_added:
            wanted = ids_param(applied.samples_added)
            tag_ids = [
                int(row[0])
                for row in conn.execute(
                    f"SELECT DISTINCT tag_id FROM sample_tag WHERE sample_id IN ({IDS_IN_JSON})",
                    (wanted,),
                )
            ]
            # Children first and explicitly: the cascade only runs while foreign keys are on.
            conn.execute(f"DELETE FROM measurement WHERE sample_id IN ({IDS_IN_JSON})", (wanted,))
            conn.execute(f"DELETE FROM sample_tag WHERE sample_id IN ({IDS_IN_JSON})", (wanted,))
            conn.execute(f"DELETE FROM sample WHERE id IN ({IDS_IN_JSON})", (wanted,))
            prune(conn, tag_ids)
