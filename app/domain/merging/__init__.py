"""Bringing results back: measurements an analysis program added to an export, into its source.

``plan_merge`` says what would happen (new measurements, ones already merged, ones that cannot be
attached, exported rows changed or deleted in the export) and writes nothing; ``apply_merge`` adds
the new ones in one transaction and records each, so merging the same export again adds nothing;
``revert_merge`` undoes it. Used by ``samplebook-doc merge-results`` and, later, the GUI's
"Bring back N new measurements". No Qt.
"""

from __future__ import annotations

from app.domain.merging.apply import (
    AppliedMerge,
    CannotMerge,
    MergeOutdated,
    apply_merge,
    revert_merge,
)
from app.domain.merging.plan import (
    ExportedChange,
    MergePlan,
    NewMeasurement,
    Unmergeable,
    plan_merge,
)
from app.domain.merging.provenance import ExportStep

__all__ = [
    "AppliedMerge",
    "CannotMerge",
    "ExportStep",
    "ExportedChange",
    "MergeOutdated",
    "MergePlan",
    "NewMeasurement",
    "Unmergeable",
    "apply_merge",
    "plan_merge",
    "revert_merge",
]
