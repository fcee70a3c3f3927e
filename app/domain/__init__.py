"""The domain layer: reading and editing a document's samples, measurements and tags, free of Qt.

Reads take a plain ``sqlite3.Connection`` (worker threads pass their own); every mutation takes an
``OpenDocument`` and runs in one ``doc.transaction()``, so it is committed whole or not at all and
marks the document modified. Mutations return what undo needs.
"""

from __future__ import annotations

from app.domain.errors import InvalidInput, NotFound
from app.domain.filters import ALL_SAMPLES, SampleFilter, filter_sql, resolve_filter
from app.domain.measurements import (
    MeasurementFields,
    MeasurementRow,
    add_measurement,
    delete_measurements,
    get_measurement,
    list_measurements,
    normalise_measurement,
    quantities,
    restore_measurements,
    units,
    update_measurement,
    validate_measurement,
)
from app.domain.properties import set_title, title
from app.domain.sample_edits import (
    DeletedSample,
    SampleFields,
    delete_samples,
    insert_sample,
    next_free_code,
    normalise_sample,
    read_fields,
    restore_samples,
    update_sample,
    validate_sample,
)
from app.domain.samples import SORT_KEYS, SampleRow, count_samples, get_sample, page_samples
from app.domain.tags import (
    add_tag,
    all_tags,
    remove_tag,
    rename_tag,
    set_tags,
    tag_counts,
    tags_of,
)

__all__ = [
    "ALL_SAMPLES",
    "SORT_KEYS",
    "DeletedSample",
    "InvalidInput",
    "MeasurementFields",
    "MeasurementRow",
    "NotFound",
    "SampleFields",
    "SampleFilter",
    "SampleRow",
    "add_measurement",
    "add_tag",
    "all_tags",
    "count_samples",
    "delete_measurements",
    "delete_samples",
    "filter_sql",
    "get_measurement",
    "get_sample",
    "insert_sample",
    "list_measurements",
    "next_free_code",
    "normalise_measurement",
    "normalise_sample",
    "page_samples",
    "quantities",
    "read_fields",
    "remove_tag",
    "rename_tag",
    "resolve_filter",
    "restore_measurements",
    "restore_samples",
    "set_tags",
    "set_title",
    "tag_counts",
    "tags_of",
    "title",
    "units",
    "update_measurement",
    "update_sample",
    "validate_measurement",
    "validate_sample",
]
