"""The measurements grid's model on a real document: changes arrive row by row, never as a reset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.document import OpenDocument, create, open_document
from app.domain.measurements import (
    MeasurementFields,
    MeasurementRow,
    add_measurement,
    delete_measurements,
    restore_measurements,
    update_measurement,
)
from app.domain.sample_edits import SampleFields, insert_sample
from app.ui.models.measurement_cells import exact_fields, shown_time
from app.ui.models.measurements_model import MeasurementsModel


@pytest.fixture
def doc(tmp_path: Path) -> Iterator[OpenDocument]:
    document = open_document(create(tmp_path / "grid.db", "Grid"))
    try:
        yield document
    finally:
        document.close()


class Resets:
    def __init__(self, model: MeasurementsModel) -> None:
        self.count = 0
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.count += 1


def refusing(_row: MeasurementRow, _fields: MeasurementFields) -> str | None:
    raise AssertionError("no stored row is edited in this test")


def test_sync_changes_rows_in_place_and_keeps_the_new_row_last(
    qapp: object, doc: OpenDocument
) -> None:
    sample = insert_sample(doc, SampleFields("S-1", "one"))
    first = add_measurement(doc, sample, MeasurementFields("pH", "7", "", "2024-01-02"))
    second = add_measurement(doc, sample, MeasurementFields("pH", "8", "", "2024-01-03"))
    model = MeasurementsModel(refusing)
    model.load(doc.connection, sample)
    resets = Resets(model)
    draft = model.start_draft("pH", "")
    assert (draft, model.rowCount()) == (2, 3)
    # Another program (or an undo) adds one before the others, changes one, deletes one.
    earlier = add_measurement(doc, sample, MeasurementFields("pH", "6", "", "2024-01-01"))
    update_measurement(doc, first, MeasurementFields("pH", "<7", "", "2024-01-02"))
    deleted = delete_measurements(doc, [second])
    model.sync(doc.connection, sample)
    assert resets.count == 0
    assert [model.index(row, 1).data() for row in range(model.rowCount())] == ["6", "<7", ""]
    assert model.is_draft(2)
    # Rows keep their places: a restored row comes back after the row before it in time.
    restore_measurements(doc, deleted)
    model.sync(doc.connection, sample)
    assert [r.id for r in model.stored_rows()] == [earlier, first, second]
    assert resets.count == 0
    # While adopting, the new measurement takes the draft's place.
    assert model.setData(model.index(3, 1), "9", Qt.ItemDataRole.EditRole)
    new = add_measurement(doc, sample, model.draft_fields())
    with model.adopting():
        model.sync(doc.connection, sample)
    assert model.draft is None
    assert model.measurement_at(3) is not None and model.measurement_at(3).id == new  # type: ignore[union-attr]
    assert resets.count == 0


def test_the_new_row_holds_text_as_typed_and_checks_it_when_stored(
    qapp: object, doc: OpenDocument
) -> None:
    sample = insert_sample(doc, SampleFields("S-1", "one"))
    model = MeasurementsModel(refusing)
    model.load(doc.connection, sample)
    row = model.start_draft("", "")
    assert not model.draft.touched  # type: ignore[union-attr]
    assert model.setData(model.index(row, 1), "", Qt.ItemDataRole.EditRole)  # may stay empty
    assert not model.setData(model.index(row, 3), "yesterday", Qt.ItemDataRole.EditRole)
    assert model.draft.texts["measured_at"] == "yesterday"  # type: ignore[union-attr]
    assert model.problem_at(row, 3).startswith("The measurement time must be a date")
    assert model.data(model.index(row, 3), Qt.ItemDataRole.ForegroundRole) is not None
    problems = model.check_draft()
    assert set(problems) == {"quantity", "value", "measured_at"}


def test_times_are_shown_as_typed() -> None:
    assert shown_time("2024-05-15 10:30:00") == "2024-05-15 10:30"
    assert shown_time("2024-05-15 10:30:41") == "2024-05-15 10:30:41"
    assert shown_time("2027-02-07 12:28:41.000000") == "2027-02-07 12:28:41"
    assert shown_time("2027-02-07 12:28:41.250000") == "2027-02-07 12:28:41.250000"
    assert shown_time(None) == ""


def test_exact_fields_keep_what_the_value_means() -> None:
    row = MeasurementRow(1, 1, "Cl", 0.05, "mg/L", None, "<", None)
    fields = exact_fields(row)
    assert fields.value == row.lab_value
    assert (fields.qualifier, fields.uncertainty) == (None, None)
