"""Importing tables of samples or measurements into a document, checked before anything is written.

``read_table`` (``app.domain.tables``) reads the file; ``plan_import`` matches its columns to fields
and checks every record against the document (nothing written); ``apply_import`` writes the good
records as one transaction and returns what ``revert_import`` needs to undo it. The CLI
(``samplebook-doc import``), the import dialog and paste all take this path. No Qt.
"""

from __future__ import annotations

from app.domain.importing.apply import (
    AppliedImport,
    ImportCancelled,
    ImportOutdated,
    UpdatedSample,
    apply_import,
    revert_import,
)
from app.domain.importing.cells import join_tags
from app.domain.importing.fields import FIELDS, Column, ColumnMapping, Kind, parse_map
from app.domain.importing.model import (
    ImportOptions,
    ImportPlan,
    MeasurementRecord,
    PreviewRow,
    Rejected,
    SampleRecord,
)
from app.domain.importing.plan import plan_import

__all__ = [
    "FIELDS",
    "AppliedImport",
    "Column",
    "ColumnMapping",
    "ImportCancelled",
    "ImportOptions",
    "ImportOutdated",
    "ImportPlan",
    "Kind",
    "MeasurementRecord",
    "PreviewRow",
    "Rejected",
    "SampleRecord",
    "UpdatedSample",
    "apply_import",
    "join_tags",
    "parse_map",
    "plan_import",
    "revert_import",
]
