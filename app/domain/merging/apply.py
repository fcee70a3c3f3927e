"""Writing a merge: the new measurements and the record of each, in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain._sql import IDS_IN_JSON, ids_param
from app.domain.errors import InvalidInput
from app.domain.measurements import insert_measurement
from app.domain.merging.plan import MergePlan

if TYPE_CHECKING:
    from app.document import OpenDocument


class MergeOutdated(InvalidInput):
    def __init__(self) -> None:
        super().__init__(
            {"document": "The document changed since the results were checked; nothing was added."},
            "Check the results again, then bring them back.",
        )


class CannotMerge(InvalidInput):
    """New measurements that cannot be brought back: nothing is added (exit 9 in the CLI)."""

    exit_code = 9


@dataclass(frozen=True)
class AppliedMerge:
    export_id: str
    measurement_ids: tuple[int, ...]


def apply_merge(
    doc: OpenDocument, plan: MergePlan, *, again: AppliedMerge | None = None
) -> AppliedMerge:
    """Add ``plan``'s new measurements to ``doc`` and record each as merged (one transaction).

    ``again`` (what an earlier ``apply_merge`` of this plan returned, undone since) makes redo
    give the measurements the same ids, so later edits of them can be redone too.

    Refuses (``CannotMerge``) a plan with new measurements that cannot be brought back: all of
    them come back, or none. Raises ``MergeOutdated`` when the document no longer has the samples
    the plan found, or already merged some of them meanwhile.
    """
    if plan.unmergeable:
        raise CannotMerge(
            {"results": f"{len(plan.unmergeable)} new measurements cannot be brought back."},
            "Fix them in the export (or delete them there), then bring the results back.",
        )
    now = datetime.datetime.now(datetime.UTC).isoformat(sep=" ", timespec="seconds")
    added: list[int] = []
    with doc.transaction() as conn:
        wanted = ids_param(sorted({item.sample_id for item in plan.new}))
        codes = dict(
            conn.execute(f"SELECT id, code FROM sample WHERE id IN ({IDS_IN_JSON})", (wanted,))
        )
        merged = conn.execute(
            "SELECT count(*) FROM merged_measurement WHERE export_document_id = ? AND "
            f"export_measurement_id IN ({IDS_IN_JSON})",
            (plan.step.export_id, ids_param(item.export_id for item in plan.new)),
        ).fetchone()[0]
        if merged or any(codes.get(item.sample_id) != item.code for item in plan.new):
            raise MergeOutdated
        reuse = list(again.measurement_ids) if again is not None else []
        for number, item in enumerate(plan.new):
            same_id = reuse[number] if number < len(reuse) else None
            measurement_id = insert_measurement(conn, item.sample_id, item.fields, same_id)
            conn.execute(
                "INSERT INTO merged_measurement (export_document_id, export_measurement_id, "
                "measurement_id, merged_at) VALUES (?, ?, ?, ?)",
                (plan.step.export_id, item.export_id, measurement_id, now),
            )
            added.append(measurement_id)
    return AppliedMerge(plan.step.export_id, tuple(added))


def revert_merge(doc: OpenDocument, applied: AppliedMerge) -> None:
    """Undo ``apply_merge``: its measurements and their records go (the export may merge again)."""
    with doc.transaction() as conn:
        wanted = ids_param(applied.measurement_ids)
        conn.execute(
            "DELETE FROM merged_measurement WHERE export_document_id = ? AND "
            f"measurement_id IN ({IDS_IN_JSON})",
            (applied.export_id, wanted),
        )
        conn.execute(f"DELETE FROM measurement WHERE id IN ({IDS_IN_JSON})", (wanted,))
