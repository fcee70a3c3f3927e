"""Every edit is a ``QUndoCommand`` that calls an ``app.domain`` mutation and its inverse.

A command is applied once by ``DocumentController.perform`` (so a refused edit never reaches the
stack) and then pushed; its first ``redo`` is skipped. Redo keeps ids: a sample deleted and restored,
or added again, comes back with the id it had.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QUndoCommand

from app.domain import measurements, properties, sample_edits, tags
from app.domain.lab_values import LabValue

if TYPE_CHECKING:
    from app.document import OpenDocument


class Editor(Protocol):
    """What commands need from the controller: the document and a way to announce changes."""

    @property
    def document(self) -> OpenDocument | None: ...

    @property
    def connection(self) -> sqlite3.Connection | None:
        """The document's connection; checks the threading rule (GUI thread, no save running)."""

    def notify(self, kind: str, ids: tuple[int, ...]) -> None: ...


class DocumentCommand(QUndoCommand):
    """Base: ``apply``/``unapply`` do the work; ``changed`` says what to refresh afterwards."""

    kind = "samples"

    def __init__(self, editor: Editor, text: str) -> None:
        super().__init__(text)
        self._editor = editor
        self.skip_next_redo = False

    @property
    def doc(self) -> OpenDocument:
        document = self._editor.document
        assert document is not None, "an edit needs an open document"
        # Edits write through the GUI thread's connection, never while a worker saves with it.
        assert self._editor.connection is document.connection
        return document

    def apply(self) -> None:
        raise NotImplementedError

    def unapply(self) -> None:
        raise NotImplementedError

    def changed_ids(self) -> tuple[int, ...]:
        return ()

    def redo(self) -> None:
        if self.skip_next_redo:
            self.skip_next_redo = False
            return
        self.apply()
        self._editor.notify(self.kind, self.changed_ids())

    def undo(self) -> None:
        self.unapply()
        self._editor.notify(self.kind, self.changed_ids())


class NewSample(DocumentCommand):
    kind = "samples"

    def __init__(self, editor: Editor, fields: sample_edits.SampleFields) -> None:
        super().__init__(editor, f"New Sample {fields.code}")
        self.fields = fields
        self.sample_id: int | None = None

    def apply(self) -> None:
        self.sample_id = sample_edits.insert_sample(self.doc, self.fields, sample_id=self.sample_id)

    def unapply(self) -> None:
        assert self.sample_id is not None
        sample_edits.delete_samples(self.doc, [self.sample_id])

    def changed_ids(self) -> tuple[int, ...]:
        return (self.sample_id,) if self.sample_id is not None else ()


class EditSample(DocumentCommand):
    kind = "sample"

    def __init__(
        self,
        editor: Editor,
        sample_id: int,
        fields: sample_edits.SampleFields,
        what: str = "Sample",
    ) -> None:
        super().__init__(editor, f"Edit {what}")
        self.sample_id = sample_id
        self.new = fields
        self.old: sample_edits.SampleFields | None = None

    def apply(self) -> None:
        self.old = sample_edits.update_sample(self.doc, self.sample_id, self.new)

    def unapply(self) -> None:
        assert self.old is not None
        sample_edits.update_sample(self.doc, self.sample_id, self.old)

    def changed_ids(self) -> tuple[int, ...]:
        return (self.sample_id,)


class DeleteSamples(DocumentCommand):
    kind = "samples"

    def __init__(self, editor: Editor, ids: tuple[int, ...]) -> None:
        super().__init__(editor, "Delete Sample" if len(ids) == 1 else f"Delete {len(ids)} Samples")
        self.ids = ids
        self.deleted: list[sample_edits.DeletedSample] = []

    def apply(self) -> None:
        self.deleted = sample_edits.delete_samples(self.doc, list(self.ids))

    def unapply(self) -> None:
        sample_edits.restore_samples(self.doc, self.deleted)

    def changed_ids(self) -> tuple[int, ...]:
        return self.ids


class AddMeasurement(DocumentCommand):
    kind = "measurements"

    def __init__(
        self, editor: Editor, sample_id: int, fields: measurements.MeasurementFields
    ) -> None:
        super().__init__(editor, "Add Measurement")
        self.sample_id = sample_id
        self.fields = fields
        self.measurement_id: int | None = None

    def apply(self) -> None:
        self.measurement_id = measurements.add_measurement(
            self.doc, self.sample_id, self.fields, measurement_id=self.measurement_id
        )

    def unapply(self) -> None:
        assert self.measurement_id is not None
        measurements.delete_measurements(self.doc, [self.measurement_id])

    def changed_ids(self) -> tuple[int, ...]:
        return (self.sample_id,)


class EditMeasurement(DocumentCommand):
    """One measurement changed. Edits of one row made while the grid stays on it (``row_edit``
    names that visit) merge into one undo step: a row's edit is one step, however many cells."""

    kind = "measurements"
    #: ``QUndoCommand.id`` of edits that may merge (the stack merges equal ids only).
    MERGE_ID = 1

    def __init__(
        self,
        editor: Editor,
        sample_id: int,
        measurement_id: int,
        fields: measurements.MeasurementFields,
        row_edit: int | None = None,
    ) -> None:
        super().__init__(editor, "Edit Measurement")
        self.sample_id = sample_id
        self.measurement_id = measurement_id
        self.new = fields
        self.row_edit = row_edit
        self.old: measurements.MeasurementFields | None = None

    def apply(self) -> None:
        self.old = exactly(measurements.update_measurement(self.doc, self.measurement_id, self.new))

    def unapply(self) -> None:
        assert self.old is not None
        measurements.update_measurement(self.doc, self.measurement_id, self.old)

    def changed_ids(self) -> tuple[int, ...]:
        return (self.sample_id,)

    def id(self) -> int:
        return self.MERGE_ID if self.row_edit is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, EditMeasurement)
            or self.row_edit is None
            or other.row_edit != self.row_edit
            or other.measurement_id != self.measurement_id
        ):
            return False
        self.new = other.new
        return True


def exactly(fields: measurements.MeasurementFields) -> measurements.MeasurementFields:
    """Stored fields with their value as a ``LabValue``, so updating with them restores exactly
    them: given as a bare number equal to the stored one, ``update_measurement`` keeps the stored
    qualifier (its rule for callers that only know the number), and undoing ``0.05`` → ``<0.05``
    would keep the ``<``."""
    value = fields.value
    if isinstance(value, LabValue):
        return fields
    assert value is None or isinstance(value, float), "stored fields hold a float or None"
    uncertainty = fields.uncertainty
    assert uncertainty is None or isinstance(uncertainty, float)
    lab_value = LabValue.from_columns(value, fields.qualifier, uncertainty)
    return measurements.MeasurementFields(
        fields.quantity, lab_value, fields.unit, fields.measured_at
    )


class DeleteMeasurements(DocumentCommand):
    kind = "measurements"

    def __init__(self, editor: Editor, sample_id: int, ids: tuple[int, ...]) -> None:
        plural = "Measurement" if len(ids) == 1 else f"{len(ids)} Measurements"
        super().__init__(editor, f"Delete {plural}")
        self.sample_id = sample_id
        self.ids = ids
        self.rows: list[measurements.MeasurementRow] = []

    def apply(self) -> None:
        self.rows = measurements.delete_measurements(self.doc, list(self.ids))

    def unapply(self) -> None:
        measurements.restore_measurements(self.doc, self.rows)

    def changed_ids(self) -> tuple[int, ...]:
        return (self.sample_id,)


class SetTags(DocumentCommand):
    kind = "tags"

    def __init__(
        self, editor: Editor, sample_id: int, names: tuple[str, ...], text: str = "Edit Tags"
    ) -> None:
        super().__init__(editor, text)
        self.sample_id = sample_id
        self.new = names
        self.old: tuple[str, ...] | None = None

    def apply(self) -> None:
        self.old = tuple(tags.set_tags(self.doc, self.sample_id, list(self.new)))

    def unapply(self) -> None:
        assert self.old is not None
        tags.set_tags(self.doc, self.sample_id, list(self.old))

    def changed_ids(self) -> tuple[int, ...]:
        return (self.sample_id,)


class SetTitle(DocumentCommand):
    kind = "title"

    def __init__(self, editor: Editor, title: str) -> None:
        super().__init__(editor, "Change Title")
        self.new = title
        self.old: str | None = None

    def apply(self) -> None:
        self.old = properties.set_title(self.doc, self.new)

    def unapply(self) -> None:
        assert self.old is not None
        properties.set_title(self.doc, self.old)
